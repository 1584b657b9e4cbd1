// Business day and numbering: restart at the configured local hour, wrap after 999 without
// colliding with an open ticket, expiry or carry-over at the boundary, hours, holidays and the
// closing cut-off.
#include <gtest/gtest.h>

#include "../support/fake_clock.h"
#include "../support/server_process.h"
#include "talon/server/calendar.h"
#include "talon/server/queue_store.h"

namespace talon::server {
namespace {

using namespace std::chrono_literals;

WallTime utc(const char* iso) { return *parseIso(iso); }

TEST(CalendarTest, DayStartsAtConfiguredLocalHour) {
    DayConfig day;
    day.timezone = "Europe/Moscow";  // UTC+3, no DST
    day.startMinute = 4 * 60;
    auto cal = BusinessCalendar::create(day);
    ASSERT_TRUE(cal.ok());
    // 00:30 UTC = 03:30 Moscow: still the previous business day.
    EXPECT_EQ(cal.value().dayKey(utc("2026-11-23T00:30:00.000Z")), "2026-11-22");
    // 01:00 UTC = 04:00 Moscow: the new day.
    EXPECT_EQ(cal.value().dayKey(utc("2026-11-23T01:00:00.000Z")), "2026-11-23");
    // 22:00 UTC = 01:00 Moscow next date, but before 04:00: still the 23rd's business day.
    EXPECT_EQ(cal.value().dayKey(utc("2026-11-23T22:00:00.000Z")), "2026-11-23");
}

TEST(CalendarTest, UnknownZoneIsAConfigError) {
    DayConfig day;
    day.timezone = "Mars/Olympus";
    auto cal = BusinessCalendar::create(day);
    ASSERT_FALSE(cal.ok());
    EXPECT_NE(cal.error().message.find("Mars/Olympus"), std::string::npos);
}

TEST(CalendarTest, HoursHolidaysAndNextOpening) {
    DayConfig day;
    day.timezone = "UTC";
    day.holidays = {"2026-11-24"};
    auto cal = BusinessCalendar::create(day).value();
    OpeningHours h{9 * 60, 18 * 60, 0x1f};  // Mon–Fri 09:00–18:00
    auto monMorning = cal.availability(h, utc("2026-11-23T08:00:00.000Z"));  // Monday
    EXPECT_FALSE(monMorning.open);
    EXPECT_EQ(monMorning.reason, "closed");
    EXPECT_EQ(formatIso(*monMorning.opensAt), "2026-11-23T09:00:00.000Z");
    auto monNoon = cal.availability(h, utc("2026-11-23T12:00:00.000Z"));
    EXPECT_TRUE(monNoon.open);
    EXPECT_EQ(formatIso(*monNoon.closesAt), "2026-11-23T18:00:00.000Z");
    auto monEvening = cal.availability(h, utc("2026-11-23T19:00:00.000Z"));
    EXPECT_FALSE(monEvening.open);
    // Tuesday is a holiday: next opening Wednesday.
    EXPECT_EQ(formatIso(*monEvening.opensAt), "2026-11-25T09:00:00.000Z");
    auto tue = cal.availability(h, utc("2026-11-24T12:00:00.000Z"));
    EXPECT_EQ(tue.reason, "holiday");
    auto sat = cal.availability(h, utc("2026-11-28T12:00:00.000Z"));
    EXPECT_FALSE(sat.open);
    EXPECT_EQ(formatIso(*sat.opensAt), "2026-11-30T09:00:00.000Z");
}

class BusinessDayTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_config = demoConfig();
        m_config.database = (m_dir.path() / "talon.db").string();
        m_config.day.timezone = "Europe/Moscow";
        m_config.day.startMinute = 4 * 60;
        m_clock.setWall(utc("2026-11-23T06:00:00.000Z"));  // 09:00 Moscow
    }
    void open() {
        m_store.reset();
        m_hub = std::make_unique<EventHub>();
        auto s = QueueStore::open(m_config, *m_hub, m_clock);
        ASSERT_TRUE(s.ok()) << s.error().message;
        m_store = std::move(s).value();
    }
    Result<IssueResult> issue(const std::string& service) {
        return m_store->issueTicket({service, Priority::Normal, {}, {}});
    }

