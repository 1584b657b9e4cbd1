// The whole story through the real talon-server and the real libcurl client:
// issue → call → the event and the board show it → done; resume by Last-Event-ID across a
// server restart; bad input answered with 4xx and changing nothing.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>

#include "../support/server_process.h"
#include "../support/test_names.h"
#include "talon/common/api_client.h"
#include "talon/common/event_stream.h"
#include "talon/common/http_client.h"

namespace talon {
namespace {

using namespace std::chrono_literals;

/// Collects stream events and lets the test wait for a condition on them.
class EventLog {
public:
    EventStream::Handlers handlers() {
        return {[this](const QueueEvent& e) {
                    std::lock_guard lock(m_mutex);
                    m_events.push_back(e);
                    m_cv.notify_all();
                },
                [this](bool c) {
                    std::lock_guard lock(m_mutex);
                    m_connected = c;
                    if (c) ++m_connects;
                    m_cv.notify_all();
                }};
    }
    template <class Pred>
    bool waitFor(Pred pred, std::chrono::milliseconds timeout = 10s) {
        std::unique_lock lock(m_mutex);
        return m_cv.wait_for(lock, timeout, [&] { return pred(m_events, m_connected, m_connects); });
    }
    std::vector<QueueEvent> events() {
        std::lock_guard lock(m_mutex);
        return m_events;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::vector<QueueEvent> m_events;
    bool m_connected = false;
    int m_connects = 0;
};

bool hasEvent(const std::vector<QueueEvent>& events, const std::string& type, const std::string& number) {
    for (const auto& e : events) {
        if (e.type == type && e.ticket && e.ticket->number == number) return true;
    }
    return false;
}

TEST(StoryTest, IssueCallBoardDone) {
    test::ServerProcess server;
    ASSERT_TRUE(server.running());
    ApiClient api(server.url());
    ASSERT_TRUE(api.health().ok());

    EventLog log;
    EventStream stream(server.url(), log.handlers());
    stream.start(0);
    ASSERT_TRUE(log.waitFor([](auto&, bool connected, int) { return connected; }));

    auto services = api.services();
    ASSERT_TRUE(services.ok());
    ASSERT_EQ(services.value().size(), 6u);
    EXPECT_EQ(services.value()[0].letter, "A");
    EXPECT_EQ(services.value()[0].names.at("ru"), "Оплата и счета");

    auto t1 = api.issueTicket("A", "story-1");
    ASSERT_TRUE(t1.ok()) << t1.error().message;
    EXPECT_EQ(t1.value().number, "A001");
    EXPECT_EQ(t1.value().ahead, 0);
    auto t2 = api.issueTicket("A");
    ASSERT_TRUE(t2.ok());
    EXPECT_EQ(t2.value().ahead, 1);

    auto called = api.callNext(1);
    ASSERT_TRUE(called.ok()) << called.error().message;
    ASSERT_TRUE(called.value().has_value());
    EXPECT_EQ(called.value()->number, "A001");
    EXPECT_EQ(called.value()->window, 1);

    ASSERT_TRUE(log.waitFor([](auto& ev, bool, int) { return hasEvent(ev, "ticket.called", "A001"); }));
    auto events = log.events();
    for (size_t i = 1; i < events.size(); ++i) EXPECT_LT(events[i - 1].id, events[i].id);
    EXPECT_EQ(events.back().waiting.at("A"), 1);

    auto board = api.board();
    ASSERT_TRUE(board.ok()) << board.error().message;
    ASSERT_EQ(board.value().calls.size(), 1u);
    EXPECT_EQ(board.value().calls[0].number, "A001");
    EXPECT_EQ(board.value().calls[0].window, 1);
    EXPECT_EQ(board.value().services[0].waiting, 1);
    EXPECT_EQ(board.value().lastEventId, events.back().id);

    auto window = api.window(1);
    ASSERT_TRUE(window.ok());
    ASSERT_TRUE(window.value().current.has_value());
    EXPECT_EQ(window.value().current->number, "A001");

    auto done = api.done(1);
    ASSERT_TRUE(done.ok());
    EXPECT_EQ(done.value().status, TicketStatus::Done);
    ASSERT_TRUE(log.waitFor([](auto& ev, bool, int) { return hasEvent(ev, "ticket.done", "A001"); }));

    // The retry of the first touch returns the same ticket, now done, and issues nothing.
    auto retry = api.issueTicket("A", "story-1");
    ASSERT_TRUE(retry.ok());
    EXPECT_EQ(retry.value().id, t1.value().id);
    EXPECT_EQ(api.services().value()[0].waiting, 1);

    auto next = api.callNext(1);
    ASSERT_TRUE(next.ok() && next.value());
    EXPECT_EQ(next.value()->number, "A002");
    ASSERT_TRUE(api.done(1).ok());
    auto empty = api.callNext(1);
    ASSERT_TRUE(empty.ok());
    EXPECT_FALSE(empty.value().has_value());  // 204: nobody waits
}

TEST(StoryTest, StreamResumesAcrossServerRestart) {
    test::ServerProcess server;
    ApiClient api(server.url());
    ASSERT_TRUE(api.issueTicket("B").ok());

    EventLog log;
    EventStream::Options fast;
    fast.backoffInitial = 50ms;
    fast.backoffMax = 200ms;
    EventStream stream(server.url(), log.handlers(), fast);
    stream.start(0);
    ASSERT_TRUE(log.waitFor([](auto&, bool connected, int) { return connected; }));
    ASSERT_TRUE(api.issueTicket("B").ok());
    ASSERT_TRUE(log.waitFor([](auto& ev, bool, int) { return hasEvent(ev, "ticket.issued", "B002"); }));

    // Crash the server (no clean shutdown) and, while it is down, nothing can happen; then
    // it comes back and calls happen before the client reconnects or after it.
    server.kill();
    ASSERT_TRUE(log.waitFor([](auto&, bool connected, int) { return !connected; }));
    ASSERT_TRUE(server.restart());
    ApiClient api2(server.url());
    auto c = api2.callNext(3);  // window 3 serves B
    ASSERT_TRUE(c.ok() && c.value());
    EXPECT_EQ(c.value()->number, "B001");
    ASSERT_TRUE(log.waitFor([](auto& ev, bool, int) { return hasEvent(ev, "ticket.called", "B001"); }));

    // Nothing missed, nothing twice.
    auto events = log.events();
    std::set<int64_t> ids;
    for (const auto& e : events) EXPECT_TRUE(ids.insert(e.id).second) << "event " << e.id << " twice";
    for (size_t i = 1; i < events.size(); ++i) EXPECT_EQ(events[i].id, events[i - 1].id + 1);
}

TEST(StoryTest, LastEventIdReplaysEverythingAfterIt) {
    test::ServerProcess server;
    ApiClient api(server.url());
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(api.issueTicket("C").ok());
    EventLog log;
    EventStream stream(server.url(), log.handlers());
    stream.start(2);
    ASSERT_TRUE(log.waitFor([](auto& ev, bool, int) { return ev.size() >= 3; }));
    auto events = log.events();
    EXPECT_EQ(events[0].id, 3);
    EXPECT_EQ(events[0].ticket->number, "C003");
    EXPECT_EQ(events[2].ticket->number, "C005");
}

struct BadRequest {
    const char* name;
    const char* method;
    const char* path;
    std::string body;
    int status;
    const char* code;
};

class BadInputTest : public ::testing::TestWithParam<BadRequest> {};

TEST_P(BadInputTest, ClearJsonErrorAndNothingChanges) {
    static test::ServerProcess* server = nullptr;
    static std::unique_ptr<test::ServerProcess> holder;
    if (!server) {
        holder = std::make_unique<test::ServerProcess>();
        server = holder.get();
    }
    const BadRequest& r = GetParam();
    HttpClient http(server->url());
    auto before = http.get("/api/v1/board");
    ASSERT_TRUE(before.ok());
    auto res = std::string(r.method) == "GET" ? http.get(r.path, {{"Accept-Language", "ru"}})
                                              : http.post(r.path, r.body, {{"Accept-Language", "ru"}});
    ASSERT_TRUE(res.ok()) << r.name;
    EXPECT_EQ(res.value().status, r.status) << r.name << ": " << res.value().body;
    auto j = nlohmann::json::parse(res.value().body, nullptr, false);
    ASSERT_TRUE(j.is_object()) << r.name << ": " << res.value().body;
    EXPECT_EQ(j["error"]["code"], r.code) << r.name;
    const std::string message = j["error"]["message"];
    EXPECT_FALSE(message.empty());
    // Russian was asked for: the message is in Cyrillic (UTF-8 bytes 0xD0/0xD1 lead).
    EXPECT_NE(message.find('\xD0'), std::string::npos) << r.name << ": " << message;
    auto after = http.get("/api/v1/board");
    EXPECT_EQ(before.value().body, after.value().body) << r.name;
    EXPECT_TRUE(http.get("/api/v1/health").ok());
}

INSTANTIATE_TEST_SUITE_P(
    Requests, BadInputTest,
    ::testing::Values(
        BadRequest{"malformed", "POST", "/api/v1/tickets", "{\"service\": ", 400, "bad_json"},
        BadRequest{"not an object", "POST", "/api/v1/tickets", "[\"A\"]", 400, "bad_request"},
        BadRequest{"missing service", "POST", "/api/v1/tickets", "{}", 400, "bad_request"},
        BadRequest{"wrong type", "POST", "/api/v1/tickets", "{\"service\": [1]}", 400, "bad_request"},
        BadRequest{"bool service", "POST", "/api/v1/tickets", "{\"service\": true}", 400, "bad_request"},
        BadRequest{"unknown service", "POST", "/api/v1/tickets", "{\"service\": \"Z\"}", 422, "unknown_service"},
        BadRequest{"long service", "POST", "/api/v1/tickets", "{\"service\": \"" + std::string(200, 'A') + "\"}", 400, "bad_request"},
        BadRequest{"bad priority", "POST", "/api/v1/tickets", "{\"service\": \"A\", \"priority\": \"vip\"}", 400, "bad_request"},
        BadRequest{"oversized", "POST", "/api/v1/tickets", "{\"service\": \"" + std::string(100000, 'A') + "\"}", 413, "payload_too_large"},
        BadRequest{"invalid utf8", "POST", "/api/v1/tickets", "{\"service\": \"\xff\xfe\"}", 400, "bad_json"},
        BadRequest{"unknown window", "POST", "/api/v1/windows/77/call-next", "{}", 404, "unknown_window"},
        BadRequest{"window not a number", "POST", "/api/v1/windows/abc/call-next", "{}", 404, "unknown_window"},
        BadRequest{"huge window number", "POST", "/api/v1/windows/99999999999999999999/call-next", "{}", 404, "unknown_window"},
        BadRequest{"done with nothing", "POST", "/api/v1/windows/2/done", "{}", 409, "no_current_ticket"},
        BadRequest{"no such route", "GET", "/api/v1/nothing", "", 404, "not_found"}),
    [](const auto& info) { return test::testName(info.param.name); });

TEST(StoryTest, IdempotencyKeyValidated) {
    test::ServerProcess server;
    HttpClient http(server.url());
    auto res = http.post("/api/v1/tickets", R"({"service":"A"})", {{"Idempotency-Key", std::string(200, 'k')}});
    ASSERT_TRUE(res.ok());
    EXPECT_EQ(res.value().status, 400);
    auto same = http.post("/api/v1/tickets", R"({"service":"A"})", {{"Idempotency-Key", "k1"}});
    auto again = http.post("/api/v1/tickets", R"({"service":"A"})", {{"Idempotency-Key", "k1"}});
    ASSERT_TRUE(same.ok() && again.ok());
    EXPECT_EQ(same.value().status, 201);
    EXPECT_EQ(again.value().status, 201);
    EXPECT_EQ(again.value().header("idempotent-replayed"), "true");
    EXPECT_EQ(nlohmann::json::parse(same.value().body)["id"], nlohmann::json::parse(again.value().body)["id"]);
    auto conflict = http.post("/api/v1/tickets", R"({"service":"B"})", {{"Idempotency-Key", "k1"}});
    ASSERT_TRUE(conflict.ok());
    EXPECT_EQ(conflict.value().status, 409);
}

TEST(StoryTest, TransportFailureIsToldApartFromHttpError) {
    ApiClient api("http://127.0.0.1:1");  // nothing listens on port 1
    auto r = api.services();
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().unreachable());
}

TEST(StoryTest, TicketIssuedSurvivesCrash) {
    test::ServerProcess server;
    ApiClient api(server.url());
    auto t = api.issueTicket("D", "crash-key");
    ASSERT_TRUE(t.ok());
    server.kill();  // SIGKILL right after the answer
    ASSERT_TRUE(server.restart());
    ApiClient api2(server.url());
    auto again = api2.issueTicket("D", "crash-key");
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again.value().id, t.value().id);
    EXPECT_EQ(api2.services().value()[3].waiting, 1);
}

}  // namespace
}  // namespace talon
