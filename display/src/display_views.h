// Display board views: free functions that draw the BoardModel; no state, no I/O.
#pragma once

#include <map>

#include "talon/common/i18n.h"
#include "talon/display/board_model.h"
#include "talon/display/display_config.h"
#include "talon/ui/app_shell.h"

namespace talon::display {

struct BoardView {
    const BoardModel& model;
    const Catalog& catalog;
    const ui::Fonts& fonts;
    const Theme& theme;
    const std::map<std::string, ui::AppShell::Texture>& images;  // announcement images by name
    std::string language;
    WallTime now;
    float width = 0;
    float height = 0;
    std::string tr(std::string_view key, const I18nArgs& args = {}) const {
        return catalog.tr(language, key, args);
    }
};

void drawBoard(const BoardView& view);

}  // namespace talon::display
