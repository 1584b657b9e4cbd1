// The printed receipt for handed-in meter readings: the account masked with '*' (receipt code
// pages have no bullet), never the full number, every line worded in the visitor's language.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <variant>

#include "../support/fake_clock.h"
#include "kiosk_fakes.h"
#include "talon/common/i18n.h"
#include "talon/common/paths.h"
#include "talon/kiosk/readings_flow.h"
#include "talon/kiosk/receipt_printer.h"
#include "talon/print/escpos.h"

namespace talon::kiosk {
namespace {

const std::string kBullet = "\xE2\x80\xA2";
const std::string kEllipsis = "\xE2\x80\xA6";

Catalog catalog() {
    auto c = Catalog::loadDir(assetsDir("") / "i18n");
    EXPECT_TRUE(c);
    return c ? c.value() : Catalog{};
}

/// What ReadingsFlow hands the printer for meterAccount() with one meter accepted and one queued.
ReadingsPrintJob job(const std::string& lang) {
    ReadingsPrintJob j;
    j.account = kBullet + kBullet + kBullet + kBullet + "3456";
    j.holder = "И. П. С.";
    j.at = fromMillis(1'795'423'260'000);  // 2026-11-23 08:41 UTC
    ReadingsPrintMeter m1;
    m1.serial = kEllipsis + "1234";
    m1.values = {{"day", "12480.2"}, {"night", "04390.5"}};
    m1.confirmation = "R-2026-000123";
    ReadingsPrintMeter m2;
    m2.serial = kEllipsis + "9876";
    m2.values = {{"total", "7368"}};
    m2.localCode = "K-7F3A";
    j.meters = {m1, m2};
    j.officeNames = {{"ru", "Энергосбыт · Центр обслуживания"}, {"en", "Energosbyt · Service center"}};
    j.language = lang;
    return j;
}

std::vector<std::string> texts(const print::PrintLayout& layout) {
    std::vector<std::string> out;
    for (const print::Block& b : layout.blocks()) {
        if (const auto* t = std::get_if<print::TextBlock>(&b)) out.push_back(t->text);
    }
    return out;
}

bool hasLine(const std::vector<std::string>& lines, const std::string& line) {
    return std::find(lines.begin(), lines.end(), line) != lines.end();
}

std::string joined(const std::vector<std::string>& lines) {
    std::string all;
    for (const auto& l : lines) all += l + "\n";
    return all;
}

class ReadingsReceiptTest : public ::testing::Test {
protected:
    void SetUp() override {
        setenv("TZ", "UTC", 1);
        tzset();
    }
    const Catalog c = catalog();
};

TEST_F(ReadingsReceiptTest, AccountBulletsPrintAsStars) {
    for (const char* lang : {"en", "ru"}) {
        SCOPED_TRACE(lang);
        const auto lines = texts(readingsPrintLayout(job(lang), c, print::Paper::mm80()));
        EXPECT_TRUE(hasLine(lines, c.tr(lang, "print.readings_account", {{"account", "****3456"}}))) << joined(lines);
        EXPECT_EQ(joined(lines).find(kBullet), std::string::npos);
    }
    const auto en = texts(readingsPrintLayout(job("en"), c, print::Paper::mm80()));
    EXPECT_TRUE(hasLine(en, "Account: ****3456")) << joined(en);
    const auto ru = texts(readingsPrintLayout(job("ru"), c, print::Paper::mm80()));
    EXPECT_TRUE(hasLine(ru, "Лицевой счёт: ****3456")) << joined(ru);
}

TEST_F(ReadingsReceiptTest, LinesInEnglish) {
    const auto lines = texts(readingsPrintLayout(job("en"), c, print::Paper::mm80()));
    for (const std::string& expected : std::vector<std::string>{"Energosbyt · Service center", "METER READINGS", "Holder: И. П. С.", "Handed in: 23.11.2026 08:41",
          "Meter ...1234", "Day: 12480.2", "Night: 04390.5", "Confirmation number:", "R-2026-000123",
          "Meter ...9876", "Reading: 7368", "Code for enquiries:", "K-7F3A",
          "Keep this receipt until your next bill."}) {
        EXPECT_TRUE(hasLine(lines, expected)) << expected << "\n" << joined(lines);
    }
    EXPECT_TRUE(hasLine(lines, c.tr("en", "print.readings_queued")));
    // The confirmation for the accepted meter, the local code for the queued one: one each.
    EXPECT_EQ(std::count(lines.begin(), lines.end(), "Confirmation number:"), 1);
    EXPECT_EQ(std::count(lines.begin(), lines.end(), "Code for enquiries:"), 1);
}

TEST_F(ReadingsReceiptTest, LinesInRussian) {
    const auto lines = texts(readingsPrintLayout(job("ru"), c, print::Paper::mm58()));
    for (const std::string& expected : std::vector<std::string>{"Энергосбыт · Центр обслуживания", "ПОКАЗАНИЯ", "Абонент: И. П. С.", "Переданы: 23.11.2026 08:41",
          "Счётчик ...1234", "День: 12480.2", "Ночь: 04390.5", "Номер подтверждения:", "R-2026-000123",
          "Показания: 7368", "Код для справок:", "K-7F3A", "Сохраните квитанцию до следующего счёта."}) {
        EXPECT_TRUE(hasLine(lines, expected)) << expected << "\n" << joined(lines);
    }
}

TEST_F(ReadingsReceiptTest, EveryLineIsTranslated) {
    for (const char* lang : {"en", "ru"}) {
        SCOPED_TRACE(lang);
        for (const std::string& line : texts(readingsPrintLayout(job(lang), c, print::Paper::mm80()))) {
            EXPECT_NE(line.rfind("print.", 0), 0u) << line;
            EXPECT_EQ(line.find("readings.zone."), std::string::npos) << line;
            EXPECT_EQ(line.find('{'), std::string::npos) << "an unfilled placeholder: " << line;
        }
    }
    // Without the office's names the header is the kiosk's title, still translated.
    ReadingsPrintJob bare = job("ru");
    bare.officeNames.clear();
    const auto lines = texts(readingsPrintLayout(bare, c, print::Paper::mm80()));
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(lines[0], c.tr("ru", "kiosk.title"));
}

TEST_F(ReadingsReceiptTest, NoFullAccountNumberFromARealSession) {
    // The job exactly as the flow builds it after a lookup of 1000123456.
    talon::test::FakeClock clock;
    test::FakeBackend backend;
    test::FakePrinter printer;
    ReadingsFlow flow{backend, printer, clock};
    flow.begin();
    for (char ch : std::string("1000123456")) flow.accountKey(ch);
    flow.submitAccount();
    MeterAccount a;
    a.number = "1000123456";
    a.holder = "И. П. С.";
    a.status = "active";
    a.today = "2026-11-23";
    MeterInfo m;
    m.number = 1;
    m.serial = kEllipsis + "1234";
    m.wholeDigits = 6;
    m.decimalDigits = 1;
    m.zones = {{"total", "12345.6", "2026-10-20"}};
    a.meters = {m};
    backend.completeLookup(a);
    flow.confirmAccount();
    for (char ch : std::string("12480,2")) flow.entryKey(ch);
    flow.entryNext();
    flow.send();
    ReadingOutcome queued;
    queued.localCode = "K-7F3A";
    queued.queued = true;
    backend.completeSubmit(queued);
    ASSERT_EQ(printer.readingsJobs.size(), 1u);

    for (const char* lang : {"en", "ru"}) {
        SCOPED_TRACE(lang);
        ReadingsPrintJob j = printer.readingsJobs[0];
        j.language = lang;
        const std::string all = joined(texts(readingsPrintLayout(j, c, print::Paper::mm80())));
        EXPECT_EQ(all.find("1000123456"), std::string::npos) << all;
        EXPECT_EQ(all.find("100012"), std::string::npos) << all;
        EXPECT_NE(all.find("****3456"), std::string::npos) << all;
        EXPECT_NE(all.find("12480.2"), std::string::npos) << all;
        EXPECT_NE(all.find("K-7F3A"), std::string::npos) << all;
        auto bytes = print::toEscPos(readingsPrintLayout(j, c, print::Paper::mm80()));
        ASSERT_TRUE(bytes);
        const std::string raw(bytes.value().begin(), bytes.value().end());
        EXPECT_EQ(raw.find("1000123456"), std::string::npos);
        EXPECT_NE(raw.find("****3456"), std::string::npos);
    }
}

// The masked serial starts with '…', which CP866 (the receipt printer's code page) lacks just as
// it lacks the bullet: it prints as "...", never as "?1234".
TEST_F(ReadingsReceiptTest, MaskedSerialPrintsWithoutAQuestionMark) {
    for (const char* lang : {"en", "ru"}) {
        SCOPED_TRACE(lang);
        const std::string all = joined(texts(readingsPrintLayout(job(lang), c, print::Paper::mm80())));
        EXPECT_EQ(all.find(kEllipsis), std::string::npos) << all;
        EXPECT_NE(all.find("...1234"), std::string::npos) << all;
        auto bytes = print::toEscPos(readingsPrintLayout(job(lang), c, print::Paper::mm80()));
        ASSERT_TRUE(bytes);
        const std::string raw(bytes.value().begin(), bytes.value().end());
        EXPECT_NE(raw.find("1234"), std::string::npos);
        EXPECT_EQ(raw.find("?1234"), std::string::npos) << "the serial prints as \"?1234\"";
        EXPECT_EQ(raw.find("?9876"), std::string::npos);
    }
}

}  // namespace
}  // namespace talon::kiosk
