// Meter reading submissions through the real talon-server on accounts imported with
// `talon-server import-accounts`: acceptance with a confirmation number, the repeated key
// (also after a restart) and its conflicts, every error code in English and Russian with
// nothing stored, the export as JSON and CSV (administrators only with logins) and the
// `export-readings` command giving the same CSV, and the address-wide lookup cap that cycling
// X-Talon-Kiosk names does not get round; deferred deliveries kept for review (and the review
// column of the export), a kiosk clock running fast, the replay of a key whatever "deferred"
// says, submissions counted against the same limits as lookups, and the meter found by its
// masked serial after an import moved it.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "../support/json_client.h"
#include "../support/server_process.h"
#include "../support/test_names.h"
#include "talon/common/http_client.h"

namespace talon {
namespace {

using nlohmann::json;
using namespace std::chrono;

/// A UTC date YYYY-MM-DD, `offset` days from today (the servers here run on UTC).
std::string utcDay(int offset = 0) {
    const year_month_day d{floor<days>(system_clock::now()) + days{offset}};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                  static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
    return buf;
}

/// ISO UTC time `offset` from now, without milliseconds (as a kiosk may send it).
std::string utcTime(seconds offset) {
    const auto t = floor<seconds>(system_clock::now()) + offset;
    const auto day = floor<days>(t);
    const year_month_day d{day};
    const hh_mm_ss hms{t - day};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(d.year()),
                  static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()));
    return buf;
}

std::string accountsCsv() {
    const std::string head =
        "account,holder,address,status,meter,tariff,whole_digits,decimal_digits,calibration_due,"
        "usual_kwh_per_day,last_read_on,last_1,last_2,last_3\n";
    const std::string ivanov =
        "1000001,Иванов Пётр Сергеевич,\"г. Тула, ул. Ленина, д. 5, кв. 12\",active,";
    return head + ivanov + "SN77001234,day_night,6,1,2030-01-01,7.5," + utcDay(-40) +
           ",12345.6,00321.0,\n" + ivanov + "OLD0009876,single,5,0,2001-01-01,,,,,\n" +
           "2000002,Smith John,\"12 Baker St, apt 4\",closed,XY55550000,single,5,0,,,,,,\n" +
           "4000004,Сидорова Анна,\"ул. Мира, д. 2\",active,UU00000004,single,6,0,,1," +
           utcDay(-10) + ",100,,\n";
}

struct Post {
    int status = 0;
    json body;
    std::string raw;
    std::string replayed;
};

