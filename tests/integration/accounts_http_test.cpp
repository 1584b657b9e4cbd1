// The account lookup through the real talon-server on accounts imported with
// `talon-server import-accounts`: the masked account (initials, no flat, serial's last four),
// unknown and malformed numbers with sentences in both languages, the per-kiosk rate limit
// (429 with Retry-After, another kiosk still served), and nothing identifying in any body.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../support/json_client.h"
#include "../support/server_process.h"
#include "talon/common/http_client.h"

namespace talon {
namespace {

using nlohmann::json;

const char* const kCsv =
    "account,holder,address,status,meter,tariff,whole_digits,decimal_digits,calibration_due,"
    "usual_kwh_per_day,last_read_on,last_1,last_2,last_3\n"
    "1000001,Иванов Пётр Сергеевич,\"г. Тула, ул. Ленина, д. 5, кв. 12\",active,SN77001234,"
    "day_night,6,1,2030-01-01,7.5,2026-10-20,12345.6,00321.0,\n"
    "1000001,Иванов Пётр Сергеевич,\"г. Тула, ул. Ленина, д. 5, кв. 12\",active,OLD0009876,"
    "single,5,0,2001-01-01,,,,,\n";

struct Answer {
    int status = 0;
    json body;
    std::string raw;
    std::string retryAfter;
};

class AccountsHttpTest : public ::testing::Test {
protected:
    void SetUp() override {
        const auto csv = m_dir.path() / "accounts.csv";
        std::ofstream(csv) << kCsv;
        const std::string command = "'" + test::serverBinary() + "' import-accounts '" + csv.string() + "' --db '" +
                                    (m_dir.path() / "talon.db").string() + "' >/dev/null 2>&1";
        const int status = std::system(command.c_str());
        ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << command;
        const std::string config = test::writeAuthConfig(
            m_dir.path(), "require_login = false\n[readings]\nlookups_per_minute = 5\n");
        m_server = std::make_unique<test::ServerProcess>(std::vector<std::string>{"--config", config},
                                                         m_dir.path() / "talon.db");
        ASSERT_TRUE(m_server->running());
    }
    /// GET the account as kiosk `kiosk` (none: by address) in `lang`.
    Answer lookup(const std::string& number, const std::string& kiosk, const std::string& lang = "en") {
        HttpClient http(m_server->url());
        HttpHeaders headers{{"Accept-Language", lang}};
        if (!kiosk.empty()) headers.push_back({"X-Talon-Kiosk", kiosk});
        auto r = http.get("/api/v1/accounts/" + number, headers);
        EXPECT_TRUE(r.ok());
        Answer a;
        if (!r.ok()) return a;
        a.status = r.value().status;
        a.raw = r.value().body;
        a.body = json::parse(a.raw, nullptr, false);
        for (const auto& [k, v] : r.value().headers) {
            if (k == "Retry-After" || k == "retry-after") a.retryAfter = v;
        }
        return a;
    }
    static void expectNothingIdentifying(const std::string& raw) {
        for (const char* secret : {"Иванов", "Пётр", "Сергеевич", "кв. 12", "SN77001234", "OLD0009876", "7700"}) {
            EXPECT_EQ(raw.find(secret), std::string::npos) << secret << " in " << raw;
        }
    }
    test::TempDir m_dir;
    std::unique_ptr<test::ServerProcess> m_server;
};

TEST_F(AccountsHttpTest, FoundAccountIsMasked) {
    Answer a = lookup("1000001", "k1");
    ASSERT_EQ(a.status, 200) << a.raw;
    EXPECT_EQ(a.body["account"], "1000001");
    EXPECT_EQ(a.body["holder"], "И. П. С.");
    EXPECT_EQ(a.body["address"], "г. Тула, ул. Ленина, д. 5");
    EXPECT_EQ(a.body["status"], "active");
    ASSERT_EQ(a.body["meters"].size(), 2u);
    const json& old = a.body["meters"][0];
    EXPECT_EQ(old["serial"], "…9876");
    EXPECT_EQ(old["tariff"], "single");
    EXPECT_EQ(old["calibration_due"], "2001-01-01");
    EXPECT_EQ(old["calibration_overdue"], true);
    EXPECT_EQ(old["zones"], json::parse(R"([{"zone": "total", "last": null, "read_on": null}])"));
    const json& dn = a.body["meters"][1];
    EXPECT_EQ(dn["serial"], "…1234");
    EXPECT_EQ(dn["tariff"], "day_night");
    EXPECT_EQ(dn["whole_digits"], 6);
    EXPECT_EQ(dn["decimal_digits"], 1);
    EXPECT_EQ(dn["calibration_due"], "2030-01-01");
    EXPECT_EQ(dn["calibration_overdue"], false);
    EXPECT_EQ(dn["zones"], json::parse(R"([{"zone": "day", "last": "12345.6", "read_on": "2026-10-20"},
                                           {"zone": "night", "last": "321.0", "read_on": "2026-10-20"}])"));
    expectNothingIdentifying(a.raw);
}

TEST_F(AccountsHttpTest, UnknownAccountTellsToCheckTheBill) {
    Answer en = lookup("1000002", "k1");
    EXPECT_EQ(en.status, 404);
    EXPECT_EQ(en.body["error"]["code"], "unknown_account");
    EXPECT_NE(en.body["error"]["message"].get<std::string>().find("bill"), std::string::npos) << en.raw;
    Answer ru = lookup("1000002", "k1", "ru");
    EXPECT_EQ(ru.status, 404);
    EXPECT_NE(ru.body["error"]["message"].get<std::string>().find("квитанции"), std::string::npos) << ru.raw;
}

TEST_F(AccountsHttpTest, MalformedNumbersAreBadRequests) {
    int kiosk = 0;  // a kiosk each, so the limit does not get in the way
    for (const std::string& bad : {std::string("10000a1"), std::string("12345"), std::string(21, '1'),
                                   std::string(4000, '9'), std::string("%20100000"), std::string("-100000")}) {
        Answer a = lookup(bad, "bad" + std::to_string(++kiosk));
        EXPECT_EQ(a.status, 400) << bad.substr(0, 30) << ": " << a.raw;
        EXPECT_EQ(a.body["error"]["code"], "bad_request");
        EXPECT_NE(a.body["error"]["message"].get<std::string>().find("6 to 20 digits"), std::string::npos) << a.raw;
    }
}

TEST_F(AccountsHttpTest, RateLimitedPerKiosk) {
    for (int i = 0; i < 5; ++i) {
        Answer a = lookup(std::to_string(2000000 + i), "hall-1");  // walking through numbers
        EXPECT_EQ(a.status, 404) << a.raw;
    }
    Answer refused = lookup("1000001", "hall-1");
    EXPECT_EQ(refused.status, 429) << refused.raw;
    EXPECT_EQ(refused.body["error"]["code"], "too_many_lookups");
    EXPECT_NE(refused.body["error"]["message"].get<std::string>().find("staff"), std::string::npos);
    ASSERT_FALSE(refused.retryAfter.empty());
    EXPECT_GE(std::stoi(refused.retryAfter), 1);
    EXPECT_LE(std::stoi(refused.retryAfter), 60);
    expectNothingIdentifying(refused.raw);
    Answer ru = lookup("1000001", "hall-1", "ru");
    EXPECT_EQ(ru.status, 429);
    EXPECT_NE(ru.body["error"]["message"].get<std::string>().find("сотруднику"), std::string::npos);

    EXPECT_EQ(lookup("1000001", "hall-2").status, 200);  // another kiosk is still served
    // Without the kiosk header the address counts: 127.0.0.1 has its own allowance.
    EXPECT_EQ(lookup("1000001", "").status, 200);
}

}  // namespace
}  // namespace talon
