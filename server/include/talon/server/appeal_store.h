// AppealStore: the appeals register (issue 8). A complaint, request, question or suggestion is
// checked and registered under a number (Ж-2026-000123, gap-free per year) with a deadline in
// working days in one write step; staff move it registered → assigned → in_progress →
// answered → closed, and every change is kept in its history with author, time and note.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "talon/common/result.h"
#include "talon/common/time.h"
#include "talon/server/config.h"
#include "talon/server/queue_store.h"
#include "talon/server/working_days.h"

namespace talon::server {

enum class AppealType { Complaint, Request, Question, Suggestion };  // suggestion: or thanks
enum class AppealStatus { Registered, Assigned, InProgress, Answered, Closed };
enum class ReplyChannel { Phone, Email, Letter, Sms };

std::string toString(AppealType t);
std::string toString(AppealStatus s);
std::string toString(ReplyChannel c);
std::optional<AppealType> appealTypeFromString(std::string_view s);
std::optional<AppealStatus> appealStatusFromString(std::string_view s);
std::optional<ReplyChannel> replyChannelFromString(std::string_view s);

/// The lifecycle: whether a step may move an appeal from `from` to `to`. Assigning again keeps
/// assigned or in_progress (another member of staff takes it over); nothing leaves closed.
bool allowedTransition(AppealStatus from, AppealStatus to);

/// An appeal as the kiosk (or a clerk on the visitor's behalf) sends it; the HTTP layer has
/// checked the JSON types, the store checks every value.
struct AppealRequest {
    std::string idempotencyKey;  // required: the same key again answers the first appeal
    std::string type;            // complaint, request, question, suggestion
    std::string category;        // a configured category id
    bool urgent = false;         // raise to urgent (a safety_hazard category is urgent anyway)
    std::string text;            // 1..2000 code points, newlines allowed
    std::string name;            // 1..100 code points, one line
    std::optional<std::string> phone;  // at least one of phone and e-mail
    std::optional<std::string> email;
    std::optional<std::string> address;    // postal address, needed for a reply by letter
    std::string replyChannel;              // phone, email, letter, sms: its contact must be given
    bool consent = false;                  // to processing of personal data: required
    std::optional<std::string> account;    // 6..20 digits
    std::optional<std::string> localCode;  // the kiosk outbox's code on the visitor's receipt
    std::string kiosk;                     // X-Talon-Kiosk, "" when absent
};

/// One change in an appeal's history.
struct AppealEvent {
    WallTime at{};
    std::string author;
    std::string action;  // registered, assigned, started, note, answered, deadline_extended, closed
    std::optional<std::string> fromStatus;
    std::string toStatus;
    std::string note;
    std::string detail;  // JSON object: assignee, due dates, channel, satisfaction
};

/// An appeal as staff see it, personal data in full (until removed after retention).
struct Appeal {
    std::string number;
    AppealType type = AppealType::Complaint;
    std::string category;
    bool urgent = false;
    AppealStatus status = AppealStatus::Registered;
    std::string text;
    std::string name;
    std::optional<std::string> phone;  // normalised: '+' if given and digits
    std::optional<std::string> email;
    std::optional<std::string> address;
    ReplyChannel replyChannel = ReplyChannel::Phone;
    std::optional<std::string> account;
    WallTime registeredAt{};
    std::string registeredOn;  // office-local YYYY-MM-DD
    std::string dueOn;         // YYYY-MM-DD, the current deadline
    std::string originalDueOn;
    std::optional<std::string> assignedTo;
    std::optional<std::string> answer;
    std::optional<ReplyChannel> answerChannel;
    std::optional<WallTime> answeredAt;
    std::optional<WallTime> closedAt;
    std::optional<int> satisfaction;
    std::optional<std::string> localCode;
    bool personalDataRemoved = false;
    std::vector<AppealEvent> history;  // oldest first
};

struct RegisterResult {
    Appeal appeal;
    bool replayed = false;  // the key was used before with the same appeal: nothing new stored
};

/// What the status check shows a visitor: nothing personal, no text.
struct AppealStatusView {
    std::string number;
    AppealStatus status = AppealStatus::Registered;
    std::string dueOn;
};

/// A row of the register, personal data masked.
struct AppealSummary {
    std::string number;
    AppealType type = AppealType::Complaint;
    std::string category;
    bool urgent = false;
    AppealStatus status = AppealStatus::Registered;
    WallTime registeredAt{};
    std::string registeredOn;
    std::string dueOn;
    std::optional<std::string> assignedTo;
    std::string initials;         // "И. П."
    std::string phoneLast4;       // "…4567", "" without a phone
    bool overdue = false;         // open and its deadline has passed
    int64_t workingDaysLeft = 0;  // to the deadline from today; negative when overdue
};

struct AppealFilter {
    std::optional<AppealStatus> status;
    std::optional<std::string> category;
    bool overdueOnly = false;
    std::optional<int> dueWithinWorkingDays;  // open and due today .. in this many working days
    std::optional<std::string> from;          // registered on or after (YYYY-MM-DD)
    std::optional<std::string> to;            // registered on or before
    int limit = 200;                          // 1..1000
};

/// One category's figures in a period.
struct CategoryReport {
    std::string category;
    int64_t total = 0;
    int64_t open = 0;      // registered, assigned or in progress
    int64_t answered = 0;  // answered or closed
    int64_t answeredOnTime = 0;
    int64_t overdue = 0;  // open past the deadline now
    int64_t urgent = 0;
    int64_t complaints = 0;
    std::optional<double> satisfaction;  // mean of closed appeals' scores
};

struct AppealReport {
    std::string from, to;
    std::vector<CategoryReport> categories;  // configured order, then any others stored
    std::vector<CategoryReport> ranking;     // by total, most first; ties by category id
    int64_t total = 0;
};

inline constexpr size_t kAppealTextMax = 2000;  // code points
inline constexpr size_t kAppealNameMax = 100;
inline constexpr size_t kAppealNoteMax = 2000;

class AppealStore {
public:
    /// Errors (bad_config): the calendar of `config` (already checked by parseConfig).
    static Result<std::unique_ptr<AppealStore>> create(QueueStore& store, const Clock& clock,
                                                       const ServerConfig& config);

