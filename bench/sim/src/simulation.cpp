// The simulation loop: a time-ordered event queue (arrivals, window steps, breaks, sweeps)
// driving QueueStore through its public API, exactly as kiosks and clerk consoles would.
#include "talon/sim/simulation.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <queue>
#include <random>

#include "talon/server/calendar.h"
#include "talon/server/event_hub.h"
#include "talon/server/queue_store.h"
#include "talon/sim/sim_clock.h"

namespace talon::sim {
namespace {

using std::chrono::milliseconds;

constexpr auto kSweepEvery = std::chrono::seconds(60);
// Nobody is served faster, whatever the distribution says.
constexpr double kMinServiceSeconds = 10;

milliseconds ms(double seconds) {
    return milliseconds(static_cast<int64_t>(std::llround(seconds * 1000)));
}

double sampleServiceSeconds(const ServiceTime& st, std::mt19937_64& rng) {
    const double mean = st.meanMinutes * 60;
    double v = mean;
    switch (st.kind) {
        case Distribution::Fixed:
            break;
        case Distribution::Exponential:
            v = std::exponential_distribution<double>(1.0 / mean)(rng);
            break;
        case Distribution::Lognormal: {
            // Mean m and coefficient of variation c: sigma² = ln(1 + c²), mu = ln m − sigma²/2.
            const double sigma2 = std::log1p(st.cv * st.cv);
            v = std::lognormal_distribution<double>(std::log(mean) - sigma2 / 2,
                                                    std::sqrt(sigma2))(rng);
            break;
        }
    }
    return std::max(kMinServiceSeconds, v);
}

struct Arrival {
    WallTime at{};
    size_t service = 0;
    double needSeconds = 0;
};

/// Seconds after opening of evenly spaced arrivals: the k-th comes when the expected count
/// (the integral of the hourly rates) reaches k + ½, so the spacing follows each hour's rate.
std::vector<double> regularTimes(const std::vector<double>& rates, double span) {
    std::vector<double> out;
    double count = 0;
    for (size_t hour = 0; hour < rates.size() && hour * 3600.0 < span; ++hour) {
        const double from = hour * 3600.0, to = std::min(from + 3600.0, span);
        const double next = count + rates[hour] * (to - from) / 3600.0;
        for (double k = std::floor(count + 0.5) + 0.5; rates[hour] > 0 && k <= next; k += 1) {
            if (k > count) out.push_back(from + (k - count) / rates[hour] * 3600.0);
        }
        count = next;
    }
    return out;
}

/// Arrivals of every service in time order. Poisson ones have a rate constant within each
/// hour: an exponential gap, and a fresh draw from the boundary when the gap crosses into the
/// next hour (memorylessness makes that exact).
std::vector<Arrival> drawArrivals(const Scenario& sc, WallTime opensAt, std::mt19937_64& rng) {
    std::vector<Arrival> out;
    const double span = (sc.closeMinute - sc.openMinute) * 60.0;
    for (size_t s = 0; s < sc.services.size(); ++s) {
        const auto& rates = sc.services[s].arrivalsPerHour;
        if (sc.services[s].arrivalProcess == ArrivalProcess::Regular) {
            for (double t : regularTimes(rates, span)) {
                out.push_back(
                    {opensAt + ms(t), s, sampleServiceSeconds(sc.services[s].serviceTime, rng)});
            }
            continue;
        }
        double t = 0;
        while (t < span) {
            const size_t hour = static_cast<size_t>(t / 3600);
            if (hour >= rates.size()) break;
            const double hourEnd = std::min((hour + 1) * 3600.0, span);
            if (rates[hour] <= 0) {
                t = hourEnd;
                continue;
            }
            const double gap = std::exponential_distribution<double>(rates[hour] / 3600.0)(rng);
            if (t + gap >= hourEnd) {
                t = hourEnd;
                continue;
            }
            t += gap;
            out.push_back(
                {opensAt + ms(t), s, sampleServiceSeconds(sc.services[s].serviceTime, rng)});
        }
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const Arrival& a, const Arrival& b) { return a.at < b.at; });
    return out;
}

enum class EventKind { Arrival, Poll, Start, Finish, BreakStart, BreakEnd, Sweep };

struct Event {
    WallTime at{};
    uint64_t seq = 0;  // insertion order breaks ties, so the run is deterministic
    EventKind kind = EventKind::Sweep;
    size_t index = 0;    // arrival or window index
    uint64_t token = 0;  // polls: only the window's latest poll counts
    Break span{};        // breaks
};

struct EventLater {
    bool operator()(const Event& a, const Event& b) const {
        return a.at != b.at ? a.at > b.at : a.seq > b.seq;
    }
};

enum class Phase { Idle, WalkUp, Serving, Paused };

struct WindowRun {
    const ScenarioWindow* config = nullptr;
    Phase phase = Phase::Idle;
    size_t ticket = 0;  // index into the records while WalkUp/Serving
    uint64_t pollToken = 0;
    std::optional<WallTime> breakUntil;  // a break is due: pause once the visitor is done
    WallTime busyFrom{};
    WallTime pausedFrom{};
};

class Simulation {
public:
    Simulation(const Scenario& sc, uint64_t seed, WallTime opensAt)
        : m_sc(sc), m_rng(seed), m_clock(opensAt) {
        m_result.seed = seed;
        m_result.opensAt = opensAt;
        m_result.closesAt = opensAt + std::chrono::minutes(sc.closeMinute - sc.openMinute);
        m_hardStopAt = m_result.closesAt + std::chrono::minutes(sc.drainMinutes);
    }

