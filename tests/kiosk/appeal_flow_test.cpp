// AppealFlow: the steps of an appeal with their local checks (table-driven), navigation and
// edits from the review, the server's field refusals routed back to the step to fix, the
// outbox's queued outcome, the status check (uniform miss, 429), stale answers, the receipt
// (no personal data on it); and the kiosk around it (idle wipe, Done timeouts).
#include "talon/kiosk/appeal_flow.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <nlohmann/json.hpp>
#include <variant>

#include "../support/fake_clock.h"
#include "kiosk_fakes.h"
#include "talon/common/i18n.h"
#include "talon/common/paths.h"
#include "talon/common/wire.h"
#include "talon/kiosk/kiosk_model.h"
#include "talon/kiosk/receipt_printer.h"

namespace talon::kiosk {
namespace {

using namespace std::chrono_literals;

using test::FakeBackend;
using test::FakePrinter;

const std::vector<std::string> kCategories{"service_staff", "billing",       "supply_quality", "meters",
                                           "connection_contracts", "safety_hazard", "other"};

AppealReceipt receipt() {
    AppealReceipt r;
    r.number = "Ж-2026-000123";
    r.status = "registered";
    r.category = "billing";
    r.dueOn = "2026-12-11";
    r.dueOnText = "11.12.2026";
    return r;
}

AppealOutcome registered() {
    AppealOutcome o;
    o.receipt = receipt();
    o.localCode = "K7F3-A9C2";
    return o;
}

AppealOutcome queued(const std::string& code) {
    AppealOutcome o;
    o.localCode = code;
    o.queued = true;
    return o;
}

Error badField(const std::string& field) {
    Error e = makeError(ErrorKind::Http, "bad_request", "The request is not valid: " + field, 400);
    e.params.emplace_back("field", field);
    return e;
}

AppealStatus inProgress() {
    AppealStatus s;
    s.number = "Ж-2026-000123";
    s.status = "in_progress";
    s.statusText = "in progress";
    s.dueOn = "2026-12-18";
    s.dueOnText = "18.12.2026";
    s.extended = true;
    return s;
}

class AppealFlowTest : public ::testing::Test {
protected:
    static void typeInto(TextEntry& entry, const std::string& text) {
        entry.clear();
        ASSERT_TRUE(text.empty() || entry.insert(text)) << text;
    }
    void toText() {
        flow.begin();
        flow.chooseType("complaint");
        ASSERT_EQ(flow.step(), AppealStep::Category);
        flow.chooseCategory("billing");
        ASSERT_EQ(flow.step(), AppealStep::Text);
    }
    void toContact() {
        ASSERT_NO_FATAL_FAILURE(toText());
        typeInto(flow.text(), "Счёт за май вдвое больше обычного.");
        flow.next();
        ASSERT_EQ(flow.step(), AppealStep::Contact);
    }
    void fillContact() {
        typeInto(flow.name(), "Иванов Пётр");
        typeInto(flow.phone(), "79123456789");
        flow.chooseChannel("phone");
    }
    void toReview() {
        ASSERT_NO_FATAL_FAILURE(toContact());
        fillContact();
        flow.next();
        ASSERT_EQ(flow.step(), AppealStep::Consent);
        flow.setConsent(true);
        flow.next();
        ASSERT_EQ(flow.step(), AppealStep::Review);
    }
    void toSending() {
        ASSERT_NO_FATAL_FAILURE(toReview());
        flow.send();
        ASSERT_EQ(flow.step(), AppealStep::Sending);
        ASSERT_EQ(backend.appeals.size(), 1u);
    }

