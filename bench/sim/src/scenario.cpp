// Scenario TOML parsing (toml++) with validation; toml++ exceptions stop here.
#include "talon/sim/scenario.h"
#include "talon/common/toml_text.h"

#include <toml++/toml.h>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <initializer_list>
#include <set>
#include <sstream>

namespace talon::sim {
namespace {

Error scenarioError(std::string_view source, const std::string& key, const std::string& problem) {
    std::string message(source);
    message += ": ";
    if (!key.empty()) message += key + ": ";
    message += problem;
    return makeError(ErrorKind::Config, "bad_scenario", std::move(message));
}

std::string clockText(int minute) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d", minute / 60, minute % 60);
    return buf;
}

bool validLetter(const std::string& s) {
    if (s.empty() || s.size() > 2) return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

bool validDate(const std::string& s) {
    int y = 0, m = 0, d = 0;
    char extra = 0;
    return s.size() == 10 && std::sscanf(s.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &extra) == 3 &&
           m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/// "HH:MM-HH:MM" with the start before the end.
std::optional<Break> parseSpan(const std::string& text) {
    if (text.size() != 11 || text[5] != '-') return std::nullopt;
    auto from = server::parseClock(text.substr(0, 5));
    auto to = server::parseClock(text.substr(6, 5));
    if (!from || !to || *from >= *to) return std::nullopt;
    return Break{*from, *to};
}

// Each reader returns an error, or nothing when the value was stored (or absent and optional).
using Check = std::optional<Error>;

class Reader {
public:
    explicit Reader(std::string_view source) : m_source(source) {}

    Error fail(const std::string& key, const std::string& problem) const {
        return scenarioError(m_source, key, problem);
    }

    Check number(const toml::table& t, const std::string& where, const char* key, double lo,
                 double hi, double& out, bool required = false) const {
        auto node = t[key];
        if (!node) return required ? Check(fail(where + key, "is missing")) : std::nullopt;
        auto v = node.value<double>();
        if (!v || !std::isfinite(*v) || *v < lo || *v > hi) {
            return fail(where + key,
                        "must be a number from " + shortNumber(lo) + " to " + shortNumber(hi));
        }
        out = *v;
        return std::nullopt;
    }

    Check integer(const toml::table& t, const std::string& where, const char* key, int lo, int hi,
                  int& out, bool required = false) const {
        auto node = t[key];
        if (!node) return required ? Check(fail(where + key, "is missing")) : std::nullopt;
        auto v = node.as_integer() ? node.value<int64_t>() : std::nullopt;
        if (!v || *v < lo || *v > hi) {
            return fail(where + key, "must be a whole number from " + std::to_string(lo) + " to " +
                                         std::to_string(hi));
        }
        out = static_cast<int>(*v);
        return std::nullopt;
    }

    Check string(const toml::table& t, const std::string& where, const char* key, std::string& out,
                 bool required = false) const {
        auto node = t[key];
        if (!node) return required ? Check(fail(where + key, "is missing")) : std::nullopt;
        auto v = node.value<std::string>();
        if (!v || v->empty()) return fail(where + key, "must be a non-empty string");
        out = *v;
        return std::nullopt;
    }

    Check clock(const toml::table& t, const char* key, int& out) const {
        auto node = t[key];
        if (!node) return std::nullopt;
        auto v = node.value<std::string>();
        auto m = v ? server::parseClock(*v) : std::nullopt;
        if (!m) return fail(key, "must be a time \"HH:MM\", e.g. \"08:00\"");
        out = *m;
        return std::nullopt;
    }

private:
    static std::string shortNumber(double v) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", v);
        return buf;
    }
    std::string_view m_source;
};

Check parseServiceTime(const Reader& r, const toml::node_view<const toml::node>& node,
                       const std::string& where, ServiceTime& out) {
    const std::string key = where + "service_time";
    if (!node)
        return r.fail(
            key, "is missing (e.g. { distribution = \"lognormal\", mean_minutes = 4, cv = 0.5 })");
    const toml::table* t = node.as_table();
    if (!t) return r.fail(key, "must be a table { distribution = \"...\", mean_minutes = ... }");
    if (auto k = unknownTomlKey(*t, {"distribution", "mean_minutes", "cv"})) {
        return r.fail(key + "." + *k, "unknown key (expected distribution, mean_minutes, cv)");
    }
    std::string kind;
    if (auto e = r.string(*t, key + ".", "distribution", kind, true)) return e;
    if (kind == "fixed") {
        out.kind = Distribution::Fixed;
    } else if (kind == "exponential") {
        out.kind = Distribution::Exponential;
    } else if (kind == "lognormal") {
        out.kind = Distribution::Lognormal;
    } else {
        return r.fail(key + ".distribution",
                      "must be \"fixed\", \"exponential\" or \"lognormal\", not \"" + kind + "\"");
    }
    if (auto e = r.number(*t, key + ".", "mean_minutes", 0.1, 240, out.meanMinutes, true)) return e;
    if (out.kind == Distribution::Lognormal) {
        if (auto e = r.number(*t, key + ".", "cv", 0.01, 5, out.cv, true)) return e;
    } else if (t->contains("cv")) {
        return r.fail(key + ".cv", "applies to the lognormal distribution only");
    }
    return std::nullopt;
}

Check parseService(const Reader& r, const toml::table& t, const std::string& where, size_t hours,
                   const Scenario& sc, ScenarioService& s) {
    if (auto k = unknownTomlKey(t, {"letter", "name", "target_wait_minutes", "service_minutes",
                                "arrivals_per_hour", "arrival_process", "service_time"})) {
        return r.fail(where + *k,
                      "unknown key (expected letter, name, target_wait_minutes, service_minutes, "
                      "arrivals_per_hour, arrival_process, service_time)");
    }
    if (auto e = r.string(t, where, "letter", s.letter, true)) return e;
    if (!validLetter(s.letter))
        return r.fail(where + "letter", "must be one or two capital Latin letters");
    s.name = s.letter;
    if (auto e = r.string(t, where, "name", s.name)) return e;
    if (auto e = r.integer(t, where, "target_wait_minutes", 1, 24 * 60, s.targetWaitMinutes))
        return e;
    if (auto e = parseServiceTime(r, t["service_time"], where, s.serviceTime)) return e;
    s.priorMinutes = s.serviceTime.meanMinutes;
    if (auto e = r.number(t, where, "service_minutes", 0.1, 240, s.priorMinutes)) return e;

    std::string process = "poisson";
    if (auto e = r.string(t, where, "arrival_process", process)) return e;
    if (process == "poisson") {
        s.arrivalProcess = ArrivalProcess::Poisson;
    } else if (process == "regular") {
        s.arrivalProcess = ArrivalProcess::Regular;
    } else {
        return r.fail(where + "arrival_process",
                      "must be \"poisson\" or \"regular\", not \"" + process + "\"");
    }

    const std::string key = where + "arrivals_per_hour";
    const auto* rates = t["arrivals_per_hour"].as_array();
    const std::string span = clockText(sc.openMinute) + "-" + clockText(sc.closeMinute);
    if (!rates) return r.fail(key, "must be a list of visitors per hour, one per hour " + span);
    if (rates->size() != hours) {
        return r.fail(key, "needs " + std::to_string(hours) + " hourly rates (" + span + "), got " +
                               std::to_string(rates->size()));
    }
    for (size_t h = 0; h < rates->size(); ++h) {
        auto v = (*rates)[h].value<double>();
        if (!v || !std::isfinite(*v) || *v < 0 || *v > 1000) {
            return r.fail(key + "[" + std::to_string(h + 1) + "]",
                          "must be a number of visitors per hour from 0 to 1000");
        }
        s.arrivalsPerHour.push_back(*v);
    }
    return std::nullopt;
}

Check parseWindow(const Reader& r, const toml::table& t, const std::string& where,
                  const Scenario& sc, ScenarioWindow& w) {
    if (auto k = unknownTomlKey(t, {"number", "name", "services", "weights", "breaks"})) {
        return r.fail(where + *k, "unknown key (expected number, name, services, weights, breaks)");
    }
    if (auto e = r.integer(t, where, "number", 1, 999, w.number, true)) return e;
    w.name = "Window " + std::to_string(w.number);
    if (auto e = r.string(t, where, "name", w.name)) return e;

    const auto* list = t["services"].as_array();
    if (!list || list->empty())
        return r.fail(where + "services", "must list service letters, e.g. [\"A\", \"B\"]");
    std::set<std::string> listed;
    for (const auto& item : *list) {
        auto letter = item.value<std::string>();
        if (!letter) return r.fail(where + "services", "must contain service letters as strings");
        const bool known =
            std::any_of(sc.services.begin(), sc.services.end(),
                        [&](const ScenarioService& s) { return s.letter == *letter; });
        if (!known) return r.fail(where + "services", "unknown service \"" + *letter + "\"");
        if (!listed.insert(*letter).second)
            return r.fail(where + "services", "lists \"" + *letter + "\" twice");
        w.services.push_back({*letter, 1.0});
    }
    if (auto node = t["weights"]) {
        const auto* weights = node.as_table();
        if (!weights) return r.fail(where + "weights", "must be a table like { A = 1.0, C = 0.5 }");
        for (const auto& [letter, value] : *weights) {
            const std::string key = where + "weights." + std::string(letter.str());
            auto it =
                std::find_if(w.services.begin(), w.services.end(),
                             [&](const WindowService& ws) { return ws.service == letter.str(); });
            if (it == w.services.end()) return r.fail(key, "is not one of this window's services");
            auto d = value.value<double>();
            if (!d || !std::isfinite(*d) || *d <= 0 || *d > 100)
                return r.fail(key, "must be a number above 0 and at most 100");
            it->weight = *d;
        }
    }
    if (auto node = t["breaks"]) {
        const auto* breaks = node.as_array();
        if (!breaks) return r.fail(where + "breaks", "must be a list of \"HH:MM-HH:MM\" spans");
        for (size_t i = 0; i < breaks->size(); ++i) {
            const std::string key = where + "breaks[" + std::to_string(i + 1) + "]";
            auto text = (*breaks)[i].value<std::string>();
            auto span = text ? parseSpan(*text) : std::nullopt;
            if (!span)
                return r.fail(
                    key,
                    "must be \"HH:MM-HH:MM\" with the start before the end, e.g. \"12:00-12:45\"");
            if (span->fromMinute < sc.openMinute || span->fromMinute >= sc.closeMinute) {
                return r.fail(key, "must start between opening (" + clockText(sc.openMinute) +
                                       ") and closing (" + clockText(sc.closeMinute) + ")");
            }
            w.breaks.push_back(*span);
        }
        std::sort(w.breaks.begin(), w.breaks.end(),
                  [](const Break& a, const Break& b) { return a.fromMinute < b.fromMinute; });
        for (size_t i = 1; i < w.breaks.size(); ++i) {
            if (w.breaks[i].fromMinute < w.breaks[i - 1].toMinute)
                return r.fail(where + "breaks", "breaks overlap");
        }
    }
    return std::nullopt;
}

}  // namespace

Result<Scenario> parseScenario(std::string_view text, std::string_view source) {
    const Reader r(source);
    auto parsed = parseTomlText(text, source);
    if (!parsed.table) return scenarioError(source, {}, parsed.error);
    const toml::table& root = *parsed.table;
    Scenario sc;
    sc.source = std::string(source);
    if (auto k =
            unknownTomlKey(root, {"name", "date", "opens", "closes", "walk_up_seconds", "poll_seconds",
                              "drain_minutes", "breaks_planned", "services", "windows"})) {
        return r.fail(*k,
                      "unknown key (expected name, date, opens, closes, walk_up_seconds, "
                      "poll_seconds, drain_minutes, breaks_planned, services, windows)");
    }
    sc.name = std::string(source);
    if (auto e = r.string(root, {}, "name", sc.name)) return *e;
    if (auto e = r.string(root, {}, "date", sc.date)) return *e;
    if (!validDate(sc.date)) return r.fail("date", "must be a date \"YYYY-MM-DD\"");
    if (auto e = r.clock(root, "opens", sc.openMinute)) return *e;
    if (auto e = r.clock(root, "closes", sc.closeMinute)) return *e;
    if (sc.openMinute >= sc.closeMinute) return r.fail("closes", "must be after opens");
    // A visitor called and not started within the engine's no-show limit would be dropped.
    if (auto e = r.number(root, {}, "walk_up_seconds", 0, 300, sc.walkUpSeconds)) return *e;
    if (auto e = r.number(root, {}, "poll_seconds", 1, 600, sc.pollSeconds)) return *e;
    if (auto e = r.integer(root, {}, "drain_minutes", 0, 12 * 60, sc.drainMinutes)) return *e;
    // The engine's business day starts at opening; the hard stop must come before the next one.
    if (sc.closeMinute + sc.drainMinutes >= sc.openMinute + 24 * 60) {
        return r.fail("drain_minutes",
                      "closing plus the drain must end before the next day's opening");
    }
    if (auto node = root["breaks_planned"]) {
        auto b = node.value<bool>();
        if (!b) return r.fail("breaks_planned", "must be true or false");
        sc.breaksPlanned = *b;
    }
    const size_t hours = static_cast<size_t>((sc.closeMinute - sc.openMinute + 59) / 60);

    const auto* services = root["services"].as_array();
    if (root.contains("services") && !services)
        return r.fail("services", "must be an array of tables ([[services]])");
    if (!services || services->empty())
        return r.fail("services", "at least one [[services]] table is needed");
    std::set<std::string> letters;
    for (size_t i = 0; i < services->size(); ++i) {
        const std::string where = "services[" + std::to_string(i + 1) + "].";
        const auto* t = (*services)[i].as_table();
        if (!t) return r.fail(where.substr(0, where.size() - 1), "must be a table ([[services]])");
        ScenarioService s;
        if (auto e = parseService(r, *t, where, hours, sc, s)) return *e;
        if (!letters.insert(s.letter).second)
            return r.fail(where + "letter", "\"" + s.letter + "\" is used twice");
        sc.services.push_back(std::move(s));
    }

    const auto* windows = root["windows"].as_array();
    if (root.contains("windows") && !windows)
        return r.fail("windows", "must be an array of tables ([[windows]])");
    if (!windows || windows->empty())
        return r.fail("windows", "at least one [[windows]] table is needed");
    std::set<int> numbers;
    for (size_t i = 0; i < windows->size(); ++i) {
        const std::string where = "windows[" + std::to_string(i + 1) + "].";
        const auto* t = (*windows)[i].as_table();
        if (!t) return r.fail(where.substr(0, where.size() - 1), "must be a table ([[windows]])");
        ScenarioWindow w;
        if (auto e = parseWindow(r, *t, where, sc, w)) return *e;
        if (!numbers.insert(w.number).second) {
            return r.fail(where + "number", std::to_string(w.number) + " is used twice");
        }
        sc.windows.push_back(std::move(w));
    }
    // A service nobody serves would keep its visitors until the hard stop.
    for (size_t i = 0; i < sc.services.size(); ++i) {
        const auto& letter = sc.services[i].letter;
        const bool served =
            std::any_of(sc.windows.begin(), sc.windows.end(), [&](const ScenarioWindow& w) {
                return std::any_of(w.services.begin(), w.services.end(),
                                   [&](const WindowService& ws) { return ws.service == letter; });
            });
        if (!served)
            return r.fail("services[" + std::to_string(i + 1) + "]",
                          "no window serves \"" + letter + "\"");
    }
    if (Status st = server::validateConfig(serverConfig(sc), source); !st) return st.error();
    return sc;
}

Result<Scenario> loadScenarioFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return scenarioError(path, {}, "cannot open the file (does it exist and is it readable?)");
    std::stringstream ss;
    ss << in.rdbuf();
    return parseScenario(ss.str(), path);
}

server::ServerConfig serverConfig(const Scenario& sc) {
    server::ServerConfig cfg;
    cfg.database = ":memory:";
    cfg.day.timezone = "UTC";
    cfg.day.startMinute = sc.openMinute;  // the whole run, drain included, is one business day
    for (const auto& s : sc.services) {
        server::ServiceConfig svc;
        svc.letter = s.letter;
        svc.names = {{"en", s.name}};
        svc.targetWaitMinutes = s.targetWaitMinutes;
        svc.serviceMinutes = s.priorMinutes;
        // Open all day: the simulator stops arrivals at closing itself, so the engine's closing
        // cut-off never refuses a simulated visitor.
        cfg.services.push_back(std::move(svc));
    }
    for (const auto& w : sc.windows) {
        server::WindowConfig window{w.number, w.name, w.services, {}};
        // An office plans its breaks, so the engine knows them and its estimates count on them.
        if (sc.breaksPlanned) {
            for (const auto& b : w.breaks) window.breaks.push_back({b.fromMinute, b.toMinute});
        }
        cfg.windows.push_back(std::move(window));
    }
    return cfg;
}

}  // namespace talon::sim