class ReadingsHttpTest : public ::testing::Test {
protected:
    void SetUp() override {
        const auto csv = m_dir.path() / "accounts.csv";
        std::ofstream(csv) << accountsCsv();
        ASSERT_EQ(run("import-accounts '" + csv.string() + "'"), 0);
        start();
    }
    void start(const std::string& readings =
                   "lookups_per_minute = 5\nlookups_per_minute_per_address = 12\n") {
        const std::string config = test::writeAuthConfig(
            m_dir.path(),
            "require_login = false\n[day]\ntimezone = \"Etc/UTC\"\n[readings]\n" + readings);
        m_server = std::make_unique<test::ServerProcess>(
            std::vector<std::string>{"--config", config}, db());
        ASSERT_TRUE(m_server->running());
    }
    std::filesystem::path db() const { return m_dir.path() / "talon.db"; }
    /// Runs `talon-server ARGS --db DB`, standard output to `out` (if given); the exit code.
    int run(const std::string& args, const std::string& out = "/dev/null",
            const std::string& err = "/dev/null") {
        const std::string command = "'" + test::serverBinary() + "' " + args + " --db '" +
                                    db().string() + "' >'" + out + "' 2>'" + err + "'";
        const int status = std::system(command.c_str());
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    /// POST /api/v1/readings with `key` (none when empty) as kiosk `kiosk`, in `lang`.
    Post submit(const std::string& body, const std::string& key, const std::string& lang = "en",
                const std::string& kiosk = "hall-1") {
        HttpClient http(m_server->url());
        HttpHeaders headers{{"Accept-Language", lang}, {"Content-Type", "application/json"}};
        if (!key.empty()) headers.push_back({"Idempotency-Key", key});
        if (!kiosk.empty()) headers.push_back({"X-Talon-Kiosk", kiosk});
        auto r = http.post("/api/v1/readings", body, headers);
        EXPECT_TRUE(r.ok());
        Post p;
        if (!r.ok()) return p;
        p.status = r.value().status;
        p.raw = r.value().body;
        p.body = json::parse(p.raw, nullptr, false);
        p.replayed = r.value().header("idempotent-replayed");
        return p;
    }
    Post submit(const json& body, const std::string& key, const std::string& lang = "en") {
        return submit(body.dump(), key, lang);
    }
    Result<HttpResponse> get(const std::string& path, const HttpHeaders& headers = {}) {
        return HttpClient(m_server->url()).get(path, headers);
    }
    std::string readFile(const std::filesystem::path& p) {
        std::ifstream in(p, std::ios::binary);
        return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    }

    test::TempDir m_dir;
    std::unique_ptr<test::ServerProcess> m_server;
};

// Meters are listed by full serial: OLD0009876 is meter 1, SN77001234 (day/night) meter 2.
const json kDayNight = {{"account", "1000001"},
                        {"meter", 2},
                        {"serial", "…1234"},
                        {"values", {{"day", "12400.5"}, {"night", "330"}}}};

TEST_F(ReadingsHttpTest, AcceptedOnceRepeatedKeyAnswersTheSameEvenAfterARestart) {
    json body = kDayNight;
    body["local_code"] = "K7F3-A9C2";
    Post first = submit(body, "kiosk-1-0001");
    ASSERT_EQ(first.status, 201) << first.raw;
    const json& r = first.body;
    EXPECT_TRUE(
        r["confirmation"].get<std::string>().starts_with("R-" + utcDay().substr(0, 4) + "-"))
        << r;
    EXPECT_EQ(r["confirmation"].get<std::string>().size(), 13u);
    EXPECT_EQ(r["account"], "1000001");
    EXPECT_EQ(r["meter"], 2);
    EXPECT_EQ(r["serial"], "…1234");
    EXPECT_EQ(r["period"], utcDay().substr(0, 7));
    EXPECT_EQ(r["taken_at"], r["accepted_at"]);
    EXPECT_TRUE(r["outside_window"].is_boolean());
    EXPECT_EQ(r["confirmed"], false);
    EXPECT_EQ(r["local_code"], "K7F3-A9C2");
    EXPECT_EQ(r["readings"], json::parse(R"([
        {"zone": "day", "value": "12400.5", "previous": "12345.6", "consumption": "54.9", "rollover": false,
         "review": false},
        {"zone": "night", "value": "330.0", "previous": "321.0", "consumption": "9.0", "rollover": false,
         "review": false}])"));
    EXPECT_EQ(r.size(), 11u) << r;
    EXPECT_TRUE(first.replayed.empty());

    Post again = submit(body, "kiosk-1-0001");
    EXPECT_EQ(again.status, 200);
    EXPECT_EQ(again.raw, first.raw);
    EXPECT_EQ(again.replayed, "true");

    m_server->kill();  // answered only once durable: a crash loses nothing
    ASSERT_TRUE(m_server->restart());
    Post afterRestart = submit(body, "kiosk-1-0001");
    EXPECT_EQ(afterRestart.status, 200);
    EXPECT_EQ(afterRestart.raw, first.raw);

    json other = body;
    other["values"]["day"] = "12400.6";
    Post conflict = submit(other, "kiosk-1-0001");
    EXPECT_EQ(conflict.status, 409) << conflict.raw;
    EXPECT_EQ(conflict.body["error"]["code"], "idempotency_conflict");

    // The lookup shows the new last readings, the meter done this month, and the rules.
    auto lookup = get("/api/v1/accounts/1000001", {{"X-Talon-Kiosk", "hall-1"}});
    ASSERT_TRUE(lookup.ok());
    const json account = json::parse(lookup.value().body);
    EXPECT_EQ(account["today"], utcDay());
    EXPECT_EQ(account["period"], utcDay().substr(0, 7));
    EXPECT_EQ(account["rules"], json::parse(R"({"implausible_factor": 3.0, "window_first_day": 15,
                                                "window_last_day": 25, "rollover_share": 0.1})"));
    const json& dn = account["meters"][1];
    EXPECT_EQ(dn["meter"], 2);
    EXPECT_EQ(dn["serial"], "…1234");
    EXPECT_EQ(dn["usual_kwh_per_day"], 7.5);
    EXPECT_EQ(dn["submitted_on"], utcDay());
    EXPECT_EQ(dn["zones"][0], json({{"zone", "day"}, {"last", "12400.5"}, {"read_on", utcDay()}}));
    const json& old = account["meters"][0];
    EXPECT_EQ(old["meter"], 1);
    EXPECT_EQ(old["usual_kwh_per_day"], nullptr);
    EXPECT_EQ(old["submitted_on"], nullptr);
    EXPECT_EQ(lookup.value().body.find("SN77001234"), std::string::npos);

    // A second submission for the month, in both languages.
    for (const char* lang : {"en", "ru"}) {
        Post dup = submit(kDayNight, std::string("dup-") + lang, lang);
        EXPECT_EQ(dup.status, 409) << dup.raw;
        const json& e = dup.body["error"];
        EXPECT_EQ(e["code"], "reading_already_submitted");
        EXPECT_EQ(e["zone"], "day");
        EXPECT_EQ(e["period"], utcDay().substr(0, 7));
        EXPECT_EQ(e["date"], utcDay());
        const std::string dotted =
            utcDay().substr(8, 2) + "." + utcDay().substr(5, 2) + "." + utcDay().substr(0, 4);
        EXPECT_NE(e["message"].get<std::string>().find(dotted), std::string::npos) << dup.raw;
        EXPECT_NE(e["message"].get<std::string>().find(std::string(lang) == "en" ? "ask at a window"
                                                                                 : "в окно"),
                  std::string::npos)
            << dup.raw;
    }

    // The other meter is its own; its confirmation number is the next one.
    Post second = submit(json{{"account", "1000001"}, {"meter", 1}, {"values", {{"total", "42"}}}},
                         "kiosk-1-0002");
    ASSERT_EQ(second.status, 201) << second.raw;
    const std::string c1 = first.body["confirmation"], c2 = second.body["confirmation"];
    EXPECT_EQ(std::stoi(c2.substr(7)), std::stoi(c1.substr(7)) + 1);
    EXPECT_EQ(second.body["readings"][0]["previous"], nullptr);
}

struct ErrorCase {
    const char* name;
    std::string body;  // raw JSON
    const char* key;   // Idempotency-Key; "" none
    int status;
    const char* code;
    const char* en;  // in the English message
    const char* ru;  // in the Russian message
    json fields;     // extra fields of the error object
};

std::string dn(const std::string& day, const std::string& night = "330",
               const std::string& extra = "") {
    return R"({"account": "1000001", "meter": 2, "values": {"day": ")" + day + R"(", "night": ")" +
           night + "\"}" + extra + "}";
}

