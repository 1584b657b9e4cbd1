// What the clerk console reads and does, through the real talon-server: call-next keeping to
// the services the clerk chose, the waiting list (order, filters, a typed number), a ticket's
// history, the longest wait per service in /services, the board and the stream, the clerk's
// own figures for the day, the fonts; bad input refused with the field named and nothing
// changed; and the reads closed without a session when logins are required.
#include <algorithm>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "../support/json_client.h"
#include "../support/server_process.h"
#include "../support/shared_server.h"
#include "../support/test_names.h"
#include "talon/common/http_client.h"
#include "talon/common/time.h"

namespace talon {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using test::JsonClient;
using test::Reply;

constexpr const char* kFonts = "/usr/share/fonts/truetype/dejavu";

class ClerkConsoleHttpTest : public ::testing::Test {
protected:
    /// A server with `auth` as its [auth] section.
    std::unique_ptr<test::ServerProcess> start(const std::string& auth) {
        auto server = std::make_unique<test::ServerProcess>(
            std::vector<std::string>{"--config", test::writeAuthConfig(m_dir.path(), auth)});
        EXPECT_TRUE(server->running());
        return server;
    }
    test::TempDir m_dir;
};

/// The stored events from the first on, as the stream replays them (raw `data` kept), until
/// one of `lastType` has come.
std::vector<std::pair<std::string, json>> replayUntil(const std::string& url,
                                                      const std::string& lastType) {
    HttpClient http(url);
    std::string text;
    std::vector<std::pair<std::string, json>> events;
    HttpClient::StreamHandlers handlers;
    handlers.onStart = [](int status) { return status == 200; };
    handlers.onData = [&](std::string_view chunk) {
        text.append(chunk);
        for (size_t end; (end = text.find("\n\n")) != std::string::npos; text.erase(0, end + 2)) {
            std::string type, data;
            const std::string block = text.substr(0, end);
            size_t from = 0;
            while (from < block.size()) {
                size_t eol = block.find('\n', from);
                if (eol == std::string::npos) eol = block.size();
                const std::string line = block.substr(from, eol - from);
                if (line.rfind("event: ", 0) == 0) type = line.substr(7);
                if (line.rfind("data: ", 0) == 0) data = line.substr(6);
                from = eol + 1;
            }
            if (!type.empty()) events.emplace_back(type, json::parse(data, nullptr, false));
            if (type == lastType) return false;
        }
        return true;
    };
    handlers.keepGoing = [] { return true; };
    (void)http.stream("/api/v1/events?last_event_id=0", {}, handlers, 5s);
    return events;
}

TEST_F(ClerkConsoleHttpTest, CallNextKeepsToTheChosenServices) {
    auto server = start("require_login = true\ndemo_users = true\n");
    JsonClient c(server->url());
    const json c1 = c.post("/api/v1/tickets", {{"service", "C"}}).body;  // window 1: A and C
    const json a1 = c.post("/api/v1/tickets", {{"service", "A"}}).body;
    const std::string clerk1 = c.atWindow("clerk1", "demo", 1, {"A"});

    Reply first = c.post("/api/v1/windows/1/call-next", json::object(), clerk1);
    ASSERT_EQ(first.status, 200) << first.raw.body;
    EXPECT_EQ(first.body["id"], a1["id"]);  // though C has waited longer
    ASSERT_EQ(c.post("/api/v1/windows/1/done", json::object(), clerk1).status, 200);
    Reply none = c.post("/api/v1/windows/1/call-next", json::object(), clerk1);
    EXPECT_EQ(none.status, 204) << none.raw.body;  // C waits, but it was not chosen
    EXPECT_EQ(c.get("/api/v1/tickets/" + std::to_string(c1["id"].get<int64_t>())).body["status"],
              "waiting");

    // Every service again ([] = all of the window's).
    ASSERT_EQ(c.post("/api/v1/session/window", {{"window", 1}, {"services", json::array()}}, clerk1)
                  .status,
              200);
    Reply second = c.post("/api/v1/windows/1/call-next", json::object(), clerk1);
    ASSERT_EQ(second.status, 200) << second.raw.body;
    EXPECT_EQ(second.body["id"], c1["id"]);
}

TEST_F(ClerkConsoleHttpTest, WithLoginsOffASessionStillBringsItsChoice) {
    auto server = start("require_login = false\ndemo_users = true\n");
    JsonClient c(server->url());
    const json c1 = c.post("/api/v1/tickets", {{"service", "C"}}).body;
    const json a1 = c.post("/api/v1/tickets", {{"service", "A"}}).body;
    const std::string clerk1 = c.atWindow("clerk1", "demo", 1, {"A"});
    Reply chosen = c.post("/api/v1/windows/1/call-next", {{"clerk", "someone"}}, clerk1);
    ASSERT_EQ(chosen.status, 200) << chosen.raw.body;
    EXPECT_EQ(chosen.body["id"], a1["id"]);
    Reply history =
        c.get("/api/v1/tickets/" + std::to_string(a1["id"].get<int64_t>()) + "/history");
    EXPECT_EQ(history.body["history"][1]["clerk"],
              "clerk1");  // the session's login, not the body's
    ASSERT_EQ(c.post("/api/v1/windows/1/done", json::object(), clerk1).status, 200);
    // Without a session the window serves everything, as before.
    Reply open = c.post("/api/v1/windows/1/call-next", json::object());
    ASSERT_EQ(open.status, 200) << open.raw.body;
    EXPECT_EQ(open.body["id"], c1["id"]);
}

TEST_F(ClerkConsoleHttpTest, QueueListsWaitingTicketsInCallOrder) {
    test::ServerProcess server;
    JsonClient c(server.url());
    const json a1 = c.post("/api/v1/tickets", {{"service", "A"}}).body;
    const json b1 = c.post("/api/v1/tickets", {{"service", "B"}}).body;
    const json vip = c.post("/api/v1/tickets", {{"service", "A"}, {"priority", "priority"}}).body;
    const json a3 = c.post("/api/v1/tickets", {{"service", "A"}}).body;

    Reply all = c.get("/api/v1/queue");
    ASSERT_EQ(all.status, 200) << all.raw.body;
    EXPECT_EQ(all.raw.header("cache-control"), "no-store");
    EXPECT_EQ(all.body["total"], 4);
    ASSERT_EQ(all.body["tickets"].size(), 4u);
    std::vector<json> ids;
    for (const auto& t : all.body["tickets"]) ids.push_back(t["id"]);
    EXPECT_EQ(ids, (std::vector<json>{vip["id"], a1["id"], b1["id"], a3["id"]}));
    const json& first = all.body["tickets"][1];
    EXPECT_EQ(first["number"], "A001");
    EXPECT_EQ(first["service"], "A");
    EXPECT_EQ(first["priority"], "normal");
    EXPECT_EQ(first["issued_at"], a1["issued_at"]);
    EXPECT_TRUE(first["assigned_window"].is_null());
    EXPECT_GE(first["wait_seconds"].get<int>(), 0);
    EXPECT_EQ(all.body["tickets"][0]["priority"], "priority");

    Reply two = c.get("/api/v1/queue?service=A&service=B&limit=2");
    ASSERT_EQ(two.status, 200) << two.raw.body;
    EXPECT_EQ(two.body["total"], 4);
    EXPECT_EQ(two.body["tickets"].size(), 2u);
    Reply onlyB = c.get("/api/v1/queue?service=B");
    EXPECT_EQ(onlyB.body["total"], 1);
    EXPECT_EQ(onlyB.body["tickets"][0]["id"], b1["id"]);

    // A number typed by the clerk, then called out of turn.
    Reply typed = c.get("/api/v1/queue?number=a003");
    ASSERT_EQ(typed.body["tickets"].size(), 1u);
    EXPECT_EQ(typed.body["tickets"][0]["id"], a3["id"]);
    // Typed on a Russian layout: Cyrillic "а" looks like the printed Latin "A".
    Reply cyrillic = c.get("/api/v1/queue?number=%D0%B0003");
    ASSERT_EQ(cyrillic.body["tickets"].size(), 1u) << cyrillic.raw.body;
    EXPECT_EQ(cyrillic.body["tickets"][0]["id"], a3["id"]);
    Reply noSuch = c.get("/api/v1/queue?number=%D0%94003");  // "Д003": no ticket has such a number
    EXPECT_EQ(noSuch.status, 200);
    EXPECT_TRUE(noSuch.body["tickets"].empty());
    const std::string id = std::to_string(typed.body["tickets"][0]["id"].get<int64_t>());
    ASSERT_EQ(c.post("/api/v1/windows/2/call/" + id, json::object()).status, 200);
    EXPECT_TRUE(c.get("/api/v1/queue?number=A003").body["tickets"].empty());
    EXPECT_EQ(c.get("/api/v1/queue").body["total"], 3);
}

TEST_F(ClerkConsoleHttpTest, QueueForAWindowListsWhatItsCallNextWouldConsider) {
    test::ServerProcess server;
    JsonClient c(server.url());
    const json a1 = c.post("/api/v1/tickets", {{"service", "A"}}).body;
    const json a2 = c.post("/api/v1/tickets", {{"service", "A"}}).body;
    const json d1 = c.post("/api/v1/tickets", {{"service", "D"}}).body;
    // a1 goes to window 3, d1 (a service window 1 does not serve) to window 1.
    ASSERT_EQ(c.post("/api/v1/windows/2/call/" + std::to_string(a1["id"].get<int64_t>()), json::object()).status, 200);
    ASSERT_EQ(c.post("/api/v1/windows/2/transfer", {{"window", 3}}).status, 200);
    ASSERT_EQ(c.post("/api/v1/windows/4/call-next", json::object()).status, 200);
    ASSERT_EQ(c.post("/api/v1/windows/4/transfer", {{"window", 1}}).status, 200);

    auto ids = [&](const std::string& path) {
        Reply r = c.get(path);
        EXPECT_EQ(r.status, 200) << r.raw.body;
        std::vector<json> out;
        for (const auto& t : r.body["tickets"]) out.push_back(t["id"]);
        std::sort(out.begin(), out.end());
        return out;
    };
    // (ids in issue order: a1 < a2 < d1.) Window 1 serving A and C: its own transfer in, window 3's out.
    EXPECT_EQ(ids("/api/v1/queue?service=A&service=C&window=1"), (std::vector<json>{a2["id"], d1["id"]}));
    EXPECT_EQ(ids("/api/v1/queue?service=A&window=3"), (std::vector<json>{a1["id"], a2["id"]}));
    // Without a window, every waiting ticket of the services asked for.
    EXPECT_EQ(ids("/api/v1/queue?service=A"), (std::vector<json>{a1["id"], a2["id"]}));
    for (const char* bad : {"0", "1000", "x", "-1", "99999999999999999999"}) {
        Reply r = c.get(std::string("/api/v1/queue?window=") + bad);
        EXPECT_EQ(r.status, 400) << bad;
        EXPECT_EQ(r.body["error"]["code"], "bad_request") << bad;
    }
}

TEST_F(ClerkConsoleHttpTest, HistoryTellsEveryStepOldestFirst) {
    auto server = start("require_login = false\ndemo_users = true\n");
    JsonClient c(server->url());
    const json ticket = c.post("/api/v1/tickets", {{"service", "A"}}).body;
    const std::string clerk1 = c.atWindow("clerk1", "demo", 1);
    ASSERT_EQ(c.post("/api/v1/windows/1/call-next", json::object(), clerk1).status, 200);
    ASSERT_EQ(c.post("/api/v1/windows/1/start", json::object(), clerk1).status, 200);
    ASSERT_EQ(
        c.post("/api/v1/windows/1/transfer", {{"window", 3}, {"note", "meter"}}, clerk1).status,
        200);
    ASSERT_EQ(c.post("/api/v1/windows/3/call-next", {{"clerk", "petrova"}}).status, 200);
    ASSERT_EQ(
        c.post("/api/v1/windows/3/done", {{"outcome", "referred"}, {"clerk", "petrova"}}).status,
        200);

    const std::string path =
        "/api/v1/tickets/" + std::to_string(ticket["id"].get<int64_t>()) + "/history";
    Reply h = c.get(path);
    ASSERT_EQ(h.status, 200) << h.raw.body;
    EXPECT_EQ(h.raw.header("cache-control"), "no-store");
    EXPECT_EQ(h.body["ticket"]["id"], ticket["id"]);
    EXPECT_EQ(h.body["ticket"]["status"], "done");
    const json& steps = h.body["history"];
    ASSERT_EQ(steps.size(), 6u) << steps.dump();
    EXPECT_EQ(steps[0], (json{{"at", ticket["issued_at"]},
                              {"action", "issue"},
                              {"from", nullptr},
                              {"to", "waiting"},
                              {"window", nullptr},
                              {"clerk", nullptr},
                              {"clerk_name", nullptr},
                              {"detail", json::object()}}));
    EXPECT_EQ(steps[1]["action"], "call");
    EXPECT_EQ(steps[1]["from"], "waiting");
    EXPECT_EQ(steps[1]["to"], "called");
    EXPECT_EQ(steps[1]["window"], 1);
    EXPECT_EQ(steps[1]["clerk"], "clerk1");
    EXPECT_EQ(steps[1]["clerk_name"], "Иванова А.");
    EXPECT_EQ(steps[2]["action"], "start");
    EXPECT_EQ(steps[3]["action"], "transfer");
    EXPECT_EQ(
        steps[3]["detail"],
        (json{{"from_service", "A"}, {"to_service", "A"}, {"to_window", 3}, {"note", "meter"}}));
    EXPECT_EQ(steps[4]["clerk"], "petrova");
    EXPECT_TRUE(steps[4]["clerk_name"].is_null());
    EXPECT_EQ(steps[5]["action"], "done");
    EXPECT_EQ(steps[5]["detail"], (json{{"outcome", "referred"}}));
    EXPECT_EQ(steps[5]["at"], h.body["ticket"]["finished_at"]);
    for (size_t i = 1; i < steps.size(); ++i) {
        EXPECT_LE(steps[i - 1]["at"].get<std::string>(), steps[i]["at"].get<std::string>()) << i;
    }
}

TEST_F(ClerkConsoleHttpTest, LongestWaitInServicesBoardAndEvents) {
    test::ServerProcess server;
    JsonClient c(server.url());
    auto oldestIn = [](const json& services, const std::string& letter) {
        for (const auto& s : services) {
            if (s["letter"] == letter) return s["oldest_issued_at"];
        }
        return json("no such service");
    };
    EXPECT_TRUE(oldestIn(c.get("/api/v1/services").body["services"], "A").is_null());
    const json a1 = c.post("/api/v1/tickets", {{"service", "A"}}).body;
    const json a2 = c.post("/api/v1/tickets", {{"service", "A"}}).body;
    EXPECT_EQ(oldestIn(c.get("/api/v1/services").body["services"], "A"), a1["issued_at"]);
    EXPECT_TRUE(oldestIn(c.get("/api/v1/services").body["services"], "B").is_null());
    ASSERT_EQ(c.post("/api/v1/windows/1/call-next", json::object()).status, 200);
    EXPECT_EQ(oldestIn(c.get("/api/v1/board").body["services"], "A"), a2["issued_at"]);
    ASSERT_EQ(c.post("/api/v1/windows/1/done", json::object()).status, 200);
    ASSERT_EQ(c.post("/api/v1/windows/5/pause", {{"reason", "lunch"}}).status, 200);

    const auto events = replayUntil(server.url(), "window.paused");
    ASSERT_EQ(events.size(), 5u);
    EXPECT_EQ(events[0].first, "ticket.issued");
    EXPECT_EQ(events[0].second["oldest"]["A"], a1["issued_at"]);
    EXPECT_TRUE(events[0].second["oldest"]["B"].is_null());
    EXPECT_EQ(events[0].second["oldest"].size(), events[0].second["waiting"].size());
    EXPECT_EQ(events[2].first, "ticket.called");
    EXPECT_EQ(events[2].second["oldest"]["A"], a2["issued_at"]);
    EXPECT_EQ(events[4].first, "window.paused");
    EXPECT_EQ(events[4].second["oldest"]["A"], a2["issued_at"]);
}

TEST_F(ClerkConsoleHttpTest, MyFiguresForTheDay) {
    auto server = start("require_login = true\ndemo_users = true\n");
    JsonClient c(server->url());
    const std::string clerk2 = c.atWindow("clerk2", "demo", 2);
    Reply empty = c.get("/api/v1/me/stats", clerk2);
    ASSERT_EQ(empty.status, 200) << empty.raw.body;
    EXPECT_EQ(empty.raw.header("cache-control"), "no-store");
    EXPECT_EQ(empty.body["served"], 0);
    EXPECT_TRUE(empty.body["avg_service_seconds"].is_null());
    EXPECT_TRUE(empty.body["avg_wait_seconds"].is_null());
    EXPECT_TRUE(empty.body["last_done_at"].is_null());

    for (const char* s : {"A", "B", "A"})
        ASSERT_EQ(c.post("/api/v1/tickets", {{"service", s}}).status, 201);
    ASSERT_EQ(c.post("/api/v1/windows/2/call-next", json::object(), clerk2).status, 200);
    ASSERT_EQ(c.post("/api/v1/windows/2/start", json::object(), clerk2).status, 200);
    Reply done = c.post("/api/v1/windows/2/done", json::object(), clerk2);
    ASSERT_EQ(done.status, 200);
    ASSERT_EQ(c.post("/api/v1/windows/2/call-next", json::object(), clerk2).status, 200);
    ASSERT_EQ(c.post("/api/v1/windows/2/no-show", json::object(), clerk2).status, 200);
    ASSERT_EQ(c.post("/api/v1/windows/2/call-next", json::object(), clerk2).status, 200);
    ASSERT_EQ(c.post("/api/v1/windows/2/return", json::object(), clerk2).status, 200);
    ASSERT_EQ(c.post("/api/v1/windows/2/call-next", json::object(), clerk2).status, 200);
    ASSERT_EQ(c.post("/api/v1/windows/2/transfer", {{"service", "C"}}, clerk2).status, 200);

    Reply mine = c.get("/api/v1/me/stats", clerk2);
    ASSERT_EQ(mine.status, 200) << mine.raw.body;
    const json& m = mine.body;
    EXPECT_EQ(m.size(), 8u) << m.dump();
    EXPECT_EQ(m["day"].get<std::string>().size(), 10u);
    EXPECT_EQ(m["served"], 1);
    EXPECT_EQ(m["no_shows"], 1);
    EXPECT_EQ(m["transferred"], 1);
    EXPECT_EQ(m["returned"], 1);
    EXPECT_GE(m["avg_service_seconds"].get<int>(), 0);
    EXPECT_GE(m["avg_wait_seconds"].get<int>(), 0);
    EXPECT_EQ(m["last_done_at"], done.body["finished_at"]);
    // Another clerk's figures are their own.
    EXPECT_EQ(c.get("/api/v1/me/stats", c.login("clerk3", "demo")).body["served"], 0);
}

TEST_F(ClerkConsoleHttpTest, FontsFromTheSystem) {
    test::ServerProcess server;
    HttpClient http(server.url());
    for (const auto& [path, file] : {std::pair{"/fonts/sans.ttf", "DejaVuSans.ttf"},
                                     std::pair{"/fonts/sans-bold.ttf", "DejaVuSans-Bold.ttf"}}) {
        std::ifstream in(std::filesystem::path(kFonts) / file, std::ios::binary);
        ASSERT_TRUE(in) << kFonts << "/" << file
                        << " is missing: install the Debian package fonts-dejavu-core";
        const std::string onDisk((std::istreambuf_iterator<char>(in)),
                                 std::istreambuf_iterator<char>());
        auto r = http.get(path);
        ASSERT_TRUE(r.ok());
        EXPECT_EQ(r.value().status, 200) << path;
        EXPECT_EQ(r.value().header("content-type"), "font/ttf");
        EXPECT_EQ(r.value().header("cache-control"), "public, max-age=86400");
        EXPECT_TRUE(r.value().body == onDisk) << path << ": " << r.value().body.size() << " bytes";
    }
    auto other = http.get("/fonts/mono.ttf");
    ASSERT_TRUE(other.ok());
    EXPECT_EQ(other.value().status, 404);
}

TEST_F(ClerkConsoleHttpTest, FontsMissingAre404) {
    const auto config = m_dir.path() / "nofonts.toml";
    std::ofstream(config) << "[server]\nfonts = \"" << (m_dir.path() / "none").string()
                          << "\"\n[auth]\nrequire_login = false\n";
    test::ServerProcess server({"--config", config.string()});
    JsonClient c(server.url());
    Reply r = c.get("/fonts/sans.ttf");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.code(), "not_found");
}

