// The day's figures from a simulation: waits, service level, window utilisation and how good
// the engine's wait estimates were, per service, per window and per hour; as text or JSON.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "talon/sim/scenario.h"
#include "talon/sim/simulation.h"

namespace talon::sim {

/// An estimate counts as good when the actual wait is within this share of it ...
inline constexpr double kEwtRelativeTolerance = 0.25;
/// ... or within this many seconds of it, whichever is wider.
inline constexpr double kEwtAbsoluteToleranceSeconds = 180;

/// True when `actualSeconds` is within ±25 % or ±3 minutes of `estimateSeconds`.
bool ewtWithin(double estimateSeconds, double actualSeconds);

struct WaitStats {
    int tickets = 0;                   // issued
    int called = 0;                    // reached a window (their wait is known)
    double p50 = 0, p90 = 0, max = 0;  // wait in minutes, over called tickets
    double overTarget = 0;  // share of tickets that waited longer than their service's target
                            // (a ticket never called counts as over)
    int estimated = 0;      // tickets the engine gave an estimate
    double ewtMae = 0;      // minutes, mean |actual − estimate| over called tickets with one
    double ewtBias = 0;     // minutes, mean (actual − estimate): above 0 the estimates were low
    double ewtWithin = 0;   // share of all tickets within tolerance; no estimate or no call = miss
};

struct ServiceRow {
    std::string letter;
    std::string name;
    int targetMinutes = 0;
    WaitStats stats;
};

struct WindowRow {
    int number = 0;
    std::string services;  // "A C(0.5)"
    int served = 0;
    double busyMinutes = 0;  // calls to finishes, walk-up included
    double openMinutes = 0;  // opening to closing (or its last finish), breaks taken excluded
    double utilisation = 0;
};

struct HourRow {
    std::string hour;  // "09:00", local
    int arrivals = 0;
    WaitStats stats;         // of the tickets issued in this hour
    double utilisation = 0;  // all windows' busy time / open time within the hour
};

struct Report {
    std::string scenario;
    std::string source;
    uint64_t seed = 0;
    std::string date;
    std::string opens, closes, endedAt;  // local "HH:MM"
    double walkUpSeconds = 0, pollSeconds = 0;
    bool hardStop = false;
    int refused = 0;
    std::map<std::string, int> refusedBy;  // by the engine's reason code
    int unfinished = 0;                    // issued and not done at the end
    std::vector<ServiceRow> services;
    ServiceRow total;
    std::vector<WindowRow> windows;
    WindowRow allWindows;
    std::vector<HourRow> hours;
};

/// Summarises a run of `scenario`.
Report summarise(const Scenario& scenario, const SimResult& result);
/// Aligned text tables, ending with the line `ewt_within=NN.N%` for scripts.
std::string formatText(const Report& report);
/// The same figures as one JSON object.
std::string formatJson(const Report& report);
/// One CSV line per ticket (issue, estimate, call, start, finish, window), for analysing
/// estimates outside the program.
std::string formatTicketsCsv(const SimResult& result);

}  // namespace talon::sim
