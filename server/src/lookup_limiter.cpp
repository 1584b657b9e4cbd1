// LookupLimiter: a sliding window of lookup times per client. Clients whose window has emptied
// are dropped only when the table is full, so the usual path is one hash lookup.
#include "talon/server/lookup_limiter.h"

#include <algorithm>

namespace talon::server {
namespace {

constexpr auto kWindow = std::chrono::seconds(60);

int secondsUntil(Instant now, Instant when) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(when - now).count();
    return std::max<int>(1, static_cast<int>((ms + 999) / 1000));
}

}  // namespace

std::optional<int> LookupLimiter::admit(const std::string& clientName) {
    const std::string client = clientName.substr(0, kMaxClientBytes);
    const Instant now = m_clock.now();
    std::lock_guard lock(m_mutex);
    auto it = m_recent.find(client);
    if (it == m_recent.end()) {
        if (m_recent.size() >= m_maxClients) {
            Instant soonest = now + kWindow;
            for (auto c = m_recent.begin(); c != m_recent.end();) {
                if (c->second.empty() || c->second.back() + kWindow <= now) {
                    c = m_recent.erase(c);
                } else {
                    soonest = std::min(soonest, c->second.back() + kWindow);
                    ++c;
                }
            }
            // Still full of clients active this minute: a flood of made-up kiosk names. Refusing
            // the newcomer keeps every counted client counted.
            if (m_recent.size() >= m_maxClients) return secondsUntil(now, soonest);
        }
        it = m_recent.emplace(client, std::deque<Instant>{}).first;
    }
    std::deque<Instant>& times = it->second;
    while (!times.empty() && times.front() + kWindow <= now) times.pop_front();
    if (static_cast<int>(times.size()) >= m_perMinute) return secondsUntil(now, times.front() + kWindow);
    times.push_back(now);
    return std::nullopt;
}

std::optional<int> admitBoth(LookupLimiter& perAddress, const std::string& address,
                             LookupLimiter& perClient, const std::string& client) {
    if (auto wait = perAddress.admit(address)) return wait;
    return perClient.admit(client);
}

size_t LookupLimiter::clients() const {
    std::lock_guard lock(m_mutex);
    return m_recent.size();
}

}  // namespace talon::server
