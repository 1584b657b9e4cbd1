// KioskApp wiring.
#include "kiosk_app.h"

#include "kiosk_views.h"

namespace talon::kiosk {

KioskApp::KioskApp(const std::string& serverUrl, Catalog catalog, RunQueue& queue, KioskSettings settings)
    : m_catalog(std::move(catalog)), m_backend(serverUrl, queue), m_model(m_backend, m_clock, std::move(settings)) {}

void KioskApp::drawFrame(int width, int height) {
    ViewContext ctx{m_model, m_catalog, *m_fonts, static_cast<float>(width), static_cast<float>(height)};
    drawKiosk(ctx);
}

}  // namespace talon::kiosk
