// DisplayApp wiring: stream thread → RunQueue → model; a snapshot on every (re)connect; new
// calls from the model to the announcer; announcement images fetched off the UI thread.
#include "display_app.h"

#include <spdlog/spdlog.h>

#include "display_views.h"

namespace talon::display {

DisplayApp::DisplayApp(DisplayConfig config, Catalog catalog, RunQueue& queue)
    : m_config(std::move(config)),
      m_catalog(std::move(catalog)),
      m_queue(queue),
      m_model(m_clock, m_config.board),
      m_api(std::make_unique<ApiClient>(m_config.server, m_config.language)),
      m_http(std::make_unique<HttpClient>(m_config.server)) {
    EventStream::Handlers handlers;
    handlers.onEvent = [this](const QueueEvent& e) { m_queue.post([this, e] { m_model.onEvent(e); }); };
    handlers.onConnection = [this](bool connected) {
        m_queue.post([this, connected] { m_model.onConnection(connected); });
        // Whatever happened while we were away, the snapshot brings the board up to date;
        // events replayed by Last-Event-ID and the snapshot overlap and dedupe by id.
        if (connected) fetchSnapshot();
    };
    m_stream = std::make_unique<EventStream>(m_config.server, std::move(handlers));
}

DisplayApp::~DisplayApp() {
    m_stream->stop();
    m_worker.dropPending();  // snapshots and images nobody will see; the running one finishes
}

void DisplayApp::detach() {
    m_announcer.reset();
    m_images.clear();  // the shell frees the textures themselves
    m_shell = nullptr;
}

void DisplayApp::attach(ui::AppShell& shell) {
    m_shell = &shell;
    enableSound();
}

void DisplayApp::enableSound() {
    if (m_announcer) return;
    if (m_config.sound && !m_config.speech.empty()) {
        m_announcer = std::make_unique<audio::Announcer>();  // logs once itself when it is silent
    } else {
        spdlog::info("sound is off in the configuration: calls are shown, not spoken");
    }
}

void DisplayApp::start() {
    m_started = m_clock.now();
    m_stream->start(0);
}

void DisplayApp::fetchSnapshot() {
    m_worker.submit([this] {
        auto board = m_api->board();
        if (board) {
            m_queue.post([this, b = std::move(board).value()] {
                m_snapshotRetry.reset();
                m_model.onSnapshot(b);
            });
        } else {
            // Until a snapshot lands the model holds events back: ask again soon.
            spdlog::warn("board snapshot: {}", board.error().message);
            m_queue.post([this] { m_snapshotRetry = m_clock.now() + std::chrono::seconds(2); });
        }
    });
}

void DisplayApp::fetchImages() {
    std::set<std::string> used;
    for (const auto& a : m_model.announcements()) {
        if (!a.image.empty()) used.insert(a.image);
    }
    // Images of announcements that are gone: free them.
    for (auto it = m_images.begin(); it != m_images.end();) {
        if (used.count(it->first)) {
            ++it;
            continue;
        }
        if (m_shell) m_shell->destroyTexture(it->second);
        m_imagesAsked.erase(it->first);
        it = m_images.erase(it);
    }
    const Instant now = m_clock.now();
    for (const auto& name : used) {
        if (m_imagesAsked.count(name)) continue;
        if (auto r = m_imageRetry.find(name); r != m_imageRetry.end() && now < r->second) continue;
        m_imagesAsked.insert(name);
        m_imageRetry.erase(name);
        m_worker.submit([this, name] {
            auto res = m_http->get("/announcements/" + name);
            if (!res || res.value().status != 200) {
                spdlog::warn("announcement image {}: {}", name,
                             res ? "HTTP " + std::to_string(res.value().status) : res.error().message);
                // Asked again later, not at once: a missing file or a down server must not
                // turn every board into a busy loop of requests.
                const auto wait = res && res.value().status == 404 ? std::chrono::minutes(5) : std::chrono::minutes(1);
                m_queue.post([this, name, wait] {
                    m_imagesAsked.erase(name);
                    m_imageRetry[name] = m_clock.now() + wait;
                });
                return;
            }
            std::vector<unsigned char> bytes(res.value().body.begin(), res.value().body.end());
            m_queue.post([this, name, bytes = std::move(bytes)] {
                if (!m_shell) return;
                m_imageRetry.erase(name);
                auto tex = m_shell->createTexture(bytes);
                if (tex) {
                    m_images[name] = tex.value();
                } else {
                    spdlog::warn("announcement image {}: {}", name, tex.error().message);
                }
            });
        });
    }
}

void DisplayApp::tick(Instant) {
    m_model.tick();
    if (m_snapshotRetry && m_clock.now() >= *m_snapshotRetry) {
        m_snapshotRetry.reset();
        if (m_model.connection() == Connection::Live) fetchSnapshot();
    }
    for (const auto& call : m_model.takeAnnouncements()) {
        if (!m_announcer) continue;
        m_announcer->announce({call.ticketId, call.number, call.window, m_model.windowName(call.window),
                               m_config.speech, call.recall});
    }
    fetchImages();
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
    if (auto next = m_model.nextWake()) wake = std::min(wake, *next);
    if (m_snapshotRetry) wake = std::min(wake, std::max(*m_snapshotRetry, m_clock.now()));
    for (const auto& [name, at] : m_imageRetry) {
        if (at > m_clock.now()) wake = std::min(wake, at);
    }
    return wake;
}

void DisplayApp::drawFrame(int width, int height) {
    BoardView view{m_model,           m_catalog,         m_shell->fonts(),          m_config.theme, m_images,
                   m_config.language, m_clock.wallNow(), static_cast<float>(width), static_cast<float>(height)};
    drawBoard(view);
}

}  // namespace talon::display
