// AppealFlow: the visitor files a complaint, request, question or suggestion at the kiosk, or
// checks an appeal's status, with no UI types (issue 8, docs/api.md "Appeals").
//
// Filing: type → category → text (on-screen keyboard, at most 2000 characters, a counter) →
// contact details and reply channel → consent → review → sending (through the kiosk's outbox,
// so nothing is lost while the server is away) → the registration number and deadline (or the
// outbox's local code) on screen and on a printed receipt with no personal data on it.
// Status check: the number (or the receipt's local code) and the phone's last four digits →
// status and deadline only.
//
// Each step checks what it can locally before going on (one AppealProblem at a time); a 400 from
// the server names the check that failed (`error.field`) and the flow returns to the step where
// the visitor can fix it. KioskModel owns one and shows it on KioskScreen::Appeal; views read
// it and call one intent per widget. The text entries are handed out mutable so the keyboard
// widgets can type into them (KeyboardState::press).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "talon/common/domain.h"
#include "talon/common/result.h"
#include "talon/common/text_entry.h"
#include "talon/common/time.h"
#include "talon/kiosk/kiosk_backend.h"
#include "talon/kiosk/ticket_printer.h"

namespace talon::kiosk {

enum class AppealStep {
    Type,         // complaint, request, question, suggestion (thanks)
    Category,     // one of the kiosk's categories
    Text,         // the appeal itself, with a character counter
    Contact,      // name, phone, e-mail, address, account, reply channel
    Consent,      // consent to the processing of personal data (required)
    Review,       // everything once more, then send
    Sending,      // on its way (the outbox keeps it)
    Done,         // the number and deadline, or the local code while it waits; the receipt prints
    StatusEntry,  // status check: number (or local code) and the phone's last four digits
    Checking,     // the status check is on its way
    StatusShown,  // status and deadline
};
const char* toString(AppealStep step);

/// Why the visitor cannot go on (the view words it: appeals.problem.<toString()>).
enum class AppealProblem {
    None,
    TypeMissing,            // no type chosen (or the server does not know it)
    CategoryMissing,        // no category chosen (or the server does not know it)
    TextEmpty,              // nothing but spaces
    TextTooLong,            // over kMaxText characters
    TextInvalid,            // control characters (the server's appeal_text_control)
    NameEmpty,
    NameTooLong,
    NameInvalid,
    ContactRequired,        // neither a phone nor an e-mail address
    PhoneInvalid,           // not 10 to 15 digits
    EmailInvalid,           // not name@example.ru
    AddressInvalid,         // too long or not one line (server)
    AccountInvalid,         // typed, but not 6 to 20 digits
    ChannelMissing,         // no reply channel chosen
    ChannelWithoutContact,  // the chosen reply channel's contact is missing
    ConsentMissing,
    TooMany,                // 429: too many appeals from this kiosk; wait
    Other,                  // any other refusal (the server's sentence in message())
};
const char* toString(AppealProblem problem);

/// Why a status check gave no status.
enum class StatusProblem {
    None,
    NumberEmpty,  // no number or code typed
    PhoneDigits,  // not four digits
    NotFound,     // the server's uniform miss (wrong pair, no such number, data removed)
    TooMany,      // too many misses from here: wait (message() has the server's sentence)
    Unreachable,  // the server cannot be reached
    Other,
};
const char* toString(StatusProblem problem);

/// The entry the on-screen keyboard types into on the Contact and StatusEntry steps.
enum class AppealField { Name, Phone, Email, Address, Account, StatusNumber, StatusPhone };

class AppealFlow {
public:
    static constexpr size_t kMaxText = 2000;      // code points, as the server counts
    static constexpr size_t kMaxName = 100;
    static constexpr size_t kMinPhoneDigits = 10;
    static constexpr size_t kMaxPhoneDigits = 15;
    static constexpr size_t kMaxEmail = 254;
    static constexpr size_t kMaxAddress = 300;
    static constexpr size_t kMinAccountDigits = 6;
    static constexpr size_t kMaxAccountDigits = 20;
    static constexpr size_t kMaxStatusNumber = 32;