    talon::test::FakeClock clock;
    FakeBackend backend;
    FakePrinter printer;
    AppealFlow flow{backend, printer, clock, kCategories};
};

TEST_F(AppealFlowTest, TypeAndCategoryMustBeKnown) {
    flow.begin();
    EXPECT_EQ(flow.step(), AppealStep::Type);
    flow.next();
    EXPECT_EQ(flow.problem(), AppealProblem::TypeMissing);
    flow.chooseType("praise");
    EXPECT_EQ(flow.step(), AppealStep::Type);
    EXPECT_EQ(flow.problem(), AppealProblem::TypeMissing);
    flow.chooseType("suggestion");
    EXPECT_EQ(flow.step(), AppealStep::Category);
    EXPECT_EQ(flow.problem(), AppealProblem::None);
    flow.next();
    EXPECT_EQ(flow.problem(), AppealProblem::CategoryMissing);
    flow.chooseCategory("weather");
    EXPECT_EQ(flow.step(), AppealStep::Category);
    flow.chooseCategory("safety_hazard");
    EXPECT_EQ(flow.step(), AppealStep::Text);
    EXPECT_EQ(flow.category(), "safety_hazard");
    EXPECT_EQ(AppealFlow::types(), (std::vector<std::string>{"complaint", "request", "question", "suggestion"}));
}

TEST_F(AppealFlowTest, TextChecks) {
    struct Case {
        std::string text;
        AppealProblem expected;
    };
    const std::vector<Case> cases = {
        {"", AppealProblem::TextEmpty},
        {"   \n  ", AppealProblem::TextEmpty},
        {"Нет света в подъезде", AppealProblem::None},
        {"Line one\nline two", AppealProblem::None},
        {"tab\there", AppealProblem::TextInvalid},
        {std::string(2000, 'a'), AppealProblem::None},
        {std::string(2001, 'a'), AppealProblem::TextTooLong},
        {"\xFF\xFE", AppealProblem::TextInvalid},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.text.substr(0, 20));
        EXPECT_EQ(AppealFlow::checkText(c.text), c.expected);
    }
    // On the step: the entry holds at most 2000 code points (not bytes), with a counter.
    ASSERT_NO_FATAL_FAILURE(toText());
    flow.next();
    EXPECT_EQ(flow.problem(), AppealProblem::TextEmpty);
    EXPECT_EQ(flow.step(), AppealStep::Text);
    std::string cyrillic;
    for (int i = 0; i < 2000; ++i) cyrillic += "ж";
    EXPECT_TRUE(flow.text().insert(cyrillic));
    EXPECT_EQ(flow.textLength(), 2000u);
    EXPECT_EQ(flow.textRemaining(), 0u);
    EXPECT_FALSE(flow.text().insert("ж"));
    flow.next();
    EXPECT_EQ(flow.step(), AppealStep::Contact);
    EXPECT_EQ(flow.problem(), AppealProblem::None);
}

TEST_F(AppealFlowTest, ContactChecks) {
    struct Case {
        const char* what;
        std::string name, phone, email, address, account, channel;
        AppealProblem expected;
    };
    const std::vector<Case> cases = {
        {"all good by phone", "Пётр", "79123456789", "", "", "", "phone", AppealProblem::None},
        {"all good by e-mail", "Пётр", "", "petr@example.ru", "", "", "email", AppealProblem::None},
        {"sms", "Пётр", "79123456789", "", "", "", "sms", AppealProblem::None},
        {"letter", "Пётр", "79123456789", "", "г. Тула, ул. Ленина, 5", "", "letter", AppealProblem::None},
        {"account", "Пётр", "79123456789", "", "", "1000001", "phone", AppealProblem::None},
        {"no name", "", "79123456789", "", "", "", "phone", AppealProblem::NameEmpty},
        {"blank name", "   ", "79123456789", "", "", "", "phone", AppealProblem::NameEmpty},
        {"no contact", "Пётр", "", "", "", "", "phone", AppealProblem::ContactRequired},
        {"short phone", "Пётр", "912345678", "", "", "", "phone", AppealProblem::PhoneInvalid},
        {"bad e-mail", "Пётр", "", "petr@example", "", "", "email", AppealProblem::EmailInvalid},
        {"two @", "Пётр", "", "a@b@example.ru", "", "", "email", AppealProblem::EmailInvalid},
        {"space in e-mail", "Пётр", "", "pe tr@example.ru", "", "", "email", AppealProblem::EmailInvalid},
        {"short account", "Пётр", "79123456789", "", "", "12345", "phone", AppealProblem::AccountInvalid},
        {"no channel", "Пётр", "79123456789", "", "", "", "", AppealProblem::ChannelMissing},
        {"e-mail channel without e-mail", "Пётр", "79123456789", "", "", "", "email",
         AppealProblem::ChannelWithoutContact},
        {"phone channel without phone", "Пётр", "", "petr@example.ru", "", "", "phone",
         AppealProblem::ChannelWithoutContact},
        {"sms without phone", "Пётр", "", "petr@example.ru", "", "", "sms", AppealProblem::ChannelWithoutContact},
        {"letter without address", "Пётр", "79123456789", "", "", "", "letter",
         AppealProblem::ChannelWithoutContact},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.what);
        ASSERT_NO_FATAL_FAILURE(toContact());
        typeInto(flow.name(), c.name);
        typeInto(flow.phone(), c.phone);
        typeInto(flow.email(), c.email);
        typeInto(flow.address(), c.address);
        typeInto(flow.account(), c.account);
        if (!c.channel.empty()) flow.chooseChannel(c.channel);
        flow.next();
        EXPECT_EQ(flow.problem(), c.expected) << toString(flow.problem());
        EXPECT_EQ(flow.step(), c.expected == AppealProblem::None ? AppealStep::Consent : AppealStep::Contact);
    }
    // The phone entry takes digits only, at most 15.
    ASSERT_NO_FATAL_FAILURE(toContact());
    EXPECT_FALSE(flow.phone().insert("+"));
    EXPECT_TRUE(flow.phone().insert("123456789012345"));
    EXPECT_FALSE(flow.phone().insert("6"));
}

TEST_F(AppealFlowTest, ConsentIsRequired) {
    ASSERT_NO_FATAL_FAILURE(toContact());
    fillContact();
    flow.next();
    ASSERT_EQ(flow.step(), AppealStep::Consent);
    flow.next();
    EXPECT_EQ(flow.problem(), AppealProblem::ConsentMissing);
    EXPECT_EQ(flow.step(), AppealStep::Consent);
    flow.setConsent(true);
    EXPECT_EQ(flow.problem(), AppealProblem::None);
    flow.setConsent(false);
    flow.next();
    EXPECT_EQ(flow.step(), AppealStep::Consent);
    flow.setConsent(true);
    flow.next();
    EXPECT_EQ(flow.step(), AppealStep::Review);
}

TEST_F(AppealFlowTest, BackWalksTheStepsAndEditsReturnToTheReview) {
    ASSERT_NO_FATAL_FAILURE(toReview());
    flow.back();
    EXPECT_EQ(flow.step(), AppealStep::Consent);
    flow.back();
    EXPECT_EQ(flow.step(), AppealStep::Contact);
    flow.back();
    EXPECT_EQ(flow.step(), AppealStep::Text);
    EXPECT_FALSE(flow.text().empty()) << "going back keeps what was typed";
    flow.back();
    EXPECT_EQ(flow.step(), AppealStep::Category);
    flow.back();
    EXPECT_EQ(flow.step(), AppealStep::Type);
    flow.back();
    EXPECT_EQ(flow.step(), AppealStep::Type);

    ASSERT_NO_FATAL_FAILURE(toReview());
    flow.edit(AppealStep::Text);
    EXPECT_EQ(flow.step(), AppealStep::Text);
    typeInto(flow.text(), "Другой текст");
    flow.next();
    EXPECT_EQ(flow.step(), AppealStep::Review) << "an edit comes back to the review";
    EXPECT_EQ(flow.submission().text, "Другой текст");
    flow.edit(AppealStep::Category);
    flow.chooseCategory("meters");
    EXPECT_EQ(flow.step(), AppealStep::Review);
    EXPECT_EQ(flow.category(), "meters");
    flow.edit(AppealStep::Contact);
    flow.back();
    EXPECT_EQ(flow.step(), AppealStep::Review) << "Back from an edit is the review too";
    flow.edit(AppealStep::Sending);
    EXPECT_EQ(flow.step(), AppealStep::Review);
}

