// ReadingsFlow: the account keypad and its lookup, the meters, the entry keys within the
// register's digits, warnings, the summary's edits, sending meter by meter, the receipt; and
// the kiosk around it (idle wipe, Done timeouts, the meter-service ticket, the outbox sweep).
#include "talon/kiosk/readings_flow.h"

#include <gtest/gtest.h>

#include <set>

#include "../support/fake_clock.h"
#include "kiosk_fakes.h"
#include "talon/kiosk/kiosk_model.h"

namespace talon::kiosk {
namespace {

using namespace std::chrono_literals;

using test::FakeBackend;
using test::FakePrinter;

const std::string kBullets = "\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2";
const std::string kEllipsis = "\xE2\x80\xA6";

/// An account with a day/night meter and a single-rate one whose calibration is overdue
/// (the same sample as the screen tests).
MeterAccount meterAccount() {
    MeterAccount a;
    a.number = "1000123456";
    a.holder = "И. П. С.";
    a.address = "г. Тула, ул. Ленина, д. 5";
    a.status = "active";
    a.today = "2026-11-23";
    a.period = "2026-11";
    MeterInfo m1;
    m1.number = 1;
    m1.serial = kEllipsis + "1234";
    m1.tariff = "day_night";
    m1.wholeDigits = 6;
    m1.decimalDigits = 1;
    m1.zones = {{"day", "12345.6", "2026-10-20"}, {"night", "04321.0", "2026-10-20"}};
    m1.usualPerDay = 7.5;
    MeterInfo m2;
    m2.number = 2;
    m2.serial = kEllipsis + "9876";
    m2.tariff = "single";
    m2.wholeDigits = 5;
    m2.decimalDigits = 0;
    m2.zones = {{"total", "07310", "2026-10-21"}};
    m2.usualPerDay = 2.0;
    m2.calibrationDue = "2026-01-01";
    m2.calibrationOverdue = true;
    a.meters = {m1, m2};
    return a;
}

/// An account with one single-rate meter on a register of the given digits.
MeterAccount oneMeter(int whole, int decimals, std::optional<std::string> last = std::nullopt,
                      std::optional<std::string> readOn = std::nullopt, std::optional<double> usual = std::nullopt) {
    MeterAccount a = meterAccount();
    MeterInfo m;
    m.number = 1;
    m.serial = kEllipsis + "5555";
    m.tariff = "single";
    m.wholeDigits = whole;
    m.decimalDigits = decimals;
    m.zones = {{"total", std::move(last), std::move(readOn)}};
    m.usualPerDay = usual;
    a.meters = {m};
    return a;
}

ReadingReceipt receipt(int meter, const std::string& confirmation) {
    ReadingReceipt r;
    r.confirmation = confirmation;
    r.account = "1000123456";
    r.meter = meter;
    r.period = "2026-11";
    if (meter == 1) {
        r.serial = kEllipsis + "1234";
        r.readings = {{"day", "12480.2", "12345.6", "134.6", false}, {"night", "04390.5", "04321.0", "69.5", false}};
    } else {
        r.serial = kEllipsis + "9876";
        r.readings = {{"total", "07368", "07310", "58", false}};
    }
    return r;
}

ReadingOutcome accepted(int meter, const std::string& confirmation) {
    ReadingOutcome o;
    o.receipt = receipt(meter, confirmation);
    return o;
}

ReadingOutcome queued(const std::string& localCode) {
    ReadingOutcome o;
    o.localCode = localCode;
    o.queued = true;
    return o;
}

Error refusedByServer(const std::string& message) {
    return makeError(ErrorKind::Http, "reading_rejected", message, 422);
}

class ReadingsFlowTest : public ::testing::Test {
protected:
    void typeAccount(const std::string& digits) {
        for (char c : digits) flow.accountKey(c);
    }
    /// The account keypad → lookup → the meters of `account`.
    void toMeters(MeterAccount account = meterAccount()) {
        flow.begin();
        typeAccount(account.number);
        flow.submitAccount();
        ASSERT_EQ(backend.lookups.size(), 1u);
        EXPECT_EQ(backend.lookups.front().first, account.number);
        backend.completeLookup(std::move(account));
        ASSERT_EQ(flow.step(), ReadingsStep::Meters);
    }
    void type(const std::string& keys) {
        for (char c : keys) flow.entryKey(c);
    }
    /// Types `keys` over whatever the zone had and goes on.
    void enter(const std::string& keys) {
        flow.entryClear();
        type(keys);
        flow.entryNext();
    }
    /// Every zone of meterAccount() typed and checked: the summary.
    void toSummary() {
        ASSERT_NO_FATAL_FAILURE(toMeters());
        flow.confirmAccount();
        enter("12480,2");
        enter("4390,5");
        enter("7368");
        ASSERT_EQ(flow.step(), ReadingsStep::Summary);
    }
    void toSending() {
        ASSERT_NO_FATAL_FAILURE(toSummary());
        flow.send();
        ASSERT_EQ(flow.step(), ReadingsStep::Sending);
        ASSERT_EQ(backend.submits.size(), 1u);
    }

