// WorkingDays: the calendar appeal deadlines are counted on. Table by table: weekends,
// holidays, the Russian New Year run (Jan 1–8), the year end, a transferred working Saturday,
// n = 0 (the same working day), a registration on a day off, big n, and invalid input.
#include "talon/server/working_days.h"

#include <gtest/gtest.h>

#include "talon/common/time.h"

namespace talon::server {
namespace {

std::chrono::sys_days d(const char* iso) {
    const auto day = parseIsoDate(iso);
    EXPECT_TRUE(day.has_value()) << iso;
    return day.value_or(std::chrono::sys_days{});
}

std::string iso(std::chrono::sys_days day) {
    const std::chrono::year_month_day ymd{day};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buf;
}

/// A Russian office: New Year holidays both years, the spring and autumn holidays of 2026,
/// 31 December 2026 off, and Saturday 28 November 2026 a working day.
WorkingDays office() {
    std::vector<std::string> holidays = {"2026-02-23", "2026-03-09", "2026-05-01", "2026-05-11",
                                         "2026-06-12", "2026-11-04", "2026-12-31"};
    for (int y : {2026, 2027}) {
        for (int day = 1; day <= 8; ++day)
            holidays.push_back(std::to_string(y) + "-01-0" + std::to_string(day));
    }
    auto w = WorkingDays::create(kSaturdaySunday, holidays, {"2026-11-28"});
    EXPECT_TRUE(w.ok()) << (w.ok() ? "" : w.error().message);
    return std::move(w).value();
}

TEST(WorkingDaysTest, WhichDaysAreWorkingDays) {
    const WorkingDays w = office();
    struct Case {
        const char* date;
        bool working;
        const char* why;
    };
    for (const Case& c :
         {Case{"2026-11-16", true, "Monday"}, Case{"2026-11-20", true, "Friday"},
          Case{"2026-11-21", false, "Saturday"}, Case{"2026-11-22", false, "Sunday"},
          Case{"2026-11-04", false, "holiday on a Wednesday"},
          Case{"2026-11-28", true, "transferred working Saturday"},
          Case{"2026-12-05", false, "an ordinary Saturday"},
          Case{"2026-12-31", false, "Dec 31 off"}, Case{"2027-01-01", false, "New Year"},
          Case{"2027-01-08", false, "last day of the New Year run"},
          Case{"2027-01-11", true, "first working day of 2027"},
          Case{"2028-01-03", true, "a Monday with no holiday configured"}}) {
        EXPECT_EQ(w.isWorkingDay(d(c.date)), c.working) << c.date << " (" << c.why << ")";
    }
}

TEST(WorkingDaysTest, AddWorkingDaysTable) {
    const WorkingDays w = office();
    struct Case {
        const char* start;
        int n;
        const char* due;
        const char* why;
    };
    for (const Case& c : {
             Case{"2026-11-16", 0, "2026-11-16", "n = 0 on a working day: the same day"},
             Case{"2026-11-16", 1, "2026-11-17", "the registration day itself does not count"},
             Case{"2026-11-16", 10, "2026-11-28",
                  "ten working days, the working Saturday among them"},
             Case{"2026-11-20", 1, "2026-11-23", "Friday + 1 skips the weekend"},
             Case{"2026-11-21", 0, "2026-11-23", "n = 0 on a Saturday: the next working day"},
             Case{"2026-11-21", 10, "2026-12-04", "registered on Saturday counts from Monday"},
             Case{"2026-11-22", 1, "2026-11-24", "registered on Sunday: Monday is day 0"},
             Case{"2026-11-27", 1, "2026-11-28", "Friday + 1 is the transferred working Saturday"},
             Case{"2026-11-28", 0, "2026-11-28", "the working Saturday itself"},
             Case{"2026-11-03", 1, "2026-11-05", "a holiday mid-week is skipped"},
             Case{"2026-11-04", 0, "2026-11-05", "registered on a holiday: the next day"},
             Case{"2026-12-30", 1, "2027-01-11", "year end: Dec 31 and the New Year run skipped"},
             Case{"2026-12-30", 2, "2027-01-12", "into the new year"},
             Case{"2026-12-31", 0, "2027-01-11", "urgent on Dec 31: the first working day of 2027"},
             Case{"2026-12-29", 10, "2027-01-21", "ten days across the year end"},
             Case{"2026-12-25", 10, "2027-01-19", "ten days from Christmas week"},
             Case{"2026-01-01", 0, "2026-01-09", "the whole New Year run is off"},
             Case{"2026-01-05", 3, "2026-01-14", "registered inside the run counts from Jan 9"},
             Case{"2026-02-20", 1, "2026-02-24", "Defender's Day Monday skipped"},
             Case{"2026-06-11", 1, "2026-06-15", "Russia Day Friday and the weekend skipped"},
             Case{"2026-11-16", 250, "2027-11-09", "about a year"},
             Case{"2026-11-16", kMaxWorkingDays, "2030-09-24", "the largest n allowed"},
         }) {
        auto due = w.addWorkingDays(d(c.start), c.n);
        ASSERT_TRUE(due.ok()) << c.start << " + " << c.n;
        EXPECT_EQ(iso(due.value()), c.due) << c.start << " + " << c.n << " (" << c.why << ")";
        EXPECT_TRUE(w.isWorkingDay(due.value())) << c.due;
        // The count back from a working registration day is n again.
        const auto start = w.nextWorkingDay(d(c.start));
        EXPECT_EQ(w.workingDaysBetween(start, due.value()), c.n) << c.start;
    }
}

TEST(WorkingDaysTest, WorkingDaysBetweenTable) {
    const WorkingDays w = office();
    struct Case {
        const char* a;
        const char* b;
        int64_t n;
    };
    for (const Case& c :
         {Case{"2026-11-16", "2026-11-30", 11}, Case{"2026-11-30", "2026-11-16", -11},
          Case{"2026-12-30", "2027-01-12", 2}, Case{"2026-11-21", "2026-11-22", 0},
          Case{"2026-11-16", "2026-11-16", 0}, Case{"2026-01-01", "2026-12-31", 249}}) {
        EXPECT_EQ(w.workingDaysBetween(d(c.a), d(c.b)), c.n) << c.a << " .. " << c.b;
    }
}

TEST(WorkingDaysTest, InvalidNumberOfDays) {
    const WorkingDays w = office();
    for (int n : {-1, -100, kMaxWorkingDays + 1, 1'000'000}) {
        auto due = w.addWorkingDays(d("2026-11-16"), n);
        ASSERT_FALSE(due.ok()) << n;
        EXPECT_EQ(due.error().code, "bad_request");
    }
}

TEST(WorkingDaysTest, InvalidCalendars) {
    struct Case {
        uint8_t weekends;
        std::vector<std::string> holidays;
        std::vector<std::string> transferred;
        const char* message;
    };
    for (const Case& c : {Case{0x7f, {}, {}, "every weekday"},
                          Case{kSaturdaySunday, {"2026-13-01"}, {}, "2026-13-01"},
                          Case{kSaturdaySunday, {"26-01-01"}, {}, "26-01-01"},
                          Case{kSaturdaySunday, {}, {"2026-02-30"}, "2026-02-30"},
                          Case{kSaturdaySunday, {"2026-11-28"}, {"2026-11-28"}, "both a holiday"},
                          Case{kSaturdaySunday, {}, {"2026-11-25"}, "only a weekend day"}}) {
        auto w = WorkingDays::create(c.weekends, c.holidays, c.transferred);
        ASSERT_FALSE(w.ok()) << c.message;
        EXPECT_EQ(w.error().code, "bad_calendar");
        EXPECT_NE(w.error().message.find(c.message), std::string::npos) << w.error().message;
    }
}

TEST(WorkingDaysTest, OtherWeekends) {
    // An office closed on Sunday and Monday works on Saturday.
    auto w = WorkingDays::create(0x41, {}, {});
    ASSERT_TRUE(w.ok());
    EXPECT_TRUE(w.value().isWorkingDay(d("2026-11-21")));   // Saturday
    EXPECT_FALSE(w.value().isWorkingDay(d("2026-11-23")));  // Monday
    EXPECT_EQ(iso(w.value().addWorkingDays(d("2026-11-21"), 1).value()), "2026-11-24");
    // Without holidays a plain Monday + 5 is the next Monday.
    auto plain = WorkingDays::create(kSaturdaySunday, {}, {});
    ASSERT_TRUE(plain.ok());
    EXPECT_EQ(iso(plain.value().addWorkingDays(d("2026-11-16"), 5).value()), "2026-11-23");
    EXPECT_EQ(weekdayBit(d("2026-11-16")), 0x01);
    EXPECT_EQ(weekdayBit(d("2026-11-22")), 0x40);
}

}  // namespace
}  // namespace talon::server
