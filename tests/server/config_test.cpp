// Config parsing: the shipped example, overrides, and every kind of bad file named clearly.
#include "talon/server/config.h"

#include <gtest/gtest.h>

#include "../support/test_names.h"
#include "talon/common/paths.h"

namespace talon::server {
namespace {

TEST(ConfigTest, ShippedExampleEqualsDemo) {
    auto cfg = loadConfigFile((assetsDir() / "config" / "talon-server.example.toml").string());
    ASSERT_TRUE(cfg.ok()) << cfg.error().message;
    const ServerConfig demo = demoConfig();
    ASSERT_EQ(cfg.value().services.size(), demo.services.size());
    for (size_t i = 0; i < demo.services.size(); ++i) {
        EXPECT_EQ(cfg.value().services[i].letter, demo.services[i].letter);
        EXPECT_EQ(cfg.value().services[i].names, demo.services[i].names);
        EXPECT_EQ(cfg.value().services[i].targetWaitMinutes, demo.services[i].targetWaitMinutes);
        EXPECT_DOUBLE_EQ(cfg.value().services[i].serviceMinutes, demo.services[i].serviceMinutes);
    }
    ASSERT_EQ(cfg.value().windows.size(), demo.windows.size());
    for (size_t i = 0; i < demo.windows.size(); ++i) {
        ASSERT_EQ(cfg.value().windows[i].services.size(), demo.windows[i].services.size()) << i;
        for (size_t j = 0; j < demo.windows[i].services.size(); ++j) {
            EXPECT_EQ(cfg.value().windows[i].services[j].service, demo.windows[i].services[j].service);
            EXPECT_DOUBLE_EQ(cfg.value().windows[i].services[j].weight, demo.windows[i].services[j].weight);
        }
    }
    EXPECT_EQ(cfg.value().host, "127.0.0.1");
    EXPECT_EQ(cfg.value().port, 8080);
}

TEST(ConfigTest, MinimalFileRunsOnDemoQueue) {
    auto cfg = parseConfig("[server]\nlisten = \"0.0.0.0:9000\"\ndatabase = \"x.db\"\n", "t.toml");
    ASSERT_TRUE(cfg.ok()) << cfg.error().message;
    EXPECT_EQ(cfg.value().host, "0.0.0.0");
    EXPECT_EQ(cfg.value().port, 9000);
    EXPECT_EQ(cfg.value().database, "x.db");
    EXPECT_EQ(cfg.value().services.size(), 6u);
    EXPECT_EQ(cfg.value().fonts, "/usr/share/fonts/truetype/dejavu");  // Debian's fonts-dejavu-core
    auto fonts = parseConfig("[server]\nfonts = \"/opt/fonts\"\n", "t.toml");
    ASSERT_TRUE(fonts.ok()) << fonts.error().message;
    EXPECT_EQ(fonts.value().fonts, "/opt/fonts");
}

TEST(ConfigTest, DayQueueAndHours) {
    auto cfg = parseConfig(R"(
[day]
timezone = "Europe/Kyiv"
starts_at = "05:30"
carry_over = true
holidays = ["2027-01-01"]
[queue]
max_recalls = 1
no_show_after_minutes = 3
[[services]]
letter = "A"
names = { ru = "Оплата" }
service_minutes = 3.5
hours = "08:00-17:30"
days = ["mon", "fri"]
[[windows]]
number = 1
services = ["A"]
breaks = ["12:00-12:45", "15:30-15:40"]
)", "t.toml");
    ASSERT_TRUE(cfg.ok()) << cfg.error().message;
    const auto& c = cfg.value();
    EXPECT_EQ(c.day.timezone, "Europe/Kyiv");
    EXPECT_EQ(c.day.startMinute, 5 * 60 + 30);
    EXPECT_TRUE(c.day.carryOver);
    EXPECT_EQ(c.day.holidays, std::vector<std::string>{"2027-01-01"});
    EXPECT_EQ(c.queue.maxRecalls, 1);
    EXPECT_EQ(c.queue.noShowAfterMinutes, 3);
    EXPECT_DOUBLE_EQ(c.services[0].serviceMinutes, 3.5);
    EXPECT_EQ(c.services[0].hours.openMinute, 8 * 60);
    EXPECT_EQ(c.services[0].hours.closeMinute, 17 * 60 + 30);
    EXPECT_EQ(c.services[0].hours.days, 0b10001);
    ASSERT_EQ(c.windows[0].breaks.size(), 2u);
    EXPECT_EQ(c.windows[0].breaks[1].startMinute, 15 * 60 + 30);
    EXPECT_EQ(c.windows[0].breaks[1].endMinute, 15 * 60 + 40);
}

TEST(ConfigTest, ListenOverride) {
    ServerConfig cfg;
    ASSERT_TRUE(applyListen(cfg, "10.0.0.5:0").ok());
    EXPECT_EQ(cfg.host, "10.0.0.5");
    EXPECT_EQ(cfg.port, 0);
    EXPECT_FALSE(applyListen(cfg, "8080").ok());
    EXPECT_FALSE(applyListen(cfg, "host:99999").ok());
    EXPECT_FALSE(applyListen(cfg, "host:80x").ok());
}

struct BadConfig {
    const char* text;
    const char* mention;  // the message must name what is wrong
};

class ConfigBadTest : public ::testing::TestWithParam<BadConfig> {};

TEST_P(ConfigBadTest, ClearErrorNamingTheProblem) {
    auto cfg = parseConfig(GetParam().text, "office.toml");
    ASSERT_FALSE(cfg.ok());
    EXPECT_NE(cfg.error().message.find("office.toml"), std::string::npos) << cfg.error().message;
    EXPECT_NE(cfg.error().message.find(GetParam().mention), std::string::npos) << cfg.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Files, ConfigBadTest,
    ::testing::Values(
        BadConfig{"[server\nlisten=1", "line"},
        BadConfig{"[server]\nlisten = 8080\n", "server.listen"},
        BadConfig{"[server]\nthreads = 1\n", "server.threads"},
        BadConfig{"[auth]\nrequire_login = 1\n", "auth.require_login"},
        BadConfig{"[day]\ncarry_over = 0\n", "day.carry_over"},
        BadConfig{"[server]\nfonts = 3\n", "server.fonts"},
        BadConfig{"[[services]]\nletter = \"a\"\nnames = {ru=\"x\"}\n[[windows]]\nnumber=1\nservices=[\"a\"]\n", "letter"},
        BadConfig{"[[services]]\nletter = \"A\"\n[[windows]]\nnumber=1\nservices=[\"A\"]\n", "names"},
        BadConfig{"[[services]]\nletter = \"A\"\nnames = {ru=\"x\"}\n[[windows]]\nnumber=1\nservices=[\"Z\"]\n", "\"Z\""},
        BadConfig{"[[services]]\nletter = \"A\"\nnames = {ru=\"x\"}\n[[services]]\nletter = \"A\"\nnames = {ru=\"y\"}\n"
                  "[[windows]]\nnumber=1\nservices=[\"A\"]\n", "twice"},
        BadConfig{"[[services]]\nletter = \"A\"\nnames = {ru=\"x\"}\n[[windows]]\nnumber=0\nservices=[\"A\"]\n", "number"},
        BadConfig{"[[services]]\nletter = \"A\"\nnames = {ru=\"x\"}\n[[windows]]\nnumber=1\nservices=[\"A\"]\n"
                  "weights = {A = -1}\n", "weights.A"},
        BadConfig{"[[services]]\nletter = \"A\"\nnames = {ru=\"x\"}\n", "windows"},
        BadConfig{"[day]\nstarts_at = \"25:00\"\n", "day.starts_at"},
        BadConfig{"[[services]]\nletter = \"A\"\nnames = {ru=\"x\"}\n[[windows]]\nnumber=1\nservices=[\"A\"]\nbreaks = [\"13:00-12:00\"]\n", "breaks"},
        BadConfig{"[day]\nholidays = [\"tomorrow\"]\n", "day.holidays"},
        BadConfig{"[queue]\nmax_recalls = -1\n", "queue.max_recalls"},
        BadConfig{"[readings]\nlookups_per_minute = 0\n", "readings.lookups_per_minute"},
        BadConfig{"[readings]\nlookups_per_minut = 5\n", "readings.lookups_per_minut"},
        BadConfig{"[readings]\nlookups_per_minute_per_address = 0\n", "readings.lookups_per_minute_per_address"},
        BadConfig{"[readings]\nwindow_first_day = 0\n", "readings.window_first_day"},
        BadConfig{"[readings]\nwindow_last_day = 32\n", "readings.window_last_day"},
        BadConfig{"[readings]\nwindow_last_day = 2.5\n", "readings.window_last_day"},
        BadConfig{"[readings]\nwindow_first_day = 20\nwindow_last_day = 10\n", "must not be after"},
        BadConfig{"[readings]\nimplausible_factor = 1\n", "readings.implausible_factor"},
        BadConfig{"[readings]\nimplausible_factor = 100.5\n", "readings.implausible_factor"},
        BadConfig{"[readings]\nimplausible_factor = \"3\"\n", "readings.implausible_factor"},
        BadConfig{"[[services]]\nletter = \"A\"\nnames = {ru=\"x\"}\nhours = \"18:00-08:00\"\n[[windows]]\nnumber=1\nservices=[\"A\"]\n", "hours"},
        BadConfig{"[[services]]\nletter = \"A\"\nnames = {ru=\"x\"}\ndays = [\"funday\"]\n[[windows]]\nnumber=1\nservices=[\"A\"]\n", "days"}),
    [](const auto& info) { return "mentions_" + test::testName(info.param.mention) + "_" + std::to_string(info.index); });

TEST(ConfigTest, ReadingsLookupLimit) {
    auto plain = parseConfig("", "t.toml");
    ASSERT_TRUE(plain.ok());
    EXPECT_EQ(plain.value().readings.lookupsPerMinute, 20);
    auto cfg = parseConfig("[readings]\nlookups_per_minute = 5\n", "t.toml");
    ASSERT_TRUE(cfg.ok()) << cfg.error().message;
    EXPECT_EQ(cfg.value().readings.lookupsPerMinute, 5);
}

TEST(ConfigTest, ReadingsRulesAndAddressLimit) {
    auto plain = parseConfig("", "t.toml");
    ASSERT_TRUE(plain.ok());
    EXPECT_EQ(plain.value().readings.lookupsPerMinutePerAddress, 120);
    EXPECT_EQ(plain.value().readings.windowFirstDay, 15);
    EXPECT_EQ(plain.value().readings.windowLastDay, 25);
    EXPECT_DOUBLE_EQ(plain.value().readings.implausibleFactor, 3.0);
    auto cfg = parseConfig(
        "[readings]\nlookups_per_minute_per_address = 40\nwindow_first_day = 1\nwindow_last_day = 1\n"
        "implausible_factor = 5\n",
        "t.toml");
    ASSERT_TRUE(cfg.ok()) << cfg.error().message;
    EXPECT_EQ(cfg.value().readings.lookupsPerMinutePerAddress, 40);
    EXPECT_EQ(cfg.value().readings.windowFirstDay, 1);
    EXPECT_EQ(cfg.value().readings.windowLastDay, 1);
    EXPECT_DOUBLE_EQ(cfg.value().readings.implausibleFactor, 5.0);
}

TEST(ConfigTest, MissingFileIsAnError) {
    auto cfg = loadConfigFile("/nonexistent/talon.toml");
    ASSERT_FALSE(cfg.ok());
    EXPECT_NE(cfg.error().message.find("/nonexistent/talon.toml"), std::string::npos);
}

}  // namespace
}  // namespace talon::server
