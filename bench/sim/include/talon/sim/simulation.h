// The discrete-event simulation of one business day on the real queue engine (QueueStore with
// an in-memory database and a simulated clock): visitors arrive, windows call, serve and take
// breaks, and every ticket's estimate and actual wait are recorded.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "talon/common/domain.h"
#include "talon/common/result.h"
#include "talon/common/time.h"
#include "talon/sim/scenario.h"

namespace talon::sim {

/// One visitor's ticket, from the engine's answers and the simulation's own bookkeeping.
struct TicketRecord {
    int64_t id = 0;
    std::string number;
    std::string service;
    WallTime issuedAt{};
    std::optional<int> ewtSeconds;  // the engine's estimate at issue; none: it gave none
    int ahead = 0;                  // people ahead at issue, as the engine said
    double needSeconds = 0;         // the visitor's service time, drawn at arrival
    std::optional<WallTime> calledAt;
    std::optional<WallTime> startedAt;
    std::optional<WallTime> finishedAt;
    int window = 0;
    int calls = 0;     // times a call-next handed this ticket to a window
    int finishes = 0;  // times a window finished it
    TicketStatus finalStatus = TicketStatus::Waiting;  // as the engine reports it at the end

    /// Seconds from issue to the call, if it was called.
    std::optional<double> waitSeconds() const;
};

struct Interval {
    WallTime from{};
    WallTime to{};
};

struct WindowRecord {
    int number = 0;
    std::string name;
    std::vector<WindowService> services;
    std::vector<Interval> busy;    // from each call to its finish (walk-up included)
    std::vector<Interval> paused;  // breaks actually taken
    WallTime openFrom{};           // opening
    WallTime openTo{};             // closing, or the last finish if later
    int served = 0;
};

/// A visitor the engine did not give a ticket (e.g. service_closing).
struct Refusal {
    std::string service;
    WallTime at{};
    std::string code;
};

struct SimResult {
    uint64_t seed = 0;
    WallTime opensAt{};
    WallTime closesAt{};
    WallTime endedAt{};     // the last event handled
    bool hardStop = false;  // stopped drain_minutes after closing with visitors still there
    std::vector<TicketRecord> tickets;  // in issue order
    std::vector<WindowRecord> windows;  // in scenario order
    std::vector<Refusal> refused;
};

/// Runs the scenario's day with a std::mt19937_64 seeded with `seed`: the same scenario and
/// seed give the same result. Errors: the engine could not be opened, or it refused a step
/// the simulation only takes when it is legal (an engine bug; the message says which).
Result<SimResult> simulate(const Scenario& scenario, uint64_t seed);

}  // namespace talon::sim