    talon::test::FakeClock clock;
    FakeBackend backend;
    FakePrinter printer;
    ReadingsFlow flow{backend, printer, clock};
};

// ---- Account keypad -----------------------------------------------------------------------

TEST_F(ReadingsFlowTest, AccountKeypadTakesDigitsOnly) {
    flow.begin();
    typeAccount("12a-3 4.5,6x");
    EXPECT_EQ(flow.accountEntry().value(), "123456");
    flow.accountBackspace();
    EXPECT_EQ(flow.accountEntry().value(), "12345");
    flow.accountClear();
    EXPECT_TRUE(flow.accountEntry().empty());
}

TEST_F(ReadingsFlowTest, AccountKeypadStopsAtTwentyDigits) {
    flow.begin();
    typeAccount("1234567890123456789012345");
    EXPECT_EQ(flow.accountEntry().length(), ReadingsFlow::kMaxAccountDigits);
    EXPECT_EQ(flow.accountEntry().value(), "12345678901234567890");
    flow.submitAccount();
    ASSERT_EQ(backend.lookups.size(), 1u);
    EXPECT_EQ(backend.lookups.front().first, "12345678901234567890");
}

TEST_F(ReadingsFlowTest, TooShortAccountSendsNoLookup) {
    for (const std::string typed : {"", "1", "12345"}) {
        SCOPED_TRACE("typed \"" + typed + "\"");
        flow.begin();
        typeAccount(typed);
        flow.submitAccount();
        EXPECT_EQ(flow.accountProblem(), AccountProblem::TooShort);
        EXPECT_EQ(flow.step(), ReadingsStep::Account);
        EXPECT_TRUE(backend.lookups.empty());
    }
    // The next digit takes the problem away; six digits are enough for a lookup.
    flow.accountKey('6');
    EXPECT_EQ(flow.accountProblem(), AccountProblem::None);
    flow.submitAccount();
    EXPECT_EQ(flow.step(), ReadingsStep::LookingUp);
    ASSERT_EQ(backend.lookups.size(), 1u);
    EXPECT_EQ(backend.lookups.front().first, "123456");
}

TEST_F(ReadingsFlowTest, LookupErrorsAreMapped) {
    struct Case {
        const char* name;
        Error error;
        AccountProblem problem;
        const char* message;  // nullptr: not checked
    };
    const std::vector<Case> cases = {
        {"unknown account", makeError(ErrorKind::Http, "unknown_account", "No such account.", 404),
         AccountProblem::Unknown, "No such account."},
        {"too many lookups", makeError(ErrorKind::Http, "too_many_lookups", "Please wait a minute.", 429),
         AccountProblem::TooMany, "Please wait a minute."},
        {"transport", makeError(ErrorKind::Transport, "unreachable", "connection refused"), AccountProblem::Unreachable,
         nullptr},
        {"timeout", makeError(ErrorKind::Timeout, "timeout", "no answer"), AccountProblem::Unreachable, nullptr},
        {"503", makeError(ErrorKind::Http, "unavailable", "Down for maintenance.", 503), AccountProblem::Unreachable,
         nullptr},
        {"500", makeError(ErrorKind::Http, "internal", "Oops.", 500), AccountProblem::Unreachable, nullptr},
        {"bad request", makeError(ErrorKind::Http, "bad_request", "Too short.", 400), AccountProblem::TooShort,
         nullptr},
        {"other", makeError(ErrorKind::Http, "forbidden", "Readings are off here.", 403), AccountProblem::Other,
         "Readings are off here."},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        flow.begin();
        typeAccount("1000123456");
        flow.submitAccount();
        ASSERT_EQ(backend.lookups.size(), 1u);
        backend.completeLookup(c.error);
        EXPECT_EQ(flow.step(), ReadingsStep::Account);
        EXPECT_EQ(flow.accountProblem(), c.problem);
        if (c.message) {
            EXPECT_EQ(flow.message(), c.message);
        }
        EXPECT_FALSE(flow.account().has_value());
        EXPECT_TRUE(flow.meters().empty());
        // The number stays for the visitor to correct or send again.
        EXPECT_EQ(flow.accountEntry().value(), "1000123456");
    }
}

TEST_F(ReadingsFlowTest, ClosedAccountIsRefused) {
    MeterAccount closed = meterAccount();
    closed.status = "closed";
    flow.begin();
    typeAccount(closed.number);
    flow.submitAccount();
    backend.completeLookup(closed);
    EXPECT_EQ(flow.step(), ReadingsStep::Account);
    EXPECT_EQ(flow.accountProblem(), AccountProblem::Closed);
    EXPECT_FALSE(flow.account().has_value());
    EXPECT_TRUE(flow.meters().empty());
}

TEST_F(ReadingsFlowTest, DoubleSubmitSendsOneLookup) {
    flow.begin();
    typeAccount("1000123456");
    flow.submitAccount();
    flow.submitAccount();
    EXPECT_EQ(backend.lookups.size(), 1u);
    EXPECT_EQ(flow.step(), ReadingsStep::LookingUp);
    // The keypad is off while the lookup is on its way.
    flow.accountKey('9');
    flow.accountBackspace();
    flow.accountClear();
    EXPECT_EQ(flow.accountEntry().value(), "1000123456");
}

TEST_F(ReadingsFlowTest, LateLookupAfterResetIsIgnored) {
    flow.begin();
    typeAccount("1000123456");
    flow.submitAccount();
    flow.reset();
    EXPECT_EQ(flow.step(), ReadingsStep::Account);
    EXPECT_TRUE(flow.accountEntry().empty());
    backend.completeLookup(meterAccount());
    EXPECT_EQ(flow.step(), ReadingsStep::Account);
    EXPECT_FALSE(flow.account().has_value());
    EXPECT_TRUE(flow.meters().empty());

    // The old answer arriving while a new lookup is on its way does not count as the new one.
    flow.begin();
    typeAccount("1000123456");
    flow.submitAccount();
    flow.begin();
    typeAccount("2000654321");
    flow.submitAccount();
    ASSERT_EQ(backend.lookups.size(), 2u);
    backend.completeLookup(makeError(ErrorKind::Http, "unknown_account", "No such account.", 404));
    EXPECT_EQ(flow.step(), ReadingsStep::LookingUp);
    EXPECT_EQ(flow.accountProblem(), AccountProblem::None);
    MeterAccount second = meterAccount();
    second.number = "2000654321";
    backend.completeLookup(second);
    EXPECT_EQ(flow.step(), ReadingsStep::Meters);
    EXPECT_EQ(flow.maskedAccount(), kBullets + "4321");
}

// ---- Meters -------------------------------------------------------------------------------

TEST_F(ReadingsFlowTest, LookupShowsTheMaskedAccountAndItsMeters) {
    ASSERT_NO_FATAL_FAILURE(toMeters());
    EXPECT_EQ(flow.maskedAccount(), kBullets + "3456");
    ASSERT_TRUE(flow.account().has_value());
    EXPECT_EQ(flow.account()->holder, "И. П. С.");
    ASSERT_EQ(flow.meters().size(), 2u);
    const MeterInput& m1 = flow.meters()[0];
    EXPECT_EQ(m1.reg.wholeDigits, 6);
    EXPECT_EQ(m1.reg.decimalDigits, 1);
    ASSERT_EQ(m1.zones.size(), 2u);
    EXPECT_EQ(m1.zones[0].zone, "day");
    EXPECT_EQ(m1.zones[1].zone, "night");
    EXPECT_TRUE(m1.zones[0].typed.empty());
    EXPECT_FALSE(m1.alreadySubmitted);
    EXPECT_EQ(m1.outcome, MeterOutcome::None);
    EXPECT_EQ(flow.meters()[1].reg.wholeDigits, 5);
    EXPECT_EQ(flow.meters()[1].reg.decimalDigits, 0);
    EXPECT_TRUE(flow.anythingToEnter());
    EXPECT_TRUE(flow.calibrationOverdue());
}

TEST_F(ReadingsFlowTest, AlreadySubmittedMetersAreSkipped) {
    MeterAccount a = meterAccount();
    a.meters[0].submittedOn = "2026-11-20";
    ASSERT_NO_FATAL_FAILURE(toMeters(a));
    EXPECT_TRUE(flow.meters()[0].alreadySubmitted);
    EXPECT_TRUE(flow.anythingToEnter());
    flow.confirmAccount();
    ASSERT_EQ(flow.step(), ReadingsStep::Entry);
    EXPECT_EQ(flow.currentMeter(), 1u);
    EXPECT_EQ(flow.currentZone(), 0u);
    // Back from the only meter to fill in is the meters screen, not the submitted one.
    flow.entryBack();
    EXPECT_EQ(flow.step(), ReadingsStep::Meters);
    flow.confirmAccount();
    enter("7368");
    EXPECT_EQ(flow.step(), ReadingsStep::Summary);
    // The summary cannot edit the submitted meter.
    flow.editZone(0, 0);
    EXPECT_EQ(flow.step(), ReadingsStep::Summary);
    flow.send();
    ASSERT_EQ(backend.submits.size(), 1u);
    EXPECT_EQ(backend.submits.front().submission.meter, 2);
    backend.completeSubmit(accepted(2, "R-2026-000124"));
    EXPECT_EQ(flow.step(), ReadingsStep::Done);
    EXPECT_TRUE(backend.submits.empty());
    EXPECT_EQ(flow.meters()[0].outcome, MeterOutcome::None);
}

TEST_F(ReadingsFlowTest, MetersWithoutZonesAreSkipped) {
    MeterAccount a = meterAccount();
    a.meters[0].zones.clear();
    ASSERT_NO_FATAL_FAILURE(toMeters(a));
    flow.confirmAccount();
    EXPECT_EQ(flow.currentMeter(), 1u);
}

TEST_F(ReadingsFlowTest, NothingToEnterWhenEverythingIsIn) {
    MeterAccount a = meterAccount();
    for (MeterInfo& m : a.meters) m.submittedOn = "2026-11-20";
    ASSERT_NO_FATAL_FAILURE(toMeters(a));
    EXPECT_FALSE(flow.anythingToEnter());
    flow.confirmAccount();
    EXPECT_EQ(flow.step(), ReadingsStep::Meters);

    MeterAccount none = meterAccount();
    none.meters.clear();
    ASSERT_NO_FATAL_FAILURE(toMeters(none));
    EXPECT_FALSE(flow.anythingToEnter());
    flow.confirmAccount();
    EXPECT_EQ(flow.step(), ReadingsStep::Meters);
}

TEST_F(ReadingsFlowTest, NotMyAccountWipesTheNumber) {
    ASSERT_NO_FATAL_FAILURE(toMeters());
    flow.notMyAccount();
    EXPECT_EQ(flow.step(), ReadingsStep::Account);
    EXPECT_TRUE(flow.accountEntry().empty());
    EXPECT_FALSE(flow.account().has_value());
    EXPECT_TRUE(flow.meters().empty());
    EXPECT_EQ(flow.maskedAccount().find("3456"), std::string::npos);
}

// ---- Entry keys ---------------------------------------------------------------------------

TEST_F(ReadingsFlowTest, EntryKeysFollowTheRegister) {
    struct Case {
        const char* name;
        int whole, decimals;
        std::string keys;  // the last one is the key under test
        std::string typed;
        bool lastTaken;
        EntryProblem problem;
    };
    const std::vector<Case> cases = {
        {"six whole digits fit", 6, 1, "123456", "123456", true, EntryProblem::None},
        {"the 7th whole digit", 6, 1, "1234567", "123456", false, EntryProblem::TooManyWhole},
        {"leading zeros are typed digits", 5, 0, "073100", "07310", false, EntryProblem::TooManyWhole},
        {"a decimal fits", 6, 1, "12.3", "12.3", true, EntryProblem::None},
        {"a decimal beyond the register", 6, 1, "12.34", "12.3", false, EntryProblem::TooManyDecimals},
        {"two decimals", 6, 2, "12.34", "12.34", true, EntryProblem::None},
        {"three decimals on nine digits", 9, 3, "123456789.123", "123456789.123", true, EntryProblem::None},
        {"whole digits full, then decimals", 6, 1, "123456.7", "123456.7", true, EntryProblem::None},
        {"a point without decimals", 5, 0, "12.", "12", false, EntryProblem::TooManyDecimals},
        {"a comma without decimals", 5, 0, "12,", "12", false, EntryProblem::TooManyDecimals},
        {"a comma is a point", 6, 1, "12,3", "12.3", true, EntryProblem::None},
        {"a lone point", 6, 1, ".", "0.", true, EntryProblem::None},
        {"a lone comma", 6, 1, ",", "0.", true, EntryProblem::None},
        {"a digit after a lone point", 6, 1, ".5", "0.5", true, EntryProblem::None},
        {"a second point", 6, 2, "1.2.", "1.2", false, EntryProblem::None},
        {"a letter", 6, 1, "1x", "1", false, EntryProblem::None},
        {"a minus", 6, 1, "1-", "1", false, EntryProblem::None},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        ASSERT_NO_FATAL_FAILURE(toMeters(oneMeter(c.whole, c.decimals)));
        flow.confirmAccount();
        ASSERT_EQ(flow.step(), ReadingsStep::Entry);
        type(c.keys.substr(0, c.keys.size() - 1));
        EXPECT_EQ(flow.entryKey(c.keys.back()), c.lastTaken);
        ASSERT_NE(flow.zone(), nullptr);
        EXPECT_EQ(flow.zone()->typed, c.typed);
        EXPECT_EQ(flow.entryProblem(), c.problem);
        flow.reset();
    }
}

TEST_F(ReadingsFlowTest, AKeyTakenClearsTheProblem) {
    ASSERT_NO_FATAL_FAILURE(toMeters(oneMeter(6, 1)));
    flow.confirmAccount();
    type("1234567");
    EXPECT_EQ(flow.entryProblem(), EntryProblem::TooManyWhole);
    EXPECT_TRUE(flow.entryKey('.'));
    EXPECT_EQ(flow.entryProblem(), EntryProblem::None);
    flow.entryNext();  // 123456.
    EXPECT_EQ(flow.step(), ReadingsStep::Summary);
    ASSERT_TRUE(flow.meters()[0].zones[0].value.has_value());
    EXPECT_EQ(*flow.meters()[0].zones[0].value, 1234560);
}

TEST_F(ReadingsFlowTest, BackspaceKeepsAZeroTheVisitorTyped) {
    ASSERT_NO_FATAL_FAILURE(toMeters(oneMeter(6, 1)));
    flow.confirmAccount();
    type("0.");
    ASSERT_EQ(flow.zone()->typed, "0.");
    flow.entryBackspace();
    EXPECT_EQ(flow.zone()->typed, "0") << "the zero was typed, only the point goes";
}

TEST_F(ReadingsFlowTest, BackspaceOfALonePointClears) {
    ASSERT_NO_FATAL_FAILURE(toMeters(oneMeter(6, 1)));
    flow.confirmAccount();
    type(".");
    ASSERT_EQ(flow.zone()->typed, "0.");
    flow.entryBackspace();
    EXPECT_EQ(flow.zone()->typed, "");
    flow.entryBackspace();  // nothing left: nothing happens
    EXPECT_EQ(flow.zone()->typed, "");

    type("12.3");
    flow.entryBackspace();
    EXPECT_EQ(flow.zone()->typed, "12.");
    flow.entryBackspace();
    EXPECT_EQ(flow.zone()->typed, "12");
    type("34567");
    EXPECT_EQ(flow.entryProblem(), EntryProblem::TooManyWhole);
    flow.entryBackspace();
    EXPECT_EQ(flow.zone()->typed, "12345");
    EXPECT_EQ(flow.entryProblem(), EntryProblem::None);
    flow.entryClear();
    EXPECT_EQ(flow.zone()->typed, "");
}

TEST_F(ReadingsFlowTest, NextOnAnEmptyEntryIsEmpty) {
    ASSERT_NO_FATAL_FAILURE(toMeters());
    flow.confirmAccount();
    flow.entryNext();
    EXPECT_EQ(flow.step(), ReadingsStep::Entry);
    EXPECT_EQ(flow.entryProblem(), EntryProblem::Empty);
    EXPECT_EQ(flow.currentMeter(), 0u);
    EXPECT_EQ(flow.currentZone(), 0u);
    EXPECT_FALSE(flow.zone()->value.has_value());
    type("1");
    EXPECT_EQ(flow.entryProblem(), EntryProblem::None);
}

TEST_F(ReadingsFlowTest, AdvancesZoneByZoneAndMeterByMeter) {
    ASSERT_NO_FATAL_FAILURE(toMeters());
    flow.confirmAccount();
    ASSERT_EQ(flow.step(), ReadingsStep::Entry);
    EXPECT_EQ(flow.zone()->zone, "day");
    enter("12480,2");
    EXPECT_EQ(flow.step(), ReadingsStep::Entry);
    EXPECT_EQ(flow.currentMeter(), 0u);
    EXPECT_EQ(flow.currentZone(), 1u);
    EXPECT_EQ(flow.zone()->zone, "night");
    enter("4390,5");
    EXPECT_EQ(flow.step(), ReadingsStep::Entry);
    EXPECT_EQ(flow.currentMeter(), 1u);
    EXPECT_EQ(flow.currentZone(), 0u);
    EXPECT_EQ(flow.zone()->zone, "total");
    ASSERT_NE(flow.meter(), nullptr);
    EXPECT_EQ(flow.meter()->info.number, 2);
    enter("7368");
    EXPECT_EQ(flow.step(), ReadingsStep::Summary);

    const auto& day = flow.meters()[0].zones[0];
    EXPECT_EQ(day.typed, "12480.2");
    ASSERT_TRUE(day.value.has_value());
    EXPECT_EQ(*day.value, 124802);
    EXPECT_EQ(day.check.verdict, meter::Verdict::Accept);
    EXPECT_EQ(day.check.consumption, 1346);
    EXPECT_FALSE(day.check.outsideWindow);  // the 23rd
    const auto& total = flow.meters()[1].zones[0];
    EXPECT_EQ(*total.value, 7368);
    EXPECT_EQ(total.check.consumption, 58);
}

TEST_F(ReadingsFlowTest, EntryBackWalksThroughZonesAndMetersToTheMeters) {
    ASSERT_NO_FATAL_FAILURE(toMeters());
    flow.confirmAccount();
    enter("12480,2");
    enter("4390,5");
    ASSERT_EQ(flow.currentMeter(), 1u);
    type("73");
    flow.entryBack();
    EXPECT_EQ(flow.step(), ReadingsStep::Entry);
    EXPECT_EQ(flow.currentMeter(), 0u);
    EXPECT_EQ(flow.currentZone(), 1u);
    EXPECT_EQ(flow.zone()->typed, "4390.5") << "what was typed stays";
    flow.entryBack();
    EXPECT_EQ(flow.currentMeter(), 0u);
    EXPECT_EQ(flow.currentZone(), 0u);
    EXPECT_EQ(flow.zone()->typed, "12480.2");
    flow.entryBack();
    EXPECT_EQ(flow.step(), ReadingsStep::Meters);
    // Forward again from the first zone.
    flow.confirmAccount();
    EXPECT_EQ(flow.currentMeter(), 0u);
    EXPECT_EQ(flow.currentZone(), 0u);
}

TEST_F(ReadingsFlowTest, FirstReadingHasNothingToCompareWith) {
    ASSERT_NO_FATAL_FAILURE(toMeters(oneMeter(6, 0)));
    flow.confirmAccount();
    enter("000001");
    EXPECT_EQ(flow.step(), ReadingsStep::Summary);
    EXPECT_EQ(flow.meters()[0].zones[0].check.consumption, 0);
}

// ---- Warnings -----------------------------------------------------------------------------

TEST_F(ReadingsFlowTest, BelowThePreviousMustBeCorrected) {
    ASSERT_NO_FATAL_FAILURE(toMeters());
    flow.confirmAccount();
    enter("12480,2");
    enter("4390,5");
    enter("7000");  // previous 07310: not a plausible rollover of a 5-digit register
    ASSERT_EQ(flow.step(), ReadingsStep::Warning);
    EXPECT_EQ(flow.zone()->check.verdict, meter::Verdict::BelowPrevious);
    flow.confirmValue();
    EXPECT_EQ(flow.step(), ReadingsStep::Warning) << "a value below the previous cannot be confirmed";
    EXPECT_FALSE(flow.zone()->confirmed);
    flow.correctValue();
    EXPECT_EQ(flow.step(), ReadingsStep::Entry);
    EXPECT_EQ(flow.currentMeter(), 1u);
    EXPECT_FALSE(flow.zone()->value.has_value());
    enter("7368");
    EXPECT_EQ(flow.step(), ReadingsStep::Summary);
}

TEST_F(ReadingsFlowTest, ImplausiblyHighNeedsConfirmationAndIsSentConfirmed) {
    ASSERT_NO_FATAL_FAILURE(toMeters());
    flow.confirmAccount();
    enter("12480,2");
    enter("4390,5");
    enter("9000");  // 1690 kWh in 33 days where 2 a day is usual
    ASSERT_EQ(flow.step(), ReadingsStep::Warning);
    EXPECT_EQ(flow.zone()->check.verdict, meter::Verdict::NeedsConfirmation);
    EXPECT_EQ(flow.zone()->check.consumption, 1690);
    flow.confirmValue();
    EXPECT_EQ(flow.step(), ReadingsStep::Summary);
    const ZoneInput& z = flow.meters()[1].zones[0];
    EXPECT_TRUE(z.confirmed);
    EXPECT_TRUE(z.check.confirmed);
    EXPECT_EQ(z.check.verdict, meter::Verdict::Accept);

    flow.send();
    ASSERT_EQ(backend.submits.size(), 1u);
    EXPECT_FALSE(backend.submits.front().submission.confirmed) << "meter 1 was nothing unusual";
    backend.completeSubmit(accepted(1, "R-2026-000123"));
    ASSERT_EQ(backend.submits.size(), 1u);
    EXPECT_EQ(backend.submits.front().submission.meter, 2);
    EXPECT_TRUE(backend.submits.front().submission.confirmed);
}

TEST_F(ReadingsFlowTest, ImplausiblyHighCanBeCorrected) {
    ASSERT_NO_FATAL_FAILURE(toMeters());
    flow.confirmAccount();
    enter("99999,9");  // the day zone, far above the usual
    ASSERT_EQ(flow.step(), ReadingsStep::Warning);
    EXPECT_EQ(flow.zone()->check.verdict, meter::Verdict::NeedsConfirmation);
    flow.correctValue();
    EXPECT_EQ(flow.step(), ReadingsStep::Entry);
    EXPECT_EQ(flow.currentZone(), 0u);
    EXPECT_FALSE(flow.zone()->confirmed);
    enter("12480,2");
    EXPECT_EQ(flow.currentZone(), 1u);
    EXPECT_FALSE(flow.meters()[0].zones[0].confirmed);
}

TEST_F(ReadingsFlowTest, TypingAfterAConfirmationTakesItBack) {
    ASSERT_NO_FATAL_FAILURE(toMeters(oneMeter(5, 0, "07310", "2026-10-21", 2.0)));
    flow.confirmAccount();
    enter("9000");
    flow.confirmValue();
    ASSERT_EQ(flow.step(), ReadingsStep::Summary);
    flow.editZone(0, 0);
    flow.entryBackspace();
    EXPECT_FALSE(flow.zone()->confirmed);
    type("1");  // 9001: still implausible, and no longer confirmed
    flow.entryNext();
    EXPECT_EQ(flow.step(), ReadingsStep::Warning);
}

TEST_F(ReadingsFlowTest, PlausibleRolloverIsAccepted) {
    ASSERT_NO_FATAL_FAILURE(toMeters(oneMeter(6, 0, "999990", "2026-10-20", 7.5)));
    flow.confirmAccount();
    enter("000010");
    ASSERT_EQ(flow.step(), ReadingsStep::Summary);
    const ZoneInput& z = flow.meters()[0].zones[0];
    EXPECT_EQ(z.check.verdict, meter::Verdict::Accept);
    EXPECT_TRUE(z.check.rollover);
    EXPECT_EQ(z.check.consumption, 20);
    flow.send();
    ASSERT_EQ(backend.submits.size(), 1u);
    ASSERT_EQ(backend.submits.front().submission.values.size(), 1u);
    EXPECT_EQ(backend.submits.front().submission.values[0].second, "000010");
}

TEST_F(ReadingsFlowTest, RolloverBeyondTheShareIsBelowPrevious) {
    ASSERT_NO_FATAL_FAILURE(toMeters(oneMeter(6, 0, "999990", "2026-10-20")));
    flow.confirmAccount();
    enter("500000");
    ASSERT_EQ(flow.step(), ReadingsStep::Warning);
    EXPECT_EQ(flow.zone()->check.verdict, meter::Verdict::BelowPrevious);
}

TEST_F(ReadingsFlowTest, OutsideTheWindowIsFlaggedButAccepted) {
    struct Case {
        const char* today;
        bool outside;
    };
    for (const Case& c : {Case{"2026-11-10", true}, Case{"2026-11-14", true}, Case{"2026-11-15", false},
                          Case{"2026-11-25", false}, Case{"2026-11-26", true}}) {
        SCOPED_TRACE(c.today);
        MeterAccount a = oneMeter(5, 0, "07310", "2026-10-21", 2.0);
        a.today = c.today;
        ASSERT_NO_FATAL_FAILURE(toMeters(a));
        flow.confirmAccount();
        enter("7368");
        EXPECT_EQ(flow.step(), ReadingsStep::Summary);
        EXPECT_EQ(flow.meters()[0].zones[0].check.verdict, meter::Verdict::Accept);
        EXPECT_EQ(flow.meters()[0].zones[0].check.outsideWindow, c.outside);
    }
    // The account's own window counts, not the default one.
    MeterAccount a = oneMeter(5, 0, "07310", "2026-10-21", 2.0);
    a.today = "2026-11-10";
    a.windowFirstDay = 1;
    a.windowLastDay = 12;
    ASSERT_NO_FATAL_FAILURE(toMeters(a));
    flow.confirmAccount();
    enter("7368");
    EXPECT_FALSE(flow.meters()[0].zones[0].check.outsideWindow);
}

// ---- Summary edits ------------------------------------------------------------------------

TEST_F(ReadingsFlowTest, EditZoneThenBackRestoresTheValue) {
    ASSERT_NO_FATAL_FAILURE(toSummary());
    flow.editZone(0, 1);
    ASSERT_EQ(flow.step(), ReadingsStep::Entry);
    EXPECT_EQ(flow.currentMeter(), 0u);
    EXPECT_EQ(flow.currentZone(), 1u);
    flow.entryClear();
    type("9");
    flow.entryBack();
    EXPECT_EQ(flow.step(), ReadingsStep::Summary);
    const ZoneInput& night = flow.meters()[0].zones[1];
    EXPECT_EQ(night.typed, "4390.5");
    ASSERT_TRUE(night.value.has_value());
    EXPECT_EQ(*night.value, 43905);
    // And what is sent is the original.
    flow.send();
    ASSERT_EQ(backend.submits.size(), 1u);
    const auto& values = backend.submits.front().submission.values;
    ASSERT_EQ(values.size(), 2u);
    EXPECT_EQ(values[1], (std::pair<std::string, std::string>{"night", "4390.5"}));
}

TEST_F(ReadingsFlowTest, EditZoneWithANewValueReturnsToTheSummary) {
    ASSERT_NO_FATAL_FAILURE(toSummary());
    flow.editZone(1, 0);
    ASSERT_EQ(flow.step(), ReadingsStep::Entry);
    enter("7400");
    EXPECT_EQ(flow.step(), ReadingsStep::Summary) << "not on to another zone";
    EXPECT_EQ(flow.meters()[1].zones[0].typed, "7400");
    EXPECT_EQ(*flow.meters()[1].zones[0].value, 7400);
    // Editing the first zone also comes back to the summary, not to the second zone.
    flow.editZone(0, 0);
    enter("12490");
    EXPECT_EQ(flow.step(), ReadingsStep::Summary);
    EXPECT_EQ(flow.meters()[0].zones[0].typed, "12490");
    EXPECT_EQ(flow.meters()[0].zones[1].typed, "4390.5");
}

TEST_F(ReadingsFlowTest, EditZoneThroughAWarning) {
    ASSERT_NO_FATAL_FAILURE(toSummary());
    // Out of range: nothing happens.
    flow.editZone(2, 0);
    flow.editZone(0, 2);
    EXPECT_EQ(flow.step(), ReadingsStep::Summary);

    flow.editZone(1, 0);
    enter("7000");
    ASSERT_EQ(flow.step(), ReadingsStep::Warning);
    flow.correctValue();
    ASSERT_EQ(flow.step(), ReadingsStep::Entry);
    flow.entryBack();  // gives up the edit
    EXPECT_EQ(flow.step(), ReadingsStep::Summary);
    EXPECT_EQ(flow.meters()[1].zones[0].typed, "7368");
    EXPECT_EQ(*flow.meters()[1].zones[0].value, 7368);

    flow.editZone(1, 0);
    enter("9000");
    ASSERT_EQ(flow.step(), ReadingsStep::Warning);
    flow.confirmValue();
    EXPECT_EQ(flow.step(), ReadingsStep::Summary);
    EXPECT_TRUE(flow.meters()[1].zones[0].confirmed);
}

// ---- Sending ------------------------------------------------------------------------------

TEST_F(ReadingsFlowTest, SendsOneSubmissionPerMeterInOrder) {
    ASSERT_NO_FATAL_FAILURE(toSummary());
    clock.advance(5s);
    const WallTime sentAt = clock.wallNow();
    flow.send();
    EXPECT_EQ(flow.step(), ReadingsStep::Sending);
    EXPECT_EQ(flow.sentAt(), sentAt);
    ASSERT_EQ(backend.submits.size(), 1u) << "one meter at a time";
    {
        const auto& call = backend.submits.front();
        const ReadingSubmission& s = call.submission;
        EXPECT_EQ(s.account, "1000123456");
        EXPECT_EQ(s.meter, 1);
        EXPECT_EQ(s.serial, kEllipsis + "1234");
        ASSERT_EQ(s.values.size(), 2u);
        EXPECT_EQ(s.values[0], (std::pair<std::string, std::string>{"day", "12480.2"}));
        EXPECT_EQ(s.values[1], (std::pair<std::string, std::string>{"night", "4390.5"}));
        EXPECT_FALSE(s.confirmed);
        ASSERT_TRUE(s.takenAt.has_value());
        EXPECT_EQ(*s.takenAt, sentAt);
        EXPECT_TRUE(s.localCode.empty());
        EXPECT_FALSE(call.key.empty());
        EXPECT_EQ(call.key, flow.meters()[0].idempotencyKey);
    }
    const std::string firstKey = backend.submits.front().key;
    flow.send();  // a double tap
    EXPECT_EQ(backend.submits.size(), 1u);
    clock.advance(3s);
    backend.completeSubmit(accepted(1, "R-2026-000123"));
    EXPECT_EQ(flow.step(), ReadingsStep::Sending);
    ASSERT_EQ(backend.submits.size(), 1u);
    {
        const auto& call = backend.submits.front();
        const ReadingSubmission& s = call.submission;
        EXPECT_EQ(s.meter, 2);
        EXPECT_EQ(s.serial, kEllipsis + "9876");
        ASSERT_EQ(s.values.size(), 1u);
        EXPECT_EQ(s.values[0], (std::pair<std::string, std::string>{"total", "7368"}));
        ASSERT_TRUE(s.takenAt.has_value());
        EXPECT_EQ(*s.takenAt, sentAt) << "every meter is taken when the visitor sent them";
        EXPECT_FALSE(call.key.empty());
        EXPECT_NE(call.key, firstKey);
        EXPECT_EQ(call.key, flow.meters()[1].idempotencyKey);
    }
    backend.completeSubmit(accepted(2, "R-2026-000124"));
    EXPECT_EQ(flow.step(), ReadingsStep::Done);
    EXPECT_TRUE(backend.submits.empty());
}

TEST_F(ReadingsFlowTest, KeysDifferBetweenVisitors) {
    std::set<std::string> keys;
    for (int i = 0; i < 3; ++i) {
        ASSERT_NO_FATAL_FAILURE(toSending());
        keys.insert(backend.submits.front().key);
        backend.completeSubmit(accepted(1, "R-1"));
        keys.insert(backend.submits.front().key);
        backend.completeSubmit(accepted(2, "R-2"));
        ASSERT_EQ(flow.step(), ReadingsStep::Done);
        printer.complete(okStatus());
    }
    EXPECT_EQ(keys.size(), 6u);
}

TEST_F(ReadingsFlowTest, TrailingPointIsSentWithoutIt) {
    ASSERT_NO_FATAL_FAILURE(toMeters(oneMeter(6, 1)));
    flow.confirmAccount();
    enter("12480.");
    ASSERT_EQ(flow.step(), ReadingsStep::Summary);
    flow.send();
    ASSERT_EQ(backend.submits.size(), 1u);
    EXPECT_EQ(backend.submits.front().submission.values[0].second, "12480");
}

TEST_F(ReadingsFlowTest, OutcomesAcceptedAndQueued) {
    ASSERT_NO_FATAL_FAILURE(toSending());
    backend.completeSubmit(accepted(1, "R-2026-000123"));
    backend.completeSubmit(queued("K-7F3A"));
    ASSERT_EQ(flow.step(), ReadingsStep::Done);
    const MeterInput& m1 = flow.meters()[0];
    const MeterInput& m2 = flow.meters()[1];
    EXPECT_EQ(m1.outcome, MeterOutcome::Accepted);
    ASSERT_TRUE(m1.receipt.has_value());
    EXPECT_EQ(m1.receipt->confirmation, "R-2026-000123");
    EXPECT_TRUE(m1.refusal.empty());
    EXPECT_EQ(m2.outcome, MeterOutcome::Queued);
    EXPECT_EQ(m2.localCode, "K-7F3A");
    EXPECT_FALSE(m2.receipt.has_value());
    EXPECT_TRUE(flow.anythingSent());
    EXPECT_TRUE(flow.calibrationOverdue());
}

TEST_F(ReadingsFlowTest, RefusalsCarryTheServersSentenceOnly) {
    ASSERT_NO_FATAL_FAILURE(toSending());
    backend.completeSubmit(refusedByServer("The meter was replaced: ask at a window."));
    EXPECT_EQ(flow.step(), ReadingsStep::Sending) << "the next meter still goes";
    backend.completeSubmit(makeError(ErrorKind::Storage, "outbox_failed", "disk I/O error"));
    ASSERT_EQ(flow.step(), ReadingsStep::Done);
    EXPECT_EQ(flow.meters()[0].outcome, MeterOutcome::Refused);
    EXPECT_EQ(flow.meters()[0].refusal, "The meter was replaced: ask at a window.");
    EXPECT_EQ(flow.meters()[1].outcome, MeterOutcome::Refused);
    EXPECT_EQ(flow.meters()[1].refusal, "") << "the kiosk's own failure has no server sentence";
    EXPECT_FALSE(flow.anythingSent());
    EXPECT_TRUE(printer.readingsJobs.empty()) << "nothing to print when everything was refused";
    EXPECT_EQ(flow.printState(), PrintState::None);
    flow.printAgain();
    EXPECT_TRUE(printer.readingsJobs.empty());
}

TEST_F(ReadingsFlowTest, ReceiptPrintsOnceWithTheMaskedAccount) {
    std::vector<bool> observed;
    flow.setPrintObserver([&](const Status& st) { observed.push_back(st.ok()); });
    ASSERT_NO_FATAL_FAILURE(toSending());
    backend.completeSubmit(accepted(1, "R-2026-000123"));
    EXPECT_TRUE(printer.readingsJobs.empty()) << "not before the last meter";
    backend.completeSubmit(queued("K-7F3A"));
    ASSERT_EQ(printer.readingsJobs.size(), 1u);
    EXPECT_EQ(flow.printState(), PrintState::Printing);
    const ReadingsPrintJob& job = printer.readingsJobs[0];
    EXPECT_EQ(job.account, kBullets + "3456");
    EXPECT_EQ(job.holder, "И. П. С.");
    EXPECT_EQ(job.at, flow.sentAt());
    ASSERT_EQ(job.meters.size(), 2u);
    EXPECT_EQ(job.meters[0].serial, kEllipsis + "1234");
    EXPECT_EQ(job.meters[0].values,
              (std::vector<std::pair<std::string, std::string>>{{"day", "12480.2"}, {"night", "04390.5"}}))
        << "the values as the server accepted them";
    EXPECT_EQ(job.meters[0].confirmation, "R-2026-000123");
    EXPECT_TRUE(job.meters[0].localCode.empty());
    EXPECT_EQ(job.meters[1].serial, kEllipsis + "9876");
    EXPECT_EQ(job.meters[1].values, (std::vector<std::pair<std::string, std::string>>{{"total", "7368"}}))
        << "the values as typed";
    EXPECT_TRUE(job.meters[1].confirmation.empty());
    EXPECT_EQ(job.meters[1].localCode, "K-7F3A");
    // Nothing on it names the account in full.
    for (const std::string& field : {job.account, job.holder}) EXPECT_EQ(field.find("1000123456"), std::string::npos);
    EXPECT_EQ(flow.printJob().account, job.account);

    printer.complete(okStatus());
    EXPECT_EQ(flow.printState(), PrintState::Printed);
    EXPECT_EQ(printer.readingsJobs.size(), 1u);
    EXPECT_EQ(observed, std::vector<bool>{true});
}

TEST_F(ReadingsFlowTest, RefusedMetersAreLeftOffTheReceipt) {
    ASSERT_NO_FATAL_FAILURE(toSending());
    backend.completeSubmit(refusedByServer("No."));
    backend.completeSubmit(accepted(2, "R-2026-000124"));
    ASSERT_EQ(flow.step(), ReadingsStep::Done);
    ASSERT_EQ(printer.readingsJobs.size(), 1u);
    ASSERT_EQ(printer.readingsJobs[0].meters.size(), 1u);
    EXPECT_EQ(printer.readingsJobs[0].meters[0].serial, kEllipsis + "9876");
    EXPECT_EQ(printer.readingsJobs[0].meters[0].confirmation, "R-2026-000124");
}

TEST_F(ReadingsFlowTest, PrintAgainAfterAFailedPrint) {
    std::vector<bool> observed;
    flow.setPrintObserver([&](const Status& st) { observed.push_back(st.ok()); });
    ASSERT_NO_FATAL_FAILURE(toSending());
    backend.completeSubmit(accepted(1, "R-2026-000123"));
    backend.completeSubmit(accepted(2, "R-2026-000124"));
    ASSERT_EQ(printer.readingsJobs.size(), 1u);
    flow.printAgain();  // still printing
    EXPECT_EQ(printer.readingsJobs.size(), 1u);
    printer.complete(makeError(ErrorKind::Transport, "printer_missing", "no device"));
    EXPECT_EQ(flow.printState(), PrintState::Failed);
    ASSERT_TRUE(flow.printError().has_value());
    EXPECT_EQ(flow.printError()->code, "printer_missing");
    flow.printAgain();
    ASSERT_EQ(printer.readingsJobs.size(), 2u);
    EXPECT_EQ(flow.printState(), PrintState::Printing);
    EXPECT_FALSE(flow.printError().has_value());
    EXPECT_EQ(printer.readingsJobs[1].account, printer.readingsJobs[0].account);
    EXPECT_EQ(printer.readingsJobs[1].meters.size(), 2u);
    printer.complete(okStatus());
    EXPECT_EQ(flow.printState(), PrintState::Printed);
    EXPECT_EQ(observed, (std::vector<bool>{false, true}));
}

TEST_F(ReadingsFlowTest, LateAnswersAfterResetAreIgnored) {
    ASSERT_NO_FATAL_FAILURE(toSending());
    flow.reset();
    backend.completeSubmit(accepted(1, "R-2026-000123"));
    EXPECT_EQ(flow.step(), ReadingsStep::Account);
    EXPECT_TRUE(backend.submits.empty()) << "no next meter for a wiped session";
    EXPECT_TRUE(flow.meters().empty());

    ASSERT_NO_FATAL_FAILURE(toSending());
    backend.completeSubmit(accepted(1, "R-2026-000123"));
    backend.completeSubmit(accepted(2, "R-2026-000124"));
    ASSERT_EQ(flow.printState(), PrintState::Printing);
    flow.reset();
    printer.complete(makeError(ErrorKind::Transport, "printer_failed", "jam"));
    EXPECT_EQ(flow.printState(), PrintState::None);
    EXPECT_FALSE(flow.printError().has_value());
}

TEST_F(ReadingsFlowTest, DatesAreCounted) {
    EXPECT_EQ(ReadingsFlow::daysBetween("2026-10-20", "2026-11-23"), 34);
    EXPECT_EQ(ReadingsFlow::daysBetween("2026-11-23", "2026-11-23"), 0);
    EXPECT_EQ(ReadingsFlow::daysBetween("2026-11-23", "2026-11-20"), -3);
    EXPECT_FALSE(ReadingsFlow::daysBetween("2026-02-30", "2026-03-01").has_value());
    EXPECT_FALSE(ReadingsFlow::daysBetween("soon", "2026-03-01").has_value());
    EXPECT_EQ(ReadingsFlow::dayOfMonth("2026-11-23"), 23);
    EXPECT_EQ(ReadingsFlow::dayOfMonth(""), 0);
}

// ---- The kiosk around the flow -----------------------------------------------------------

std::vector<Service> services(bool meterServiceOpen = true) {
    std::vector<Service> list = {{1, "A", {{"ru", "Оплата"}, {"en", "Payments"}}, 2},
                                 {2, "B", {{"ru", "Счётчики"}, {"en", "Meters"}}, 0}};
    list[1].availability.open = meterServiceOpen;
    if (!meterServiceOpen) list[1].availability.reason = "closed";
    return list;
}

class ReadingsFlowKioskTest : public ::testing::Test {
protected:
    static KioskSettings settings() {
        KioskSettings s;
        s.serverUrl = "http://10.0.0.5:8080";
        s.outboxInterval = 45s;  // apart from refreshInterval (30 s)
        return s;
    }
    static OfficeInfo office() {
        OfficeInfo o;
        o.names = {{"ru", "Центр обслуживания"}, {"en", "Service center"}};
        return o;
    }
    void startHome(bool meterServiceOpen = true) {
        model.start();
        ASSERT_EQ(backend.loads.size(), 1u);
        backend.completeOffice(office());
        backend.completeLoad(services(meterServiceOpen));
        ASSERT_EQ(model.screen(), KioskScreen::Home);
        ASSERT_EQ(backend.sweeps.size(), 1u);
        backend.completeSweep(OutboxState{0});
    }
    void tap() {
        clock.advance(1s);
        model.onInput();
    }
    /// Home → readings → the meters.
    void toMeters() {
        ASSERT_NO_FATAL_FAILURE(startHome());
        model.openReadings();
        ASSERT_EQ(model.screen(), KioskScreen::Readings);
        for (char c : std::string("1000123456")) {
            tap();
            flow().accountKey(c);
        }
        tap();
        flow().submitAccount();
        ASSERT_EQ(backend.lookups.size(), 1u);
        backend.completeLookup(meterAccount());
        ASSERT_EQ(flow().step(), ReadingsStep::Meters);
    }
    void enter(const std::string& keys) {
        for (char c : keys) {
            tap();
            flow().entryKey(c);
        }
        tap();
        flow().entryNext();
    }
    void toSending() {
        ASSERT_NO_FATAL_FAILURE(toMeters());
        tap();
        flow().confirmAccount();
        enter("12480,2");
        enter("4390,5");
        enter("7368");
        ASSERT_EQ(flow().step(), ReadingsStep::Summary);
        tap();
        flow().send();
        ASSERT_EQ(flow().step(), ReadingsStep::Sending);
    }
    /// Both meters accepted: Done, the receipt printing.
    void toDone() {
        ASSERT_NO_FATAL_FAILURE(toSending());
        backend.completeSubmit(accepted(1, "R-2026-000123"));
        backend.completeSubmit(accepted(2, "R-2026-000124"));
        ASSERT_EQ(flow().step(), ReadingsStep::Done);
        ASSERT_EQ(flow().printState(), PrintState::Printing);
    }
    ReadingsFlow& flow() { return model.readings(); }
    void expectWiped() {
        EXPECT_EQ(flow().step(), ReadingsStep::Account);
        EXPECT_TRUE(flow().accountEntry().empty());
        EXPECT_FALSE(flow().account().has_value());
        EXPECT_TRUE(flow().meters().empty());
    }

