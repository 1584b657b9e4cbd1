// KioskApp: plugs the kiosk model and views into the app shell.
#pragma once

#include <memory>

#include "talon/common/i18n.h"
#include "talon/kiosk/async_backend.h"
#include "talon/kiosk/kiosk_model.h"
#include "talon/ui/app_shell.h"

namespace talon::kiosk {

class KioskApp final : public ui::App {
public:
    KioskApp(const std::string& serverUrl, Catalog catalog, RunQueue& queue, KioskSettings settings);
    void attach(const ui::AppShell& shell) { m_fonts = &shell.fonts(); }
    void start() { m_model.start(); }

    void drawFrame(int width, int height) override;
    std::optional<Instant> nextWake() const override { return m_model.nextWake(); }
    void tick(Instant) override { m_model.tick(); }
    void onInput(Instant) override { m_model.onInput(); }
    bool busy() const override { return m_backend.busy(); }

private:
    SystemClock m_clock;
    Catalog m_catalog;
    AsyncBackend m_backend;
    KioskModel m_model;
    const ui::Fonts* m_fonts = nullptr;
};

}  // namespace talon::kiosk
