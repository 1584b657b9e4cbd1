// KioskApp: plugs the kiosk model, its backend and printer, and the views into the app shell.
#pragma once

#include <memory>

#include "talon/common/i18n.h"
#include "talon/kiosk/async_backend.h"
#include "talon/kiosk/kiosk_config.h"
#include "talon/kiosk/kiosk_model.h"
#include "talon/ui/app_shell.h"

namespace talon::kiosk {

class KioskApp final : public ui::App {
public:
    /// `printer` is the real one (ReceiptPrinter) in the program; `outbox` (may be null) keeps
    /// readings the server could not take and must outlive the app.
    KioskApp(const KioskConfig& config, Catalog catalog, FaqCatalog faq, RunQueue& queue,
             std::unique_ptr<TicketPrinter> printer, Outbox* outbox = nullptr);
    void attach(ui::AppShell& shell, int width, int height);
    void start() { m_model.start(); }
    /// A file written once the first interactive frame (services on screen) is drawn: the
    /// cold-start benchmark waits for it.
    void setReadyFile(std::string path) { m_readyFile = std::move(path); }

    void drawFrame(int width, int height) override;
    std::optional<Instant> nextWake() const override { return m_model.nextWake(); }
    void tick(Instant) override { m_model.tick(); }
    void onInput(Instant) override { m_model.onInput(); }
    bool busy() const override { return m_backend.busy() || m_printer->busy(); }

    const KioskModel& model() const { return m_model; }
    const Catalog& catalog() const { return m_catalog; }

private:
    SystemClock m_clock;
    KioskConfig m_config;
    Catalog m_catalog;
    AsyncBackend m_backend;
    std::unique_ptr<TicketPrinter> m_printer;
    KioskModel m_model;
    ui::AppShell* m_shell = nullptr;
    float m_pxPerMm = 2.7f;
    std::string m_readyFile;
};

}  // namespace talon::kiosk
