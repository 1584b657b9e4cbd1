// EventHub: a bounded in-memory tail of the event log plus a condition variable.
#include "talon/server/event_hub.h"

#include <algorithm>

namespace talon::server {

void EventHub::setLastId(int64_t id) {
    std::lock_guard lock(m_mutex);
    m_lastId = id;
}

int64_t EventHub::lastId() const {
    std::lock_guard lock(m_mutex);
    return m_lastId;
}

void EventHub::publish(StoredEvent event) {
    {
        std::lock_guard lock(m_mutex);
        m_lastId = event.id;
        m_recent.push_back(std::move(event));
        while (m_recent.size() > m_capacity) m_recent.pop_front();
    }
    m_cv.notify_all();
}

EventHub::Batch EventHub::collect(int64_t after, size_t limit) const {
    Batch batch;
    if (after >= m_lastId) return batch;
    // Memory holds (front.id-1, lastId]; anything older comes from the database.
    const int64_t oldestKept = m_recent.empty() ? m_lastId + 1 : m_recent.front().id;
    if (after + 1 < oldestKept) {
        batch.gap = true;
        return batch;
    }
    auto it = std::lower_bound(m_recent.begin(), m_recent.end(), after + 1,
                               [](const StoredEvent& e, int64_t id) { return e.id < id; });
    for (; it != m_recent.end() && batch.events.size() < limit; ++it) batch.events.push_back(*it);
    return batch;
}

EventHub::Batch EventHub::waitAfter(int64_t after, std::chrono::milliseconds timeout, size_t limit) {
    std::unique_lock lock(m_mutex);
    m_cv.wait_for(lock, timeout, [&] { return m_shutdown || m_lastId > after; });
    if (m_shutdown) {
        Batch b;
        b.shutdown = true;
        return b;
    }
    return collect(after, limit);
}

void EventHub::shutdown() {
    {
        std::lock_guard lock(m_mutex);
        m_shutdown = true;
    }
    m_cv.notify_all();
}

}  // namespace talon::server