TEST_F(AppealFlowTest, SendsTheSubmissionAndShowsTheNumberAndDeadline) {
    ASSERT_NO_FATAL_FAILURE(toReview());
    typeInto(flow.account(), "");
    flow.send();
    ASSERT_EQ(backend.appeals.size(), 1u);
    const AppealSubmission& s = backend.appeals.front().submission;
    EXPECT_EQ(s.type, "complaint");
    EXPECT_EQ(s.category, "billing");
    EXPECT_EQ(s.name, "Иванов Пётр");
    EXPECT_EQ(s.phone, "79123456789");
    EXPECT_EQ(s.replyChannel, "phone");
    EXPECT_TRUE(s.consent);
    EXPECT_TRUE(s.takenAt.has_value());
    EXPECT_FALSE(backend.appeals.front().key.empty());
    flow.send();  // a double tap: nothing more
    EXPECT_EQ(backend.appeals.size(), 1u);
    backend.completeAppeal(registered());
    EXPECT_EQ(flow.step(), AppealStep::Done);
    ASSERT_TRUE(flow.outcome() && flow.outcome()->receipt);
    EXPECT_EQ(flow.outcome()->receipt->number, "Ж-2026-000123");
    EXPECT_FALSE(flow.queued());
    ASSERT_EQ(printer.appealJobs.size(), 1u);
    EXPECT_EQ(printer.appealJobs[0].number, "Ж-2026-000123");
    EXPECT_EQ(printer.appealJobs[0].dueOnText, "11.12.2026");
    EXPECT_EQ(printer.appealJobs[0].category, "billing");
    EXPECT_TRUE(printer.appealJobs[0].localCode.empty());
    EXPECT_EQ(flow.printState(), PrintState::Printing);
    printer.complete(okStatus());
    EXPECT_EQ(flow.printState(), PrintState::Printed);
    flow.printAgain();
    EXPECT_EQ(printer.appealJobs.size(), 2u);
}

TEST_F(AppealFlowTest, QueuedInTheOutboxGivesTheLocalCode) {
    ASSERT_NO_FATAL_FAILURE(toSending());
    backend.completeAppeal(queued("K7F3-A9C2"));
    EXPECT_EQ(flow.step(), AppealStep::Done);
    EXPECT_TRUE(flow.queued());
    ASSERT_EQ(printer.appealJobs.size(), 1u);
    EXPECT_TRUE(printer.appealJobs[0].number.empty());
    EXPECT_TRUE(printer.appealJobs[0].dueOnText.empty());
    EXPECT_EQ(printer.appealJobs[0].localCode, "K7F3-A9C2");
    printer.complete(makeError(ErrorKind::Internal, "printer_missing", "no printer"));
    EXPECT_EQ(flow.printState(), PrintState::Failed);
    ASSERT_TRUE(flow.printError().has_value());
    EXPECT_EQ(flow.printError()->code, "printer_missing");
}

TEST_F(AppealFlowTest, ServerFieldRefusalsGoBackToTheStepToFix) {
    struct Case {
        std::string field;
        AppealProblem problem;
        AppealStep step;
    };
    const std::vector<Case> cases = {
        {"appeal_type", AppealProblem::TypeMissing, AppealStep::Type},
        {"appeal_category", AppealProblem::CategoryMissing, AppealStep::Category},
        {"appeal_text_empty", AppealProblem::TextEmpty, AppealStep::Text},
        {"appeal_text_length", AppealProblem::TextTooLong, AppealStep::Text},
        {"appeal_text_control", AppealProblem::TextInvalid, AppealStep::Text},
        {"appeal_name_empty", AppealProblem::NameEmpty, AppealStep::Contact},
        {"appeal_name_length", AppealProblem::NameTooLong, AppealStep::Contact},
        {"appeal_name_invalid", AppealProblem::NameInvalid, AppealStep::Contact},
        {"appeal_contact_required", AppealProblem::ContactRequired, AppealStep::Contact},
        {"appeal_phone", AppealProblem::PhoneInvalid, AppealStep::Contact},
        {"appeal_email", AppealProblem::EmailInvalid, AppealStep::Contact},
        {"appeal_address", AppealProblem::AddressInvalid, AppealStep::Contact},
        {"appeal_reply_channel", AppealProblem::ChannelMissing, AppealStep::Contact},
        {"appeal_channel_contact", AppealProblem::ChannelWithoutContact, AppealStep::Contact},
        {"appeal_consent", AppealProblem::ConsentMissing, AppealStep::Consent},
        {"appeal_local_code", AppealProblem::Other, AppealStep::Review},
        {"appeal_urgent", AppealProblem::Other, AppealStep::Review},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.field);
        ASSERT_NO_FATAL_FAILURE(toSending());
        const std::string firstKey = backend.appeals.front().key;
        backend.completeAppeal(badField(c.field));
        EXPECT_EQ(flow.step(), c.step);
        EXPECT_EQ(flow.problem(), c.problem);
        EXPECT_EQ(flow.message(), "The request is not valid: " + c.field);
        EXPECT_TRUE(printer.appealJobs.empty());
        if (c.step != AppealStep::Review) {
            // Fixed, the visitor is back on the review and sends under a new key (nothing was
            // registered under the first).
            if (c.step == AppealStep::Type) {
                flow.chooseType("request");
            } else if (c.step == AppealStep::Category) {
                flow.chooseCategory("other");
            } else {
                flow.next();
            }
            EXPECT_EQ(flow.step(), AppealStep::Review);
        }
        flow.send();
        ASSERT_EQ(backend.appeals.size(), 1u);
        EXPECT_NE(backend.appeals.front().key, firstKey);
        backend.completeAppeal(registered());
        EXPECT_EQ(flow.step(), AppealStep::Done);
        printer.complete(okStatus());
        printer.appealJobs.clear();
    }
    // A bad account number has no field: the contact step, when one was typed.
    ASSERT_NO_FATAL_FAILURE(toContact());
    fillContact();
    typeInto(flow.account(), "999999");
    flow.next();
    flow.setConsent(true);
    flow.next();
    flow.send();
    backend.completeAppeal(makeError(ErrorKind::Http, "bad_request", "No such account format.", 400));
    EXPECT_EQ(flow.step(), AppealStep::Contact);
    EXPECT_EQ(flow.problem(), AppealProblem::AccountInvalid);
}

