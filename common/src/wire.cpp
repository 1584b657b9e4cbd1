// JSON conversions of the wire format; nlohmann exceptions are caught here and become Errors.
#include "talon/common/wire.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace talon::wire {
namespace {

using nlohmann::json;

json optTime(const std::optional<WallTime>& t) { return t ? json(formatIso(*t)) : json(nullptr); }

// Small checked accessors: every malformed field throws ParseError, caught at the API edge.
struct ParseError {
    std::string what;
};

const json& field(const json& j, const char* name) {
    if (!j.is_object()) throw ParseError{"expected an object"};
    auto it = j.find(name);
    if (it == j.end()) throw ParseError{std::string("missing field ") + name};
    return *it;
}
std::string str(const json& j, const char* name) {
    const json& v = field(j, name);
    if (!v.is_string()) throw ParseError{std::string(name) + " is not a string"};
    return v.get<std::string>();
}
int64_t integer(const json& j, const char* name) {
    const json& v = field(j, name);
    if (!v.is_number_integer()) throw ParseError{std::string(name) + " is not an integer"};
    return v.get<int64_t>();
}
WallTime time(const json& j, const char* name) {
    auto t = parseIso(str(j, name));
    if (!t) throw ParseError{std::string(name) + " is not an ISO time"};
    return *t;
}
std::optional<WallTime> optTimeField(const json& j, const char* name) {
    auto it = j.find(name);
    if (it == j.end() || it->is_null()) return std::nullopt;
    return time(j, name);
}
LocalizedText names(const json& j) {
    LocalizedText out;
    const json& n = field(j, "names");
    if (!n.is_object()) throw ParseError{"names is not an object"};
    for (auto& [k, v] : n.items()) {
        if (!v.is_string()) throw ParseError{"names." + k + " is not a string"};
        out[k] = v.get<std::string>();
    }
    return out;
}

Ticket ticketFrom(const json& j) {
    Ticket t;
    t.id = integer(j, "id");
    t.number = str(j, "number");
    t.service = str(j, "service");
    auto st = ticketStatusFromString(str(j, "status"));
    if (!st) throw ParseError{"unknown status"};
    t.status = *st;
    auto pr = priorityFromString(str(j, "priority"));
    if (!pr) throw ParseError{"unknown priority"};
    t.priority = *pr;
    t.issuedAt = time(j, "issued_at");
    t.calledAt = optTimeField(j, "called_at");
    t.finishedAt = optTimeField(j, "finished_at");
    if (auto it = j.find("window"); it != j.end() && !it->is_null()) {
        t.window = static_cast<int>(integer(j, "window"));
    }
    if (auto it = j.find("ahead"); it != j.end() && !it->is_null()) {
        t.ahead = static_cast<int>(integer(j, "ahead"));
    }
    t.startedAt = optTimeField(j, "started_at");
    t.appointmentAt = optTimeField(j, "appointment_at");
    if (auto it = j.find("recalls"); it != j.end()) t.recalls = static_cast<int>(integer(j, "recalls"));
    if (auto it = j.find("outcome"); it != j.end() && !it->is_null()) t.outcome = str(j, "outcome");
    if (auto it = j.find("assigned_window"); it != j.end() && !it->is_null()) {
        t.assignedWindow = static_cast<int>(integer(j, "assigned_window"));
    }
    if (auto it = j.find("ewt_seconds"); it != j.end() && !it->is_null()) {
        t.ewtSeconds = static_cast<int>(integer(j, "ewt_seconds"));
    }
    return t;
}

Service serviceFrom(const json& j) {
    Service s;
    s.id = integer(j, "id");
    s.letter = str(j, "letter");
    s.names = names(j);
    s.waiting = static_cast<int>(integer(j, "waiting"));
    if (auto it = j.find("ewt_seconds"); it != j.end() && !it->is_null()) {
        s.ewtSeconds = static_cast<int>(integer(j, "ewt_seconds"));
    }
    if (auto it = j.find("open"); it != j.end()) {
        if (!it->is_boolean()) throw ParseError{"open is not a boolean"};
        s.availability.open = it->get<bool>();
    }
    if (auto it = j.find("reason"); it != j.end() && !it->is_null()) {
        s.availability.reason = str(*it, "code");
        s.availability.message = str(*it, "message");
    }
    s.availability.opensAt = optTimeField(j, "opens_at");
    s.availability.closesAt = optTimeField(j, "closes_at");
    s.oldestIssuedAt = optTimeField(j, "oldest_issued_at");
    return s;
}

Window windowFrom(const json& j) {
    Window w;
    w.number = static_cast<int>(integer(j, "number"));
    w.name = str(j, "name");
    const json& svc = field(j, "services");
    if (!svc.is_array()) throw ParseError{"services is not an array"};
    for (const json& s : svc) {
        const json& weight = field(s, "weight");
        if (!weight.is_number()) throw ParseError{"weight is not a number"};
        w.services.push_back({str(s, "service"), weight.get<double>()});
    }
    if (auto it = j.find("current"); it != j.end() && !it->is_null()) w.current = ticketFrom(*it);
    if (auto it = j.find("state"); it != j.end()) w.state = str(j, "state") == "paused" ? WindowState::Paused : WindowState::Open;
    if (auto it = j.find("pause_reason"); it != j.end() && !it->is_null()) w.pauseReason = str(j, "pause_reason");
    return w;
}

Announcement announcementFrom(const json& j) {
    Announcement a;
    a.id = integer(j, "id");
    const json& texts = field(j, "texts");
    if (!texts.is_object()) throw ParseError{"texts is not an object"};
    for (auto& [k, v] : texts.items()) {
        if (!v.is_string()) throw ParseError{"texts." + k + " is not a string"};
        a.texts[k] = v.get<std::string>();
    }
    if (auto it = j.find("image"); it != j.end() && !it->is_null()) a.image = str(j, "image");
    a.startsAt = optTimeField(j, "starts_at");
    a.endsAt = optTimeField(j, "ends_at");
    a.priority = str(j, "priority");
    a.createdAt = time(j, "created_at");
    return a;
}

std::vector<Announcement> announcementsFrom(const json& arr) {
    if (!arr.is_array()) throw ParseError{"announcements is not an array"};
    std::vector<Announcement> out;
    for (const json& a : arr) out.push_back(announcementFrom(a));
    return out;
}

std::vector<Service> servicesFrom(const json& arr) {
    if (!arr.is_array()) throw ParseError{"services is not an array"};
    std::vector<Service> out;
    for (const json& s : arr) out.push_back(serviceFrom(s));
    return out;
}

template <class F>
auto parseWith(std::string_view body, F&& f) -> Result<decltype(f(json{}))> {
    try {
        json j = json::parse(body);
        return f(j);
    } catch (const ParseError& e) {
        return makeError(ErrorKind::BadResponse, "bad_response", e.what);
    } catch (const json::exception& e) {
        return makeError(ErrorKind::BadResponse, "bad_response", e.what());
    }
}

}  // namespace

