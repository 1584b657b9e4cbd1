// Estimated waiting time: projects the queue forward with the real routing policy, the
// windows that are open (with their weights and the time their current visitor still needs)
// and the rolling average service time per service. Pure: no I/O, no clock.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "talon/common/domain.h"
#include "talon/server/routing.h"

namespace talon::ewt {

struct QueuedTicket {
    int64_t id = 0;
    std::string service;
    Priority priority = Priority::Normal;
    WallTime issuedAt{};
    std::optional<WallTime> appointmentAt;
    std::optional<int> assignedWindow;
};

struct OpenWindow {
    int number = 0;
    std::map<std::string, routing::ServicePolicy> policies;
    double busySeconds = 0;  // until its current visitor is expected to be done (or a pause ends)
    /// Planned breaks ahead, in seconds from now [start, end): the window takes nobody new then.
    std::vector<std::pair<double, double>> breaks;
};

struct Input {
    WallTime now{};
    std::vector<OpenWindow> windows;       // open windows, and paused ones whose return is known
    std::vector<QueuedTicket> waiting;     // every waiting ticket, any order
    std::map<std::string, double> serviceSeconds;  // expected service time per service
    std::vector<std::string> newTicketServices;    // services to estimate a ticket taken now for
    /// Recent arrivals per second per service: future visitors compete for shared windows
    /// (one of higher weight arriving later may be called first), so they take window time.
    std::map<std::string, double> arrivalsPerSecond;
    double horizonSeconds = 4 * 3600;  // how far ahead future arrivals are imagined
};

struct Output {
    std::map<int64_t, double> waitSeconds;          // from now until the projected call
    std::map<std::string, double> newTicketSeconds; // per service; absent: no open window serves it
};

/// Replays routing::pickNext forward in time: each open window takes the ticket the policy
/// would give it when it becomes free, and is busy for that service's expected time. Tickets
/// no open window can serve get no estimate. Cost: O(tickets × services per window).
Output project(const Input& input);

}  // namespace talon::ewt
