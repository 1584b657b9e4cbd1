// TicketReports on a real SQLite file shared with QueueStore and AuthStore, on a fake clock:
// a ticket's history oldest first with who did each step (and their name when they are a
// user) and the step's detail; a clerk's figures for the business day, leaving out other
// clerks and the day before.
#include "talon/server/ticket_reports.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../support/fake_clock.h"
#include "../support/server_process.h"
#include "talon/server/auth_store.h"

namespace talon::server {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class TicketReportsTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_config = demoConfig();
        m_config.database = (m_dir.path() / "talon.db").string();
        m_config.day.timezone = "UTC";  // the business day starts at 04:00 UTC
        m_clock.setWall(*parseIso("2026-11-18T10:00:00.000Z"));
        auto s = QueueStore::open(m_config, m_hub, m_clock);
        ASSERT_TRUE(s.ok()) << s.error().message;
        m_store = std::move(s).value();
        m_reports = std::make_unique<TicketReports>(*m_store, m_clock, m_config);
        AuthStore auth(*m_store, m_clock, m_config);
        ASSERT_TRUE(
            auth.addUser({"ivanova", "Иванова А.", "clerk", {1, 2, 3}}, "long enough").ok());
    }
    Ticket issue(const std::string& service) {
        auto r = m_store->issueTicket({service, Priority::Normal, ""});
        EXPECT_TRUE(r.ok());
        return r.ok() ? r.value().ticket : Ticket{};
    }
    /// Calls the next ticket at `window` for `clerk`, expecting `expected`.
    void call(int window, const std::string& clerk, const Ticket& expected) {
        auto r = m_store->callNext(window, {clerk});
        ASSERT_TRUE(r.ok() && r.value()) << (r.ok() ? "nobody waits" : r.error().code);
        EXPECT_EQ(r.value()->id, expected.id);
    }

    test::TempDir m_dir;
    test::FakeClock m_clock;
    EventHub m_hub;
    ServerConfig m_config;
    std::unique_ptr<QueueStore> m_store;
    std::unique_ptr<TicketReports> m_reports;
};

TEST_F(TicketReportsTest, HistoryOldestFirstWithWhoAndWhat) {
    const Ticket t = issue("A");
    m_clock.advance(60s);
    call(1, "ivanova", t);
    m_clock.advance(30s);
    ASSERT_TRUE(m_store->start(1, {"ivanova"}).ok());
    m_clock.advance(120s);
    ASSERT_TRUE(m_store->transfer(1, {"C", std::nullopt, "tariff question"}, {"ivanova"}).ok());
    m_clock.advance(10s);
    call(3, "petrov", t);  // not a user: a name given with logins off
    ASSERT_TRUE(m_store->finish(3, "follow_up", {"petrov"}).ok());

    auto h = m_reports->history(t.id);
    ASSERT_TRUE(h.ok()) << h.error().code;
    EXPECT_EQ(h.value().ticket.id, t.id);
    EXPECT_EQ(h.value().ticket.status, TicketStatus::Done);
    EXPECT_EQ(h.value().ticket.service, "C");
    const auto& steps = h.value().steps;
    ASSERT_EQ(steps.size(), 6u);
    const std::vector<std::string> actions = {"issue", "call", "start", "transfer", "call", "done"};
    for (size_t i = 0; i < steps.size(); ++i) EXPECT_EQ(steps[i].action, actions[i]) << i;

    EXPECT_EQ(steps[0].at, t.issuedAt);
    EXPECT_FALSE(steps[0].from.has_value());
    EXPECT_EQ(steps[0].to, TicketStatus::Waiting);
    EXPECT_FALSE(steps[0].window.has_value());
    EXPECT_TRUE(steps[0].clerk.empty());
    EXPECT_TRUE(steps[0].detail.empty());

    EXPECT_EQ(steps[1].at, t.issuedAt + 60s);
    EXPECT_EQ(steps[1].from, TicketStatus::Waiting);
    EXPECT_EQ(steps[1].to, TicketStatus::Called);
    EXPECT_EQ(steps[1].window, 1);
    EXPECT_EQ(steps[1].clerk, "ivanova");
    EXPECT_EQ(steps[1].clerkName, "Иванова А.");

    EXPECT_EQ(steps[3].from, TicketStatus::Serving);
    EXPECT_EQ(steps[3].to, TicketStatus::Waiting);
    const json transfer = json::parse(steps[3].detail);
    EXPECT_EQ(transfer["from_service"], "A");
    EXPECT_EQ(transfer["to_service"], "C");
    EXPECT_EQ(transfer["note"], "tariff question");

    EXPECT_EQ(steps[5].window, 3);
    EXPECT_EQ(steps[5].clerk, "petrov");
    EXPECT_TRUE(steps[5].clerkName.empty());
    EXPECT_EQ(json::parse(steps[5].detail)["outcome"], "follow_up");

    auto unknown = m_reports->history(t.id + 100);
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, "unknown_ticket");
}

