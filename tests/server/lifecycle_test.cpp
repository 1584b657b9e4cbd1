// The ticket lifecycle on the real store: every legal step, every illegal one answered with a
// conflict that changes nothing, and the transitions log.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "../support/fake_clock.h"
#include "../support/server_process.h"
#include "talon/server/queue_store.h"

namespace talon::server {
namespace {

using namespace std::chrono_literals;

class LifecycleTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_config = demoConfig();
        m_config.database = (m_dir.path() / "talon.db").string();
        m_config.day.timezone = "UTC";
        m_config.queue.maxRecalls = 2;
        m_config.queue.noShowAfterMinutes = 5;
        open();
    }
    void open() {
        m_store.reset();
        m_hub = std::make_unique<EventHub>();
        auto s = QueueStore::open(m_config, *m_hub, m_clock);
        ASSERT_TRUE(s.ok()) << s.error().message;
        m_store = std::move(s).value();
    }
    Ticket issue(const std::string& service, Priority p = Priority::Normal) {
        auto r = m_store->issueTicket({service, p, {}, {}});
        EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().code);
        m_clock.advance(1s);
        return r.ok() ? r.value().ticket : Ticket{};
    }
    Ticket call(int window) {
        auto r = m_store->callNext(window);
        EXPECT_TRUE(r.ok() && r.value()) << (r.ok() ? "nobody" : r.error().code);
        return r.ok() && r.value() ? *r.value() : Ticket{};
    }
    std::vector<std::string> actions(int64_t ticketId) {
        SQLite::Database db(m_config.database);
        SQLite::Statement q(db, "SELECT action FROM ticket_transitions WHERE ticket_id = ? ORDER BY id");
        q.bind(1, ticketId);
        std::vector<std::string> out;
        while (q.executeStep()) out.push_back(q.getColumn(0).getString());
        return out;
    }
    int waiting(const std::string& letter) {
        for (const auto& s : m_store->services()) {
            if (s.letter == letter) return s.waiting;
        }
        return -1;
    }

    test::TempDir m_dir;
    test::FakeClock m_clock;
    ServerConfig m_config;
    std::unique_ptr<EventHub> m_hub;
    std::unique_ptr<QueueStore> m_store;
};

TEST_F(LifecycleTest, CallStartDoneWithOutcome) {
    const Ticket t = issue("A");
    call(1);
    m_clock.advance(30s);
    auto started = m_store->start(1, {"ivanova"});
    ASSERT_TRUE(started.ok());
    EXPECT_EQ(started.value().status, TicketStatus::Serving);
    EXPECT_TRUE(started.value().startedAt.has_value());
    m_clock.advance(4min);
    auto done = m_store->finish(1, "follow_up", {"ivanova"});
    ASSERT_TRUE(done.ok());
    EXPECT_EQ(done.value().status, TicketStatus::Done);
    EXPECT_EQ(done.value().outcome, "follow_up");
    EXPECT_EQ(actions(t.id), (std::vector<std::string>{"issue", "call", "start", "done"}));
    SQLite::Database db(m_config.database);
    EXPECT_EQ(db.execAndGet("SELECT clerk FROM ticket_transitions WHERE action = 'start'").getString(), "ivanova");
}

TEST_F(LifecycleTest, BadOutcomeRejectedAndNothingChanges) {
    issue("A");
    call(1);
    auto r = m_store->finish(1, "happy");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "bad_outcome");
    EXPECT_TRUE(m_store->window(1).value().current.has_value());
}