json toJson(const Ticket& t) {
    json j = {{"id", t.id},
              {"number", t.number},
              {"service", t.service},
              {"status", toString(t.status)},
              {"priority", toString(t.priority)},
              {"issued_at", formatIso(t.issuedAt)},
              {"called_at", optTime(t.calledAt)},
              {"finished_at", optTime(t.finishedAt)},
              {"window", t.window ? json(*t.window) : json(nullptr)},
              {"started_at", optTime(t.startedAt)},
              {"recalls", t.recalls},
              {"outcome", t.outcome.empty() ? json(nullptr) : json(t.outcome)},
              {"assigned_window", t.assignedWindow ? json(*t.assignedWindow) : json(nullptr)}};
    if (t.appointmentAt) j["appointment_at"] = formatIso(*t.appointmentAt);
    if (t.ahead) j["ahead"] = *t.ahead;
    if (t.ewtSeconds) j["ewt_seconds"] = *t.ewtSeconds;
    return j;
}

json toJson(const Service& s) {
    const auto& a = s.availability;
    return {{"id", s.id},
            {"letter", s.letter},
            {"names", s.names},
            {"waiting", s.waiting},
            {"ewt_seconds", s.ewtSeconds ? json(*s.ewtSeconds) : json(nullptr)},
            {"open", a.open},
            {"reason", a.reason.empty() ? json(nullptr) : json{{"code", a.reason}, {"message", a.message}}},
            {"opens_at", optTime(a.opensAt)},
            {"closes_at", optTime(a.closesAt)},
            {"oldest_issued_at", optTime(s.oldestIssuedAt)}};
}

