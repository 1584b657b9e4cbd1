// QueueStore on a real SQLite file: numbering, idempotency, routing across a window's
// services (and the ones its clerk chose), the waiting list, the longest wait per service,
// conflicts, and state surviving a reopen.
#include "talon/server/queue_store.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

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

TEST_F(QueueStoreTest, CallNextKeepsToTheServicesTheClerkChose) {
    const Ticket c1 = issue("C");  // window 1 serves A and C; C has waited longest
    m_clock.advance(60s);
    const Ticket a1 = issue("A");
    m_clock.advance(60s);
    auto onlyA = m_store->callNext(1, {}, {"A"});
    ASSERT_TRUE(onlyA.ok() && onlyA.value());
    EXPECT_EQ(onlyA.value()->id, a1.id);
    ASSERT_TRUE(m_store->finish(1).ok());
    // Nothing of A waits: nothing to call, though C does.
    auto none = m_store->callNext(1, {}, {"A"});
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none.value().has_value());
    EXPECT_EQ(waiting("C"), 1);
    // A letter the window does not serve adds nothing.
    auto foreign = m_store->callNext(1, {}, {"A", "D"});
    ASSERT_TRUE(foreign.ok());
    EXPECT_FALSE(foreign.value().has_value());

    // A ticket transferred to this very window is called whatever was chosen.
    const Ticket b1 = issue("B");
    ASSERT_TRUE(m_store->callNext(2).ok());
    ASSERT_TRUE(m_store->transfer(2, {std::nullopt, 1, "for window 1"}).ok());
    auto assigned = m_store->callNext(1, {}, {"A"});
    ASSERT_TRUE(assigned.ok() && assigned.value());
    EXPECT_EQ(assigned.value()->id, b1.id);
    ASSERT_TRUE(m_store->finish(1).ok());
    // No choice: every service of the window.
    auto all = m_store->callNext(1, {}, {});
    ASSERT_TRUE(all.ok() && all.value());
    EXPECT_EQ(all.value()->id, c1.id);
}

TEST_F(QueueStoreTest, WaitingListPriorityFirstThenIssueTime) {
    const Ticket a1 = issue("A");
    m_clock.advance(10s);
    const Ticket b1 = issue("B");
    m_clock.advance(10s);
    auto vip = m_store->issueTicket({"A", Priority::Priority, ""});
    ASSERT_TRUE(vip.ok());
    m_clock.advance(10s);
    const Ticket a3 = issue("A");
    m_clock.advance(5s);

    auto all = m_store->waitingTickets({});
    ASSERT_TRUE(all.ok());
    EXPECT_EQ(all.value().total, 4);
    ASSERT_EQ(all.value().tickets.size(), 4u);
    EXPECT_EQ(all.value().tickets[0].id, vip.value().ticket.id);
    EXPECT_EQ(all.value().tickets[0].priority, Priority::Priority);
    EXPECT_EQ(all.value().tickets[1].id, a1.id);
    EXPECT_EQ(all.value().tickets[1].number, "A001");
    EXPECT_EQ(all.value().tickets[1].waitSeconds, 35);
    EXPECT_EQ(all.value().tickets[2].id, b1.id);
    EXPECT_EQ(all.value().tickets[3].id, a3.id);

    auto onlyA = m_store->waitingTickets({{"A"}, "", 2});
    ASSERT_TRUE(onlyA.ok());
    EXPECT_EQ(onlyA.value().total, 3);  // all of A, though only two are listed
    ASSERT_EQ(onlyA.value().tickets.size(), 2u);
    EXPECT_EQ(onlyA.value().tickets[1].id, a1.id);

    // A number as a clerk types it, in any case.
    auto byNumber = m_store->waitingTickets({{}, "a003", 50});
    ASSERT_TRUE(byNumber.ok());
    ASSERT_EQ(byNumber.value().tickets.size(), 1u);
    EXPECT_EQ(byNumber.value().tickets[0].id, a3.id);
    auto otherService = m_store->waitingTickets({{"B"}, "A003", 50});
    ASSERT_TRUE(otherService.ok());
    EXPECT_TRUE(otherService.value().tickets.empty());

    // Called tickets leave the list; a transfer to a window says so.
    ASSERT_TRUE(m_store->callNext(2).ok());  // the priority ticket
    ASSERT_TRUE(m_store->transfer(2, {std::nullopt, 4, ""}).ok());
    auto after = m_store->waitingTickets({{"A"}, "", 50});
    ASSERT_TRUE(after.ok());
    ASSERT_EQ(after.value().tickets.size(), 3u);
    EXPECT_EQ(after.value().tickets[0].assignedWindow, 4);

    auto unknown = m_store->waitingTickets({{"A", "Z"}, "", 50});
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, "unknown_service");
}

TEST_F(QueueStoreTest, OldestWaitingPerServiceFollowsTheQueue) {
    auto oldest = [&](const std::string& letter) -> std::optional<WallTime> {
        for (const auto& s : m_store->services()) {
            if (s.letter == letter) return s.oldestIssuedAt;
        }
        ADD_FAILURE() << "no service " << letter;
        return std::nullopt;
    };
    EXPECT_FALSE(oldest("A").has_value());
    const Ticket a1 = issue("A");
    m_clock.advance(30s);
    const Ticket a2 = issue("A");
    EXPECT_EQ(oldest("A"), a1.issuedAt);
    ASSERT_TRUE(m_store->callNext(1).ok());
    EXPECT_EQ(oldest("A"), a2.issuedAt);
    // Returned, it keeps its place and its issue time.
    ASSERT_TRUE(m_store->returnToQueue(1).ok());
    EXPECT_EQ(oldest("A"), a1.issuedAt);
    for (const auto& s : m_store->board().services) {
        if (s.letter == "A") {
            EXPECT_EQ(s.oldestIssuedAt, a1.issuedAt);
        }
    }
    // Events carry the same, per service.
    auto events = m_store->eventsAfter(0, 100);
    ASSERT_TRUE(events.ok());
    const auto last = nlohmann::json::parse(events.value().back().data);
    EXPECT_EQ(last["oldest"]["A"], formatIso(a1.issuedAt));
    EXPECT_TRUE(last["oldest"]["B"].is_null());
    ASSERT_TRUE(m_store->cancel(a1.id).ok());
    ASSERT_TRUE(m_store->cancel(a2.id).ok());
    EXPECT_FALSE(oldest("A").has_value());
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
