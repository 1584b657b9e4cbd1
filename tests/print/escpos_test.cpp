// ESC/POS jobs decoded back by a strict reader: the text, its styles, the code page, the cut,
// and the QR raster read by zbarimg as a phone would read it.
#include "talon/print/escpos.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "escpos_decoder.h"
#include "print_test_support.h"
#include "utf8_count.h"

namespace talon::print {
namespace {

using test::DecodedJob;
using test::DecodedRaster;

class EscPosTest : public ::testing::Test {
protected:
    DecodedJob decode(const PrintLayout& layout, const EscPosOptions& options = {}) {
        auto bytes = toEscPos(layout, options);
        EXPECT_TRUE(bytes.ok()) << (bytes.ok() ? "" : bytes.error().message);
        if (!bytes.ok()) return {};
        DecodedJob job = test::decodeEscPos(bytes.value(), m_dir.path());
        EXPECT_EQ(job.error, "");
        return job;
    }

    // The one raster that is not a rule (a rule is a full-width bar).
    static std::vector<const DecodedRaster*> qrRasters(const DecodedJob& job) {
        std::vector<const DecodedRaster*> out;
        for (const DecodedRaster& r : job.rasters) {
            bool fullRow = false;
            for (int y = 0; y < r.height && !fullRow; ++y) {
                fullRow = r.black(0, y) && r.black(r.width - 1, y);
            }
            if (!fullRow) out.push_back(&r);
        }
        return out;
    }

    static const test::DecodedLine* lineWith(const DecodedJob& job, const std::string& text) {
        for (const auto& l : job.lines) {
            if (l.text == text) return &l;
        }
        return nullptr;
    }

