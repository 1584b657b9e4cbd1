// Report figures and their text and JSON forms.
#include "talon/sim/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

namespace talon::sim {
namespace {

using Seconds = std::chrono::duration<double>;

int minuteOfDay(WallTime t) {
    const int64_t minutes = toMillis(t) / 60000;
    return static_cast<int>(((minutes % 1440) + 1440) % 1440);
}

std::string clockText(WallTime t) {
    char buf[16];
    const int m = minuteOfDay(t);
    std::snprintf(buf, sizeof buf, "%02d:%02d", m / 60, m % 60);
    return buf;
}

/// Nearest-rank percentile of sorted values.
double percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0;
    const auto rank = static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
    return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

WaitStats statsOf(const std::vector<const TicketRecord*>& tickets,
                  const std::map<std::string, int>& targets) {
    WaitStats s;
    std::vector<double> waits;
    int over = 0, within = 0, withError = 0;
    double absError = 0, signedError = 0;
    for (const TicketRecord* t : tickets) {
        ++s.tickets;
        if (t->ewtSeconds) ++s.estimated;
        const auto wait = t->waitSeconds();
        if (!wait) {
            ++over;
            continue;
        }
        ++s.called;
        waits.push_back(*wait / 60);
        auto target = targets.find(t->service);
        if (target != targets.end() && *wait > target->second * 60.0) ++over;
        if (t->ewtSeconds) {
            const double error = *wait - *t->ewtSeconds;
            ++withError;
            absError += std::abs(error);
            signedError += error;
            if (ewtWithin(*t->ewtSeconds, *wait)) ++within;
        }
    }
    std::sort(waits.begin(), waits.end());
    s.p50 = percentile(waits, 0.5);
    s.p90 = percentile(waits, 0.9);
    s.max = waits.empty() ? 0 : waits.back();
    if (s.tickets) {
        s.overTarget = static_cast<double>(over) / s.tickets;
        s.ewtWithin = static_cast<double>(within) / s.tickets;
    }
    if (withError) {
        s.ewtMae = absError / withError / 60;
        s.ewtBias = signedError / withError / 60;
    }
    return s;
}

/// Seconds of `intervals` inside [from, to).
double overlap(const std::vector<Interval>& intervals, WallTime from, WallTime to) {
    double total = 0;
    for (const auto& i : intervals) {
        const WallTime a = std::max(i.from, from), b = std::min(i.to, to);
        if (b > a) total += Seconds(b - a).count();
    }
    return total;
}

/// Open seconds of a window inside [from, to): its open span minus the breaks it took.
double openSeconds(const WindowRecord& w, WallTime from, WallTime to) {
    const WallTime a = std::max(w.openFrom, from), b = std::min(w.openTo, to);
    if (b <= a) return 0;
    return Seconds(b - a).count() - overlap(w.paused, a, b);
}

std::string windowServices(const WindowRecord& w) {
    std::string out;
    for (const auto& ws : w.services) {
        if (!out.empty()) out += ' ';
        out += ws.service;
        if (ws.weight != 1.0) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "(%g)", ws.weight);
            out += buf;
        }
    }
    return out;
}

/// `text` padded with spaces to `width` characters (UTF-8 aware, so Cyrillic names align).
std::string pad(const std::string& text, size_t width) {
    size_t chars = 0;
    for (unsigned char c : text) chars += (c & 0xC0) != 0x80;
    return chars >= width ? text : text + std::string(width - chars, ' ');
}

std::string percent(double share) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.1f%%", share * 100);
    return buf;
}

std::string serviceLine(const std::string& letter, const std::string& name,
                        const std::string& target, const WaitStats& s) {
    char buf[256];
    std::snprintf(buf, sizeof buf, "%7d %6d %8.1f %6.1f %6.1f %8s %6d %8.1f %+8.1f %8s", s.tickets,
                  s.called, s.p50, s.p90, s.max, percent(s.overTarget).c_str(), s.estimated,
                  s.ewtMae, s.ewtBias, percent(s.ewtWithin).c_str());
    return pad(letter, 4) + pad(name, 20) + pad(target, 7) + buf + "\n";
}

nlohmann::json statsJson(const WaitStats& s) {
    return {{"tickets", s.tickets},     {"called", s.called},      {"wait_p50_min", s.p50},
            {"wait_p90_min", s.p90},    {"wait_max_min", s.max},   {"over_target", s.overTarget},
            {"estimated", s.estimated}, {"ewt_mae_min", s.ewtMae}, {"ewt_bias_min", s.ewtBias},
            {"ewt_within", s.ewtWithin}};
}

}  // namespace

bool ewtWithin(double estimateSeconds, double actualSeconds) {
    const double tolerance =
        std::max(kEwtRelativeTolerance * estimateSeconds, kEwtAbsoluteToleranceSeconds);
    return std::abs(actualSeconds - estimateSeconds) <= tolerance;
}