json toJson(const Window& w) {
    json services = json::array();
    for (const auto& s : w.services) services.push_back({{"service", s.service}, {"weight", s.weight}});
    return {{"number", w.number},
            {"name", w.name},
            {"services", services},
            {"current", w.current ? toJson(*w.current) : json(nullptr)},
            {"state", toString(w.state)},
            {"pause_reason", w.pauseReason.empty() ? json(nullptr) : json(w.pauseReason)}};
}

json toJson(const BoardCall& c) {
    return {{"ticket_id", c.ticketId},     {"number", c.number},
            {"service", c.service},        {"window", c.window},
            {"called_at", formatIso(c.calledAt)}, {"status", toString(c.status)},
            {"recalls", c.recalls}};
}

json toJson(const Board& b) {
    json calls = json::array();
    for (const auto& c : b.calls) calls.push_back(toJson(c));
    json services = json::array();
    for (const auto& s : b.services) services.push_back(toJson(s));
    json announcements = json::array();
    for (const auto& a : b.announcements) announcements.push_back(toJson(a));
    json windows = json::array();
    for (const auto& w : b.windows) windows.push_back({{"number", w.number}, {"name", w.name}});
    // serverNow travels in the X-Server-Time header: the body stays the same while nothing changes.
    return {{"calls", calls},   {"services", services},           {"last_event_id", b.lastEventId},
            {"log_id", b.logId}, {"announcements", announcements}, {"windows", windows}};
}

json toJson(const Announcement& a) {
    return {{"id", a.id},
            {"texts", a.texts},
            {"image", a.image.empty() ? json(nullptr) : json(a.image)},
            {"starts_at", optTime(a.startsAt)},
            {"ends_at", optTime(a.endsAt)},
            {"priority", a.priority},
            {"created_at", formatIso(a.createdAt)}};
}

json eventData(const Ticket& t, const std::map<std::string, int>& waiting) {
    return {{"ticket", toJson(t)}, {"waiting", waiting}};
}

Result<Ticket> parseTicket(std::string_view body) {
    return parseWith(body, [](const json& j) { return ticketFrom(j); });
}

Result<std::vector<Service>> parseServices(std::string_view body) {
    return parseWith(body, [](const json& j) { return servicesFrom(field(j, "services")); });
}

Result<Window> parseWindow(std::string_view body) {
    return parseWith(body, [](const json& j) { return windowFrom(j); });
}

Result<std::vector<Window>> parseWindows(std::string_view body) {
    return parseWith(body, [](const json& j) {
        const json& arr = field(j, "windows");
        if (!arr.is_array()) throw ParseError{"windows is not an array"};
        std::vector<Window> out;
        for (const json& w : arr) out.push_back(windowFrom(w));
        return out;
    });
}

namespace {
constexpr std::array<const char*, 7> kWeekdays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

int clockField(const json& j, const char* name) {
    const std::string text = str(j, name);
    int h = 0, m = 0;
    char extra = 0;
    if (text.size() != 5 || std::sscanf(text.c_str(), "%d:%d%c", &h, &m, &extra) != 2 || h < 0 || m < 0 ||
        m > 59 || h * 60 + m > 24 * 60) {
        throw ParseError{std::string(name) + " is not a time HH:MM"};
    }
    return h * 60 + m;
}
}  // namespace

std::string clockText(int minute) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d:%02d", minute / 60 % 100, minute % 60);
    return buf;
}