    test::TempDir m_dir;
};

TEST_F(EscPosTest, RussianTicketTextComesBackExactly) {
    const DecodedJob job = decode(ticketLayout(test::russianTicket()));
    const TicketPrint t = test::russianTicket();
    EXPECT_EQ(job.texts(),
              (std::vector<std::string>{t.header, t.caption, t.number, t.service, t.peopleAhead,
                                        t.waitEstimate, t.qrCaption, t.footer[0], t.issuedAt}));
    EXPECT_TRUE(job.initFirst);
    EXPECT_EQ(job.codePageAtFirstText, 17);

    const test::DecodedLine* number = lineWith(job, "А012");
    ASSERT_NE(number, nullptr);
    EXPECT_EQ(number->size, 2);
    EXPECT_TRUE(number->bold);
    EXPECT_EQ(number->align, 1);
    const test::DecodedLine* caption = lineWith(job, "Ваш талон");
    ASSERT_NE(caption, nullptr);
    EXPECT_EQ(caption->size, 1);
    EXPECT_EQ(caption->align, 1);
    const test::DecodedLine* service = lineWith(job, "Оплата и счета");
    ASSERT_NE(service, nullptr);
    EXPECT_EQ(service->size, 1);

    EXPECT_EQ(job.cuts, 1);
    EXPECT_TRUE(job.cutIsLast);
}

TEST_F(EscPosTest, QrRasterScansToTheStatusUrl) {
    const DecodedJob job = decode(ticketLayout(test::russianTicket()));
    const auto qrs = qrRasters(job);
    ASSERT_EQ(qrs.size(), 1u);
    const DecodedRaster& qr = *qrs[0];
    EXPECT_EQ(qr.width, 576);
    EXPECT_EQ(test::zbarDecode(qr.pngPath), test::kStatusUrl);

    // Centered, with white around it on every side (the quiet zone).
    int left = qr.width, right = -1, top = qr.height, bottom = -1;
    for (int y = 0; y < qr.height; ++y) {
        for (int x = 0; x < qr.width; ++x) {
            if (!qr.black(x, y)) continue;
            left = std::min(left, x), right = std::max(right, x);
            top = std::min(top, y), bottom = std::max(bottom, y);
        }
    }
    ASSERT_GE(right, 0);
    EXPECT_LE(std::abs(left - (qr.width - 1 - right)), 8);
    EXPECT_EQ(top, qr.height - 1 - bottom);
    EXPECT_GE(top, 4 * 2);  // 4 modules of at least 2 dots
}

TEST_F(EscPosTest, EnglishTicket) {
    const DecodedJob job = decode(ticketLayout(test::englishTicket()));
    const TicketPrint t = test::englishTicket();
    EXPECT_EQ(job.texts(),
              (std::vector<std::string>{t.header, t.caption, t.number, t.service, t.peopleAhead,
                                        t.waitEstimate, t.qrCaption, t.footer[0], t.issuedAt}));
    const test::DecodedLine* number = lineWith(job, "A012");
    ASSERT_NE(number, nullptr);
    EXPECT_EQ(number->size, 2);
    const auto qrs = qrRasters(job);
    ASSERT_EQ(qrs.size(), 1u);
    EXPECT_EQ(test::zbarDecode(qrs[0]->pngPath), test::kStatusUrl);
    EXPECT_TRUE(job.cutIsLast);
}

TEST_F(EscPosTest, CharactersThePrinterLacksBecomeQuestionMarks) {
    PrintLayout layout;
    layout.text("Чай 🙂 你好 ok — ё");
    EXPECT_EQ(decode(layout).texts(), (std::vector<std::string>{"Чай ? ?? ok ? ё"}));
}

TEST_F(EscPosTest, InvalidUtf8AndControlBytesPrintAsQuestionMarks) {
    PrintLayout layout;
    layout.text(
        "a\xFF"
        "b");                                         // a byte that never starts UTF-8
    layout.text("\xC0\xAF");                          // an overlong '/'
    layout.text("\xED\xA0\x80");                      // a surrogate
    layout.text("end\xD0");                           // cut in the middle of a letter
    layout.text(std::string("x\x1B@\x1DV\x00y", 7));  // a printer command smuggled in
    layout.text("tab\there");
    EXPECT_EQ(decode(layout).texts(),
              (std::vector<std::string>{"a?b", "??", "???", "end?", "x?@?V?y", "tab here"}));
}

TEST_F(EscPosTest, DecomposedCyrillicLettersAreComposed) {
    PrintLayout layout;
    layout.text("Сбербанк Сеи\xCC\x86 е\xCC\x88лка");  // й and ё as letter + accent
    EXPECT_EQ(decode(layout).texts(), (std::vector<std::string>{"Сбербанк Сей ёлка"}));
}

TEST_F(EscPosTest, LongLinesWrapToTheColumns) {
    const std::string para =
        "Для передачи показаний счётчика приготовьте номер лицевого счёта и текущие показания "
        "прибора учёта; оператор проверит их и выдаст квитанцию с новой суммой к оплате.";
    for (const auto& [paper, size, columns] :
         {std::tuple{Paper::mm80(), 1, 48}, std::tuple{Paper::mm80(), 2, 24},
          std::tuple{Paper::mm58(), 1, 32}}) {
        PrintLayout layout(paper);
        layout.text(para, {Align::Left, size, false});
        const DecodedJob job = decode(layout);
        const auto lines = job.texts();
        ASSERT_GT(lines.size(), 2u);
        std::string joined;
        for (const std::string& l : lines) {
            EXPECT_LE(test::codePoints(l), columns) << l;
            EXPECT_EQ(job.lines[0].size, size);
            joined += (joined.empty() ? "" : " ") + l;
        }
        EXPECT_EQ(joined, para);
    }
}

TEST_F(EscPosTest, QrFitsNarrowPaper) {
    PrintLayout layout(Paper::mm58());
    layout.qr(test::kStatusUrl, 12);  // 37 modules × 12 dots would not fit 384 dots
    const DecodedJob job = decode(layout);
    ASSERT_EQ(job.rasters.size(), 1u);
    EXPECT_EQ(job.rasters[0].width, 384);
    EXPECT_LE(job.rasters[0].height, 384);
    EXPECT_EQ(test::zbarDecode(job.rasters[0].pngPath), test::kStatusUrl);
}

TEST_F(EscPosTest, CodePageNumberAndCutAreOptions) {
    PrintLayout layout;
    layout.text("Ваш талон");
    EscPosOptions options;
    options.codePage = 46;
    options.cut = false;
    const DecodedJob job = decode(layout, options);
    EXPECT_EQ(job.codePageAtFirstText, 46);
    EXPECT_EQ(job.texts(), (std::vector<std::string>{"Ваш талон"}));
    EXPECT_EQ(job.cuts, 0);
}

TEST_F(EscPosTest, UnknownCharsetIsAConfigError) {
    PrintLayout layout;
    layout.text("x");
    EscPosOptions options;
    options.charset = "NO-SUCH-CHARSET";
    auto bytes = toEscPos(layout, options);
    ASSERT_FALSE(bytes.ok());
    EXPECT_EQ(bytes.error().kind, ErrorKind::Config);
    EXPECT_EQ(bytes.error().code, "unknown_charset");
}

TEST_F(EscPosTest, QrPayloadTooLongOrEmptyIsAnError) {
    for (const std::string& payload : {std::string(8000, 'x'), std::string()}) {
        PrintLayout layout;
        layout.qr(payload);
        auto bytes = toEscPos(layout);
        ASSERT_FALSE(bytes.ok());
        EXPECT_EQ(bytes.error().kind, ErrorKind::Invalid);
        EXPECT_EQ(bytes.error().code, "qr_failed");
    }
}

}  // namespace
}  // namespace talon::print
