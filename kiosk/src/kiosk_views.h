// Kiosk views: one free function per screen. They only lay out widgets and map each to one
// model intent; no state of their own, no I/O.
#pragma once

#include "talon/common/i18n.h"
#include "talon/kiosk/kiosk_model.h"
#include "talon/ui/app_shell.h"

namespace talon::kiosk {

struct ViewContext {
    KioskModel& model;
    const Catalog& catalog;
    const ui::Fonts& fonts;
    float width = 0;
    float height = 0;
    float pxPerMm = 2.7f;  // from the configured screen size: touch targets are at least 15 mm
    std::string tr(std::string_view key, const I18nArgs& args = {}) const {
        return catalog.tr(model.language(), key, args);
    }
};

/// The smallest touch target, in pixels, on this screen.
float minTargetPx(const ViewContext& ctx);

void drawKiosk(ViewContext& ctx);  // picks the screen
void drawLoading(ViewContext& ctx);
void drawHome(ViewContext& ctx);
void drawPriority(ViewContext& ctx);
void drawIssuing(ViewContext& ctx);
void drawTicket(ViewContext& ctx);
void drawIssueFailed(ViewContext& ctx);
void drawUnreachable(ViewContext& ctx);
void drawClosed(ViewContext& ctx);
void drawInfo(ViewContext& ctx);
void drawAdminPin(ViewContext& ctx);
void drawAdminMenu(ViewContext& ctx);
void drawReadings(ViewContext& ctx);  // readings_views.cpp: the step ReadingsFlow is on
void drawAppeal(ViewContext& ctx);    // appeal_views.cpp: the step AppealFlow is on

}  // namespace talon::kiosk