Report summarise(const Scenario& sc, const SimResult& result) {
    Report rep;
    rep.scenario = sc.name;
    rep.source = sc.source;
    rep.seed = result.seed;
    rep.date = sc.date;
    rep.walkUpSeconds = sc.walkUpSeconds;
    rep.pollSeconds = sc.pollSeconds;
    rep.opens = clockText(result.opensAt);
    rep.closes = clockText(result.closesAt);
    rep.endedAt = clockText(result.endedAt);
    rep.hardStop = result.hardStop;
    rep.refused = static_cast<int>(result.refused.size());
    for (const auto& r : result.refused) rep.refusedBy[r.code] += 1;

    std::map<std::string, int> targets;
    for (const auto& s : sc.services) targets[s.letter] = s.targetWaitMinutes;
    std::vector<const TicketRecord*> all;
    for (const auto& t : result.tickets) {
        all.push_back(&t);
        if (t.finalStatus != TicketStatus::Done) ++rep.unfinished;
    }
    for (const auto& s : sc.services) {
        std::vector<const TicketRecord*> mine;
        for (const auto* t : all) {
            if (t->service == s.letter) mine.push_back(t);
        }
        rep.services.push_back({s.letter, s.name, s.targetWaitMinutes, statsOf(mine, targets)});
    }
    rep.total = {"all", "", 0, statsOf(all, targets)};

    WallTime lastOpen = result.closesAt;
    for (const auto& w : result.windows) {
        WindowRow row;
        row.number = w.number;
        row.services = windowServices(w);
        row.served = w.served;
        row.busyMinutes = overlap(w.busy, w.openFrom, w.openTo) / 60;
        row.openMinutes = openSeconds(w, w.openFrom, w.openTo) / 60;
        row.utilisation = row.openMinutes > 0 ? row.busyMinutes / row.openMinutes : 0;
        rep.allWindows.served += row.served;
        rep.allWindows.busyMinutes += row.busyMinutes;
        rep.allWindows.openMinutes += row.openMinutes;
        rep.windows.push_back(std::move(row));
        lastOpen = std::max(lastOpen, w.openTo);
    }
    rep.allWindows.utilisation = rep.allWindows.openMinutes > 0
                                     ? rep.allWindows.busyMinutes / rep.allWindows.openMinutes
                                     : 0;

    for (WallTime h = result.opensAt; h < lastOpen; h += std::chrono::hours(1)) {
        const WallTime end = h + std::chrono::hours(1);
        HourRow row;
        row.hour = clockText(h);
        std::vector<const TicketRecord*> issued;
        for (const auto* t : all) {
            if (t->issuedAt >= h && t->issuedAt < end) issued.push_back(t);
        }
        row.arrivals = static_cast<int>(issued.size());
        row.stats = statsOf(issued, targets);
        double busy = 0, open = 0;
        for (const auto& w : result.windows) {
            busy += overlap(w.busy, h, end);
            open += openSeconds(w, h, end);
        }
        row.utilisation = open > 0 ? busy / open : 0;
        rep.hours.push_back(std::move(row));
    }
    return rep;
}

std::string formatText(const Report& r) {
    std::string out;
    char buf[512];
    std::snprintf(buf, sizeof buf, "talon-sim: %s (%s), seed %llu\n", r.scenario.c_str(),
                  r.source.c_str(), static_cast<unsigned long long>(r.seed));
    out += buf;
    std::snprintf(buf, sizeof buf,
                  "day %s, arrivals %s-%s UTC, walk-up %.0f s, idle windows poll every %.0f s\n"
                  "%s %s; unfinished %d; refused %d",
                  r.date.c_str(), r.opens.c_str(), r.closes.c_str(), r.walkUpSeconds, r.pollSeconds,
                  r.hardStop ? "HARD STOP with visitors still there at" : "last visitor done",
                  r.endedAt.c_str(), r.unfinished, r.refused);
    out += buf;
    std::string reasons;
    for (const auto& [code, n] : r.refusedBy) {
        reasons += (reasons.empty() ? "" : ", ") + code + " " + std::to_string(n);
    }
    out += reasons.empty() ? "\n\n" : " (" + reasons + ")\n\n";

    out +=
        "Per service (waits in minutes; ewt = the estimate given at issue; bias > 0: estimates too "
        "low)\n";
    out += pad("svc", 4) + pad("name", 20) + pad("target", 7) +
           "tickets called  wait50  wait90  waitmax  >target   ewt#  ewt MAE ewt bias  ewt ok\n";
    for (const auto& s : r.services)
        out += serviceLine(s.letter, s.name, std::to_string(s.targetMinutes), s.stats);
    out += serviceLine("all", "", "", r.total.stats);

    out += "\nWindows (busy: from call to done, walk-up included; open: breaks excluded)\n";
    size_t servicesWidth = 10;
    for (const auto& w : r.windows) servicesWidth = std::max(servicesWidth, w.services.size() + 2);
    out += pad("window", 8) + pad("services", servicesWidth) +
           " served   busy min   open min    util\n";
    auto windowLine = [&](const std::string& name, const WindowRow& w) {
        std::snprintf(buf, sizeof buf, "%7d %10.1f %10.1f %7s\n", w.served, w.busyMinutes,
                      w.openMinutes, percent(w.utilisation).c_str());
        out += pad(name, 8) + pad(w.services, servicesWidth) + buf;
    };
    for (const auto& w : r.windows) windowLine(std::to_string(w.number), w);
    windowLine("all", r.allWindows);

    out +=
        "\nBy hour of issue (waits and estimates of the tickets issued in the hour; util of all "
        "windows)\n";
    out += "hour   issued  wait50  wait90   util   ewt MAE ewt bias  ewt ok\n";
    bool afterClosing = false;
    for (const auto& h : r.hours) {
        const bool late = h.hour >= r.closes;
        afterClosing |= late;
        std::snprintf(buf, sizeof buf, "%-6s %6d %7.1f %7.1f %7s %8.1f %+8.1f %7s\n",
                      (h.hour + (late ? "*" : "")).c_str(), h.arrivals, h.stats.p50, h.stats.p90,
                      percent(h.utilisation).c_str(), h.stats.ewtMae, h.stats.ewtBias,
                      h.arrivals ? percent(h.stats.ewtWithin).c_str() : "-");
        out += buf;
    }
    if (afterClosing)
        out += "* after closing: a window counts as open until its last visitor is done\n";
    std::snprintf(buf, sizeof buf, "\newt_within=%.1f%%\n", r.total.stats.ewtWithin * 100);
    out += buf;
    return out;
}

