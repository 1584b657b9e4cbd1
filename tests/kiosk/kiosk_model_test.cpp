// KioskModel: every screen transition, double taps, retries with the same key, idle reset.
#include "talon/kiosk/kiosk_model.h"

#include <gtest/gtest.h>

#include <set>

#include "../support/fake_clock.h"
#include "kiosk_fakes.h"

namespace talon::kiosk {
namespace {

using namespace std::chrono_literals;

using test::FakeBackend;
using test::FakePrinter;

std::vector<Service> demoServices() {
    return {{1, "A", {{"ru", "Оплата"}, {"en", "Payments"}}, 2}, {2, "B", {{"ru", "Счётчики"}, {"en", "Meters"}}, 0}};
}

Ticket ticket(const std::string& number, int ahead) {
    Ticket t;
    t.id = 1;
    t.number = number;
    t.service = number.substr(0, 1);
    t.ahead = ahead;
    return t;
}

class KioskModelTest : public ::testing::Test {
protected:
    void startHome() {
        model.start();
        ASSERT_EQ(backend.loads.size(), 1u);
        ASSERT_EQ(backend.offices.size(), 1u);
        backend.completeOffice(office());
        backend.completeLoad(demoServices());
        ASSERT_EQ(model.screen(), KioskScreen::Home);
    }
    /// Home → service → "no priority" → Issuing.
    void askTicket(const std::string& letter = "A") {
        model.chooseService(letter);
        ASSERT_EQ(model.screen(), KioskScreen::Priority);
        model.choosePriority(std::nullopt);
        ASSERT_EQ(model.screen(), KioskScreen::Issuing);
    }
    static KioskSettings settings() {
        KioskSettings s;
        s.adminPin = "4821";
        s.serverUrl = "http://10.0.0.5:8080";
        return s;
    }
    static OfficeInfo office() {
        OfficeInfo o;
        o.names = {{"ru", "Центр обслуживания"}, {"en", "Service center"}};
        o.hours = {{0, 8 * 60, 20 * 60}};
        return o;
    }
    static FaqCatalog faq() {
        return {{"ru", {{"Вопрос?", "Ответ."}, {"Второй?", "Да."}}}, {"en", {{"Question?", "Answer."}}}};
    }
    talon::test::FakeClock clock;
    FakeBackend backend;
    FakePrinter printer;
    KioskModel model{backend, printer, clock, settings(), faq()};
};

TEST_F(KioskModelTest, StartsLoadingThenHome) {
    EXPECT_EQ(model.screen(), KioskScreen::Loading);
    startHome();
    EXPECT_EQ(model.services().size(), 2u);
    EXPECT_EQ(backend.language, "ru");
}

TEST_F(KioskModelTest, UnreachableAtStartThenRetriesByItself) {
    model.start();
    backend.completeLoad(makeError(ErrorKind::Transport, "unreachable", "refused"));
    EXPECT_EQ(model.screen(), KioskScreen::Unreachable);
    ASSERT_TRUE(model.nextWake().has_value());
    clock.advance(4s);
    model.tick();
    EXPECT_TRUE(backend.loads.empty());
    clock.advance(1s);
    model.tick();
    ASSERT_EQ(backend.loads.size(), 1u);
    backend.completeLoad(demoServices());
    EXPECT_EQ(model.screen(), KioskScreen::Home);
}

TEST_F(KioskModelTest, TicketInTwoTouches) {
    startHome();
    askTicket("A");
    ASSERT_EQ(backend.issues.size(), 1u);
    EXPECT_EQ(backend.issues[0].priority, Priority::Normal);
    EXPECT_EQ(backend.issues[0].service, "A");
    EXPECT_FALSE(backend.issues[0].key.empty());
    backend.completeIssue(ticket("A003", 2));
    EXPECT_EQ(model.screen(), KioskScreen::Ticket);
    EXPECT_EQ(model.ticket()->number, "A003");
    EXPECT_EQ(model.ticket()->ahead, 2);
    EXPECT_EQ(model.serviceByLetter("A")->waiting, 3);  // the new ticket counts at once
}

TEST_F(KioskModelTest, DoubleTapIssuesOnce) {
    startHome();
    model.chooseService("A");
    model.chooseService("A");
    model.chooseService("B");
    model.choosePriority(std::nullopt);
    model.choosePriority(std::nullopt);
    model.choosePriority(PriorityReason::Elderly);
    model.chooseService("B");
    EXPECT_EQ(backend.issues.size(), 1u);
    EXPECT_EQ(backend.issues[0].service, "A");
}

TEST_F(KioskModelTest, UnknownLetterIsIgnored) {
    startHome();
    model.chooseService("Q");
    EXPECT_EQ(model.screen(), KioskScreen::Home);
    EXPECT_TRUE(backend.issues.empty());
}

TEST_F(KioskModelTest, RetryAfterTimeoutReusesTheKey) {
    startHome();
    askTicket("A");
    const std::string key = backend.issues[0].key;
    backend.completeIssue(makeError(ErrorKind::Timeout, "timeout", "timed out"));
    EXPECT_EQ(model.screen(), KioskScreen::IssueFailed);
    EXPECT_TRUE(model.errorUnreachable());
    model.retry();
    ASSERT_EQ(backend.issues.size(), 1u);
    EXPECT_EQ(backend.issues[0].key, key);
    backend.completeIssue(ticket("A001", 0));
    EXPECT_EQ(model.screen(), KioskScreen::Ticket);
}

TEST_F(KioskModelTest, NewTouchGetsANewKey) {
    startHome();
    askTicket("A");
    const std::string first = backend.issues[0].key;
    backend.completeIssue(ticket("A001", 0));
    printer.complete(okStatus());
    model.finishTicket();
    backend.completeLoad(demoServices());
    askTicket("A");
    EXPECT_NE(backend.issues[0].key, first);
}

TEST_F(KioskModelTest, ServerRefusalShowsItsMessageWithoutRetry) {
    startHome();
    askTicket("A");
    Error e = makeError(ErrorKind::Http, "unknown_service", "Услуги «A» нет.", 422);
    backend.completeIssue(e);
    EXPECT_EQ(model.screen(), KioskScreen::IssueFailed);
    EXPECT_FALSE(model.errorUnreachable());
    EXPECT_EQ(model.errorMessage(), "Услуги «A» нет.");
    model.retry();
    EXPECT_TRUE(backend.issues.empty());
    model.backToHome();
    EXPECT_EQ(model.screen(), KioskScreen::Home);
}

TEST_F(KioskModelTest, TicketScreenClosesByItself) {
    startHome();
    askTicket("A");
    backend.completeIssue(ticket("A001", 0));
    printer.complete(okStatus());
    clock.advance(19s);
    model.tick();
    EXPECT_EQ(model.screen(), KioskScreen::Ticket);
    clock.advance(1s);
    model.tick();
    EXPECT_EQ(model.screen(), KioskScreen::Home);
    EXPECT_FALSE(model.ticket().has_value());
}

TEST_F(KioskModelTest, IdleResetWipesLanguageAndError) {
    startHome();
    model.setLanguage("en");
    EXPECT_EQ(backend.language, "en");
    askTicket("A");
    backend.completeIssue(makeError(ErrorKind::Transport, "unreachable", "down"));
    model.onInput();
    clock.advance(59s);
    model.tick();
    EXPECT_EQ(model.screen(), KioskScreen::IssueFailed);
    clock.advance(1s);
    model.tick();
    EXPECT_EQ(model.screen(), KioskScreen::Home);
    EXPECT_EQ(model.language(), "ru");
    EXPECT_EQ(backend.language, "ru");
    EXPECT_TRUE(model.errorMessage().empty());
}

TEST_F(KioskModelTest, IdleHomeReturnsToDefaultLanguage) {
    startHome();
    model.setLanguage("en");
    model.onInput();
    clock.advance(61s);
    model.tick();
    EXPECT_EQ(model.language(), "ru");
}

TEST_F(KioskModelTest, UnsupportedLanguageIgnored) {
    startHome();
    model.setLanguage("xx");
    EXPECT_EQ(model.language(), "ru");
}

TEST_F(KioskModelTest, LateAnswerAfterLeavingIsIgnored) {
    startHome();
    askTicket("A");
    model.backToHome();  // not allowed while issuing: the answer is on its way
    EXPECT_EQ(model.screen(), KioskScreen::Issuing);
    backend.completeIssue(ticket("A001", 0));
    EXPECT_EQ(model.screen(), KioskScreen::Ticket);
}

TEST_F(KioskModelTest, HomeRefreshesCountsPeriodically) {
    startHome();
    clock.advance(30s);
    model.tick();
    ASSERT_EQ(backend.loads.size(), 1u);
    auto updated = demoServices();
    updated[1].waiting = 5;
    backend.completeLoad(updated);
    EXPECT_EQ(model.serviceByLetter("B")->waiting, 5);
}

TEST_F(KioskModelTest, FailedRefreshKeepsTheList) {
    startHome();
    clock.advance(30s);
    model.tick();
    backend.completeLoad(makeError(ErrorKind::Transport, "unreachable", "down"));
    EXPECT_EQ(model.screen(), KioskScreen::Home);
    EXPECT_EQ(model.services().size(), 2u);
}

std::vector<Service> closedServices() {
    auto list = demoServices();
    for (auto& s : list) {
        s.availability.open = false;
        s.availability.reason = "holiday";
        s.availability.message = "Сегодня выходной.";
    }
    return list;
}

TEST_F(KioskModelTest, PriorityReasonAsksForPriorityService) {
    startHome();
    model.chooseService("B");
    EXPECT_EQ(model.pendingService()->letter, "B");
    model.choosePriority(PriorityReason::Pregnant);
    ASSERT_EQ(backend.issues.size(), 1u);
    EXPECT_EQ(backend.issues[0].service, "B");
    EXPECT_EQ(backend.issues[0].priority, Priority::Priority);
}

TEST_F(KioskModelTest, PriorityQuestionCanBeSwitchedOff) {
    KioskSettings s = settings();
    s.askPriority = false;
    KioskModel direct{backend, printer, clock, s};
    direct.start();
    backend.completeOffice(office());
    backend.completeLoad(demoServices());
    direct.chooseService("A");
    EXPECT_EQ(direct.screen(), KioskScreen::Issuing);
    EXPECT_EQ(backend.issues.size(), 1u);
}

TEST_F(KioskModelTest, BackFromPriorityIssuesNothing) {
    startHome();
    model.chooseService("A");
    model.backToHome();
    EXPECT_EQ(model.screen(), KioskScreen::Home);
    model.choosePriority(std::nullopt);  // a late tap on the old screen
    EXPECT_TRUE(backend.issues.empty());
}

TEST_F(KioskModelTest, PriorityQuestionTimesOutHome) {
    startHome();
    model.setLanguage("en");
    model.chooseService("A");
    model.onInput();
    clock.advance(59s);
    model.tick();
    EXPECT_EQ(model.screen(), KioskScreen::Priority);
    clock.advance(1s);
    model.tick();
    EXPECT_EQ(model.screen(), KioskScreen::Home);
    EXPECT_EQ(model.language(), "ru");
    EXPECT_EQ(model.pendingService(), nullptr);
}

TEST_F(KioskModelTest, IssuedTicketIsPrintedWithItsStatusLink) {
    startHome();
    model.setLanguage("en");
    askTicket("A");
    Ticket t = ticket("A007", 3);
    t.id = 42;
    backend.completeIssue(t);
    EXPECT_EQ(model.printState(), PrintState::Printing);
    ASSERT_EQ(printer.jobs.size(), 1u);
    EXPECT_EQ(printer.jobs[0].ticket.number, "A007");
    EXPECT_EQ(printer.jobs[0].language, "en");
    EXPECT_EQ(printer.jobs[0].serviceNames.at("en"), "Payments");
    EXPECT_EQ(printer.jobs[0].officeNames.at("ru"), "Центр обслуживания");
    EXPECT_EQ(printer.jobs[0].statusUrl, "http://10.0.0.5:8080/t/42");
    // The screen does not close while the printer works.
    clock.advance(5min);
    model.tick();
    EXPECT_EQ(model.screen(), KioskScreen::Ticket);
    printer.complete(okStatus());
    EXPECT_EQ(model.printState(), PrintState::Printed);
    EXPECT_TRUE(backend.reports.empty());  // the printer was fine and still is
}

TEST_F(KioskModelTest, OfficePublicAddressWinsForTheStatusLink) {
    model.start();
    OfficeInfo o = office();
    o.publicUrl = "https://queue.example.ru/";
    backend.completeOffice(o);
    backend.completeLoad(demoServices());
    askTicket("A");
    Ticket t = ticket("A001", 0);
    t.id = 9;
    backend.completeIssue(t);
    EXPECT_EQ(printer.jobs.at(0).statusUrl, "https://queue.example.ru/t/9");
}

TEST_F(KioskModelTest, PrinterFailureKeepsTheTicketAndIsReported) {
    startHome();
    askTicket("A");
    backend.completeIssue(ticket("A001", 0));
    printer.complete(makeError(ErrorKind::Transport, "printer_missing", "connection refused"));
    EXPECT_EQ(model.screen(), KioskScreen::Ticket);
    EXPECT_EQ(model.printState(), PrintState::Failed);
    EXPECT_EQ(model.printErrorCode(), "printer_missing");
    ASSERT_TRUE(model.ticket().has_value());
    EXPECT_EQ(model.ticket()->number, "A001");
    ASSERT_EQ(backend.reports.size(), 1u);
    EXPECT_EQ(backend.reports[0].state, "missing");
    EXPECT_EQ(backend.reports[0].detail, "connection refused");
    backend.completeReport(true);
    // The number stays on screen longer when it is not on paper.
    clock.advance(59s);
    model.tick();
    EXPECT_EQ(model.screen(), KioskScreen::Ticket);
    clock.advance(1s);
    model.tick();
    EXPECT_EQ(model.screen(), KioskScreen::Home);
    backend.completeLoad(demoServices());
    // The next ticket prints again: the server hears the printer is back.
    askTicket("A");
    backend.completeIssue(ticket("A002", 0));
    printer.complete(okStatus());
    ASSERT_EQ(backend.reports.size(), 1u);
    EXPECT_EQ(backend.reports[0].state, "ok");
}

TEST_F(KioskModelTest, PrinterReportRetriedWhenServerWasDown) {
    startHome();
    askTicket("A");
    backend.completeIssue(ticket("A001", 0));
    printer.complete(makeError(ErrorKind::Transport, "printer_failed", "paper out"));
    backend.completeReport(makeError(ErrorKind::Transport, "unreachable", "down"));
    EXPECT_TRUE(backend.reports.empty());
    clock.advance(60s);
    model.tick();  // back home; the reload sends the report again
    ASSERT_EQ(backend.reports.size(), 1u);
    EXPECT_EQ(backend.reports[0].state, "failed");
}

TEST_F(KioskModelTest, AllServicesClosedShowsClosedThenOpens) {
    model.start();
    backend.completeOffice(office());
    backend.completeLoad(closedServices());
    EXPECT_EQ(model.screen(), KioskScreen::Closed);
    model.chooseService("A");
    EXPECT_EQ(model.screen(), KioskScreen::Closed);
    clock.advance(30s);
    model.tick();
    backend.completeLoad(demoServices());
    EXPECT_EQ(model.screen(), KioskScreen::Home);
    clock.advance(30s);
    model.tick();
    backend.completeLoad(closedServices());
    EXPECT_EQ(model.screen(), KioskScreen::Closed);
}

TEST_F(KioskModelTest, InfoScreenShowsFaqInTheVisitorsLanguage) {
    startHome();
    model.openInfo();
    EXPECT_EQ(model.screen(), KioskScreen::Info);
    EXPECT_EQ(model.faq().size(), 2u);
    EXPECT_EQ(model.openFaq(), -1);
    model.toggleFaq(1);
    EXPECT_EQ(model.openFaq(), 1);
    model.toggleFaq(1);
    EXPECT_EQ(model.openFaq(), -1);
    model.toggleFaq(7);
    EXPECT_EQ(model.openFaq(), -1);
    model.setLanguage("en");
    EXPECT_EQ(model.faq().size(), 1u);
    model.backToHome();
    EXPECT_EQ(model.screen(), KioskScreen::Home);
    EXPECT_EQ(model.language(), "ru");
}

TEST_F(KioskModelTest, InfoOpensFromClosedAndTimesOut) {
    model.start();
    backend.completeOffice(office());
    backend.completeLoad(closedServices());
    model.openInfo();
    EXPECT_EQ(model.screen(), KioskScreen::Info);
    ASSERT_TRUE(model.office().has_value());
    EXPECT_EQ(model.office()->hours.size(), 1u);
    backend.completeLoad(closedServices());
    EXPECT_EQ(model.screen(), KioskScreen::Info);  // a refresh does not pull the visitor away
    model.onInput();
    clock.advance(60s);
    model.tick();
    EXPECT_EQ(model.screen(), KioskScreen::Closed);
}

TEST_F(KioskModelTest, OfficeLoadRetriedUntilItArrives) {
    model.start();
    backend.completeOffice(makeError(ErrorKind::Transport, "unreachable", "down"));
    backend.completeLoad(demoServices());
    EXPECT_FALSE(model.office().has_value());
    clock.advance(30s);
    model.tick();
    ASSERT_EQ(backend.offices.size(), 1u);
    backend.completeOffice(office());
    EXPECT_TRUE(model.office().has_value());
}

TEST_F(KioskModelTest, HiddenGestureThenPinOpensTheStaffMenu) {
    startHome();
    for (int i = 0; i < 4; ++i) model.cornerTap();
    EXPECT_EQ(model.screen(), KioskScreen::Home);
    model.cornerTap();
    ASSERT_EQ(model.screen(), KioskScreen::AdminPin);
    EXPECT_TRUE(model.pinEntry().empty());
    model.pinEntry().assign("4821");
    model.submitPin();
    ASSERT_EQ(model.screen(), KioskScreen::AdminMenu);
    EXPECT_FALSE(model.exitRequested());
    model.exitKiosk();
    EXPECT_TRUE(model.exitRequested());
}

TEST_F(KioskModelTest, SlowCornerTapsDoNotCount) {
    startHome();
    for (int i = 0; i < 5; ++i) {
        model.cornerTap();
        clock.advance(1500ms);
    }
    EXPECT_EQ(model.screen(), KioskScreen::Home);
}

TEST_F(KioskModelTest, NoPinConfiguredMeansNoWayOut) {
    KioskModel locked{backend, printer, clock, KioskSettings{}};
    locked.start();
    backend.completeOffice(office());
    backend.completeLoad(demoServices());
    for (int i = 0; i < 10; ++i) locked.cornerTap();
    EXPECT_EQ(locked.screen(), KioskScreen::Home);
}

TEST_F(KioskModelTest, WrongPinsLockTheGestureOut) {
    startHome();
    for (int i = 0; i < 5; ++i) model.cornerTap();
    for (const char* pin : {"1111", "48211"}) {
        model.pinEntry().assign(pin);
        model.submitPin();
        EXPECT_EQ(model.screen(), KioskScreen::AdminPin);
        EXPECT_TRUE(model.pinRejected());
        EXPECT_TRUE(model.pinEntry().empty());
    }
    model.pinEntry().assign("482");
    model.submitPin();
    EXPECT_EQ(model.screen(), KioskScreen::Home);  // third wrong PIN
    for (int i = 0; i < 5; ++i) model.cornerTap();
    EXPECT_EQ(model.screen(), KioskScreen::Home);  // locked out
    clock.advance(61s);
    for (int i = 0; i < 5; ++i) model.cornerTap();
    EXPECT_EQ(model.screen(), KioskScreen::AdminPin);
}

TEST_F(KioskModelTest, StaffScreensTimeOutAndWipeThePin) {
    startHome();
    for (int i = 0; i < 5; ++i) model.cornerTap();
    model.pinEntry().assign("48");
    model.onInput();
    clock.advance(60s);
    model.tick();
    EXPECT_EQ(model.screen(), KioskScreen::Home);
    EXPECT_TRUE(model.pinEntry().empty());
    EXPECT_FALSE(model.exitRequested());
}

TEST_F(KioskModelTest, TestPageFromTheStaffMenu) {
    startHome();
    for (int i = 0; i < 5; ++i) model.cornerTap();
    model.pinEntry().assign("4821");
    model.submitPin();
    model.printTestPage();
    model.printTestPage();  // double tap
    ASSERT_EQ(printer.testPages.size(), 1u);
    EXPECT_TRUE(model.testPrinting());
    printer.complete(makeError(ErrorKind::Transport, "printer_failed", "cover open"));
    ASSERT_TRUE(model.testPrint().has_value());
    EXPECT_FALSE(model.testPrint()->ok());
    ASSERT_EQ(backend.reports.size(), 1u);
    EXPECT_EQ(backend.reports[0].state, "failed");
}

TEST_F(KioskModelTest, ScreenNamesAreDistinct) {
    std::set<std::string> names;
    for (int s = 0; s <= static_cast<int>(KioskScreen::AdminMenu); ++s) {
        names.insert(toString(static_cast<KioskScreen>(s)));
    }
    EXPECT_EQ(names.size(), static_cast<size_t>(KioskScreen::AdminMenu) + 1);
    EXPECT_EQ(names.count("?"), 0u);
}

TEST_F(KioskModelTest, SameChoiceAfterATimeoutReusesTheKey) {
    startHome();
    askTicket("A");
    const std::string key = backend.issues[0].key;
    backend.completeIssue(makeError(ErrorKind::Timeout, "timeout", "timed out"));
    model.backToHome();  // the visitor gives up on "Try again" and starts over
    backend.completeLoad(demoServices());
    askTicket("A");
    ASSERT_EQ(backend.issues.size(), 1u);
    EXPECT_EQ(backend.issues[0].key, key) << "the first request may have issued a ticket: ask for that one";
    backend.completeIssue(ticket("A001", 0));
    printer.complete(okStatus());
    model.finishTicket();
    backend.completeLoad(demoServices());
    askTicket("A");
    EXPECT_NE(backend.issues[0].key, key) << "once answered, the key is spent";
}

TEST_F(KioskModelTest, OtherChoiceOrNewVisitorAfterATimeoutGetsANewKey) {
    startHome();
    askTicket("A");
    const std::string key = backend.issues[0].key;
    backend.completeIssue(makeError(ErrorKind::Timeout, "timeout", "timed out"));
    model.backToHome();
    backend.completeLoad(demoServices());
    askTicket("B");
    EXPECT_NE(backend.issues[0].key, key);
    backend.completeIssue(makeError(ErrorKind::Timeout, "timeout", "timed out"));
    const std::string keyB = backend.issues.empty() ? std::string{} : backend.issues[0].key;
    model.onInput();
    clock.advance(60s);
    model.tick();  // idle: the visitor left
    backend.completeLoad(demoServices());
    askTicket("B");
    EXPECT_NE(backend.issues[0].key, keyB);
}

TEST_F(KioskModelTest, NoWakeInThePastWhileALoadIsOnItsWay) {
    startHome();
    clock.advance(30s);
    model.tick();
    ASSERT_EQ(backend.loads.size(), 1u);
    clock.advance(30s);
    const auto wake = model.nextWake();
    EXPECT_TRUE(!wake || *wake > clock.now()) << "the frame loop would spin until the answer";
    model.start();  // a second reload while one is in flight changes nothing
    backend.completeLoad(makeError(ErrorKind::Transport, "unreachable", "down"));
    ASSERT_TRUE(model.nextWake().has_value());
}

TEST_F(KioskModelTest, NoStatusLinkToALoopbackAddress) {
    KioskSettings s = settings();
    s.serverUrl = "http://127.0.0.1:8080";
    KioskModel local{backend, printer, clock, s};
    local.start();
    backend.completeOffice(office());
    backend.completeLoad(demoServices());
    local.chooseService("A");
    local.choosePriority(std::nullopt);
    backend.completeIssue(ticket("A001", 0));
    ASSERT_EQ(printer.jobs.size(), 1u);
    EXPECT_EQ(printer.jobs[0].statusUrl, "");
    EXPECT_EQ(local.statusQr().size, 0);
    EXPECT_TRUE(isLoopbackUrl("http://localhost:8080"));
    EXPECT_TRUE(isLoopbackUrl("http://[::1]:8080/"));
    EXPECT_FALSE(isLoopbackUrl("http://10.0.0.5:8080"));
    EXPECT_FALSE(isLoopbackUrl("https://queue.example.ru"));
}

TEST_F(KioskModelTest, LanguageSwitchDuringALoadAsksAgain) {
    model.start();
    backend.completeOffice(office());
    model.setLanguage("en");  // the first load (in Russian) is still on its way
    ASSERT_EQ(backend.loads.size(), 1u);
    backend.completeLoad(demoServices());
    EXPECT_EQ(model.screen(), KioskScreen::Home);
    ASSERT_EQ(backend.loads.size(), 1u) << "closed-service reasons must come in English";
    EXPECT_EQ(backend.language, "en");
}

TEST_F(KioskModelTest, PrinterBackWhileAFailureReportIsOnItsWay) {
    startHome();
    askTicket("A");
    backend.completeIssue(ticket("A001", 0));
    printer.complete(makeError(ErrorKind::Transport, "printer_failed", "paper out"));
    ASSERT_EQ(backend.reports.size(), 1u);  // "failed", not answered yet
    model.finishTicket();
    backend.completeLoad(demoServices());
    askTicket("A");
    backend.completeIssue(ticket("A002", 0));
    printer.complete(okStatus());  // paper refilled
    backend.completeReport(true);  // the server took "failed" ...
    ASSERT_EQ(backend.reports.size(), 1u);
    EXPECT_EQ(backend.reports[0].state, "ok") << "... and then hears the printer works again";
}

}  // namespace
}  // namespace talon::kiosk
