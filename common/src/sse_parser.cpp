// SSE parsing: lines end in \n, \r\n or \r; a blank line dispatches; ':' starts a comment.
#include "talon/common/sse_parser.h"

#include <charconv>

namespace talon {

void SseParser::feed(std::string_view chunk) {
    for (char c : chunk) {
        if (m_skipLf) {
            m_skipLf = false;
            if (c == '\n') continue;
        }
        if (c == '\r' || c == '\n') {
            m_skipLf = (c == '\r');
            line(m_buffer);
            m_buffer.clear();
        } else {
            m_buffer += c;
            // A peer that never ends a line must not grow us without bound.
            if (m_buffer.size() > (1u << 20)) m_buffer.clear();
        }
    }
}

void SseParser::reset() {
    m_buffer.clear();
    m_event = SseEvent{};
    m_hasData = false;
    m_skipLf = false;
}

void SseParser::line(std::string_view l) {
    if (l.empty()) {
        dispatch();
        return;
    }
    if (l.front() == ':') return;
    std::string_view field = l, value;
    if (auto colon = l.find(':'); colon != std::string_view::npos) {
        field = l.substr(0, colon);
        value = l.substr(colon + 1);
        if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    }
    if (field == "data") {
        if (m_hasData) m_event.data += '\n';
        m_event.data += value;
        m_hasData = true;
    } else if (field == "event") {
        m_event.type = std::string(value);
    } else if (field == "id") {
        int64_t id = 0;
        auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), id);
        if (ec == std::errc{} && p == value.data() + value.size()) m_event.id = id;
    }
}

void SseParser::dispatch() {
    if (m_hasData && m_handler) m_handler(m_event);
    m_event = SseEvent{};
    m_hasData = false;
}

}  // namespace talon
