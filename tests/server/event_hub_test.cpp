// EventHub: ordering, waking waiters, the gap signal and shutdown.
#include "talon/server/event_hub.h"

#include <gtest/gtest.h>

#include <thread>

namespace talon::server {
namespace {

using namespace std::chrono_literals;

TEST(EventHubTest, ReturnsEventsAfterCursorInOrder) {
    EventHub hub;
    for (int i = 1; i <= 5; ++i) hub.publish({i, "t", "{}"});
    auto batch = hub.waitAfter(2, 0ms);
    ASSERT_EQ(batch.events.size(), 3u);
    EXPECT_EQ(batch.events[0].id, 3);
    EXPECT_EQ(batch.events[2].id, 5);
    EXPECT_FALSE(batch.gap);
}

TEST(EventHubTest, TimesOutEmptyWhenNothingNew) {
    EventHub hub;
    hub.publish({1, "t", "{}"});
    auto batch = hub.waitAfter(1, 20ms);
    EXPECT_TRUE(batch.events.empty());
    EXPECT_FALSE(batch.shutdown);
}

TEST(EventHubTest, WakesWaiterOnPublish) {
    EventHub hub;
    std::thread t([&] {
        std::this_thread::sleep_for(30ms);
        hub.publish({1, "ticket.called", "{}"});
    });
    auto batch = hub.waitAfter(0, 10s);
    t.join();
    ASSERT_EQ(batch.events.size(), 1u);
    EXPECT_EQ(batch.events[0].type, "ticket.called");
}

TEST(EventHubTest, SignalsGapWhenCursorFellOutOfMemory) {
    EventHub hub(3);
    for (int i = 1; i <= 10; ++i) hub.publish({i, "t", "{}"});
    EXPECT_TRUE(hub.waitAfter(2, 0ms).gap);
    auto recent = hub.waitAfter(7, 0ms);
    EXPECT_FALSE(recent.gap);
    EXPECT_EQ(recent.events.size(), 3u);
}

TEST(EventHubTest, GapAfterRestartWithOlderEventsOnlyInDatabase) {
    EventHub hub;
    hub.setLastId(40);  // events 1..40 exist only in the database
    EXPECT_TRUE(hub.waitAfter(10, 0ms).gap);
    EXPECT_TRUE(hub.waitAfter(40, 0ms).events.empty());
}

TEST(EventHubTest, ShutdownWakesWaiters) {
    EventHub hub;
    std::thread t([&] {
        std::this_thread::sleep_for(30ms);
        hub.shutdown();
    });
    auto batch = hub.waitAfter(0, 10s);
    t.join();
    EXPECT_TRUE(batch.shutdown);
}

}  // namespace
}  // namespace talon::server
