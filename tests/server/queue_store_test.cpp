// QueueStore on a real SQLite file: numbering, idempotency, routing across a window's
// services, conflicts, and state surviving a reopen.
#include "talon/server/queue_store.h"

#include <gtest/gtest.h>

#include "../support/fake_clock.h"
#include "../support/server_process.h"

namespace talon::server {
namespace {

using namespace std::chrono_literals;

class QueueStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_config = demoConfig();
        m_config.database = (m_dir.path() / "talon.db").string();
        open();
    }
    void open() {
        m_store.reset();
        m_hub = std::make_unique<EventHub>();
        auto s = QueueStore::open(m_config, *m_hub, m_clock);
        ASSERT_TRUE(s.ok()) << s.error().message;
        m_store = std::move(s).value();
    }
    Ticket issue(const std::string& service, const std::string& key = {}) {
        auto r = m_store->issueTicket({service, Priority::Normal, key});
        EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
        return r.ok() ? r.value().ticket : Ticket{};
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

TEST_F(QueueStoreTest, NumbersPerServiceFromOne) {
    EXPECT_EQ(issue("A").number, "A001");
    EXPECT_EQ(issue("A").number, "A002");
    EXPECT_EQ(issue("B").number, "B001");
    EXPECT_EQ(issue("A").number, "A003");
    EXPECT_EQ(waiting("A"), 3);
    EXPECT_EQ(waiting("B"), 1);
}

TEST_F(QueueStoreTest, NumberingRestartsNextDay) {
    EXPECT_EQ(issue("A").number, "A001");
    m_clock.advance(24h);
    EXPECT_EQ(issue("A").number, "A001");
}

TEST_F(QueueStoreTest, AheadCountsWaitingOfTheSameService) {
    EXPECT_EQ(issue("A").ahead, 0);
    EXPECT_EQ(issue("B").ahead, 0);
    EXPECT_EQ(issue("A").ahead, 1);
    EXPECT_EQ(issue("A").ahead, 2);
}

TEST_F(QueueStoreTest, IdempotentRetryReturnsSameTicket) {
    const Ticket first = issue("A", "key-1");
    auto again = m_store->issueTicket({"A", Priority::Normal, "key-1"});
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again.value().replayed);
    EXPECT_EQ(again.value().ticket.id, first.id);
    EXPECT_EQ(again.value().ticket.number, "A001");
    EXPECT_EQ(waiting("A"), 1);
    EXPECT_EQ(issue("A").number, "A002");  // the retry consumed no number
}

TEST_F(QueueStoreTest, IdempotencyKeyForAnotherServiceConflicts) {
    issue("A", "key-1");
    auto other = m_store->issueTicket({"B", Priority::Normal, "key-1"});
    ASSERT_FALSE(other.ok());
    EXPECT_EQ(other.error().code, "idempotency_conflict");
    EXPECT_EQ(waiting("B"), 0);
}

TEST_F(QueueStoreTest, UnknownServiceChangesNothing) {
    const int64_t before = m_hub->lastId();
    auto r = m_store->issueTicket({"Z", Priority::Normal, ""});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "unknown_service");
    ASSERT_EQ(r.error().params.size(), 1u);
    EXPECT_EQ(r.error().params[0].second, "Z");
    EXPECT_EQ(m_hub->lastId(), before);
}

TEST_F(QueueStoreTest, ServiceMayBeGivenById) {
    const auto services = m_store->services();
    auto r = m_store->issueTicket({std::to_string(services[1].id), Priority::Normal, ""});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value().ticket.service, services[1].letter);
}

TEST_F(QueueStoreTest, CallNextServesOnlyTheWindowsServices) {
    issue("D");  // window 1 serves A and C only
    auto none = m_store->callNext(1);
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none.value().has_value());
    m_clock.advance(1s);
    issue("A");
    auto called = m_store->callNext(1);
    ASSERT_TRUE(called.ok());
    ASSERT_TRUE(called.value().has_value());
    EXPECT_EQ(called.value()->number, "A001");
    EXPECT_EQ(called.value()->status, TicketStatus::Called);
    EXPECT_EQ(called.value()->window, 1);
    EXPECT_EQ(waiting("A"), 0);
    EXPECT_EQ(waiting("D"), 1);
}