    Result<SimResult> run() {
        auto store = server::QueueStore::open(serverConfig(m_sc), m_hub, m_clock);
        if (!store) return store.error();
        m_store = std::move(store).value();

        m_arrivals = drawArrivals(m_sc, m_result.opensAt, m_rng);
        for (size_t w = 0; w < m_sc.windows.size(); ++w) {
            const auto& cfg = m_sc.windows[w];
            WindowRun run;
            run.config = &cfg;
            m_windows.push_back(run);
            WindowRecord record;
            record.number = cfg.number;
            record.name = cfg.name;
            record.services = cfg.services;
            record.openFrom = m_result.opensAt;
            record.openTo = m_result.closesAt;
            m_result.windows.push_back(std::move(record));
            for (const auto& b : cfg.breaks) {
                Event e{localTime(b.fromMinute), 0, EventKind::BreakStart, w, 0, b};
                push(e);
                e.at = localTime(b.toMinute);
                e.kind = EventKind::BreakEnd;
                push(e);
            }
            schedulePoll(w, m_result.opensAt);
        }
        // Pushed after the breaks, so at the same instant a clerk back from a break on time is
        // open again before a visitor who walks in that moment takes a ticket.
        for (size_t i = 0; i < m_arrivals.size(); ++i) {
            push(m_arrivals[i].at, EventKind::Arrival, i);
        }
        push(m_result.opensAt, EventKind::Sweep, 0);

        while (!m_events.empty() && m_events.top().at <= m_hardStopAt && !finished()) {
            const Event e = m_events.top();
            m_events.pop();
            m_clock.advanceTo(e.at);
            m_result.endedAt = e.at;
            if (auto err = handle(e)) return *err;
        }
        m_result.hardStop = !finished();
        // At a hard stop, windows still serving or on a break are so until the end.
        for (size_t w = 0; w < m_windows.size(); ++w) {
            const WindowRun& win = m_windows[w];
            WindowRecord& rec = m_result.windows[w];
            if (win.phase == Phase::WalkUp || win.phase == Phase::Serving) {
                rec.busy.push_back({win.busyFrom, m_result.endedAt});
                rec.openTo = std::max(rec.openTo, m_result.endedAt);
            } else if (win.phase == Phase::Paused) {
                rec.paused.push_back({win.pausedFrom, m_result.endedAt});
            }
        }
        // What the engine itself says became of each ticket.
        for (auto& t : m_result.tickets) {
            auto engine = m_store->ticket(t.id);
            if (!engine) return engine.error();
            t.finalStatus = engine.value().status;
        }
        return std::move(m_result);
    }

private:
    WallTime localTime(int minute) const {
        return m_result.opensAt + std::chrono::minutes(minute - m_sc.openMinute);
    }

