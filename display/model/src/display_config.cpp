// Board TOML config. toml++ throws on syntax errors: caught here and turned into Errors.
#include "talon/display/display_config.h"
#include "talon/common/toml_text.h"

#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <optional>
#include <sstream>

namespace talon::display {
namespace {

Error configError(std::string_view source, const std::string& what) {
    return makeError(ErrorKind::Config, "bad_config", std::string(source) + ": " + what);
}

bool validLanguage(const std::string& l) {
    return l.size() == 2 && l[0] >= 'a' && l[0] <= 'z' && l[1] >= 'a' && l[1] <= 'z';
}

}  // namespace

Theme darkTheme() { return Theme{}; }

Theme lightTheme() {
    Theme t;
    t.name = "light";
    t.background = {240, 243, 248};
    t.header = {16, 62, 122};
    t.panel = {255, 255, 255};
    t.row = {226, 233, 244};
    t.text = {16, 24, 40};
    t.muted = {84, 96, 116};
    t.accent = {0, 110, 190};
    t.highlight = {255, 186, 0};
    t.highlightText = {16, 24, 40};
    t.estimate = {176, 84, 0};
    t.alert = {190, 30, 30};
    return t;
}

std::optional<Rgba> parseColour(std::string_view text) {
    if ((text.size() != 7 && text.size() != 9) || text[0] != '#') return std::nullopt;
    auto hex = [&](size_t i) -> int {
        int v = 0;
        for (size_t k = i; k < i + 2; ++k) {
            const char c = text[k];
            v <<= 4;
            if (c >= '0' && c <= '9') v |= c - '0';
            else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
            else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
            else return -1;
        }
        return v;
    };
    Rgba out;
    const int r = hex(1), g = hex(3), b = hex(5), a = text.size() == 9 ? hex(7) : 255;
    if (r < 0 || g < 0 || b < 0 || a < 0) return std::nullopt;
    out = {static_cast<uint8_t>(r), static_cast<uint8_t>(g), static_cast<uint8_t>(b), static_cast<uint8_t>(a)};
    return out;
}

Result<DisplayConfig> parseDisplayConfig(std::string_view text, std::string_view source) {
    auto parsed = parseTomlText(text, source);
    if (!parsed.table) return configError(source, parsed.error);
    const toml::table& root = *parsed.table;
    DisplayConfig cfg;
    if (auto key = unknownTomlKey(root, {"display", "theme"})) {
        return configError(source, "unknown section [" + *key + "]; expected [display] or [theme]");
    }
    if (root.contains("display") && !root["display"].is_table()) return configError(source, "[display] must be a table");
    if (root.contains("theme") && !root["theme"].is_table()) return configError(source, "[theme] must be a table");
    if (auto* d = root["display"].as_table()) {
        if (auto key = unknownTomlKey(*d, {"server", "language", "speech", "sound", "services", "windows", "flash_seconds",
                                       "calm_seconds", "slide_seconds"})) {
            return configError(source, "unknown key display." + *key + " (see talon-display.example.toml)");
        }
        if (auto v = (*d)["server"]; v) {
            auto s = v.value<std::string>();
            if (!s || (s->rfind("http://", 0) != 0 && s->rfind("https://", 0) != 0) || s->size() > 200) {
                return configError(source, "display.server must be an address like \"http://192.168.1.10:8080\"");
            }
            cfg.server = *s;
        }
        if (auto v = (*d)["language"]; v) {
            auto s = v.value<std::string>();
            if (!s || !validLanguage(*s)) return configError(source, "display.language must be a code like \"ru\"");
            cfg.language = *s;
        }
        if (auto v = (*d)["speech"]; v) {
            auto* arr = v.as_array();
            if (!arr) return configError(source, "display.speech must be a list like [\"ru\", \"en\"]");
            cfg.speech.clear();
            for (auto& item : *arr) {
                auto s = item.value<std::string>();
                if (!s || !validLanguage(*s)) return configError(source, "display.speech must list codes like \"ru\"");
                cfg.speech.push_back(*s);
            }
            if (cfg.speech.size() > 3) return configError(source, "display.speech: at most 3 languages");
        }
        if (auto v = (*d)["sound"]; v) {
            auto b = v.value_exact<bool>();
            if (!b) return configError(source, "display.sound must be true or false");
            cfg.sound = *b;
        }
        if (auto v = (*d)["services"]; v) {
            auto* arr = v.as_array();
            if (!arr) return configError(source, "display.services must be a list of service letters like [\"A\", \"B\"]");
            for (auto& item : *arr) {
                auto s = item.value<std::string>();
                const bool ok = s && !s->empty() && s->size() <= 2 &&
                                std::all_of(s->begin(), s->end(), [](char c) { return c >= 'A' && c <= 'Z'; });
                if (!ok) return configError(source, "display.services must list service letters like \"A\"");
                cfg.board.services.insert(*s);
            }
        }
        if (auto v = (*d)["windows"]; v) {
            auto* arr = v.as_array();
            if (!arr) return configError(source, "display.windows must be a list of window numbers like [1, 2, 3]");
            for (auto& item : *arr) {
                auto n = item.value<int64_t>();
                if (!n || *n < 1 || *n > 999) return configError(source, "display.windows must list window numbers 1 to 999");
                cfg.board.windows.insert(static_cast<int>(*n));
            }
        }
        struct Seconds {
            const char* key;
            int min, max;
            std::function<void(int)> set;
        };
        const Seconds seconds[] = {
            {"flash_seconds", 1, 60, [&](int n) { cfg.board.flashDuration = std::chrono::seconds(n); }},
            {"calm_seconds", 5, 3600, [&](int n) { cfg.board.calmAfter = std::chrono::seconds(n); }},
            {"slide_seconds", 3, 600, [&](int n) { cfg.board.slideSeconds = std::chrono::seconds(n); }},
        };
        for (const auto& s : seconds) {
            if (auto v = (*d)[s.key]; v) {
                auto n = v.value<int64_t>();
                if (!n || *n < s.min || *n > s.max) {
                    return configError(source, std::string("display.") + s.key + " must be a whole number from " +
                                                   std::to_string(s.min) + " to " + std::to_string(s.max));
                }
                s.set(static_cast<int>(*n));
            }
        }
    }
    if (auto* t = root["theme"].as_table()) {
        if (auto key = unknownTomlKey(*t, {"name", "background", "header", "panel", "row", "text", "muted", "accent",
                                       "highlight", "highlight_text", "estimate", "alert"})) {
            return configError(source, "unknown key theme." + *key);
        }
        if (auto v = (*t)["name"]; v) {
            auto s = v.value<std::string>();
            if (!s || (*s != "dark" && *s != "light")) return configError(source, "theme.name must be \"dark\" or \"light\"");
            cfg.theme = *s == "light" ? lightTheme() : darkTheme();
        }
        const std::pair<const char*, Rgba*> colours[] = {
            {"background", &cfg.theme.background}, {"header", &cfg.theme.header},
            {"panel", &cfg.theme.panel},           {"row", &cfg.theme.row},
            {"text", &cfg.theme.text},             {"muted", &cfg.theme.muted},
            {"accent", &cfg.theme.accent},         {"highlight", &cfg.theme.highlight},
            {"highlight_text", &cfg.theme.highlightText}, {"estimate", &cfg.theme.estimate},
            {"alert", &cfg.theme.alert},
        };
        for (const auto& [key, target] : colours) {
            if (auto v = (*t)[key]; v) {
                auto s = v.value<std::string>();
                auto c = s ? parseColour(*s) : std::nullopt;
                if (!c) return configError(source, std::string("theme.") + key + " must be a colour like \"#0b1a33\"");
                *target = *c;
            }
        }
    }
    return cfg;
}

Result<DisplayConfig> loadDisplayConfigFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return makeError(ErrorKind::Config, "no_config", "cannot read the config file " + path);
    std::stringstream text;
    text << in.rdbuf();
    return parseDisplayConfig(text.str(), path);
}

}  // namespace talon::display
