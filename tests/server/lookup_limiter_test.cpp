// LookupLimiter on a fake clock: N lookups a minute per client, the (N+1)th refused with the
// seconds until the oldest ages out, other clients unaffected, and a full table refusing
// newcomers instead of forgetting anyone still active; both limits charged address first.
#include "talon/server/lookup_limiter.h"

#include <gtest/gtest.h>

#include "../support/fake_clock.h"

namespace talon::server {
namespace {

using namespace std::chrono_literals;

TEST(LookupLimiterTest, SlidingWindowPerClient) {
    test::FakeClock clock;
    LookupLimiter limiter(clock, 3);
    EXPECT_FALSE(limiter.admit("kiosk:1"));
    clock.advance(10s);
    EXPECT_FALSE(limiter.admit("kiosk:1"));
    EXPECT_FALSE(limiter.admit("kiosk:1"));
    auto wait = limiter.admit("kiosk:1");
    ASSERT_TRUE(wait);
    EXPECT_EQ(*wait, 50);                  // the first lookup ages out 60 s after it was made
    EXPECT_FALSE(limiter.admit("kiosk:2"));  // another kiosk is served
    clock.advance(50s);
    EXPECT_FALSE(limiter.admit("kiosk:1"));  // one slot free again
    EXPECT_TRUE(limiter.admit("kiosk:1"));
}

TEST(LookupLimiterTest, AddressFirstSoARefusalSpendsNoKioskSlot) {
    test::FakeClock clock;
    LookupLimiter perAddress(clock, 4);
    LookupLimiter perKiosk(clock, 3);
    // Made-up kiosk names use up the address.
    for (int i = 0; i < 4; ++i) {
        EXPECT_FALSE(admitBoth(perAddress, "10.0.0.5", perKiosk, "kiosk:fake-" + std::to_string(i)));
    }
    // The real kiosk behind it is refused by the address, again and again...
    for (int i = 0; i < 5; ++i) {
        auto wait = admitBoth(perAddress, "10.0.0.5", perKiosk, "kiosk:hall-1");
        ASSERT_TRUE(wait);
        EXPECT_EQ(*wait, 60);
    }
    // ...which cost it nothing: once the address frees up, all 3 of its own are there.
    clock.advance(60s);
    for (int i = 0; i < 3; ++i) EXPECT_FALSE(admitBoth(perAddress, "10.0.0.5", perKiosk, "kiosk:hall-1")) << i;
    auto kioskWait = admitBoth(perAddress, "10.0.0.5", perKiosk, "kiosk:hall-1");
    ASSERT_TRUE(kioskWait);  // now its own limit
    // Another address is its own.
    EXPECT_FALSE(admitBoth(perAddress, "10.0.0.6", perKiosk, "kiosk:hall-2"));
}

TEST(LookupLimiterTest, RefusedLookupsDoNotExtendTheWait) {
    test::FakeClock clock;
    LookupLimiter limiter(clock, 1);
    EXPECT_FALSE(limiter.admit("a"));
    for (int i = 0; i < 10; ++i) {
        clock.advance(5s);
        EXPECT_TRUE(limiter.admit("a"));
    }
    clock.advance(10s);
    EXPECT_FALSE(limiter.admit("a"));
}

TEST(LookupLimiterTest, BoundedNumberOfClients) {
    test::FakeClock clock;
    LookupLimiter limiter(clock, 5, 3);
    for (const char* c : {"a", "b", "c"}) EXPECT_FALSE(limiter.admit(c));
    auto wait = limiter.admit("d");
    ASSERT_TRUE(wait);  // full of active clients: the newcomer waits
    EXPECT_EQ(limiter.clients(), 3u);
    EXPECT_FALSE(limiter.admit("a"));  // known clients go on
    clock.advance(61s);
    EXPECT_FALSE(limiter.admit("d"));  // idle ones were dropped to make room
    EXPECT_LE(limiter.clients(), 3u);
}

}  // namespace
}  // namespace talon::server
