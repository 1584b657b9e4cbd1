// The board's configuration: a TOML file (assets/config/talon-display.example.toml documents
// every key), then command-line overrides. Bad values are errors naming the key.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "talon/common/result.h"
#include "talon/display/board_model.h"

namespace talon::display {

struct Rgba {
    uint8_t r = 0, g = 0, b = 0, a = 255;
    bool operator==(const Rgba&) const = default;
};

/// The board's colours. "dark" suits most waiting rooms; "light" bright halls.
struct Theme {
    std::string name = "dark";
    Rgba background{10, 28, 58};
    Rgba header{6, 18, 40};
    Rgba panel{14, 36, 72};
    Rgba row{20, 46, 88};
    Rgba text{255, 255, 255};
    Rgba muted{160, 180, 210};
    Rgba accent{0, 122, 204};     // a fresh call, service badges
    Rgba highlight{255, 196, 0};  // the flash, wait estimates
    Rgba highlightText{20, 24, 32};
    Rgba estimate{255, 196, 0};   // estimated waits in the queue panel
    Rgba alert{200, 40, 40};
};
Theme darkTheme();
Theme lightTheme();

struct DisplayConfig {
    std::string server = "http://127.0.0.1:8080";
    std::string language = "ru";             // captions
    std::vector<std::string> speech{"ru"};   // spoken in each, in order; empty: silent
    bool sound = true;
    BoardSettings board;                     // flash time, filters, calm and slide timing
    Theme theme = darkTheme();
};

/// Parses TOML text; errors read like `board.toml: display.windows must list window numbers`.
Result<DisplayConfig> parseDisplayConfig(std::string_view text, std::string_view sourceName);
Result<DisplayConfig> loadDisplayConfigFile(const std::string& path);
/// "#0b1a33" or "#0b1a33ff" → colour; nullopt when malformed.
std::optional<Rgba> parseColour(std::string_view text);

}  // namespace talon::display
