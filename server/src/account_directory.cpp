// AccountDirectory: one account and its meters in two indexed reads (accounts by primary key,
// meters by account, readings by serial) under QueueStore::readStep; masking is done here so
// nothing identifying reaches the HTTP layer.
#include "talon/server/account_directory.h"

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <map>

#include "talon/server/bad_request.h"

namespace talon::server {
namespace {

bool isSpace(std::string_view s, size_t i, size_t* width) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        *width = 1;
        return true;
    }
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {  // no-break space
        *width = 2;
        return true;
    }
    return false;
}

/// Bytes in the UTF-8 sequence starting with `lead` (1 for a stray continuation byte).
size_t sequenceLength(unsigned char lead) {
    if (lead >= 0xF0) return 4;
    if (lead >= 0xE0) return 3;
    if (lead >= 0xC0) return 2;
    return 1;
}

/// Latin and Cyrillic letters upper-cased; anything else as it is.
std::string upper(std::string letter) {
    if (letter.size() == 1) {
        if (letter[0] >= 'a' && letter[0] <= 'z') letter[0] = static_cast<char>(letter[0] - 'a' + 'A');
        return letter;
    }
    if (letter.size() != 2) return letter;
    const unsigned char a = static_cast<unsigned char>(letter[0]);
    const unsigned char b = static_cast<unsigned char>(letter[1]);
    if (a == 0xD0 && b >= 0xB0 && b <= 0xBF) return {'\xD0', static_cast<char>(b - 0x20)};  // а..п
    if (a == 0xD1 && b >= 0x80 && b <= 0x8F) return {'\xD0', static_cast<char>(b + 0x20)};  // р..я
    if (a == 0xD1 && b == 0x91) return "\xD0\x81";                                          // ё
    return letter;
}

