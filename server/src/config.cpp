// TOML config parsing (toml++) with validation; exceptions from toml++ stop here.
#include "talon/server/config.h"
#include "talon/common/time.h"
#include "talon/common/text_entry.h"
#include "talon/common/toml_text.h"
#include "talon/server/working_days.h"

#include <charconv>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

namespace talon::server {
namespace {

Error configError(std::string_view source, const std::string& what) {
    return makeError(ErrorKind::Config, "bad_config", std::string(source) + ": " + what);
}

bool validLetter(const std::string& s) {
    if (s.empty() || s.size() > 2) return false;
    for (char c : s) {
        if (c < 'A' || c > 'Z') return false;
    }
    return true;
}

/// An appeal category id: 1 to 32 of a-z, 0-9 and '_', starting with a letter.
bool validCategoryId(const std::string& s) {
    if (s.empty() || s.size() > 32 || s[0] < 'a' || s[0] > 'z') return false;
    for (char c : s) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    }
    return true;
}

/// A registration number prefix: 1 to 8 Latin or Cyrillic letters ("Ж", "ЖБ", "AP").
bool validNumberPrefix(const std::string& s) {
    const auto cps = decodeUtf8(s);
    if (!cps || cps->empty() || cps->size() > 8) return false;
    for (char32_t c : *cps) {
        const bool latin = (c >= U'A' && c <= U'Z') || (c >= U'a' && c <= U'z');
        const bool cyrillic = c >= 0x0400 && c <= 0x04FF;
        if (!latin && !cyrillic) return false;
    }
    return true;
}

Status parseAppeals(const toml::table& appeals, AppealsConfig& out, std::string_view source) {
    if (auto key = unknownTomlKey(appeals, {"categories", "number_prefix", "retention_days",
                                            "due_soon_working_days", "weekends", "holidays",
                                            "working_days"})) {
        return configError(source, "appeals." + *key + " is not a setting (see talon-server.example.toml)");
    }
    if (auto v = appeals["number_prefix"]; v) {
        auto s = v.value<std::string>();
        if (!s || !validNumberPrefix(*s)) {
            return configError(source, "appeals.number_prefix must be 1 to 8 Latin or Cyrillic letters, e.g. \"Ж\"");
        }
        out.numberPrefix = *s;
    }
    struct Bound {
        const char* name;
        int* slot;
        int64_t min, max;
    };
    for (const Bound& k : {Bound{"retention_days", &out.retentionDays, 30, 36500},
                           Bound{"due_soon_working_days", &out.dueSoonWorkingDays, 1, 60}}) {
        if (auto v = appeals[k.name]; v) {
            auto n = v.value<int64_t>();
            if (!v.is_integer() || !n || *n < k.min || *n > k.max) {
                return configError(source, std::string("appeals.") + k.name + " must be an integer from " +
                                               std::to_string(k.min) + " to " + std::to_string(k.max));
            }
            *k.slot = static_cast<int>(*n);
        }
    }
    if (auto v = appeals["weekends"]; v) {
        static const char* kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
        auto* arr = v.as_array();
        if (!arr) return configError(source, "appeals.weekends must list days, e.g. [\"sat\", \"sun\"]");
        out.weekends = 0;
        for (auto& item : *arr) {
            auto d = item.value<std::string>();
            int bit = -1;
            for (int k = 0; d && k < 7; ++k) {
                if (*d == kDays[k]) bit = k;
            }
            if (bit < 0) return configError(source, "appeals.weekends must contain mon, tue, wed, thu, fri, sat or sun");
            out.weekends |= static_cast<uint8_t>(1u << bit);
        }
        if (out.weekends == 0x7f) return configError(source, "appeals.weekends must leave at least one working weekday");
    }
    for (auto [name, slot] : {std::pair{"holidays", &out.extraHolidays}, std::pair{"working_days", &out.workingDays}}) {
        if (auto v = appeals[name]; v) {
            auto* arr = v.as_array();
            const std::string what = std::string("appeals.") + name;
            if (!arr) return configError(source, what + " must be a list of dates [\"YYYY-MM-DD\", ...]");
            slot->clear();
            for (auto& item : *arr) {
                auto s = item.value<std::string>();
                if (!s || !validIsoDate(*s)) return configError(source, what + " must contain dates \"YYYY-MM-DD\"");
                slot->push_back(*s);
            }
        }
    }
    if (auto v = appeals["categories"]; v) {
        auto* arr = v.as_array();
        if (!arr || arr->empty()) {
            return configError(source, "appeals.categories must be a non-empty list of tables ([[appeals.categories]])");
        }
        out.categories.clear();
        std::set<std::string> ids;
        for (size_t i = 0; i < arr->size(); ++i) {
            const std::string where = "appeals.categories[" + std::to_string(i + 1) + "]";
            auto* t = (*arr)[i].as_table();
            if (!t) return configError(source, where + " must be a table ([[appeals.categories]])");
            if (auto key = unknownTomlKey(*t, {"id", "names", "deadline_working_days", "urgent"})) {
                return configError(source, where + "." + *key + " is not a setting (see talon-server.example.toml)");
            }
            AppealCategoryConfig c;
            auto id = (*t)["id"].value<std::string>();
            if (!id || !validCategoryId(*id)) {
                return configError(source, where + ".id must be 1 to 32 small Latin letters, digits or '_', "
                                                   "starting with a letter, e.g. \"billing\"");
            }
            if (!ids.insert(*id).second) return configError(source, where + ".id \"" + *id + "\" is used twice");
            c.id = *id;
            if (auto u = (*t)["urgent"]; u) {
                auto b = u.value_exact<bool>();
                if (!b) return configError(source, where + ".urgent must be true or false");
                c.urgent = *b;
            }
            c.deadlineWorkingDays = c.urgent ? 0 : 10;
            if (auto d = (*t)["deadline_working_days"]; d) {
                auto n = d.value<int64_t>();
                if (!d.is_integer() || !n || *n < 0 || *n > 60) {
                    return configError(source, where + ".deadline_working_days must be an integer from 0 to 60");
                }
                c.deadlineWorkingDays = static_cast<int>(*n);
            }
            if (auto nv = (*t)["names"]; nv) {
                auto* names = nv.as_table();
                if (!names || names->empty()) {
                    return configError(source, where + ".names must be a table like { ru = \"...\", en = \"...\" }");
                }
                for (auto& [lang, value] : *names) {
                    auto name = value.value<std::string>();
                    if (!name || name->empty() || name->size() > 200) {
                        return configError(source, where + ".names." + std::string(lang.str()) +
                                                       " must be a non-empty string of at most 200 bytes");
                    }
                    c.names[std::string(lang.str())] = *name;
                }
            }
            out.categories.push_back(std::move(c));
        }
    }
    return okStatus();
}

}  // namespace

