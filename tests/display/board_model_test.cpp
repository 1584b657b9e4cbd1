// BoardModel: snapshot and event merging, duplicate events, flashing, connection state.
#include "talon/display/board_model.h"

#include <gtest/gtest.h>

#include "../support/fake_clock.h"

namespace talon::display {
namespace {

using namespace std::chrono_literals;

Board snapshot(int64_t lastId, std::vector<BoardCall> calls = {}) {
    Board b;
    b.calls = std::move(calls);
    b.services = {{1, "A", {{"ru", "Оплата"}}, 3}, {2, "B", {{"ru", "Счётчики"}}, 0}};
    b.lastEventId = lastId;
    b.logId = "log1";
    return b;
}

QueueEvent called(int64_t id, int64_t ticketId, const std::string& number, int window, int waitingA) {
    QueueEvent e;
    e.id = id;
    e.type = "ticket.called";
    Ticket t;
    t.id = ticketId;
    t.number = number;
    t.service = number.substr(0, 1);
    t.status = TicketStatus::Called;
    t.window = window;
    t.calledAt = fromMillis(1'800'000'000'000 + id);
    e.ticket = t;
    e.waiting = {{"A", waitingA}, {"B", 0}};
    return e;
}

class BoardModelTest : public ::testing::Test {
protected:
    test::FakeClock clock;
    BoardModel model{clock};
};

TEST_F(BoardModelTest, SnapshotThenCallsNewestFirst) {
    model.onSnapshot(snapshot(10));
    model.onEvent(called(11, 1, "A001", 3, 2));
    model.onEvent(called(12, 2, "A002", 1, 1));
    ASSERT_EQ(model.calls().size(), 2u);
    EXPECT_EQ(model.calls()[0].number, "A002");
    EXPECT_EQ(model.calls()[0].window, 1);
    EXPECT_EQ(model.calls()[1].number, "A001");
    EXPECT_EQ(model.services()[0].waiting, 1);
    EXPECT_EQ(model.lastEventId(), 12);
}

TEST_F(BoardModelTest, ReplayedEventsAreNotShownTwice) {
    model.onSnapshot(snapshot(10));
    model.onEvent(called(11, 1, "A001", 3, 2));
    model.onEvent(called(11, 1, "A001", 3, 2));
    model.onEvent(called(9, 7, "B009", 2, 2));  // already in the snapshot
    EXPECT_EQ(model.calls().size(), 1u);
}

TEST_F(BoardModelTest, StaleSnapshotIgnored) {
    model.onSnapshot(snapshot(10));
    model.onEvent(called(11, 1, "A001", 3, 2));
    model.onSnapshot(snapshot(10));  // fetched before event 11 was applied
    ASSERT_EQ(model.calls().size(), 1u);
    EXPECT_EQ(model.lastEventId(), 11);
}

TEST_F(BoardModelTest, NewerSnapshotReplacesState) {
    model.onSnapshot(snapshot(10));
    model.onEvent(called(11, 1, "A001", 3, 2));
    model.onSnapshot(snapshot(20, {{5, "B005", "B", 4, fromMillis(1), TicketStatus::Called}}));
    ASSERT_EQ(model.calls().size(), 1u);
    EXPECT_EQ(model.calls()[0].number, "B005");
    EXPECT_EQ(model.lastEventId(), 20);
}

TEST_F(BoardModelTest, SnapshotFromANewLogStartsOver) {
    model.onSnapshot(snapshot(500));
    Board fresh = snapshot(2);
    fresh.logId = "log2";
    model.onSnapshot(fresh);
    EXPECT_EQ(model.lastEventId(), 2);
    model.onEvent(called(3, 1, "A001", 1, 0));
    EXPECT_EQ(model.calls().size(), 1u);
}

TEST_F(BoardModelTest, RecallMovesTicketToTopWithoutDuplicate) {
    model.onSnapshot(snapshot(0));
    model.onEvent(called(1, 1, "A001", 3, 0));
    model.onEvent(called(2, 2, "A002", 1, 0));
    model.onEvent(called(3, 1, "A001", 3, 0));
    ASSERT_EQ(model.calls().size(), 2u);
    EXPECT_EQ(model.calls()[0].number, "A001");
}

TEST_F(BoardModelTest, DoneMarksCall) {
    model.onSnapshot(snapshot(0));
    model.onEvent(called(1, 1, "A001", 3, 0));
    QueueEvent done = called(2, 1, "A001", 3, 0);
    done.type = "ticket.done";
    done.ticket->status = TicketStatus::Done;
    model.onEvent(done);
    EXPECT_EQ(model.calls()[0].status, TicketStatus::Done);
}

TEST_F(BoardModelTest, NewCallFlashesThenStops) {
    model.onSnapshot(snapshot(0));
    model.onEvent(called(1, 1, "A001", 3, 0));
    EXPECT_TRUE(model.flashing(1));
    EXPECT_TRUE(model.flashOn(1));
    ASSERT_TRUE(model.nextWake().has_value());
    EXPECT_EQ(*model.nextWake(), clock.now() + 500ms);
    clock.advance(600ms);
    EXPECT_FALSE(model.flashOn(1));  // the "off" half
    clock.advance(6s);
    model.tick();
    EXPECT_FALSE(model.flashing(1));
    EXPECT_FALSE(model.nextWake().has_value());  // calm board: no frames needed
}

TEST_F(BoardModelTest, SnapshotCallsDoNotFlash) {
    model.onSnapshot(snapshot(5, {{5, "B005", "B", 4, fromMillis(1), TicketStatus::Called}}));
    EXPECT_FALSE(model.flashing(5));
    EXPECT_FALSE(model.nextWake().has_value());
}

TEST_F(BoardModelTest, ConnectionStateKeepsLastBoard) {
    EXPECT_EQ(model.connection(), Connection::Connecting);
    model.onConnection(true);
    model.onSnapshot(snapshot(0));
    model.onEvent(called(1, 1, "A001", 3, 0));
    model.onConnection(false);
    EXPECT_EQ(model.connection(), Connection::Lost);
    EXPECT_EQ(model.calls().size(), 1u);
}

TEST_F(BoardModelTest, KeepsAtMostMaxCalls) {
    model.onSnapshot(snapshot(0));
    for (int i = 1; i <= 30; ++i) model.onEvent(called(i, i, "A0" + std::to_string(10 + i), 1, 0));
    EXPECT_EQ(model.calls().size(), BoardSettings{}.maxCalls);
    EXPECT_EQ(model.calls()[0].ticketId, 30);
}

TEST_F(BoardModelTest, RecallFlashesAgain) {
    model.onSnapshot(snapshot(0));
    model.onEvent(called(1, 1, "A001", 3, 0));
    clock.advance(10s);
    model.tick();
    EXPECT_FALSE(model.flashing(1));
    QueueEvent recall = called(2, 1, "A001", 3, 0);
    recall.type = "ticket.recalled";
    model.onEvent(recall);
    EXPECT_TRUE(model.flashing(1));
    EXPECT_EQ(model.calls().size(), 1u);
}

TEST_F(BoardModelTest, ReturnedOrTransferredTicketLeavesTheBoard) {
    model.onSnapshot(snapshot(0));
    model.onEvent(called(1, 1, "A001", 3, 0));
    model.onEvent(called(2, 2, "A002", 1, 0));
    QueueEvent back = called(3, 1, "A001", 3, 1);
    back.type = "ticket.returned";
    back.ticket->status = TicketStatus::Waiting;
    model.onEvent(back);
    ASSERT_EQ(model.calls().size(), 1u);
    EXPECT_EQ(model.calls()[0].number, "A002");
    EXPECT_EQ(model.services()[0].waiting, 1);
}

TEST_F(BoardModelTest, NoShowDimsTheCall) {
    model.onSnapshot(snapshot(0));
    model.onEvent(called(1, 1, "A001", 3, 0));
    QueueEvent gone = called(2, 1, "A001", 3, 0);
    gone.type = "ticket.no_show";
    gone.ticket->status = TicketStatus::NoShow;
    model.onEvent(gone);
    EXPECT_EQ(model.calls()[0].status, TicketStatus::NoShow);
}

TEST_F(BoardModelTest, NewDayClearsCallsAndEventsCarryEstimates) {
    model.onSnapshot(snapshot(0));
    model.onEvent(called(1, 1, "A001", 3, 4));
    QueueEvent day;
    day.id = 2;
    day.type = "day.started";
    day.waiting = {{"A", 0}};
    day.ewt = {{"A", 0}, {"B", std::nullopt}};
    model.onEvent(day);
    EXPECT_TRUE(model.calls().empty());
    EXPECT_EQ(model.services()[0].waiting, 0);
    EXPECT_EQ(model.services()[0].ewtSeconds, 0);
    EXPECT_FALSE(model.services()[1].ewtSeconds.has_value());
}

BoardCall boardCall(int64_t ticketId, const std::string& number, int window, int64_t calledMs, int recalls = 0) {
    return {ticketId, number, number.substr(0, 1), window, fromMillis(1'800'000'000'000 + calledMs), TicketStatus::Called,
            recalls};
}

TEST_F(BoardModelTest, EveryCallIsSpokenOnceInOrder) {
    model.onSnapshot(snapshot(10));
    EXPECT_TRUE(model.takeAnnouncements().empty());
    model.onEvent(called(11, 1, "A001", 3, 2));
    model.onEvent(called(12, 2, "B001", 1, 1));
    model.onEvent(called(12, 2, "B001", 1, 1));  // replayed
    auto spoken = model.takeAnnouncements();
    ASSERT_EQ(spoken.size(), 2u);
    EXPECT_EQ(spoken[0].number, "A001");
    EXPECT_EQ(spoken[0].window, 3);
    EXPECT_EQ(spoken[1].number, "B001");
    EXPECT_FALSE(spoken[1].recall);
    EXPECT_TRUE(model.takeAnnouncements().empty());
}

TEST_F(BoardModelTest, RecallIsSpokenAgain) {
    model.onSnapshot(snapshot(10));
    model.onEvent(called(11, 1, "A001", 3, 2));
    QueueEvent recall = called(12, 1, "A001", 3, 2);
    recall.type = "ticket.recalled";
    recall.ticket->recalls = 1;
    model.onEvent(recall);
    auto spoken = model.takeAnnouncements();
    ASSERT_EQ(spoken.size(), 2u);
    EXPECT_FALSE(spoken[0].recall);
    EXPECT_TRUE(spoken[1].recall);
    EXPECT_EQ(model.calls().size(), 1u);
}

TEST_F(BoardModelTest, StartUpDoesNotRepeatCallsAlreadyHeard) {
    model.onSnapshot(snapshot(10, {boardCall(2, "A002", 1, 9), boardCall(1, "A001", 2, 8)}));
    EXPECT_TRUE(model.takeAnnouncements().empty());
    EXPECT_EQ(model.calls().size(), 2u);
}

TEST_F(BoardModelTest, CallsMissedWhileAwayAreSpokenFromTheNextSnapshot) {
    model.onSnapshot(snapshot(10, {boardCall(1, "A001", 2, 8)}));
    model.onConnection(false);
    // Back: the snapshot has two calls made during the gap (newest first) and the old one.
    model.onSnapshot(snapshot(15, {boardCall(3, "B001", 4, 14), boardCall(2, "A002", 1, 12), boardCall(1, "A001", 2, 8)}));
    auto spoken = model.takeAnnouncements();
    ASSERT_EQ(spoken.size(), 2u);
    EXPECT_EQ(spoken[0].number, "A002") << "oldest first";
    EXPECT_EQ(spoken[1].number, "B001");
    // The same call replayed as an event afterwards (same call time) is not spoken again.
    QueueEvent replay = called(16, 3, "B001", 4, 0);
    replay.ticket->calledAt = fromMillis(1'800'000'000'000 + 14);
    model.onEvent(replay);
    EXPECT_TRUE(model.takeAnnouncements().empty());
}

TEST_F(BoardModelTest, CallsLearntLongAfterAreShownNotSpoken) {
    model.onSnapshot(snapshot(10));
    clock.setWall(fromMillis(1'800'000'000'000 + 11 + 10 * 60 * 1000));  // ten minutes after the call
    model.onEvent(called(11, 1, "A001", 3, 2));
    EXPECT_EQ(model.calls().size(), 1u);
    EXPECT_TRUE(model.takeAnnouncements().empty());
}

TEST_F(BoardModelTest, FiltersLimitCallsAndServices) {
    BoardSettings settings;
    settings.services = {"A"};
    settings.windows = {1, 2};
    BoardModel hall{clock, settings};
    hall.onSnapshot(snapshot(10, {boardCall(5, "B005", 1, 5), boardCall(4, "A004", 3, 4), boardCall(3, "A003", 2, 3)}));
    ASSERT_EQ(hall.calls().size(), 1u);
    EXPECT_EQ(hall.calls()[0].number, "A003");
    ASSERT_EQ(hall.services().size(), 1u);
    EXPECT_EQ(hall.services()[0].letter, "A");
    hall.onEvent(called(11, 6, "B006", 1, 1));
    hall.onEvent(called(12, 7, "A007", 5, 1));
    hall.onEvent(called(13, 8, "A008", 1, 1));
    auto spoken = hall.takeAnnouncements();
    ASSERT_EQ(spoken.size(), 1u);
    EXPECT_EQ(spoken[0].number, "A008");
    EXPECT_EQ(hall.calls().size(), 2u);
}

Announcement notice(int64_t id, const std::string& text, const std::string& priority = "normal") {
    Announcement a;
    a.id = id;
    a.texts = {{"ru", text}, {"en", text}};
    a.priority = priority;
    a.createdAt = fromMillis(1'795'000'000'000 + id);
    return a;
}

QueueEvent announcementEvent(int64_t id, const std::string& type, const Announcement& a) {
    QueueEvent e;
    e.id = id;
    e.type = type;
    if (type == "announcement.deleted") {
        e.announcementId = a.id;
    } else {
        e.announcement = a;
    }
    return e;
}

TEST_F(BoardModelTest, AnnouncementsFromSnapshotAndEvents) {
    Board b = snapshot(10);
    b.announcements = {notice(1, "Касса работает до 18:00")};
    b.windows = {{3, "Окно 3"}, {7, "Касса"}};
    model.onSnapshot(b);
    EXPECT_EQ(model.windowName(7), "Касса");
    EXPECT_EQ(model.windowName(9), "");
    ASSERT_NE(model.rotating(), nullptr);
    EXPECT_EQ(model.rotating()->id, 1);
    EXPECT_EQ(model.urgent(), nullptr);
    model.onEvent(announcementEvent(11, "announcement.created", notice(2, "Пожарная тревога", "urgent")));
    ASSERT_NE(model.urgent(), nullptr);
    EXPECT_EQ(model.urgent()->id, 2);
    Announcement changed = notice(2, "Учебная тревога", "urgent");
    model.onEvent(announcementEvent(12, "announcement.updated", changed));
    EXPECT_EQ(model.urgent()->texts.at("ru"), "Учебная тревога");
    EXPECT_EQ(model.announcements().size(), 2u);
    model.onEvent(announcementEvent(13, "announcement.deleted", changed));
    EXPECT_EQ(model.urgent(), nullptr);
    EXPECT_EQ(model.announcements().size(), 1u);
}

TEST_F(BoardModelTest, AnnouncementsFollowTheirTimeWindow) {
    Board b = snapshot(10);
    Announcement later = notice(1, "Завтра выходной", "urgent");
    later.startsAt = clock.wallNow() + std::chrono::minutes(5);
    later.endsAt = clock.wallNow() + std::chrono::minutes(10);
    b.announcements = {later};
    model.onSnapshot(b);
    EXPECT_EQ(model.urgent(), nullptr);
    auto wake = model.nextWake();
    ASSERT_TRUE(wake.has_value());
    EXPECT_EQ(*wake, clock.now() + std::chrono::minutes(5)) << "wakes when it starts";
    clock.advance(5min);
    EXPECT_NE(model.urgent(), nullptr);
    clock.advance(5min);
    EXPECT_EQ(model.urgent(), nullptr);
}

TEST_F(BoardModelTest, SlidesRotateWhenCalm) {
    BoardSettings settings;
    settings.calmAfter = 30s;
    settings.slideSeconds = 10s;
    BoardModel board{clock, settings};
    Board b = snapshot(10);
    b.announcements = {notice(2, "Второе"), notice(1, "Первое")};
    board.onSnapshot(b);
    EXPECT_FALSE(board.calm());
    clock.advance(30s);
    EXPECT_TRUE(board.calm());
    const int64_t first = board.rotating()->id;
    clock.advance(10s);
    EXPECT_NE(board.rotating()->id, first);
    board.onEvent(called(11, 1, "A001", 3, 2));
    EXPECT_FALSE(board.calm()) << "a call ends the calm at once";
    auto wake = board.nextWake();
    ASSERT_TRUE(wake.has_value());
    EXPECT_LE(*wake, clock.now() + 10s);
}

TEST_F(BoardModelTest, ReturnedAndCalledAgainAtTheSameWindowIsSpokenAgain) {
    model.onSnapshot(snapshot(10));
    model.onEvent(called(11, 1, "A001", 3, 2));
    QueueEvent back = called(12, 1, "A001", 3, 2);
    back.type = "ticket.returned";
    back.ticket->status = TicketStatus::Waiting;
    model.onEvent(back);
    model.onEvent(called(13, 1, "A001", 3, 2));  // same ticket, same window, same recall count
    EXPECT_EQ(model.takeAnnouncements().size(), 2u);
}

TEST_F(BoardModelTest, EventsBeforeTheFirstSnapshotAreNotLost) {
    model.onEvent(called(11, 1, "A001", 3, 2));  // the stream was quicker than the snapshot
    model.onEvent(called(12, 2, "A002", 1, 2));
    model.onSnapshot(snapshot(11, {boardCall(1, "A001", 3, 11)}));
    ASSERT_EQ(model.calls().size(), 2u);
    EXPECT_EQ(model.calls()[0].number, "A002");
    EXPECT_EQ(model.lastEventId(), 12);
    auto spoken = model.takeAnnouncements();
    ASSERT_EQ(spoken.size(), 1u) << "A001 was in the snapshot (start-up), A002 came after it";
    EXPECT_EQ(spoken[0].number, "A002");
}

TEST_F(BoardModelTest, NewDatabaseForgetsWhatWasSpoken) {
    model.onSnapshot(snapshot(10));
    model.onEvent(called(11, 1, "A001", 3, 2));
    EXPECT_EQ(model.takeAnnouncements().size(), 1u);
    Board fresh = snapshot(0);
    fresh.logId = "log2";
    model.onSnapshot(fresh);
    model.onEvent(called(11, 1, "A001", 3, 2));  // ticket id 1 again, in the new database
    EXPECT_EQ(model.takeAnnouncements().size(), 1u);
}

TEST_F(BoardModelTest, CallMovedToAnotherHallLeavesTheBoard) {
    BoardSettings settings;
    settings.windows = {1, 2, 3};
    BoardModel hall{clock, settings};
    hall.onSnapshot(snapshot(10));
    hall.onEvent(called(11, 1, "A001", 2, 2));
    ASSERT_EQ(hall.calls().size(), 1u);
    hall.onEvent(called(12, 1, "A001", 7, 2));
    EXPECT_TRUE(hall.calls().empty());
}

TEST_F(BoardModelTest, ABoardClockRunningFastStillSpeaks) {
    Board b = snapshot(10);
    b.serverNow = fromMillis(1'800'000'000'000);       // the server's time
    clock.setWall(fromMillis(1'800'000'000'000 + 600'000));  // ten minutes fast
    model.onSnapshot(b);
    model.onEvent(called(11, 1, "A001", 3, 2));
    EXPECT_EQ(model.takeAnnouncements().size(), 1u);
}

TEST_F(BoardModelTest, FarFutureAnnouncementDoesNotWakeInThePast) {
    Board b = snapshot(10);
    Announcement a = notice(1, "Когда-нибудь");
    a.startsAt = fromMillis(253'402'300'799'000);  // 9999-12-31
    b.announcements = {a};
    model.onSnapshot(b);
    auto wake = model.nextWake();
    ASSERT_TRUE(wake.has_value());
    EXPECT_GT(*wake, clock.now());
}

}  // namespace
}  // namespace talon::display