TEST_F(ClerkConsoleHttpTest, WithLoginsTheReadsNeedASession) {
    auto server = start("require_login = true\ndemo_users = true\n");
    JsonClient c(server->url());
    const json ticket = c.post("/api/v1/tickets", {{"service", "A"}}).body;
    const std::string history =
        "/api/v1/tickets/" + std::to_string(ticket["id"].get<int64_t>()) + "/history";
    for (const std::string& path :
         {std::string("/api/v1/queue"), history, std::string("/api/v1/me/stats")}) {
        for (const std::string& token : {std::string(), std::string(64, 'f')}) {
            Reply r = c.get(path, token, "ru");
            EXPECT_EQ(r.status, 401) << path;
            EXPECT_EQ(r.code(), "no_session") << path;
            EXPECT_EQ(r.message(), "Вы не вошли в систему. Войдите, чтобы работать в окне.");
            EXPECT_EQ(r.raw.header("cache-control"), "no-store") << path;
        }
    }
    // Logged in, with or without a window chosen.
    const std::string admin = c.login("admin", "admin");
    EXPECT_EQ(c.get("/api/v1/queue", admin).body["total"], 1);
    EXPECT_EQ(c.get(history, admin).status, 200);
    EXPECT_EQ(c.get("/api/v1/me/stats", admin).status, 200);
    // With logins off the queue and history are open; my figures still need to know who I am.
    test::ServerProcess open;
    JsonClient o(open.url());
    EXPECT_EQ(o.get("/api/v1/queue").status, 200);
    EXPECT_EQ(o.get("/api/v1/me/stats").code(), "no_session");
}

