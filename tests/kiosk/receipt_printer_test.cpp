// The kiosk's printed ticket: worded in the visitor's language, one layout for paper and
// preview, the QR code readable, and printer failures reported through the callback.
#include "talon/kiosk/receipt_printer.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "../support/server_process.h"
#include "talon/common/paths.h"
#include "talon/print/escpos.h"
#include "talon/print/preview.h"

namespace talon::kiosk {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

Catalog catalog() {
    auto c = Catalog::loadDir(assetsDir("") / "i18n");
    EXPECT_TRUE(c);
    return c ? c.value() : Catalog{};
}

TicketPrintJob job(const std::string& lang) {
    TicketPrintJob j;
    j.ticket.id = 1042;
    j.ticket.number = "A012";
    j.ticket.service = "A";
    j.ticket.ahead = 3;
    j.ticket.ewtSeconds = 9 * 60;
    j.ticket.issuedAt = fromMillis(1'795'423'260'000);  // 2026-11-23 08:41 UTC
    j.serviceNames = {{"ru", "Оплата и счета"}, {"en", "Payments and bills"}};
    j.officeNames = {{"ru", "Энергосбыт · Центр обслуживания"}, {"en", "Energosbyt · Service center"}};
    j.language = lang;
    j.statusUrl = "http://10.0.0.5:8080/t/1042";
    return j;
}

std::string readFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string zbar(const fs::path& png) {
    const fs::path out = png.string() + ".txt";
    const std::string cmd = "zbarimg --raw -q " + png.string() + " > " + out.string() + " 2>/dev/null";
    if (std::system(cmd.c_str()) != 0) return "(zbarimg from zbar-tools found no code or is not installed)";
    std::string text = readFile(out);
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
}

/// Runs posted results until `done` holds.
template <class Pred>
bool pump(RunQueue& queue, Pred done) {
    for (int i = 0; i < 1000 && !done(); ++i) {
        queue.drain();
        std::this_thread::sleep_for(5ms);
    }
    return done();
}

class ReceiptPrinterTest : public ::testing::Test {
protected:
    void SetUp() override {
        setenv("TZ", "UTC", 1);
        tzset();
    }
};

TEST_F(ReceiptPrinterTest, TicketPreviewInBothLanguagesHasAReadableQr) {
    const Catalog c = catalog();
    const fs::path dir = fs::path(TALON_BUILD_DIR) / "screenshots" / "print";
    fs::create_directories(dir);
    for (const char* lang : {"ru", "en"}) {
        const auto layout = ticketPrintLayout(job(lang), c, print::Paper::mm80());
        const fs::path png = dir / (std::string("printed-ticket-") + lang + ".png");
        ASSERT_TRUE(print::writePreviewPng(layout, png.string())) << png;
        EXPECT_EQ(zbar(png), "http://10.0.0.5:8080/t/1042") << png;
    }
}

ReadingsPrintJob readingsJob(const std::string& lang) {
    ReadingsPrintJob j;
    j.account = "\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2" "0001";
    j.holder = "И. П. С.";
    j.at = fromMillis(1795423260000);  // 2026-11-23 08:41 UTC
    j.officeNames = {{"ru", "Энергосбыт · Центр обслуживания"}, {"en", "Energosbyt · Service center"}};
    j.language = lang;
    ReadingsPrintMeter accepted;
    accepted.serial = "\xE2\x80\xA6" "1234";
    accepted.values = {{"day", "12480.2"}, {"night", "4390.5"}};
    accepted.confirmation = "R-2026-000123";
    ReadingsPrintMeter queued;
    queued.serial = "\xE2\x80\xA6" "9876";
    queued.values = {{"total", "7368"}};
    queued.localCode = "7KQ4-M2XD";
    j.meters = {accepted, queued};
    return j;
}

TEST_F(ReceiptPrinterTest, ReadingsReceiptPreviewInBothLanguages) {
    const Catalog c = catalog();
    const fs::path dir = fs::path(TALON_BUILD_DIR) / "screenshots" / "print";
    fs::create_directories(dir);
    for (const char* lang : {"ru", "en"}) {
        const auto layout = readingsPrintLayout(readingsJob(lang), c, print::Paper::mm80());
        const fs::path png = dir / (std::string("printed-readings-") + lang + ".png");
        ASSERT_TRUE(print::writePreviewPng(layout, png.string())) << png;
        // Everything on it encodes for the printer's code page: no '?' stands in for a character.
        auto bytes = print::toEscPos(layout);
        ASSERT_TRUE(bytes) << bytes.error().message;
        const std::string text(bytes.value().begin(), bytes.value().end());
        EXPECT_NE(text.find("****0001"), std::string::npos);
        EXPECT_NE(text.find("...1234"), std::string::npos);
        EXPECT_NE(text.find("R-2026-000123"), std::string::npos);
        EXPECT_NE(text.find("7KQ4-M2XD"), std::string::npos);
        EXPECT_NE(text.find("12480.2"), std::string::npos);
        EXPECT_NE(text.find("23.11.2026 08:41"), std::string::npos);
        EXPECT_EQ(text.find('?'), std::string::npos) << "a character the printer cannot print";
    }
}

AppealPrintJob appealJob(const std::string& lang, bool queued) {
    AppealPrintJob j;
    j.type = "complaint";
    j.category = "billing";
    if (queued) {
        j.localCode = "K7F3-A9C2";
    } else {
        j.number = "Ж-2026-000123";
        j.dueOnText = "07.12.2026";
    }
    j.at = fromMillis(1795423260000);  // 2026-11-23 08:41 UTC
    j.officeNames = {{"ru", "Энергосбыт · Центр обслуживания"}, {"en", "Energosbyt · Service center"}};
    j.language = lang;
    return j;
}

TEST_F(ReceiptPrinterTest, AppealReceiptPreviewInBothLanguages) {
    const Catalog c = catalog();
    const fs::path dir = fs::path(TALON_BUILD_DIR) / "screenshots" / "print";
    fs::create_directories(dir);
    for (const char* lang : {"ru", "en"}) {
        for (bool queued : {false, true}) {
            const auto layout = appealPrintLayout(appealJob(lang, queued), c, print::Paper::mm80());
            const fs::path png =
                dir / (std::string("printed-appeal-") + (queued ? "queued-" : "") + lang + ".png");
            ASSERT_TRUE(print::writePreviewPng(layout, png.string())) << png;
            auto bytes = print::toEscPos(layout);
            ASSERT_TRUE(bytes) << bytes.error().message;
            const std::string text(bytes.value().begin(), bytes.value().end());
            if (queued) {
                EXPECT_NE(text.find("K7F3-A9C2"), std::string::npos);
            } else {
                EXPECT_NE(text.find("\x86-2026-000123"), std::string::npos) << "Ж-2026-000123 in code page 866";
                EXPECT_NE(text.find("07.12.2026"), std::string::npos);
            }
            EXPECT_NE(text.find("23.11.2026 08:41"), std::string::npos);
            EXPECT_EQ(text.find('?'), std::string::npos) << "a character the printer cannot print";
        }
    }
}

TEST_F(ReceiptPrinterTest, TicketWordsAreInTheVisitorsLanguage) {
    const Catalog c = catalog();
    auto bytes = print::toEscPos(ticketPrintLayout(job("ru"), c, print::Paper::mm80()));
    ASSERT_TRUE(bytes);
    const std::string text(bytes.value().begin(), bytes.value().end());
    // "Оплата" in code page 866.
    EXPECT_NE(text.find("\x8e\xaf\xab\xa0\xe2\xa0"), std::string::npos);
    EXPECT_NE(text.find("A012"), std::string::npos);
    EXPECT_NE(text.find("23.11.2026 08:41"), std::string::npos) << "the issue time, local";
    auto en = print::toEscPos(ticketPrintLayout(job("en"), c, print::Paper::mm58()));
    ASSERT_TRUE(en);
    const std::string enText(en.value().begin(), en.value().end());
    EXPECT_NE(enText.find("Payments and bills"), std::string::npos);
    EXPECT_NE(enText.find("9 min"), std::string::npos);
}

TEST_F(ReceiptPrinterTest, PrintsToTheConfiguredTargetOffTheUiThread) {
    test::TempDir tmp;
    const Catalog c = catalog();
    RunQueue queue;
    PrinterConfig config;
    config.target = "file:" + (tmp.path() / "job.bin").string();
    auto printer = ReceiptPrinter::create(config, c, queue);
    ASSERT_TRUE(printer);
    std::optional<Status> result;
    printer.value()->printTicket(job("en"), [&](Status st) { result = std::move(st); });
    ASSERT_TRUE(pump(queue, [&] { return result.has_value(); }));
    EXPECT_TRUE(result->ok());
    const std::string bytes = readFile(tmp.path() / "job.bin");
    EXPECT_NE(bytes.find("A012"), std::string::npos);
    EXPECT_EQ(bytes.substr(bytes.size() - 4), std::string("\x1d\x56\x42\x00", 4)) << "cut last";

    result.reset();
    printer.value()->printTestPage("ru", [&](Status st) { result = std::move(st); });
    ASSERT_TRUE(pump(queue, [&] { return result.has_value(); }));
    EXPECT_TRUE(result->ok());
}

TEST_F(ReceiptPrinterTest, MissingPrinterComesBackAsAnError) {
    const Catalog c = catalog();
    RunQueue queue;
    PrinterConfig config;
    config.target = "device:/nonexistent/usb/lp0";
    auto printer = ReceiptPrinter::create(config, c, queue);
    ASSERT_TRUE(printer);
    std::optional<Status> result;
    printer.value()->printTicket(job("ru"), [&](Status st) { result = std::move(st); });
    ASSERT_TRUE(pump(queue, [&] { return result.has_value(); }));
    ASSERT_FALSE(result->ok());
    EXPECT_EQ(result->error().code, "printer_missing");
}

TEST_F(ReceiptPrinterTest, BadTargetIsAConfigError) {
    const Catalog c = catalog();
    RunQueue queue;
    PrinterConfig config;
    config.target = "lpt1";
    auto printer = ReceiptPrinter::create(config, c, queue);
    ASSERT_FALSE(printer);
    EXPECT_EQ(printer.error().kind, ErrorKind::Config);
}

}  // namespace
}  // namespace talon::kiosk