    /// Checks and registers one appeal. Errors (nothing stored): bad_request with detail
    /// appeal_idempotency_key, appeal_type, appeal_category {categories}, appeal_text_empty,
    /// appeal_text_length, appeal_text_utf8, appeal_text_control, appeal_name_empty,
    /// appeal_name_length, appeal_name_invalid, appeal_contact_required, appeal_phone,
    /// appeal_email, appeal_address, appeal_reply_channel, appeal_channel_contact {channel},
    /// appeal_consent, account_number, appeal_local_code; idempotency_conflict (409); storage.
    Result<RegisterResult> registerAppeal(const AppealRequest& request);

    /// Whether `key` was used already (registerAppeal() then answers from what is stored, or
    /// with idempotency_conflict): the HTTP layer lets such a repeat past the rate limits.
    Result<bool> knownKey(const std::string& key);

    /// Staff steps; `author` is the staff login (1..64). Errors: bad_request (detail
    /// appeal_author, appeal_assignee, appeal_note, appeal_answer, appeal_reply_channel,
    /// appeal_reason, appeal_due_date, appeal_satisfaction); unknown_appeal {number} (404);
    /// illegal_transition {number, status, action} (409); appeal_deadline_not_later
    /// {due_text} and appeal_deadline_not_working_day {date_text} (422); storage.
    Result<Appeal> assign(const std::string& number, const std::string& assignee,
                          const std::string& author, const std::string& note = "");
    Result<Appeal> start(const std::string& number, const std::string& author);
    Result<Appeal> addNote(const std::string& number, const std::string& note,
                           const std::string& author);
    Result<Appeal> recordAnswer(const std::string& number, const std::string& text,
                                const std::string& channel, const std::string& author);
    /// Moves the deadline to `newDue` (YYYY-MM-DD, a working day later than the current one and
    /// not before today); the reason is kept so the visitor can be told.
    Result<Appeal> extendDeadline(const std::string& number, const std::string& newDue,
                                  const std::string& reason, const std::string& author);
    /// After the follow-up call: the visitor's satisfaction 1..5.
    Result<Appeal> close(const std::string& number, int satisfaction, const std::string& author,
                         const std::string& note = "");

    /// Errors: unknown_appeal {number}; storage.
    Result<Appeal> get(const std::string& number);
    /// The visitor's status check: the registration number (or the kiosk's local code) and the
    /// last four digits of the phone. Every miss (no such number, other digits, no phone, data
    /// removed) is the same appeal_status_not_found with no parameters; storage.
    Result<AppealStatusView> statusCheck(const std::string& numberOrLocalCode,
                                         const std::string& phoneLast4);
    /// The register, newest first. Errors: bad_request (appeal_filter_dates, appeal_filter_limit,
    /// appeal_filter_due); storage.
    Result<std::vector<AppealSummary>> list(const AppealFilter& filter);
    Result<std::vector<AppealSummary>> overdue();
    /// Open and due within the configured due_soon_working_days (not yet overdue).
    Result<std::vector<AppealSummary>> dueSoon();
    /// Appeals registered from..to (YYYY-MM-DD, inclusive) by category. Errors: bad_request
    /// (appeal_filter_dates); storage.
    Result<AppealReport> report(const std::string& from, const std::string& to);
    /// Removes the name, contacts, text, answer, account and notes of appeals closed more than
    /// retention_days ago, keeping the rest for statistics. Returns how many were cleared.
    Result<int64_t> removeExpiredPersonalData();

    /// The working calendar deadlines are counted on.
    const WorkingDays& workingDays() const { return m_days; }
    const AppealsConfig& config() const { return m_config; }
    /// Today's office-local date.
    std::chrono::sys_days today() const;

private:
    AppealStore(QueueStore& store, const Clock& clock, AppealsConfig config, WorkingDays days)
        : m_store(store), m_clock(clock), m_config(std::move(config)), m_days(std::move(days)) {}

    struct Step;
    Result<Appeal> change(const std::string& number, const std::string& author, const Step& step);

    QueueStore& m_store;
    const Clock& m_clock;
    AppealsConfig m_config;
    WorkingDays m_days;
};

/// "Ж-2026-000123".
std::string appealNumber(const std::string& prefix, int year, int64_t seq);
/// A registration number as a visitor types it: the ten digits of year and sequence, with or
/// without `prefix` (any case) and separators ("2026000123", "ж 2026/000123") → "Ж-2026-000123";
/// nullopt for anything else.
std::optional<std::string> canonicalAppealNumber(std::string_view typed, const std::string& prefix);
/// A phone number as people write it ("+7 (912) 345-67-89", "8 912 345 67 89"): '+' only first,
/// digits, spaces, '-', '(' and ')', 10 to 15 digits. Normalised: the '+' if any and the digits.
std::optional<std::string> normalizePhone(std::string_view phone);
/// An e-mail address: local@domain.tld in ASCII, at most 254 characters.
bool validEmail(std::string_view email);

}  // namespace talon::server
