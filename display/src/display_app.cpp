// DisplayApp wiring: stream thread → RunQueue → model; a snapshot on every (re)connect.
#include "display_app.h"

#include "display_views.h"

namespace talon::display {

DisplayApp::DisplayApp(const std::string& serverUrl, Catalog catalog, std::string language, RunQueue& queue)
    : m_catalog(std::move(catalog)),
      m_language(std::move(language)),
      m_queue(queue),
      m_model(m_clock),
      m_api(std::make_unique<ApiClient>(serverUrl, m_language)) {
    EventStream::Handlers handlers;
    handlers.onEvent = [this](const QueueEvent& e) { m_queue.post([this, e] { m_model.onEvent(e); }); };
    handlers.onConnection = [this](bool connected) {
        m_queue.post([this, connected] { m_model.onConnection(connected); });
        // Whatever happened while we were away, the snapshot brings the board up to date;
        // events replayed by Last-Event-ID and the snapshot overlap and dedupe by id.
        if (connected) fetchSnapshot();
    };
    m_stream = std::make_unique<EventStream>(serverUrl, std::move(handlers));
}

DisplayApp::~DisplayApp() { m_stream->stop(); }

void DisplayApp::start() {
    m_started = m_clock.now();
    m_stream->start(0);
}

void DisplayApp::fetchSnapshot() {
    m_worker.submit([this] {
        auto board = m_api->board();
        if (board) m_queue.post([this, b = std::move(board).value()] { m_model.onSnapshot(b); });
    });
}

bool DisplayApp::busy() const {
    // Headless rendering waits for the first snapshot, for at most a few seconds.
    const bool early = m_clock.now() - m_started < std::chrono::seconds(3);
    return !m_worker.idle() || (early && (!m_model.hasSnapshot() || m_model.connection() == Connection::Connecting));
}

std::optional<Instant> DisplayApp::nextWake() const {
    // The clock shows minutes: wake at the next minute boundary of wall time.
    const auto wall = std::chrono::system_clock::now();
    const auto sinceMinute = wall.time_since_epoch() % std::chrono::minutes(1);
    Instant wake = m_clock.now() + std::chrono::duration_cast<Instant::duration>(std::chrono::minutes(1) - sinceMinute);
    if (auto flash = m_model.nextWake()) wake = std::min(wake, *flash);
    return wake;
}

void DisplayApp::drawFrame(int width, int height) {
    BoardView view{m_model, m_catalog, *m_fonts, m_language, m_clock.wallNow(),
                   static_cast<float>(width), static_cast<float>(height)};
    drawBoard(view);
}

}  // namespace talon::display
