// Many windows calling at once through HTTP: every ticket is called exactly once, numbers
// never repeat, and nobody is left waiting while a window could serve them.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "../support/server_process.h"
#include "talon/common/api_client.h"

namespace talon {
namespace {

TEST(ConcurrencyTest, EveryTicketServedExactlyOnce) {
    test::ServerProcess server;
    ASSERT_TRUE(server.running());
    constexpr int kTickets = 300;
    const char* services[] = {"A", "B", "C", "D", "E", "V"};

    // Four kiosks issue while six windows call.
    std::mutex mutex;
    std::set<std::string> numbers;
    std::map<int64_t, int> calledTimes;
    std::atomic<int> issued{0};
    std::atomic<bool> issuing{true};
    std::vector<std::thread> threads;
    for (int k = 0; k < 4; ++k) {
        threads.emplace_back([&, k] {
            ApiClient api(server.url());
            for (int i = k; i < kTickets; i += 4) {
                auto t = api.issueTicket(services[i % 6], "kiosk" + std::to_string(k) + "-" + std::to_string(i));
                ASSERT_TRUE(t.ok()) << t.error().message;
                std::lock_guard lock(mutex);
                EXPECT_TRUE(numbers.insert(t.value().number).second) << "number " << t.value().number << " twice";
                ++issued;
            }
        });
    }
    for (int w = 1; w <= 6; ++w) {
        threads.emplace_back([&, w] {
            ApiClient api(server.url());
            int emptyAfterIssuing = 0;
            while (emptyAfterIssuing < 3) {
                auto c = api.callNext(w);
                ASSERT_TRUE(c.ok()) << c.error().message;
                if (!c.value()) {
                    if (!issuing) ++emptyAfterIssuing;
                    std::this_thread::sleep_for(std::chrono::milliseconds(2));
                    continue;
                }
                EXPECT_EQ(c.value()->window, w);
                {
                    std::lock_guard lock(mutex);
                    ++calledTimes[c.value()->id];
                }
                auto d = api.done(w);
                ASSERT_TRUE(d.ok()) << d.error().message;
            }
        });
    }
    for (int k = 0; k < 4; ++k) threads[static_cast<size_t>(k)].join();
    issuing = false;
    for (size_t i = 4; i < threads.size(); ++i) threads[i].join();

    EXPECT_EQ(issued.load(), kTickets);
    EXPECT_EQ(numbers.size(), static_cast<size_t>(kTickets));
    EXPECT_EQ(calledTimes.size(), static_cast<size_t>(kTickets)) << "some tickets were never called";
    for (const auto& [id, times] : calledTimes) EXPECT_EQ(times, 1) << "ticket " << id;
    ApiClient api(server.url());
    for (const auto& s : api.services().value()) EXPECT_EQ(s.waiting, 0) << s.letter;
}

TEST(ConcurrencyTest, SimultaneousCallsForOneTicket) {
    // One ticket, six windows that all serve its service, all calling at the same moment.
    for (int round = 0; round < 5; ++round) {
        test::ServerProcess server;
        ApiClient api(server.url());
        ASSERT_TRUE(api.issueTicket("C").ok());  // windows 1, 3, 5, 6 serve C
        std::atomic<int> winners{0};
        std::vector<std::thread> threads;
        std::atomic<bool> go{false};
        for (int w : {1, 3, 5, 6}) {
            threads.emplace_back([&, w] {
                ApiClient mine(server.url());
                while (!go) std::this_thread::yield();
                auto c = mine.callNext(w);
                ASSERT_TRUE(c.ok());
                if (c.value()) ++winners;
            });
        }
        go = true;
        for (auto& t : threads) t.join();
        EXPECT_EQ(winners.load(), 1);
    }
}

}  // namespace
}  // namespace talon