TEST_F(LifecycleTest, RecallCountsThenBecomesNoShow) {
    const Ticket t = issue("A");
    call(1);
    auto r1 = m_store->recall(1);
    ASSERT_TRUE(r1.ok());
    EXPECT_EQ(r1.value().recalls, 1);
    EXPECT_EQ(r1.value().status, TicketStatus::Called);
    auto r2 = m_store->recall(1);
    ASSERT_TRUE(r2.ok());
    EXPECT_EQ(r2.value().recalls, 2);
    auto r3 = m_store->recall(1);  // max_recalls = 2: the third recall means nobody came
    ASSERT_TRUE(r3.ok());
    EXPECT_EQ(r3.value().status, TicketStatus::NoShow);
    EXPECT_FALSE(m_store->window(1).value().current.has_value());
    EXPECT_EQ(actions(t.id).back(), "no_show_auto");
}

TEST_F(LifecycleTest, NoShowAfterTimeoutBySweep) {
    issue("A");
    call(1);
    m_clock.advance(4min);
    m_store->sweep();
    EXPECT_TRUE(m_store->window(1).value().current.has_value());
    m_clock.advance(1min);
    m_store->sweep();
    EXPECT_FALSE(m_store->window(1).value().current.has_value());
}

TEST_F(LifecycleTest, StartedTicketIsNotTimedOut) {
    issue("A");
    call(1);
    ASSERT_TRUE(m_store->start(1).ok());
    m_clock.advance(30min);
    m_store->sweep();
    EXPECT_TRUE(m_store->window(1).value().current.has_value());
}

TEST_F(LifecycleTest, ReturnKeepsItsPlace) {
    const Ticket first = issue("A");
    issue("A");
    issue("A");
    call(1);  // first
    ASSERT_TRUE(m_store->returnToQueue(1).ok());
    EXPECT_EQ(waiting("A"), 3);
    auto again = m_store->callNext(2);
    ASSERT_TRUE(again.ok() && again.value());
    EXPECT_EQ(again.value()->id, first.id) << "a returned ticket keeps its original place";
}

TEST_F(LifecycleTest, TransferToServiceKeepsIssueTime) {
    issue("B");  // issued later than our A ticket? no: earlier, to check ordering in B
    const Ticket a = issue("A");
    issue("B");
    call(1);  // A001 at window 1
    auto moved = m_store->transfer(1, {std::string("B"), std::nullopt, "needs a meter check"});
    ASSERT_TRUE(moved.ok()) << moved.error().code;
    EXPECT_EQ(moved.value().service, "B");
    EXPECT_EQ(moved.value().number, a.number) << "the visitor keeps the number they hold";
    EXPECT_EQ(moved.value().issuedAt, a.issuedAt);
    EXPECT_EQ(waiting("B"), 3);
    // Window 3 serves B: the first B ticket is older, then the transferred one comes before
    // the B ticket issued after it.
    EXPECT_EQ(call(3).service, "B");
    ASSERT_TRUE(m_store->finish(3).ok());
    EXPECT_EQ(call(3).id, a.id);
    SQLite::Database db(m_config.database);
    const std::string detail = db.execAndGet("SELECT detail FROM ticket_transitions WHERE action = 'transfer'").getString();
    EXPECT_NE(detail.find("needs a meter check"), std::string::npos);
}

TEST_F(LifecycleTest, TransferToWindowGoesFirstThereOnly) {
    issue("D");
    issue("D");
    const Ticket a = issue("A");
    call(1);
    ASSERT_TRUE(m_store->transfer(1, {std::nullopt, 4, {}}).ok());
    // Window 2 serves A but the ticket is reserved for window 4.
    auto other = m_store->callNext(2);
    ASSERT_TRUE(other.ok());
    EXPECT_FALSE(other.value().has_value());
    // Window 4 serves D (two older D tickets wait) but takes the transferred ticket first.
    EXPECT_EQ(call(4).id, a.id);
}

TEST_F(LifecycleTest, CancelOnlyWhileWaiting) {
    const Ticket t = issue("A");
    auto c = m_store->cancel(t.id);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c.value().status, TicketStatus::Cancelled);
    EXPECT_EQ(waiting("A"), 0);
    auto again = m_store->cancel(t.id);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, "illegal_transition");
    auto missing = m_store->cancel(999999);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, "unknown_ticket");
}