class ReadingsErrorTest : public ReadingsHttpTest,
                          public ::testing::WithParamInterface<ErrorCase> {};

TEST_P(ReadingsErrorTest, TypedErrorInBothLanguagesAndNothingStored) {
    const ErrorCase& c = GetParam();
    for (const char* lang : {"en", "ru"}) {
        Post p = submit(c.body, c.key, lang);
        EXPECT_EQ(p.status, c.status) << lang << ": " << p.raw;
        ASSERT_TRUE(p.body.is_object() && p.body.contains("error")) << p.raw;
        const json& e = p.body["error"];
        EXPECT_EQ(e["code"], c.code) << p.raw;
        const std::string message = e["message"];
        EXPECT_NE(message.find(std::string(lang) == "en" ? c.en : c.ru), std::string::npos)
            << lang << ": " << message;
        EXPECT_EQ(message.find("error."), std::string::npos) << message;  // no untranslated key
        EXPECT_FALSE(std::regex_search(message, std::regex(R"(\{[a-z_]+\})")))
            << message;  // no placeholder left
        for (const auto& [k, v] : c.fields.items()) EXPECT_EQ(e[k], v) << k << " in " << p.raw;
    }
    auto exported = get("/api/v1/readings?from=" + utcDay(-30) + "&to=" + utcDay());
    ASSERT_TRUE(exported.ok());
    EXPECT_EQ(json::parse(exported.value().body)["readings"], json::array())
        << c.name << ": " << exported.value().body;
    auto lookup =
        get("/api/v1/accounts/1000001", {{"X-Talon-Kiosk", std::string("check-") + c.name}});
    ASSERT_TRUE(lookup.ok());
    EXPECT_EQ(json::parse(lookup.value().body)["meters"][1]["zones"][0]["last"], "12345.6");
}

