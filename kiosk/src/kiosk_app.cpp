// KioskApp wiring.
#include "kiosk_app.h"

#include <fstream>

#include "kiosk_views.h"

namespace talon::kiosk {

KioskApp::KioskApp(const KioskConfig& config, Catalog catalog, FaqCatalog faq, RunQueue& queue,
                   std::unique_ptr<TicketPrinter> printer, Outbox* outbox)
    : m_config(config),
      m_catalog(std::move(catalog)),
      m_backend(config.server, config.id, queue, outbox),
      m_printer(std::move(printer)),
      m_model(m_backend, *m_printer, m_clock, config.settings, std::move(faq)) {}

void KioskApp::attach(ui::AppShell& shell, int width, int height) {
    m_shell = &shell;
    m_pxPerMm = pixelsPerMm(width, height, m_config.screenDiagonalInches);
}

void KioskApp::drawFrame(int width, int height) {
    ViewContext ctx{m_model, m_catalog, m_shell->fonts(), static_cast<float>(width), static_cast<float>(height),
                    m_pxPerMm};
    drawKiosk(ctx);
    if (m_model.exitRequested()) m_shell->quit();
    if (!m_readyFile.empty() && (m_model.screen() == KioskScreen::Home || m_model.screen() == KioskScreen::Closed)) {
        std::ofstream(m_readyFile) << "ready\n";
        m_readyFile.clear();
    }
}

}  // namespace talon::kiosk
