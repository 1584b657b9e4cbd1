// Time types and the clock interface: wall time for what is stored and shown, monotonic
// time for timeouts. Models take a Clock so tests can drive time by hand.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace talon {

using WallTime = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;
using Instant = std::chrono::steady_clock::time_point;

class Clock {
public:
    virtual ~Clock() = default;
    virtual Instant now() const = 0;
    virtual WallTime wallNow() const = 0;
};

class SystemClock final : public Clock {
public:
    Instant now() const override { return std::chrono::steady_clock::now(); }
    WallTime wallNow() const override {
        return std::chrono::time_point_cast<std::chrono::milliseconds>(
            std::chrono::system_clock::now());
    }
};

/// Milliseconds since the Unix epoch, as stored in the database.
inline int64_t toMillis(WallTime t) { return t.time_since_epoch().count(); }
inline WallTime fromMillis(int64_t ms) { return WallTime{std::chrono::milliseconds{ms}}; }

/// "2026-11-23T09:15:02.318Z" (UTC, milliseconds).
std::string formatIso(WallTime t);
/// Parses the format above (the 'Z' suffix and milliseconds are required); nullopt when malformed.
std::optional<WallTime> parseIso(std::string_view text);
/// A calendar date written YYYY-MM-DD (year 1900 or later, a day its month has).
bool validIsoDate(std::string_view text);
/// The same date as a day count (for differences and the day of the month); nullopt when
/// `text` is not a real date YYYY-MM-DD.
std::optional<std::chrono::sys_days> parseIsoDate(std::string_view text);
/// "2026-10-20" → "20.10.2026", as dates are written for people; anything else unchanged.
std::string dottedDate(std::string_view iso);
/// Local "HH:MM" of a wall time in the process time zone, for screens.
std::string formatLocalClock(WallTime t);

}  // namespace talon
