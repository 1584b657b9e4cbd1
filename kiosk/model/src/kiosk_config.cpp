// Kiosk TOML config. toml++ throws on syntax errors: caught here and turned into Errors.
#include "talon/kiosk/kiosk_config.h"
#include "talon/common/toml_text.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <cctype>
#include <cmath>
#include <initializer_list>
#include <optional>
#include <fstream>
#include <sstream>

namespace talon::kiosk {
namespace {

Error configError(std::string_view source, const std::string& what) {
    return makeError(ErrorKind::Config, "bad_config", std::string(source) + ": " + what);
}

template <class T>
std::optional<T> get(const toml::table& t, const char* key, bool& wrongType) {
    auto node = t[key];
    if (!node) return std::nullopt;
    // Exactly the type asked for: toml++'s value_exact<bool>() would take 1 for true.
    auto v = node.template value_exact<T>();
    if (!v) wrongType = true;
    return v;
}

bool allDigits(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return c >= '0' && c <= '9'; });
}

bool validLanguage(const std::string& l) {
    return l.size() == 2 && std::islower(static_cast<unsigned char>(l[0])) &&
           std::islower(static_cast<unsigned char>(l[1]));
}

}  // namespace

Result<KioskConfig> parseKioskConfig(std::string_view text, std::string_view source) {
    auto parsed = parseTomlText(text, source);
    if (!parsed.table) return configError(source, parsed.error);
    const toml::table& root = *parsed.table;
    KioskConfig cfg;
    for (auto& [key, node] : root) {
        if (key.str() != "kiosk" && key.str() != "printer" && key.str() != "readings" && key.str() != "appeals") {
            return configError(source, "unknown section [" + std::string(key.str()) +
                                           "]; expected [kiosk], [readings], [appeals] or [printer]");
        }
        if (!node.is_table()) return configError(source, "[" + std::string(key.str()) + "] must be a table");
    }
    if (auto* k = root["kiosk"].as_table()) {
        if (auto key = unknownTomlKey(*k, {"id", "server", "languages", "default_language", "idle_timeout_seconds",
                                       "ask_priority", "admin_pin", "screen_diagonal_inches", "outbox"})) {
            return configError(source, "unknown key kiosk." + *key + " (see talon-kiosk.example.toml)");
        }
        bool bad = false;
        if (auto id = get<std::string>(*k, "id", bad)) {
            if (!validKioskId(*id)) return configError(source, std::string("kiosk.id ") + kKioskIdRule);
            cfg.id = *id;
        }
        if (bad) return configError(source, "kiosk.id must be a string");
        if (auto server = get<std::string>(*k, "server", bad)) {
            if (!validServerUrl(*server)) return configError(source, std::string("kiosk.server ") + kServerUrlRule);
            cfg.server = *server;
        }
        if (bad) return configError(source, "kiosk.server must be a string");
        if (auto* langs = (*k)["languages"].as_array()) {
            std::vector<std::string> list;
            for (auto& item : *langs) {
                auto l = item.value<std::string>();
                if (!l || !validLanguage(*l)) {
                    return configError(source, "kiosk.languages must list two-letter codes, e.g. [\"ru\", \"en\"]");
                }
                list.push_back(*l);
            }
            if (list.empty()) return configError(source, "kiosk.languages must not be empty");
            cfg.settings.languages = list;
            cfg.settings.defaultLanguage = list.front();
        } else if (k->contains("languages")) {
            return configError(source, "kiosk.languages must be a list, e.g. [\"ru\", \"en\"]");
        }
        if (auto l = get<std::string>(*k, "default_language", bad)) {
            if (std::find(cfg.settings.languages.begin(), cfg.settings.languages.end(), *l) ==
                cfg.settings.languages.end()) {
                return configError(source, "kiosk.default_language must be one of kiosk.languages");
            }
            cfg.settings.defaultLanguage = *l;
        }
        if (bad) return configError(source, "kiosk.default_language must be a string");
        if (auto n = get<int64_t>(*k, "idle_timeout_seconds", bad)) {
            if (*n < 10 || *n > 600) return configError(source, "kiosk.idle_timeout_seconds must be from 10 to 600");
            cfg.settings.idleTimeout = std::chrono::seconds(*n);
        }
        if (bad) return configError(source, "kiosk.idle_timeout_seconds must be an integer");
        if (auto b = get<bool>(*k, "ask_priority", bad)) cfg.settings.askPriority = *b;
        if (bad) return configError(source, "kiosk.ask_priority must be true or false");
        if (auto pin = get<std::string>(*k, "admin_pin", bad)) {
            const bool ok = pin->empty() || (pin->size() >= 4 && pin->size() <= 8 && allDigits(*pin));
            if (!ok) return configError(source, "kiosk.admin_pin must be 4 to 8 digits (or \"\" to disable the exit)");
            cfg.settings.adminPin = *pin;
        }
        if (bad) return configError(source, "kiosk.admin_pin must be a string of digits, e.g. \"4821\"");
        if (auto d = (*k)["screen_diagonal_inches"]; d) {
            auto v = d.value<double>();
            if (!v || !(*v >= 7 && *v <= 100)) {
                return configError(source, "kiosk.screen_diagonal_inches must be a number from 7 to 100");
            }
            cfg.screenDiagonalInches = *v;
        }
        if (auto outbox = get<std::string>(*k, "outbox", bad)) {
            if (outbox->find('\0') != std::string::npos) return configError(source, "kiosk.outbox must be a file path");
            cfg.outboxFile = outbox->empty() ? defaultOutboxFile() : std::filesystem::path(*outbox);
        }
        if (bad) return configError(source, "kiosk.outbox must be a file path such as \"/var/lib/talon/kiosk-outbox.sqlite\"");
    }
    if (auto* r = root["readings"].as_table()) {
        if (auto key = unknownTomlKey(*r, {"enabled", "meter_service"})) {
            return configError(source, "unknown key readings." + *key + " (see talon-kiosk.example.toml)");
        }
        bool bad = false;
        if (auto b = get<bool>(*r, "enabled", bad)) cfg.settings.readings = *b;
        if (bad) return configError(source, "readings.enabled must be true or false");
        if (auto letter = get<std::string>(*r, "meter_service", bad)) {
            const bool ok = !letter->empty() && letter->size() <= 8 &&
                            std::all_of(letter->begin(), letter->end(), [](unsigned char c) { return std::isalnum(c); });
            if (!ok) return configError(source, "readings.meter_service must be a service letter such as \"B\"");
            cfg.settings.meterService = *letter;
        }
        if (bad) return configError(source, "readings.meter_service must be a service letter such as \"B\"");
    }
    if (auto* a = root["appeals"].as_table()) {
        if (auto key = unknownTomlKey(*a, {"enabled", "categories"})) {
            return configError(source, "unknown key appeals." + *key + " (see talon-kiosk.example.toml)");
        }
        bool bad = false;
        if (auto b = get<bool>(*a, "enabled", bad)) cfg.settings.appeals = *b;
        if (bad) return configError(source, "appeals.enabled must be true or false");
        if (const toml::node* node = a->get("categories")) {
            const char* what =
                "appeals.categories must be a list of category ids such as [\"billing\", \"meters\"], as the "
                "server's [appeals] categories name them";
            const toml::array* list = node->as_array();
            if (!list || list->empty()) return configError(source, what);
            if (list->size() > 12) {
                return configError(source, "appeals.categories lists more than 12: the screen shows at most 12");
            }
            std::vector<std::string> ids;
            for (const toml::node& item : *list) {
                const auto* id = item.as_string();
                if (!id) return configError(source, what);
                const std::string& v = id->get();
                const bool ok = !v.empty() && v.size() <= 40 && std::all_of(v.begin(), v.end(), [](unsigned char c) {
                    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                });
                if (!ok) return configError(source, what);
                if (std::find(ids.begin(), ids.end(), v) != ids.end()) {
                    return configError(source, "appeals.categories lists \"" + v + "\" twice");
                }
                ids.push_back(v);
            }
            cfg.settings.appealCategories = std::move(ids);
        }
    }
    if (auto* p = root["printer"].as_table()) {
        if (auto key = unknownTomlKey(*p, {"target", "code_page", "charset", "paper_mm"})) {
            return configError(source, "unknown key printer." + *key + " (see talon-kiosk.example.toml)");
        }
        bool bad = false;
        if (auto target = get<std::string>(*p, "target", bad)) cfg.printer.target = *target;
        if (bad) return configError(source, "printer.target must be a string such as \"tcp://192.168.1.50:9100\"");
        if (auto n = get<int64_t>(*p, "code_page", bad)) {
            if (*n < 0 || *n > 255) return configError(source, "printer.code_page must be from 0 to 255");
            cfg.printer.codePage = static_cast<int>(*n);
        }
        if (bad) return configError(source, "printer.code_page must be an integer");
        if (auto cs = get<std::string>(*p, "charset", bad)) {
            const bool ok = !cs->empty() && cs->size() <= 32 && std::all_of(cs->begin(), cs->end(), [](unsigned char c) {
                return std::isalnum(c) || c == '-' || c == '_';
            });
            if (!ok) return configError(source, "printer.charset must be an iconv name such as \"CP866\"");
            cfg.printer.charset = *cs;
        }
        if (bad) return configError(source, "printer.charset must be a string such as \"CP866\"");
        if (auto n = get<int64_t>(*p, "paper_mm", bad)) {
            if (*n != 80 && *n != 58) return configError(source, "printer.paper_mm must be 80 or 58");
            cfg.printer.paperMm = static_cast<int>(*n);
        }
        if (bad) return configError(source, "printer.paper_mm must be 80 or 58");
    }
    cfg.settings.serverUrl = cfg.server;
    return cfg;
}

