// ReadingsFlow: the visitor hands in meter readings at the kiosk, with no UI types. Account
// number on a keypad → the masked account and its meters → one entry per zone with the previous
// value and the digits the register has → a warning to confirm or correct an unusual value →
// a summary → sending (through the kiosk's outbox, so nothing is lost when the server is away)
// → confirmation numbers on screen and on a printed receipt. KioskModel owns one and shows it
// on KioskScreen::Readings; views read it and call one intent per widget.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "talon/common/domain.h"
#include "talon/common/meter_reading.h"
#include "talon/common/result.h"
#include "talon/common/text_entry.h"
#include "talon/common/time.h"
#include "talon/kiosk/kiosk_backend.h"
#include "talon/kiosk/ticket_printer.h"

namespace talon::kiosk {

enum class ReadingsStep {
    Account,    // the keypad for the account number (with the last problem under it)
    LookingUp,  // the lookup is on its way
    Meters,     // the masked account and its meters: "this is my account"
    Entry,      // one zone's value
    Warning,    // the value is below the previous one, or far above the usual
    Summary,    // every value once more, then send
    Sending,    // the meters' readings are on their way, one meter after the other
    Done,       // confirmation numbers (or local codes), the receipt printing
};
const char* toString(ReadingsStep step);

/// One zone as the visitor is filling it in.
struct ZoneInput {
    std::string zone;
    std::string typed;                   // digits and at most one '.', as on the keypad
    std::optional<int64_t> value;        // parsed, once the visitor went on
    meter::Check check;                  // the verdict on `value`
    bool confirmed = false;              // the visitor confirmed an unusual value
    bool autoZero = false;               // a point typed first brought its "0" along
};

/// What became of one meter's readings.
enum class MeterOutcome {
    None,       // not sent (yet)
    Accepted,   // the server accepted them: `receipt`
    Queued,     // the server was away: kept in the outbox, delivered later; `localCode`
    Refused,    // the server refused them: `refusal` says why and what to do
};

struct MeterInput {
    MeterInfo info;
    meter::Register reg;
    std::vector<ZoneInput> zones;
    bool alreadySubmitted = false;  // this month's readings are in (or wait in this kiosk's outbox)
    MeterOutcome outcome = MeterOutcome::None;
    std::optional<ReadingReceipt> receipt;
    std::string localCode;
    std::string refusal;            // the server's sentence, in the visitor's language
    std::string refusalCode;        // and its code
    std::string idempotencyKey;     // one per meter, kept when sending is tried again
};

/// Why the visitor cannot go on from the account keypad.
enum class AccountProblem {
    None,
    TooShort,     // fewer digits than any account number has
    Unknown,      // no such account (the server's sentence in `message()`)
    Closed,       // the account is closed
    TooMany,      // too many lookups from this kiosk: wait
    Unreachable,  // the server cannot be reached: readings cannot be checked now
    Other,        // any other server answer (its sentence)
};

/// Why the value typed for a zone cannot be taken.
enum class EntryProblem { None, Empty, NotANumber, TooManyWhole, TooManyDecimals };

class ReadingsFlow {
public:
    static constexpr size_t kMinAccountDigits = 6;
    static constexpr size_t kMaxAccountDigits = 20;

    ReadingsFlow(KioskBackend& backend, TicketPrinter& printer, const Clock& clock)
        : m_backend(backend), m_printer(printer), m_clock(clock) {}

    /// Told every printer answer (the kiosk reports its printer's state to the server).
    void setPrintObserver(std::function<void(const Status&)> observer) { m_printObserver = std::move(observer); }
    /// Fills in what the flow does not know (the visitor's language, the office's name) on
    /// every receipt it prints.
    void setReceiptContext(std::function<void(ReadingsPrintJob&)> fill) { m_receiptContext = std::move(fill); }

    /// Starts afresh on the account keypad; everything typed before is wiped.
    void begin();
    /// Wipes everything (idle timeout, back home); answers still on their way are ignored.
    void reset();

    // Account keypad.
    void accountKey(char digit);
    void accountBackspace();
    void accountClear();
    void submitAccount();

    // Meters.
    /// "This is my account": on to the first zone to fill in.
    void confirmAccount();
    /// "Not my account": back to the keypad, the number cleared.
    void notMyAccount();

