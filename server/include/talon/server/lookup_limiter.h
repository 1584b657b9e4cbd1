// LookupLimiter: at most N account lookups per client in any 60 seconds, so nobody can walk
// through account numbers from a kiosk (issue 7, privacy). Memory stays bounded: a fixed
// number of clients is tracked, and when that many are active a new one is refused, never
// let through untracked.
#pragma once

#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "talon/common/time.h"

namespace talon::server {

class LookupLimiter {
public:
    static constexpr size_t kMaxClients = 1024;
    static constexpr size_t kMaxClientBytes = 128;  // longer client names are cut to this

    LookupLimiter(const Clock& clock, int perMinute, size_t maxClients = kMaxClients)
        : m_clock(clock), m_perMinute(perMinute < 1 ? 1 : perMinute), m_maxClients(maxClients) {}

    /// Counts one lookup by `client` when it is within the limit (nullopt: go ahead); otherwise
    /// counts nothing and returns the whole seconds (at least 1) until the next is allowed.
    std::optional<int> admit(const std::string& client);
    /// Clients tracked now (for tests).
    size_t clients() const;

private:
    const Clock& m_clock;
    int m_perMinute;
    size_t m_maxClients;
    mutable std::mutex m_mutex;
    std::unordered_map<std::string, std::deque<Instant>> m_recent;  // lookups in the last minute
};

/// One request counted against both limits: `perAddress` for `address` first and, only when
/// that admits it, `perClient` for `client`, so a request the address limit refuses spends
/// none of the kiosk's own. nullopt: go ahead; else the seconds to wait.
std::optional<int> admitBoth(LookupLimiter& perAddress, const std::string& address,
                             LookupLimiter& perClient, const std::string& client);

}  // namespace talon::server