std::filesystem::path defaultOutboxFile() {
    constexpr const char* kName = "kiosk-outbox.sqlite";
    auto env = [](const char* name) -> std::string {
        const char* v = std::getenv(name);
        return v ? std::string(v) : std::string{};
    };
    // systemd's StateDirectory= may list several, separated by ':'; the first is the kiosk's.
    if (std::string dir = env("STATE_DIRECTORY"); !dir.empty()) {
        return std::filesystem::path(dir.substr(0, dir.find(':'))) / kName;
    }
    if (std::string dir = env("XDG_STATE_HOME"); !dir.empty() && dir.front() == '/') {
        return std::filesystem::path(dir) / "talon" / kName;
    }
    if (std::string home = env("HOME"); !home.empty() && home.front() == '/') {
        return std::filesystem::path(home) / ".local" / "state" / "talon" / kName;
    }
    return std::filesystem::path("talon-") += kName;
}

Result<KioskConfig> loadKioskConfigFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return makeError(ErrorKind::Config, "no_config", "cannot read the config file " + path);
    std::stringstream text;
    text << in.rdbuf();
    return parseKioskConfig(text.str(), path);
}

bool validKioskId(std::string_view id) {
    return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '-' || c == '_' || c == '.';
    });
}

bool validServerUrl(std::string_view url) {
    const bool scheme = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
    return scheme && url.size() <= 200 && url.find_first_of(" \t\r\n") == std::string_view::npos &&
           url.size() > url.find("://") + 3;
}

float pixelsPerMm(int width, int height, double diagonalInches) {
    const double diagonalPx = std::hypot(static_cast<double>(width), static_cast<double>(height));
    return static_cast<float>(diagonalPx / (diagonalInches * 25.4));
}

}  // namespace talon::kiosk
