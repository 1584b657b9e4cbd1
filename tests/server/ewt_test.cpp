// The wait projection: position, open windows, weights, current visitors and service times.
#include "talon/server/ewt.h"

#include <gtest/gtest.h>

namespace talon::ewt {
namespace {

const WallTime kNow = fromMillis(1'800'000'000'000);

QueuedTicket waiting(int64_t id, const char* service, int waitedSeconds, Priority p = Priority::Normal) {
    return {id, service, p, kNow - std::chrono::seconds(waitedSeconds), {}, {}};
}

OpenWindow window(int n, std::map<std::string, double> weights, double busy = 0) {
    OpenWindow w;
    w.number = n;
    for (auto& [s, wt] : weights) w.policies[s] = {wt, 0};
    w.busySeconds = busy;
    return w;
}

TEST(EwtTest, OneWindowQueueIsPositionTimesServiceTime) {
    Input in;
    in.now = kNow;
    in.windows = {window(1, {{"A", 1}})};
    in.serviceSeconds = {{"A", 300}};
    for (int i = 0; i < 4; ++i) in.waiting.push_back(waiting(i + 1, "A", 100 - i));
    in.newTicketServices = {"A"};
    Output out = project(in);
    EXPECT_DOUBLE_EQ(out.waitSeconds[1], 0);
    EXPECT_DOUBLE_EQ(out.waitSeconds[2], 300);
    EXPECT_DOUBLE_EQ(out.waitSeconds[4], 900);
    EXPECT_DOUBLE_EQ(out.newTicketSeconds["A"], 1200);
}

TEST(EwtTest, TwoWindowsHalveTheWait) {
    Input in;
    in.now = kNow;
    in.windows = {window(1, {{"A", 1}}), window(2, {{"A", 1}})};
    in.serviceSeconds = {{"A", 300}};
    for (int i = 0; i < 4; ++i) in.waiting.push_back(waiting(i + 1, "A", 100 - i));
    in.newTicketServices = {"A"};
    Output out = project(in);
    EXPECT_DOUBLE_EQ(out.newTicketSeconds["A"], 600);
}

TEST(EwtTest, BusyWindowDelaysTheFirstCall) {
    Input in;
    in.now = kNow;
    in.windows = {window(1, {{"A", 1}}, 120)};
    in.serviceSeconds = {{"A", 300}};
    in.waiting = {waiting(1, "A", 10)};
    in.newTicketServices = {"A"};
    Output out = project(in);
    EXPECT_DOUBLE_EQ(out.waitSeconds[1], 120);
    EXPECT_DOUBLE_EQ(out.newTicketSeconds["A"], 420);
}

TEST(EwtTest, NoOpenWindowMeansNoEstimate) {
    Input in;
    in.now = kNow;
    in.windows = {window(1, {{"A", 1}})};
    in.serviceSeconds = {{"A", 300}, {"D", 600}};
    in.waiting = {waiting(1, "D", 10)};
    in.newTicketServices = {"A", "D"};
    Output out = project(in);
    EXPECT_FALSE(out.waitSeconds.count(1));
    EXPECT_FALSE(out.newTicketSeconds.count("D"));
    EXPECT_TRUE(out.newTicketSeconds.count("A"));
}

TEST(EwtTest, PriorityTicketsGoFirst) {
    Input in;
    in.now = kNow;
    in.windows = {window(1, {{"A", 1}})};
    in.serviceSeconds = {{"A", 100}};
    in.waiting = {waiting(1, "A", 500), waiting(2, "A", 10, Priority::Priority)};
    Output out = project(in);
    EXPECT_DOUBLE_EQ(out.waitSeconds[2], 0);
    EXPECT_DOUBLE_EQ(out.waitSeconds[1], 100);
}

TEST(EwtTest, SharedWindowFollowsTheRoutingPolicy) {
    // Window 1 serves A and B; B tickets waited longer, so they go first.
    Input in;
    in.now = kNow;
    in.windows = {window(1, {{"A", 1}, {"B", 1}})};
    in.serviceSeconds = {{"A", 60}, {"B", 120}};
    in.waiting = {waiting(1, "A", 10), waiting(2, "B", 300), waiting(3, "B", 200)};
    Output out = project(in);
    EXPECT_DOUBLE_EQ(out.waitSeconds[2], 0);
    EXPECT_DOUBLE_EQ(out.waitSeconds[3], 120);
    EXPECT_DOUBLE_EQ(out.waitSeconds[1], 240);
}

TEST(EwtTest, NewTicketsDoNotDelayEachOther) {
    Input in;
    in.now = kNow;
    in.windows = {window(1, {{"A", 1}, {"B", 1}})};
    in.serviceSeconds = {{"A", 60}, {"B", 60}};
    in.newTicketServices = {"A", "B"};
    Output out = project(in);
    EXPECT_DOUBLE_EQ(out.newTicketSeconds["A"], 0);
    EXPECT_DOUBLE_EQ(out.newTicketSeconds["B"], 0);
}

TEST(EwtTest, IdleWindowWaitsForFutureArrivalsAndTerminates) {
    // An idle window and only future arrivals of another service at a shared window: the
    // projection must step forward in time and end (this once looped forever).
    Input in;
    in.now = kNow;
    in.windows = {window(1, {{"A", 1}, {"B", 0.5}})};
    in.serviceSeconds = {{"A", 60}, {"B", 60}};
    in.arrivalsPerSecond = {{"A", 1.0 / 7.0}, {"B", 1.0 / 13.0}};
    in.horizonSeconds = 3600;
    in.newTicketServices = {"B"};
    in.waiting = {waiting(1, "B", 0)};
    Output out = project(in);
    EXPECT_TRUE(out.waitSeconds.count(1));
    EXPECT_TRUE(out.newTicketSeconds.count("B"));
}

TEST(EwtTest, FutureArrivalsOfAHeavierServiceDelayALightOne) {
    Input in;
    in.now = kNow;
    in.windows = {window(1, {{"A", 1}, {"B", 0.25}})};
    in.serviceSeconds = {{"A", 120}, {"B", 120}};
    in.waiting = {waiting(1, "A", 0), waiting(2, "B", 0)};
    Output calm = project(in);
    in.arrivalsPerSecond = {{"A", 1.0 / 100.0}};
    in.horizonSeconds = 1800;
    Output busy = project(in);
    EXPECT_GT(busy.waitSeconds[2], calm.waitSeconds[2]);
}

}  // namespace
}  // namespace talon::ewt