INSTANTIATE_TEST_SUITE_P(
    Table, ReadingsErrorTest,
    ::testing::Values(
        ErrorCase{"no key",
                  dn("12400"),
                  "",
                  400,
                  "bad_request",
                  "Idempotency-Key header is required",
                  "Idempotency-Key",
                  {}},
        ErrorCase{
            "bad key", dn("12400"), "a b", 400, "bad_request", "printable ASCII", "ASCII", {}},
        ErrorCase{"not json", "{", "k", 400, "bad_json", "JSON", "JSON", {}},
        ErrorCase{"not an object", "[1]", "k", 400, "bad_request", "JSON object", "JSON", {}},
        ErrorCase{"account not text",
                  R"({"account": 1000001, "meter": 1, "values": {}})",
                  "k",
                  400,
                  "bad_request",
                  "\"account\"",
                  "account",
                  {}},
        ErrorCase{"account malformed",
                  R"({"account": "10a", "meter": 1, "values": {}})",
                  "k",
                  400,
                  "bad_request",
                  "6 to 20 digits",
                  "от 6 до 20 цифр",
                  {}},
        ErrorCase{"meter zero",
                  R"({"account": "1000001", "meter": 0, "values": {}})",
                  "k",
                  400,
                  "bad_request",
                  "\"meter\"",
                  "meter",
                  {}},
        ErrorCase{"meter text",
                  R"({"account": "1000001", "meter": "1", "values": {}})",
                  "k",
                  400,
                  "bad_request",
                  "\"meter\"",
                  "meter",
                  {}},
        ErrorCase{"meter fraction",
                  R"({"account": "1000001", "meter": 1.5, "values": {}})",
                  "k",
                  400,
                  "bad_request",
                  "\"meter\"",
                  "meter",
                  {}},
        ErrorCase{"meter huge",
                  R"({"account": "1000001", "meter": 18446744073709551617, "values": {}})",
                  "k",
                  400,
                  "bad_request",
                  "\"meter\"",
                  "meter",
                  {}},
        ErrorCase{"values not object",
                  R"({"account": "1000001", "meter": 1, "values": ["1"]})",
                  "k",
                  400,
                  "bad_request",
                  "\"values\"",
                  "values",
                  {}},
        ErrorCase{"value not text",
                  R"({"account": "1000001", "meter": 2, "values": {"day": 1, "night": "2"}})",
                  "k",
                  400,
                  "bad_request",
                  "\"values\"",
                  "values",
                  {}},
        ErrorCase{"value too long",
                  dn(std::string(33, '1')),
                  "k",
                  400,
                  "bad_request",
                  "32 bytes",
                  "32 байт",
                  {}},
        ErrorCase{"missing zone",
                  R"({"account": "1000001", "meter": 2, "values": {"day": "12400"}})",
                  "k",
                  400,
                  "bad_request",
                  "day, night",
                  "day, night",
                  {}},
        ErrorCase{"unknown zone",
                  R"({"account": "1000001", "meter": 2, "values": {"day": "1", "peak": "2"}})",
                  "k",
                  400,
                  "bad_request",
                  "day, night",
                  "day, night",
                  {}},
        ErrorCase{"confirmed not bool",
                  dn("12400", "330", R"(, "confirmed": "yes")"),
                  "k",
                  400,
                  "bad_request",
                  "\"confirmed\"",
                  "confirmed",
                  {}},
        ErrorCase{"taken_at malformed",
                  dn("12400", "330", R"(, "taken_at": "yesterday")"),
                  "k",
                  400,
                  "bad_request",
                  "\"taken_at\"",
                  "taken_at",
                  {}},
        ErrorCase{"taken_at too old",
                  dn("12400", "330", R"(, "taken_at": ")" + utcTime(-hours(24 * 32)) + "\""),
                  "k",
                  400,
                  "bad_request",
                  "31 days",
                  "31 день",
                  {}},
        ErrorCase{"deferred not bool",
                  dn("12400", "330", R"(, "deferred": 1)"),
                  "k",
                  400,
                  "bad_request",
                  "\"deferred\" must be true or false",
                  "«deferred»",
                  {}},
        ErrorCase{"deferred text",
                  dn("12400", "330", R"(, "deferred": "true")"),
                  "k",
                  400,
                  "bad_request",
                  "\"deferred\"",
                  "deferred",
                  {}},
        ErrorCase{"local_code",
                  dn("12400", "330", R"(, "local_code": "k7")"),
                  "k",
                  400,
                  "bad_request",
                  "\"local_code\"",
                  "local_code",
                  {}},
        ErrorCase{"not a number",
                  dn("12a"),
                  "k",
                  400,
                  "reading_format",
                  "Type the day reading with up to 6 digits and 1 after the point.",
                  "показание зоны «день»",
                  {{"zone", "day"}, {"problem", "not_a_number"}}},
        ErrorCase{"empty",
                  dn("12400", ""),
                  "k",
                  400,
                  "reading_format",
                  "Type the night reading",
                  "зоны «ночь»",
                  {{"zone", "night"}, {"problem", "empty"}}},
        ErrorCase{"too many whole",
                  dn("1234567"),
                  "k",
                  400,
                  "reading_format",
                  "up to 6 digits",
                  "не больше 6 цифр",
                  {{"zone", "day"}, {"problem", "too_many_whole"}}},
        ErrorCase{"too many decimals",
                  dn("12400.55"),
                  "k",
                  400,
                  "reading_format",
                  "1 after the point",
                  "после запятой не больше 1",
                  {{"zone", "day"}, {"problem", "too_many_decimals"}}},
        ErrorCase{"decimals on a whole register",
                  R"({"account": "1000001", "meter": 1, "values": {"total": "1.5"}})",
                  "k",
                  400,
                  "reading_format",
                  "Type the meter reading with up to 5 digits and no decimal point.",
                  "показание счётчика",
                  {{"zone", "total"}, {"problem", "too_many_decimals"}}},
        ErrorCase{"unknown account",
                  R"({"account": "1234567", "meter": 1, "values": {"total": "1"}})",
                  "k",
                  404,
                  "unknown_account",
                  "bill",
                  "квитанции",
                  {}},
        ErrorCase{"unknown meter",
                  R"({"account": "1000001", "meter": 3, "values": {"total": "1"}})",
                  "k",
                  404,
                  "unknown_meter",
                  "Choose a meter",
                  "Выберите счётчик",
                  {}},
        ErrorCase{"closed account",
                  R"({"account": "2000002", "meter": 1, "values": {"total": "1"}})",
                  "k",
                  409,
                  "account_closed",
                  "ask at a window",
                  "в окно",
                  {}},
        ErrorCase{"meter changed",
                  dn("12400", "330", R"(, "serial": "…4321")"),  // no meter has it
                  "k",
                  409,
                  "meter_changed",
                  "Type the account number again",
                  "Введите номер лицевого счёта снова",
                  {}},
        ErrorCase{"below previous",
                  dn("12000"),
                  "k",
                  422,
                  "reading_below_previous",
                  "lower than the previous one, 12345.6",
                  "меньше предыдущего, 12345.6",
                  {{"zone", "day"}, {"previous", "12345.6"}}},
        ErrorCase{"implausible",
                  R"({"account": "4000004", "meter": 1, "values": {"total": "200"}})",
                  "k",
                  422,
                  "reading_needs_confirmation",
                  "100 kWh used",
                  "100 кВт·ч",
                  {{"zone", "total"}, {"consumption", "100"}, {"usual", "10"}}}),
    [](const auto& info) { return test::testName(info.param.name); });