TEST_F(AppealFlowTest, RateLimitAndOtherFailuresStayOnTheReview) {
    ASSERT_NO_FATAL_FAILURE(toSending());
    backend.completeAppeal(makeError(ErrorKind::Http, "too_many_lookups", "Too many appeals were sent from here.", 429));
    EXPECT_EQ(flow.step(), AppealStep::Review);
    EXPECT_EQ(flow.problem(), AppealProblem::TooMany);
    EXPECT_EQ(flow.message(), "Too many appeals were sent from here.");
    flow.send();
    ASSERT_EQ(backend.appeals.size(), 1u);
    backend.completeAppeal(makeError(ErrorKind::Storage, "storage", "disk full"));
    EXPECT_EQ(flow.step(), AppealStep::Review);
    EXPECT_EQ(flow.problem(), AppealProblem::Other);
    EXPECT_TRUE(flow.message().empty()) << "the kiosk's own failure has no server sentence";
}

TEST_F(AppealFlowTest, StatusCheckFindsTheStatus) {
    flow.beginStatus();
    EXPECT_EQ(flow.step(), AppealStep::StatusEntry);
    flow.checkStatus();
    EXPECT_EQ(flow.statusProblem(), StatusProblem::NumberEmpty);
    ASSERT_TRUE(flow.statusNumber().insert("ж-2026-000123"));
    ASSERT_TRUE(flow.statusPhone().insert("678"));
    flow.checkStatus();
    EXPECT_EQ(flow.statusProblem(), StatusProblem::PhoneDigits);
    EXPECT_FALSE(flow.statusPhone().insert("12345"));
    ASSERT_TRUE(flow.statusPhone().insert("9"));
    flow.checkStatus();
    EXPECT_EQ(flow.step(), AppealStep::Checking);
    ASSERT_EQ(backend.checks.size(), 1u);
    EXPECT_EQ(backend.checks.front().number, "Ж-2026-000123") << "a number in capitals";
    EXPECT_EQ(backend.checks.front().phone, "6789");
    backend.completeCheck(inProgress());
    EXPECT_EQ(flow.step(), AppealStep::StatusShown);
    ASSERT_TRUE(flow.status().has_value());
    EXPECT_EQ(flow.status()->status, "in_progress");
    EXPECT_EQ(flow.status()->dueOnText, "18.12.2026");
    EXPECT_TRUE(flow.status()->extended);
    flow.checkAnother();
    EXPECT_EQ(flow.step(), AppealStep::StatusEntry);
    EXPECT_TRUE(flow.statusNumber().empty());

    // A local code as a person types it: canonical.
    ASSERT_TRUE(flow.statusNumber().insert("k7f3a9c2"));
    ASSERT_TRUE(flow.statusPhone().insert("6789"));
    flow.checkStatus();
    ASSERT_EQ(backend.checks.size(), 1u);
    EXPECT_EQ(backend.checks.front().number, "K7F3-A9C2");
}

TEST_F(AppealFlowTest, StatusCheckMissesAndRateLimit) {
    struct Case {
        Error error;
        StatusProblem expected;
    };
    const std::vector<Case> cases = {
        {makeError(ErrorKind::Http, "appeal_status_not_found", "Not found.", 404), StatusProblem::NotFound},
        {makeError(ErrorKind::Http, "too_many_attempts", "Too many attempts.", 429), StatusProblem::TooMany},
        {makeError(ErrorKind::Http, "bad_request", "Four digits.", 400), StatusProblem::PhoneDigits},
        {makeError(ErrorKind::Transport, "unreachable", "connection refused"), StatusProblem::Unreachable},
        {makeError(ErrorKind::Http, "internal", "oops", 500), StatusProblem::Unreachable},
        {makeError(ErrorKind::Http, "teapot", "I'm a teapot", 418), StatusProblem::Other},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.error.code);
        flow.beginStatus();
        ASSERT_TRUE(flow.statusNumber().insert("Ж-2026-000123"));
        ASSERT_TRUE(flow.statusPhone().insert("1111"));
        flow.checkStatus();
        backend.completeCheck(c.error);
        EXPECT_EQ(flow.step(), AppealStep::StatusEntry);
        EXPECT_EQ(flow.statusProblem(), c.expected);
        EXPECT_FALSE(flow.status().has_value());
        if (c.expected == StatusProblem::NotFound) {
            EXPECT_TRUE(flow.statusPhone().empty());
        }
        if (c.expected == StatusProblem::TooMany) {
            EXPECT_EQ(flow.message(), "Too many attempts.");
        }
    }
}

