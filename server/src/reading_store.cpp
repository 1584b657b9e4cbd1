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
#include "talon/server/bad_request.h"

namespace talon::server {
namespace {

using nlohmann::json;

/// Internal: the key was used before for the same request; submit() answers the stored one.
constexpr const char* kReplay = "reading_replay";

/// Whole days from `from` to `to` (both YYYY-MM-DD as stored), never negative; 0 when either
/// is not a date (the database's CHECK keeps that from happening).
int daysBetween(const std::string& from, const std::string& to) {
    const auto a = parseIsoDate(from);
    const auto b = parseIsoDate(to);
    if (!a || !b) return 0;
    return static_cast<int>(std::max<int64_t>(0, (*b - *a).count()));
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
    int position = 0;  // the meter's place in the account's list
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
        bool review = false;
    };
    std::vector<Zone> zones;
};

/// One of the account's meters, as the checks need it.
struct MeterRow {
    std::string serial;
    std::string tariff;
    meter::Register reg;
    std::optional<double> usual;
};

Error meterChanged(int position) {
    Error e = makeError(ErrorKind::Conflict, "meter_changed", "the serial does not match");
    e.params = {{"meter", std::to_string(position)}};
    return e;
}

/// The meter a request means among the account's meters (by full serial): the only one whose
/// mask is the serial the kiosk showed, wherever it is now (an import may have added or taken
/// away a meter before it); with several of that mask, the one at the request's place, which
/// must have it; without a serial, the one at the request's place. Index into `meters`.
Result<size_t> resolveMeter(const std::vector<MeterRow>& meters, const ReadingRequest& request) {
    const bool placed = request.meter >= 1 && static_cast<size_t>(request.meter) <= meters.size();
    if (!request.serial) {
        if (placed) return static_cast<size_t>(request.meter - 1);
        Error e = makeError(ErrorKind::NotFound, "unknown_meter", "no such meter");
        e.params = {{"meter", std::to_string(request.meter)}};
        return e;
    }
    std::vector<size_t> same;
    for (size_t i = 0; i < meters.size(); ++i) {
        if (maskSerial(meters[i].serial) == *request.serial) same.push_back(i);
    }
    if (same.size() == 1) return same.front();
    if (same.size() > 1 && placed) {
        const size_t at = static_cast<size_t>(request.meter - 1);
        if (std::find(same.begin(), same.end(), at) != same.end()) return at;
    }
    return meterChanged(request.meter);
}

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
                        "SELECT zone, value, previous, consumption, rollover, decimal_digits, review "
                        "FROM submitted_readings "
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
        a.review = z.getColumn(6).getInt() != 0;
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

Result<bool> ReadingStore::knownKey(const std::string& key) {
    bool known = false;
    Status st = m_store.readStep([&](SQLite::Database& db) {
        SQLite::Statement q(db, "SELECT 1 FROM reading_submissions WHERE idempotency_key = ?");
        q.bind(1, key);
        known = q.executeStep();
    });
    if (!st) return st.error();
    return known;
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
            // A kiosk clock running fast: what it says is later than now cannot be, so now.
            const WallTime takenAt = std::min(request.takenAt.value_or(now), now);
            // Too old to be checked against the last readings with confidence: refused while the
            // visitor can still hear it, kept for review when the outbox brings it late.
            const bool stale = takenAt < now - kTakenAtMaxAge;
            if (stale && !request.deferred) return badField("detail.reading_taken_at_range");
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

            std::vector<MeterRow> meters;  // an account has a handful
            SQLite::Statement m(db,
                                "SELECT serial, tariff, whole_digits, decimal_digits, "
                                "usual_kwh_per_day FROM meters "
                                "WHERE account_number = ? ORDER BY serial");
            m.bind(1, request.account);
            while (m.executeStep()) {
                MeterRow row;
                row.serial = m.getColumn(0).getString();
                row.tariff = m.getColumn(1).getString();
                row.reg.wholeDigits = m.getColumn(2).getInt();
                row.reg.decimalDigits = m.getColumn(3).getInt();
                if (!m.getColumn(4).isNull()) row.usual = m.getColumn(4).getDouble();
                meters.push_back(std::move(row));
            }
            Result<size_t> which = resolveMeter(meters, request);
            if (!which) return which.error();
            const MeterRow& chosen = meters[which.value()];
            plan.serial = chosen.serial;
            plan.position = static_cast<int>(which.value()) + 1;
            const meter::Tariff tariff =
                meter::tariffFromString(chosen.tariff).value_or(meter::Tariff::Single);
            const meter::Register reg = chosen.reg;
            plan.decimalDigits = reg.decimalDigits;
            const std::optional<double> usual = chosen.usual;

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
                            {"date_text", dottedDate(on)}};
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
                    history.daysSincePrevious = daysBetween(it->second.second, plan.takenOn);
                }
                const meter::Check c =
                    meter::check(parsed[i], reg, history, rules, dayOfMonth, request.confirmed);
                // Delivered after the visitor left: what they would have been asked to correct
                // or confirm is kept for billing to review instead of being lost.
                const bool review =
                    stale || (request.deferred && c.verdict != meter::Verdict::Accept);
                if (c.verdict == meter::Verdict::BelowPrevious && !request.deferred) {
                    Error e = makeError(ErrorKind::Invalid, "reading_below_previous",
                                        "below the previous reading");
                    e.params = {{"zone", zones[i]},
                                {"previous", meter::format(*history.previous, reg)},
                                {"value", meter::format(parsed[i], reg)},
                                {"zone_name", zoneName(zones[i])}};
                    return e;
                }
                if (c.verdict == meter::Verdict::NeedsConfirmation && !request.deferred) {
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
                    {zones[i], parsed[i], history.previous, c.consumption, c.rollover, review});
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
            ins.bind(7, plan.position);
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
                                   "previous, consumption, rollover, decimal_digits, review) VALUES "
                                   "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            // The accepted value is the zone's last reading now, unless the billing system has a
            // later one already (an outbox delivering an older reading). A reading kept for
            // review does not lower it: the next visitor's reading is checked against the last
            // value that was not in doubt.
            SQLite::Statement last(
                db,
                "INSERT INTO meter_last_readings(serial, zone, value, read_on) VALUES (?1, ?2, ?3, "
                "?4) ON CONFLICT(serial, zone) DO UPDATE SET value = excluded.value, read_on = "
                "excluded.read_on WHERE excluded.read_on >= meter_last_readings.read_on AND (?5 = 0 "
                "OR excluded.value >= meter_last_readings.value)");
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
                zone.bind(11, z.review ? 1 : 0);
                zone.exec();
                zone.reset();
                last.bind(1, plan.serial);
                last.bind(2, z.zone);
                last.bind(3, z.value);
                last.bind(4, plan.takenOn);
                last.bind(5, z.review ? 1 : 0);
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
