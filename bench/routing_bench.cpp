// talon-bench-routing: microbenchmarks of the call-next decision with 10,000 waiting tickets —
// routing::pickNext alone, the store's full call path (SQLite included), the clerk console's
// waiting list and the EWT projection.
// Target from the issue: a routing decision for a window with 10,000 waiting tickets under 1 ms.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "talon/common/time.h"
#include "talon/server/config.h"
#include "talon/server/event_hub.h"
#include "talon/server/ewt.h"
#include "talon/server/queue_store.h"
#include "talon/server/routing.h"

namespace talon::bench {
namespace {

using namespace std::chrono_literals;

// 2026-03-10 12:00:00 UTC: a Tuesday noon, hours after the 04:00 business-day start, so the
// three hours of issuing before it stay in one business day.
const WallTime kNow = fromMillis(1'773'144'000'000);
constexpr auto kHistory = std::chrono::hours(3);
constexpr int kStoreWaiting = 10'000;
const std::vector<std::string> kDemoLetters = {"A", "B", "C", "D", "E", "V"};

/// A clock the benchmark sets by hand; `advanceSteady` moves only monotonic time, which the
/// store uses for nothing but the age of its cached wait projection.
class BenchClock final : public Clock {
public:
    Instant now() const override { return m_now; }
    WallTime wallNow() const override { return m_wall; }
    void setWall(WallTime t) { m_wall = t; }
    void advanceSteady(std::chrono::milliseconds d) { m_now += d; }

private:
    Instant m_now{std::chrono::hours(1000)};
    WallTime m_wall = kNow;
};

/// Priorities as an office sees them: mostly normal, some priority, a few appointments.
Priority randomPriority(std::mt19937_64& rng) {
    const int roll = std::uniform_int_distribution<int>(0, 99)(rng);
    if (roll < 85) return Priority::Normal;
    if (roll < 95) return Priority::Priority;
    return Priority::Appointment;
}

/// `count` waiting tickets over 6 services, issued at random times within the last 3 hours;
/// appointments are booked within an hour either side of now.
std::vector<ewt::QueuedTicket> makeWaiting(int count, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<size_t> service(0, kDemoLetters.size() - 1);
    std::uniform_int_distribution<int64_t> age(0, std::chrono::milliseconds(kHistory).count());
    std::uniform_int_distribution<int64_t> booked(-60, 60);
    std::vector<ewt::QueuedTicket> out;
    out.reserve(count);
    for (int i = 0; i < count; ++i) {
        ewt::QueuedTicket t;
        t.id = i + 1;
        t.service = kDemoLetters[service(rng)];
        t.priority = randomPriority(rng);
        t.issuedAt = kNow - std::chrono::milliseconds(age(rng));
        if (t.priority == Priority::Appointment)
            t.appointmentAt = kNow + std::chrono::minutes(booked(rng));
        out.push_back(std::move(t));
    }
    return out;
}

/// The routing policies of a demo window, as the store builds them (target in seconds).
std::map<std::string, routing::ServicePolicy> policiesOf(const server::WindowConfig& w,
                                                         const server::ServerConfig& cfg) {
    std::map<std::string, routing::ServicePolicy> out;
    for (const auto& ws : w.services) {
        for (const auto& s : cfg.services) {
            if (s.letter == ws.service) out[s.letter] = {ws.weight, s.targetWaitMinutes * 60};
        }
    }
    return out;
}

// ---- 1. routing::pickNext over every waiting ticket ---------------------------------------

void BM_PickNextAllWaiting(benchmark::State& state) {
    const auto waiting = makeWaiting(static_cast<int>(state.range(0)), 1);
    std::vector<routing::Candidate> candidates;
    candidates.reserve(waiting.size());
    for (const auto& t : waiting) {
        candidates.push_back({t.id, t.service, t.priority, t.issuedAt, false, t.appointmentAt});
    }
    // A window serving 3 of the 6 services with unequal weights and the demo targets.
    const std::map<std::string, routing::ServicePolicy> policies = {
        {"A", {1.0, 15 * 60}}, {"B", {1.0, 15 * 60}}, {"C", {0.5, 20 * 60}}};
    for (auto _ : state) {
        auto pick = routing::pickNext(candidates, policies, kNow);
        benchmark::DoNotOptimize(pick);
    }
    state.SetLabel("worst case: every waiting ticket a candidate, 6 services, window serves 3");
}
BENCHMARK(BM_PickNextAllWaiting)->ArgName("candidates")->Arg(10'000)->Unit(benchmark::kMicrosecond);

// ---- 2. the store's call-next path --------------------------------------------------------

/// demoConfig() in memory, in UTC. Each service can hold at most 999 waiting tickets (numbers
/// wrap at 999 and skip numbers still held), so 6 services cap the queue at 5,994; six more
/// services, served only by the all-services window 6 at weight 0.5, make room for 10,000.
server::ServerConfig storeConfig() {
    server::ServerConfig cfg = server::demoConfig();
    cfg.database = ":memory:";
    cfg.day.timezone = "UTC";
    const std::vector<std::string> extra = {"F", "G", "H", "K", "L", "M"};
    for (size_t i = 0; i < extra.size(); ++i) {
        server::ServiceConfig s = cfg.services[i];
        s.letter = extra[i];
        for (auto& [lang, name] : s.names) name += " (" + extra[i] + ")";
        cfg.services.push_back(s);
        for (auto& w : cfg.windows) {
            if (w.number == 6) w.services.push_back({extra[i], 0.5});
        }
    }
    return cfg;
}

/// One store with kStoreWaiting waiting tickets, issued through issueTicket at even steps over
/// the last 3 hours, built once and shared by the store benchmarks (building it takes seconds:
/// every issue recomputes the wait projection).
struct StoreFixture {
    BenchClock clock;
    server::EventHub hub;
    std::unique_ptr<server::QueueStore> store;
    std::string error;

    StoreFixture() {
        const server::ServerConfig cfg = storeConfig();
        const WallTime start = kNow - kHistory;
        clock.setWall(start);
        auto opened = server::QueueStore::open(cfg, hub, clock);
        if (!opened) {
            error = "open: " + opened.error().message;
            return;
        }
        store = std::move(opened).value();
        std::mt19937_64 rng(2);
        std::uniform_int_distribution<int64_t> booked(0, 60);
        std::vector<size_t> deck;
        const auto step = std::chrono::milliseconds(kHistory) / kStoreWaiting;
        for (int i = 0; i < kStoreWaiting; ++i) {
            clock.setWall(start + step * i);
            server::IssueRequest req;
            req.priority = randomPriority(rng);
            if (req.priority == Priority::Appointment)
                req.appointmentAt = clock.wallNow() + std::chrono::minutes(booked(rng));
            // Services in random order but evenly (a shuffled deck), so none passes the 999 cap.
            if (deck.empty()) {
                for (size_t s = 0; s < cfg.services.size(); ++s) deck.push_back(s);
                std::shuffle(deck.begin(), deck.end(), rng);
            }
            req.service = cfg.services[deck.back()].letter;
            deck.pop_back();
            auto issued = store->issueTicket(req);
            if (!issued) {
                error = "issue #" + std::to_string(i) + ": " + issued.error().code + " " +
                        issued.error().message;
                return;
            }
        }
        clock.setWall(kNow);
    }
};

StoreFixture& storeFixture() {
    static StoreFixture fixture;
    return fixture;
}

int waitingCount(server::QueueStore& store) {
    int n = 0;
    for (const auto& s : store.services()) n += s.waiting;
    return n;
}

/// Runs callNext(window) then returnToQueue(window); the returned ticket keeps its issue time,
/// so the queue stays at the same 10,000 tickets. False (with the error skipped) on failure.
bool callAndReturn(benchmark::State& state, server::QueueStore& store, int window) {
    auto called = store.callNext(window);
    if (!called || !called.value()) {
        state.SkipWithError(called ? "callNext found nothing to call"
                                   : called.error().message.c_str());
        return false;
    }
    auto back = store.returnToQueue(window);
    if (!back) {
        state.SkipWithError(back.error().message.c_str());
        return false;
    }
    return true;
}

bool fixtureReady(benchmark::State& state, StoreFixture& f) {
    if (f.error.empty()) return true;
    state.SkipWithError(f.error.c_str());
    return false;
}

void BM_StoreCallNextReturn(benchmark::State& state) {
    StoreFixture& f = storeFixture();
    if (!fixtureReady(state, f)) return;
    const int window = static_cast<int>(state.range(0));
    for (auto _ : state) {
        if (!callAndReturn(state, *f.store, window)) break;
    }
    state.counters["waiting"] = waitingCount(*f.store);
    state.SetLabel(
        "full call path incl. SQLite write (:memory:): callNext + returnToQueue, EWT cached");
}
BENCHMARK(BM_StoreCallNextReturn)->ArgName("window")->Arg(1)->Arg(6)->Unit(benchmark::kMicrosecond);

/// callNext alone (returnToQueue runs untimed), with the clock fixed so the wait projection in
/// the event stays cached, as when calls come faster than every 250 ms. Manual time: the Time
/// column is callNext only; the CPU column still counts the untimed returnToQueue.
void BM_StoreCallNextOnly(benchmark::State& state) {
    StoreFixture& f = storeFixture();
    if (!fixtureReady(state, f)) return;
    const int window = static_cast<int>(state.range(0));
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        auto called = f.store->callNext(window);
        const auto t1 = std::chrono::steady_clock::now();
        if (!called || !called.value()) {
            state.SkipWithError("callNext failed");
            break;
        }
        state.SetIterationTime(std::chrono::duration<double>(t1 - t0).count());
        if (!f.store->returnToQueue(window)) {
            state.SkipWithError("returnToQueue failed");
            break;
        }
    }
    state.counters["waiting"] = waitingCount(*f.store);
    state.SetLabel("full call path incl. SQLite write (:memory:): callNext alone, EWT cached");
}
BENCHMARK(BM_StoreCallNextOnly)
    ->ArgName("window")
    ->Arg(6)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);

/// As above, but monotonic time moves 250 ms (the projection's maximum age) before each call:
/// what every call costs in an office where calls are seconds apart. With 10,000 waiting the
/// request path keeps using the last projection; QueueStore::sweep() re-projects off it.
void BM_StoreCallNextEwtRefresh(benchmark::State& state) {
    StoreFixture& f = storeFixture();
    if (!fixtureReady(state, f)) return;
    const int window = static_cast<int>(state.range(0));
    for (auto _ : state) {
        f.clock.advanceSteady(250ms);
        const auto t0 = std::chrono::steady_clock::now();
        auto called = f.store->callNext(window);
        const auto t1 = std::chrono::steady_clock::now();
        if (!called || !called.value()) {
            state.SkipWithError("callNext failed");
            break;
        }
        state.SetIterationTime(std::chrono::duration<double>(t1 - t0).count());
        if (!f.store->returnToQueue(window)) {
            state.SkipWithError("returnToQueue failed");
            break;
        }
    }
    state.counters["waiting"] = waitingCount(*f.store);
    state.SetLabel("full call path incl. SQLite write (:memory:): callNext alone, projection older than 250 ms");
}
BENCHMARK(BM_StoreCallNextEwtRefresh)
    ->ArgName("window")
    ->Arg(1)
    ->Arg(6)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);

