// Kiosk config: every key read, every bad value an error naming the key, never a crash.
#include "talon/kiosk/kiosk_config.h"
#include "talon/common/paths.h"

#include <gtest/gtest.h>

namespace talon::kiosk {
namespace {

TEST(KioskConfigTest, EmptyFileGivesDefaults) {
    auto cfg = parseKioskConfig("", "k.toml");
    ASSERT_TRUE(cfg) << cfg.error().message;
    EXPECT_EQ(cfg.value().printer.target, "none");
    EXPECT_EQ(cfg.value().settings.defaultLanguage, "ru");
    EXPECT_TRUE(cfg.value().settings.adminPin.empty());
    EXPECT_EQ(cfg.value().settings.serverUrl, "http://127.0.0.1:8080");
}

TEST(KioskConfigTest, ReadsEveryKey) {
    auto cfg = parseKioskConfig(R"(
[kiosk]
id = "hall-2"
server = "http://10.0.0.5:8080"
languages = ["en", "ru"]
default_language = "ru"
idle_timeout_seconds = 45
ask_priority = false
admin_pin = "4821"
screen_diagonal_inches = 21.5
[printer]
target = "tcp://10.0.0.9:9100"
code_page = 59
paper_mm = 58
)", "k.toml");
    ASSERT_TRUE(cfg) << cfg.error().message;
    const auto& c = cfg.value();
    EXPECT_EQ(c.id, "hall-2");
    EXPECT_EQ(c.server, "http://10.0.0.5:8080");
    EXPECT_EQ(c.settings.serverUrl, "http://10.0.0.5:8080");
    EXPECT_EQ(c.settings.languages, (std::vector<std::string>{"en", "ru"}));
    EXPECT_EQ(c.settings.defaultLanguage, "ru");
    EXPECT_EQ(c.settings.idleTimeout, std::chrono::seconds(45));
    EXPECT_FALSE(c.settings.askPriority);
    EXPECT_EQ(c.settings.adminPin, "4821");
    EXPECT_DOUBLE_EQ(c.screenDiagonalInches, 21.5);
    EXPECT_EQ(c.printer.target, "tcp://10.0.0.9:9100");
    EXPECT_EQ(c.printer.codePage, 59);
    EXPECT_EQ(c.printer.paperMm, 58);
}

struct BadCase {
    const char* toml;
    const char* mentions;
};

class KioskConfigBadTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(KioskConfigBadTest, IsAnErrorNamingTheKey) {
    auto cfg = parseKioskConfig(GetParam().toml, "k.toml");
    ASSERT_FALSE(cfg);
    EXPECT_NE(cfg.error().message.find(GetParam().mentions), std::string::npos) << cfg.error().message;
    EXPECT_EQ(cfg.error().message.rfind("k.toml: ", 0), 0u) << cfg.error().message;
}

INSTANTIATE_TEST_SUITE_P(Cases, KioskConfigBadTest,
                         ::testing::Values(BadCase{"[kiosk\n", "line 1"},
                                           BadCase{"[kiosk]\nid = \"a b\"", "kiosk.id"},
                                           BadCase{"[kiosk]\nid = 5", "kiosk.id"},
                                           BadCase{"[kiosk]\nserver = \"10.0.0.5\"", "kiosk.server"},
                                           BadCase{"[kiosk]\nlanguages = []", "kiosk.languages"},
                                           BadCase{"[kiosk]\nlanguages = [\"russian\"]", "kiosk.languages"},
                                           BadCase{"[kiosk]\nlanguages = \"ru\"", "kiosk.languages"},
                                           BadCase{"[kiosk]\ndefault_language = \"de\"", "kiosk.default_language"},
                                           BadCase{"[kiosk]\nidle_timeout_seconds = 2", "idle_timeout_seconds"},
                                           BadCase{"[kiosk]\nidle_timeout_seconds = \"60\"", "idle_timeout_seconds"},
                                           BadCase{"[kiosk]\nask_priority = \"yes\"", "ask_priority"},
                                           BadCase{"[kiosk]\nask_priority = 1", "ask_priority"},
                                           BadCase{"[kiosk]\nadmin_pin = \"12\"", "admin_pin"},
                                           BadCase{"[kiosk]\nadmin_pin = \"12ab\"", "admin_pin"},
                                           BadCase{"[kiosk]\nadmin_pin = 4821", "admin_pin"},
                                           BadCase{"[kiosk]\nscreen_diagonal_inches = 0", "screen_diagonal"},
                                           BadCase{"[printer]\ncode_page = 300", "printer.code_page"},
                                           BadCase{"[printer]\npaper_mm = 76", "printer.paper_mm"},
                                           BadCase{"[printer]\ntarget = 9100", "printer.target"},
                                           BadCase{"[kiosks]\n", "unknown section"},
                                           BadCase{"[kiosk]\nadmin-pin = \"4821\"", "unknown key kiosk.admin-pin"},
                                           BadCase{"[printer]\ncodepage = 17", "unknown key printer.codepage"},
                                           BadCase{"[printer]\ncharset = \"CP 866\"", "printer.charset"},
                                           BadCase{"[kiosk]\nserver = \"http://\"", "kiosk.server"},
                                           BadCase{"[kiosk]\nadmin_pin = \"１２３４\"", "admin_pin"},
                                           BadCase{"kiosk = 5\n", "[kiosk] must be a table"},
                                           BadCase{"[kiosk]\noutbox = 5", "kiosk.outbox"},
                                           BadCase{"[kiosk]\noutbox = \"a\\u0000b\"", "kiosk.outbox"},
                                           BadCase{"[readings]\nenabled = 1", "readings.enabled"},
                                           BadCase{"[readings]\nmeter_service = \"\"", "readings.meter_service"},
                                           BadCase{"[readings]\nmeter_service = \"B C\"", "readings.meter_service"},
                                           BadCase{"[readings]\nservice = \"B\"", "unknown key readings.service"},
                                           BadCase{"readings = true\n", "[readings] must be a table"},
                                           BadCase{"[appeals]\nenabled = \"yes\"", "appeals.enabled"},
                                           BadCase{"[appeals]\ncategories = []", "appeals.categories"},
                                           BadCase{"[appeals]\ncategories = \"billing\"", "appeals.categories"},
                                           BadCase{"[appeals]\ncategories = [\"Billing\"]", "appeals.categories"},
                                           BadCase{"[appeals]\ncategories = [1, 2]", "appeals.categories"},
                                           BadCase{"[appeals]\ncategories = [\"<script>\"]", "appeals.categories"},
                                           BadCase{"[appeals]\ncategories = [\"a\", \"a\"]", "twice"},
                                           BadCase{"[appeals]\ncategories = [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\", "
                                                   "\"g\", \"h\", \"i\", \"j\", \"k\", \"l\", \"m\"]",
                                                   "at most 12"},
                                           BadCase{"[appeals]\nurgent = true", "unknown key appeals.urgent"}));

TEST(KioskConfigTest, ReadsTheReadingsSection) {
    auto defaults = parseKioskConfig("", "k.toml");
    ASSERT_TRUE(defaults);
    EXPECT_TRUE(defaults.value().settings.readings);
    EXPECT_EQ(defaults.value().settings.meterService, "B");
    auto cfg = parseKioskConfig("[readings]\nenabled = false\nmeter_service = \"M\"\n", "k.toml");
    ASSERT_TRUE(cfg) << cfg.error().message;
    EXPECT_FALSE(cfg.value().settings.readings);
    EXPECT_EQ(cfg.value().settings.meterService, "M");
}

TEST(KioskConfigTest, ReadsTheAppealsSection) {
    auto defaults = parseKioskConfig("", "k.toml");
    ASSERT_TRUE(defaults);
    EXPECT_TRUE(defaults.value().settings.appeals);
    EXPECT_EQ(defaults.value().settings.appealCategories.size(), 7u);
    auto cfg = parseKioskConfig("[appeals]\nenabled = false\ncategories = [\"billing\", \"water_2\"]\n", "k.toml");
    ASSERT_TRUE(cfg) << cfg.error().message;
    EXPECT_FALSE(cfg.value().settings.appeals);
    EXPECT_EQ(cfg.value().settings.appealCategories, (std::vector<std::string>{"billing", "water_2"}));
}

TEST(KioskConfigTest, MissingFileIsAnError) {
    auto cfg = loadKioskConfigFile("/nonexistent/kiosk.toml");
    ASSERT_FALSE(cfg);
    EXPECT_NE(cfg.error().message.find("/nonexistent/kiosk.toml"), std::string::npos);
}

TEST(KioskConfigTest, OutboxFileDefaultsToTheStateDirectory) {
    // The environment decides, in this order: systemd's state directory, XDG, the home folder.
    struct Env {
        const char* state;
        const char* xdg;
        const char* home;
        const char* expected;
    };
    const Env cases[] = {
        {"/var/lib/talon-kiosk:/var/lib/other", "/x", "/home/k", "/var/lib/talon-kiosk/kiosk-outbox.sqlite"},
        {nullptr, "/home/k/.state", "/home/k", "/home/k/.state/talon/kiosk-outbox.sqlite"},
        {nullptr, nullptr, "/home/k", "/home/k/.local/state/talon/kiosk-outbox.sqlite"},
        {nullptr, "relative", "/home/k", "/home/k/.local/state/talon/kiosk-outbox.sqlite"},
        {nullptr, nullptr, nullptr, "talon-kiosk-outbox.sqlite"},
    };
    const char* names[] = {"STATE_DIRECTORY", "XDG_STATE_HOME", "HOME"};
    std::string saved[3];
    bool had[3];
    for (int i = 0; i < 3; ++i) {
        const char* v = std::getenv(names[i]);
        had[i] = v != nullptr;
        if (v) saved[i] = v;
    }
    for (const Env& e : cases) {
        const char* values[] = {e.state, e.xdg, e.home};
        for (int i = 0; i < 3; ++i) {
            if (values[i]) setenv(names[i], values[i], 1);
            else unsetenv(names[i]);
        }
        auto cfg = parseKioskConfig("", "k.toml");
        ASSERT_TRUE(cfg) << cfg.error().message;
        EXPECT_EQ(cfg.value().outboxFile, std::filesystem::path(e.expected));
        auto blank = parseKioskConfig("[kiosk]\noutbox = \"\"", "k.toml");
        ASSERT_TRUE(blank) << blank.error().message;
        EXPECT_EQ(blank.value().outboxFile, std::filesystem::path(e.expected));
    }
    for (int i = 0; i < 3; ++i) {
        if (had[i]) setenv(names[i], saved[i].c_str(), 1);
        else unsetenv(names[i]);
    }
}

TEST(KioskConfigTest, ReadsTheOutboxFile) {
    auto cfg = parseKioskConfig("[kiosk]\noutbox = \"/var/lib/talon/kiosk-outbox.sqlite\"", "k.toml");
    ASSERT_TRUE(cfg) << cfg.error().message;
    EXPECT_EQ(cfg.value().outboxFile, std::filesystem::path("/var/lib/talon/kiosk-outbox.sqlite"));
}

TEST(KioskConfigTest, TheExampleFileParsesWithTheDefaultOutbox) {
    const auto example = assetsDir() / "config" / "talon-kiosk.example.toml";
    auto cfg = loadKioskConfigFile(example.string());
    ASSERT_TRUE(cfg) << cfg.error().message;
    EXPECT_EQ(cfg.value().outboxFile, defaultOutboxFile());
}

TEST(KioskConfigTest, PixelsPerMillimetre) {
    // A 32-inch portrait kiosk: 2203 px across 812.8 mm.
    EXPECT_NEAR(pixelsPerMm(1080, 1920, 32), 2.71, 0.01);
    EXPECT_NEAR(pixelsPerMm(1920, 1080, 21.5), 4.03, 0.01);
}

}  // namespace
}  // namespace talon::kiosk