    /// The types the server takes, in the order the kiosk offers them (thanks go as suggestion).
    static const std::vector<std::string>& types();
    /// Reply channels the server takes: phone, sms, email, letter.
    static const std::vector<std::string>& channels();

    AppealFlow(KioskBackend& backend, TicketPrinter& printer, const Clock& clock,
               std::vector<std::string> categories = {});

    /// The category ids offered (KioskSettings::appealCategories).
    void setCategories(std::vector<std::string> categories) { m_categories = std::move(categories); }
    const std::vector<std::string>& categories() const { return m_categories; }
    /// Told every printer answer (the kiosk reports its printer's state to the server).
    void setPrintObserver(std::function<void(const Status&)> observer) { m_printObserver = std::move(observer); }
    /// Fills in the visitor's language and the office's name on every receipt.
    void setReceiptContext(std::function<void(AppealPrintJob&)> fill) { m_receiptContext = std::move(fill); }

    /// Starts a new appeal on the type step; everything typed before is wiped.
    void begin();
    /// Starts the status check; everything typed before is wiped.
    void beginStatus();
    /// Wipes everything (idle timeout, back home); answers still on their way are ignored.
    void reset();

    // Type and category.
    void chooseType(const std::string& type);
    void chooseCategory(const std::string& category);

    // Text, Contact: the entries are typed into directly (views); next() checks them.
    TextEntry& text() { return m_text; }
    TextEntry& name() { return m_name; }
    TextEntry& phone() { return m_phone; }
    TextEntry& email() { return m_email; }
    TextEntry& address() { return m_address; }
    TextEntry& account() { return m_account; }
    void chooseChannel(const std::string& channel);
    /// Contact, StatusEntry: which entry the keyboard types into (a field of another step is
    /// ignored). An empty name or text starts with a capital letter.
    void focus(AppealField field);
    AppealField focused() const { return m_focus; }
    /// What the keyboard types into now: the text on the Text step, else the focused field.
    TextEntry& focusedEntry();
    /// The keyboard's Done: the next field of the step, and after the last one next()
    /// (Text, Contact) or checkStatus() (StatusEntry).
    void keyboardDone();
    /// The keyboard's modes (language, page, shift), wiped with everything else.
    KeyboardState& keyboard() { return m_keyboard; }
    const KeyboardState& keyboard() const { return m_keyboard; }
    /// The kiosk's languages, for the keyboard's language key; it starts on `current`.
    void setKeyboardLanguages(std::vector<std::string> languages, const std::string& current);
    /// The visitor's language: the keyboard returns to it on every field but the e-mail address.
    void setVisitorLanguage(const std::string& language);
    /// True while a step is changed from the review: Back and Next return there.
    bool editing() const { return m_editing; }

    // Consent.
    void setConsent(bool accepted);

    /// Checks the current step and goes on (Type/Category need a choice; Text, Contact, Consent
    /// their checks). After an edit from the review it returns to the review.
    void next();
    /// The previous step (Type: nothing; the model's Back leaves the flow). From an edit
    /// started on the review: back to the review.
    void back();
    /// Review: change one step; after it the review comes back.
    void edit(AppealStep step);
    /// Review: sends the appeal (a new idempotency key unless a send is being repeated).
    void send();
    /// Done: print the receipt again.
    void printAgain();

    // Status check.
    TextEntry& statusNumber() { return m_statusNumber; }
    TextEntry& statusPhone() { return m_statusPhone; }
    void checkStatus();
    /// StatusShown: check another one (the entries kept, the result cleared).
    void checkAnother();

    // Results (UI thread).
    void onSent(Result<AppealOutcome> result);
    void onChecked(Result<AppealStatus> result);
    void onPrinted(Status status);