std::vector<AppealCategoryConfig> AppealsConfig::defaultAppealCategories() {
    return {
        {"service_staff", {}, 10, false},        {"billing", {}, 10, false},
        {"supply_quality", {}, 10, false},       {"meters", {}, 10, false},
        {"connection_contracts", {}, 10, false}, {"safety_hazard", {}, 0, true},
        {"other", {}, 10, false},
    };
}

const AppealCategoryConfig* AppealsConfig::category(std::string_view id) const {
    for (const auto& c : categories) {
        if (c.id == id) return &c;
    }
    return nullptr;
}

std::optional<int> parseClock(std::string_view text) {
    if (text.size() != 5 || text[2] != ':') return std::nullopt;
    auto digit = [&](size_t i) { return text[i] >= '0' && text[i] <= '9'; };
    if (!digit(0) || !digit(1) || !digit(3) || !digit(4)) return std::nullopt;
    const int h = (text[0] - '0') * 10 + (text[1] - '0');
    const int m = (text[3] - '0') * 10 + (text[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
    return h * 60 + m;
}

Status applyListen(ServerConfig& config, std::string_view listen) {
    const auto colon = listen.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
        return makeError(ErrorKind::Config, "bad_listen",
                         "listen address must be HOST:PORT, e.g. 0.0.0.0:8080, not \"" +
                             std::string(listen) + "\"");
    }
    std::string_view portText = listen.substr(colon + 1);
    int port = -1;
    auto [p, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), port);
    if (ec != std::errc{} || p != portText.data() + portText.size() || port < 0 || port > 65535) {
        return makeError(ErrorKind::Config, "bad_listen",
                         "the port in \"" + std::string(listen) + "\" must be a number from 0 to 65535");
    }
    config.host = std::string(listen.substr(0, colon));
    config.port = port;
    return okStatus();
}

