// Incremental parser of the Server-Sent Events wire format (WHATWG "event stream"):
// fed with arbitrary chunks, it yields complete events.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace talon {

struct SseEvent {
    std::optional<int64_t> id;  // the event's `id:` when it is a decimal integer
    std::string type = "message";
    std::string data;
};

class SseParser {
public:
    using Handler = std::function<void(const SseEvent&)>;
    explicit SseParser(Handler handler) : m_handler(std::move(handler)) {}

    /// Feeds bytes as they arrive; calls the handler for each event completed by them.
    void feed(std::string_view chunk);
    /// Forgets a partial event (after a reconnect).
    void reset();

private:
    void line(std::string_view l);
    void dispatch();

    Handler m_handler;
    std::string m_buffer;
    SseEvent m_event;
    bool m_hasData = false;
    bool m_skipLf = false;
};

}  // namespace talon
