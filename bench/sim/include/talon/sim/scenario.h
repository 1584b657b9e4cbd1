// A simulated business day: opening hours, services with their arrival rates and service-time
// distributions, windows with their services, weights and breaks. Parsed from TOML
// (bench/scenarios/*.toml document every key) and turned into the engine's ServerConfig.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "talon/common/domain.h"
#include "talon/common/result.h"
#include "talon/server/config.h"

namespace talon::sim {

enum class Distribution { Fixed, Exponential, Lognormal };
/// Poisson: random arrivals at the hour's rate. Regular: evenly spaced at that rate (like
/// booked visits), which makes small scenarios predictable enough to reason about exactly.
enum class ArrivalProcess { Poisson, Regular };

/// How long a visitor of a service keeps the clerk busy once the service started.
struct ServiceTime {
    Distribution kind = Distribution::Fixed;
    double meanMinutes = 5;
    double cv = 0;  // coefficient of variation (lognormal only)
};

struct ScenarioService {
    std::string letter;
    std::string name;
    int targetWaitMinutes = 15;
    double priorMinutes = 5;              // the engine's expected service time until it measures
    std::vector<double> arrivalsPerHour;  // visitors per hour, one rate per hour from opening
    ArrivalProcess arrivalProcess = ArrivalProcess::Poisson;
    ServiceTime serviceTime;
};

/// A pause of one window, in minutes since local midnight.
struct Break {
    int fromMinute = 0;
    int toMinute = 0;
};

struct ScenarioWindow {
    int number = 0;
    std::string name;
    std::vector<WindowService> services;
    std::vector<Break> breaks;  // sorted, not overlapping
};

struct Scenario {
    std::string name;
    std::string source;               // file name, for messages
    std::string date = "2026-11-23";  // the simulated day (UTC, so runs are reproducible anywhere)
    int openMinute = 8 * 60;          // arrivals start
    int closeMinute = 18 * 60;  // arrivals stop; windows keep serving until the queues are empty
    double walkUpSeconds = 30;  // from the call until the visitor sits down and the service starts
    double pollSeconds = 15;    // an idle window asks for the next visitor this often
    int drainMinutes = 120;     // hard stop this long after closing, even with people waiting
    bool breaksPlanned = true;  // breaks are in the engine's config, so estimates count on them
    std::vector<ScenarioService> services;
    std::vector<ScenarioWindow> windows;
};

/// Parses scenario TOML. Errors (kind Config, code "bad_scenario") are one line naming the
/// source, the key and the problem, e.g. `day.toml: services[2].arrivals_per_hour: needs 10
/// hourly rates (08:00-18:00), got 9`. Unknown keys are errors too, so typos do not pass.
Result<Scenario> parseScenario(std::string_view text, std::string_view source);
/// Reads and parses a file; a missing or unreadable file is an error naming it.
Result<Scenario> loadScenarioFile(const std::string& path);

/// The engine configuration for the scenario: its services (target wait, prior service time,
/// open all day: the simulator itself stops arrivals at closing), its windows (their breaks
/// as planned breaks unless breaksPlanned is false), an in-memory database and the UTC zone.
server::ServerConfig serverConfig(const Scenario& scenario);

}  // namespace talon::sim
