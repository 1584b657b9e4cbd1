// The live event stream of a client: a background thread holds GET /api/v1/events open,
// decodes events and reconnects with backoff, resuming from the last id it saw.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "talon/common/domain.h"

namespace talon {

class EventStream {
public:
    struct Handlers {
        /// Called on the stream thread for each decoded event, in order.
        std::function<void(const QueueEvent&)> onEvent;
        /// Called on the stream thread when the stream opens (true) or is lost (false).
        std::function<void(bool connected)> onConnection;
    };
    struct Options {
        std::chrono::milliseconds backoffInitial{500};
        std::chrono::milliseconds backoffMax{15000};
        std::chrono::seconds idleTimeout{40};  // the server pings every 15 s
    };

    EventStream(std::string baseUrl, Handlers handlers, Options options);
    EventStream(std::string baseUrl, Handlers handlers)
        : EventStream(std::move(baseUrl), std::move(handlers), Options{}) {}
    ~EventStream();  // stops and joins

    /// Starts the thread. `lastEventId` > 0 resumes after that event; 0 means "live only".
    void start(int64_t lastEventId);
    void stop();
    int64_t lastEventId() const { return m_lastId.load(); }

private:
    void run();

    std::string m_baseUrl;
    Handlers m_handlers;
    Options m_options;
    std::atomic<int64_t> m_lastId{0};
    std::atomic<bool> m_stop{false};
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::thread m_thread;
};

}  // namespace talon