TEST_F(ReadingsHttpTest, ConfirmedImplausibleReadingIsAccepted) {
    Post p = submit(json{{"account", "4000004"},
                         {"meter", 1},
                         {"values", {{"total", "200"}}},
                         {"confirmed", true},
                         {"taken_at", utcTime(-minutes(5))}},
                    "c-1");
    ASSERT_EQ(p.status, 201) << p.raw;
    EXPECT_EQ(p.body["confirmed"], true);
    EXPECT_EQ(p.body["readings"][0]["consumption"], "100");
    EXPECT_EQ(p.body["local_code"], nullptr);
}

TEST_F(ReadingsHttpTest, ExportAsJsonCsvAndTheCommand) {
    ASSERT_EQ(submit(kDayNight, "e-1").status, 201);
    json outbox = {{"account", "1000001"},
                   {"meter", 1},
                   {"values", {{"total", "42"}}},
                   {"local_code", "K7F3-A9C2"},
                   {"taken_at", utcTime(-hours(24))}};
    ASSERT_EQ(submit(outbox, "e-2").status, 201);
    const std::string range = "from=" + utcDay(-1) + "&to=" + utcDay();

    auto j = get("/api/v1/readings?" + range);
    ASSERT_TRUE(j.ok());
    ASSERT_EQ(j.value().status, 200) << j.value().body;
    const json rows = json::parse(j.value().body)["readings"];
    ASSERT_EQ(rows.size(), 3u) << rows;
    EXPECT_EQ(rows[0]["serial"], "SN77001234");  // in full: billing needs it
    EXPECT_EQ(rows[0]["zone"], "day");
    EXPECT_EQ(rows[0]["value"], "12400.5");
    EXPECT_EQ(rows[0]["previous"], "12345.6");
    EXPECT_EQ(rows[0]["kiosk"], "hall-1");
    EXPECT_EQ(rows[0]["local_code"], nullptr);
    EXPECT_EQ(rows[0]["taken_on"], utcDay());
    EXPECT_EQ(rows[1]["zone"], "night");
    EXPECT_EQ(rows[2]["serial"], "OLD0009876");
    EXPECT_EQ(rows[2]["taken_on"], utcDay(-1));
    EXPECT_EQ(rows[2]["local_code"], "K7F3-A9C2");
    EXPECT_EQ(rows[2]["previous"], nullptr);
    for (const char* key : {"confirmation", "account", "consumption", "rollover", "confirmed",
                            "outside_window", "period", "taken_at", "accepted_at", "review"}) {
        EXPECT_TRUE(rows[0].contains(key)) << key;
    }
    EXPECT_EQ(rows[0]["review"], false);
    // Only yesterday's.
    auto yesterday = get("/api/v1/readings?from=" + utcDay(-1) + "&to=" + utcDay(-1));
    ASSERT_TRUE(yesterday.ok());
    EXPECT_EQ(json::parse(yesterday.value().body)["readings"].size(), 1u);

    auto csv = get("/api/v1/readings?" + range + "&format=csv");
    ASSERT_TRUE(csv.ok());
    EXPECT_EQ(csv.value().status, 200);
    EXPECT_EQ(csv.value().header("content-type"), "text/csv; charset=utf-8");
    const std::string text = csv.value().body;
    EXPECT_TRUE(
        text.starts_with("confirmation,account,serial,zone,value,previous,consumption,rollover,"
                         "confirmed,outside_window,period,"
                         "taken_on,taken_at,accepted_at,kiosk,local_code,review\r\n"))
        << text;
    EXPECT_NE(text.find(",1000001,SN77001234,day,12400.5,12345.6,54.9,false,false,"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find(",1000001,OLD0009876,total,42,,0,false,false,"), std::string::npos) << text;
    EXPECT_NE(text.find(",K7F3-A9C2,false\r\n"), std::string::npos) << text;  // review last
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 4);

    // The command gives the same CSV, to a file or to standard output, beside the running server.
    const auto file = m_dir.path() / "export.csv";
    const auto out = m_dir.path() / "stdout.csv";
    const auto err = m_dir.path() / "stderr.txt";
    ASSERT_EQ(run("export-readings --from " + utcDay(-1) + " --to " + utcDay() + " --out '" +
                      file.string() + "'",
                  out.string(), err.string()),
              0)
        << readFile(err);
    EXPECT_EQ(readFile(file), text);
    EXPECT_EQ(readFile(out), "");
    EXPECT_NE(readFile(err).find("Exported 3 readings"), std::string::npos) << readFile(err);
    EXPECT_FALSE(std::filesystem::exists(file.string() + ".tmp"));
    ASSERT_EQ(run("export-readings --lang ru --from " + utcDay(-1) + " --to " + utcDay(),
                  out.string(), err.string()),
              0);
    EXPECT_EQ(readFile(out), text);
    EXPECT_NE(readFile(err).find("Выгружено показаний: 3"), std::string::npos) << readFile(err);

    struct BadArgs {
        std::string args;
        const char* says;
    };
    for (const BadArgs& b : {BadArgs{"--from " + utcDay(), "--from YYYY-MM-DD --to YYYY-MM-DD"},
                             BadArgs{"--from 2026-02-30 --to 2026-03-01", "\"from\""},
                             BadArgs{"--from 2026-03-01 --to tomorrow", "\"to\""},
                             BadArgs{"--from 2026-03-02 --to 2026-03-01", "must not be later"},
                             BadArgs{"--from 2025-01-01 --to 2026-03-01", "366 days"},
                             BadArgs{"--from 2026-03-01 --to 2026-03-01 --lang de", "ru or en"}}) {
        EXPECT_EQ(run("export-readings " + b.args + " --out '" + file.string() + "'", out.string(),
                      err.string()),
                  2)
            << b.args;
        EXPECT_NE(readFile(err).find(b.says), std::string::npos) << b.args << ": " << readFile(err);
        EXPECT_EQ(readFile(file), text) << "left alone: " << b.args;
    }

    struct BadQuery {
        std::string query;
        const char* says;
    };
    for (const BadQuery& q : {BadQuery{"", "\"from\""}, BadQuery{"from=" + utcDay(), "\"to\""},
                              BadQuery{"from=2026-03-02&to=2026-03-01", "must not be later"},
                              BadQuery{"from=2025-01-01&to=2026-03-01", "366 days"},
                              BadQuery{range + "&format=xml", "json or csv"}}) {
        auto r = get("/api/v1/readings?" + q.query);
        ASSERT_TRUE(r.ok());
        EXPECT_EQ(r.value().status, 400) << q.query;
        const json e = json::parse(r.value().body)["error"];
        EXPECT_EQ(e["code"], "bad_request");
        EXPECT_NE(e["message"].get<std::string>().find(q.says), std::string::npos)
            << q.query << ": " << e;
    }
}

