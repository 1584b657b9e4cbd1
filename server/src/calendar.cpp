// BusinessCalendar on Howard Hinnant's date/tz (the IANA database Debian ships in tzdata).
#include "talon/server/calendar.h"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <cstdio>

namespace talon::server {
namespace {

std::string formatDate(date::year_month_day ymd) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return buf;
}

/// A date YYYY-MM-DD as the tz library's type (common's parseIsoDate decides what is a date).
std::optional<date::year_month_day> parseDate(const std::string& s) {
    const auto day = parseIsoDate(s);
    if (!day) return std::nullopt;
    return date::year_month_day{
        date::sys_days{std::chrono::duration_cast<date::days>(day->time_since_epoch())}};
}

}  // namespace

Result<BusinessCalendar> BusinessCalendar::create(const DayConfig& day) {
    BusinessCalendar cal;
    try {
        if (day.timezone.empty()) {
            try {
                cal.m_zone = date::current_zone();
            } catch (const std::exception&) {
                cal.m_zone = date::locate_zone("UTC");  // a container without /etc/localtime
            }
        } else {
            cal.m_zone = date::locate_zone(day.timezone);
        }
    } catch (const std::exception& e) {
        return makeError(ErrorKind::Config, "bad_timezone",
                         "unknown time zone \"" + day.timezone + "\" (use a name like Europe/Moscow or UTC)");
    }
    cal.m_zoneName = std::string(cal.m_zone->name());
    cal.m_startMinute = day.startMinute;
    cal.m_holidays = day.holidays;
    std::sort(cal.m_holidays.begin(), cal.m_holidays.end());
    return cal;
}

BusinessCalendar::Local BusinessCalendar::local(WallTime t) const {
    const auto lt = m_zone->to_local(std::chrono::time_point_cast<std::chrono::seconds>(t));
    const auto dayStart = date::floor<date::days>(lt);
    const date::year_month_day ymd{dayStart};
    Local out;
    out.date = formatDate(ymd);
    out.minute = static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(lt - dayStart).count());
    out.weekday = static_cast<int>((date::weekday{dayStart}.iso_encoding() + 6) % 7);
    return out;
}

std::string BusinessCalendar::dayKey(WallTime t) const {
    return local(t - std::chrono::minutes(m_startMinute)).date;
}

WallTime BusinessCalendar::at(const std::string& dateText, int minute) const {
    auto ymd = parseDate(dateText);
    if (!ymd) return WallTime{};
    const date::local_seconds lt = date::local_days{*ymd} + std::chrono::minutes(minute);
    // Around a DST change a local time may not exist or exist twice: take the earliest instant.
    const auto sys = m_zone->to_sys(lt, date::choose::earliest);
    return std::chrono::time_point_cast<std::chrono::milliseconds>(sys);
}

bool BusinessCalendar::isHoliday(const std::string& d) const {
    return std::binary_search(m_holidays.begin(), m_holidays.end(), d);
}

ServiceAvailability BusinessCalendar::availability(const OpeningHours& hours, WallTime now) const {
    ServiceAvailability a;
    const Local l = local(now);
    const bool workday = (hours.days >> l.weekday) & 1;
    const bool holiday = isHoliday(l.date);
    if (workday && !holiday && l.minute >= hours.openMinute && l.minute < hours.closeMinute) {
        a.open = true;
        if (hours.closeMinute < 24 * 60) a.closesAt = at(l.date, hours.closeMinute);
        return a;
    }
    a.open = false;
    a.reason = holiday ? "holiday" : "closed";
    // Next opening: today later, or one of the next two weeks.
    auto ymd = *parseDate(l.date);
    for (int offset = 0; offset < 15; ++offset) {
        const date::sys_days d = date::sys_days{ymd} + date::days{offset};
        const std::string ds = formatDate(date::year_month_day{d});
        const int wd = static_cast<int>((date::weekday{d}.iso_encoding() + 6) % 7);
        if (!((hours.days >> wd) & 1) || isHoliday(ds)) continue;
        if (offset == 0 && l.minute >= hours.openMinute) continue;
        a.opensAt = at(ds, hours.openMinute);
        break;
    }
    return a;
}

}  // namespace talon::server