TEST_F(TicketReportsTest, ClerkDayCountsTodaysOwnSteps) {
    // Yesterday: one visitor served, not counted today.
    call(1, "ivanova", issue("A"));
    ASSERT_TRUE(m_store->finish(1, "", {"ivanova"}).ok());
    m_clock.setWall(*parseIso("2026-11-19T05:00:00.000Z"));

    // Waited 100 s, started 20 s after the call, done 200 s after the start.
    const Ticket t1 = issue("A");
    m_clock.advance(100s);
    call(1, "ivanova", t1);
    m_clock.advance(20s);
    ASSERT_TRUE(m_store->start(1, {"ivanova"}).ok());
    m_clock.advance(200s);
    ASSERT_TRUE(m_store->finish(1, "", {"ivanova"}).ok());
    // Waited 50 s, never started, done 60 s after the call; recalled once meanwhile.
    const Ticket t2 = issue("A");
    m_clock.advance(50s);
    call(1, "ivanova", t2);
    m_clock.advance(30s);
    ASSERT_TRUE(m_store->recall(1, {"ivanova"}).ok());
    m_clock.advance(30s);
    ASSERT_TRUE(m_store->finish(1, "", {"ivanova"}).ok());
    const WallTime lastDone = m_clock.wallNow();
    // Waited 30 s, did not come.
    const Ticket t3 = issue("C");
    m_clock.advance(30s);
    call(1, "ivanova", t3);
    ASSERT_TRUE(m_store->noShow(1, {"ivanova"}).ok());
    // Waited 40 s, returned to the queue, called again after 20 s more there, sent on.
    const Ticket t4 = issue("A");
    m_clock.advance(40s);
    call(1, "ivanova", t4);
    ASSERT_TRUE(m_store->returnToQueue(1, {"ivanova"}).ok());
    m_clock.advance(20s);
    call(1, "ivanova", t4);
    ASSERT_TRUE(m_store->transfer(1, {"B", std::nullopt, ""}, {"ivanova"}).ok());
    // Another clerk's work is theirs.
    m_clock.advance(10s);
    call(2, "petrov", t4);
    ASSERT_TRUE(m_store->finish(2, "", {"petrov"}).ok());

    auto day = m_reports->clerkDay("ivanova");
    ASSERT_TRUE(day.ok()) << day.error().code;
    EXPECT_EQ(day.value().day, "2026-11-19");
    EXPECT_EQ(day.value().served, 2);
    EXPECT_EQ(day.value().noShows, 1);
    EXPECT_EQ(day.value().transferred, 1);
    EXPECT_EQ(day.value().returned, 1);
    EXPECT_EQ(day.value().avgServiceSeconds, (200 + 60) / 2);
    // Each wait counted from when the ticket last began waiting: the second call of t4 waited
    // 20 s since its return, not 60 s since its issue.
    EXPECT_EQ(day.value().avgWaitSeconds, (100 + 50 + 30 + 40 + 20) / 5);
    EXPECT_EQ(day.value().lastDoneAt, lastDone);

    auto petrov = m_reports->clerkDay("petrov");
    ASSERT_TRUE(petrov.ok());
    EXPECT_EQ(petrov.value().served, 1);
    EXPECT_EQ(petrov.value().avgWaitSeconds, 10);  // since the transfer

    auto nobody = m_reports->clerkDay("sidorova");
    ASSERT_TRUE(nobody.ok());
    EXPECT_EQ(nobody.value().served, 0);
    EXPECT_EQ(nobody.value().noShows, 0);
    EXPECT_FALSE(nobody.value().avgServiceSeconds.has_value());
    EXPECT_FALSE(nobody.value().avgWaitSeconds.has_value());
    EXPECT_FALSE(nobody.value().lastDoneAt.has_value());
}

}  // namespace
}  // namespace talon::server
