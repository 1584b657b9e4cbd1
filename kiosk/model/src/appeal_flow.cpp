// AppealFlow transitions. The local checks mirror the server's (docs/api.md, POST
// /api/v1/appeals) so most mistakes are caught on the step where they were made; whatever the
// server still refuses sends the visitor back to the step its `field` names.
#include "talon/kiosk/appeal_flow.h"

#include <algorithm>

#include "talon/common/api_client.h"
#include "talon/kiosk/outbox.h"

namespace talon::kiosk {

const char* toString(AppealStep step) {
    switch (step) {
        case AppealStep::Type: return "type";
        case AppealStep::Category: return "category";
        case AppealStep::Text: return "text";
        case AppealStep::Contact: return "contact";
        case AppealStep::Consent: return "consent";
        case AppealStep::Review: return "review";
        case AppealStep::Sending: return "sending";
        case AppealStep::Done: return "done";
        case AppealStep::StatusEntry: return "status-entry";
        case AppealStep::Checking: return "checking";
        case AppealStep::StatusShown: return "status-shown";
    }
    return "?";
}

const char* toString(AppealProblem problem) {
    switch (problem) {
        case AppealProblem::None: return "none";
        case AppealProblem::TypeMissing: return "type_missing";
        case AppealProblem::CategoryMissing: return "category_missing";
        case AppealProblem::TextEmpty: return "text_empty";
        case AppealProblem::TextTooLong: return "text_too_long";
        case AppealProblem::TextInvalid: return "text_invalid";
        case AppealProblem::NameEmpty: return "name_empty";
        case AppealProblem::NameTooLong: return "name_too_long";
        case AppealProblem::NameInvalid: return "name_invalid";
        case AppealProblem::ContactRequired: return "contact_required";
        case AppealProblem::PhoneInvalid: return "phone_invalid";
        case AppealProblem::EmailInvalid: return "email_invalid";
        case AppealProblem::AddressInvalid: return "address_invalid";
        case AppealProblem::AccountInvalid: return "account_invalid";
        case AppealProblem::ChannelMissing: return "channel_missing";
        case AppealProblem::ChannelWithoutContact: return "channel_without_contact";
        case AppealProblem::ConsentMissing: return "consent_missing";
        case AppealProblem::TooMany: return "too_many";
        case AppealProblem::Other: return "other";
    }
    return "?";
}

const char* toString(StatusProblem problem) {
    switch (problem) {
        case StatusProblem::None: return "none";
        case StatusProblem::NumberEmpty: return "number_empty";
        case StatusProblem::PhoneDigits: return "phone_digits";
        case StatusProblem::NotFound: return "not_found";
        case StatusProblem::TooMany: return "too_many";
        case StatusProblem::Unreachable: return "unreachable";
        case StatusProblem::Other: return "other";
    }
    return "?";
}

const std::vector<std::string>& AppealFlow::types() {
    static const std::vector<std::string> kTypes{"complaint", "request", "question", "suggestion"};
    return kTypes;
}

const std::vector<std::string>& AppealFlow::channels() {
    static const std::vector<std::string> kChannels{"phone", "sms", "email", "letter"};
    return kChannels;
}

namespace {

bool blank(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; });
}

std::string trimmed(const std::string& s) {
    const size_t first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    const size_t last = s.find_last_not_of(" \t\r\n");
    return s.substr(first, last - first + 1);
}

}  // namespace

AppealFlow::AppealFlow(KioskBackend& backend, TicketPrinter& printer, const Clock& clock,
                       std::vector<std::string> categories)
    : m_backend(backend), m_printer(printer), m_clock(clock), m_categories(std::move(categories)) {}

void AppealFlow::begin() {
    reset();
    go(AppealStep::Type);
}

void AppealFlow::beginStatus() {
    reset();
    go(AppealStep::StatusEntry);
}

