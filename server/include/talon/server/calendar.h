// The office's calendar: business days in the configured time zone (numbering restarts when
// a new business day starts, not at midnight UTC or at a restart), holidays and opening hours.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "talon/common/domain.h"
#include "talon/common/result.h"
#include "talon/common/time.h"
#include "talon/server/config.h"

namespace date {
class time_zone;
}

namespace talon::server {

class BusinessCalendar {
public:
    /// Errors: an unknown time zone name.
    static Result<BusinessCalendar> create(const DayConfig& day);

    /// The business day `t` belongs to (YYYY-MM-DD): the local date of t − day start.
    std::string dayKey(WallTime t) const;
    /// Local calendar date (YYYY-MM-DD), minute of day and weekday (0 = Monday) of `t`.
    struct Local {
        std::string date;
        int minute = 0;
        int weekday = 0;
    };
    Local local(WallTime t) const;
    /// The instant of local `date` at `minute` (minute may be 24*60: the next midnight).
    WallTime at(const std::string& date, int minute) const;
    bool isHoliday(const std::string& date) const;
    /// Open or closed at `now` by the hours alone, with when it closes or next opens.
    ServiceAvailability availability(const OpeningHours& hours, WallTime now) const;
    const std::string& zoneName() const { return m_zoneName; }

private:
    const date::time_zone* m_zone = nullptr;
    std::string m_zoneName;
    int m_startMinute = 0;
    std::vector<std::string> m_holidays;
};

}  // namespace talon::server
