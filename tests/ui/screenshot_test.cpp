// Kiosk and display render real frames headless against a real server; the PNGs must have the
// requested size and show a real screen (many colours, not one flat fill).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "../support/png.h"
#include "../support/server_process.h"
#include "talon/common/api_client.h"
#include "talon/common/http_client.h"

namespace talon {
namespace {

using test::distinctColours;
using test::Png;
Png load(const std::filesystem::path& path) { return test::loadPng(path); }

std::filesystem::path outDir() {
    const char* env = std::getenv("TALON_SCREENSHOT_DIR");
    std::filesystem::path dir = env && *env ? env : TALON_BUILD_DIR "/screenshots";
    std::filesystem::create_directories(dir);
    return dir;
}

int run(const std::string& cmd) {
    const int rc = std::system(("SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy " + cmd).c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

void expectScreen(const std::filesystem::path& png, int w, int h) {
    ASSERT_TRUE(std::filesystem::exists(png)) << png;
    Png p = load(png);
    EXPECT_EQ(p.width, w);
    EXPECT_EQ(p.height, h);
    EXPECT_GT(distinctColours(p), 20u) << png << " looks blank";
}

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The scripted run: home → service A → "no, regular queue" → the ticket, printed to a file.
TEST(ScreenshotTest, KioskTapsThroughToAPrintedTicket) {
    test::ServerProcess server;
    ApiClient api(server.url());
    ASSERT_TRUE(api.issueTicket("A").ok());
    test::TempDir tmp;
    const auto job = tmp.path() / "ticket.bin";
    const auto dir = outDir();
    const std::string base = test::kioskBinary() + " --server " + server.url() + " --headless --printer file:" +
                             job.string() + " --kiosk-id hall-1";
    ASSERT_EQ(run(base + " --frames 3 --screenshot " + (dir / "kiosk-home-ru.png").string()), 0);
    expectScreen(dir / "kiosk-home-ru.png", 1080, 1920);
    // Frame 2: the first service card; frame 4: "No, regular queue" at the bottom.
    ASSERT_EQ(run(base + " --frames 8 --tap 2:300,500 --tap 4:540,1600 --lang en --screenshot " +
                  (dir / "kiosk-ticket-en.png").string()),
              0);
    expectScreen(dir / "kiosk-ticket-en.png", 1080, 1920);
    auto services = api.services();
    ASSERT_TRUE(services.ok());
    EXPECT_EQ(services.value()[0].waiting, 2) << "the taps issued exactly one ticket";
    // The job went to the printer: initialised, the number in it, cut at the end.
    const std::string bytes = readFile(job);
    ASSERT_FALSE(bytes.empty());
    EXPECT_EQ(bytes.substr(0, 2), std::string("\x1b\x40", 2));
    EXPECT_NE(bytes.find("A002"), std::string::npos) << "the ticket's number is printed";
    EXPECT_NE(bytes.find("Payments and bills"), std::string::npos) << "in the visitor's language";
    EXPECT_NE(bytes.rfind(std::string("\x1d\x56\x42", 3)), std::string::npos) << "the paper is cut";
    ASSERT_EQ(run(base + " --size 1920x1080 --frames 3 --screenshot " + (dir / "kiosk-home-landscape.png").string()), 0);
    expectScreen(dir / "kiosk-home-landscape.png", 1920, 1080);
}

// A printer that refuses: the ticket is still issued and the server hears about the printer.
TEST(ScreenshotTest, KioskWithBrokenPrinterKeepsTheTicketAndReportsIt) {
    // The office's public address is what phones reach; the QR code links there.
    test::TempDir cfgDir;
    const auto cfg = cfgDir.path() / "office.toml";
    std::ofstream(cfg) << "[office]\npublic_url = \"http://192.0.2.10:8080\"\n";
    test::ServerProcess server({"--config", cfg.string()});
    ApiClient api(server.url());
    const auto dir = outDir();
    const std::string cmd = test::kioskBinary() + " --server " + server.url() +
                            " --headless --printer tcp://127.0.0.1:1 --kiosk-id hall-2 --frames 8 --tap 2:300,500"
                            " --tap 4:540,1600 --screenshot " + (dir / "kiosk-no-printer-ru.png").string();
    ASSERT_EQ(run(cmd), 0);
    expectScreen(dir / "kiosk-no-printer-ru.png", 1080, 1920);
    auto services = api.services();
    ASSERT_TRUE(services.ok());
    EXPECT_EQ(services.value()[0].waiting, 1) << "the ticket is issued even though nothing was printed";
    // The number's QR code is on screen instead of on paper, and phones can read it.
    const std::string qrOut = (dir / "kiosk-no-printer-qr.txt").string();
    ASSERT_EQ(std::system(("zbarimg --raw -q " + (dir / "kiosk-no-printer-ru.png").string() + " 2>/dev/null > " + qrOut).c_str()), 0)
        << "zbarimg (Debian zbar-tools) could not read the QR code on screen";
    std::string decoded = readFile(qrOut);
    while (!decoded.empty() && decoded.back() == '\n') decoded.pop_back();
    EXPECT_EQ(decoded, "http://192.0.2.10:8080/t/1");
    HttpClient http(server.url());
    auto page = http.get("/t/1");
    ASSERT_TRUE(page.ok());
    EXPECT_EQ(page.value().status, 200);
    EXPECT_NE(page.value().body.find("/ticket/ticket.js"), std::string::npos);
    auto devices = http.get("/api/v1/devices");
    ASSERT_TRUE(devices.ok());
    EXPECT_NE(devices.value().body.find(R"("id":"hall-2")"), std::string::npos) << devices.value().body;
    EXPECT_NE(devices.value().body.find(R"("printer":"missing")"), std::string::npos) << devices.value().body;
}

TEST(ScreenshotTest, KioskServerUnreachable) {
    const auto dir = outDir();
    ASSERT_EQ(run(test::kioskBinary() + " --server http://127.0.0.1:1 --headless --frames 3 --screenshot " +
                  (dir / "kiosk-unreachable.png").string()),
              0);
    expectScreen(dir / "kiosk-unreachable.png", 1080, 1920);
}

TEST(ScreenshotTest, DisplayBoard) {
    test::ServerProcess server;
    ApiClient api(server.url());
    for (const char* s : {"A", "A", "B", "C", "E"}) ASSERT_TRUE(api.issueTicket(s).ok());
    for (int w : {1, 3, 5}) ASSERT_TRUE(api.callNext(w).ok());
    const auto dir = outDir();
    const std::string base = test::displayBinary() + " --server " + server.url() + " --headless --frames 3";
    ASSERT_EQ(run(base + " --screenshot " + (dir / "display-landscape-ru.png").string()), 0);
    expectScreen(dir / "display-landscape-ru.png", 1920, 1080);
    ASSERT_EQ(run(base + " --size 1080x1920 --lang en --screenshot " + (dir / "display-portrait-en.png").string()), 0);
    expectScreen(dir / "display-portrait-en.png", 1080, 1920);
}

TEST(ScreenshotTest, BadOptionsAreRejectedClearly) {
    EXPECT_EQ(run(test::kioskBinary() + " --size 12 --headless 2>/dev/null"), 2);
    EXPECT_EQ(run(test::displayBinary() + " --tap nonsense --headless 2>/dev/null"), 2);
}

}  // namespace
}  // namespace talon