/// The clerk console's waiting list (GET /api/v1/queue) over the same 10,000 tickets: every
/// waiting ticket is ranked in memory on each request, so this is what one list costs.
void BM_StoreWaitingList(benchmark::State& state) {
    StoreFixture& f = storeFixture();
    if (!fixtureReady(state, f)) return;
    server::QueueQuery query;
    if (state.range(0) == 1) query.services = {"A", "C"};  // window 1's services
    size_t listed = 0;
    int total = 0;
    for (auto _ : state) {
        auto list = f.store->waitingTickets(query);
        if (!list) {
            state.SkipWithError(list.error().message.c_str());
            break;
        }
        listed = list.value().tickets.size();
        total = list.value().total;
        benchmark::DoNotOptimize(list);
    }
    state.counters["listed"] = static_cast<double>(listed);
    state.counters["matching"] = total;
    state.SetLabel(state.range(0) == 1 ? "first 50 of two services" : "first 50 of every service");
}
BENCHMARK(BM_StoreWaitingList)->ArgName("window")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

// ---- 3. ewt::project ----------------------------------------------------------------------

void BM_EwtProject(benchmark::State& state) {
    const server::ServerConfig cfg = server::demoConfig();
    ewt::Input in;
    in.now = kNow;
    in.waiting = makeWaiting(static_cast<int>(state.range(0)), 3);
    std::mt19937_64 rng(4);
    std::uniform_real_distribution<double> busy(0, 300);
    for (const auto& w : cfg.windows) {
        in.windows.push_back({w.number, policiesOf(w, cfg), busy(rng)});
    }
    for (const auto& s : cfg.services) {
        in.serviceSeconds[s.letter] = s.serviceMinutes * 60;
        in.newTicketServices.push_back(s.letter);
    }
    size_t estimated = 0;
    for (auto _ : state) {
        auto out = ewt::project(in);
        estimated = out.waitSeconds.size();
        benchmark::DoNotOptimize(out);
    }
    state.counters["estimated"] = static_cast<double>(estimated);
    state.SetLabel("full wait projection, 6 open demo windows");
}
BENCHMARK(BM_EwtProject)->ArgName("waiting")->Arg(200)->Arg(10'000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace talon::bench