void AppealFlow::reset() {
    ++m_generation;
    m_step = AppealStep::Type;
    m_problem = AppealProblem::None;
    m_message.clear();
    m_type.clear();
    m_category.clear();
    m_text.clear();
    m_name.clear();
    m_phone.clear();
    m_email.clear();
    m_address.clear();
    m_account.clear();
    m_channel.clear();
    m_focus = AppealField::Name;
    m_keyboard = KeyboardState(m_languages, m_visitorLanguage);
    m_consent = false;
    m_editing = false;
    m_key.clear();
    m_sentAt = {};
    m_outcome.reset();
    m_printState = PrintState::None;
    m_printJob = {};
    m_printError.reset();
    m_statusNumber.clear();
    m_statusPhone.clear();
    m_statusProblem = StatusProblem::None;
    m_status.reset();
}

// ---- Checks ---------------------------------------------------------------------------------

AppealProblem AppealFlow::checkText(const std::string& text) {
    if (blank(text)) return AppealProblem::TextEmpty;
    auto decoded = decodeUtf8(text);
    if (!decoded) return AppealProblem::TextInvalid;
    if (decoded->size() > kMaxText) return AppealProblem::TextTooLong;
    for (char32_t c : *decoded) {
        if ((c < 0x20 && c != '\n') || c == 0x7F) return AppealProblem::TextInvalid;
    }
    return AppealProblem::None;
}