Result<ServerConfig> parseConfig(std::string_view text, std::string_view source) {
    auto parsed = parseTomlText(text, source);
    if (!parsed.table) return configError(source, parsed.error);
    const toml::table& root = *parsed.table;
    ServerConfig cfg;
    if (auto* server = root["server"].as_table()) {
        if (auto v = (*server)["listen"]; v) {
            auto s = v.value<std::string>();
            if (!s) return configError(source, "server.listen must be a string \"HOST:PORT\"");
            if (Status st = applyListen(cfg, *s); !st) return configError(source, st.error().message);
        }
        if (auto v = (*server)["database"]; v) {
            auto s = v.value<std::string>();
            if (!s || s->empty()) return configError(source, "server.database must be a file path");
            cfg.database = *s;
        }
        if (auto v = (*server)["assets"]; v) {
            auto s = v.value<std::string>();
            if (!s) return configError(source, "server.assets must be a directory path");
            cfg.assets = *s;
        }
        if (auto v = (*server)["fonts"]; v) {
            auto s = v.value<std::string>();
            if (!s || s->empty()) return configError(source, "server.fonts must be a directory path");
            cfg.fonts = *s;
        }
        if (auto v = (*server)["threads"]; v) {
            auto n = v.value<int64_t>();
            if (!n || *n < 4 || *n > 4096) return configError(source, "server.threads must be an integer from 4 to 4096");
            cfg.threads = static_cast<int>(*n);
        }
    } else if (root.contains("server")) {
        return configError(source, "[server] must be a table");
    }

    if (auto* day = root["day"].as_table()) {
        if (auto v = (*day)["timezone"]; v) {
            auto s = v.value<std::string>();
            if (!s) return configError(source, "day.timezone must be a time zone name such as \"Europe/Moscow\"");
            cfg.day.timezone = *s;
        }
        if (auto v = (*day)["starts_at"]; v) {
            auto s = v.value<std::string>();
            auto m = s ? parseClock(*s) : std::nullopt;
            if (!m || *m >= 24 * 60) return configError(source, "day.starts_at must be a time \"HH:MM\", e.g. \"04:00\"");
            cfg.day.startMinute = *m;
        }
        if (auto v = (*day)["carry_over"]; v) {
            auto b = v.value_exact<bool>();
            if (!b) return configError(source, "day.carry_over must be true or false");
            cfg.day.carryOver = *b;
        }
        if (auto v = (*day)["holidays"]; v) {
            auto* arr = v.as_array();
            if (!arr) return configError(source, "day.holidays must be a list of dates [\"YYYY-MM-DD\", ...]");
            for (auto& item : *arr) {
                auto s = item.value<std::string>();
                if (!s || !validIsoDate(*s)) return configError(source, "day.holidays must contain dates \"YYYY-MM-DD\"");
                cfg.day.holidays.push_back(*s);
            }
        }
    }

    if (auto* queue = root["queue"].as_table()) {
        if (auto v = (*queue)["max_recalls"]; v) {
            auto n = v.value<int64_t>();
            if (!n || *n < 0 || *n > 20) return configError(source, "queue.max_recalls must be an integer from 0 to 20");
            cfg.queue.maxRecalls = static_cast<int>(*n);
        }
        if (auto v = (*queue)["no_show_after_minutes"]; v) {
            auto n = v.value<int64_t>();
            if (!n || *n < 1 || *n > 240) return configError(source, "queue.no_show_after_minutes must be an integer from 1 to 240");
            cfg.queue.noShowAfterMinutes = static_cast<int>(*n);
        }
    }

    if (auto* office = root["office"].as_table()) {
        if (auto v = (*office)["names"]; v) {
            auto* names = v.as_table();
            if (!names || names->empty()) {
                return configError(source, "office.names must be a table like { ru = \"...\", en = \"...\" }");
            }
            for (auto& [lang, value] : *names) {
                auto name = value.value<std::string>();
                if (!name || name->empty() || name->size() > 200) {
                    return configError(source, "office.names." + std::string(lang.str()) +
                                                   " must be a non-empty string of at most 200 bytes");
                }
                cfg.office.names[std::string(lang.str())] = *name;
            }
        }
        if (auto v = (*office)["public_url"]; v) {
            auto s = v.value<std::string>();
            const bool web = s && (s->rfind("http://", 0) == 0 || s->rfind("https://", 0) == 0);
            if (!web || s->size() > 200 || s->find_first_of(" \t\r\n") != std::string::npos) {
                return configError(source, "office.public_url must be an address like \"http://192.168.1.10:8080\"");
            }
            while (!s->empty() && s->back() == '/') s->pop_back();
            cfg.office.publicUrl = *s;
        }
    } else if (root.contains("office")) {
        return configError(source, "[office] must be a table");
    }

    if (auto* auth = root["auth"].as_table()) {
        // A typo here must not silently leave logins off (or demo accounts on).
        if (auto key = unknownTomlKey(*auth, {"require_login", "demo_users", "session_idle_seconds",
                                              "session_lifetime_seconds", "window_takeover_seconds",
                                              "max_failed_logins", "max_failed_logins_per_address",
                                              "failed_login_window_seconds"})) {
            return configError(source, "auth." + *key + " is not a setting (see talon-server.example.toml)");
        }
        for (auto [name, slot] : {std::pair{"require_login", &cfg.auth.requireLogin},
                                  std::pair{"demo_users", &cfg.auth.demoUsers}}) {
            if (auto v = (*auth)[name]; v) {
                auto b = v.value_exact<bool>();
                if (!b) return configError(source, std::string("auth.") + name + " must be true or false");
                *slot = *b;
            }
        }
        struct Bound {
            const char* name;
            int* slot;
            int64_t min, max;
        };
        for (const Bound& k : {Bound{"session_idle_seconds", &cfg.auth.sessionIdleSeconds, 1, 7 * 86400},
                               Bound{"session_lifetime_seconds", &cfg.auth.sessionLifetimeSeconds, 1, 31 * 86400},
                               Bound{"window_takeover_seconds", &cfg.auth.windowTakeoverSeconds, 0, 86400},
                               Bound{"max_failed_logins", &cfg.auth.maxFailedLogins, 1, 1000},
                               Bound{"max_failed_logins_per_address", &cfg.auth.maxFailedLoginsPerAddress, 1, 10000},
                               Bound{"failed_login_window_seconds", &cfg.auth.failedLoginWindowSeconds, 1, 86400}}) {
            if (auto v = (*auth)[k.name]; v) {
                auto n = v.value<int64_t>();
                if (!n || *n < k.min || *n > k.max) {
                    return configError(source, std::string("auth.") + k.name + " must be an integer from " +
                                                   std::to_string(k.min) + " to " + std::to_string(k.max));
                }
                *k.slot = static_cast<int>(*n);
            }
        }
    } else if (root.contains("auth")) {
        return configError(source, "[auth] must be a table");
    }

    if (auto* readings = root["readings"].as_table()) {
        if (auto key = unknownTomlKey(*readings, {"lookups_per_minute", "lookups_per_minute_per_address",
                                                  "window_first_day", "window_last_day", "implausible_factor"})) {
            return configError(source, "readings." + *key + " is not a setting (see talon-server.example.toml)");
        }
        struct Bound {
            const char* name;
            int* slot;
            int64_t min, max;
        };
        for (const Bound& k : {Bound{"lookups_per_minute", &cfg.readings.lookupsPerMinute, 1, 1000},
                               Bound{"lookups_per_minute_per_address", &cfg.readings.lookupsPerMinutePerAddress, 1,
                                     10000},
                               Bound{"window_first_day", &cfg.readings.windowFirstDay, 1, 31},
                               Bound{"window_last_day", &cfg.readings.windowLastDay, 1, 31}}) {
            if (auto v = (*readings)[k.name]; v) {
                auto n = v.value<int64_t>();
                if (!v.is_integer() || !n || *n < k.min || *n > k.max) {
                    return configError(source, std::string("readings.") + k.name + " must be an integer from " +
                                                   std::to_string(k.min) + " to " + std::to_string(k.max));
                }
                *k.slot = static_cast<int>(*n);
            }
        }
        if (cfg.readings.windowFirstDay > cfg.readings.windowLastDay) {
            return configError(source, "readings.window_first_day (" + std::to_string(cfg.readings.windowFirstDay) +
                                            ") must not be after readings.window_last_day (" +
                                            std::to_string(cfg.readings.windowLastDay) + ")");
        }
        if (auto v = (*readings)["implausible_factor"]; v) {
            auto f = v.value<double>();
            if (!f || !(*f > 1.0) || *f > 100.0) {
                return configError(source,
                                   "readings.implausible_factor must be a number above 1 and at most 100, e.g. 3.0");
            }
            cfg.readings.implausibleFactor = *f;
        }
    } else if (root.contains("readings")) {
        return configError(source, "[readings] must be a table");
    }

    if (auto* appeals = root["appeals"].as_table()) {
        if (Status st = parseAppeals(*appeals, cfg.appeals, source); !st) return st.error();
    } else if (root.contains("appeals")) {
        return configError(source, "[appeals] must be a table");
    }

    if (auto* services = root["services"].as_array()) {
        for (size_t i = 0; i < services->size(); ++i) {
            const std::string where = "services[" + std::to_string(i + 1) + "]";
            auto* t = (*services)[i].as_table();
            if (!t) return configError(source, where + " must be a table ([[services]])");
            ServiceConfig s;
            auto letter = (*t)["letter"].value<std::string>();
            if (!letter || !validLetter(*letter)) {
                return configError(source, where + ".letter must be one or two capital Latin letters");
            }
            s.letter = *letter;
            auto* names = (*t)["names"].as_table();
            if (!names || names->empty()) {
                return configError(source, where + ".names must be a table like { ru = \"...\", en = \"...\" }");
            }
            for (auto& [lang, value] : *names) {
                auto name = value.value<std::string>();
                if (!name || name->empty()) {
                    return configError(source, where + ".names." + std::string(lang.str()) + " must be a non-empty string");
                }
                s.names[std::string(lang.str())] = *name;
            }
            if (auto v = (*t)["target_wait_minutes"]; v) {
                auto n = v.value<int64_t>();
                if (!n || *n < 1 || *n > 24 * 60) {
                    return configError(source, where + ".target_wait_minutes must be an integer from 1 to 1440");
                }
                s.targetWaitMinutes = static_cast<int>(*n);
            }
            if (auto v = (*t)["service_minutes"]; v) {
                auto d = v.value<double>();
                if (!d || *d <= 0 || *d > 240) {
                    return configError(source, where + ".service_minutes must be a number above 0 and at most 240");
                }
                s.serviceMinutes = *d;
            }
            if (auto v = (*t)["hours"]; v) {
                auto h = v.value<std::string>();
                std::optional<int> open, close;
                if (h && h->size() == 11 && (*h)[5] == '-') {
                    open = parseClock(h->substr(0, 5));
                    close = parseClock(h->substr(6, 5));
                }
                if (!open || !close || *open >= *close) {
                    return configError(source, where + ".hours must be \"HH:MM-HH:MM\" with opening before closing");
                }
                s.hours.openMinute = *open;
                s.hours.closeMinute = *close;
            }
            if (auto v = (*t)["days"]; v) {
                static const char* kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
                auto* arr = v.as_array();
                if (!arr || arr->empty()) return configError(source, where + ".days must list days, e.g. [\"mon\", \"tue\"]");
                s.hours.days = 0;
                for (auto& item : *arr) {
                    auto d = item.value<std::string>();
                    int bit = -1;
                    for (int k = 0; d && k < 7; ++k) {
                        if (*d == kDays[k]) bit = k;
                    }
                    if (bit < 0) return configError(source, where + ".days must contain mon, tue, wed, thu, fri, sat or sun");
                    s.hours.days |= static_cast<uint8_t>(1u << bit);
                }
            }
            cfg.services.push_back(std::move(s));
        }
    } else if (root.contains("services")) {
        return configError(source, "services must be an array of tables ([[services]])");
    }

    if (auto* windows = root["windows"].as_array()) {
        for (size_t i = 0; i < windows->size(); ++i) {
            const std::string where = "windows[" + std::to_string(i + 1) + "]";
            auto* t = (*windows)[i].as_table();
            if (!t) return configError(source, where + " must be a table ([[windows]])");
            WindowConfig w;
            auto number = (*t)["number"].value<int64_t>();
            if (!number || *number < 1 || *number > 999) {
                return configError(source, where + ".number must be an integer from 1 to 999");
            }
            w.number = static_cast<int>(*number);
            w.name = (*t)["name"].value_or(std::string{});
            auto* list = (*t)["services"].as_array();
            if (!list || list->empty()) {
                return configError(source, where + ".services must list service letters, e.g. [\"A\", \"B\"]");
            }
            auto* weights = (*t)["weights"].as_table();
            for (auto& item : *list) {
                auto letter = item.value<std::string>();
                if (!letter) return configError(source, where + ".services must contain strings");
                double weight = 1.0;
                if (weights) {
                    if (auto wv = (*weights)[*letter]; wv) {
                        auto d = wv.value<double>();
                        if (!d || *d <= 0 || *d > 100) {
                            return configError(source, where + ".weights." + *letter + " must be a number above 0 and at most 100");
                        }
                        weight = *d;
                    }
                }
                w.services.push_back({*letter, weight});
            }
            if (auto v = (*t)["breaks"]; v) {
                auto* arr = v.as_array();
                if (!arr) return configError(source, where + ".breaks must be a list like [\"12:00-12:45\"]");
                for (auto& item : *arr) {
                    auto b = item.value<std::string>();
                    std::optional<int> from, to;
                    if (b && b->size() == 11 && (*b)[5] == '-') {
                        from = parseClock(b->substr(0, 5));
                        to = parseClock(b->substr(6, 5));
                    }
                    if (!from || !to || *from >= *to) {
                        return configError(source, where + ".breaks must contain \"HH:MM-HH:MM\" ranges, start before end");
                    }
                    w.breaks.push_back({*from, *to});
                }
            }
            cfg.windows.push_back(std::move(w));
        }
    } else if (root.contains("windows")) {
        return configError(source, "windows must be an array of tables ([[windows]])");
    }

    // A file that configures no queue at all still runs, on the demo services and windows.
    if (cfg.services.empty() && cfg.windows.empty()) {
        ServerConfig demo = demoConfig();
        cfg.services = demo.services;
        cfg.windows = demo.windows;
    }
    if (cfg.office.names.empty()) cfg.office.names = demoConfig().office.names;
    if (Status st = validateConfig(cfg, source); !st) return st.error();
    return cfg;
}

