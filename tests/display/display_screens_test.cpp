// The board rendered headless (software renderer) against golden images in
// docs/screenshots/display/: landscape and portrait, busy and calm, an urgent announcement, the
// connection lost, dark and light themes, both languages. TALON_UPDATE_GOLDEN=1 rewrites them
// (look at them before committing).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>

#include "../support/fake_clock.h"
#include "../support/golden.h"
#include "../support/png.h"
#include "display_views.h"
#include "talon/common/paths.h"

namespace talon::display {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const fs::path kGoldenDir = fs::path(TALON_SOURCE_DIR) / "docs" / "screenshots" / "display";
const fs::path kOutDir = fs::path(TALON_BUILD_DIR) / "screenshots" / "display";

// 2026-11-23 09:41 UTC: the clock on every golden (the test runs with TZ=UTC).
const WallTime kNow = fromMillis(1'795'426'860'000);

BoardCall call(int64_t id, const std::string& number, int window, int minutesAgo, TicketStatus status = TicketStatus::Called) {
    return {id, number, number.substr(0, 1), window, kNow - std::chrono::minutes(minutesAgo), status, 0};
}

Board board(bool busy) {
    Board b;
    b.logId = "log";
    b.lastEventId = 100;
    b.services = {
        {1, "A", {{"ru", "Оплата и счета"}, {"en", "Payments and bills"}}, 7},
        {2, "B", {{"ru", "Счётчики: показания, замена, поверка"}, {"en", "Meters: readings, replacement, check"}}, 3},
        {3, "C", {{"ru", "Консультации и состояние счёта"}, {"en", "Consultation and account status"}}, 0},
        {4, "D", {{"ru", "Договоры и подключение"}, {"en", "Contracts and connection"}}, 12},
        {5, "E", {{"ru", "Жалобы и претензии"}, {"en", "Complaints and claims"}}, 1},
        {6, "V", {{"ru", "Юридические лица"}, {"en", "Legal entities"}}, 0},
    };
    b.services[0].ewtSeconds = 9 * 60;
    b.services[1].ewtSeconds = 4 * 60;
    b.services[3].ewtSeconds = 47 * 60;
    b.services[4].ewtSeconds = 6 * 60;
    b.windows = {{1, "Окно 1"}, {2, "Окно 2"}, {3, "Окно 3"}, {4, "Касса"}, {5, "Окно 5"}, {6, "Окно 6"}};
    if (busy) {
        b.calls = {call(9, "A012", 3, 0), call(8, "B004", 1, 1), call(7, "D002", 4, 2), call(6, "A011", 2, 3),
                   call(5, "E001", 5, 5, TicketStatus::Serving), call(4, "A010", 6, 7, TicketStatus::Done),
                   call(3, "C003", 3, 9, TicketStatus::Done), call(2, "A009", 1, 12, TicketStatus::Done)};
    } else {
        b.calls = {call(4, "A010", 6, 7, TicketStatus::Done)};
    }
    Announcement a;
    a.id = 1;
    a.texts = {{"ru", "Касса работает до 18:00. Оплата картой — без комиссии."},
               {"en", "The cash desk is open until 18:00. No fee for card payments."}};
    a.createdAt = kNow - 1h;
    b.announcements = {a};
    return b;
}

Announcement urgentNotice() {
    Announcement a;
    a.id = 2;
    a.priority = "urgent";
    a.texts = {{"ru", "Уважаемые посетители! С 12:00 до 13:00 приём ведёт только окно 1. Приносим извинения."},
               {"en", "Dear visitors, from 12:00 to 13:00 only window 1 is open. We apologise."}};
    a.createdAt = kNow - 5min;
    return a;
}

class ScreenApp final : public ui::App {
public:
    ScreenApp(const BoardModel& model, const Catalog& catalog, const Theme& theme, std::string language, WallTime now)
        : m_model(model), m_catalog(catalog), m_theme(theme), m_language(std::move(language)), m_now(now) {}
    void attach(ui::AppShell& shell) { m_shell = &shell; }
    void addImage(const std::string& name, ui::AppShell::Texture texture) { m_images[name] = texture; }
    void drawFrame(int width, int height) override {
        BoardView view{m_model, m_catalog, m_shell->fonts(), m_theme, m_images, m_language, m_now,
                       static_cast<float>(width), static_cast<float>(height)};
        drawBoard(view);
    }
    std::optional<Instant> nextWake() const override { return std::nullopt; }
    void tick(Instant) override {}
    void onInput(Instant) override {}

private:
    const BoardModel& m_model;
    const Catalog& m_catalog;
    const Theme& m_theme;
    std::map<std::string, ui::AppShell::Texture> m_images;
    std::string m_language;
    WallTime m_now;
    ui::AppShell* m_shell = nullptr;
};

struct Shot {
    std::string scene;  // busy, calm, urgent, offline, light
    std::string lang;
    bool portrait = false;
    std::string name() const { return scene + "-" + lang + (portrait ? "-portrait" : ""); }
};

std::vector<Shot> shots() {
    std::vector<Shot> out;
    for (const char* scene : {"busy", "calm", "slide", "urgent", "offline", "light"}) {
        for (const char* lang : {"ru", "en"}) {
            out.push_back({scene, lang, false});
            if (std::string(scene) == "busy" || std::string(scene) == "calm") out.push_back({scene, lang, true});
        }
    }
    return out;
}

class DisplayScreensTest : public ::testing::TestWithParam<Shot> {};

TEST_P(DisplayScreensTest, MatchesGolden) {
    setenv("TZ", "UTC", 1);
    tzset();
    const Shot shot = GetParam();
    auto catalog = Catalog::loadDir(assetsDir("") / "i18n");
    ASSERT_TRUE(catalog) << catalog.error().message;
    talon::test::FakeClock clock;
    clock.setWall(kNow);
    BoardSettings settings;
    BoardModel model(clock, settings);
    const bool calm = shot.scene == "calm" || shot.scene == "slide";
    Board b = board(!calm);
    if (shot.scene == "slide") b.announcements.front().image = "welcome.png";
    if (shot.scene == "urgent") b.announcements.insert(b.announcements.begin(), urgentNotice());
    model.onSnapshot(b);
    model.onConnection(shot.scene != "offline");
    if (calm) clock.advance(settings.calmAfter);
    const Theme theme = shot.scene == "light" ? lightTheme() : darkTheme();

    fs::create_directories(kOutDir);
    const fs::path out = kOutDir / (shot.name() + ".png");
    const int w = shot.portrait ? 1080 : 1920, h = shot.portrait ? 1920 : 1080;
    ScreenApp app(model, catalog.value(), theme, shot.lang, kNow);
    RunQueue queue;
    ui::ShellOptions options;
    options.headless = true;
    options.width = w;
    options.height = h;
    options.frames = 2;
    options.screenshot = out.string();
    auto shell = ui::AppShell::create(options, queue);
    ASSERT_TRUE(shell) << shell.error().message;
    app.attach(*shell.value());
    if (shot.scene == "slide") {
        // The demo image the server ships, as a board would download it.
        std::ifstream in(assetsDir("") / "announcements" / "welcome.png", std::ios::binary);
        std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        auto tex = shell.value()->createTexture(bytes);
        ASSERT_TRUE(tex) << tex.error().message;
        app.addImage("welcome.png", tex.value());
        EXPECT_FALSE(shell.value()->createTexture({'n', 'o', 't'})) << "not an image: an error, not a crash";
    }
    ASSERT_EQ(shell.value()->run(app), 0);

    const auto actual = talon::test::loadPng(out);
    ASSERT_EQ(actual.width, w);
    ASSERT_EQ(actual.height, h);
    EXPECT_GT(talon::test::distinctColours(actual), 20u);
    const fs::path golden = kGoldenDir / (shot.name() + ".png");
    if (talon::test::compareWithGolden(out, golden, kOutDir / (shot.name() + "-diff.png")) ==
        talon::test::GoldenResult::Updated) {
        GTEST_SKIP() << "golden written: " << golden;
    }
}

INSTANTIATE_TEST_SUITE_P(Screens, DisplayScreensTest, ::testing::ValuesIn(shots()),
                         [](const ::testing::TestParamInfo<Shot>& info) {
                             std::string n = info.param.name();
                             for (char& c : n) {
                                 if (c == '-') c = '_';
                             }
                             return n;
                         });

}  // namespace
}  // namespace talon::display