TEST_F(AppealFlowTest, StaleAnswersAreIgnored) {
    ASSERT_NO_FATAL_FAILURE(toSending());
    flow.reset();  // the visitor left (idle wipe)
    backend.completeAppeal(registered());
    EXPECT_EQ(flow.step(), AppealStep::Type);
    EXPECT_FALSE(flow.outcome().has_value());
    EXPECT_TRUE(printer.appealJobs.empty());

    flow.beginStatus();
    ASSERT_TRUE(flow.statusNumber().insert("Ж-2026-000123"));
    ASSERT_TRUE(flow.statusPhone().insert("6789"));
    flow.checkStatus();
    flow.beginStatus();  // started over
    backend.completeCheck(inProgress());
    EXPECT_EQ(flow.step(), AppealStep::StatusEntry);
    EXPECT_FALSE(flow.status().has_value());

    // An answer for the wrong step does nothing either.
    flow.onChecked(inProgress());
    EXPECT_EQ(flow.step(), AppealStep::StatusEntry);
    flow.onSent(registered());
    EXPECT_EQ(flow.step(), AppealStep::StatusEntry);
}

// ---- The receipt ----------------------------------------------------------------------------

Catalog catalog() {
    auto c = Catalog::loadDir(assetsDir("") / "i18n");
    EXPECT_TRUE(c);
    return c ? c.value() : Catalog{};
}

std::vector<std::string> texts(const print::PrintLayout& layout) {
    std::vector<std::string> out;
    for (const print::Block& b : layout.blocks()) {
        if (const auto* t = std::get_if<print::TextBlock>(&b)) out.push_back(t->text);
    }
    return out;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string all;
    for (const auto& l : lines) all += l + "\n";
    return all;
}

// ---- Keyboard focus ------------------------------------------------------------------------------

TEST_F(AppealFlowTest, KeyboardTypesIntoTheFocusedFieldAndDoneMovesOn) {
    ASSERT_NO_FATAL_FAILURE(toText());
    // The text step: the keyboard types the text, starting with a capital.
    EXPECT_EQ(&flow.focusedEntry(), &flow.text());
    EXPECT_EQ(flow.keyboard().shift(), ShiftMode::Once);
    flow.keyboard().press(Key{KeyAction::Char, "с", 1}, flow.focusedEntry());
    flow.keyboard().press(Key{KeyAction::Char, "ч", 1}, flow.focusedEntry());
    EXPECT_EQ(flow.text().value(), "Сч");
    flow.keyboardDone();  // Done on the text = Next
    ASSERT_EQ(flow.step(), AppealStep::Contact);
    EXPECT_EQ(flow.focused(), AppealField::Name);
    EXPECT_EQ(&flow.focusedEntry(), &flow.name());
    EXPECT_EQ(flow.keyboard().shift(), ShiftMode::Once);

    // Done walks the fields in order, and after the last one checks the step.
    flow.keyboardDone();
    EXPECT_EQ(flow.focused(), AppealField::Phone);
    EXPECT_EQ(flow.focusedEntry().kind(), EntryKind::Digits);  // the view shows the keypad
    flow.keyboardDone();
    EXPECT_EQ(flow.focused(), AppealField::Email);
    EXPECT_EQ(flow.keyboard().language(), "en");  // addresses are Latin
    flow.keyboardDone();
    EXPECT_EQ(flow.focused(), AppealField::Address);
    flow.keyboardDone();
    EXPECT_EQ(flow.focused(), AppealField::Account);
    flow.keyboardDone();  // nothing typed: the check says what is missing and goes there
    EXPECT_EQ(flow.step(), AppealStep::Contact);
    EXPECT_EQ(flow.problem(), AppealProblem::NameEmpty);
    EXPECT_EQ(flow.focused(), AppealField::Name);

    // Status fields cannot be focused here.
    flow.focus(AppealField::StatusPhone);
    EXPECT_EQ(flow.focused(), AppealField::Name);
}

TEST_F(AppealFlowTest, ProblemsAndChannelsPutTheKeyboardWhereTheFixGoes) {
    ASSERT_NO_FATAL_FAILURE(toContact());
    typeInto(flow.name(), "Иванов Пётр");
    typeInto(flow.phone(), "7912");  // too short
    flow.chooseChannel("sms");
    flow.focus(AppealField::Name);
    flow.next();
    EXPECT_EQ(flow.problem(), AppealProblem::PhoneInvalid);
    EXPECT_EQ(flow.focused(), AppealField::Phone);

    typeInto(flow.phone(), "79123456789");
    flow.chooseChannel("email");  // no address yet: the keyboard goes to it
    EXPECT_EQ(flow.focused(), AppealField::Email);
    flow.chooseChannel("letter");
    EXPECT_EQ(flow.focused(), AppealField::Address);
    flow.chooseChannel("phone");  // its contact is there: the focus stays
    EXPECT_EQ(flow.focused(), AppealField::Address);

    typeInto(flow.account(), "123");
    flow.next();
    EXPECT_EQ(flow.problem(), AppealProblem::AccountInvalid);
    EXPECT_EQ(flow.focused(), AppealField::Account);

    // A field refusal from the server comes back to the contact step on that field.
    flow.account().clear();
    flow.next();
    flow.setConsent(true);
    flow.next();
    ASSERT_EQ(flow.step(), AppealStep::Review);
    flow.send();
    backend.completeAppeal(badField("appeal_email"));
    EXPECT_EQ(flow.step(), AppealStep::Contact);
    EXPECT_EQ(flow.focused(), AppealField::Email);
}

TEST_F(AppealFlowTest, ChangingTheKindFromTheReviewKeepsEverything) {
    ASSERT_NO_FATAL_FAILURE(toReview());
    flow.edit(AppealStep::Type);
    ASSERT_EQ(flow.step(), AppealStep::Type);
    EXPECT_TRUE(flow.editing());
    flow.back();  // changed their mind: back to the review, nothing lost
    ASSERT_EQ(flow.step(), AppealStep::Review);
    EXPECT_FALSE(flow.editing());
    EXPECT_FALSE(flow.text().empty());
    EXPECT_FALSE(flow.name().empty());
    EXPECT_TRUE(flow.consent());
    flow.edit(AppealStep::Type);
    flow.chooseType("request");
    EXPECT_EQ(flow.step(), AppealStep::Review);
    EXPECT_EQ(flow.submission().type, "request");
    // Back on the type step outside an edit does nothing here: the kiosk's Back leaves the flow.
    flow.begin();
    flow.back();
    EXPECT_EQ(flow.step(), AppealStep::Type);
}