json toJson(const OfficeInfo& o) {
    json hours = json::array();
    for (const auto& h : o.hours) {
        hours.push_back({{"day", kWeekdays.at(static_cast<size_t>(h.weekday))},
                         {"open", clockText(h.openMinute)},
                         {"close", clockText(h.closeMinute)}});
    }
    json categories = json::array();
    for (const auto& c : o.appealCategories) {
        categories.push_back({{"id", c.id},
                              {"names", c.names},
                              {"deadline_working_days", c.deadlineWorkingDays},
                              {"urgent", c.urgent}});
    }
    return {{"names", o.names}, {"public_url", o.publicUrl}, {"timezone", o.timezone},          {"today", o.today},
            {"hours", hours},   {"holidays", o.holidays},     {"appeal_categories", categories}};
}

json toJson(const DeviceStatus& d) {
    return {{"id", d.id},
            {"kind", d.kind},
            {"printer", d.printer},
            {"detail", d.detail},
            {"updated_at", formatIso(d.updatedAt)}};
}

Result<OfficeInfo> parseOffice(std::string_view body) {
    return parseWith(body, [](const json& j) {
        OfficeInfo o;
        o.names = names(j);
        o.publicUrl = str(j, "public_url");
        o.timezone = str(j, "timezone");
        o.today = str(j, "today");
        const json& hours = field(j, "hours");
        if (!hours.is_array()) throw ParseError{"hours is not an array"};
        for (const json& h : hours) {
            DayHours d;
            const std::string day = str(h, "day");
            auto it = std::find(kWeekdays.begin(), kWeekdays.end(), day);
            if (it == kWeekdays.end()) throw ParseError{"hours.day is not a weekday"};
            d.weekday = static_cast<int>(it - kWeekdays.begin());
            d.openMinute = clockField(h, "open");
            d.closeMinute = clockField(h, "close");
            o.hours.push_back(d);
        }
        const json& holidays = field(j, "holidays");
        if (!holidays.is_array()) throw ParseError{"holidays is not an array"};
        for (const json& d : holidays) {
            if (!d.is_string()) throw ParseError{"holidays contains a non-string"};
            o.holidays.push_back(d.get<std::string>());
        }
        // Appeal categories came later: a server without them sends none.
        if (auto it = j.find("appeal_categories"); it != j.end()) {
            if (!it->is_array()) throw ParseError{"appeal_categories is not an array"};
            for (const json& c : *it) {
                AppealCategory cat;
                cat.id = str(c, "id");
                if (cat.id.empty()) throw ParseError{"appeal_categories.id is empty"};
                if (c.contains("names")) cat.names = names(c);
                const json& days = field(c, "deadline_working_days");
                if (!days.is_number_integer()) throw ParseError{"appeal_categories.deadline_working_days"};
                cat.deadlineWorkingDays = days.get<int>();
                const json& urgent = field(c, "urgent");
                if (!urgent.is_boolean()) throw ParseError{"appeal_categories.urgent is not a boolean"};
                cat.urgent = urgent.get<bool>();
                o.appealCategories.push_back(std::move(cat));
            }
        }
        return o;
    });
}

Result<Announcement> parseAnnouncement(std::string_view body) {
    return parseWith(body, [](const json& j) { return announcementFrom(j); });
}

Result<std::vector<Announcement>> parseAnnouncements(std::string_view body) {
    return parseWith(body, [](const json& j) { return announcementsFrom(field(j, "announcements")); });
}

Result<Board> parseBoard(std::string_view body) {
    return parseWith(body, [](const json& j) {
        Board b;
        const json& calls = field(j, "calls");
        if (!calls.is_array()) throw ParseError{"calls is not an array"};
        for (const json& c : calls) {
            BoardCall call;
            call.ticketId = integer(c, "ticket_id");
            call.number = str(c, "number");
            call.service = str(c, "service");
            call.window = static_cast<int>(integer(c, "window"));
            call.calledAt = time(c, "called_at");
            auto st = ticketStatusFromString(str(c, "status"));
            if (!st) throw ParseError{"unknown status"};
            call.status = *st;
            if (auto r = c.find("recalls"); r != c.end()) call.recalls = static_cast<int>(integer(c, "recalls"));
            b.calls.push_back(std::move(call));
        }
        b.services = servicesFrom(field(j, "services"));
        b.lastEventId = integer(j, "last_event_id");
        b.logId = str(j, "log_id");
        // Added later: a snapshot from an older server has neither.
        if (auto it = j.find("announcements"); it != j.end()) b.announcements = announcementsFrom(*it);
        if (auto it = j.find("windows"); it != j.end()) {
            if (!it->is_array()) throw ParseError{"windows is not an array"};
            for (const json& w : *it) b.windows.push_back({static_cast<int>(integer(w, "number")), str(w, "name")});
        }
        return b;
    });
}

