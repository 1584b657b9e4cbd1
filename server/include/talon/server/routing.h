// The routing policy: which waiting ticket a window calls next. One pure function, no I/O,
// so it is unit-tested table by table and benchmarked on its own.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>

#include "talon/common/domain.h"
#include "talon/common/time.h"

namespace talon::routing {

struct Candidate {
    int64_t ticketId = 0;
    std::string service;  // letter
    Priority priority = Priority::Normal;
    WallTime issuedAt{};
    bool assignedHere = false;             // transferred to this very window
    std::optional<WallTime> appointmentAt; // for Priority::Appointment
};

struct ServicePolicy {
    double weight = 1.0;        // this window's weight for the service
    int targetWaitSeconds = 0;  // 0: no target, no boost
};

/// Factor applied to the weighted wait of a ticket that waited longer than its target.
inline constexpr double kOverTargetBoost = 2.0;
/// An appointment counts as due this long before its time (the visitor is already here).
inline constexpr std::chrono::minutes kAppointmentEarly{5};

/// Picks the ticket `window` should call among `candidates` (waiting tickets of its services):
///  0. tickets transferred to this window (assignedHere) before anything else;
///  1. priority class first: Priority, then an Appointment whose time has come (from
///     kAppointmentEarly before it), then Normal (an appointment not yet due counts as Normal);
///  2. then the largest weighted wait = wait × the window's weight for the service,
///     × kOverTargetBoost once the wait passed the service's target;
///  3. ties by earlier issue time, then lower id.
/// Candidates of services the window does not serve are ignored, unless assignedHere.
/// nullopt when none qualifies.
std::optional<size_t> pickNext(std::span<const Candidate> candidates,
                               const std::map<std::string, ServicePolicy>& policies, WallTime now);

/// The class rank used above (lower first): -1 assigned, 0 priority, 1 due appointment, 2 normal.
int classRank(const Candidate& c, WallTime now);

}  // namespace talon::routing
