// ReadingStore implementation: every check runs under QueueStore's lock in the check half of
// one write step (so two kiosks cannot both get the month's reading in), the inserts in its
// write half; a repeated idempotency key answers the stored submission again.
#include "talon/server/reading_store.h"

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "talon/server/account_directory.h"

namespace talon::server {
namespace {

using nlohmann::json;

/// Internal: the key was used before for the same request; submit() answers the stored one.
constexpr const char* kReplay = "reading_replay";

Error badField(const std::string& detailKey) {
    Error e = makeError(ErrorKind::Invalid, "bad_request", detailKey);
    e.params = {{"detail", detailKey}};
    return e;
}

/// Days since 1970-01-01 of a valid YYYY-MM-DD (H. Hinnant's days_from_civil).
int64_t daysOf(const std::string& date) {
    int y = std::stoi(date.substr(0, 4));
    const unsigned m = static_cast<unsigned>(std::stoi(date.substr(5, 2)));
    const unsigned d = static_cast<unsigned>(std::stoi(date.substr(8, 2)));
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<int64_t>(era) * 146097 + static_cast<int64_t>(doe) - 719468;
}

/// "2026-11-20" → "20.11.2026", as dates are written in the office.
std::string dateText(const std::string& iso) {
    if (iso.size() != 10) return iso;
    return iso.substr(8, 2) + "." + iso.substr(5, 2) + "." + iso.substr(0, 4);
}

/// The catalog entry naming a zone in a sentence ("@" makes HttpApi translate it).
std::string zoneName(const std::string& zone) {
    return "@error.zone." + zone;
}

std::string problemName(meter::ParseError e) {
    // The API's names; meter::toString says "too_many_digits" for the whole part.
    switch (e) {
        case meter::ParseError::Empty:
            return "empty";
        case meter::ParseError::NotANumber:
            return "not_a_number";
        case meter::ParseError::TooManyWhole:
            return "too_many_whole";
        case meter::ParseError::TooManyDecimals:
            return "too_many_decimals";
    }
    return "not_a_number";
}

/// kWh as the register would show them (rounded to its step).
std::string formatKwh(double kwh, const meter::Register& reg) {
    const double units = std::round(kwh * static_cast<double>(reg.scale()));
    return meter::format(static_cast<int64_t>(std::max(0.0, units)), reg);
}

/// Everything a submission that passed every check writes.
struct Plan {
    std::string serial;
    std::string period;
    std::string takenOn;
    WallTime takenAt{};
    int year = 0;
    int64_t seq = 0;
    bool outsideWindow = false;
    bool confirmed = false;
    int decimalDigits = 0;
    struct Zone {
        std::string zone;
        int64_t value = 0;
        std::optional<int64_t> previous;
        int64_t consumption = 0;
        bool rollover = false;
    };
    std::vector<Zone> zones;
};

std::optional<ReadingReceipt> loadReceipt(SQLite::Database& db, int64_t id) {
    SQLite::Statement s(
        db,
        "SELECT confirmation, account_number, meter, serial, period, taken_at, accepted_at, "
        "outside_window, confirmed, local_code FROM reading_submissions WHERE id = ?");
    s.bind(1, id);
    if (!s.executeStep()) return std::nullopt;
    ReadingReceipt r;
    r.confirmation = s.getColumn(0).getString();
    r.account = s.getColumn(1).getString();
    r.meter = s.getColumn(2).getInt();
    r.serial = maskSerial(s.getColumn(3).getString());
    r.period = s.getColumn(4).getString();
    r.takenAt = fromMillis(s.getColumn(5).getInt64());
    r.acceptedAt = fromMillis(s.getColumn(6).getInt64());
    r.outsideWindow = s.getColumn(7).getInt() != 0;
    r.confirmed = s.getColumn(8).getInt() != 0;
    if (!s.getColumn(9).isNull()) r.localCode = s.getColumn(9).getString();
    SQLite::Statement z(db,
                        "SELECT zone, value, previous, consumption, rollover, decimal_digits FROM "
                        "submitted_readings "
                        "WHERE submission_id = ? ORDER BY position");
    z.bind(1, id);
    while (z.executeStep()) {
        meter::Register reg;
        reg.wholeDigits = 9;
        reg.decimalDigits = z.getColumn(5).getInt();
        AcceptedZone a;
        a.zone = z.getColumn(0).getString();
        a.value = meter::format(z.getColumn(1).getInt64(), reg);
        if (!z.getColumn(2).isNull()) a.previous = meter::format(z.getColumn(2).getInt64(), reg);
        a.consumption = meter::format(z.getColumn(3).getInt64(), reg);
        a.rollover = z.getColumn(4).getInt() != 0;
        r.readings.push_back(std::move(a));
    }
    return r;
}

}  // namespace

std::string confirmationNumber(int year, int64_t seq) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "R-%04d-%06lld", year, static_cast<long long>(seq));
    return buf;
}

