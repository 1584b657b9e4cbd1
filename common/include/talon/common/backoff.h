// Exponential backoff with jitter for reconnects, so a hundred boards that lost the server
// at the same moment do not all knock at the same moment when it comes back.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <random>

namespace talon {

class Backoff {
public:
    using ms = std::chrono::milliseconds;
    Backoff(ms initial, ms maximum, uint64_t seed = std::random_device{}())
        : m_initial(initial), m_max(maximum), m_current(initial), m_rng(seed) {}

    /// The next delay: uniform in [current/2, current], then current doubles up to the maximum.
    ms next() {
        const auto hi = m_current.count();
        std::uniform_int_distribution<int64_t> dist(hi / 2, hi);
        const ms delay{dist(m_rng)};
        m_current = std::min(m_max, m_current * 2);
        return delay;
    }
    void reset() { m_current = m_initial; }

private:
    ms m_initial, m_max, m_current;
    std::mt19937_64 m_rng;
};

}  // namespace talon
