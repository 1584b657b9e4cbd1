// Kiosk and display render real frames headless against a real server; the PNGs must have the
// requested size and show a real screen (many colours, not one flat fill).
#include <gtest/gtest.h>
#include <stb_image.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "../support/server_process.h"
#include "talon/common/api_client.h"

namespace talon {
namespace {

struct Png {
    int width = 0, height = 0;
    std::vector<unsigned char> rgba;
};

Png load(const std::filesystem::path& path) {
    Png p;
    int channels = 0;
    unsigned char* data = stbi_load(path.c_str(), &p.width, &p.height, &channels, 4);
    if (data) {
        p.rgba.assign(data, data + static_cast<size_t>(p.width) * p.height * 4);
        stbi_image_free(data);
    }
    return p;
}

size_t distinctColours(const Png& p) {
    std::set<uint32_t> colours;
    for (size_t i = 0; i + 3 < p.rgba.size(); i += 4 * 7) {
        colours.insert(p.rgba[i] << 16 | p.rgba[i + 1] << 8 | p.rgba[i + 2]);
    }
    return colours.size();
}

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

TEST(ScreenshotTest, KioskHomeAndTicket) {
    test::ServerProcess server;
    ApiClient api(server.url());
    ASSERT_TRUE(api.issueTicket("A").ok());
    const auto dir = outDir();
    const std::string base = test::kioskBinary() + " --server " + server.url() + " --headless";
    ASSERT_EQ(run(base + " --frames 3 --screenshot " + (dir / "kiosk-home-ru.png").string()), 0);
    expectScreen(dir / "kiosk-home-ru.png", 1080, 1920);
    // Tap the first service button (frame 2), then let the ticket come back.
    ASSERT_EQ(run(base + " --frames 6 --tap 2:300,500 --lang en --screenshot " + (dir / "kiosk-ticket-en.png").string()), 0);
    expectScreen(dir / "kiosk-ticket-en.png", 1080, 1920);
    auto services = api.services();
    ASSERT_TRUE(services.ok());
    EXPECT_EQ(services.value()[0].waiting, 2) << "the tap issued exactly one ticket";
    ASSERT_EQ(run(base + " --size 1920x1080 --frames 3 --screenshot " + (dir / "kiosk-home-landscape.png").string()), 0);
    expectScreen(dir / "kiosk-home-landscape.png", 1920, 1080);
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
