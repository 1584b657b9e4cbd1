// Working days of the office for appeal deadlines: weekends, holidays and transferred working
// days (a Saturday the government made a working day). Pure date arithmetic on sys_days; the
// office's time zone decides which date "today" is before anything here is asked.
#pragma once

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "talon/common/result.h"

namespace talon::server {

/// Weekday bits as OpeningHours uses them: bit 0 = Monday ... bit 6 = Sunday.
inline constexpr uint8_t kSaturdaySunday = 0x60;

/// The most working days a deadline may be away (about four years): more is a typo.
inline constexpr int kMaxWorkingDays = 1000;

/// The deadline rule (from the seeds: "при регистрации жалобы сообщить, в какой максимальный
/// срок ... не более 10 рабочих дней"; "в тот же день или не позднее ... следующего рабочего
/// дня"; "辦理時限應在補辦齊全後開始計算" — a term runs from when the case is complete):
///  - an appeal registered on a non-working day counts as registered on the next working day
///    (nobody is there to read it before);
///  - n working days after registration is the n-th working day after that day, the day itself
///    not counted (as a term in days starts the day after the event, Civil Code art. 191);
///  - n = 0 (urgent: safety hazards) is the registration day itself, or the next working day.
class WorkingDays {
public:
    /// `weekends`: weekday bits (kSaturdaySunday by default). `holidays`: non-working dates;
    /// `transferred`: dates that are working although they fall on a weekend. Errors
    /// (bad_calendar): a date that is not YYYY-MM-DD, a date both a holiday and a transferred
    /// working day, a transferred working day that is not on a weekend, no working weekday at all.
    static Result<WorkingDays> create(uint8_t weekends, const std::vector<std::string>& holidays,
                                      const std::vector<std::string>& transferred);

    bool isWorkingDay(std::chrono::sys_days day) const;
    /// `day` when it is a working day, else the first working day after it.
    std::chrono::sys_days nextWorkingDay(std::chrono::sys_days day) const;
    /// The deadline of something registered on `start` with `n` working days (rule above).
    /// Errors (bad_request): n below 0 or above kMaxWorkingDays.
    Result<std::chrono::sys_days> addWorkingDays(std::chrono::sys_days start, int n) const;
    /// Working days d with a < d <= b; negative (−count of b < d <= a) when b is before a.
    /// So for a working day a, workingDaysBetween(a, addWorkingDays(a, n)) == n.
    int64_t workingDaysBetween(std::chrono::sys_days a, std::chrono::sys_days b) const;

private:
    WorkingDays() = default;
    uint8_t m_weekends = kSaturdaySunday;
    std::set<std::chrono::sys_days> m_holidays;
    std::set<std::chrono::sys_days> m_transferred;
};

/// Weekday bit of a date (bit 0 = Monday).
uint8_t weekdayBit(std::chrono::sys_days day);

}  // namespace talon::server
