// DisplayApp: the board model fed by the event stream and snapshots, drawn by the views.
#pragma once

#include <memory>

#include "talon/common/api_client.h"
#include "talon/common/event_stream.h"
#include "talon/common/i18n.h"
#include "talon/common/run_queue.h"
#include "talon/common/worker.h"
#include "talon/display/board_model.h"
#include "talon/ui/app_shell.h"

namespace talon::display {

class DisplayApp final : public ui::App {
public:
    DisplayApp(const std::string& serverUrl, Catalog catalog, std::string language, RunQueue& queue);
    ~DisplayApp() override;
    void attach(const ui::AppShell& shell) { m_fonts = &shell.fonts(); }
    void start();

    void drawFrame(int width, int height) override;
    std::optional<Instant> nextWake() const override;
    void tick(Instant) override { m_model.tick(); }
    void onInput(Instant) override {}
    bool busy() const override;

private:
    void fetchSnapshot();

    SystemClock m_clock;
    Catalog m_catalog;
    std::string m_language;
    RunQueue& m_queue;
    BoardModel m_model;
    Instant m_started{};
    const ui::Fonts* m_fonts = nullptr;
    std::unique_ptr<ApiClient> m_api;  // worker thread only
    Worker m_worker;
    std::unique_ptr<EventStream> m_stream;  // stopped first in the destructor
};

}  // namespace talon::display