// ---- bad input: refused with the field named, in both languages, and nothing changes -----

struct BadRead {
    std::string name;
    std::string path;
    int status;
    const char* code;
    const char* field;  // named in the message
};

class ClerkReadBadInputTest : public test::SharedServerTest<BadRead> {
public:
    static void SetUpTestSuite() {
        SharedServerTest::SetUpTestSuite();
        JsonClient c(server().url());
        for (const char* s : {"A", "B", "A"}) c.post("/api/v1/tickets", {{"service", s}});
        c.post("/api/v1/windows/2/call-next", json::object());
    }
};

TEST_P(ClerkReadBadInputTest, RefusedWithTheFieldNamedAndNothingChanges) {
    const BadRead& c = GetParam();
    JsonClient client(server().url());
    // The queue's ids and total (wait_seconds moves with the clock).
    auto queue = [&] {
        const json q = client.get("/api/v1/queue").body;
        json ids = json::array();
        for (const auto& t : q["tickets"]) ids.push_back(t["id"]);
        return json{{"total", q["total"]}, {"ids", ids}};
    };
    const std::string board = client.get("/api/v1/board").raw.body;
    const json before = queue();
    for (const std::string lang : {"en", "ru"}) {
        Reply r = client.get(c.path, {}, lang);
        EXPECT_EQ(r.status, c.status) << c.name << ": " << r.raw.body;
        EXPECT_EQ(r.code(), c.code) << c.name;
        EXPECT_NE(r.message().find(c.field), std::string::npos) << c.name << ": " << r.message();
        EXPECT_EQ(r.message().find('\xD0') != std::string::npos, lang == "ru")
            << c.name << ": " << r.message();
    }
    EXPECT_TRUE(client.get("/api/v1/health").status == 200) << "the server is still up";
    EXPECT_EQ(client.get("/api/v1/board").raw.body, board) << c.name;  // last_event_id too
    EXPECT_EQ(queue(), before) << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    Paths, ClerkReadBadInputTest,
    ::testing::Values(
        BadRead{"history id not a number", "/api/v1/tickets/abc/history", 404, "unknown_ticket",
                "abc"},
        BadRead{"history id zero", "/api/v1/tickets/0/history", 404, "unknown_ticket", "0"},
        BadRead{"history id negative", "/api/v1/tickets/-3/history", 404, "unknown_ticket", "-3"},
        BadRead{"history id huge", "/api/v1/tickets/99999999999999999999999/history", 404,
                "unknown_ticket", "99999999999999999999999"},
        BadRead{"history id unknown", "/api/v1/tickets/4242/history", 404, "unknown_ticket",
                "4242"},
        BadRead{"history id with a fraction", "/api/v1/tickets/1.5/history", 404, "unknown_ticket",
                "1.5"},
        BadRead{"limit zero", "/api/v1/queue?limit=0", 400, "bad_request", "limit"},
        BadRead{"limit negative", "/api/v1/queue?limit=-1", 400, "bad_request", "limit"},
        BadRead{"limit too big", "/api/v1/queue?limit=1001", 400, "bad_request", "limit"},
        BadRead{"limit huge", "/api/v1/queue?limit=99999999999999999999999", 400, "bad_request",
                "limit"},
        BadRead{"limit not a number", "/api/v1/queue?limit=ten", 400, "bad_request", "limit"},
        BadRead{"limit empty", "/api/v1/queue?limit=", 400, "bad_request", "limit"},
        BadRead{"unknown service", "/api/v1/queue?service=A&service=Z", 422, "unknown_service",
                "Z"},
        BadRead{"letters in one value", "/api/v1/queue?service=A,B", 422, "unknown_service", "A,B"},
        BadRead{"empty service", "/api/v1/queue?service=", 400, "bad_request", "service"},
        BadRead{"service too long", "/api/v1/queue?service=" + std::string(33, 'A'), 400,
                "bad_request", "service"},
        BadRead{"number with a dash", "/api/v1/queue?number=A-12", 400, "bad_request", "number"},
        BadRead{"number empty", "/api/v1/queue?number=", 400, "bad_request", "number"},
        BadRead{"number too long", "/api/v1/queue?number=" + std::string(17, '1'), 400,
                "bad_request", "number"},
        BadRead{"number with a sign", "/api/v1/queue?number=%E2%84%96012", 400, "bad_request",
                "number"},
        BadRead{"number not UTF-8", "/api/v1/queue?number=%D0A012", 400, "bad_request", "number"},
        BadRead{"my figures without a session", "/api/v1/me/stats", 401, "no_session", " "},
        BadRead{"a font that is not served", "/fonts/mono.ttf", 404, "not_found", " "}),
    [](const auto& info) { return test::testName(info.param.name); });

TEST(ClerkReadBadInputManyServices, MoreThan64ServicesAreRefused) {
    test::ServerProcess server;
    JsonClient c(server.url());
    std::string path = "/api/v1/queue?";
    for (int i = 0; i < 65; ++i)
        path += "service=A" + std::to_string(i) + "&";  // (repeats count once)
    Reply r = c.get(path);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.code(), "bad_request");
    EXPECT_NE(r.message().find("64"), std::string::npos) << r.message();
}

}  // namespace
}  // namespace talon