TEST_F(LifecycleTest, CallSpecificTicketOutOfOrder) {
    issue("A");
    const Ticket later = issue("C");
    auto c = m_store->callTicket(2, later.id);  // window 2 does not even serve C
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c.value().id, later.id);
    EXPECT_EQ(c.value().window, 2);
    EXPECT_EQ(actions(later.id).back(), "call_specific");
}

TEST_F(LifecycleTest, CallingATicketAnotherWindowHoldsConflicts) {
    const Ticket t = issue("A");
    call(1);
    auto c = m_store->callTicket(2, t.id);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.error().code, "illegal_transition");
    EXPECT_EQ(m_store->window(1).value().current->id, t.id);
}

TEST_F(LifecycleTest, DoneTicketCannotMoveAgain) {
    const Ticket t = issue("A");
    call(1);
    ASSERT_TRUE(m_store->finish(1).ok());
    const int64_t lastEvent = m_hub->lastId();
    auto callAgain = m_store->callTicket(1, t.id);
    ASSERT_FALSE(callAgain.ok());
    EXPECT_EQ(callAgain.error().code, "illegal_transition");
    EXPECT_EQ(m_store->recall(1).error().code, "no_current_ticket");
    EXPECT_EQ(m_store->start(1).error().code, "no_current_ticket");
    EXPECT_EQ(m_store->finish(1).error().code, "no_current_ticket");
    EXPECT_EQ(m_store->noShow(1).error().code, "no_current_ticket");
    EXPECT_EQ(m_store->returnToQueue(1).error().code, "no_current_ticket");
    EXPECT_EQ(m_store->cancel(t.id).error().code, "illegal_transition");
    EXPECT_EQ(m_hub->lastId(), lastEvent) << "refused steps publish nothing";
}

TEST_F(LifecycleTest, ServingTicketCannotBeRecalledOrNoShow) {
    issue("A");
    call(1);
    ASSERT_TRUE(m_store->start(1).ok());
    EXPECT_EQ(m_store->recall(1).error().code, "illegal_transition");
    EXPECT_EQ(m_store->noShow(1).error().code, "illegal_transition");
    EXPECT_EQ(m_store->start(1).error().code, "illegal_transition");
    EXPECT_TRUE(m_store->finish(1).ok());
}

TEST_F(LifecycleTest, PausedWindowDoesNotCall) {
    issue("A");
    ASSERT_TRUE(m_store->pause(1, "lunch").ok());
    auto r = m_store->callNext(1);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "window_paused");
    EXPECT_EQ(m_store->window(1).value().pauseReason, "lunch");
    ASSERT_TRUE(m_store->resume(1).ok());
    EXPECT_TRUE(m_store->callNext(1).ok());
    EXPECT_EQ(m_store->pause(1, "x").error().code, "window_busy");
}

TEST_F(LifecycleTest, StateSurvivesReopenMidLifecycle) {
    issue("A");
    const Ticket b = issue("B");
    call(1);
    ASSERT_TRUE(m_store->start(1).ok());
    ASSERT_TRUE(m_store->pause(5, "training").ok());
    open();
    auto w1 = m_store->window(1).value();
    ASSERT_TRUE(w1.current.has_value());
    EXPECT_EQ(w1.current->status, TicketStatus::Serving);
    EXPECT_EQ(m_store->window(5).value().state, WindowState::Paused);
    auto t = m_store->ticket(b.id);
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t.value().ahead, 0);
}

TEST_F(LifecycleTest, PriorityFirstThenLongestWait) {
    const Ticket normal = issue("A");
    m_clock.advance(10min);
    const Ticket prio = issue("A", Priority::Priority);
    EXPECT_EQ(call(1).id, prio.id);
    ASSERT_TRUE(m_store->finish(1).ok());
    EXPECT_EQ(call(1).id, normal.id);
}

}  // namespace
}  // namespace talon::server