    void push(Event e) {
        e.seq = m_seq++;
        m_events.push(e);
    }
    void push(WallTime at, EventKind kind, size_t index, uint64_t token = 0) {
        push(Event{at, 0, kind, index, token, {}});
    }
    void schedulePoll(size_t w, WallTime at) {
        push(at, EventKind::Poll, w, ++m_windows[w].pollToken);
    }

    bool finished() const {
        return m_clock.wallNow() >= m_result.closesAt && m_nextArrival == m_arrivals.size() &&
               m_open == 0;
    }

    Error engineError(const std::string& step, const ScenarioWindow* w, const Error& e) const {
        std::string where = w ? " at window " + std::to_string(w->number) : std::string{};
        std::string what = e.code;
        if (!e.message.empty() && e.message != e.code) what += " (" + e.message + ")";
        return makeError(ErrorKind::Internal, "engine_refused",
                         "the engine refused " + step + where + " at " +
                             formatIso(m_clock.wallNow()) + ": " + what);
    }

    std::optional<Error> handle(const Event& e) {
        switch (e.kind) {
            case EventKind::Arrival:
                return arrive(e.index);
            case EventKind::Poll:
                if (e.token != m_windows[e.index].pollToken ||
                    m_windows[e.index].phase != Phase::Idle)
                    return {};
                return callNext(e.index);
            case EventKind::Start:
                return start(e.index);
            case EventKind::Finish:
                return finish(e.index);
            case EventKind::BreakStart:
                return breakStarts(e.index, e.span);
            case EventKind::BreakEnd:
                return breakEnds(e.index);
            case EventKind::Sweep:
                m_store->sweep();
                push(e.at + kSweepEvery, EventKind::Sweep, 0);
                return {};
        }
        return {};
    }

    std::optional<Error> arrive(size_t i) {
        ++m_nextArrival;
        const Arrival& a = m_arrivals[i];
        const auto& service = m_sc.services[a.service];
        server::IssueRequest request;
        request.service = service.letter;
        auto issued = m_store->issueTicket(request);
        if (!issued) {
            const auto& err = issued.error();
            // Answers a kiosk shows a visitor, who then leaves: part of the day, not a failure.
            if (err.code == "service_closing" || err.code == "service_closed" ||
                err.code == "service_holiday" || err.code == "numbers_exhausted") {
                m_result.refused.push_back({service.letter, a.at, err.code});
                return {};
            }
            return engineError("to issue a " + service.letter + " ticket", nullptr, err);
        }
        const Ticket& t = issued.value().ticket;
        TicketRecord r;
        r.id = t.id;
        r.number = t.number;
        r.service = t.service;
        r.issuedAt = t.issuedAt;
        r.ewtSeconds = t.ewtSeconds;
        r.ahead = t.ahead.value_or(0);
        r.needSeconds = a.needSeconds;
        m_byId[t.id] = m_result.tickets.size();
        m_result.tickets.push_back(std::move(r));
        ++m_open;
        return {};
    }

    std::optional<Error> callNext(size_t w) {
        WindowRun& win = m_windows[w];
        const WallTime now = m_clock.wallNow();
        if (win.breakUntil && now < *win.breakUntil) return pause(w);
        win.breakUntil.reset();
        auto called = m_store->callNext(win.config->number);
        if (!called) return engineError("call-next", win.config, called.error());
        if (!called.value()) {
            schedulePoll(w, now + ms(m_sc.pollSeconds));
            return {};
        }
        const Ticket& t = *called.value();
        auto it = m_byId.find(t.id);
        if (it == m_byId.end()) {
            return makeError(ErrorKind::Internal, "unknown_ticket",
                             "window " + std::to_string(win.config->number) +
                                 " was handed ticket " + t.number +
                                 " that the simulation never issued");
        }
        TicketRecord& r = m_result.tickets[it->second];
        r.calledAt = now;
        r.window = win.config->number;
        r.calls += 1;
        win.phase = Phase::WalkUp;
        win.ticket = it->second;
        win.busyFrom = now;
        push(now + ms(m_sc.walkUpSeconds), EventKind::Start, w);
        return {};
    }