TEST_F(ReadingsHttpTest, ExportNeedsAnAdministratorWhenLoginsAreRequired) {
    m_server.reset();
    test::ServerProcess demo({}, db(), test::ServerMode::Demo);  // logins required, demo users
    ASSERT_TRUE(demo.running());
    test::JsonClient client(demo.url());
    const std::string path = "/api/v1/readings?from=" + utcDay(-1) + "&to=" + utcDay();
    test::Reply anonymous = client.get(path);
    EXPECT_EQ(anonymous.status, 401);
    EXPECT_EQ(anonymous.code(), "no_session");
    test::Reply clerk = client.get(path, client.login("clerk1", "demo"));
    EXPECT_EQ(clerk.status, 403);
    EXPECT_EQ(clerk.code(), "admin_only");
    test::Reply admin = client.get(path, client.login("admin", "admin"));
    EXPECT_EQ(admin.status, 200) << admin.raw.body;
    EXPECT_EQ(admin.body["readings"], json::array());
    // Kiosks have no login: submissions need none, whatever the mode.
    test::Reply kiosk = client.post("/api/v1/readings", kDayNight);
    EXPECT_EQ(kiosk.status, 400);  // only for the missing Idempotency-Key
    EXPECT_EQ(kiosk.code(), "bad_request");
}

TEST_F(ReadingsHttpTest, AddressCapHoldsWhateverKioskNameIsSent) {
    // 5 a kiosk, 12 an address: cycling made-up kiosk names stops at 12.
    int served = 0, refused = 0;
    std::string retryAfter;
    for (int i = 0; i < 20; ++i) {
        auto r = get("/api/v1/accounts/1000001", {{"X-Talon-Kiosk", "fake-" + std::to_string(i)}});
        ASSERT_TRUE(r.ok());
        if (r.value().status == 200) ++served;
        if (r.value().status == 429) {
            ++refused;
            retryAfter = r.value().header("retry-after");
            EXPECT_EQ(json::parse(r.value().body)["error"]["code"], "too_many_lookups");
        }
    }
    EXPECT_EQ(served, 12);
    EXPECT_EQ(refused, 8);
    ASSERT_FALSE(retryAfter.empty());
    EXPECT_GE(std::stoi(retryAfter), 1);
    EXPECT_LE(std::stoi(retryAfter), 60);
    // Submissions are counted apart from lookups: still taken from this address.
    EXPECT_EQ(submit(kDayNight, "after-cap").status, 201);
}

struct DeferredHttpCase {
    const char* name;
    json body;                 // sent twice: live (refused) and with "deferred": true (kept)
    int liveStatus;            // the answer without "deferred"
    const char* liveCode;
    std::vector<bool> review;  // per zone, when deferred
    int takenDaysAgo;          // the month it counts for: taken_at's
};

class ReadingsDeferredTest : public ReadingsHttpTest,
                             public ::testing::WithParamInterface<DeferredHttpCase> {};

