// Meter readings: the rules a new reading of one meter zone must pass, shared by the kiosk
// (to tell the visitor at once) and the server (which decides). Values are fixed-point whole
// numbers of the meter's smallest step (with 1 decimal, 12345.6 kWh is 123456), so no rounding
// ever creeps in. No I/O: the caller supplies the previous reading, the usual consumption and
// the date.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace talon::meter {

/// Tariff schemes and their zones, in the order a bill lists them.
enum class Tariff { Single, DayNight, ThreeZone };

/// "single", "day_night", "three_zone" (the import's and API's names).
std::string_view toString(Tariff t);
std::optional<Tariff> tariffFromString(std::string_view text);
/// Single: {"total"}; day/night: {"day", "night"}; three zones: {"peak", "half_peak", "night"}.
const std::vector<std::string>& zonesOf(Tariff t);

/// How many digits the register shows before and after the decimal point.
struct Register {
    int wholeDigits = 6;     // 1..9
    int decimalDigits = 0;   // 0..3
    bool valid() const { return wholeDigits >= 1 && wholeDigits <= 9 && decimalDigits >= 0 && decimalDigits <= 3; }
    /// 10^decimalDigits: units per kWh.
    int64_t scale() const;
    /// The count at which the register rolls over to zero: 10^(wholeDigits + decimalDigits).
    int64_t capacity() const;
};

/// Why a typed value is not a reading at all (the kiosk keeps the visitor on the entry).
enum class ParseError {
    Empty,            // nothing typed
    NotANumber,       // anything but digits and one decimal point (',' counts as '.')
    TooManyWhole,     // more whole digits than the register has
    TooManyDecimals,  // more digits after the point than the register has
};
std::string_view toString(ParseError e);

/// "012345,6" → 123456 with one decimal. Leading zeros are fine (registers show them); spaces
/// around are ignored; at most 32 characters are looked at (longer is NotANumber).
struct Parsed {
    std::optional<int64_t> value;
    std::optional<ParseError> error;
};
Parsed parse(std::string_view typed, const Register& reg);

/// A value in units as the register shows it: 123456 with one decimal → "12345.6".
std::string format(int64_t units, const Register& reg);

/// What is known about the meter zone besides the new value.
struct History {
    std::optional<int64_t> previous;     // last accepted reading, in units
    std::optional<int> daysSincePrevious;  // days from that reading to today (>= 0)
    std::optional<double> usualPerDay;   // the account's usual consumption, kWh per day
};

struct Rules {
    double implausibleFactor = 3.0;  // more than this times the usual needs confirmation
    int windowFirstDay = 15;         // readings are due on these days of the month...
    int windowLastDay = 25;          // ...outside them they are accepted and flagged
    /// A value below the previous one is taken as the register rolling over only when the
    /// consumption it implies is at most this share of the register's capacity.
    double rolloverShare = 0.1;
};

/// The verdict on one zone's new value.
enum class Verdict {
    Accept,             // fine as it is (flags may still be set)
    BelowPrevious,      // lower than the last reading and not a plausible rollover: correct it
    NeedsConfirmation,  // consumption far above the usual: the visitor must confirm it
};
std::string_view toString(Verdict v);

struct Check {
    Verdict verdict = Verdict::Accept;
    int64_t consumption = 0;     // in units since the previous reading (0 when there is none)
    bool rollover = false;       // the register went past its capacity back through zero
    bool outsideWindow = false;  // submitted outside the window of the month
    bool confirmed = false;      // accepted although implausible, because the visitor confirmed
};

/// Checks `value` (already parsed for `reg`) against the zone's history. `dayOfMonth` is
/// today's day (1..31) in the office's time zone. `confirmedByVisitor`: the visitor saw the
/// warning and confirmed the value.
Check check(int64_t value, const Register& reg, const History& history, const Rules& rules, int dayOfMonth,
            bool confirmedByVisitor);

}  // namespace talon::meter