TEST_F(AppealFlowTest, KeyboardReturnsToTheVisitorsLanguageAfterTheEmail) {
    flow.setKeyboardLanguages({"ru", "en"}, "ru");
    flow.setVisitorLanguage("ru");
    ASSERT_NO_FATAL_FAILURE(toContact());
    EXPECT_EQ(flow.keyboard().language(), "ru");
    flow.focus(AppealField::Email);
    EXPECT_EQ(flow.keyboard().language(), "en");
    flow.focus(AppealField::Address);
    EXPECT_EQ(flow.keyboard().language(), "ru");
    flow.focus(AppealField::Email);
    flow.back();  // to the text
    ASSERT_EQ(flow.step(), AppealStep::Text);
    EXPECT_EQ(flow.keyboard().language(), "ru");
    // The visitor switches the kiosk to English: the keyboard follows, and stays after a wipe.
    flow.setVisitorLanguage("en");
    EXPECT_EQ(flow.keyboard().language(), "en");
    flow.beginStatus();
    EXPECT_EQ(flow.keyboard().language(), "en");
}

TEST_F(AppealFlowTest, StatusCheckKeyboardStartsOnDigitsAndDoneChecks) {
    flow.beginStatus();
    EXPECT_EQ(flow.focused(), AppealField::StatusNumber);
    EXPECT_EQ(flow.keyboard().page(), KeyboardPage::Symbols);
    typeInto(flow.focusedEntry(), "2026000123");
    flow.keyboardDone();
    EXPECT_EQ(flow.focused(), AppealField::StatusPhone);
    EXPECT_EQ(flow.focusedEntry().kind(), EntryKind::Digits);
    typeInto(flow.focusedEntry(), "67");
    flow.keyboardDone();  // two digits: the check says so and stays
    EXPECT_EQ(flow.statusProblem(), StatusProblem::PhoneDigits);
    EXPECT_EQ(flow.step(), AppealStep::StatusEntry);
    typeInto(flow.focusedEntry(), "6789");
    flow.keyboardDone();
    EXPECT_EQ(flow.step(), AppealStep::Checking);
    backend.completeCheck(makeError(ErrorKind::Http, "appeal_status_not_found", "not found", 404));
    EXPECT_EQ(flow.focused(), AppealField::StatusPhone);  // the digits are typed again
    EXPECT_TRUE(flow.statusPhone().empty());
}

TEST_F(AppealFlowTest, ReceiptHasNoPersonalData) {
    setenv("TZ", "UTC", 1);
    tzset();
    const Catalog c = catalog();
    for (bool queuedOne : {false, true}) {
        SCOPED_TRACE(queuedOne ? "queued" : "registered");
        ASSERT_NO_FATAL_FAILURE(toContact());
        typeInto(flow.name(), "Иванов Пётр");
        typeInto(flow.phone(), "79123456789");
        typeInto(flow.email(), "petr@example.ru");
        typeInto(flow.address(), "г. Тула, ул. Ленина, 5");
        typeInto(flow.account(), "1000001");
        flow.chooseChannel("email");
        flow.next();
        flow.setConsent(true);
        flow.next();
        flow.send();
        backend.completeAppeal(queuedOne ? queued("K7F3-A9C2") : registered());
        ASSERT_EQ(printer.appealJobs.size(), 1u);
        for (const char* lang : {"en", "ru"}) {
            AppealPrintJob job = printer.appealJobs[0];
            job.language = lang;
            const std::string all = joined(texts(appealPrintLayout(job, c, print::Paper::mm80())));
            for (const std::string& secret : {std::string("Иванов"), std::string("Пётр"), std::string("79123456789"),
                                              std::string("6789"), std::string("petr@"), std::string("Ленина"),
                                              std::string("1000001"), std::string("Счёт за май")}) {
                EXPECT_EQ(all.find(secret), std::string::npos) << secret << "\n" << all;
            }
            EXPECT_EQ(all.find('{'), std::string::npos) << "an unfilled placeholder:\n" << all;
            EXPECT_EQ(all.find("print."), std::string::npos) << all;
            EXPECT_EQ(all.find("appeals."), std::string::npos) << all;
            EXPECT_NE(all.find(c.tr(lang, "appeals.category.billing")), std::string::npos) << all;
            if (queuedOne) {
                EXPECT_NE(all.find("K7F3-A9C2"), std::string::npos) << all;
                EXPECT_NE(all.find(c.tr(lang, "print.appeal_queued")), std::string::npos) << all;
            } else {
                EXPECT_NE(all.find("Ж-2026-000123"), std::string::npos) << all;
                EXPECT_NE(all.find("11.12.2026"), std::string::npos) << all;
            }
        }
        printer.complete(okStatus());
        printer.appealJobs.clear();
    }
}

TEST(AppealI18n, EveryProblemAndCategoryIsWordedInBothLanguages) {
    const Catalog c = catalog();
    std::vector<std::string> keys;
    for (int p = static_cast<int>(AppealProblem::TypeMissing); p <= static_cast<int>(AppealProblem::Other); ++p) {
        keys.push_back(std::string("appeals.problem.") + toString(static_cast<AppealProblem>(p)));
    }
    for (int p = static_cast<int>(StatusProblem::NumberEmpty); p <= static_cast<int>(StatusProblem::Other); ++p) {
        keys.push_back(std::string("appeals.status_problem.") + toString(static_cast<StatusProblem>(p)));
    }
    for (const std::string& id : KioskSettings{}.appealCategories) keys.push_back("appeals.category." + id);
    for (const std::string& t : AppealFlow::types()) keys.push_back("appeals.type." + t);
    for (const std::string& ch : AppealFlow::channels()) keys.push_back("appeals.channel." + ch);
    for (const char* lang : {"en", "ru"}) {
        for (const std::string& key : keys) EXPECT_NE(c.tr(lang, key), key) << lang << " " << key;
    }
    EXPECT_EQ(KioskSettings{}.appealCategories, kCategories) << "the server's default categories";
}

