// DisplayApp: the board model fed by the event stream and snapshots, drawn by the views, and
// spoken by the announcer.
#pragma once

#include <map>
#include <memory>
#include <set>

#include "talon/audio/announcer.h"
#include "talon/common/api_client.h"
#include "talon/common/event_stream.h"
#include "talon/common/http_client.h"
#include "talon/common/i18n.h"
#include "talon/common/run_queue.h"
#include "talon/common/worker.h"
#include "talon/display/board_model.h"
#include "talon/display/display_config.h"
#include "talon/ui/app_shell.h"

namespace talon::display {

class DisplayApp final : public ui::App {
public:
    DisplayApp(DisplayConfig config, Catalog catalog, RunQueue& queue);
    ~DisplayApp() override;
    /// Call on the main thread once the shell exists: the announcer opens the audio device.
    void attach(ui::AppShell& shell);
    /// Opens the audio device and starts the announcer when the configuration wants sound
    /// (attach() does this; tests without a window call it directly).
    void enableSound();
    /// Before the shell goes: the announcer stops (it uses SDL audio) and textures are let go.
    void detach();
    void start();

    void drawFrame(int width, int height) override;
    std::optional<Instant> nextWake() const override;
    void tick(Instant) override;
    void onInput(Instant) override {}
    bool busy() const override;

    const BoardModel& model() const { return m_model; }
    /// The announcer, when sound is on (tests read its transcript).
    const audio::Announcer* announcer() const { return m_announcer.get(); }

private:
    void fetchSnapshot();
    /// Fetches announcement images the board has not got yet.
    void fetchImages();

    SystemClock m_clock;
    DisplayConfig m_config;
    Catalog m_catalog;
    RunQueue& m_queue;
    BoardModel m_model;
    Instant m_started{};
    ui::AppShell* m_shell = nullptr;
    std::map<std::string, ui::AppShell::Texture> m_images;
    std::set<std::string> m_imagesAsked;
    std::map<std::string, Instant> m_imageRetry;  // failed downloads: not before this
    std::optional<Instant> m_snapshotRetry;       // a failed snapshot is asked for again then
    std::unique_ptr<audio::Announcer> m_announcer;
    std::unique_ptr<ApiClient> m_api;    // worker thread only
    std::unique_ptr<HttpClient> m_http;  // worker thread only
    Worker m_worker;
    std::unique_ptr<EventStream> m_stream;  // stopped first in the destructor
};

}  // namespace talon::display
