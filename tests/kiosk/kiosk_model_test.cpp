// KioskModel: every screen transition, double taps, retries with the same key, idle reset.
#include "talon/kiosk/kiosk_model.h"

#include <gtest/gtest.h>

#include <deque>

#include "../support/fake_clock.h"

namespace talon::kiosk {
namespace {

using namespace std::chrono_literals;

/// Records calls; the test decides when and how each one completes.
class FakeBackend final : public KioskBackend {
public:
    struct IssueCall {
        std::string service, key;
        Callback<Ticket> done;
    };
    void loadServices(Callback<std::vector<Service>> done) override { loads.push_back(std::move(done)); }
    void issueTicket(const std::string& service, const std::string& key, Callback<Ticket> done) override {
        issues.push_back({service, key, std::move(done)});
    }
    void setLanguage(const std::string& l) override { language = l; }
    bool busy() const override { return !loads.empty() || !issues.empty(); }

    void completeLoad(Result<std::vector<Service>> r) {
        auto cb = std::move(loads.front());
        loads.pop_front();
        cb(std::move(r));
    }
    void completeIssue(Result<Ticket> r) {
        auto cb = std::move(issues.front().done);
        issues.pop_front();
        cb(std::move(r));
    }

    std::deque<Callback<std::vector<Service>>> loads;
    std::deque<IssueCall> issues;
    std::string language;
};

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
        backend.completeLoad(demoServices());
        ASSERT_EQ(model.screen(), KioskScreen::Home);
    }
    test::FakeClock clock;
    FakeBackend backend;
    KioskModel model{backend, clock};
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

TEST_F(KioskModelTest, TicketInOneTouch) {
    startHome();
    model.chooseService("A");
    EXPECT_EQ(model.screen(), KioskScreen::Issuing);
    ASSERT_EQ(backend.issues.size(), 1u);
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
    EXPECT_EQ(backend.issues.size(), 1u);
}

TEST_F(KioskModelTest, UnknownLetterIsIgnored) {
    startHome();
    model.chooseService("Q");
    EXPECT_EQ(model.screen(), KioskScreen::Home);
    EXPECT_TRUE(backend.issues.empty());
}

TEST_F(KioskModelTest, RetryAfterTimeoutReusesTheKey) {
    startHome();
    model.chooseService("A");
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
    model.chooseService("A");
    const std::string first = backend.issues[0].key;
    backend.completeIssue(ticket("A001", 0));
    model.finishTicket();
    backend.completeLoad(demoServices());
    model.chooseService("A");
    EXPECT_NE(backend.issues[0].key, first);
}

TEST_F(KioskModelTest, ServerRefusalShowsItsMessageWithoutRetry) {
    startHome();
    model.chooseService("A");
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
    model.chooseService("A");
    backend.completeIssue(ticket("A001", 0));
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
    model.chooseService("A");
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
    model.chooseService("A");
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

}  // namespace
}  // namespace talon::kiosk
