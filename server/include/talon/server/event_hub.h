// EventHub: fans committed events out to the open event streams. Keeps the most recent events
// in memory; a stream that fell further behind reads the rest from the database.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace talon::server {

struct StoredEvent {
    int64_t id = 0;
    std::string type;
    std::string data;  // JSON text
};

class EventHub {
public:
    explicit EventHub(size_t capacity = 4096) : m_capacity(capacity) {}

    /// The id of the newest event that exists (loaded at startup, then advanced by publish).
    void setLastId(int64_t id);
    int64_t lastId() const;

    /// Publishes committed events; ids must increase.
    void publish(StoredEvent event);

    struct Batch {
        std::vector<StoredEvent> events;
        bool gap = false;       // events after `after` are no longer in memory: read the database
        bool shutdown = false;  // the server is stopping
    };
    /// Events with id > after (at most `limit`), waiting up to `timeout` for the first one.
    Batch waitAfter(int64_t after, std::chrono::milliseconds timeout, size_t limit = 256);

    /// Wakes every waiter and makes further waits return at once.
    void shutdown();

private:
    Batch collect(int64_t after, size_t limit) const;

    size_t m_capacity;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<StoredEvent> m_recent;
    int64_t m_lastId = 0;
    bool m_shutdown = false;
};

}  // namespace talon::server
