// WorkingDays: deadlines step day by day; a deadline is at most kMaxWorkingDays away and a
// week always has a working day, so a step never runs far.
#include "talon/server/working_days.h"

#include "talon/common/time.h"
#include "talon/server/bad_request.h"

namespace talon::server {
namespace {

Error calendarError(const std::string& what) {
    return makeError(ErrorKind::Config, "bad_calendar", what);
}

}  // namespace

uint8_t weekdayBit(std::chrono::sys_days day) {
    const unsigned iso = std::chrono::weekday{day}.iso_encoding();  // 1 = Monday ... 7 = Sunday
    return static_cast<uint8_t>(1u << (iso - 1));
}

Result<WorkingDays> WorkingDays::create(uint8_t weekends, const std::vector<std::string>& holidays,
                                        const std::vector<std::string>& transferred) {
    WorkingDays w;
    w.m_weekends = weekends & 0x7f;
    if (w.m_weekends == 0x7f) return calendarError("every weekday is a weekend: no day to work on");
    for (const std::string& text : holidays) {
        const auto day = parseIsoDate(text);
        if (!day) return calendarError("holiday \"" + text + "\" is not a date YYYY-MM-DD");
        w.m_holidays.insert(*day);
    }
    for (const std::string& text : transferred) {
        const auto day = parseIsoDate(text);
        if (!day) return calendarError("working day \"" + text + "\" is not a date YYYY-MM-DD");
        if (w.m_holidays.count(*day)) {
            return calendarError(text + " is both a holiday and a working day");
        }
        if ((weekdayBit(*day) & w.m_weekends) == 0) {
            return calendarError(text +
                                 " is a working day anyway: only a weekend day can be transferred");
        }
        w.m_transferred.insert(*day);
    }
    return w;
}

bool WorkingDays::isWorkingDay(std::chrono::sys_days day) const {
    if (m_transferred.count(day)) return true;
    if (weekdayBit(day) & m_weekends) return false;
    return m_holidays.count(day) == 0;
}

std::chrono::sys_days WorkingDays::nextWorkingDay(std::chrono::sys_days day) const {
    // At most a run of holidays plus weekends: bounded by the holiday list, and create()
    // guarantees a working weekday.
    while (!isWorkingDay(day)) day += std::chrono::days{1};
    return day;
}

Result<std::chrono::sys_days> WorkingDays::addWorkingDays(std::chrono::sys_days start,
                                                          int n) const {
    if (n < 0 || n > kMaxWorkingDays) return badField("detail.appeal_working_days");
    std::chrono::sys_days day = nextWorkingDay(start);
    for (int i = 0; i < n; ++i) day = nextWorkingDay(day + std::chrono::days{1});
    return day;
}

int64_t WorkingDays::workingDaysBetween(std::chrono::sys_days a, std::chrono::sys_days b) const {
    if (b < a) return -workingDaysBetween(b, a);
    int64_t count = 0;
    for (auto d = a + std::chrono::days{1}; d <= b; d += std::chrono::days{1}) {
        if (isWorkingDay(d)) ++count;
    }
    return count;
}

}  // namespace talon::server