Status validateConfig(const ServerConfig& cfg, std::string_view source) {
    if (cfg.services.empty()) return configError(source, "at least one [[services]] is needed");
    if (cfg.windows.empty()) return configError(source, "at least one [[windows]] is needed");
    std::set<std::string> letters;
    for (const auto& s : cfg.services) {
        if (!letters.insert(s.letter).second) {
            return configError(source, "service letter \"" + s.letter + "\" is used twice");
        }
    }
    std::set<int> numbers;
    for (const auto& w : cfg.windows) {
        if (!numbers.insert(w.number).second) {
            return configError(source, "window number " + std::to_string(w.number) + " is used twice");
        }
        std::set<std::string> seen;
        for (const auto& ws : w.services) {
            if (!letters.count(ws.service)) {
                return configError(source, "window " + std::to_string(w.number) +
                                               " serves unknown service \"" + ws.service + "\"");
            }
            if (!seen.insert(ws.service).second) {
                return configError(source, "window " + std::to_string(w.number) + " lists service \"" +
                                               ws.service + "\" twice");
            }
        }
    }
    if (cfg.appeals.categories.empty()) return configError(source, "appeals.categories must not be empty");
    // The appeals calendar is the office's holidays plus its own list; the dates must agree.
    std::vector<std::string> holidays = cfg.day.holidays;
    holidays.insert(holidays.end(), cfg.appeals.extraHolidays.begin(), cfg.appeals.extraHolidays.end());
    if (auto days = WorkingDays::create(cfg.appeals.weekends, holidays, cfg.appeals.workingDays); !days) {
        return configError(source, "appeals.working_days: " + days.error().message);
    }
    return okStatus();
}