bool AppealFlow::validPhone(const std::string& digits) {
    return digits.size() >= kMinPhoneDigits && digits.size() <= kMaxPhoneDigits &&
           std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool AppealFlow::validEmail(const std::string& email) {
    if (email.size() < 6 || email.size() > kMaxEmail) return false;
    const size_t at = email.find('@');
    if (at == std::string::npos || at == 0 || email.find('@', at + 1) != std::string::npos) return false;
    const std::string domain = email.substr(at + 1);
    const size_t dot = domain.rfind('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 >= domain.size()) return false;
    if (domain.find("..") != std::string::npos || domain.front() == '.') return false;
    for (char c : email) {
        const auto b = static_cast<unsigned char>(c);
        if (b <= 0x20 || b >= 0x7F || c == ',' || c == ';' || c == '<' || c == '>' || c == '"') return false;
    }
    return true;
}

bool AppealFlow::channelAvailable(const std::string& channel) const {
    if (channel == "phone" || channel == "sms") return !m_phone.empty();
    if (channel == "email") return !m_email.empty();
    if (channel == "letter") return !blank(m_address.value());
    return false;
}

AppealProblem AppealFlow::checkContact() const {
    if (blank(m_name.value())) return AppealProblem::NameEmpty;
    if (m_name.length() > kMaxName) return AppealProblem::NameTooLong;
    if (m_phone.empty() && m_email.empty()) return AppealProblem::ContactRequired;
    if (!m_phone.empty() && !validPhone(m_phone.value())) return AppealProblem::PhoneInvalid;
    if (!m_email.empty() && !validEmail(m_email.value())) return AppealProblem::EmailInvalid;
    if (!m_account.empty() && m_account.length() < kMinAccountDigits) return AppealProblem::AccountInvalid;
    if (m_channel.empty()) return AppealProblem::ChannelMissing;
    if (!channelAvailable(m_channel)) return AppealProblem::ChannelWithoutContact;
    return AppealProblem::None;
}

std::pair<AppealProblem, AppealStep> AppealFlow::fromServer(const Error& e, bool accountGiven) {
    if (e.status == 429) return {AppealProblem::TooMany, AppealStep::Review};
    std::string field;
    for (const auto& [k, v] : e.params) {
        if (k == "field") field = v;
    }
    struct Route {
        const char* field;
        AppealProblem problem;
        AppealStep step;
    };
    static const Route kRoutes[] = {
        {"appeal_type", AppealProblem::TypeMissing, AppealStep::Type},
        {"appeal_category", AppealProblem::CategoryMissing, AppealStep::Category},
        {"appeal_text_empty", AppealProblem::TextEmpty, AppealStep::Text},
        {"appeal_text_length", AppealProblem::TextTooLong, AppealStep::Text},
        {"appeal_text_control", AppealProblem::TextInvalid, AppealStep::Text},
        {"appeal_text_utf8", AppealProblem::TextInvalid, AppealStep::Text},
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
    };
    if (e.kind == ErrorKind::Http && e.status == 400) {
        for (const Route& r : kRoutes) {
            if (field == r.field) return {r.problem, r.step};
        }
        // A bad account number comes without a field: the message says it.
        if (field.empty() && e.code == "bad_request" && accountGiven) {
            return {AppealProblem::AccountInvalid, AppealStep::Contact};
        }
    }
    return {AppealProblem::Other, AppealStep::Review};
}

// ---- Steps ----------------------------------------------------------------------------------

void AppealFlow::advance(AppealStep next) {
    m_problem = AppealProblem::None;
    m_message.clear();
    if (m_editing) {
        m_editing = false;
        go(AppealStep::Review);
        return;
    }
    go(next);
}

void AppealFlow::go(AppealStep step) {
    const bool arriving = step != m_step;
    m_step = step;
    m_settledAt = m_clock.now();
    if (!arriving) return;
    switch (step) {
        case AppealStep::Text:
            m_keyboard.setLanguage(m_visitorLanguage);
            m_keyboard.setPage(KeyboardPage::Letters);
            m_keyboard.setShift(m_text.empty() ? ShiftMode::Once : ShiftMode::Off);
            break;
        case AppealStep::Contact: focus(AppealField::Name, true); break;
        case AppealStep::StatusEntry: focus(AppealField::StatusNumber, true); break;
        default: break;
    }
}

void AppealFlow::setVisitorLanguage(const std::string& language) {
    m_visitorLanguage = language;
    m_keyboard.setLanguage(language);
}

void AppealFlow::focus(AppealField field) { focus(field, false); }

void AppealFlow::focus(AppealField field, bool force) {
    const bool status = field == AppealField::StatusNumber || field == AppealField::StatusPhone;
    if (status ? m_step != AppealStep::StatusEntry : m_step != AppealStep::Contact) return;
    if (field == m_focus && !force) return;  // a second tap keeps the keyboard as it is
    m_focus = field;
    // Registration numbers are mostly digits: their field starts on the digits page.
    m_keyboard.setPage(field == AppealField::StatusNumber ? KeyboardPage::Symbols : KeyboardPage::Letters);
    m_keyboard.setShift(field == AppealField::Name && m_name.empty() ? ShiftMode::Once : ShiftMode::Off);
    // E-mail addresses are Latin: their field starts on the English letters when the kiosk has them.
    m_keyboard.setLanguage(field == AppealField::Email ? "en" : m_visitorLanguage);
}

TextEntry& AppealFlow::focusedEntry() {
    if (m_step == AppealStep::Text) return m_text;
    switch (m_focus) {
        case AppealField::Name: return m_name;
        case AppealField::Phone: return m_phone;
        case AppealField::Email: return m_email;
        case AppealField::Address: return m_address;
        case AppealField::Account: return m_account;
        case AppealField::StatusNumber: return m_statusNumber;
        case AppealField::StatusPhone: return m_statusPhone;
    }
    return m_name;
}

void AppealFlow::keyboardDone() {
    switch (m_step) {
        case AppealStep::Text: next(); return;
        case AppealStep::Contact:
            switch (m_focus) {
                case AppealField::Name: focus(AppealField::Phone); return;
                case AppealField::Phone: focus(AppealField::Email); return;
                case AppealField::Email: focus(AppealField::Address); return;
                case AppealField::Address: focus(AppealField::Account); return;
                default: next(); return;
            }
        case AppealStep::StatusEntry:
            if (m_focus == AppealField::StatusNumber) {
                focus(AppealField::StatusPhone);
            } else {
                checkStatus();
            }
            return;
        default: return;
    }
}

void AppealFlow::setKeyboardLanguages(std::vector<std::string> languages, const std::string& current) {
    if (languages.empty()) languages = {"en"};
    m_languages = std::move(languages);
    m_keyboard = KeyboardState(m_languages, current);
}

void AppealFlow::focusFor(AppealProblem problem) {
    switch (problem) {
        case AppealProblem::NameEmpty:
        case AppealProblem::NameTooLong:
        case AppealProblem::NameInvalid: focus(AppealField::Name); return;
        case AppealProblem::ContactRequired:
        case AppealProblem::PhoneInvalid: focus(AppealField::Phone); return;
        case AppealProblem::EmailInvalid: focus(AppealField::Email); return;
        case AppealProblem::AddressInvalid: focus(AppealField::Address); return;
        case AppealProblem::AccountInvalid: focus(AppealField::Account); return;
        case AppealProblem::ChannelWithoutContact:
            if (m_channel == "email") {
                focus(AppealField::Email);
            } else if (m_channel == "letter") {
                focus(AppealField::Address);
            } else {
                focus(AppealField::Phone);
            }
            return;
        default: return;
    }
}

void AppealFlow::chooseType(const std::string& type) {
    if (m_step != AppealStep::Type) return;
    if (std::find(types().begin(), types().end(), type) == types().end()) {
        m_problem = AppealProblem::TypeMissing;
        return;
    }
    m_type = type;
    advance(AppealStep::Category);
}

void AppealFlow::chooseCategory(const std::string& category) {
    if (m_step != AppealStep::Category) return;
    if (std::find(m_categories.begin(), m_categories.end(), category) == m_categories.end()) {
        m_problem = AppealProblem::CategoryMissing;
        return;
    }
    m_category = category;
    advance(AppealStep::Text);
}

void AppealFlow::chooseChannel(const std::string& channel) {
    if (m_step != AppealStep::Contact) return;
    if (std::find(channels().begin(), channels().end(), channel) == channels().end()) return;
    m_channel = channel;
    if (m_problem == AppealProblem::ChannelMissing || m_problem == AppealProblem::ChannelWithoutContact) {
        m_problem = AppealProblem::None;
        m_message.clear();
    }
    // Its contact not typed yet: the keyboard goes there.
    if (!channelAvailable(channel)) focusFor(AppealProblem::ChannelWithoutContact);
}

void AppealFlow::setConsent(bool accepted) {
    if (m_step != AppealStep::Consent) return;
    m_consent = accepted;
    if (accepted && m_problem == AppealProblem::ConsentMissing) {
        m_problem = AppealProblem::None;
        m_message.clear();
    }
}

void AppealFlow::next() {
    switch (m_step) {
        case AppealStep::Type:
            if (m_type.empty()) {
                m_problem = AppealProblem::TypeMissing;
                return;
            }
            advance(AppealStep::Category);
            return;
        case AppealStep::Category:
            if (m_category.empty()) {
                m_problem = AppealProblem::CategoryMissing;
                return;
            }
            advance(AppealStep::Text);
            return;
        case AppealStep::Text:
            if (AppealProblem p = checkText(m_text.value()); p != AppealProblem::None) {
                m_problem = p;
                m_message.clear();
                return;
            }
            advance(AppealStep::Contact);
            return;
        case AppealStep::Contact:
            if (AppealProblem p = checkContact(); p != AppealProblem::None) {
                m_problem = p;
                m_message.clear();
                focusFor(p);
                return;
            }
            advance(AppealStep::Consent);
            return;
        case AppealStep::Consent:
            if (!m_consent) {
                m_problem = AppealProblem::ConsentMissing;
                m_message.clear();
                return;
            }
            advance(AppealStep::Review);
            return;
        default: return;
    }
}

void AppealFlow::back() {
    AppealStep previous;
    switch (m_step) {
        case AppealStep::Type:
            if (!m_editing) return;  // the model's Back leaves the flow
            previous = AppealStep::Review;
            break;
        case AppealStep::Category: previous = AppealStep::Type; break;
        case AppealStep::Text: previous = AppealStep::Category; break;
        case AppealStep::Contact: previous = AppealStep::Text; break;
        case AppealStep::Consent: previous = AppealStep::Contact; break;
        case AppealStep::Review: previous = AppealStep::Consent; break;
        default: return;
    }
    m_problem = AppealProblem::None;
    m_message.clear();
    if (m_editing) {
        m_editing = false;
        previous = AppealStep::Review;
    }
    go(previous);
}

void AppealFlow::edit(AppealStep step) {
    if (m_step != AppealStep::Review) return;
    switch (step) {
        case AppealStep::Type:
        case AppealStep::Category:
        case AppealStep::Text:
        case AppealStep::Contact:
        case AppealStep::Consent: break;
        default: return;
    }
    m_problem = AppealProblem::None;
    m_message.clear();
    m_editing = true;
    go(step);
}

AppealSubmission AppealFlow::submission() const {
    AppealSubmission s;
    s.type = m_type;
    s.category = m_category;
    s.text = m_text.value();
    s.name = trimmed(m_name.value());
    s.phone = m_phone.value();
    s.email = trimmed(m_email.value());
    s.address = trimmed(m_address.value());
    s.replyChannel = m_channel;
    s.consent = m_consent;
    s.account = m_account.value();
    if (m_sentAt != WallTime{}) s.takenAt = m_sentAt;
    return s;
}

void AppealFlow::send() {
    if (m_step != AppealStep::Review) return;
    // Everything once more: a step skipped by an edit cannot slip through.
    if (m_type.empty()) {
        m_problem = AppealProblem::TypeMissing;
        m_editing = true;
        go(AppealStep::Type);
        return;
    }
    if (m_category.empty()) {
        m_problem = AppealProblem::CategoryMissing;
        m_editing = true;
        go(AppealStep::Category);
        return;
    }
    if (AppealProblem p = checkText(m_text.value()); p != AppealProblem::None) {
        m_problem = p;
        m_editing = true;
        go(AppealStep::Text);
        return;
    }
    if (AppealProblem p = checkContact(); p != AppealProblem::None) {
        m_problem = p;
        m_editing = true;
        go(AppealStep::Contact);
        focusFor(p);
        return;
    }
    if (!m_consent) {
        m_problem = AppealProblem::ConsentMissing;
        m_editing = true;
        go(AppealStep::Consent);
        return;
    }
    if (m_key.empty()) m_key = newIdempotencyKey();
    m_problem = AppealProblem::None;
    m_message.clear();
    m_sentAt = m_clock.wallNow();
    go(AppealStep::Sending);
    const uint64_t generation = m_generation;
    m_backend.registerAppeal(submission(), m_key, [this, generation](Result<AppealOutcome> r) {
        if (generation == m_generation) onSent(std::move(r));
    });
}

void AppealFlow::onSent(Result<AppealOutcome> result) {
    if (m_step != AppealStep::Sending) return;
    if (!result) {
        const Error& e = result.error();
        // Nothing was registered: a corrected appeal goes out under a new key.
        m_key.clear();
        auto [problem, step] = fromServer(e, !m_account.empty());
        m_problem = problem;
        // The server's sentence; a failure of the kiosk itself (its outbox) has none.
        m_message = e.kind == ErrorKind::Http ? e.message : std::string{};
        m_editing = step != AppealStep::Review;  // fixed, it comes back to the review
        go(step);
        if (step == AppealStep::Contact) focusFor(problem);
        return;
    }
    m_outcome = std::move(result).value();
    go(AppealStep::Done);
    print();
}

// ---- Receipt --------------------------------------------------------------------------------

void AppealFlow::print() {
    if (!m_outcome) return;
    AppealPrintJob job;
    job.category = m_category;
    job.type = m_type;
    job.at = m_sentAt;
    if (m_outcome->receipt) {
        job.number = m_outcome->receipt->number;
        job.dueOnText = m_outcome->receipt->dueOnText;
        job.urgent = m_outcome->receipt->urgent;
    } else {
        job.localCode = m_outcome->localCode;
    }
    m_printJob = std::move(job);
    if (m_receiptContext) m_receiptContext(m_printJob);
    m_printState = PrintState::Printing;
    m_printError.reset();
    const uint64_t generation = m_generation;
    m_printer.printAppeal(m_printJob, [this, generation](Status st) {
        if (generation == m_generation) {
            onPrinted(std::move(st));
        } else if (m_printObserver) {
            m_printObserver(st);  // the visitor left meanwhile; the printer's state still counts
        }
    });
}

void AppealFlow::printAgain() {
    if (m_step != AppealStep::Done || !m_outcome || m_printState == PrintState::Printing) return;
    print();
}

void AppealFlow::onPrinted(Status status) {
    if (m_printState != PrintState::Printing) return;
    m_printState = status ? PrintState::Printed : PrintState::Failed;
    m_settledAt = m_clock.now();
    if (!status) m_printError = status.error();
    if (m_printObserver) m_printObserver(status);
}

// ---- Status check ---------------------------------------------------------------------------

void AppealFlow::checkStatus() {
    if (m_step != AppealStep::StatusEntry) return;
    std::string number = trimmed(m_statusNumber.value());
    if (number.empty()) {
        m_statusProblem = StatusProblem::NumberEmpty;
        focus(AppealField::StatusNumber);
        return;
    }
    if (m_statusPhone.length() != 4) {
        m_statusProblem = StatusProblem::PhoneDigits;
        focus(AppealField::StatusPhone);
        return;
    }
    // A receipt's local code as a person types it (any case, O for 0); a number in capitals.
    if (auto code = normalizeLocalCode(number)) {
        number = *code;
    } else {
        number = upperCase(number);
    }
    m_statusProblem = StatusProblem::None;
    m_message.clear();
    m_status.reset();
    go(AppealStep::Checking);
    const uint64_t generation = m_generation;
    m_backend.checkAppeal(number, m_statusPhone.value(), [this, generation](Result<AppealStatus> r) {
        if (generation == m_generation) onChecked(std::move(r));
    });
}

void AppealFlow::onChecked(Result<AppealStatus> result) {
    if (m_step != AppealStep::Checking) return;
    if (result) {
        m_status = std::move(result).value();
        go(AppealStep::StatusShown);
        return;
    }
    const Error& e = result.error();
    m_message = e.kind == ErrorKind::Http ? e.message : std::string{};
    if (e.unreachable() || e.status >= 500) {
        m_statusProblem = StatusProblem::Unreachable;
    } else if (e.status == 404 || e.code == "appeal_status_not_found") {
        m_statusProblem = StatusProblem::NotFound;
    } else if (e.status == 429 || e.code == "too_many_attempts") {
        m_statusProblem = StatusProblem::TooMany;
    } else if (e.status == 400) {
        m_statusProblem = StatusProblem::PhoneDigits;
    } else {
        m_statusProblem = StatusProblem::Other;
    }
    // A wrong pair leaves nothing to read: the phone digits are typed again.
    if (m_statusProblem == StatusProblem::NotFound) m_statusPhone.clear();
    go(AppealStep::StatusEntry);
    focus(m_statusProblem == StatusProblem::NotFound || m_statusProblem == StatusProblem::PhoneDigits
              ? AppealField::StatusPhone
              : AppealField::StatusNumber);
}

void AppealFlow::checkAnother() {
    if (m_step != AppealStep::StatusShown) return;
    m_status.reset();
    m_statusProblem = StatusProblem::None;
    m_statusNumber.clear();
    m_statusPhone.clear();
    go(AppealStep::StatusEntry);
}

}  // namespace talon::kiosk
