// Every lifecycle endpoint through the real server and the real client: the steps, their
// events on the stream, 409s with clear messages for illegal steps, and the 8-clerks /
// 4-kiosks load where nothing is served twice, numbers never repeat and nobody is forgotten.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "../support/server_process.h"
#include "talon/common/api_client.h"
#include "talon/common/http_client.h"

namespace talon {
namespace {

using nlohmann::json;

struct Http {
    explicit Http(const std::string& url) : client(url) {}
    json post(const std::string& path, const json& body, int expect, const std::string& lang = "en") {
        auto r = client.post(path, body.dump(), {{"Accept-Language", lang}});
        EXPECT_TRUE(r.ok());
        if (!r.ok()) return {};
        EXPECT_EQ(r.value().status, expect) << path << ": " << r.value().body;
        return r.value().body.empty() ? json{} : json::parse(r.value().body, nullptr, false);
    }
    json get(const std::string& path, int expect = 200) {
        auto r = client.get(path);
        EXPECT_TRUE(r.ok());
        if (!r.ok()) return {};
        EXPECT_EQ(r.value().status, expect) << path << ": " << r.value().body;
        return json::parse(r.value().body, nullptr, false);
    }
    HttpClient client;
};

TEST(LifecycleHttpTest, FullDayAtOneWindow) {
    test::ServerProcess server;
    Http http(server.url());
    const json a1 = http.post("/api/v1/tickets", {{"service", "A"}}, 201);
    const json a2 = http.post("/api/v1/tickets", {{"service", "A"}}, 201);
    EXPECT_TRUE(a1.contains("ewt_seconds"));
    EXPECT_EQ(a2["ahead"], 1);

    json called = http.post("/api/v1/windows/1/call-next", {{"clerk", "petrova"}}, 200);
    EXPECT_EQ(called["number"], "A001");
    json recalled = http.post("/api/v1/windows/1/recall", json::object(), 200);
    EXPECT_EQ(recalled["recalls"], 1);
    json started = http.post("/api/v1/windows/1/start", json::object(), 200);
    EXPECT_EQ(started["status"], "serving");
    json transferred = http.post("/api/v1/windows/1/transfer", {{"service", "C"}, {"note", "tariff question"}}, 200);
    EXPECT_EQ(transferred["status"], "waiting");
    EXPECT_EQ(transferred["service"], "C");
    EXPECT_EQ(transferred["issued_at"], a1["issued_at"]);

    // Window 3 serves C: the transferred ticket is there, ahead of anything issued after it.
    json again = http.post("/api/v1/windows/3/call-next", json::object(), 200);
    EXPECT_EQ(again["id"], a1["id"]);
    json done = http.post("/api/v1/windows/3/done", {{"outcome", "referred"}}, 200);
    EXPECT_EQ(done["outcome"], "referred");

    json next = http.post("/api/v1/windows/1/call-next", json::object(), 200);
    EXPECT_EQ(next["id"], a2["id"]);
    json back = http.post("/api/v1/windows/1/return", json::object(), 200);
    EXPECT_EQ(back["status"], "waiting");
    json ticket = http.get("/api/v1/tickets/" + std::to_string(a2["id"].get<int64_t>()));
    EXPECT_EQ(ticket["status"], "waiting");
    EXPECT_EQ(ticket["ahead"], 0);
    EXPECT_TRUE(ticket.contains("ewt_seconds"));

    json specific = http.post("/api/v1/windows/2/call/" + std::to_string(a2["id"].get<int64_t>()), json::object(), 200);
    EXPECT_EQ(specific["window"], 2);
    json noShow = http.post("/api/v1/windows/2/no-show", json::object(), 200);
    EXPECT_EQ(noShow["status"], "no_show");

    json paused = http.post("/api/v1/windows/3/pause", {{"reason", "lunch"}}, 200);
    EXPECT_EQ(paused["state"], "paused");
    json windows = http.get("/api/v1/windows");
    EXPECT_EQ(windows["windows"][2]["state"], "paused");
    EXPECT_EQ(windows["windows"][2]["pause_reason"], "lunch");
    http.post("/api/v1/windows/3/resume", json::object(), 200);

    const json c1 = http.post("/api/v1/tickets", {{"service", "C"}}, 201);
    json cancelled = http.post("/api/v1/tickets/" + std::to_string(c1["id"].get<int64_t>()) + "/cancel", json::object(), 200);
    EXPECT_EQ(cancelled["status"], "cancelled");
}

TEST(LifecycleHttpTest, IllegalStepsAnswer409InTheCallersLanguage) {
    test::ServerProcess server;
    Http http(server.url());
    const json t = http.post("/api/v1/tickets", {{"service", "A"}}, 201);
    http.post("/api/v1/windows/1/call-next", json::object(), 200);
    http.post("/api/v1/windows/1/done", json::object(), 200);
    const std::string id = std::to_string(t["id"].get<int64_t>());
    json again = http.post("/api/v1/windows/2/call/" + id, json::object(), 409, "ru");
    EXPECT_EQ(again["error"]["code"], "illegal_transition");
    const std::string msg = again["error"]["message"];
    EXPECT_NE(msg.find("A001"), std::string::npos) << msg;
    EXPECT_NE(msg.find("обслужен"), std::string::npos) << msg;
    json cancel = http.post("/api/v1/tickets/" + id + "/cancel", json::object(), 409);
    EXPECT_EQ(cancel["error"]["code"], "illegal_transition");
    json recall = http.post("/api/v1/windows/1/recall", json::object(), 409);
    EXPECT_EQ(recall["error"]["code"], "no_current_ticket");
    json badTransfer = http.post("/api/v1/windows/1/transfer", {{"service", "A"}, {"window", 2}}, 400);
    EXPECT_EQ(badTransfer["error"]["code"], "bad_request");
    json badOutcome = http.post("/api/v1/windows/1/done", {{"outcome", 5}}, 400);
    EXPECT_EQ(badOutcome["error"]["code"], "bad_request");
    http.get("/api/v1/tickets/999999", 404);
    http.get("/api/v1/tickets/abc", 404);
}

TEST(LifecycleHttpTest, EightClerksFourKiosks) {
    test::ServerProcess server;
    constexpr int kTickets = 400;
    const char* services[] = {"A", "B", "C", "D", "E", "V"};
    std::mutex mutex;
    std::set<std::string> numbers;
    std::map<int64_t, int> served;
    std::atomic<int> issued{0};
    std::atomic<bool> issuing{true};
    std::vector<std::thread> threads;
    for (int k = 0; k < 4; ++k) {
        threads.emplace_back([&, k] {
            ApiClient api(server.url());
            for (int i = k; i < kTickets; i += 4) {
                auto t = api.issueTicket(services[(i * 7 + k) % 6]);
                ASSERT_TRUE(t.ok()) << t.error().message;
                std::lock_guard lock(mutex);
                EXPECT_TRUE(numbers.insert(t.value().number).second) << t.value().number << " issued twice";
                ++issued;
            }
        });
    }
    // Eight clerks on six windows: windows 1 and 2 have two clerks each racing on the same
    // window, which must never double-call either.
    for (int c = 0; c < 8; ++c) {
        const int w = c < 6 ? c + 1 : c - 5;
        threads.emplace_back([&, w] {
            HttpClient http(server.url());
            int idle = 0;
            while (idle < 5) {
                auto r = http.post("/api/v1/windows/" + std::to_string(w) + "/call-next", "{}");
                ASSERT_TRUE(r.ok());
                if (r.value().status == 204 || r.value().status == 409) {
                    if (!issuing && r.value().status == 204) ++idle;
                    std::this_thread::sleep_for(std::chrono::milliseconds(3));
                    continue;
                }
                ASSERT_EQ(r.value().status, 200) << r.value().body;
                const auto t = json::parse(r.value().body);
                {
                    std::lock_guard lock(mutex);
                    ++served[t["id"].get<int64_t>()];
                }
                // Either clerk of a shared window may finish it: the other sees 409 and retries.
                auto d = http.post("/api/v1/windows/" + std::to_string(w) + "/done", "{}");
                ASSERT_TRUE(d.ok());
                EXPECT_TRUE(d.value().status == 200 || d.value().status == 409) << d.value().body;
            }
        });
    }
    for (int k = 0; k < 4; ++k) threads[static_cast<size_t>(k)].join();
    issuing = false;
    for (size_t i = 4; i < threads.size(); ++i) threads[i].join();

    EXPECT_EQ(issued.load(), kTickets);
    EXPECT_EQ(numbers.size(), static_cast<size_t>(kTickets)) << "numbers repeated within the day";
    EXPECT_EQ(served.size(), static_cast<size_t>(kTickets)) << "someone waited forever while a window was free";
    for (const auto& [id, times] : served) EXPECT_EQ(times, 1) << "ticket " << id << " served twice";
    ApiClient api(server.url());
    for (const auto& s : api.services().value()) EXPECT_EQ(s.waiting, 0) << s.letter;
}

}  // namespace
}  // namespace talon