    talon::test::FakeClock clock;
    FakeBackend backend;
    FakePrinter printer;
    KioskModel model{backend, printer, clock, settings()};
};

TEST_F(ReadingsFlowKioskTest, OpensFromHomeWithAFreshKeypad) {
    ASSERT_NO_FATAL_FAILURE(startHome());
    model.openReadings();
    EXPECT_EQ(model.screen(), KioskScreen::Readings);
    EXPECT_EQ(flow().step(), ReadingsStep::Account);
    model.openReadings();  // twice: nothing new
    EXPECT_EQ(model.screen(), KioskScreen::Readings);
}

TEST_F(ReadingsFlowKioskTest, NotOfferedWhenDisabled) {
    KioskSettings s = settings();
    s.readings = false;
    KioskModel off{backend, printer, clock, s};
    off.start();
    backend.completeOffice(office());
    backend.completeLoad(services());
    ASSERT_EQ(off.screen(), KioskScreen::Home);
    EXPECT_FALSE(off.readingsEnabled());
    off.openReadings();
    EXPECT_EQ(off.screen(), KioskScreen::Home);
}

TEST_F(ReadingsFlowKioskTest, IdleReturnsHomeAndWipesTheAccount) {
    ASSERT_NO_FATAL_FAILURE(toMeters());
    const Instant last = clock.now();
    ASSERT_TRUE(model.nextWake().has_value());
    EXPECT_EQ(*model.nextWake(), last + 60s);
    clock.advance(59s);
    model.tick();
    EXPECT_EQ(model.screen(), KioskScreen::Readings);
    EXPECT_TRUE(flow().account().has_value());
    clock.advance(1s);
    model.tick();
    EXPECT_EQ(model.screen(), KioskScreen::Home);
    expectWiped();
}

TEST_F(ReadingsFlowKioskTest, IdleWipesTheTypedValuesToo) {
    ASSERT_NO_FATAL_FAILURE(toMeters());
    tap();
    flow().confirmAccount();
    enter("12480,2");
    tap();
    flow().entryKey('4');
    clock.advance(60s);
    model.tick();
    EXPECT_EQ(model.screen(), KioskScreen::Home);
    expectWiped();
    // The next visitor starts on an empty keypad.
    model.openReadings();
    expectWiped();
}

TEST_F(ReadingsFlowKioskTest, NoIdleWipeWhileLookingUp) {
    ASSERT_NO_FATAL_FAILURE(startHome());
    model.openReadings();
    for (char c : std::string("1000123456")) flow().accountKey(c);
    tap();
    flow().submitAccount();
    ASSERT_EQ(flow().step(), ReadingsStep::LookingUp);
    EXPECT_FALSE(model.nextWake().has_value()) << "the answer wakes the kiosk";
    clock.advance(5min);
    model.tick();
    EXPECT_EQ(model.screen(), KioskScreen::Readings);
    EXPECT_EQ(flow().step(), ReadingsStep::LookingUp);
    // The language cannot change under a lookup on its way.
    model.setLanguage("en");
    EXPECT_EQ(model.language(), "ru");
    EXPECT_EQ(backend.language, "ru");
}

TEST_F(ReadingsFlowKioskTest, NoIdleWipeWhileSending) {
    ASSERT_NO_FATAL_FAILURE(toSending());
    EXPECT_FALSE(model.nextWake().has_value());
    clock.advance(5min);
    model.tick();
    EXPECT_EQ(model.screen(), KioskScreen::Readings);
    EXPECT_EQ(flow().step(), ReadingsStep::Sending);
    model.backToHome();
    EXPECT_EQ(model.screen(), KioskScreen::Readings) << "the visitor must see what became of the readings";
    EXPECT_EQ(flow().step(), ReadingsStep::Sending);
    model.setLanguage("en");
    EXPECT_EQ(model.language(), "ru");
    backend.completeSubmit(accepted(1, "R-2026-000123"));
    backend.completeSubmit(accepted(2, "R-2026-000124"));
    EXPECT_EQ(flow().step(), ReadingsStep::Done);
}

TEST_F(ReadingsFlowKioskTest, LanguageChangesOnTheOtherSteps) {
    ASSERT_NO_FATAL_FAILURE(toMeters());
    model.setLanguage("en");
    EXPECT_EQ(model.language(), "en");
    EXPECT_EQ(backend.language, "en");
    EXPECT_EQ(flow().step(), ReadingsStep::Meters) << "switching the language keeps the visitor's place";
    EXPECT_TRUE(flow().account().has_value());
}

TEST_F(ReadingsFlowKioskTest, BackToHomeDuringTheLookupDropsItsAnswer) {
    ASSERT_NO_FATAL_FAILURE(startHome());
    model.openReadings();
    for (char c : std::string("1000123456")) flow().accountKey(c);
    flow().submitAccount();
    model.backToHome();
    EXPECT_EQ(model.screen(), KioskScreen::Home);
    backend.completeLookup(meterAccount());
    EXPECT_EQ(model.screen(), KioskScreen::Home);
    expectWiped();
}

TEST_F(ReadingsFlowKioskTest, BackToHomeWipesAndResetsTheLanguage) {
    ASSERT_NO_FATAL_FAILURE(toMeters());
    model.setLanguage("en");
    model.backToHome();
    EXPECT_EQ(model.screen(), KioskScreen::Home);
    EXPECT_EQ(model.language(), "ru");
    expectWiped();
}

TEST_F(ReadingsFlowKioskTest, DoneClosesAfterTheTicketTimeout) {
    ASSERT_NO_FATAL_FAILURE(toDone());
    EXPECT_FALSE(model.nextWake().has_value()) << "the printer's answer wakes the kiosk";
    printer.complete(okStatus());
    ASSERT_EQ(flow().printState(), PrintState::Printed);
    const Instant last = clock.now();  // the Send tap; the answers came at once
    ASSERT_TRUE(model.nextWake().has_value());
    EXPECT_EQ(*model.nextWake(), last + 20s);
    clock.advance(19s);
    model.tick();
    EXPECT_EQ(model.screen(), KioskScreen::Readings);
    clock.advance(1s);
    model.tick();
    EXPECT_EQ(model.screen(), KioskScreen::Home);
    expectWiped();
}

TEST_F(ReadingsFlowKioskTest, DoneStaysLongerWhenThePrintFailed) {
    ASSERT_NO_FATAL_FAILURE(toDone());
    printer.complete(makeError(ErrorKind::Transport, "printer_missing", "no device"));
    ASSERT_EQ(flow().printState(), PrintState::Failed);
    const Instant last = clock.now();
    ASSERT_TRUE(model.nextWake().has_value());
    EXPECT_EQ(*model.nextWake(), last + 60s);
    clock.advance(30s);
    model.tick();
    EXPECT_EQ(model.screen(), KioskScreen::Readings);
    clock.advance(30s);
    model.tick();
    EXPECT_EQ(model.screen(), KioskScreen::Home);
}

TEST_F(ReadingsFlowKioskTest, DoneWithEverythingRefusedStaysTheLongerTime) {
    ASSERT_NO_FATAL_FAILURE(toSending());
    backend.completeSubmit(refusedByServer("No."));
    backend.completeSubmit(refusedByServer("No."));
    ASSERT_EQ(flow().step(), ReadingsStep::Done);
    const Instant last = clock.now();
    ASSERT_TRUE(model.nextWake().has_value());
    EXPECT_EQ(*model.nextWake(), last + 60s);
}

TEST_F(ReadingsFlowKioskTest, DoneIsNotClosedWhilePrinting) {
    ASSERT_NO_FATAL_FAILURE(toDone());
    clock.advance(5min);
    model.tick();
    EXPECT_EQ(model.screen(), KioskScreen::Readings);
    EXPECT_EQ(flow().printState(), PrintState::Printing);
}

// The confirmation numbers must be on screen for the ticket timeout once the visitor can see
// them, as the ticket screen counts from the printer's answer (KioskModel::onPrinted): a slow
// send (each meter may wait out the 5 s HTTP timeout before it is queued) or a slow printer
// must not eat that time.
TEST_F(ReadingsFlowKioskTest, DoneStaysTheTicketTimeoutAfterASlowSend) {
    ASSERT_NO_FATAL_FAILURE(toSending());
    clock.advance(5s);  // the server does not answer: queued
    backend.completeSubmit(queued("K-7F3A"));
    clock.advance(5s);
    backend.completeSubmit(queued("K-8G4B"));
    ASSERT_EQ(flow().step(), ReadingsStep::Done);
    clock.advance(8s);  // the printer takes its time
    printer.complete(okStatus());
    ASSERT_EQ(flow().printState(), PrintState::Printed);
    ASSERT_TRUE(model.nextWake().has_value());
    EXPECT_GE(*model.nextWake(), clock.now() + 20s) << "Done would close 2 s after the receipt printed";
    clock.advance(5s);
    model.tick();
    EXPECT_EQ(model.screen(), KioskScreen::Readings)
        << "Done closed 5 s after the receipt printed: the timeout counted from the Send tap, 23 s earlier";
}

TEST_F(ReadingsFlowKioskTest, ReadingsTicketForAnOverdueCalibration) {
    ASSERT_NO_FATAL_FAILURE(toMeters());
    model.setLanguage("en");
    tap();
    flow().confirmAccount();
    enter("12480,2");
    enter("4390,5");
    enter("7368");
    tap();
    flow().send();
    backend.completeSubmit(accepted(1, "R-2026-000123"));
    backend.completeSubmit(accepted(2, "R-2026-000124"));
    printer.complete(okStatus());
    ASSERT_EQ(flow().step(), ReadingsStep::Done);
    ASSERT_TRUE(flow().calibrationOverdue());
    ASSERT_TRUE(model.meterServiceOpen());
    model.readingsTicket();
    expectWiped();
    EXPECT_EQ(model.language(), "en") << "the ticket follows in the visitor's language";
    // The priority question comes first (askPriority), then the ticket for B.
    ASSERT_EQ(model.screen(), KioskScreen::Priority);
    ASSERT_NE(model.pendingService(), nullptr);
    EXPECT_EQ(model.pendingService()->letter, "B");
    model.choosePriority(std::nullopt);
    EXPECT_EQ(model.screen(), KioskScreen::Issuing);
    ASSERT_EQ(backend.issues.size(), 1u);
    EXPECT_EQ(backend.issues[0].service, "B");
}

TEST_F(ReadingsFlowKioskTest, ReadingsTicketStraightAwayWithoutThePriorityQuestion) {
    KioskSettings s = settings();
    s.askPriority = false;
    KioskModel direct{backend, printer, clock, s};
    direct.start();
    backend.completeOffice(office());
    backend.completeLoad(services());
    direct.openReadings();
    for (char c : std::string("1000123456")) direct.readings().accountKey(c);
    direct.readings().submitAccount();
    backend.completeLookup(meterAccount());
    direct.readings().confirmAccount();
    for (const char* v : {"12480,2", "4390,5", "7368"}) {
        for (const char* k = v; *k; ++k) direct.readings().entryKey(*k);
        direct.readings().entryNext();
    }
    direct.readings().send();
    backend.completeSubmit(accepted(1, "R-2026-000123"));
    backend.completeSubmit(accepted(2, "R-2026-000124"));
    ASSERT_EQ(direct.readings().step(), ReadingsStep::Done);
    direct.readingsTicket();
    EXPECT_EQ(direct.screen(), KioskScreen::Issuing);
    ASSERT_EQ(backend.issues.size(), 1u);
    EXPECT_EQ(backend.issues[0].service, "B");
}

TEST_F(ReadingsFlowKioskTest, NoReadingsTicketWhenTheMeterServiceIsClosed) {
    ASSERT_NO_FATAL_FAILURE(startHome(/*meterServiceOpen=*/false));
    EXPECT_FALSE(model.meterServiceOpen());
    model.openReadings();
    for (char c : std::string("1000123456")) flow().accountKey(c);
    flow().submitAccount();
    backend.completeLookup(meterAccount());
    flow().confirmAccount();
    for (const char* v : {"12480,2", "4390,5", "7368"}) {
        for (const char* k = v; *k; ++k) flow().entryKey(*k);
        flow().entryNext();
    }
    flow().send();
    backend.completeSubmit(accepted(1, "R-2026-000123"));
    backend.completeSubmit(accepted(2, "R-2026-000124"));
    ASSERT_EQ(flow().step(), ReadingsStep::Done);
    ASSERT_TRUE(flow().calibrationOverdue());
    model.readingsTicket();
    EXPECT_EQ(model.screen(), KioskScreen::Readings);
    EXPECT_EQ(flow().step(), ReadingsStep::Done);
    EXPECT_TRUE(backend.issues.empty());
}

TEST_F(ReadingsFlowKioskTest, NoReadingsTicketBeforeDone) {
    ASSERT_NO_FATAL_FAILURE(toMeters());
    model.readingsTicket();
    EXPECT_EQ(model.screen(), KioskScreen::Readings);
    EXPECT_EQ(flow().step(), ReadingsStep::Meters);
    EXPECT_TRUE(backend.issues.empty());
}

TEST_F(ReadingsFlowKioskTest, ReadingsTicketWhenNothingIsLeftToHandIn) {
    ASSERT_NO_FATAL_FAILURE(startHome(/*meterServiceOpen=*/true));
    model.openReadings();
    for (char c : std::string("1000123456")) flow().accountKey(c);
    flow().submitAccount();
    MeterAccount account = meterAccount();
    for (MeterInfo& m : account.meters) m.submittedOn = "2026-11-18";
    backend.completeLookup(account);
    ASSERT_EQ(flow().step(), ReadingsStep::Meters);
    ASSERT_FALSE(flow().anythingToEnter());
    ASSERT_TRUE(flow().calibrationOverdue());
    model.readingsTicket();
    // On to the meter-service ticket (the priority question comes first, as for any ticket).
    EXPECT_EQ(model.screen(), KioskScreen::Priority);
    ASSERT_NE(model.pendingService(), nullptr);
    EXPECT_EQ(model.pendingService()->letter, "B");
}

TEST_F(ReadingsFlowKioskTest, PrinterFailureIsReportedToTheServer) {
    ASSERT_NO_FATAL_FAILURE(toDone());
    printer.complete(makeError(ErrorKind::Transport, "printer_missing", "no device"));
    ASSERT_FALSE(backend.reports.empty());
    EXPECT_EQ(backend.reports.back().state, "missing");
    backend.completeReport(true);
    // Printed again: the server hears the printer is fine.
    flow().printAgain();
    printer.complete(okStatus());
    ASSERT_FALSE(backend.reports.empty());
    EXPECT_EQ(backend.reports.back().state, "ok");
}

// The ticket screen reports a printer failure even when the visitor already left
// (kiosk_model.cpp, onTicketIssued's print callback); the readings receipt must too.
TEST_F(ReadingsFlowKioskTest, PrinterFailureIsReportedEvenAfterTheVisitorLeft) {
    ASSERT_NO_FATAL_FAILURE(toDone());
    model.backToHome();  // "Done" tapped while the receipt prints
    ASSERT_EQ(model.screen(), KioskScreen::Home);
    printer.complete(makeError(ErrorKind::Transport, "printer_failed", "paper out"));
    ASSERT_FALSE(backend.reports.empty()) << "the printer failure was never reported to the server";
    EXPECT_EQ(backend.reports.back().state, "failed");
}

// Tickets are printed in the visitor's language with the office's name; so must the receipt.
TEST_F(ReadingsFlowKioskTest, ReceiptIsInTheVisitorsLanguage) {
    ASSERT_NO_FATAL_FAILURE(toDone());
    ASSERT_EQ(printer.readingsJobs.size(), 1u);
    EXPECT_EQ(printer.readingsJobs[0].language, "ru") << "an empty language prints the receipt in English";
    EXPECT_EQ(printer.readingsJobs[0].officeNames, office().names);
}

TEST_F(ReadingsFlowKioskTest, OutboxIsSweptAtStartAndFromHome) {
    model.start();
    ASSERT_EQ(backend.sweeps.size(), 1u) << "what a previous run left goes out first";
    backend.completeOffice(office());
    backend.completeLoad(services());
    ASSERT_EQ(model.screen(), KioskScreen::Home);
    backend.completeSweep(OutboxState{3});
    EXPECT_EQ(model.outboxPending(), 3u);
    const Instant started = clock.now();

    // nextWake: the refresh (30 s) comes before the sweep (45 s).
    ASSERT_TRUE(model.nextWake().has_value());
    EXPECT_EQ(*model.nextWake(), started + 30s);
    clock.advance(30s);
    model.tick();  // refresh only
    EXPECT_TRUE(backend.sweeps.empty());
    ASSERT_EQ(backend.loads.size(), 1u);
    backend.completeLoad(services());
    ASSERT_TRUE(model.nextWake().has_value());
    EXPECT_EQ(*model.nextWake(), started + 45s);
    clock.advance(14s);
    model.tick();
    EXPECT_TRUE(backend.sweeps.empty());
    clock.advance(1s);
    model.tick();
    ASSERT_EQ(backend.sweeps.size(), 1u);
    // One sweep at a time.
    clock.advance(45s);
    model.tick();
    EXPECT_EQ(backend.sweeps.size(), 1u);
    backend.completeSweep(OutboxState{0});
    EXPECT_EQ(model.outboxPending(), 0u);

    // A failed sweep keeps the last count.
    clock.advance(45s);
    model.tick();
    ASSERT_EQ(backend.sweeps.size(), 1u);
    backend.completeSweep(OutboxState{2});
    clock.advance(45s);
    model.tick();
    ASSERT_EQ(backend.sweeps.size(), 1u);
    backend.completeSweep(makeError(ErrorKind::Storage, "outbox_failed", "locked"));
    EXPECT_EQ(model.outboxPending(), 2u);
}

TEST_F(ReadingsFlowKioskTest, NoSweepFromTheReadingsScreen) {
    ASSERT_NO_FATAL_FAILURE(toMeters());
    clock.advance(50s);
    model.tick();
    EXPECT_TRUE(backend.sweeps.empty());
}

}  // namespace
}  // namespace talon::kiosk
