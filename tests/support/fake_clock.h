// A clock tests move by hand.
#pragma once

#include "talon/common/time.h"

namespace talon::test {

class FakeClock final : public Clock {
public:
    Instant now() const override { return m_now; }
    WallTime wallNow() const override { return m_wall; }
    void advance(std::chrono::milliseconds d) {
        m_now += d;
        m_wall += d;
    }
    void setWall(WallTime t) { m_wall = t; }

private:
    Instant m_now{std::chrono::hours(1000)};
    WallTime m_wall{std::chrono::milliseconds(1'795'000'000'000)};  // 2026-11-18
};

}  // namespace talon::test