    test::TempDir m_dir;
    test::FakeClock m_clock;
    ServerConfig m_config;
    std::unique_ptr<EventHub> m_hub;
    std::unique_ptr<QueueStore> m_store;
};

TEST_F(BusinessDayTest, NumbersRestartAtLocalDayStartNotAtRestartOrUtcMidnight) {
    open();
    EXPECT_EQ(issue("A").value().ticket.number, "A001");
    m_clock.setWall(utc("2026-11-23T21:30:00.000Z"));  // 00:30 Moscow: UTC date changed... no, Moscow date did
    EXPECT_EQ(issue("A").value().ticket.number, "A002");
    open();  // a restart changes nothing
    EXPECT_EQ(issue("A").value().ticket.number, "A003");
    m_clock.setWall(utc("2026-11-24T01:00:00.000Z"));  // 04:00 Moscow: new business day
    EXPECT_EQ(issue("A").value().ticket.number, "A001");
}

TEST_F(BusinessDayTest, OpenTicketsExpireAtTheBoundary) {
    open();
    const Ticket t = issue("A").value().ticket;
    ASSERT_TRUE(m_store->callNext(1).ok());
    ASSERT_TRUE(issue("A").ok());
    m_clock.setWall(utc("2026-11-24T01:00:00.000Z"));
    m_store->sweep();
    EXPECT_EQ(m_store->ticket(t.id).value().status, TicketStatus::Cancelled);
    EXPECT_EQ(m_store->ticket(t.id).value().outcome, "expired");
    EXPECT_FALSE(m_store->window(1).value().current.has_value());
    EXPECT_EQ(m_store->services()[0].waiting, 0);
    EXPECT_TRUE(m_store->board().calls.empty());
}

TEST_F(BusinessDayTest, CarryOverKeepsTicketsAndAvoidsTheirNumbers) {
    m_config.day.carryOver = true;
    open();
    const Ticket old = issue("A").value().ticket;  // A001 stays waiting overnight
    m_clock.setWall(utc("2026-11-24T06:00:00.000Z"));
    m_store->sweep();
    EXPECT_EQ(m_store->ticket(old.id).value().status, TicketStatus::Waiting);
    EXPECT_EQ(issue("A").value().ticket.number, "A002") << "A001 is still held by yesterday's visitor";
}

TEST_F(BusinessDayTest, NumbersWrapAfter999SkippingOpenOnes) {
    open();
    std::vector<Ticket> tickets;
    for (int i = 0; i < 999; ++i) tickets.push_back(issue("A").value().ticket);
    EXPECT_EQ(tickets.back().number, "A999");
    // Serve all but A001 and A003; the next numbers wrap to A002, then skip A003.
    for (int i = 0; i < 999; ++i) {
        if (i == 0 || i == 2) continue;
        ASSERT_TRUE(m_store->cancel(tickets[static_cast<size_t>(i)].id).ok());
    }
    EXPECT_EQ(issue("A").value().ticket.number, "A002");
    EXPECT_EQ(issue("A").value().ticket.number, "A004");
}

TEST_F(BusinessDayTest, ClosedAndClosingServicesRefuseWithReason) {
    m_config.services[0].hours = {9 * 60, 18 * 60, 0x7f};
    open();
    m_clock.setWall(utc("2026-11-23T04:30:00.000Z"));  // 07:30 Moscow
    auto early = issue("A");
    ASSERT_FALSE(early.ok());
    EXPECT_EQ(early.error().code, "service_closed");
    auto services = m_store->services();
    EXPECT_FALSE(services[0].availability.open);
    EXPECT_EQ(services[0].availability.reason, "closed");
    EXPECT_TRUE(services[1].availability.open);

    // 17:50 Moscow with a queue that needs far more than 10 minutes: closing cut-off.
    m_clock.setWall(utc("2026-11-23T14:00:00.000Z"));
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(issue("A").ok());
    m_clock.setWall(utc("2026-11-23T14:50:00.000Z"));
    auto late = issue("A");
    ASSERT_FALSE(late.ok());
    EXPECT_EQ(late.error().code, "service_closing");
    EXPECT_EQ(m_store->services()[0].availability.reason, "closing");
}

}  // namespace
}  // namespace talon::server
