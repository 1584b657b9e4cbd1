// EventStream: connect, parse, reconnect with jittered backoff, resume by Last-Event-ID.
#include "talon/common/event_stream.h"

#include "talon/common/backoff.h"
#include "talon/common/http_client.h"
#include "talon/common/sse_parser.h"
#include "talon/common/wire.h"

namespace talon {

EventStream::EventStream(std::string baseUrl, Handlers handlers, Options options)
    : m_baseUrl(std::move(baseUrl)), m_handlers(std::move(handlers)), m_options(options) {}

EventStream::~EventStream() { stop(); }

void EventStream::start(int64_t lastEventId) {
    if (m_thread.joinable()) return;
    m_lastId = lastEventId;
    m_stop = false;
    m_thread = std::thread([this] { run(); });
}

void EventStream::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_cv.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

void EventStream::run() {
    HttpClient http(m_baseUrl, HttpOptions{std::chrono::milliseconds(2000), {}});
    Backoff backoff(m_options.backoffInitial, m_options.backoffMax);
    SseParser parser([this](const SseEvent& ev) {
        if (!ev.id) return;  // every Talon event carries an id; anything else is not ours
        auto decoded = wire::parseEvent(*ev.id, ev.type, ev.data);
        if (!decoded) return;
        m_lastId = *ev.id;
        if (m_handlers.onEvent) m_handlers.onEvent(decoded.value());
    });

    while (!m_stop) {
        parser.reset();
        HttpHeaders headers;
        if (m_lastId > 0) headers.emplace_back("Last-Event-ID", std::to_string(m_lastId.load()));
        bool opened = false;
        HttpClient::StreamHandlers h;
        h.onStart = [&](int status) {
            if (status != 200) return false;
            opened = true;
            backoff.reset();
            if (m_handlers.onConnection) m_handlers.onConnection(true);
            return true;
        };
        h.onData = [&](std::string_view chunk) {
            parser.feed(chunk);
            return !m_stop.load();
        };
        h.keepGoing = [&] { return !m_stop.load(); };
        (void)http.stream("/api/v1/events", headers, h, m_options.idleTimeout);
        if (opened && m_handlers.onConnection) m_handlers.onConnection(false);
        if (m_stop) break;
        std::unique_lock lock(m_mutex);
        m_cv.wait_for(lock, backoff.next(), [this] { return m_stop.load(); });
    }
}

}  // namespace talon
