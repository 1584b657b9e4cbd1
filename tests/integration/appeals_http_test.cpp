// Appeals (issue 8) through the real talon-server: registration from a kiosk with its
// Idempotency-Key (replay and conflict), every validation error in English and Russian, text
// kept verbatim (a script stays a JSON string), the visitor's status check (nothing personal,
// the same 404 for every miss, misses limited per address), the staff's register and steps
// with logins required (the session's login is the author), illegal steps, the report, and the
// urgent appeal's event on the stream, which an event stream client (the display's) takes in
// its stride; the staff an appeal can be assigned to (GET /api/v1/staff).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "../support/json_client.h"
#include "../support/server_process.h"
#include "talon/common/event_stream.h"
#include "talon/common/http_client.h"
#include "talon/common/wire.h"

namespace talon {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

struct Post {
    int status = 0;
    json body;
    std::string raw;
    std::string replayed;
    std::string retryAfter;
    std::string code() const { return body.is_object() && body.contains("error") ? body["error"].value("code", "") : ""; }
    std::string message() const {
        return body.is_object() && body.contains("error") ? body["error"].value("message", "") : "";
    }
};

json sample() {
    return {{"type", "complaint"},
            {"category", "billing"},
            {"text", "The bill for May is twice as high as usual."},
            {"name", "Иванов Пётр"},
            {"phone", "+7 (912) 345-67-89"},
            {"email", "petr@example.ru"},
            {"address", "ул. Ленина, д. 5, кв. 12"},
            {"reply_channel", "phone"},
            {"consent", true},
            {"account", "1000001"},
            {"local_code", "K1-0042"}};
}

class AppealsHttpTest : public ::testing::Test {
protected:
    void start(const std::string& auth = "require_login = false\n", const std::string& extra = "") {
        const std::string config = test::writeAuthConfig(m_dir.path(), auth + "[day]\ntimezone = \"Etc/UTC\"\n" + extra);
        m_server = std::make_unique<test::ServerProcess>(std::vector<std::string>{"--config", config},
                                                         m_dir.path() / "talon.db");
        ASSERT_TRUE(m_server->running());
    }
    Post send(const std::string& method, const std::string& path, const std::string& body,
              const HttpHeaders& extra = {}, const std::string& lang = "en") {
        HttpClient http(m_server->url());
        HttpHeaders headers{{"Accept-Language", lang}, {"Content-Type", "application/json"}};
        headers.insert(headers.end(), extra.begin(), extra.end());
        auto r = method == "GET" ? http.get(path, headers) : http.post(path, body, headers);
        EXPECT_TRUE(r.ok());
        Post p;
        if (!r.ok()) return p;
        p.status = r.value().status;
        p.raw = r.value().body;
        p.body = json::parse(p.raw, nullptr, false);
        p.replayed = r.value().header("idempotent-replayed");
        p.retryAfter = r.value().header("retry-after");
        return p;
    }
    Post submit(const json& body, const std::string& key, const std::string& lang = "en",
                const std::string& kiosk = "hall-1") {
        HttpHeaders h;
        if (!key.empty()) h.push_back({"Idempotency-Key", key});
        if (!kiosk.empty()) h.push_back({"X-Talon-Kiosk", kiosk});
        return send("POST", "/api/v1/appeals", body.dump(), h, lang);
    }
    Post status(const std::string& query, const std::string& lang = "en") {
        return send("GET", "/api/v1/appeals/status?" + query, "", {}, lang);
    }