Result<QueueEvent> parseEvent(int64_t id, std::string_view type, std::string_view data) {
    return parseWith(data, [&](const json& j) {
        QueueEvent e;
        e.id = id;
        e.type = std::string(type);
        if (auto it = j.find("ticket"); it != j.end() && !it->is_null()) e.ticket = ticketFrom(*it);
        if (auto it = j.find("window"); it != j.end() && !it->is_null()) e.window = static_cast<int>(integer(j, "window"));
        if (auto it = j.find("announcement"); it != j.end() && !it->is_null()) e.announcement = announcementFrom(*it);
        if (auto it = j.find("announcement_id"); it != j.end() && !it->is_null()) {
            e.announcementId = integer(j, "announcement_id");
        }
        if (auto it = j.find("waiting"); it != j.end()) {
            if (!it->is_object()) throw ParseError{"waiting is not an object"};
            for (auto& [k, v] : it->items()) {
                if (!v.is_number_integer()) throw ParseError{"waiting." + k + " is not an integer"};
                e.waiting[k] = v.get<int>();
            }
        }
        if (auto it = j.find("ewt"); it != j.end()) {
            if (!it->is_object()) throw ParseError{"ewt is not an object"};
            for (auto& [k, v] : it->items()) {
                if (v.is_null()) {
                    e.ewt[k] = std::nullopt;
                } else if (v.is_number_integer()) {
                    e.ewt[k] = v.get<int>();
                } else {
                    throw ParseError{"ewt." + k + " is not an integer"};
                }
            }
        }
        return e;
    });
}

namespace {

std::optional<std::string> optStr(const json& j, const char* name) {
    auto it = j.find(name);
    if (it == j.end() || it->is_null()) return std::nullopt;
    return str(j, name);
}
std::optional<double> optNumber(const json& j, const char* name) {
    auto it = j.find(name);
    if (it == j.end() || it->is_null()) return std::nullopt;
    if (!it->is_number()) throw ParseError{std::string(name) + " is not a number"};
    return it->get<double>();
}
bool boolean(const json& j, const char* name) {
    const json& v = field(j, name);
    if (!v.is_boolean()) throw ParseError{std::string(name) + " is not true or false"};
    return v.get<bool>();
}
int smallInt(const json& j, const char* name, int lo, int hi) {
    const int64_t v = integer(j, name);
    if (v < lo || v > hi) throw ParseError{std::string(name) + " is out of range"};
    return static_cast<int>(v);
}

}  // namespace

Result<MeterAccount> parseMeterAccount(std::string_view body) {
    return parseWith(body, [](const json& j) {
        MeterAccount a;
        a.number = str(j, "account");
        a.holder = str(j, "holder");
        a.address = str(j, "address");
        a.status = str(j, "status");
        a.today = str(j, "today");
        a.period = str(j, "period");
        const json& rules = field(j, "rules");
        a.implausibleFactor = optNumber(rules, "implausible_factor").value_or(3.0);
        a.windowFirstDay = smallInt(rules, "window_first_day", 1, 31);
        a.windowLastDay = smallInt(rules, "window_last_day", 1, 31);
        a.rolloverShare = optNumber(rules, "rollover_share").value_or(0.1);
        const json& meters = field(j, "meters");
        if (!meters.is_array()) throw ParseError{"meters is not an array"};
        for (const json& m : meters) {
            MeterInfo info;
            info.number = smallInt(m, "meter", 1, 1000);
            info.serial = str(m, "serial");
            info.tariff = str(m, "tariff");
            info.wholeDigits = smallInt(m, "whole_digits", 1, 9);
            info.decimalDigits = smallInt(m, "decimal_digits", 0, 3);
            const json& zones = field(m, "zones");
            if (!zones.is_array() || zones.empty()) throw ParseError{"zones is not a list of zones"};
            for (const json& z : zones) info.zones.push_back({str(z, "zone"), optStr(z, "last"), optStr(z, "read_on")});
            info.usualPerDay = optNumber(m, "usual_kwh_per_day");
            info.calibrationDue = optStr(m, "calibration_due");
            info.calibrationOverdue = boolean(m, "calibration_overdue");
            info.submittedOn = optStr(m, "submitted_on");
            a.meters.push_back(std::move(info));
        }
        return a;
    });
}

