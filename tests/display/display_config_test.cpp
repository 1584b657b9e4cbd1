// Board config: every key read, every bad value an error naming the key, never a crash.
#include "talon/display/display_config.h"

#include <gtest/gtest.h>

namespace talon::display {
namespace {

TEST(DisplayConfigTest, EmptyFileGivesDefaults) {
    auto cfg = parseDisplayConfig("", "b.toml");
    ASSERT_TRUE(cfg) << cfg.error().message;
    EXPECT_EQ(cfg.value().speech, std::vector<std::string>{"ru"});
    EXPECT_TRUE(cfg.value().sound);
    EXPECT_EQ(cfg.value().theme.name, "dark");
    EXPECT_TRUE(cfg.value().board.services.empty());
}

TEST(DisplayConfigTest, ReadsEveryKey) {
    auto cfg = parseDisplayConfig(R"(
[display]
server = "http://10.0.0.5:8080"
language = "en"
speech = ["ru", "en"]
sound = false
services = ["A", "B"]
windows = [1, 2, 3]
flash_seconds = 8
calm_seconds = 60
slide_seconds = 15
[theme]
name = "light"
accent = "#112233"
highlight = "#aabbccdd"
)", "b.toml");
    ASSERT_TRUE(cfg) << cfg.error().message;
    const auto& c = cfg.value();
    EXPECT_EQ(c.server, "http://10.0.0.5:8080");
    EXPECT_EQ(c.language, "en");
    EXPECT_EQ(c.speech, (std::vector<std::string>{"ru", "en"}));
    EXPECT_FALSE(c.sound);
    EXPECT_EQ(c.board.services, (std::set<std::string>{"A", "B"}));
    EXPECT_EQ(c.board.windows, (std::set<int>{1, 2, 3}));
    EXPECT_EQ(c.board.flashDuration, std::chrono::seconds(8));
    EXPECT_EQ(c.board.calmAfter, std::chrono::seconds(60));
    EXPECT_EQ(c.board.slideSeconds, std::chrono::seconds(15));
    EXPECT_EQ(c.theme.name, "light");
    EXPECT_EQ(c.theme.background, lightTheme().background);
    EXPECT_EQ(c.theme.accent, (Rgba{0x11, 0x22, 0x33, 255}));
    EXPECT_EQ(c.theme.highlight, (Rgba{0xaa, 0xbb, 0xcc, 0xdd}));
}

struct BadCase {
    const char* toml;
    const char* mentions;
};
class DisplayConfigBadTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(DisplayConfigBadTest, IsAnErrorNamingTheKey) {
    auto cfg = parseDisplayConfig(GetParam().toml, "b.toml");
    ASSERT_FALSE(cfg);
    EXPECT_NE(cfg.error().message.find(GetParam().mentions), std::string::npos) << cfg.error().message;
    EXPECT_EQ(cfg.error().message.rfind("b.toml: ", 0), 0u);
}

INSTANTIATE_TEST_SUITE_P(Cases, DisplayConfigBadTest,
                         ::testing::Values(BadCase{"[display", "line 1"},
                                           BadCase{"[displays]", "unknown section"},
                                           BadCase{"display = 1", "[display] must be a table"},
                                           BadCase{"[display]\nfoo = 1", "unknown key display.foo"},
                                           BadCase{"[display]\nserver = \"ftp://x\"", "display.server"},
                                           BadCase{"[display]\nlanguage = \"russian\"", "display.language"},
                                           BadCase{"[display]\nspeech = \"ru\"", "display.speech"},
                                           BadCase{"[display]\nspeech = [\"ru\", 5]", "display.speech"},
                                           BadCase{"[display]\nspeech = [\"ru\",\"en\",\"uk\",\"kk\"]", "at most 3"},
                                           BadCase{"[display]\nsound = \"yes\"", "display.sound"},
                                           BadCase{"[display]\nsound = 1", "display.sound"},
                                           BadCase{"[display]\nservices = [\"a\"]", "display.services"},
                                           BadCase{"[display]\nservices = \"A\"", "display.services"},
                                           BadCase{"[display]\nwindows = [0]", "display.windows"},
                                           BadCase{"[display]\nwindows = [\"1\"]", "display.windows"},
                                           BadCase{"[display]\nflash_seconds = 0", "display.flash_seconds"},
                                           BadCase{"[display]\ncalm_seconds = 1.5", "display.calm_seconds"},
                                           BadCase{"[theme]\nname = \"neon\"", "theme.name"},
                                           BadCase{"[theme]\naccent = \"blue\"", "theme.accent"},
                                           BadCase{"[theme]\ntext = \"#12345\"", "theme.text"},
                                           BadCase{"[theme]\nglow = \"#123456\"", "unknown key theme.glow"}));

TEST(DisplayConfigTest, Colours) {
    EXPECT_EQ(parseColour("#0b1a33"), (Rgba{0x0b, 0x1a, 0x33, 255}));
    EXPECT_FALSE(parseColour("0b1a33"));
    EXPECT_FALSE(parseColour("#0g1a33"));
    EXPECT_FALSE(parseColour(""));
}

TEST(DisplayConfigTest, MissingFileIsAnError) {
    auto cfg = loadDisplayConfigFile("/nonexistent/board.toml");
    ASSERT_FALSE(cfg);
    EXPECT_NE(cfg.error().message.find("/nonexistent/board.toml"), std::string::npos);
}

}  // namespace
}  // namespace talon::display