    test::TempDir m_dir;
    std::unique_ptr<test::ServerProcess> m_server;
};

TEST_F(AppealsHttpTest, RegisterReplayAndConflict) {
    start();
    Post first = submit(sample(), "appeal-1");
    ASSERT_EQ(first.status, 201) << first.raw;
    EXPECT_TRUE(std::regex_match(first.body["number"].get<std::string>(), std::regex("Ж-\\d{4}-\\d{6}")));
    EXPECT_EQ(first.body["status"], "registered");
    EXPECT_EQ(first.body["category"], "billing");
    EXPECT_EQ(first.body["urgent"], false);
    EXPECT_EQ(first.body["local_code"], "K1-0042");
    const std::string due = first.body["due_on"];
    ASSERT_EQ(due.size(), 10u);
    EXPECT_EQ(first.body["due_on_text"], due.substr(8, 2) + "." + due.substr(5, 2) + "." + due.substr(0, 4));
    EXPECT_EQ(first.replayed, "");

    Post again = submit(sample(), "appeal-1");
    EXPECT_EQ(again.status, 200) << again.raw;
    EXPECT_EQ(again.replayed, "true");
    EXPECT_EQ(again.body["number"], first.body["number"]);

    json other = sample();
    other["text"] = "Something else";
    Post conflict = submit(other, "appeal-1");
    EXPECT_EQ(conflict.status, 409) << conflict.raw;
    EXPECT_EQ(conflict.code(), "idempotency_conflict");

    Post second = submit(sample(), "appeal-2");
    ASSERT_EQ(second.status, 201);
    EXPECT_NE(second.body["number"], first.body["number"]);

    Post noKey = submit(sample(), "");
    EXPECT_EQ(noKey.status, 400);
    EXPECT_NE(noKey.message().find("Idempotency-Key"), std::string::npos) << noKey.raw;
    Post badKey = submit(sample(), "with space");
    EXPECT_EQ(badKey.status, 400);
    Post badJson = send("POST", "/api/v1/appeals", "{nope", {{"Idempotency-Key", "k-json"}});
    EXPECT_EQ(badJson.status, 400);
    EXPECT_EQ(badJson.code(), "bad_json");
}

TEST_F(AppealsHttpTest, EveryValidationErrorInEnglishAndRussian) {
    start("require_login = false\n", "[readings]\nlookups_per_minute = 1000\nlookups_per_minute_per_address = 1000\n");
    struct Case {
        const char* name;
        std::function<void(json&)> change;
        const char* field;
        const char* en;  // a fragment of the English message
        const char* ru;  // and of the Russian one
    };
    const std::vector<Case> cases = {
        {"type", [](json& b) { b["type"] = "praise"; }, "appeal_type", "complaint, request", "complaint"},
        {"type not a string", [](json& b) { b["type"] = 5; }, "appeal_type", "complaint, request", "complaint"},
        {"category", [](json& b) { b["category"] = "weather"; }, "appeal_category", "safety_hazard", "safety_hazard"},
        {"text empty", [](json& b) { b["text"] = "   "; }, "appeal_text_empty", "text", "текст"},
        {"text long", [](json& b) { b["text"] = std::string(2001, 'a'); }, "appeal_text_length", "2000", "2000"},
        {"text utf8", [](json& b) { b["text"] = "\xC3"; }, "", "", ""},  // not JSON at all: bad_json
        {"text control", [](json& b) { b["text"] = "a\tb"; }, "appeal_text_control", "control", ""},
        {"name empty", [](json& b) { b["name"] = ""; }, "appeal_name_empty", "name", ""},
        {"name long", [](json& b) { b["name"] = std::string(101, 'a'); }, "appeal_name_length", "100", "100"},
        {"name two lines", [](json& b) { b["name"] = "a\nb"; }, "appeal_name_invalid", "one line", ""},
        {"no contact", [](json& b) { b.erase("phone"); b.erase("email"); }, "appeal_contact_required", "phone", ""},
        {"phone", [](json& b) { b["phone"] = "12-34"; }, "appeal_phone", "10 to 15", "10"},
        {"email", [](json& b) { b["email"] = "not-an-address"; }, "appeal_email", "name@example.ru", "@"},
        {"address", [](json& b) { b["address"] = std::string(301, 'a'); }, "appeal_address", "300", "300"},
        {"reply channel", [](json& b) { b["reply_channel"] = "pigeon"; }, "appeal_reply_channel", "sms", "sms"},
        {"channel contact",
         [](json& b) {
             b.erase("address");
             b["reply_channel"] = "letter";
         },
         "appeal_channel_contact", "letter", "letter"},
        {"consent", [](json& b) { b["consent"] = false; }, "appeal_consent", "consent", ""},
        {"consent type", [](json& b) { b["consent"] = "yes"; }, "appeal_consent", "consent", ""},
        {"account", [](json& b) { b["account"] = "12ab"; }, "", "6 to 20 digits", "6"},
        {"local code", [](json& b) { b["local_code"] = "lower case"; }, "appeal_local_code", "local_code", "local_code"},
        {"urgent by visitor", [](json& b) { b["urgent"] = true; }, "appeal_urgent", "urgent", "urgent"},
        {"urgent type", [](json& b) { b["urgent"] = "yes"; }, "appeal_urgent", "urgent", "urgent"},
    };
    int key = 0;
    for (const Case& c : cases) {
        for (const std::string lang : {"en", "ru"}) {
            SCOPED_TRACE(std::string(c.name) + " / " + lang);
            json body = sample();
            c.change(body);
            Post p;
            if (std::string(c.name) == "text utf8") {
                // Invalid UTF-8 inside a JSON string: the parser refuses it before the store.
                std::string raw = sample().dump();
                raw.replace(raw.find("The bill"), 3, "\xC3\x28");
                p = send("POST", "/api/v1/appeals", raw, {{"Idempotency-Key", "v-" + std::to_string(++key)}}, lang);
                EXPECT_EQ(p.status, 400) << p.raw;
                continue;
            }
            p = submit(body, "v-" + std::to_string(++key), lang);
            EXPECT_EQ(p.status, 400) << p.raw;
            EXPECT_EQ(p.code(), "bad_request") << p.raw;
            if (*c.field) {
                EXPECT_EQ(p.body["error"].value("field", ""), c.field) << p.raw;
            }
            const char* fragment = lang == "en" ? c.en : c.ru;
            EXPECT_NE(p.message().find(fragment), std::string::npos) << p.raw;
            if (lang == "ru") {
                // A Russian sentence: Cyrillic in it.
                EXPECT_TRUE(std::regex_search(p.message(), std::regex("[\xD0\xD1]"))) << p.raw;
            }
        }
    }
    // Nothing stored: the first good appeal has number 1 of the year.
    Post ok = submit(sample(), "v-good");
    ASSERT_EQ(ok.status, 201) << ok.raw;
    EXPECT_TRUE(ok.body["number"].get<std::string>().ends_with("-000001")) << ok.raw;
}

TEST_F(AppealsHttpTest, UrgentCategoryAndScriptTextKeptVerbatim) {
    start();
    json body = sample();
    body["category"] = "safety_hazard";
    body["urgent"] = true;  // allowed: the category is urgent anyway
    body["text"] = "<script>alert('x')</script>\n\"quoted\" & <b>bold</b>";
    Post p = submit(body, "urgent-1");
    ASSERT_EQ(p.status, 201) << p.raw;
    EXPECT_EQ(p.body["urgent"], true);

    test::JsonClient c(m_server->url());
    test::Reply full = c.get("/api/v1/appeals/" + p.body["number"].get<std::string>());
    ASSERT_EQ(full.status, 200) << full.raw.body;
    EXPECT_EQ(full.body["text"], body["text"]);  // verbatim; escaping is the console's job
    EXPECT_NE(full.raw.body.find("<script>"), std::string::npos);  // a JSON string, as it is
    EXPECT_EQ(full.body["urgent"], true);
    EXPECT_EQ(full.body["history"][0]["action"], "registered");
    EXPECT_EQ(full.body["history"][0]["author"], "kiosk hall-1");
}

TEST_F(AppealsHttpTest, StatusCheckShowsNothingPersonalAndLimitsMisses) {
    start();
    Post reg = submit(sample(), "s-1");
    ASSERT_EQ(reg.status, 201);
    const std::string number = reg.body["number"];
    HttpClient http(m_server->url());
    const std::string encoded = [&] {
        std::string out;
        for (unsigned char ch : number) {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", ch);
            out += std::isalnum(ch) || ch == '-' ? std::string(1, static_cast<char>(ch)) : std::string(buf);
        }
        return out;
    }();

    Post ok = status("number=" + encoded + "&phone=6789", "ru");
    ASSERT_EQ(ok.status, 200) << ok.raw;
    EXPECT_EQ(ok.body["number"], number);
    EXPECT_EQ(ok.body["status"], "registered");
    EXPECT_FALSE(ok.body["status_text"].get<std::string>().empty());
    EXPECT_EQ(ok.body["due_on"], reg.body["due_on"]);
    EXPECT_EQ(ok.body["due_on_text"], reg.body["due_on_text"]);
    EXPECT_EQ(ok.body["extended"], false);
    for (const char* personal : {"Иванов", "6789", "example.ru", "Ленина", "bill", "1000001"}) {
        EXPECT_EQ(ok.raw.find(personal), std::string::npos) << personal;
    }
    Post byCode = status("local_code=K1-0042&phone=6789");
    EXPECT_EQ(byCode.status, 200) << byCode.raw;
    EXPECT_EQ(byCode.body["number"], number);

    // Malformed digits: a 400 that says what to type, and no miss counted.
    Post digits = status("number=" + encoded + "&phone=12");
    EXPECT_EQ(digits.status, 400) << digits.raw;

    // Every miss the same: wrong digits, unknown number, unknown code.
    std::vector<Post> misses = {status("number=" + encoded + "&phone=0000"),
                                status("number=%D0%96-2020-000001&phone=6789"),
                                status("local_code=NOPE&phone=6789"), status("phone=6789")};
    for (const Post& m : misses) {
        EXPECT_EQ(m.status, 404) << m.raw;
        EXPECT_EQ(m.raw, misses[0].raw);
    }
    Post fifth = status("number=" + encoded + "&phone=1111");
    EXPECT_EQ(fifth.status, 404);
    // Five misses in ten minutes: even the right pair waits now.
    Post limited = status("number=" + encoded + "&phone=6789", "ru");
    EXPECT_EQ(limited.status, 429) << limited.raw;
    EXPECT_EQ(limited.code(), "too_many_attempts");
    ASSERT_FALSE(limited.retryAfter.empty());
    EXPECT_GT(std::stoi(limited.retryAfter), 500);
    EXPECT_LE(std::stoi(limited.retryAfter), 600);
    EXPECT_EQ(limited.body["error"]["retry_after"], std::stoi(limited.retryAfter));
    EXPECT_NE(limited.message().find("мин"), std::string::npos) << limited.raw;
}

TEST_F(AppealsHttpTest, StaffStepsWithLoginsRequired) {
    start("require_login = true\ndemo_users = true\n");
    Post reg = submit(sample(), "staff-1");  // a kiosk needs no login
    ASSERT_EQ(reg.status, 201) << reg.raw;
    const std::string number = reg.body["number"];
    const std::string path = "/api/v1/appeals/" + number;
    test::JsonClient c(m_server->url());

    // No session: 401 everywhere for staff.
    EXPECT_EQ(c.get("/api/v1/appeals").status, 401);
    EXPECT_EQ(c.get(path).status, 401);
    EXPECT_EQ(c.post(path + "/start", json::object()).status, 401);
    EXPECT_EQ(c.get("/api/v1/appeals/report?from=2020-01-01&to=2030-12-31").status, 401);

    const std::string clerk = c.login("clerk1", "demo");
    const std::string admin = c.login("admin", "admin");

    test::Reply list = c.get("/api/v1/appeals", clerk);
    ASSERT_EQ(list.status, 200) << list.raw.body;
    ASSERT_EQ(list.body["appeals"].size(), 1u);
    const json row = list.body["appeals"][0];
    EXPECT_EQ(row["number"], number);
    EXPECT_EQ(row["phone_last4"], "…6789");
    EXPECT_EQ(list.raw.body.find("Иванов"), std::string::npos);  // masked: initials only
    EXPECT_EQ(list.raw.body.find("twice as high"), std::string::npos);
    EXPECT_EQ(c.get("/api/v1/appeals?status=closed", clerk).body["appeals"].size(), 0u);
    EXPECT_EQ(c.get("/api/v1/appeals?category=billing&due_soon=false&overdue=0", clerk).body["appeals"].size(), 1u);
    EXPECT_EQ(c.get("/api/v1/appeals?overdue=1", clerk).body["appeals"].size(), 0u);
    EXPECT_EQ(c.get("/api/v1/appeals?status=nope", clerk).status, 400);
    EXPECT_EQ(c.get("/api/v1/appeals?from=2026-13-01", clerk).status, 400);

    test::Reply full = c.get(path, clerk);
    ASSERT_EQ(full.status, 200);
    EXPECT_EQ(full.body["name"], "Иванов Пётр");
    EXPECT_EQ(full.body["phone"], "+79123456789");

    // Illegal: answering or closing before it is worked on; starting before it is assigned.
    test::Reply early = c.post(path + "/close", {{"satisfaction", 5}}, clerk, "ru");
    EXPECT_EQ(early.status, 409) << early.raw.body;
    EXPECT_EQ(early.code(), "illegal_transition");
    EXPECT_EQ(early.body["error"]["status"], "registered");
    EXPECT_NE(early.message().find(number), std::string::npos) << early.raw.body;
    EXPECT_EQ(c.post(path + "/start", json::object(), clerk).status, 409);

    // Only an active member of staff can take it: nothing changes for a login nobody has.
    test::Reply nobody = c.post(path + "/assign", {{"to", "clerk99"}}, admin, "ru");
    EXPECT_EQ(nobody.status, 400) << nobody.raw.body;
    EXPECT_EQ(nobody.code(), "unknown_staff");
    EXPECT_NE(nobody.message().find("clerk99"), std::string::npos) << nobody.raw.body;
    EXPECT_EQ(c.get(path, admin).body["status"], "registered");

    test::Reply assigned = c.post(path + "/assign", {{"to", "clerk2"}}, admin);
    ASSERT_EQ(assigned.status, 200) << assigned.raw.body;
    EXPECT_EQ(assigned.body["status"], "assigned");
    EXPECT_EQ(assigned.body["assigned_to"], "clerk2");
    EXPECT_EQ(assigned.body["history"].back()["author"], "admin");  // the session's, not the body's

    test::Reply started = c.post(path + "/start", {{"clerk", "someone-else"}}, clerk);
    ASSERT_EQ(started.status, 200) << started.raw.body;
    EXPECT_EQ(started.body["status"], "in_progress");
    EXPECT_EQ(started.body["history"].back()["author"], "clerk1");

    test::Reply note = c.post(path + "/notes", {{"text", "Called the billing department."}}, clerk);
    ASSERT_EQ(note.status, 200) << note.raw.body;
    EXPECT_EQ(note.body["history"].back()["action"], "note");
    EXPECT_EQ(c.post(path + "/notes", {{"text", ""}}, clerk).status, 400);
    EXPECT_EQ(c.post(path + "/notes", {{"text", 5}}, clerk).status, 400);

    // Extending: a bad date, not later, then a proper working day later.
    EXPECT_EQ(c.post(path + "/extend", {{"due_on", "soon"}, {"reason", "r"}}, clerk).status, 400);
    test::Reply notLater = c.post(path + "/extend", {{"due_on", "2020-01-06"}, {"reason", "r"}}, clerk);
    EXPECT_EQ(notLater.status, 422) << notLater.raw.body;
    const std::string due = full.body["due_on"];
    std::string later;
    for (int d = 7; d < 30 && later.empty(); ++d) {
        // Find a working day after the deadline: the store knows; try until it accepts.
        const auto day = std::chrono::sys_days(*parseIsoDate(due)) + std::chrono::days(d);
        const std::chrono::year_month_day ymd{day};
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
        test::Reply r = c.post(path + "/extend", {{"due_on", buf}, {"reason", "waiting for the meter check"}}, clerk);
        if (r.status == 200) {
            later = buf;
            EXPECT_EQ(r.body["extended"], true);
            EXPECT_EQ(r.body["due_on"], later);
        } else {
            EXPECT_EQ(r.status, 422) << r.raw.body;
        }
    }
    ASSERT_FALSE(later.empty());
    Post st = status("local_code=K1-0042&phone=6789");
    EXPECT_EQ(st.body["extended"], true) << st.raw;
    EXPECT_EQ(st.body["status"], "in_progress");

    EXPECT_EQ(c.post(path + "/answer", {{"text", "Recalculated."}, {"channel", "pigeon"}}, clerk).status, 400);
    test::Reply answered = c.post(path + "/answer", {{"text", "Recalculated."}, {"channel", "phone"}}, clerk);
    ASSERT_EQ(answered.status, 200) << answered.raw.body;
    EXPECT_EQ(answered.body["status"], "answered");
    EXPECT_EQ(answered.body["answer"], "Recalculated.");
    EXPECT_EQ(c.post(path + "/close", {{"satisfaction", 9}}, clerk).status, 400);
    test::Reply closed = c.post(path + "/close", {{"satisfaction", 4}}, clerk);
    ASSERT_EQ(closed.status, 200) << closed.raw.body;
    EXPECT_EQ(closed.body["status"], "closed");
    EXPECT_EQ(closed.body["satisfaction"], 4);
    test::Reply reopen = c.post(path + "/assign", {{"to", "clerk1"}}, clerk);
    EXPECT_EQ(reopen.status, 409);
    EXPECT_EQ(reopen.code(), "illegal_transition");

    const json& history = closed.body["history"];
    std::vector<std::string> actions;
    for (const auto& e : history) actions.push_back(e["action"]);
    EXPECT_EQ(actions, (std::vector<std::string>{"registered", "assigned", "started", "note",
                                                 "deadline_extended", "answered", "closed"}));

    EXPECT_EQ(c.get("/api/v1/appeals/%D0%96-1999-000001", clerk).status, 404);
    EXPECT_EQ(c.post("/api/v1/appeals/%D0%96-1999-000001/start", json::object(), clerk).status, 404);

    // The report: by category and ranked.
    ASSERT_EQ(submit(sample(), "staff-2").status, 201);
    json meters = sample();
    meters["category"] = "meters";
    ASSERT_EQ(submit(meters, "staff-3").status, 201);
    test::Reply report = c.get("/api/v1/appeals/report?from=2000-01-01&to=2100-12-31", clerk);
    ASSERT_EQ(report.status, 200) << report.raw.body;
    EXPECT_EQ(report.body["total"], 3);
    ASSERT_FALSE(report.body["ranking"].empty());
    EXPECT_EQ(report.body["ranking"][0]["category"], "billing");
    EXPECT_EQ(report.body["ranking"][0]["total"], 2);
    EXPECT_EQ(report.body["ranking"][0]["satisfaction"], 4.0);
    bool metersSeen = false;
    for (const auto& cat : report.body["categories"]) metersSeen |= cat["category"] == "meters" && cat["total"] == 1;
    EXPECT_TRUE(metersSeen) << report.raw.body;
    EXPECT_EQ(c.get("/api/v1/appeals/report?from=2030-01-01&to=2020-01-01", clerk).status, 400);
}

TEST_F(AppealsHttpTest, OpenModeLetsStaffWorkWithoutALogin) {
    start();
    Post reg = submit(sample(), "open-1");
    ASSERT_EQ(reg.status, 201);
    test::JsonClient c(m_server->url());
    const std::string path = "/api/v1/appeals/" + reg.body["number"].get<std::string>();
    EXPECT_EQ(c.get("/api/v1/appeals").status, 200);
    test::Reply a = c.post(path + "/assign", {{"to", "ivanova"}, {"clerk", "petrova"}});
    ASSERT_EQ(a.status, 200) << a.raw.body;
    EXPECT_EQ(a.body["history"].back()["author"], "petrova");
    test::Reply s = c.post(path + "/start", json::object());
    ASSERT_EQ(s.status, 200) << s.raw.body;
    EXPECT_EQ(s.body["history"].back()["author"], "staff");
}

TEST_F(AppealsHttpTest, SubmissionsAreRateLimitedPerAddressThenKiosk) {
    start("require_login = false\n", "[readings]\nlookups_per_minute = 3\nlookups_per_minute_per_address = 6\n");
    for (int i = 0; i < 3; ++i) EXPECT_EQ(submit(sample(), "r-" + std::to_string(i), "en", "k1").status, 201);
    Post kiosk = submit(sample(), "r-k1", "en", "k1");
    EXPECT_EQ(kiosk.status, 429) << kiosk.raw;
    EXPECT_EQ(kiosk.code(), "too_many_lookups");
    EXPECT_NE(kiosk.message().find("appeals"), std::string::npos) << kiosk.raw;
    EXPECT_FALSE(kiosk.retryAfter.empty());
    // A replay is let through whatever the limit.
    EXPECT_EQ(submit(sample(), "r-0", "en", "k1").status, 200);
    EXPECT_EQ(submit(sample(), "r-k2a", "en", "k2").status, 201);
    EXPECT_EQ(submit(sample(), "r-k2b", "en", "k2").status, 201);
    Post address = submit(sample(), "r-k3", "en", "k3");  // the address's six are spent
    EXPECT_EQ(address.status, 429) << address.raw;
}

/// The urgent appeal's event on the stream: no personal data, and the event stream client the
/// display uses (wire::parseEvent) takes it without dropping the connection, then goes on.
TEST_F(AppealsHttpTest, UrgentAppealEventReachesTheStreamAndClientsGoOn) {
    start();
    std::mutex m;
    std::condition_variable cv;
    std::vector<QueueEvent> seen;
    std::atomic<int> connects{0};
    EventStream::Handlers handlers;
    handlers.onEvent = [&](const QueueEvent& e) {
        std::lock_guard lock(m);
        seen.push_back(e);
        cv.notify_all();
    };
    handlers.onConnection = [&](bool up) {
        if (up) ++connects;
    };
    EventStream stream(m_server->url(), handlers);
    stream.start(0);
    for (int i = 0; i < 100 && connects == 0; ++i) std::this_thread::sleep_for(20ms);
    ASSERT_EQ(connects, 1);

    json body = sample();
    body["category"] = "safety_hazard";
    body["text"] = "Sparking wires at the entrance";
    Post reg = submit(body, "u-1");
    ASSERT_EQ(reg.status, 201) << reg.raw;
    test::JsonClient c(m_server->url());
    ASSERT_EQ(c.post("/api/v1/tickets", {{"service", "A"}}).status, 201);  // something after it

    std::unique_lock lock(m);
    ASSERT_TRUE(cv.wait_for(lock, 10s, [&] {
        return std::any_of(seen.begin(), seen.end(), [](const QueueEvent& e) { return e.type == "ticket.issued"; });
    }));
    auto urgent = std::find_if(seen.begin(), seen.end(), [](const QueueEvent& e) { return e.type == "appeal.urgent"; });
    ASSERT_NE(urgent, seen.end());
    EXPECT_FALSE(urgent->ticket.has_value());
    EXPECT_FALSE(urgent->window.has_value());
    EXPECT_EQ(connects, 1);  // no reconnect for a type it does not know
    lock.unlock();
    stream.stop();

    // The raw event: number, category and due date, nothing personal.
    HttpClient http(m_server->url());
    std::string text;
    HttpClient::StreamHandlers h;
    h.onStart = [](int s) { return s == 200; };
    h.onData = [&](std::string_view chunk) {
        text += chunk;
        return text.find("event: ticket.issued") == std::string::npos;
    };
    h.keepGoing = [] { return true; };
    (void)http.stream("/api/v1/events?last_event_id=0", {}, h, 5s);
    const size_t at = text.find("event: appeal.urgent\ndata: ");
    ASSERT_NE(at, std::string::npos) << text;
    const std::string line = text.substr(at + 27, text.find('\n', at + 27) - at - 27);
    const json data = json::parse(line, nullptr, false);
    EXPECT_EQ(data["number"], reg.body["number"]);
    EXPECT_EQ(data["category"], "safety_hazard");
    EXPECT_EQ(data["due_on"], reg.body["due_on"]);
    EXPECT_EQ(data.size(), 3u);
    for (const char* personal : {"Иванов", "6789", "Sparking", "example"}) {
        EXPECT_EQ(line.find(personal), std::string::npos) << personal;
    }
    EXPECT_TRUE(wire::parseEvent(1, "appeal.urgent", line).ok());
}

/// The staff list the admin console assigns from: staff only, active users only, and nothing
/// but login, name and role (no password hash, no windows).
TEST_F(AppealsHttpTest, StaffListShowsActiveUsersToStaffOnly) {
    start("require_login = true\ndemo_users = true\n");
    // Users are managed with the server program beside the running server, on its database.
    const auto dir = m_dir.path();
    const std::string where = " --config '" + (dir / "talon.toml").string() + "' --db '" +
                              (dir / "talon.db").string() + "' > /dev/null 2>&1";
    const std::string bin = "'" + test::serverBinary() + "'";
    const std::string add = "printf 'a-long-password\\n' | " + bin +
                            " user add ivanova --name 'Иванова А.' --role clerk --windows 1" +
                            where;
    ASSERT_EQ(std::system(add.c_str()), 0);
    ASSERT_EQ(std::system((bin + " user disable clerk6" + where).c_str()), 0);

    test::JsonClient c(m_server->url());
    test::Reply none = c.get("/api/v1/staff", "", "ru");
    EXPECT_EQ(none.status, 401) << none.raw.body;
    EXPECT_EQ(none.code(), "no_session");
    EXPECT_NE(none.message().find("Войдите"), std::string::npos) << none.raw.body;

    for (const auto& [login, password] :
         {std::pair{"clerk1", "demo"}, std::pair{"admin", "admin"}}) {
        const std::string token = c.login(login, password);
        test::Reply list = c.get("/api/v1/staff", token);
        ASSERT_EQ(list.status, 200) << list.raw.body;
        EXPECT_EQ(list.raw.header("cache-control"), "no-store");
        ASSERT_TRUE(list.body["staff"].is_array()) << list.raw.body;
        std::vector<std::string> logins;
        for (const auto& u : list.body["staff"]) {
            EXPECT_EQ(u.size(), 3u) << u.dump();  // login, name, role: nothing else
            logins.push_back(u["login"]);
            if (u["login"] == "ivanova") {
                EXPECT_EQ(u["name"], "Иванова А.");
                EXPECT_EQ(u["role"], "clerk");
            } else if (u["login"] == "admin") {
                EXPECT_EQ(u["role"], "admin");
            }
        }
        // By login; clerk6 is switched off.
        EXPECT_EQ(logins, (std::vector<std::string>{"admin", "clerk1", "clerk2", "clerk3", "clerk4",
                                                    "clerk5", "ivanova"}))
            << list.raw.body;
        EXPECT_EQ(list.raw.body.find("$argon2"), std::string::npos);
        EXPECT_EQ(list.raw.body.find("password"), std::string::npos);
    }
}

}  // namespace
}  // namespace talon