TEST_P(ReadingsDeferredTest, RefusedLiveKeptForReviewWhenDeferred) {
    const DeferredHttpCase& c = GetParam();
    // The kiosk tries live first: the visitor is told and may correct the value.
    Post live = submit(c.body, "live-only");
    EXPECT_EQ(live.status, c.liveStatus) << live.raw;
    EXPECT_EQ(live.body["error"]["code"], c.liveCode) << live.raw;
    // The outbox's late delivery (the visitor has gone) under its own key: kept, flagged.
    json deferred = c.body;
    deferred["deferred"] = true;
    Post kept = submit(deferred, "outbox-1");
    ASSERT_EQ(kept.status, 201) << kept.raw;
    ASSERT_EQ(kept.body["readings"].size(), c.review.size()) << kept.raw;
    for (size_t i = 0; i < c.review.size(); ++i) {
        EXPECT_EQ(kept.body["readings"][i]["review"], c.review[i]) << i << ": " << kept.raw;
    }
    EXPECT_EQ(kept.body["period"], utcDay(-c.takenDaysAgo).substr(0, 7));
    EXPECT_EQ(kept.body.size(), 11u) << kept.raw;

    // The export says so, in JSON and as the CSV's last column.
    const std::string range = "from=" + utcDay(-40) + "&to=" + utcDay();
    auto j = get("/api/v1/readings?" + range);
    ASSERT_TRUE(j.ok());
    const json rows = json::parse(j.value().body)["readings"];
    ASSERT_EQ(rows.size(), c.review.size()) << rows;
    for (size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(rows[i]["review"], c.review[i]) << rows;
    auto csv = get("/api/v1/readings?" + range + "&format=csv");
    ASSERT_TRUE(csv.ok());
    EXPECT_NE(csv.value().body.find(",true\r\n"), std::string::npos) << csv.value().body;
}

INSTANTIATE_TEST_SUITE_P(
    Table, ReadingsDeferredTest,
    ::testing::Values(
        DeferredHttpCase{"below previous",
                         json::parse(dn("12000")),
                         422,
                         "reading_below_previous",
                         {true, false},
                         0},
        DeferredHttpCase{"implausible",
                         {{"account", "4000004"}, {"meter", 1}, {"values", {{"total", "200"}}}},
                         422,
                         "reading_needs_confirmation",
                         {true},
                         0},
        DeferredHttpCase{"taken over 31 days ago",
                         json::parse(dn("12400", "330",
                                        R"(, "taken_at": ")" + utcTime(-hours(24 * 32)) + "\"")),
                         400,
                         "bad_request",
                         {true, true},
                         32}),
    [](const auto& info) { return test::testName(info.param.name); });

TEST_F(ReadingsHttpTest, DeferredOldReadingCountsForItsOwnMonth) {
    // (The table above checks the flag; here the month comes from taken_at, not from today.)
    json body = json::parse(dn("12400", "330", R"(, "deferred": true, "taken_at": ")" +
                                                  utcTime(-hours(24 * 32)) + "\""));
    Post p = submit(body, "outbox-old");
    ASSERT_EQ(p.status, 201) << p.raw;
    EXPECT_EQ(p.body["period"], utcDay(-32).substr(0, 7));
    EXPECT_NE(p.body["taken_at"], p.body["accepted_at"]);
    // Today's month is another: a live reading now is not a second one for that month.
    EXPECT_EQ(submit(kDayNight, "live-today").status, 201);
}

TEST_F(ReadingsHttpTest, TakenAtAheadIsTakenAsNow) {
    // A kiosk clock running fast is never the visitor's fault.
    struct Case {
        const char* key;
        json body;
    };
    for (const Case& c :
         {Case{"ahead-10min", json::parse(dn("12400", "330", R"(, "taken_at": ")" +
                                                                 utcTime(minutes(10)) + "\""))},
          Case{"ahead-2days", {{"account", "1000001"},
                               {"meter", 1},
                               {"values", {{"total", "42"}}},
                               {"taken_at", utcTime(hours(48))}}}}) {
        Post p = submit(c.body, c.key);
        ASSERT_EQ(p.status, 201) << c.key << ": " << p.raw;
        EXPECT_EQ(p.body["taken_at"], p.body["accepted_at"]) << c.key;
        EXPECT_EQ(p.body["period"], utcDay().substr(0, 7)) << c.key;
    }
}

TEST_F(ReadingsHttpTest, SameKeyReplaysWithOrWithoutDeferred) {
    // Accepted live; the outbox, not having heard, delivers again with "deferred": the same body.
    json live = kDayNight;
    Post first = submit(live, "kiosk-9-0001");
    ASSERT_EQ(first.status, 201) << first.raw;
    json deferred = live;
    deferred["deferred"] = true;
    Post again = submit(deferred, "kiosk-9-0001");
    EXPECT_EQ(again.status, 200) << again.raw;
    EXPECT_EQ(again.raw, first.raw);
    EXPECT_EQ(again.replayed, "true");

    // Refused live (nothing stored), then delivered deferred under the same key: kept for
    // review; either form again replays that answer.
    json low = {{"account", "4000004"}, {"meter", 1}, {"values", {{"total", "50"}}}};
    EXPECT_EQ(submit(low, "kiosk-9-0002").status, 422);
    json lowDeferred = low;
    lowDeferred["deferred"] = true;
    Post kept = submit(lowDeferred, "kiosk-9-0002");
    ASSERT_EQ(kept.status, 201) << kept.raw;
    EXPECT_EQ(kept.body["readings"][0]["review"], true);
    for (const json& b : {low, lowDeferred}) {
        Post replay = submit(b, "kiosk-9-0002");
        EXPECT_EQ(replay.status, 200) << replay.raw;
        EXPECT_EQ(replay.raw, kept.raw);
    }
}