std::optional<WallTime> parseTakenAt(std::string_view text) {
    if (text.size() == 20 && text.back() == 'Z') {  // without milliseconds
        return parseIso(std::string(text.substr(0, 19)) + ".000Z");
    }
    return parseIso(text);
}

bool validLocalCode(std::string_view code) {
    if (code.empty() || code.size() > 16) return false;
    return std::all_of(code.begin(), code.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    });
}

meter::Rules ReadingStore::rules() const {
    meter::Rules r;
    r.implausibleFactor = m_config.implausibleFactor;
    r.windowFirstDay = m_config.windowFirstDay;
    r.windowLastDay = m_config.windowLastDay;
    return r;
}

Result<SubmitResult> ReadingStore::submit(const ReadingRequest& request) {
    json values = json::object();
    for (const auto& [zone, text] : request.values) values[zone] = text;
    const std::string fingerprint =
        json{{"account", request.account}, {"meter", request.meter}, {"values", values}}.dump();
    const BusinessCalendar& calendar = m_store.calendar();
    const meter::Rules rules = this->rules();

    Plan plan;
    int64_t storedId = 0;
    Status st = m_store.writeStep(
        [&](SQLite::Database& db, WallTime now) -> Status {
            {
                SQLite::Statement key(
                    db,
                    "SELECT id, fingerprint FROM reading_submissions WHERE idempotency_key = ?");
                key.bind(1, request.idempotencyKey);
                if (key.executeStep()) {
                    if (key.getColumn(1).getString() != fingerprint) {
                        return makeError(ErrorKind::Conflict, "idempotency_conflict",
                                         "key used for another request");
                    }
                    storedId = key.getColumn(0).getInt64();
                    return makeError(ErrorKind::Internal, kReplay, "");
                }
            }
            WallTime takenAt = request.takenAt.value_or(now);
            if (takenAt > now + kTakenAtMaxAhead || takenAt < now - kTakenAtMaxAge) {
                return badField("detail.reading_taken_at_range");
            }
            takenAt = std::min(takenAt, now);
            if (!validAccountNumber(request.account)) return badField("detail.account_number");

            SQLite::Statement account(db, "SELECT status FROM accounts WHERE number = ?");
            account.bind(1, request.account);
            if (!account.executeStep()) {
                Error e = makeError(ErrorKind::NotFound, "unknown_account",
                                    "no account " + request.account);
                e.params = {{"account", request.account}};
                return e;
            }
            if (account.getColumn(0).getString() != "active") {
                Error e = makeError(ErrorKind::Conflict, "account_closed", "account closed");
                e.params = {{"account", request.account}};
                return e;
            }

            SQLite::Statement m(db,
                                "SELECT serial, tariff, whole_digits, decimal_digits, "
                                "usual_kwh_per_day FROM meters "
                                "WHERE account_number = ? ORDER BY serial LIMIT 1 OFFSET ?");
            m.bind(1, request.account);
            m.bind(2, request.meter - 1);
            if (request.meter < 1 || !m.executeStep()) {
                Error e = makeError(ErrorKind::NotFound, "unknown_meter", "no such meter");
                e.params = {{"meter", std::to_string(request.meter)}};
                return e;
            }
            plan.serial = m.getColumn(0).getString();
            if (request.serial && *request.serial != maskSerial(plan.serial)) {
                Error e =
                    makeError(ErrorKind::Conflict, "meter_changed", "the serial does not match");
                e.params = {{"meter", std::to_string(request.meter)}};
                return e;
            }
            const meter::Tariff tariff =
                meter::tariffFromString(m.getColumn(1).getString()).value_or(meter::Tariff::Single);
            meter::Register reg;
            reg.wholeDigits = m.getColumn(2).getInt();
            reg.decimalDigits = m.getColumn(3).getInt();
            plan.decimalDigits = reg.decimalDigits;
            std::optional<double> usual;
            if (!m.getColumn(4).isNull()) usual = m.getColumn(4).getDouble();

            const std::vector<std::string>& zones = meter::zonesOf(tariff);
            bool sameZones = request.values.size() == zones.size();
            for (const auto& [zone, text] : request.values) {
                if (std::find(zones.begin(), zones.end(), zone) == zones.end()) sameZones = false;
            }
            if (!sameZones) {
                std::string list;
                for (const auto& z : zones) list += (list.empty() ? "" : ", ") + z;
                Error e = badField("detail.reading_zones");
                e.params.push_back({"zones", list});
                return e;
            }

            const BusinessCalendar::Local local = calendar.local(takenAt);
            plan.takenAt = takenAt;
            plan.takenOn = local.date;
            plan.period = local.date.substr(0, 7);
            const int dayOfMonth = std::stoi(local.date.substr(8, 2));

            SQLite::Statement dup(
                db,
                "SELECT r.zone, s.taken_on FROM submitted_readings r JOIN reading_submissions s "
                "ON s.id = r.submission_id WHERE r.serial = ? AND r.period = ? ORDER BY r.position "
                "LIMIT 1");
            dup.bind(1, plan.serial);
            dup.bind(2, plan.period);
            if (dup.executeStep()) {
                const std::string on = dup.getColumn(1).getString();
                Error e = makeError(ErrorKind::Conflict, "reading_already_submitted",
                                    "one reading per month");
                e.params = {{"zone", dup.getColumn(0).getString()},
                            {"period", plan.period},
                            {"date", on},
                            {"date_text", dateText(on)}};
                return e;
            }

            std::map<std::string, std::pair<int64_t, std::string>> last;  // zone → (value, read_on)
            SQLite::Statement prev(
                db, "SELECT zone, value, read_on FROM meter_last_readings WHERE serial = ?");
            prev.bind(1, plan.serial);
            while (prev.executeStep()) {
                last[prev.getColumn(0).getString()] = {prev.getColumn(1).getInt64(),
                                                       prev.getColumn(2).getString()};
            }

            // Every value must be a number first: the visitor corrects typing before anything else.
            std::vector<int64_t> parsed;
            for (const std::string& zone : zones) {
                const auto it = std::find_if(request.values.begin(), request.values.end(),
                                             [&](const auto& v) { return v.first == zone; });
                const meter::Parsed p = meter::parse(it->second, reg);
                if (!p.value) {
                    Error e = makeError(ErrorKind::Invalid, "reading_format", "not a reading");
                    e.params = {{"zone", zone},
                                {"problem", problemName(*p.error)},
                                {"zone_name", zoneName(zone)},
                                {"whole", std::to_string(reg.wholeDigits)},
                                {"decimals", std::to_string(reg.decimalDigits)}};
                    if (reg.decimalDigits == 0)
                        e.params.push_back({"message_key", "error.reading_format_whole"});
                    return e;
                }
                parsed.push_back(*p.value);
            }

            for (size_t i = 0; i < zones.size(); ++i) {
                meter::History history;
                history.usualPerDay = usual;
                if (auto it = last.find(zones[i]); it != last.end()) {
                    history.previous = it->second.first;
                    history.daysSincePrevious = static_cast<int>(
                        std::max<int64_t>(0, daysOf(plan.takenOn) - daysOf(it->second.second)));
                }
                const meter::Check c =
                    meter::check(parsed[i], reg, history, rules, dayOfMonth, request.confirmed);
                if (c.verdict == meter::Verdict::BelowPrevious) {
                    Error e = makeError(ErrorKind::Invalid, "reading_below_previous",
                                        "below the previous reading");
                    e.params = {{"zone", zones[i]},
                                {"previous", meter::format(*history.previous, reg)},
                                {"value", meter::format(parsed[i], reg)},
                                {"zone_name", zoneName(zones[i])}};
                    return e;
                }
                if (c.verdict == meter::Verdict::NeedsConfirmation) {
                    const double days = std::max(1, history.daysSincePrevious.value_or(1));
                    Error e = makeError(ErrorKind::Invalid, "reading_needs_confirmation",
                                        "implausible consumption");
                    e.params = {{"zone", zones[i]},
                                {"consumption", meter::format(c.consumption, reg)},
                                {"usual", formatKwh(*usual * days, reg)},
                                {"days", std::to_string(static_cast<int>(days))},
                                {"zone_name", zoneName(zones[i])}};
                    return e;
                }
                plan.outsideWindow = c.outsideWindow;
                plan.confirmed = plan.confirmed || c.confirmed;
                plan.zones.push_back(
                    {zones[i], parsed[i], history.previous, c.consumption, c.rollover});
            }

            plan.year = std::stoi(calendar.local(now).date.substr(0, 4));
            SQLite::Statement seq(
                db, "SELECT COALESCE(MAX(seq), 0) + 1 FROM reading_submissions WHERE year = ?");
            seq.bind(1, plan.year);
            seq.executeStep();
            plan.seq = seq.getColumn(0).getInt64();
            return okStatus();
        },
        [&](QueueStore::StepWriter& w) {
            SQLite::Database& db = w.db();
            SQLite::Statement ins(db,
                                  "INSERT INTO reading_submissions(confirmation, year, seq, "
                                  "idempotency_key, fingerprint, account_number, "
                                  "meter, serial, period, taken_at, taken_on, accepted_at, "
                                  "outside_window, confirmed, kiosk, local_code) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            ins.bind(1, confirmationNumber(plan.year, plan.seq));
            ins.bind(2, plan.year);
            ins.bind(3, plan.seq);
            ins.bind(4, request.idempotencyKey);
            ins.bind(5, fingerprint);
            ins.bind(6, request.account);
            ins.bind(7, request.meter);
            ins.bind(8, plan.serial);
            ins.bind(9, plan.period);
            ins.bind(10, toMillis(plan.takenAt));
            ins.bind(11, plan.takenOn);
            ins.bind(12, toMillis(w.now()));
            ins.bind(13, plan.outsideWindow ? 1 : 0);
            ins.bind(14, plan.confirmed ? 1 : 0);
            if (request.kiosk.empty()) {
                ins.bind(15);
            } else {
                ins.bind(15, request.kiosk);
            }
            if (request.localCode) {
                ins.bind(16, *request.localCode);
            } else {
                ins.bind(16);
            }
            ins.exec();
            storedId = db.getLastInsertRowid();
            SQLite::Statement zone(db,
                                   "INSERT INTO submitted_readings(submission_id, serial, zone, "
                                   "period, position, value, "
                                   "previous, consumption, rollover, decimal_digits) VALUES (?, ?, "
                                   "?, ?, ?, ?, ?, ?, ?, ?)");
            // The accepted value is the zone's last reading now, unless the billing system has a
            // later one already (an outbox delivering an older reading).
            SQLite::Statement last(
                db,
                "INSERT INTO meter_last_readings(serial, zone, value, read_on) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(serial, zone) DO UPDATE SET value = excluded.value, read_on = "
                "excluded.read_on WHERE excluded.read_on >= meter_last_readings.read_on");
            for (size_t i = 0; i < plan.zones.size(); ++i) {
                const Plan::Zone& z = plan.zones[i];
                zone.bind(1, storedId);
                zone.bind(2, plan.serial);
                zone.bind(3, z.zone);
                zone.bind(4, plan.period);
                zone.bind(5, static_cast<int>(i));
                zone.bind(6, z.value);
                if (z.previous) {
                    zone.bind(7, *z.previous);
                } else {
                    zone.bind(7);
                }
                zone.bind(8, z.consumption);
                zone.bind(9, z.rollover ? 1 : 0);
                zone.bind(10, plan.decimalDigits);
                zone.exec();
                zone.reset();
                last.bind(1, plan.serial);
                last.bind(2, z.zone);
                last.bind(3, z.value);
                last.bind(4, plan.takenOn);
                last.exec();
                last.reset();
            }
        });
    bool replayed = false;
    if (!st) {
        if (st.error().code != kReplay) return st.error();
        replayed = true;
    }
    std::optional<ReadingReceipt> receipt;
    Status read =
        m_store.readStep([&](SQLite::Database& db) { receipt = loadReceipt(db, storedId); });
    if (!read) return read.error();
    if (!receipt)
        return makeError(ErrorKind::Storage, "storage", "the stored submission is missing");
    return SubmitResult{std::move(*receipt), replayed};
}

}  // namespace talon::server