/// Latin and Cyrillic capitals lowered byte for byte (same lengths, so offsets still match).
std::string lower(std::string_view s) {
    std::string out(s);
    for (size_t i = 0; i < out.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(out[i]);
        if (c >= 'A' && c <= 'Z') {
            out[i] = static_cast<char>(c - 'A' + 'a');
        } else if (c == 0xD0 && i + 1 < out.size()) {
            const unsigned char b = static_cast<unsigned char>(out[i + 1]);
            if (b >= 0x90 && b <= 0x9F) {
                out[i + 1] = static_cast<char>(b + 0x20);
            } else if (b >= 0xA0 && b <= 0xAF) {
                out[i] = '\xD1';
                out[i + 1] = static_cast<char>(b - 0x20);
            } else if (b == 0x81) {
                out[i] = '\xD1';
                out[i + 1] = '\x91';
            }
            ++i;
        }
    }
    return out;
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool validAccountNumber(std::string_view number) {
    if (number.size() < 6 || number.size() > 20) return false;
    for (char c : number) {
        if (!isDigit(c)) return false;
    }
    return true;
}

std::string holderInitials(std::string_view name) {
    std::string out;
    size_t i = 0;
    size_t width = 0;
    while (i < name.size()) {
        if (isSpace(name, i, &width)) {
            i += width;
            continue;
        }
        const size_t len = std::min(sequenceLength(static_cast<unsigned char>(name[i])), name.size() - i);
        if (!out.empty()) out += ' ';
        out += upper(std::string(name.substr(i, len)));
        out += '.';
        i += len;
        while (i < name.size() && !isSpace(name, i, &width)) ++i;
    }
    return out;
}

std::string addressWithoutFlat(std::string_view address) {
    // Markers of a flat, lower-case; longest first so "квартира" is not read as "кв" + "артира".
    static const char* const kMarkers[] = {"квартира", "комната", "apartment", "комн", "кв", "apt", "flat", "room"};
    const std::string low = lower(address);
    size_t cut = std::string_view::npos;
    for (size_t i = 1; i < low.size() && cut == std::string_view::npos; ++i) {
        const char before = low[i - 1];
        if (before != ' ' && before != ',' && before != '\t') continue;
        for (const char* marker : kMarkers) {
            const std::string_view m(marker);
            if (low.compare(i, m.size(), m) != 0) continue;
            const size_t after = i + m.size();
            // A marker stands alone: "кв." / "кв 12" / "кв12" / the end, not "Квартальная".
            if (after == low.size() || low[after] == '.' || low[after] == ' ' || isDigit(low[after]) ||
                low.compare(after, 3, "\xE2\x84\x96") == 0 /* № */) {
                cut = i;
                break;
            }
        }
    }
    std::string out(address.substr(0, cut == std::string_view::npos ? address.size() : cut));
    while (!out.empty() && (out.back() == ' ' || out.back() == ',' || out.back() == '\t')) out.pop_back();
    return out;
}

std::string maskSerial(std::string_view serial) {
    std::vector<size_t> starts;  // where each character begins
    for (size_t i = 0; i < serial.size(); i += sequenceLength(static_cast<unsigned char>(serial[i]))) {
        starts.push_back(i);
    }
    const size_t shown = starts.size() > 4 ? 4 : (starts.empty() ? 0 : starts.size() - 1);
    if (shown == 0) return "\xE2\x80\xA6";
    return "\xE2\x80\xA6" + std::string(serial.substr(starts[starts.size() - shown]));
}

Result<AccountView> AccountDirectory::lookup(std::string_view number) {
    if (!validAccountNumber(number)) {
        return badField("detail.account_number");
    }
    const std::string today = m_store.calendar().local(m_clock.wallNow()).date;
    std::optional<AccountView> found;
    Status st = m_store.readStep([&](SQLite::Database& db) {
        SQLite::Statement account(db, "SELECT holder_name, address, status FROM accounts WHERE number = ?");
        account.bind(1, std::string(number));
        if (!account.executeStep()) return;
        AccountView view;
        view.number = std::string(number);
        view.holder = holderInitials(account.getColumn(0).getString());
        view.address = addressWithoutFlat(account.getColumn(1).getString());
        view.status = account.getColumn(2).getString();
        view.today = today;
        view.period = today.substr(0, 7);

        SQLite::Statement meters(
            db,
            "SELECT m.serial, m.tariff, m.whole_digits, m.decimal_digits, m.calibration_due, r.zone, r.value, "
            "r.read_on, m.usual_kwh_per_day, (SELECT s.taken_on FROM reading_submissions s WHERE s.serial = m.serial "
            "AND s.period = ?1 ORDER BY s.id LIMIT 1) FROM meters m LEFT JOIN meter_last_readings r ON r.serial = m.serial "
            "WHERE m.account_number = ?2 ORDER BY m.serial");
        meters.bind(1, view.period);
        meters.bind(2, std::string(number));
        std::map<std::string, std::pair<int64_t, std::string>> readings;  // of the current meter
        std::string currentSerial;
        auto finish = [&] {
            if (view.meters.empty() || currentSerial.empty()) return;
            MeterView& m = view.meters.back();
            for (const std::string& zone : meter::zonesOf(m.tariff)) {
                ZoneView z{zone, std::nullopt, std::nullopt};
                if (auto it = readings.find(zone); it != readings.end()) {
                    z.last = meter::format(it->second.first, m.reg);
                    z.readOn = it->second.second;
                }
                m.zones.push_back(std::move(z));
            }
            readings.clear();
        };
        while (meters.executeStep()) {
            std::string serial = meters.getColumn(0).getString();
            if (serial != currentSerial) {
                finish();
                currentSerial = serial;
                MeterView m;
                m.position = static_cast<int>(view.meters.size()) + 1;
                m.serial = maskSerial(serial);
                m.tariff = meter::tariffFromString(meters.getColumn(1).getString()).value_or(meter::Tariff::Single);
                m.reg.wholeDigits = meters.getColumn(2).getInt();
                m.reg.decimalDigits = meters.getColumn(3).getInt();
                if (!meters.getColumn(4).isNull()) {
                    m.calibrationDue = meters.getColumn(4).getString();
                    m.calibrationOverdue = *m.calibrationDue < today;
                }
                if (!meters.getColumn(8).isNull()) m.usualKwhPerDay = meters.getColumn(8).getDouble();
                if (!meters.getColumn(9).isNull()) m.submittedOn = meters.getColumn(9).getString();
                view.meters.push_back(std::move(m));
            }
            if (!meters.getColumn(5).isNull()) {
                readings[meters.getColumn(5).getString()] = {meters.getColumn(6).getInt64(),
                                                              meters.getColumn(7).getString()};
            }
        }
        finish();
        found = std::move(view);
    });
    if (!st) return st.error();
    if (!found) {
        Error e = makeError(ErrorKind::NotFound, "unknown_account", "no account " + std::string(number));
        e.params = {{"account", std::string(number)}};
        return e;
    }
    return std::move(*found);
}

}  // namespace talon::server