Result<ServerConfig> loadConfigFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return configError(path, "cannot open the file (does it exist and is it readable?)");
    std::stringstream ss;
    ss << in.rdbuf();
    return parseConfig(ss.str(), path);
}

ServerConfig demoConfig() {
    ServerConfig cfg;
    cfg.auth.demoUsers = true;  // no config file at all: the demo, with its public logins
    cfg.office.names = {{"ru", "Центр обслуживания клиентов"}, {"en", "Customer service center"}};
    cfg.services = {
        {"A", {{"ru", "Оплата и счета"}, {"en", "Payments and bills"}}, 15, 4},
        {"B", {{"ru", "Счётчики: показания, замена, поверка"}, {"en", "Meters: readings, replacement, check"}}, 15, 6},
        {"C", {{"ru", "Консультации и состояние счёта"}, {"en", "Consultation and account status"}}, 20, 8},
        {"D", {{"ru", "Договоры и подключение"}, {"en", "Contracts and connection"}}, 30, 12},
        {"E", {{"ru", "Жалобы и претензии"}, {"en", "Complaints and claims"}}, 20, 10},
        {"V", {{"ru", "Юридические лица"}, {"en", "Legal entities"}}, 30, 12},
    };
    cfg.windows = {
        {1, "Окно 1", {{"A", 1.0}, {"C", 0.5}}},
        {2, "Окно 2", {{"A", 1.0}, {"B", 1.0}}},
        {3, "Окно 3", {{"B", 1.0}, {"C", 1.0}}},
        {4, "Окно 4", {{"D", 1.0}, {"V", 1.0}}},
        {5, "Окно 5", {{"E", 1.0}, {"C", 0.5}}},
        {6, "Окно 6", {{"A", 0.5}, {"B", 0.5}, {"C", 0.5}, {"D", 0.5}, {"E", 0.5}, {"V", 0.5}}},
    };
    return cfg;
}

}  // namespace talon::server