    // State for views.
    AppealStep step() const { return m_step; }
    AppealProblem problem() const { return m_problem; }
    /// The server's sentence for a refusal (TooMany, Other, and field refusals), in the
    /// language it was asked in; empty for local problems.
    const std::string& message() const { return m_message; }
    const std::string& type() const { return m_type; }
    const std::string& category() const { return m_category; }
    const std::string& channel() const { return m_channel; }
    bool consent() const { return m_consent; }
    /// The character counter: typed and still allowed.
    size_t textLength() const { return m_text.length(); }
    size_t textRemaining() const { return kMaxText > m_text.length() ? kMaxText - m_text.length() : 0; }
    /// Whether a channel can be chosen with the contacts typed so far (views grey the others).
    bool channelAvailable(const std::string& channel) const;
    /// The appeal as it will be (or was) sent.
    AppealSubmission submission() const;
    /// Done.
    const std::optional<AppealOutcome>& outcome() const { return m_outcome; }
    bool queued() const { return m_outcome && !m_outcome->receipt; }
    PrintState printState() const { return m_printState; }
    const std::optional<Error>& printError() const { return m_printError; }
    /// The receipt last sent to the printer.
    const AppealPrintJob& printJob() const { return m_printJob; }
    /// Status check.
    StatusProblem statusProblem() const { return m_statusProblem; }
    const std::optional<AppealStatus>& status() const { return m_status; }
    /// When the step last changed or the printer last answered (timeouts count from here).
    Instant settledAt() const { return m_settledAt; }
    /// True while an answer is awaited that the visitor must see (Sending, Checking).
    bool waiting() const { return m_step == AppealStep::Sending || m_step == AppealStep::Checking; }

    /// The checks, for views and tests.
    static AppealProblem checkText(const std::string& text);
    static bool validPhone(const std::string& digits);
    static bool validEmail(const std::string& email);
    /// A server refusal → the problem and the step to fix it on.
    static std::pair<AppealProblem, AppealStep> fromServer(const Error& error, bool accountGiven);

private:
    /// Shows `step`; a typing step gets its keyboard ready (the visitor's language, the first
    /// field, a capital first letter).
    void go(AppealStep step);
    AppealProblem checkContact() const;
    void advance(AppealStep next);
    void focus(AppealField field, bool force);
    /// Puts the keyboard on the field the visitor must fix for `problem`.
    void focusFor(AppealProblem problem);
    void print();

    KioskBackend& m_backend;
    TicketPrinter& m_printer;
    const Clock& m_clock;
    std::vector<std::string> m_categories;
    uint64_t m_generation = 0;
    AppealStep m_step = AppealStep::Type;
    AppealProblem m_problem = AppealProblem::None;
    std::string m_message;
    std::string m_type;
    std::string m_category;
    TextEntry m_text{EntryKind::Text, kMaxText, true};
    TextEntry m_name{EntryKind::Text, kMaxName};
    TextEntry m_phone{EntryKind::Digits, kMaxPhoneDigits};
    TextEntry m_email{EntryKind::Text, kMaxEmail};
    TextEntry m_address{EntryKind::Text, kMaxAddress};
    TextEntry m_account{EntryKind::Digits, kMaxAccountDigits};
    std::string m_channel;
    AppealField m_focus = AppealField::Name;
    std::vector<std::string> m_languages{"ru", "en"};
    std::string m_visitorLanguage = "ru";
    KeyboardState m_keyboard{m_languages};
    bool m_consent = false;
    bool m_editing = false;  // an edit started on the review: next() and back() return there
    std::string m_key;       // the idempotency key of the send in progress
    WallTime m_sentAt{};
    std::optional<AppealOutcome> m_outcome;
    PrintState m_printState = PrintState::None;
    AppealPrintJob m_printJob;
    std::optional<Error> m_printError;
    std::function<void(const Status&)> m_printObserver;
    std::function<void(AppealPrintJob&)> m_receiptContext;
    TextEntry m_statusNumber{EntryKind::Text, kMaxStatusNumber};
    TextEntry m_statusPhone{EntryKind::Digits, 4};
    StatusProblem m_statusProblem = StatusProblem::None;
    std::optional<AppealStatus> m_status;
    Instant m_settledAt{};
};

}  // namespace talon::kiosk