std::string formatJson(const Report& r) {
    nlohmann::json j;
    j["scenario"] = r.scenario;
    j["source"] = r.source;
    j["seed"] = r.seed;
    j["date"] = r.date;
    j["walk_up_seconds"] = r.walkUpSeconds;
    j["poll_seconds"] = r.pollSeconds;
    j["opens"] = r.opens;
    j["closes"] = r.closes;
    j["ended_at"] = r.endedAt;
    j["hard_stop"] = r.hardStop;
    j["refused"] = r.refused;
    j["refused_by"] = r.refusedBy;
    j["unfinished"] = r.unfinished;
    j["ewt_tolerance"] = {{"relative", kEwtRelativeTolerance},
                          {"absolute_seconds", kEwtAbsoluteToleranceSeconds}};
    auto& services = j["services"] = nlohmann::json::array();
    for (const auto& s : r.services) {
        nlohmann::json row = statsJson(s.stats);
        row["service"] = s.letter;
        row["name"] = s.name;
        row["target_wait_min"] = s.targetMinutes;
        services.push_back(std::move(row));
    }
    j["total"] = statsJson(r.total.stats);
    auto windowJson = [](const WindowRow& w) {
        return nlohmann::json{{"served", w.served},
                              {"busy_min", w.busyMinutes},
                              {"open_min", w.openMinutes},
                              {"utilisation", w.utilisation}};
    };
    auto& windows = j["windows"] = nlohmann::json::array();
    for (const auto& w : r.windows) {
        nlohmann::json row = windowJson(w);
        row["window"] = w.number;
        row["services"] = w.services;
        windows.push_back(std::move(row));
    }
    j["all_windows"] = windowJson(r.allWindows);
    auto& hours = j["hours"] = nlohmann::json::array();
    for (const auto& h : r.hours) {
        nlohmann::json row = statsJson(h.stats);
        row["hour"] = h.hour;
        row["utilisation"] = h.utilisation;
        hours.push_back(std::move(row));
    }
    j["ewt_within"] = r.total.stats.ewtWithin;
    return j.dump(2) + "\n";
}

std::string formatTicketsCsv(const SimResult& result) {
    std::string out =
        "id,number,service,issued,ahead,ewt_s,called,started,finished,window,wait_s,need_s,"
        "status\n";
    auto opt = [](const std::optional<WallTime>& t) { return t ? formatIso(*t) : std::string{}; };
    char buf[64];
    for (const auto& t : result.tickets) {
        out += std::to_string(t.id) + "," + t.number + "," + t.service + "," +
               formatIso(t.issuedAt) + "," + std::to_string(t.ahead) + "," +
               (t.ewtSeconds ? std::to_string(*t.ewtSeconds) : "") + "," + opt(t.calledAt) + "," +
               opt(t.startedAt) + "," + opt(t.finishedAt) + "," + std::to_string(t.window) + ",";
        const auto wait = t.waitSeconds();
        std::snprintf(buf, sizeof buf, "%.1f", wait.value_or(-1));
        out += wait ? buf : "";
        std::snprintf(buf, sizeof buf, ",%.1f,", t.needSeconds);
        out += buf;
        out += std::string(toString(t.finalStatus)) + "\n";
    }
    return out;
}

}  // namespace talon::sim