TEST_F(ReadingsHttpTest, SubmissionsAreLimitedPerAddressAndPerKiosk) {
    // 5 a kiosk, 12 an address, as for lookups, counted before any account is looked at.
    Post stored = submit(kDayNight.dump(), "lim-0", "en", "fake-0");
    ASSERT_EQ(stored.status, 201) << stored.raw;
    int served = 1, refused = 0;
    std::string retryAfter;
    for (int i = 1; i < 20; ++i) {
        // Walking through account numbers under made-up kiosk names.
        const std::string body = R"({"account": ")" + std::to_string(2000100 + i) +
                                 R"(", "meter": 1, "values": {"total": "1"}})";
        Post p = submit(body, "lim-" + std::to_string(i), "en", "fake-" + std::to_string(i));
        if (p.status == 429) {
            ++refused;
            EXPECT_EQ(p.body["error"]["code"], "too_many_lookups") << p.raw;
            EXPECT_FALSE(p.body["error"]["message"].get<std::string>().empty());
        } else {
            ++served;
            EXPECT_EQ(p.status, 404) << p.raw;
        }
    }
    EXPECT_EQ(served, 12);
    EXPECT_EQ(refused, 8);
    // Retry-After on the refusal, in whole seconds within the minute.
    HttpClient http(m_server->url());
    auto r = http.post("/api/v1/readings", kDayNight.dump(),
                       {{"Content-Type", "application/json"},
                        {"Idempotency-Key", "lim-new"},
                        {"X-Talon-Kiosk", "hall-1"}});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value().status, 429);
    retryAfter = r.value().header("retry-after");
    ASSERT_FALSE(retryAfter.empty());
    EXPECT_GE(std::stoi(retryAfter), 1);
    EXPECT_LE(std::stoi(retryAfter), 60);
    // A key already used is not held up: the outbox's retry gets its stored answer.
    Post replay = submit(kDayNight.dump(), "lim-0", "en", "fake-0");
    EXPECT_EQ(replay.status, 200) << replay.raw;
    EXPECT_EQ(replay.raw, stored.raw);
    // Lookups are counted apart: the next visitor can still find their account.
    auto lookup = get("/api/v1/accounts/1000001", {{"X-Talon-Kiosk", "hall-1"}});
    ASSERT_TRUE(lookup.ok());
    EXPECT_EQ(lookup.value().status, 200);

    // Per kiosk: 5, then only that kiosk waits.
    m_server.reset();
    start();
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(submit(R"({"account": "1234567", "meter": 1, "values": {"total": "1"}})",
                         "k-" + std::to_string(i), "en", "hall-7")
                      .status,
                  404);
    }
    Post over = submit(R"({"account": "1234567", "meter": 1, "values": {"total": "1"}})", "k-5",
                       "ru", "hall-7");
    EXPECT_EQ(over.status, 429) << over.raw;
    EXPECT_EQ(over.body["error"]["code"], "too_many_lookups");
    EXPECT_EQ(submit(R"({"account": "1000001", "meter": 1, "values": {"total": "42"}})", "k-6",
                     "en", "hall-8")
                  .status,
              201);
}

TEST_F(ReadingsHttpTest, MeterFoundByItsMaskedSerialAfterAnImportMovedIt) {
    // The kiosk showed SN…1234 as meter 2; the billing system then adds ABC0005555, which
    // sorts first: the same meter is now 3, and meter 2 is OLD…9876.
    const auto csv = m_dir.path() / "accounts-2.csv";
    std::ofstream(csv) << accountsCsv()
                       << "1000001,Иванов Пётр Сергеевич,\"г. Тула, ул. Ленина, д. 5, кв. "
                          "12\",active,ABC0005555,single,5,0,,,,,,\n";
    ASSERT_EQ(run("import-accounts '" + csv.string() + "'"), 0);
    Post p = submit(kDayNight, "moved-1");
    ASSERT_EQ(p.status, 201) << p.raw;
    EXPECT_EQ(p.body["meter"], 3);
    EXPECT_EQ(p.body["serial"], "…1234");
    EXPECT_EQ(p.body["readings"][0]["zone"], "day");
    auto lookup = get("/api/v1/accounts/1000001", {{"X-Talon-Kiosk", "hall-1"}});
    ASSERT_TRUE(lookup.ok());
    const json meters = json::parse(lookup.value().body)["meters"];
    EXPECT_EQ(meters[2]["serial"], "…1234");
    EXPECT_EQ(meters[2]["submitted_on"], utcDay());
    EXPECT_EQ(meters[1]["submitted_on"], nullptr);
    // A serial no meter of the account has any more: the kiosk must look the account up again.
    json gone = {{"account", "1000001"},
                 {"meter", 2},
                 {"serial", "…4321"},
                 {"values", {{"total", "1"}}}};
    Post changed = submit(gone, "moved-2");
    EXPECT_EQ(changed.status, 409) << changed.raw;
    EXPECT_EQ(changed.body["error"]["code"], "meter_changed");
}

}  // namespace
}  // namespace talon