    std::optional<Error> start(size_t w) {
        WindowRun& win = m_windows[w];
        auto started = m_store->start(win.config->number);
        if (!started) return engineError("start", win.config, started.error());
        TicketRecord& r = m_result.tickets[win.ticket];
        r.startedAt = m_clock.wallNow();
        win.phase = Phase::Serving;
        push(m_clock.wallNow() + ms(r.needSeconds), EventKind::Finish, w);
        return {};
    }

    std::optional<Error> finish(size_t w) {
        WindowRun& win = m_windows[w];
        auto done = m_store->finish(win.config->number);
        if (!done) return engineError("done", win.config, done.error());
        const WallTime now = m_clock.wallNow();
        TicketRecord& r = m_result.tickets[win.ticket];
        r.finishedAt = now;
        r.finishes += 1;
        --m_open;
        WindowRecord& rec = m_result.windows[w];
        rec.busy.push_back({win.busyFrom, now});
        rec.served += 1;
        rec.openTo = std::max(rec.openTo, now);
        win.phase = Phase::Idle;
        return callNext(w);
    }

    std::optional<Error> breakStarts(size_t w, const Break& b) {
        WindowRun& win = m_windows[w];
        win.breakUntil = localTime(b.toMinute);
        if (win.phase == Phase::Idle) return pause(w);
        return {};  // the clerk finishes the current visitor first
    }

    std::optional<Error> breakEnds(size_t w) {
        WindowRun& win = m_windows[w];
        win.breakUntil.reset();
        if (win.phase != Phase::Paused) return {};  // the visitor took the whole break
        auto resumed = m_store->resume(win.config->number);
        if (!resumed) return engineError("resume", win.config, resumed.error());
        m_result.windows[w].paused.push_back({win.pausedFrom, m_clock.wallNow()});
        win.phase = Phase::Idle;
        return callNext(w);
    }

    std::optional<Error> pause(size_t w) {
        WindowRun& win = m_windows[w];
        auto paused = m_store->pause(win.config->number, "break");
        if (!paused) return engineError("pause", win.config, paused.error());
        win.phase = Phase::Paused;
        win.pausedFrom = m_clock.wallNow();
        ++win.pollToken;  // any poll still queued is void
        return {};
    }

    const Scenario& m_sc;
    std::mt19937_64 m_rng;
    SimClock m_clock;
    server::EventHub m_hub;
    std::unique_ptr<server::QueueStore> m_store;
    WallTime m_hardStopAt{};

    std::priority_queue<Event, std::vector<Event>, EventLater> m_events;
    uint64_t m_seq = 0;
    std::vector<Arrival> m_arrivals;
    size_t m_nextArrival = 0;
    std::vector<WindowRun> m_windows;
    std::map<int64_t, size_t> m_byId;
    int64_t m_open = 0;  // issued and not finished
    SimResult m_result;
};

}  // namespace

std::optional<double> TicketRecord::waitSeconds() const {
    if (!calledAt) return std::nullopt;
    return std::chrono::duration<double>(*calledAt - issuedAt).count();
}

Result<SimResult> simulate(const Scenario& scenario, uint64_t seed) {
    server::DayConfig day;
    day.timezone = "UTC";
    auto calendar = server::BusinessCalendar::create(day);
    if (!calendar) return calendar.error();
    const WallTime opensAt = calendar.value().at(scenario.date, scenario.openMinute);
    Simulation sim(scenario, seed, opensAt);
    return sim.run();
}

}  // namespace talon::sim