// ---- The wire format (docs/api.md, Appeals) -------------------------------------------------

TEST(AppealWire, SubmissionBodyLeavesOutWhatWasNotGiven) {
    AppealSubmission s;
    s.type = "complaint";
    s.category = "billing";
    s.text = "Счёт за май вдвое больше обычного.";
    s.name = "Иванов Пётр";
    s.phone = "79123456789";
    s.replyChannel = "phone";
    s.consent = true;
    s.localCode = "K7F3-A9C2";
    s.takenAt = fromMillis(1'795'423'260'000);
    const nlohmann::json j = wire::toJson(s);
    EXPECT_EQ(j, nlohmann::json::parse(R"({"type": "complaint", "category": "billing",
        "text": "Счёт за май вдвое больше обычного.", "name": "Иванов Пётр", "phone": "79123456789",
        "reply_channel": "phone", "consent": true, "local_code": "K7F3-A9C2"})"));
    s.email = "petr@example.ru";
    s.address = "г. Тула";
    s.account = "1000001";
    const nlohmann::json full = wire::toJson(s);
    EXPECT_EQ(full["email"], "petr@example.ru");
    EXPECT_EQ(full["address"], "г. Тула");
    EXPECT_EQ(full["account"], "1000001");
    EXPECT_FALSE(full.contains("urgent")) << "visitors cannot make an appeal urgent";
}

TEST(AppealWire, ParsesTheReceiptAndTheStatus) {
    auto r = wire::parseAppealReceipt(R"({"number": "Ж-2026-000123", "status": "registered", "category": "billing",
        "due_on": "2026-12-11", "due_on_text": "11.12.2026", "urgent": false, "local_code": "K1-0042"})");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r.value().number, "Ж-2026-000123");
    EXPECT_EQ(r.value().dueOn, "2026-12-11");
    EXPECT_EQ(r.value().dueOnText, "11.12.2026");
    EXPECT_FALSE(r.value().urgent);
    EXPECT_EQ(r.value().localCode, "K1-0042");
    auto noCode = wire::parseAppealReceipt(R"({"number": "Ж-2026-000124", "status": "registered",
        "category": "safety_hazard", "due_on": "2026-11-27", "due_on_text": "27.11.2026", "urgent": true,
        "local_code": null})");
    ASSERT_TRUE(noCode) << noCode.error().message;
    EXPECT_TRUE(noCode.value().urgent);
    EXPECT_TRUE(noCode.value().localCode.empty());
    EXPECT_FALSE(wire::parseAppealReceipt(R"({"status": "registered"})"));
    EXPECT_FALSE(wire::parseAppealReceipt("not json"));

    auto st = wire::parseAppealStatus(R"({"number": "Ж-2026-000123", "status": "in_progress",
        "status_text": "in progress", "due_on": "2026-12-18", "due_on_text": "18.12.2026", "extended": true})");
    ASSERT_TRUE(st) << st.error().message;
    EXPECT_EQ(st.value().status, "in_progress");
    EXPECT_EQ(st.value().statusText, "in progress");
    EXPECT_EQ(st.value().dueOnText, "18.12.2026");
    EXPECT_TRUE(st.value().extended);
    EXPECT_FALSE(wire::parseAppealStatus(R"({"number": "Ж-2026-000123", "status": "in_progress"})"));
}

// ---- The kiosk around the flow --------------------------------------------------------------

std::vector<Service> services() {
    std::vector<Service> list = {{1, "A", {{"ru", "Оплата"}, {"en", "Payments"}}, 2}};
    return list;
}

class AppealKioskTest : public ::testing::Test {
protected:
    void startHome() {
        model.start();
        backend.completeOffice(OfficeInfo{});
        backend.completeLoad(services());
        ASSERT_EQ(model.screen(), KioskScreen::Home);
        backend.completeSweep(OutboxState{0});
    }
    void tap() {
        clock.advance(1s);
        model.onInput();
    }
    void toSending() {
        ASSERT_NO_FATAL_FAILURE(startHome());
        ASSERT_NO_FATAL_FAILURE(fillAndSend());
    }
    /// Home → a filled-in appeal → Send.
    void fillAndSend() {
        model.openAppeal();
        ASSERT_EQ(model.screen(), KioskScreen::Appeal);
        tap();
        flow().chooseType("request");
        tap();
        flow().chooseCategory("meters");
        ASSERT_TRUE(flow().text().insert("Прошу заменить счётчик."));
        tap();
        flow().next();
        ASSERT_TRUE(flow().name().insert("Пётр"));
        ASSERT_TRUE(flow().phone().insert("79123456789"));
        flow().chooseChannel("sms");
        tap();
        flow().next();
        flow().setConsent(true);
        tap();
        flow().next();
        ASSERT_EQ(flow().step(), AppealStep::Review);
        tap();
        flow().send();
        ASSERT_EQ(flow().step(), AppealStep::Sending);
    }
    AppealFlow& flow() { return model.appeals(); }

    talon::test::FakeClock clock;
    FakeBackend backend;
    FakePrinter printer;
    KioskSettings settingsValue = [] {
        KioskSettings s;
        s.outboxInterval = 45s;
        return s;
    }();
    KioskModel model{backend, printer, clock, settingsValue};
};

