// The routing policy, rule by rule and in combination (table-driven).
#include "talon/server/routing.h"

#include <gtest/gtest.h>

#include <vector>

#include "../support/test_names.h"

namespace talon::routing {
namespace {

const WallTime kNow = fromMillis(1'800'000'000'000);

Candidate cand(int64_t id, const char* service, int waitedSeconds, Priority p = Priority::Normal) {
    return {id, service, p, kNow - std::chrono::seconds(waitedSeconds), false, std::nullopt};
}

Candidate assigned(int64_t id, const char* service, int waitedSeconds) {
    Candidate c = cand(id, service, waitedSeconds);
    c.assignedHere = true;
    return c;
}

Candidate appointment(int64_t id, const char* service, int waitedSeconds, int dueInSeconds) {
    Candidate c = cand(id, service, waitedSeconds, Priority::Appointment);
    c.appointmentAt = kNow + std::chrono::seconds(dueInSeconds);
    return c;
}

struct Case {
    const char* name;
    std::vector<Candidate> candidates;
    std::map<std::string, ServicePolicy> policies;
    std::optional<int64_t> expected;  // ticket id
};

class RoutingTest : public ::testing::TestWithParam<Case> {};

TEST_P(RoutingTest, PicksExpectedTicket) {
    const Case& c = GetParam();
    auto pick = pickNext(c.candidates, c.policies, kNow);
    if (!c.expected) {
        EXPECT_FALSE(pick.has_value()) << c.name;
        return;
    }
    ASSERT_TRUE(pick.has_value()) << c.name;
    EXPECT_EQ(c.candidates[*pick].ticketId, *c.expected) << c.name;
}

const std::map<std::string, ServicePolicy> kAB = {{"A", {1.0, 0}}, {"B", {1.0, 0}}};

INSTANTIATE_TEST_SUITE_P(
    Rules, RoutingTest,
    ::testing::Values(
        Case{"empty", {}, kAB, std::nullopt},
        Case{"longest wait wins", {cand(1, "A", 60), cand(2, "B", 300)}, kAB, 2},
        Case{"service not served is ignored", {cand(1, "C", 900), cand(2, "A", 10)}, kAB, 2},
        Case{"only unserved services", {cand(1, "C", 900)}, kAB, std::nullopt},
        Case{"priority beats a longer normal wait", {cand(1, "A", 900), cand(2, "B", 5, Priority::Priority)}, kAB, 2},
        Case{"priority beats appointment", {cand(1, "A", 900, Priority::Appointment), cand(2, "B", 5, Priority::Priority)}, kAB, 2},
        Case{"appointment beats normal", {cand(1, "A", 900), cand(2, "B", 5, Priority::Appointment)}, kAB, 2},
        Case{"weight scales the wait", {cand(1, "A", 300), cand(2, "B", 200)},
             {{"A", {0.5, 0}}, {"B", {1.0, 0}}}, 2},
        Case{"weight loses to a much longer wait", {cand(1, "A", 900), cand(2, "B", 200)},
             {{"A", {0.5, 0}}, {"B", {1.0, 0}}}, 1},
        Case{"over target is boosted", {cand(1, "A", 700), cand(2, "B", 1000)},
             {{"A", {1.0, 600}}, {"B", {1.0, 0}}}, 1},
        Case{"boost does not apply under target", {cand(1, "A", 500), cand(2, "B", 600)},
             {{"A", {1.0, 600}}, {"B", {1.0, 0}}}, 2},
        Case{"tie broken by issue time", {cand(1, "A", 100), cand(2, "B", 100)}, kAB, 1},
        Case{"tie on time broken by id", {cand(5, "A", 100), cand(3, "A", 100)}, kAB, 3},
        Case{"future issue time counts as zero wait", {cand(1, "A", -30), cand(2, "B", 0)}, kAB, 2},
        Case{"transferred here beats priority", {cand(1, "A", 900, Priority::Priority), assigned(2, "A", 5)}, kAB, 2},
        Case{"transferred here even for a service not served", {cand(1, "A", 900), assigned(2, "D", 5)}, kAB, 2},
        Case{"two transferred: the longer wait", {assigned(1, "A", 50), assigned(2, "B", 80)}, kAB, 2},
        Case{"appointment due beats normal", {cand(1, "A", 900), appointment(2, "B", 10, 60)}, kAB, 2},
        Case{"appointment not yet due counts as normal", {cand(1, "A", 900), appointment(2, "B", 10, 3600)}, kAB, 1},
        Case{"priority beats a due appointment", {appointment(1, "A", 900, 0), cand(2, "B", 5, Priority::Priority)}, kAB, 2},
        Case{"boost not enough against a much longer wait", {cand(1, "A", 800), cand(2, "B", 1300)},
             {{"A", {1.0, 0}}, {"B", {0.25, 1200}}}, 1},
        Case{"boost lifts a low weight past a fresh ticket", {cand(1, "A", 500), cand(2, "B", 1300)},
             {{"A", {0.5, 0}}, {"B", {0.25, 1200}}}, 2}),
    [](const auto& info) { return test::testName(info.param.name); });

TEST(RoutingTest, LargeQueuePicksTheOldest) {
    std::vector<Candidate> many;
    for (int i = 0; i < 10000; ++i) many.push_back(cand(i + 1, i % 2 ? "A" : "B", i % 5000));
    auto pick = pickNext(many, kAB, kNow);
    ASSERT_TRUE(pick);
    EXPECT_EQ(many[*pick].issuedAt, kNow - std::chrono::seconds(4999));
}

}  // namespace
}  // namespace talon::routing
