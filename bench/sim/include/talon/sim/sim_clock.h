// The simulated clock the engine reads: the simulation moves it from event to event, and the
// steady and wall clocks always move together.
#pragma once

#include <chrono>

#include "talon/common/time.h"

namespace talon::sim {

class SimClock final : public Clock {
public:
    explicit SimClock(WallTime start) : m_start(start), m_wall(start) {}

    Instant now() const override { return kSteadyBase + (m_wall - m_start); }
    WallTime wallNow() const override { return m_wall; }

    /// Moves both clocks to `t`. Time never runs backwards: an earlier `t` is ignored.
    void advanceTo(WallTime t) {
        if (t > m_wall) m_wall = t;
    }

private:
    // Any fixed origin works for the steady clock; only differences of it are ever used.
    static constexpr Instant kSteadyBase{std::chrono::hours(1000)};
    WallTime m_start;
    WallTime m_wall;
};

}  // namespace talon::sim
