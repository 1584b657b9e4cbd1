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
    std::string tr(std::string_view key, const I18nArgs& args = {}) const {
        return catalog.tr(model.language(), key, args);
    }
};

void drawKiosk(ViewContext& ctx);  // picks the screen
void drawHome(ViewContext& ctx);
void drawIssuing(ViewContext& ctx);
void drawTicket(ViewContext& ctx);
void drawIssueFailed(ViewContext& ctx);
void drawUnreachable(ViewContext& ctx);
void drawLoading(ViewContext& ctx);

}  // namespace talon::kiosk
