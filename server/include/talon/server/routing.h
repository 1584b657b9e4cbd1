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
};

struct ServicePolicy {
    double weight = 1.0;        // this window's weight for the service
    int targetWaitSeconds = 0;  // 0: no target, no boost
};

/// Factor applied to the weighted wait of a ticket that waited longer than its target.
inline constexpr double kOverTargetBoost = 2.0;

/// Picks the ticket `window` should call among `candidates` (waiting tickets of its services):
///  1. priority class first: Priority, then Appointment, then Normal;
///  2. then the largest weighted wait = wait × the window's weight for the service,
///     × kOverTargetBoost once the wait passed the service's target;
///  3. ties by earlier issue time, then lower id.
/// Candidates of services the window does not serve are ignored. nullopt when none qualifies.
std::optional<size_t> pickNext(std::span<const Candidate> candidates,
                               const std::map<std::string, ServicePolicy>& policies, WallTime now);

}  // namespace talon::routing
