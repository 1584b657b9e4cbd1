// Routing policy implementation; see routing.h for the rules.
#include "talon/server/routing.h"

#include <tuple>

namespace talon::routing {
namespace {

}  // namespace

int classRank(const Candidate& c, WallTime now) {
    if (c.assignedHere) return -1;
    switch (c.priority) {
        case Priority::Priority: return 0;
        case Priority::Appointment:
            return (!c.appointmentAt || *c.appointmentAt - kAppointmentEarly <= now) ? 1 : 2;
        case Priority::Normal: return 2;
    }
    return 2;
}

std::optional<size_t> pickNext(std::span<const Candidate> candidates,
                               const std::map<std::string, ServicePolicy>& policies, WallTime now) {
    std::optional<size_t> best;
    int bestRank = 0;
    double bestScore = 0;
    for (size_t i = 0; i < candidates.size(); ++i) {
        const Candidate& c = candidates[i];
        auto policy = policies.find(c.service);
        if (policy == policies.end() && !c.assignedHere) continue;
        const ServicePolicy p = policy == policies.end() ? ServicePolicy{} : policy->second;
        const double waitSec =
            std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::milliseconds>(now - c.issuedAt).count()) /
            1000.0;
        double score = waitSec * p.weight;
        if (p.targetWaitSeconds > 0 && waitSec > p.targetWaitSeconds) score *= kOverTargetBoost;
        const int rank = classRank(c, now);
        if (!best) {
            best = i;
            bestRank = rank;
            bestScore = score;
            continue;
        }
        const Candidate& b = candidates[*best];
        // Lower rank wins; then higher score; then earlier issue; then lower id.
        const auto key = std::make_tuple(rank, -score, c.issuedAt, c.ticketId);
        const auto bestKey = std::make_tuple(bestRank, -bestScore, b.issuedAt, b.ticketId);
        if (key < bestKey) {
            best = i;
            bestRank = rank;
            bestScore = score;
        }
    }
    return best;
}

}  // namespace talon::routing
