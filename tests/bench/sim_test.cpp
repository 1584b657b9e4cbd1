// talon-sim: scenario parsing (shipped files and clear errors for bad ones) and simulated days
// on the real engine whose outcome is known in advance.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "../support/test_names.h"
#include "talon/sim/report.h"
#include "talon/sim/scenario.h"
#include "talon/sim/simulation.h"

namespace talon::sim {
namespace {

using namespace std::chrono_literals;

Scenario parseOrFail(const std::string& text) {
    auto sc = parseScenario(text, "test.toml");
    EXPECT_TRUE(sc.ok()) << (sc.ok() ? "" : sc.error().message);
    return sc.ok() ? sc.value() : Scenario{};
}

SimResult simulateOrFail(const Scenario& sc, uint64_t seed = 1) {
    auto r = simulate(sc, seed);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r.value() : SimResult{};
}

/// One service, one window, fixed 5-minute services, `perHour` evenly spaced arrivals per hour
/// from 08:00 to 10:00.
std::string oneWindowDay(double perHour, int walkUpSeconds = 30,
                         const std::string& windowExtra = {}) {
    const std::string rate = std::to_string(perHour);
    return "opens = \"08:00\"\ncloses = \"10:00\"\nwalk_up_seconds = " +
           std::to_string(walkUpSeconds) +
           "\n"
           "[[services]]\nletter = \"A\"\ntarget_wait_minutes = 10\narrival_process = \"regular\"\n"
           "arrivals_per_hour = [" +
           rate + ", " + rate +
           "]\n"
           "service_time = { distribution = \"fixed\", mean_minutes = 5 }\n"
           "[[windows]]\nnumber = 1\nservices = [\"A\"]\n" +
           windowExtra;
}

std::vector<double> waitsInIssueOrder(const SimResult& r) {
    std::vector<double> out;
    for (const auto& t : r.tickets) out.push_back(t.waitSeconds().value_or(-1));
    return out;
}

TEST(SimScenario, ShippedScenariosParse) {
    for (const char* name : {"quiet_day.toml", "monday_peak.toml"}) {
        auto sc = loadScenarioFile(std::string(TALON_SCENARIOS_DIR) + "/" + name);
        ASSERT_TRUE(sc.ok()) << sc.error().message;
        EXPECT_EQ(sc.value().services.size(), 6u) << name;
        EXPECT_EQ(sc.value().windows.size(), 6u) << name;
        for (const auto& s : sc.value().services)
            EXPECT_EQ(s.arrivalsPerHour.size(), 10u) << name << " " << s.letter;
        const bool someBreak =
            std::any_of(sc.value().windows.begin(), sc.value().windows.end(),
                        [](const ScenarioWindow& w) { return !w.breaks.empty(); });
        EXPECT_TRUE(someBreak) << name;
        EXPECT_EQ(serverConfig(sc.value()).database, ":memory:");
    }
}

TEST(SimScenario, ReadsEveryKey) {
    const Scenario sc = parseOrFail(R"(
name = "Tiny"
date = "2026-12-01"
opens = "09:00"
closes = "11:30"
walk_up_seconds = 20
poll_seconds = 5
drain_minutes = 30
breaks_planned = false
[[services]]
letter = "A"
name = "Payments"
target_wait_minutes = 12
service_minutes = 3.5
arrivals_per_hour = [10, 12.5, 0]
service_time = { distribution = "lognormal", mean_minutes = 4, cv = 0.5 }
[[services]]
letter = "B"
arrivals_per_hour = [1, 2, 3]
arrival_process = "regular"
service_time = { distribution = "exponential", mean_minutes = 6 }
[[windows]]
number = 7
name = "Seven"
services = ["A", "B"]
weights = { B = 0.5 }
breaks = ["10:30-10:45", "09:30-09:40"]
)");
    EXPECT_EQ(sc.name, "Tiny");
    EXPECT_EQ(sc.date, "2026-12-01");
    EXPECT_EQ(sc.openMinute, 9 * 60);
    EXPECT_EQ(sc.closeMinute, 11 * 60 + 30);
    EXPECT_EQ(sc.walkUpSeconds, 20);
    EXPECT_EQ(sc.pollSeconds, 5);
    EXPECT_EQ(sc.drainMinutes, 30);
    EXPECT_FALSE(sc.breaksPlanned);
    EXPECT_TRUE(serverConfig(sc).windows[0].breaks.empty());  // unannounced pauses
    ASSERT_EQ(sc.services.size(), 2u);
    EXPECT_EQ(sc.services[0].targetWaitMinutes, 12);
    EXPECT_EQ(sc.services[0].priorMinutes, 3.5);
    EXPECT_EQ(sc.services[0].arrivalsPerHour, (std::vector<double>{10, 12.5, 0}));
    EXPECT_EQ(sc.services[0].serviceTime.kind, Distribution::Lognormal);
    EXPECT_EQ(sc.services[0].serviceTime.cv, 0.5);
    EXPECT_EQ(sc.services[1].name, "B");
    EXPECT_EQ(sc.services[1].priorMinutes, 6);  // defaults to the distribution's mean
    EXPECT_EQ(sc.services[1].arrivalProcess, ArrivalProcess::Regular);
    EXPECT_EQ(sc.services[1].serviceTime.kind, Distribution::Exponential);
    ASSERT_EQ(sc.windows.size(), 1u);
    EXPECT_EQ(sc.windows[0].number, 7);
    ASSERT_EQ(sc.windows[0].services.size(), 2u);
    EXPECT_EQ(sc.windows[0].services[0].weight, 1.0);
    EXPECT_EQ(sc.windows[0].services[1].weight, 0.5);
    ASSERT_EQ(sc.windows[0].breaks.size(), 2u);  // sorted by start
    EXPECT_EQ(sc.windows[0].breaks[0].fromMinute, 9 * 60 + 30);
    EXPECT_EQ(sc.windows[0].breaks[1].toMinute, 10 * 60 + 45);
}

struct BadCase {
    std::string name;
    std::string text;
    std::vector<std::string> mentions;  // each must appear in the message
};

const std::string kService =
    "[[services]]\nletter = \"A\"\narrivals_per_hour = [1, 1]\n"
    "service_time = { distribution = \"fixed\", mean_minutes = 5 }\n";
const std::string kWindow = "[[windows]]\nnumber = 1\nservices = [\"A\"]\n";
const std::string kHours = "opens = \"08:00\"\ncloses = \"10:00\"\n";

class SimBadScenario : public ::testing::TestWithParam<BadCase> {};

TEST_P(SimBadScenario, OneLineNamingFileKeyAndProblem) {
    auto sc = parseScenario(GetParam().text, "bad.toml");
    ASSERT_FALSE(sc.ok());
    const std::string& message = sc.error().message;
    EXPECT_EQ(message.rfind("bad.toml: ", 0), 0u) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    EXPECT_EQ(sc.error().kind, ErrorKind::Config);
    for (const auto& m : GetParam().mentions)
        EXPECT_NE(message.find(m), std::string::npos) << message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SimBadScenario,
    ::testing::Values(
        BadCase{"toml syntax", "opens = \"08:00\nclose", {"line 1"}},
        BadCase{"no services", kHours + kWindow, {"services", "at least one"}},
        BadCase{"no windows", kHours + kService, {"windows", "at least one"}},
        BadCase{
            "unknown top key", "open = \"08:00\"\n" + kService + kWindow, {"open:", "unknown key"}},
        BadCase{"bad opening time", "opens = \"8am\"\n" + kService + kWindow, {"opens", "HH:MM"}},
        BadCase{"closes before opens",
                "opens = \"10:00\"\ncloses = \"09:00\"\n" + kService + kWindow,
                {"closes", "after opens"}},
        BadCase{"walk-up too long",
                kHours + "walk_up_seconds = 900\n" + kService + kWindow,
                {"walk_up_seconds", "0 to 300"}},
        BadCase{"wrong number of hourly rates",
                kHours +
                    "[[services]]\nletter = \"A\"\narrivals_per_hour = [1, 2, 3]\n"
                    "service_time = { distribution = \"fixed\", mean_minutes = 5 }\n" +
                    kWindow,
                {"services[1].arrivals_per_hour", "needs 2 hourly rates", "got 3"}},
        BadCase{"negative rate",
                kHours +
                    "[[services]]\nletter = \"A\"\narrivals_per_hour = [1, -2]\n"
                    "service_time = { distribution = \"fixed\", mean_minutes = 5 }\n" +
                    kWindow,
                {"services[1].arrivals_per_hour[2]", "from 0"}},
        BadCase{"typo in a service key",
                kHours +
                    "[[services]]\nletter = \"A\"\narrival_per_hour = [1, 1]\n"
                    "service_time = { distribution = \"fixed\", mean_minutes = 5 }\n" +
                    kWindow,
                {"services[1].arrival_per_hour", "unknown key"}},
        BadCase{"unknown distribution",
                kHours +
                    "[[services]]\nletter = \"A\"\narrivals_per_hour = [1, 1]\n"
                    "service_time = { distribution = \"gamma\", mean_minutes = 5 }\n" +
                    kWindow,
                {"services[1].service_time.distribution", "\"gamma\""}},
        BadCase{"lognormal without cv",
                kHours +
                    "[[services]]\nletter = \"A\"\narrivals_per_hour = [1, 1]\n"
                    "service_time = { distribution = \"lognormal\", mean_minutes = 5 }\n" +
                    kWindow,
                {"services[1].service_time.cv", "missing"}},
        BadCase{"missing service time",
                kHours + "[[services]]\nletter = \"A\"\narrivals_per_hour = [1, 1]\n" + kWindow,
                {"services[1].service_time", "missing"}},
        BadCase{"bad letter",
                kHours +
                    "[[services]]\nletter = \"a1\"\narrivals_per_hour = [1, 1]\n"
                    "service_time = { distribution = \"fixed\", mean_minutes = 5 }\n" +
                    kWindow,
                {"services[1].letter", "capital"}},
        BadCase{"letter twice",
                kHours + kService + kService + kWindow,
                {"services[2].letter", "used twice"}},
        BadCase{"window serves an unknown service",
                kHours + kService + "[[windows]]\nnumber = 1\nservices = [\"A\", \"Z\"]\n",
                {"windows[1].services", "unknown service \"Z\""}},
        BadCase{"weight for a service the window does not serve",
                kHours + kService + kWindow + "weights = { B = 2 }\n",
                {"windows[1].weights.B", "not one of"}},
        BadCase{"zero weight",
                kHours + kService + kWindow + "weights = { A = 0 }\n",
                {"windows[1].weights.A", "above 0"}},
        BadCase{"break ends before it starts",
                kHours + kService + kWindow + "breaks = [\"09:30-09:00\"]\n",
                {"windows[1].breaks[1]", "HH:MM-HH:MM"}},
        BadCase{"break after closing",
                kHours + kService + kWindow + "breaks = [\"10:30-10:45\"]\n",
                {"windows[1].breaks[1]", "closing"}},
        BadCase{"overlapping breaks",
                kHours + kService + kWindow + "breaks = [\"08:30-09:00\", \"08:45-09:15\"]\n",
                {"windows[1].breaks", "overlap"}},
        BadCase{"window number twice",
                kHours + kService + kWindow + kWindow,
                {"windows[2].number", "used twice"}},
        BadCase{"service nobody serves",
                kHours + kService +
                    "[[services]]\nletter = \"B\"\narrivals_per_hour = [1, 1]\n"
                    "service_time = { distribution = \"fixed\", mean_minutes = 5 }\n" +
                    kWindow,
                {"services[2]", "no window serves \"B\""}},
        BadCase{"services not a table array",
                kHours + "services = 3\n" + kWindow,
                {"services:", "[[services]]"}}),
    [](const ::testing::TestParamInfo<BadCase>& info) { return test::testName(info.param.name); });

TEST(SimScenario, MissingFileIsNamed) {
    auto sc = loadScenarioFile("/nonexistent/day.toml");
    ASSERT_FALSE(sc.ok());
    EXPECT_NE(sc.error().message.find("/nonexistent/day.toml"), std::string::npos);
    EXPECT_NE(sc.error().message.find("cannot open"), std::string::npos);
}

TEST(SimRun, SameSeedSameReport) {
    auto sc = loadScenarioFile(std::string(TALON_SCENARIOS_DIR) + "/monday_peak.toml");
    ASSERT_TRUE(sc.ok()) << sc.error().message;
    const std::string first = formatText(summarise(sc.value(), simulateOrFail(sc.value(), 7)));
    const std::string again = formatText(summarise(sc.value(), simulateOrFail(sc.value(), 7)));
    const std::string other = formatText(summarise(sc.value(), simulateOrFail(sc.value(), 8)));
    EXPECT_EQ(first, again);
    EXPECT_NE(first, other);  // the seed does drive the day
    EXPECT_NE(first.find("ewt_within="), std::string::npos);
}

TEST(SimRun, LightLoadWaitsNearZeroAndEveryTicketServedOnce) {
    // One visitor every 10 minutes, 5 minutes each: the window is always free in time.
    const Scenario sc = parseOrFail(oneWindowDay(6));
    const SimResult r = simulateOrFail(sc);
    ASSERT_EQ(r.tickets.size(), 12u);  // two hours at 6 per hour
    EXPECT_FALSE(r.hardStop);
    int done = 0;
    for (const auto& t : r.tickets) {
        EXPECT_EQ(t.calls, 1) << t.number;
        EXPECT_EQ(t.finishes, 1) << t.number;
        EXPECT_EQ(t.finalStatus, TicketStatus::Done) << t.number;  // the engine agrees
        ASSERT_TRUE(t.waitSeconds()) << t.number;
        // Only the idle window's polling delay separates issue and call.
        EXPECT_LE(*t.waitSeconds(), sc.pollSeconds) << t.number;
        EXPECT_EQ(t.ewtSeconds, 0) << t.number;
        done += t.finalStatus == TicketStatus::Done;
    }
    EXPECT_EQ(done, static_cast<int>(r.tickets.size()));
    ASSERT_EQ(r.windows.size(), 1u);
    EXPECT_EQ(r.windows[0].served, static_cast<int>(r.tickets.size()));

    const Report rep = summarise(sc, r);
    EXPECT_EQ(rep.total.stats.tickets, 12);
    EXPECT_EQ(rep.total.stats.overTarget, 0.0);
    EXPECT_EQ(rep.total.stats.ewtWithin, 1.0);
    EXPECT_EQ(rep.unfinished, 0);
    // 12 visitors × 5.5 minutes (walk-up included) of a 2-hour day.
    EXPECT_NEAR(rep.allWindows.utilisation, 12 * 5.5 / 120, 0.01);
}

TEST(SimRun, OverloadMakesWaitsGrowAndQueueDrainsAfterClosing) {
    // One visitor every 4 minutes but 5.5 minutes of window time each: the queue only grows.
    const Scenario sc = parseOrFail(oneWindowDay(15));
    const SimResult r = simulateOrFail(sc);
    ASSERT_EQ(r.tickets.size(), 30u);
    const auto waits = waitsInIssueOrder(r);
    for (size_t i = 1; i < waits.size(); ++i)
        EXPECT_GE(waits[i], waits[i - 1]) << r.tickets[i].number;
    // Each visitor waits 1.5 minutes longer than the one before.
    EXPECT_NEAR(waits.back() - waits[1], 28 * 90.0, 1.0);
    EXPECT_FALSE(
        r.hardStop);  // served after closing: 30 × 5.5 min ends 10:45, before the hard stop
    EXPECT_GT(r.endedAt, r.closesAt);
    for (const auto& t : r.tickets) EXPECT_EQ(t.finalStatus, TicketStatus::Done) << t.number;
    const Report rep = summarise(sc, r);
    EXPECT_GT(rep.total.stats.overTarget, 0.5);
    EXPECT_GT(rep.total.stats.p90, 30.0);
}

TEST(SimRun, HardStopLeavesTheRestUnfinished) {
    const Scenario sc = parseOrFail("drain_minutes = 0\n" + oneWindowDay(15));
    const SimResult r = simulateOrFail(sc);
    EXPECT_TRUE(r.hardStop);
    EXPECT_EQ(r.endedAt, r.closesAt);
    const auto unfinished =
        std::count_if(r.tickets.begin(), r.tickets.end(),
                      [](const TicketRecord& t) { return t.finalStatus != TicketStatus::Done; });
    EXPECT_GT(unfinished, 5);
    const Report rep = summarise(sc, r);
    EXPECT_EQ(rep.unfinished, unfinished);
    EXPECT_TRUE(rep.hardStop);
    EXPECT_NE(formatText(rep).find("HARD STOP"), std::string::npos);
}

TEST(SimRun, DeterministicDayGetsGoodEstimatesThatNeverPromiseTooLittle) {
    // No walk-up, fixed service times, regular arrivals: nothing is left to chance, so every
    // estimate is within the report's tolerance, and none is shorter than the real wait (the
    // engine may reserve extra time for the visitor at the window, never less than needed).
    const Scenario sc = parseOrFail(oneWindowDay(15, 0));
    const SimResult r = simulateOrFail(sc);
    ASSERT_EQ(r.tickets.size(), 30u);
    for (const auto& t : r.tickets) {
        ASSERT_TRUE(t.ewtSeconds && t.waitSeconds()) << t.number;
        EXPECT_TRUE(ewtWithin(*t.ewtSeconds, *t.waitSeconds()))
            << t.number << ": estimate " << *t.ewtSeconds << " s, waited " << *t.waitSeconds()
            << " s";
        EXPECT_GE(*t.ewtSeconds + 1, *t.waitSeconds()) << t.number;
    }
}

TEST(SimRun, WindowPausesForItsBreakAfterTheCurrentVisitor) {
    // Busy all morning, break 09:00-09:30: no call in the break, the visitor at 09:00 finishes.
    const Scenario sc = parseOrFail(oneWindowDay(15, 30, "breaks = [\"09:00-09:30\"]\n"));
    const SimResult r = simulateOrFail(sc);
    const WallTime breakFrom = r.opensAt + 60min, breakTo = r.opensAt + 90min;
    ASSERT_EQ(r.windows.size(), 1u);
    ASSERT_EQ(r.windows[0].paused.size(), 1u);
    const Interval paused = r.windows[0].paused[0];
    EXPECT_GE(paused.from, breakFrom);
    EXPECT_LT(paused.from, breakFrom + 6min);  // at most one 5.5-minute visitor late
    EXPECT_EQ(paused.to, breakTo);
    bool servedAcrossBreakStart = false;
    for (const auto& t : r.tickets) {
        ASSERT_TRUE(t.calledAt && t.finishedAt) << t.number;
        EXPECT_FALSE(*t.calledAt >= paused.from && *t.calledAt < paused.to)
            << t.number << " called in the break";
        servedAcrossBreakStart |= *t.calledAt<breakFrom&& * t.finishedAt> breakFrom;
        EXPECT_EQ(t.finalStatus, TicketStatus::Done) << t.number;
    }
    EXPECT_TRUE(servedAcrossBreakStart);
    const Report rep = summarise(sc, r);
    EXPECT_NEAR(
        rep.windows[0].openMinutes,
        std::chrono::duration<double>(r.windows[0].openTo - r.opensAt - (paused.to - paused.from))
                .count() /
            60,
        0.01);
}

TEST(SimRun, PlannedBreaksCountInEstimatesUnannouncedOnesDoNot) {
    // A busy window with a break 09:00-09:30 and nothing else left to chance.
    const std::string day = oneWindowDay(15, 0, "breaks = [\"09:00-09:30\"]\n");
    const Scenario planned = parseOrFail(day);
    ASSERT_EQ(serverConfig(planned).windows[0].breaks.size(), 1u);
    const SimResult withPlan = simulateOrFail(planned);
    for (const auto& t : withPlan.tickets) {
        ASSERT_TRUE(t.ewtSeconds && t.waitSeconds()) << t.number;
        EXPECT_TRUE(ewtWithin(*t.ewtSeconds, *t.waitSeconds()))
            << t.number << ": estimate " << *t.ewtSeconds << " s, waited " << *t.waitSeconds()
            << " s";
    }
    // The same day with the break unannounced: visitors who came before it were promised
    // about half an hour too little, and those who came during it got no estimate at all
    // (no window was open for them).
    const SimResult withoutPlan = simulateOrFail(parseOrFail("breaks_planned = false\n" + day));
    double worst = 0;
    int unestimated = 0;
    for (const auto& t : withoutPlan.tickets) {
        ASSERT_TRUE(t.waitSeconds()) << t.number;
        if (t.ewtSeconds) {
            worst = std::max(worst, *t.waitSeconds() - *t.ewtSeconds);
        } else {
            ++unestimated;
        }
    }
    EXPECT_GT(worst, 20 * 60.0);
    EXPECT_GT(unestimated, 0);
}

TEST(SimReport, EstimateToleranceIsWiderOfQuarterAndThreeMinutes) {
    EXPECT_TRUE(ewtWithin(0, 180));
    EXPECT_FALSE(ewtWithin(0, 181));
    EXPECT_TRUE(ewtWithin(1200, 1500));  // 25 % of 20 minutes is 5 minutes
    EXPECT_FALSE(ewtWithin(1200, 1501));
    EXPECT_TRUE(ewtWithin(1200, 900));
    EXPECT_FALSE(ewtWithin(1200, 899));
}

}  // namespace
}  // namespace talon::sim