    // Entry.
    /// A digit or '.' (',' counts as '.'). Refused (false) when the register has no room for it.
    bool entryKey(char key);
    void entryBackspace();
    void entryClear();
    /// Checks the value: on to the next zone, the summary, or a warning.
    void entryNext();
    /// The previous zone, or the meters.
    void entryBack();

    // Warning.
    /// The value is right (only for one far above the usual).
    void confirmValue();
    /// Back to the entry to correct it.
    void correctValue();

    // Summary.
    /// Change one zone's value; after it the summary comes back.
    void editZone(size_t meter, size_t zone);
    void send();

    // Done.
    void printAgain();

    // Results (UI thread).
    void onLookedUp(Result<MeterAccount> result);
    void onSent(size_t meter, Result<ReadingOutcome> result);
    void onPrinted(Status status);

    // State for views.
    ReadingsStep step() const { return m_step; }
    const TextEntry& accountEntry() const { return m_account; }
    AccountProblem accountProblem() const { return m_accountProblem; }
    /// The server's sentence for Unknown / TooMany / Other.
    const std::string& message() const { return m_message; }
    const std::optional<MeterAccount>& account() const { return m_lookedUp; }
    /// The account number as the screen and the receipt show it after the lookup: "••••4567".
    std::string maskedAccount() const;
    const std::vector<MeterInput>& meters() const { return m_meters; }
    size_t currentMeter() const { return m_meter; }
    size_t currentZone() const { return m_zone; }
    const MeterInput* meter() const { return m_meter < m_meters.size() ? &m_meters[m_meter] : nullptr; }
    const ZoneInput* zone() const;
    EntryProblem entryProblem() const { return m_entryProblem; }
    /// True when some meter still needs readings (Meters offers to go on).
    bool anythingToEnter() const;
    /// Done: at least one meter was accepted or queued (the receipt prints).
    bool anythingSent() const;
    PrintState printState() const { return m_printState; }
    /// The printer's error after PrintState::Failed (codes printer_missing, printer_failed).
    const std::optional<Error>& printError() const { return m_printError; }
    /// The receipt last sent to the printer (previews in tests and docs).
    const ReadingsPrintJob& printJob() const { return m_printJob; }
    /// Done: meters with an overdue calibration (the visitor is offered a meter-service ticket).
    bool calibrationOverdue() const;
    /// When the step last changed or the printer last answered: timeouts count from here (or
    /// the last touch, whichever is later), so a slow server or printer never shortens them.
    Instant settledAt() const { return m_settledAt; }
    /// When the readings were sent (the receipt's date).
    WallTime sentAt() const { return m_sentAt; }
    /// Days from `from` to `to` (YYYY-MM-DD); nullopt when either is not a date.
    static std::optional<int> daysBetween(const std::string& from, const std::string& to);
    /// Day of the month of a YYYY-MM-DD date (0 when it is not one).
    static int dayOfMonth(const std::string& date);

private:
    void go(ReadingsStep step) {
        m_step = step;
        m_settledAt = m_clock.now();
    }
    /// The next zone needing a value after the current one, or the summary.
    void advance();
    void sendNext();
    void print();
    ZoneInput* mutableZone();
    meter::History historyOf(const MeterInput& m, size_t zone) const;
    meter::Rules rules() const;

    KioskBackend& m_backend;
    TicketPrinter& m_printer;
    const Clock& m_clock;
    uint64_t m_generation = 0;  // bumped by reset(): late answers of an old session are dropped
    ReadingsStep m_step = ReadingsStep::Account;
    TextEntry m_account{EntryKind::Digits, kMaxAccountDigits};
    AccountProblem m_accountProblem = AccountProblem::None;
    std::string m_message;
    std::optional<MeterAccount> m_lookedUp;
    std::vector<MeterInput> m_meters;
    size_t m_meter = 0;
    size_t m_zone = 0;
    EntryProblem m_entryProblem = EntryProblem::None;
    bool m_editingFromSummary = false;
    ZoneInput m_editOriginal;  // the zone as the summary showed it: Back restores it
    size_t m_sending = 0;  // the meter on its way (Sending)
    WallTime m_sentAt{};
    PrintState m_printState = PrintState::None;
    ReadingsPrintJob m_printJob;
    std::optional<Error> m_printError;
    std::function<void(const Status&)> m_printObserver;
    std::function<void(ReadingsPrintJob&)> m_receiptContext;
    Instant m_settledAt{};
};

}  // namespace talon::kiosk