TEST_F(AppealKioskTest, OpensFromHomeOnlyAndNotWhenDisabled) {
    model.openAppeal();
    EXPECT_EQ(model.screen(), KioskScreen::Loading);
    ASSERT_NO_FATAL_FAILURE(startHome());
    model.openAppealStatus();
    EXPECT_EQ(model.screen(), KioskScreen::Appeal);
    EXPECT_EQ(flow().step(), AppealStep::StatusEntry);
    model.backToHome();
    model.openAppeal();
    EXPECT_EQ(flow().step(), AppealStep::Type);
    EXPECT_STREQ(toString(model.screen()), "appeal");

    FakeBackend b2;
    FakePrinter p2;
    KioskSettings off;
    off.appeals = false;
    KioskModel disabled{b2, p2, clock, off};
    disabled.start();
    b2.completeOffice(OfficeInfo{});
    b2.completeLoad(services());
    disabled.openAppeal();
    disabled.openAppealStatus();
    EXPECT_EQ(disabled.screen(), KioskScreen::Home);
}

TEST_F(AppealKioskTest, CategoriesComeFromTheServerOnceItHasToldThem) {
    // Before the office is loaded (a start without the server): the kiosk's own list.
    model.start();
    backend.completeLoad(services());
    model.openAppeal();
    ASSERT_EQ(model.screen(), KioskScreen::Appeal);
    EXPECT_EQ(flow().categories(), settingsValue.appealCategories);
    EXPECT_EQ(model.appealCategory("billing"), nullptr);
    model.backToHome();

    // The server's list, in its order, with its names and urgency.
    OfficeInfo office;
    office.appealCategories = {{"billing", {}, 10, false},
                               {"gas_leak", {{"ru", "Запах газа"}, {"en", "Gas smell"}}, 0, true}};
    ASSERT_FALSE(backend.offices.empty());  // asked at start, answered now
    backend.completeOffice(office);
    model.openAppeal();
    EXPECT_EQ(flow().categories(), (std::vector<std::string>{"billing", "gas_leak"}));
    ASSERT_NE(model.appealCategory("gas_leak"), nullptr);
    EXPECT_TRUE(model.appealCategory("gas_leak")->urgent);
    EXPECT_EQ(model.appealCategory("safety_hazard"), nullptr);
}

TEST_F(AppealKioskTest, IdleWipesTheAppealButNotWhileSending) {
    ASSERT_NO_FATAL_FAILURE(startHome());
    model.openAppeal();
    flow().chooseType("complaint");
    flow().chooseCategory("billing");
    ASSERT_TRUE(flow().text().insert("Личное"));
    ASSERT_EQ(model.nextWake(), clock.now() + settingsValue.idleTimeout);
    clock.advance(settingsValue.idleTimeout - 1s);
    model.tick();
    EXPECT_EQ(model.screen(), KioskScreen::Appeal);
    clock.advance(1s);
    model.tick();
    EXPECT_EQ(model.screen(), KioskScreen::Home);
    EXPECT_TRUE(flow().text().empty()) << "the visitor's text is wiped";
    EXPECT_EQ(flow().step(), AppealStep::Type);

    // Sending holds the screen (and Back) until the answer comes.
    ASSERT_NO_FATAL_FAILURE(fillAndSend());
    EXPECT_FALSE(model.nextWake().has_value());
    clock.advance(settingsValue.idleTimeout * 3);
    model.tick();
    model.backToHome();
    model.setLanguage("en");
    EXPECT_EQ(model.screen(), KioskScreen::Appeal);
    EXPECT_EQ(flow().step(), AppealStep::Sending);
    EXPECT_EQ(model.language(), "ru");
    backend.completeAppeal(registered());
    EXPECT_EQ(flow().step(), AppealStep::Done);
    EXPECT_FALSE(model.nextWake().has_value()) << "the receipt is printing";
    ASSERT_EQ(printer.appealJobs.size(), 1u);
    EXPECT_EQ(printer.appealJobs[0].language, "ru");
    printer.complete(okStatus());
    // Done closes like the readings' Done: after the ticket timeout.
    ASSERT_EQ(model.nextWake(), clock.now() + settingsValue.ticketTimeout);
    clock.advance(settingsValue.ticketTimeout);
    model.tick();
    EXPECT_EQ(model.screen(), KioskScreen::Home);
    EXPECT_FALSE(flow().outcome().has_value());
}

TEST_F(AppealKioskTest, DoneStaysLongerWhenTheReceiptDidNotPrint) {
    ASSERT_NO_FATAL_FAILURE(toSending());
    backend.completeAppeal(queued("K7F3-A9C2"));
    printer.complete(makeError(ErrorKind::Internal, "printer_failed", "paper out"));
    ASSERT_EQ(flow().printState(), PrintState::Failed);
    ASSERT_FALSE(backend.reports.empty());
    EXPECT_EQ(backend.reports.back().state, "failed");
    EXPECT_EQ(model.nextWake(), clock.now() + settingsValue.noPaperTimeout);
    clock.advance(settingsValue.ticketTimeout);
    model.tick();
    EXPECT_EQ(model.screen(), KioskScreen::Appeal);
    clock.advance(settingsValue.noPaperTimeout - settingsValue.ticketTimeout);
    model.tick();
    EXPECT_EQ(model.screen(), KioskScreen::Home);
}

TEST_F(AppealKioskTest, StatusCheckIsNotCutShortAndItsAnswerIsDroppedAfterALeave) {
    ASSERT_NO_FATAL_FAILURE(startHome());
    model.openAppealStatus();
    ASSERT_TRUE(flow().statusNumber().insert("Ж-2026-000123"));
    ASSERT_TRUE(flow().statusPhone().insert("6789"));
    flow().checkStatus();
    EXPECT_FALSE(model.nextWake().has_value());
    clock.advance(settingsValue.idleTimeout * 2);
    model.tick();
    EXPECT_EQ(model.screen(), KioskScreen::Appeal);
    model.backToHome();  // Back is allowed while checking: the answer is dropped
    EXPECT_EQ(model.screen(), KioskScreen::Home);
    backend.completeCheck(inProgress());
    EXPECT_FALSE(flow().status().has_value());
}

}  // namespace
}  // namespace talon::kiosk