json toJson(const ReadingSubmission& s) {
    json values = json::object();
    for (const auto& [zone, value] : s.values) values[zone] = value;
    json j = {{"account", s.account}, {"meter", s.meter}, {"values", std::move(values)}, {"confirmed", s.confirmed}};
    if (!s.serial.empty()) j["serial"] = s.serial;
    if (s.takenAt) j["taken_at"] = formatIso(*s.takenAt);
    if (!s.localCode.empty()) j["local_code"] = s.localCode;
    return j;
}

Result<ReadingReceipt> parseReadingReceipt(std::string_view body) {
    return parseWith(body, [](const json& j) {
        ReadingReceipt r;
        r.confirmation = str(j, "confirmation");
        r.account = str(j, "account");
        r.meter = smallInt(j, "meter", 1, 1000);
        r.serial = str(j, "serial");
        r.period = str(j, "period");
        r.takenAt = time(j, "taken_at");
        r.acceptedAt = time(j, "accepted_at");
        r.outsideWindow = boolean(j, "outside_window");
        r.confirmed = boolean(j, "confirmed");
        r.localCode = optStr(j, "local_code").value_or("");
        const json& readings = field(j, "readings");
        if (!readings.is_array()) throw ParseError{"readings is not an array"};
        for (const json& z : readings) {
            r.readings.push_back(
                {str(z, "zone"), str(z, "value"), optStr(z, "previous"), str(z, "consumption"), boolean(z, "rollover")});
        }
        return r;
    });
}

json toJson(const AppealSubmission& s) {
    json j = {{"type", s.type},   {"category", s.category},         {"text", s.text},
              {"name", s.name},   {"reply_channel", s.replyChannel}, {"consent", s.consent}};
    if (!s.phone.empty()) j["phone"] = s.phone;
    if (!s.email.empty()) j["email"] = s.email;
    if (!s.address.empty()) j["address"] = s.address;
    if (!s.account.empty()) j["account"] = s.account;
    if (!s.localCode.empty()) j["local_code"] = s.localCode;
    return j;
}

Result<AppealReceipt> parseAppealReceipt(std::string_view body) {
    return parseWith(body, [](const json& j) {
        AppealReceipt r;
        r.number = str(j, "number");
        r.status = str(j, "status");
        r.category = str(j, "category");
        r.dueOn = str(j, "due_on");
        r.dueOnText = optStr(j, "due_on_text").value_or(r.dueOn);
        r.urgent = boolean(j, "urgent");
        r.localCode = optStr(j, "local_code").value_or("");
        return r;
    });
}

Result<AppealStatus> parseAppealStatus(std::string_view body) {
    return parseWith(body, [](const json& j) {
        AppealStatus r;
        r.number = str(j, "number");
        r.status = str(j, "status");
        r.statusText = optStr(j, "status_text").value_or(r.status);
        r.dueOn = str(j, "due_on");
        r.dueOnText = optStr(j, "due_on_text").value_or(r.dueOn);
        r.extended = boolean(j, "extended");
        return r;
    });
}

Error parseErrorBody(int status, std::string_view body) {
    try {
        json j = json::parse(body);
        const json& e = field(j, "error");
        Error err = makeError(ErrorKind::Http, str(e, "code"), str(e, "message"), status);
        for (auto& [k, v] : e.items()) {
            if (k != "code" && k != "message" && v.is_string()) err.params.emplace_back(k, v.get<std::string>());
        }
        return err;
    } catch (...) {
        return makeError(ErrorKind::Http, "http_" + std::to_string(status),
                         "The server answered with status " + std::to_string(status) + ".",
                         status);
    }
}

}  // namespace talon::wire