TEST_F(QueueStoreTest, OldestAcrossServicesFirst) {
    issue("C");
    m_clock.advance(60s);
    issue("A");
    m_clock.advance(60s);
    // Window 3 serves B and C with equal weight: C has waited longest.
    issue("B");
    auto called = m_store->callNext(3);
    ASSERT_TRUE(called.ok() && called.value());
    EXPECT_EQ(called.value()->service, "C");
}

TEST_F(QueueStoreTest, BusyWindowMustFinishFirst) {
    issue("A");
    issue("A");
    ASSERT_TRUE(m_store->callNext(2).ok());
    auto busy = m_store->callNext(2);
    ASSERT_FALSE(busy.ok());
    EXPECT_EQ(busy.error().code, "window_busy");
    auto done = m_store->finish(2);
    ASSERT_TRUE(done.ok());
    EXPECT_EQ(done.value().status, TicketStatus::Done);
    EXPECT_TRUE(done.value().finishedAt.has_value());
    auto next = m_store->callNext(2);
    ASSERT_TRUE(next.ok() && next.value());
    EXPECT_EQ(next.value()->number, "A002");
}

TEST_F(QueueStoreTest, FinishWithoutTicketAndUnknownWindow) {
    auto r = m_store->finish(1);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "no_current_ticket");
    auto u = m_store->callNext(77);
    ASSERT_FALSE(u.ok());
    EXPECT_EQ(u.error().code, "unknown_window");
}

TEST_F(QueueStoreTest, EveryChangeAppendsOneEvent) {
    issue("A");
    ASSERT_TRUE(m_store->callNext(1).ok());
    ASSERT_TRUE(m_store->finish(1).ok());
    auto events = m_store->eventsAfter(0, 100);
    ASSERT_TRUE(events.ok());
    ASSERT_EQ(events.value().size(), 3u);
    EXPECT_EQ(events.value()[0].type, "ticket.issued");
    EXPECT_EQ(events.value()[1].type, "ticket.called");
    EXPECT_EQ(events.value()[2].type, "ticket.done");
    EXPECT_LT(events.value()[0].id, events.value()[1].id);
    EXPECT_EQ(m_hub->lastId(), events.value()[2].id);
}

TEST_F(QueueStoreTest, StateSurvivesReopen) {
    issue("A");
    issue("A");
    issue("B");
    ASSERT_TRUE(m_store->callNext(1).ok());
    const int64_t lastEvent = m_hub->lastId();
    const std::string logId = m_store->board().logId;
    open();
    EXPECT_EQ(waiting("A"), 1);
    EXPECT_EQ(waiting("B"), 1);
    auto w = m_store->window(1);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(w.value().current.has_value());
    EXPECT_EQ(w.value().current->number, "A001");
    const Board b = m_store->board();
    ASSERT_EQ(b.calls.size(), 1u);
    EXPECT_EQ(b.calls[0].number, "A001");
    EXPECT_EQ(b.lastEventId, lastEvent);
    EXPECT_EQ(b.logId, logId);
    EXPECT_FALSE(logId.empty());
    EXPECT_EQ(issue("A").number, "A003");
}

TEST_F(QueueStoreTest, RemovedServiceIsHiddenButHistoryKept) {
    issue("V");
    m_config.services.pop_back();  // V
    for (auto& w : m_config.windows) std::erase_if(w.services, [](const WindowService& s) { return s.service == "V"; });
    open();
    for (const auto& s : m_store->services()) EXPECT_NE(s.letter, "V");
    auto r = m_store->issueTicket({"V", Priority::Normal, ""});
    EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace talon::server
