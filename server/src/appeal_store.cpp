// AppealStore implementation: every check of a step runs under QueueStore's lock in the check
// half of one write step (so the number and the status a step sees cannot change under it),
// the writes in its write half, which also records the change in appeal_history.
#include "talon/server/appeal_store.h"

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>

#include "talon/common/text_entry.h"
#include "talon/server/account_directory.h"
#include "talon/server/bad_request.h"

namespace talon::server {

using nlohmann::json;

/// A staff step: checks the appeal as it is now and changes the copy it is given (status,
/// fields) and the history entry. An error stores nothing.
struct AppealStore::Step {
    std::function<Status(Appeal& appeal, AppealEvent& event, WallTime now)> apply;
};

namespace {

/// Internal: the key was used before for the same appeal; registerAppeal() answers the stored one.
constexpr const char* kReplay = "appeal_replay";

enum class TextProblem { None, Empty, TooLong, Utf8, Control };

bool isSpace(char32_t c) {
    return c == U' ' || c == U'\n' || c == U'\t' || c == U'\r' || c == 0xA0;
}

/// Checks text typed by a person: strict UTF-8, 1..max code points once surrounding spaces are
/// dropped, no control characters (a newline only where `multiline`). `trimmed` is what is kept.
TextProblem checkText(std::string_view text, size_t max, bool multiline, std::string& trimmed) {
    const auto cps = decodeUtf8(text);
    if (!cps) return TextProblem::Utf8;
    for (char32_t c : *cps) {
        const bool control = c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029;
        if (control && !(multiline && c == U'\n')) return TextProblem::Control;
    }
    size_t first = 0, last = cps->size();
    while (first < last && isSpace((*cps)[first])) ++first;
    while (last > first && isSpace((*cps)[last - 1])) --last;
    if (first == last) return TextProblem::Empty;
    if (last - first > max) return TextProblem::TooLong;
    trimmed.clear();
    for (size_t i = first; i < last; ++i) trimmed += encodeUtf8((*cps)[i]);
    return TextProblem::None;
}

/// The bad_request for a text field: detail.<prefix>_empty / _length / _utf8 / _control.
Error textError(const std::string& prefix, TextProblem p, size_t max) {
    const char* suffix = p == TextProblem::Empty     ? "_empty"
                         : p == TextProblem::TooLong ? "_length"
                         : p == TextProblem::Utf8    ? "_utf8"
                                                     : "_control";
    Error e = badField("detail." + prefix + suffix);
    e.params.push_back({"max", std::to_string(max)});
    return e;
}

/// A staff login or assignee: 1..64 code points, one line.
bool validLogin(std::string_view s) {
    std::string kept;
    return checkText(s, 64, false, kept) == TextProblem::None && kept == s;
}

bool validIdempotencyKey(std::string_view key) {
    if (key.empty() || key.size() > 128) return false;
    return std::all_of(key.begin(), key.end(), [](char c) { return c >= 0x20 && c <= 0x7E; });
}

bool validLocalCodeText(std::string_view code) {
    if (code.empty() || code.size() > 16) return false;
    return std::all_of(code.begin(), code.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    });
}

bool isOpen(AppealStatus s) {
    return s == AppealStatus::Registered || s == AppealStatus::Assigned ||
           s == AppealStatus::InProgress;
}

std::string isoDate(std::chrono::sys_days d) {
    const std::chrono::year_month_day ymd{d};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buf;
}

std::optional<std::string> optText(const SQLite::Column& c) {
    if (c.isNull()) return std::nullopt;
    return c.getString();
}

void bindOpt(SQLite::Statement& s, int i, const std::optional<std::string>& v) {
    if (v) {
        s.bind(i, *v);
    } else {
        s.bind(i);
    }
}

constexpr const char* kAppealColumns =
    "id, number, type, category, urgent, status, text, name, phone, email, address, "
    "reply_channel, account_number, registered_at, registered_on, due_on, original_due_on, "
    "assigned_to, answer, answer_channel, answered_at, closed_at, satisfaction, local_code, "
    "personal_data_removed_at";

/// Reads one appeal and its history; nullopt when there is no such number.
std::optional<std::pair<int64_t, Appeal>> loadAppeal(SQLite::Database& db,
                                                     const std::string& number) {
    SQLite::Statement s(db,
                        std::string("SELECT ") + kAppealColumns + " FROM appeals WHERE number = ?");
    s.bind(1, number);
    if (!s.executeStep()) return std::nullopt;
    const int64_t id = s.getColumn(0).getInt64();
    Appeal a;
    a.number = s.getColumn(1).getString();
    a.type = appealTypeFromString(s.getColumn(2).getString()).value_or(AppealType::Complaint);
    a.category = s.getColumn(3).getString();
    a.urgent = s.getColumn(4).getInt() != 0;
    a.status =
        appealStatusFromString(s.getColumn(5).getString()).value_or(AppealStatus::Registered);
    a.text = optText(s.getColumn(6)).value_or("");
    a.name = optText(s.getColumn(7)).value_or("");
    a.phone = optText(s.getColumn(8));
    a.email = optText(s.getColumn(9));
    a.address = optText(s.getColumn(10));
    a.replyChannel =
        replyChannelFromString(s.getColumn(11).getString()).value_or(ReplyChannel::Phone);
    a.account = optText(s.getColumn(12));
    a.registeredAt = fromMillis(s.getColumn(13).getInt64());
    a.registeredOn = s.getColumn(14).getString();
    a.dueOn = s.getColumn(15).getString();
    a.originalDueOn = s.getColumn(16).getString();
    a.assignedTo = optText(s.getColumn(17));
    a.answer = optText(s.getColumn(18));
    if (auto c = optText(s.getColumn(19))) a.answerChannel = replyChannelFromString(*c);
    if (!s.getColumn(20).isNull()) a.answeredAt = fromMillis(s.getColumn(20).getInt64());
    if (!s.getColumn(21).isNull()) a.closedAt = fromMillis(s.getColumn(21).getInt64());
    if (!s.getColumn(22).isNull()) a.satisfaction = s.getColumn(22).getInt();
    a.localCode = optText(s.getColumn(23));
    a.personalDataRemoved = !s.getColumn(24).isNull();
    SQLite::Statement h(db,
                        "SELECT at, author, action, from_status, to_status, note, detail "
                        "FROM appeal_history WHERE appeal_id = ? ORDER BY id");
    h.bind(1, id);
    while (h.executeStep()) {
        AppealEvent e;
        e.at = fromMillis(h.getColumn(0).getInt64());
        e.author = h.getColumn(1).getString();
        e.action = h.getColumn(2).getString();
        e.fromStatus = optText(h.getColumn(3));
        e.toStatus = h.getColumn(4).getString();
        e.note = optText(h.getColumn(5)).value_or("");
        e.detail = h.getColumn(6).getString();
        a.history.push_back(std::move(e));
    }
    return std::pair{id, std::move(a)};
}

void insertHistory(SQLite::Database& db, int64_t appealId, const AppealEvent& e) {
    SQLite::Statement ins(db,
                          "INSERT INTO appeal_history(appeal_id, at, author, action, from_status, "
                          "to_status, note, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    ins.bind(1, appealId);
    ins.bind(2, toMillis(e.at));
    ins.bind(3, e.author);
    ins.bind(4, e.action);
    bindOpt(ins, 5, e.fromStatus);
    ins.bind(6, e.toStatus);
    if (e.note.empty()) {
        ins.bind(7);
    } else {
        ins.bind(7, e.note);
    }
    ins.bind(8, e.detail.empty() ? std::string("{}") : e.detail);
    ins.exec();
}

Error unknownAppeal(const std::string& number) {
    Error e = makeError(ErrorKind::NotFound, "unknown_appeal", "no appeal " + number);
    e.params = {{"number", number}};
    return e;
}

Error illegalTransition(const Appeal& a, const std::string& action) {
    Error e = makeError(ErrorKind::Conflict, "illegal_transition",
                        "cannot " + action + " an appeal that is " + toString(a.status));
    e.params = {{"number", a.number},
                {"status", toString(a.status)},
                {"status_name", "@appeal.status." + toString(a.status)},
                {"action", action},
                {"message_key", "error.appeal_illegal_transition"}};  // not the ticket's sentence
    return e;
}

std::string maskedLast4(const std::optional<std::string>& phone) {
    if (!phone || phone->size() < 4) return "";
    return "…" + phone->substr(phone->size() - 4);
}

}  // namespace

// ---- names ----------------------------------------------------------------------------------

std::string toString(AppealType t) {
    switch (t) {
        case AppealType::Complaint:
            return "complaint";
        case AppealType::Request:
            return "request";
        case AppealType::Question:
            return "question";
        case AppealType::Suggestion:
            return "suggestion";
    }
    return "complaint";
}

std::string toString(AppealStatus s) {
    switch (s) {
        case AppealStatus::Registered:
            return "registered";
        case AppealStatus::Assigned:
            return "assigned";
        case AppealStatus::InProgress:
            return "in_progress";
        case AppealStatus::Answered:
            return "answered";
        case AppealStatus::Closed:
            return "closed";
    }
    return "registered";
}

std::string toString(ReplyChannel c) {
    switch (c) {
        case ReplyChannel::Phone:
            return "phone";
        case ReplyChannel::Email:
            return "email";
        case ReplyChannel::Letter:
            return "letter";
        case ReplyChannel::Sms:
            return "sms";
    }
    return "phone";
}

std::optional<AppealType> appealTypeFromString(std::string_view s) {
    for (AppealType t : {AppealType::Complaint, AppealType::Request, AppealType::Question,
                         AppealType::Suggestion}) {
        if (toString(t) == s) return t;
    }
    return std::nullopt;
}

std::optional<AppealStatus> appealStatusFromString(std::string_view s) {
    for (AppealStatus t :
         {AppealStatus::Registered, AppealStatus::Assigned, AppealStatus::InProgress,
          AppealStatus::Answered, AppealStatus::Closed}) {
        if (toString(t) == s) return t;
    }
    return std::nullopt;
}

std::optional<ReplyChannel> replyChannelFromString(std::string_view s) {
    for (ReplyChannel t :
         {ReplyChannel::Phone, ReplyChannel::Email, ReplyChannel::Letter, ReplyChannel::Sms}) {
        if (toString(t) == s) return t;
    }
    return std::nullopt;
}

bool allowedTransition(AppealStatus from, AppealStatus to) {
    using S = AppealStatus;
    switch (from) {
        case S::Registered:
            return to == S::Assigned;
        case S::Assigned:
            return to == S::Assigned || to == S::InProgress;
        case S::InProgress:
            return to == S::InProgress || to == S::Answered;  // reassigned / answered
        case S::Answered:
            return to == S::Closed;
        case S::Closed:
            return false;
    }
    return false;
}

std::optional<std::string> canonicalAppealNumber(std::string_view typed, const std::string& prefix) {
    const std::string rest = upperCase(typed);
    const std::string upperPrefix = upperCase(prefix);
    size_t i = 0;
    auto skipSpaces = [&] {
        while (i < rest.size() && (rest[i] == ' ' || rest[i] == '#')) ++i;
        if (rest.compare(i, 3, "\xE2\x84\x96") == 0) {  // №
            i += 3;
            while (i < rest.size() && rest[i] == ' ') ++i;
        }
    };
    skipSpaces();
    if (!upperPrefix.empty() && rest.compare(i, upperPrefix.size(), upperPrefix) == 0) i += upperPrefix.size();
    // Groups of digits between separators: "2026000123", "2026-123", "2026 / 000123".
    std::vector<std::string> groups(1);
    for (; i < rest.size(); ++i) {
        const char c = rest[i];
        if (c >= '0' && c <= '9') {
            groups.back() += c;
        } else if (c == ' ' || c == '-' || c == '/' || c == '.') {
            if (!groups.back().empty()) groups.emplace_back();
        } else {
            return std::nullopt;
        }
    }
    if (groups.back().empty()) groups.pop_back();
    std::string year, seq;
    if (groups.size() == 1 && groups[0].size() >= 10) {
        year = groups[0].substr(0, 4);
        seq = groups[0].substr(4);
    } else if (groups.size() == 2 && groups[0].size() == 4) {
        year = groups[0];
        seq = groups[1];
    } else {
        return std::nullopt;
    }
    if (seq.empty() || seq.size() > 9) return std::nullopt;
    const int64_t n = std::stoll(seq);
    if (n < 1) return std::nullopt;
    return appealNumber(prefix, std::stoi(year), n);
}

std::string appealNumber(const std::string& prefix, int year, int64_t seq) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "-%04d-%06lld", year, static_cast<long long>(seq));
    return prefix + buf;
}

std::optional<std::string> normalizePhone(std::string_view phone) {
    std::string out;
    size_t digits = 0;
    for (size_t i = 0; i < phone.size(); ++i) {
        const char c = phone[i];
        if (c >= '0' && c <= '9') {
            out += c;
            ++digits;
        } else if (c == '+' && out.empty() && digits == 0) {
            out += c;
        } else if (c != ' ' && c != '-' && c != '(' && c != ')') {
            return std::nullopt;
        }
    }
    if (digits < 10 || digits > 15) return std::nullopt;
    return out;
}

bool validEmail(std::string_view email) {
    if (email.size() < 6 || email.size() > 254) return false;
    const size_t at = email.find('@');
    if (at == std::string_view::npos || at == 0 ||
        email.find('@', at + 1) != std::string_view::npos)
        return false;
    const std::string_view local = email.substr(0, at);
    const std::string_view domain = email.substr(at + 1);
    if (local.size() > 64 || local.front() == '.' || local.back() == '.' ||
        local.find("..") != std::string_view::npos) {
        return false;
    }
    const std::string_view localChars = "!#$%&'*+/=?^_`{|}~.-";
    for (char c : local) {
        const bool alnum =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && localChars.find(c) == std::string_view::npos) return false;
    }
    // Labels of letters, digits and '-', not starting or ending with '-'; a top level of letters.
    size_t labels = 0, start = 0;
    while (start <= domain.size()) {
        size_t dot = domain.find('.', start);
        if (dot == std::string_view::npos) dot = domain.size();
        const std::string_view label = domain.substr(start, dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
            return false;
        for (char c : label) {
            const bool alnum =
                (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alnum && c != '-') return false;
        }
        ++labels;
        if (dot == domain.size()) {
            if (label.size() < 2) return false;
            for (char c : label) {
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
            }
            break;
        }
        start = dot + 1;
    }
    return labels >= 2;
}

// ---- the store ------------------------------------------------------------------------------

Result<std::unique_ptr<AppealStore>> AppealStore::create(QueueStore& store, const Clock& clock,
                                                         const ServerConfig& config) {
    std::vector<std::string> holidays = config.day.holidays;
    holidays.insert(holidays.end(), config.appeals.extraHolidays.begin(),
                    config.appeals.extraHolidays.end());
    Result<WorkingDays> days =
        WorkingDays::create(config.appeals.weekends, holidays, config.appeals.workingDays);
    if (!days) return days.error();
    return std::unique_ptr<AppealStore>(
        new AppealStore(store, clock, config.appeals, std::move(days).value()));
}

std::chrono::sys_days AppealStore::today() const {
    const std::string date = m_store.calendar().local(m_clock.wallNow()).date;
    return parseIsoDate(date).value_or(std::chrono::floor<std::chrono::days>(m_clock.wallNow()));
}

Result<bool> AppealStore::knownKey(const std::string& key) {
    bool known = false;
    Status st = m_store.readStep([&](SQLite::Database& db) {
        SQLite::Statement q(db, "SELECT 1 FROM appeals WHERE idempotency_key = ?");
        q.bind(1, key);
        known = q.executeStep();
    });
    if (!st) return st.error();
    return known;
}

Result<RegisterResult> AppealStore::registerAppeal(const AppealRequest& request) {
    // Every field is checked before the lock: the visitor corrects one thing at a time, in the
    // order the kiosk asks for them.
    if (!validIdempotencyKey(request.idempotencyKey))
        return badField("detail.idempotency_key_required");
    const auto type = appealTypeFromString(request.type);
    if (!type) return badField("detail.appeal_type");
    const AppealCategoryConfig* category = m_config.category(request.category);
    if (!category) {
        std::string list;
        for (const auto& c : m_config.categories) list += (list.empty() ? "" : ", ") + c.id;
        Error e = badField("detail.appeal_category");
        e.params.push_back({"categories", list});
        return e;
    }
    std::string text, name;
    if (auto p = checkText(request.text, kAppealTextMax, true, text); p != TextProblem::None) {
        return textError("appeal_text", p, kAppealTextMax);
    }
    if (auto p = checkText(request.name, kAppealNameMax, false, name); p != TextProblem::None) {
        if (p == TextProblem::Empty || p == TextProblem::TooLong)
            return textError("appeal_name", p, kAppealNameMax);
        return badField("detail.appeal_name_invalid");
    }
    const bool hasPhone = request.phone && !request.phone->empty();
    const bool hasEmail = request.email && !request.email->empty();
    if (!hasPhone && !hasEmail) return badField("detail.appeal_contact_required");
    std::optional<std::string> phone;
    if (hasPhone) {
        phone = normalizePhone(*request.phone);
        if (!phone) return badField("detail.appeal_phone");
    }
    if (hasEmail && !validEmail(*request.email)) return badField("detail.appeal_email");
    std::optional<std::string> address;
    if (request.address && !request.address->empty()) {
        std::string kept;
        if (checkText(*request.address, 300, false, kept) != TextProblem::None) {
            return badField("detail.appeal_address");
        }
        address = kept;
    }
    const auto channel = replyChannelFromString(request.replyChannel);
    if (!channel) return badField("detail.appeal_reply_channel");
    const bool reachable = (*channel == ReplyChannel::Phone || *channel == ReplyChannel::Sms)
                               ? phone.has_value()
                           : *channel == ReplyChannel::Email ? hasEmail
                                                             : address.has_value();
    if (!reachable) {
        Error e = badField("detail.appeal_channel_contact");
        e.params.push_back({"channel", toString(*channel)});
        return e;
    }
    if (!request.consent) return badField("detail.appeal_consent");
    if (request.account && !validAccountNumber(*request.account))
        return badField("detail.account_number");
    if (request.localCode && !validLocalCodeText(*request.localCode))
        return badField("detail.appeal_local_code");

    const std::string fingerprint = json{
        {"type", request.type},
        {"category", request.category},
        {"urgent", request.urgent},
        {"text", request.text},
        {"name", request.name},
        {"phone", request.phone.value_or("")},
        {"email", request.email.value_or("")},
        {"address", request.address.value_or("")},
        {"reply_channel", request.replyChannel},
        {"account", request.account.value_or("")},
        {"local_code", request.localCode.value_or(
                           "")}}.dump();
    const bool urgent = category->urgent || request.urgent;
    const int deadline = request.urgent ? 0 : category->deadlineWorkingDays;
    const BusinessCalendar& calendar = m_store.calendar();

    std::string number, registeredOn, dueOn;
    int year = 0;
    int64_t seq = 0;
    Status st = m_store.writeStep(
        [&](SQLite::Database& db, WallTime now) -> Status {
            SQLite::Statement key(
                db, "SELECT number, fingerprint FROM appeals WHERE idempotency_key = ?");
            key.bind(1, request.idempotencyKey);
            if (key.executeStep()) {
                if (key.getColumn(1).getString() != fingerprint) {
                    return makeError(ErrorKind::Conflict, "idempotency_conflict",
                                     "key used for another request");
                }
                number = key.getColumn(0).getString();
                return makeError(ErrorKind::Internal, kReplay, "");
            }
            registeredOn = calendar.local(now).date;
            const auto day = parseIsoDate(registeredOn);
            if (!day) return makeError(ErrorKind::Internal, "storage", "no local date");
            Result<std::chrono::sys_days> due = m_days.addWorkingDays(*day, deadline);
            if (!due) return due.error();
            dueOn = isoDate(due.value());
            year = std::stoi(registeredOn.substr(0, 4));
            SQLite::Statement last(db, "SELECT last FROM appeal_sequences WHERE year = ?");
            last.bind(1, year);
            seq = last.executeStep() ? last.getColumn(0).getInt64() + 1 : 1;
            number = appealNumber(m_config.numberPrefix, year, seq);
            return okStatus();
        },
        [&](QueueStore::StepWriter& w) {
            SQLite::Database& db = w.db();
            SQLite::Statement ins(
                db,
                "INSERT INTO appeals(number, year, seq, idempotency_key, fingerprint, type, "
                "category, "
                "urgent, status, text, name, phone, phone_last4, email, address, reply_channel, "
                "consent_at, account_number, registered_at, registered_on, due_on, "
                "original_due_on, "
                "kiosk, local_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'registered', ?, ?, ?, ?, ?, "
                "?, ?, "
                "?, ?, ?, ?, ?, ?, ?, ?)");
            ins.bind(1, number);
            ins.bind(2, year);
            ins.bind(3, seq);
            ins.bind(4, request.idempotencyKey);
            ins.bind(5, fingerprint);
            ins.bind(6, toString(*type));
            ins.bind(7, category->id);
            ins.bind(8, urgent ? 1 : 0);
            ins.bind(9, text);
            ins.bind(10, name);
            bindOpt(ins, 11, phone);
            bindOpt(ins, 12,
                    phone ? std::optional(phone->substr(phone->size() - 4)) : std::nullopt);
            bindOpt(ins, 13, hasEmail ? request.email : std::nullopt);
            bindOpt(ins, 14, address);
            ins.bind(15, toString(*channel));
            ins.bind(16, toMillis(w.now()));
            bindOpt(ins, 17, request.account);
            ins.bind(18, toMillis(w.now()));
            ins.bind(19, registeredOn);
            ins.bind(20, dueOn);
            ins.bind(21, dueOn);
            bindOpt(ins, 22, request.kiosk.empty() ? std::nullopt : std::optional(request.kiosk));
            bindOpt(ins, 23, request.localCode);
            ins.exec();
            const int64_t id = db.getLastInsertRowid();
            SQLite::Statement next(db,
                                   "INSERT INTO appeal_sequences(year, last) VALUES (?1, ?2) "
                                   "ON CONFLICT(year) DO UPDATE SET last = excluded.last");
            next.bind(1, year);
            next.bind(2, seq);
            next.exec();
            AppealEvent e;
            e.at = w.now();
            e.author = request.kiosk.empty() ? "visitor" : "kiosk " + request.kiosk;
            e.action = "registered";
            e.toStatus = "registered";
            e.detail = json{{"due_on", dueOn}, {"urgent", urgent}}.dump();
            insertHistory(db, id, e);
            // Staff are alerted at once to an urgent appeal (a safety hazard): no personal data.
            if (urgent) {
                w.emit(
                    "appeal.urgent",
                    json{{"number", number}, {"category", category->id}, {"due_on", dueOn}}.dump());
            }
        });
    bool replayed = false;
    if (!st) {
        if (st.error().code != kReplay) return st.error();
        replayed = true;
    }
    Result<Appeal> stored = get(number);
    if (!stored) return stored.error();
    return RegisterResult{std::move(stored).value(), replayed};
}

Result<Appeal> AppealStore::change(const std::string& number, const std::string& author,
                                   const Step& step) {
    if (!validLogin(author)) return badField("detail.appeal_author");
    int64_t id = 0;
    Appeal before, after;
    AppealEvent event;
    Status st = m_store.writeStep(
        [&](SQLite::Database& db, WallTime now) -> Status {
            auto loaded = loadAppeal(db, number);
            if (!loaded) return unknownAppeal(number);
            id = loaded->first;
            before = loaded->second;
            after = before;
            event = AppealEvent{};
            event.at = now;
            event.author = author;
            event.fromStatus = toString(before.status);
            if (Status s = step.apply(after, event, now); !s) return s.error();
            event.toStatus = toString(after.status);
            return okStatus();
        },
        [&](QueueStore::StepWriter& w) {
            SQLite::Statement up(
                w.db(),
                "UPDATE appeals SET status = ?, due_on = ?, assigned_to = ?, answer = ?, "
                "answer_channel = ?, answered_at = ?, answered_on = ?, closed_at = ?, "
                "satisfaction = ? WHERE id = ?");
            up.bind(1, toString(after.status));
            up.bind(2, after.dueOn);
            bindOpt(up, 3, after.assignedTo);
            bindOpt(up, 4, after.answer);
            bindOpt(
                up, 5,
                after.answerChannel ? std::optional(toString(*after.answerChannel)) : std::nullopt);
            if (after.answeredAt) {
                up.bind(6, toMillis(*after.answeredAt));
                up.bind(7, m_store.calendar().local(*after.answeredAt).date);
            } else {
                up.bind(6);
                up.bind(7);
            }
            if (after.closedAt) {
                up.bind(8, toMillis(*after.closedAt));
            } else {
                up.bind(8);
            }
            if (after.satisfaction) {
                up.bind(9, *after.satisfaction);
            } else {
                up.bind(9);
            }
            up.bind(10, id);
            up.exec();
            insertHistory(w.db(), id, event);
        });
    if (!st) return st.error();
    return get(number);
}

Result<Appeal> AppealStore::assign(const std::string& number, const std::string& assignee,
                                   const std::string& author, const std::string& note) {
    if (!validLogin(assignee)) return badField("detail.appeal_assignee");
    std::string kept;
    if (!note.empty() && checkText(note, kAppealNoteMax, true, kept) != TextProblem::None) {
        return badField("detail.appeal_note");
    }
    return change(number, author, Step{[&](Appeal& a, AppealEvent& e, WallTime) -> Status {
                      const AppealStatus to =
                          a.status == AppealStatus::Registered ? AppealStatus::Assigned : a.status;
                      if (!allowedTransition(a.status, to)) return illegalTransition(a, "assign");
                      e.action = "assigned";
                      e.note = kept;
                      e.detail = json{{"from", a.assignedTo.value_or("")}, {"to", assignee}}.dump();
                      a.assignedTo = assignee;
                      a.status = to;
                      return okStatus();
                  }});
}

Result<Appeal> AppealStore::start(const std::string& number, const std::string& author) {
    return change(number, author, Step{[&](Appeal& a, AppealEvent& e, WallTime) -> Status {
                      if (a.status != AppealStatus::Assigned) return illegalTransition(a, "start");
                      e.action = "started";
                      a.status = AppealStatus::InProgress;
                      return okStatus();
                  }});
}

Result<Appeal> AppealStore::addNote(const std::string& number, const std::string& note,
                                    const std::string& author) {
    std::string kept;
    if (checkText(note, kAppealNoteMax, true, kept) != TextProblem::None)
        return badField("detail.appeal_note");
    return change(number, author, Step{[&](Appeal&, AppealEvent& e, WallTime) -> Status {
                      e.action = "note";
                      e.note = kept;
                      return okStatus();
                  }});
}

Result<Appeal> AppealStore::recordAnswer(const std::string& number, const std::string& text,
                                         const std::string& channel, const std::string& author) {
    std::string kept;
    if (auto p = checkText(text, kAppealTextMax, true, kept); p != TextProblem::None) {
        return textError("appeal_answer", p, kAppealTextMax);
    }
    const auto used = replyChannelFromString(channel);
    if (!used) return badField("detail.appeal_reply_channel");
    return change(number, author, Step{[&](Appeal& a, AppealEvent& e, WallTime now) -> Status {
                      if (!allowedTransition(a.status, AppealStatus::Answered))
                          return illegalTransition(a, "answer");
                      e.action = "answered";
                      e.detail = json{{"channel", toString(*used)}}.dump();
                      a.status = AppealStatus::Answered;
                      a.answer = kept;
                      a.answerChannel = *used;
                      a.answeredAt = now;
                      return okStatus();
                  }});
}

Result<Appeal> AppealStore::extendDeadline(const std::string& number, const std::string& newDue,
                                           const std::string& reason, const std::string& author) {
    const auto due = parseIsoDate(newDue);
    if (!due) return badField("detail.appeal_due_date");
    std::string kept;
    if (checkText(reason, 500, true, kept) != TextProblem::None)
        return badField("detail.appeal_reason");
    if (!m_days.isWorkingDay(*due)) {
        Error e =
            makeError(ErrorKind::Invalid, "appeal_deadline_not_working_day", "not a working day");
        e.params = {{"date", newDue}, {"date_text", dottedDate(newDue)}};
        return e;
    }
    const auto today = this->today();
    return change(number, author, Step{[&](Appeal& a, AppealEvent& e, WallTime) -> Status {
                      if (!isOpen(a.status)) return illegalTransition(a, "extend");
                      if (newDue <= a.dueOn || *due < today) {
                          Error err = makeError(ErrorKind::Invalid, "appeal_deadline_not_later",
                                                "not later than the deadline");
                          err.params = {{"due", a.dueOn}, {"due_text", dottedDate(a.dueOn)}};
                          return err;
                      }
                      e.action = "deadline_extended";
                      e.note = kept;
                      e.detail = json{{"from", a.dueOn}, {"to", newDue}}.dump();
                      a.dueOn = newDue;
                      return okStatus();
                  }});
}

Result<Appeal> AppealStore::close(const std::string& number, int satisfaction,
                                  const std::string& author, const std::string& note) {
    if (satisfaction < 1 || satisfaction > 5) return badField("detail.appeal_satisfaction");
    std::string kept;
    if (!note.empty() && checkText(note, kAppealNoteMax, true, kept) != TextProblem::None) {
        return badField("detail.appeal_note");
    }
    return change(number, author, Step{[&](Appeal& a, AppealEvent& e, WallTime now) -> Status {
                      if (!allowedTransition(a.status, AppealStatus::Closed))
                          return illegalTransition(a, "close");
                      e.action = "closed";
                      e.note = kept;
                      e.detail = json{{"satisfaction", satisfaction}}.dump();
                      a.status = AppealStatus::Closed;
                      a.satisfaction = satisfaction;
                      a.closedAt = now;
                      return okStatus();
                  }});
}

Result<Appeal> AppealStore::get(const std::string& number) {
    std::optional<std::pair<int64_t, Appeal>> loaded;
    Status st = m_store.readStep([&](SQLite::Database& db) { loaded = loadAppeal(db, number); });
    if (!st) return st.error();
    if (!loaded) return unknownAppeal(number);
    return std::move(loaded->second);
}

Result<AppealStatusView> AppealStore::statusCheck(const std::string& numberOrCode,
                                                  const std::string& last4) {
    const bool fourDigits =
        last4.size() == 4 &&
        std::all_of(last4.begin(), last4.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!fourDigits) return badField("detail.appeal_phone_last4");
    const Error notFound = makeError(ErrorKind::NotFound, "appeal_status_not_found",
                                     "no appeal with this number and phone");
    if (numberOrCode.empty() || numberOrCode.size() > 64) return notFound;
    std::optional<AppealStatusView> found;
    Status st = m_store.readStep([&](SQLite::Database& db) {
        // Local codes of different kiosks may repeat: the digits decide, the newest first.
        SQLite::Statement q(db,
                            "SELECT number, status, due_on, phone_last4 FROM appeals "
                            "WHERE number IN (?1, ?2) OR local_code = ?1 ORDER BY id DESC LIMIT 20");
        q.bind(1, numberOrCode);
        q.bind(2, canonicalAppealNumber(numberOrCode, m_config.numberPrefix).value_or(numberOrCode));
        while (!found && q.executeStep()) {
            if (q.getColumn(3).isNull() || q.getColumn(3).getString() != last4) continue;
            AppealStatusView v;
            v.number = q.getColumn(0).getString();
            v.status = appealStatusFromString(q.getColumn(1).getString())
                           .value_or(AppealStatus::Registered);
            v.dueOn = q.getColumn(2).getString();
            found = v;
        }
    });
    if (!st) return st.error();
    if (!found) return notFound;
    return *found;
}

Result<std::vector<AppealSummary>> AppealStore::list(const AppealFilter& filter) {
    if ((filter.from && !validIsoDate(*filter.from)) || (filter.to && !validIsoDate(*filter.to)) ||
        (filter.from && filter.to && *filter.from > *filter.to)) {
        return badField("detail.appeal_filter_dates");
    }
    if (filter.limit < 1 || filter.limit > 1000) return badField("detail.appeal_filter_limit");
    const auto today = this->today();
    std::optional<std::string> dueBy;
    if (filter.dueWithinWorkingDays) {
        Result<std::chrono::sys_days> by =
            m_days.addWorkingDays(today, *filter.dueWithinWorkingDays);
        if (!by) return badField("detail.appeal_filter_due");
        dueBy = isoDate(by.value());
    }
    const std::string todayText = isoDate(today);
    std::string sql =
        "SELECT number, type, category, urgent, status, registered_at, registered_on, due_on, "
        "assigned_to, name, phone FROM appeals WHERE 1 = 1";
    std::vector<std::string> args;
    if (filter.status) {
        sql += " AND status = ?";
        args.push_back(toString(*filter.status));
    }
    if (filter.category) {
        sql += " AND category = ?";
        args.push_back(*filter.category);
    }
    const std::string open = " AND status IN ('registered', 'assigned', 'in_progress')";
    if (filter.overdueOnly) {
        sql += open + " AND due_on < ?";
        args.push_back(todayText);
    }
    if (dueBy) {
        sql += open + " AND due_on >= ? AND due_on <= ?";
        args.push_back(todayText);
        args.push_back(*dueBy);
    }
    if (filter.from) {
        sql += " AND registered_on >= ?";
        args.push_back(*filter.from);
    }
    if (filter.to) {
        sql += " AND registered_on <= ?";
        args.push_back(*filter.to);
    }
    sql += " ORDER BY registered_at DESC, id DESC LIMIT " + std::to_string(filter.limit);
    std::vector<AppealSummary> rows;
    Status st = m_store.readStep([&](SQLite::Database& db) {
        SQLite::Statement q(db, sql);
        for (size_t i = 0; i < args.size(); ++i) q.bind(static_cast<int>(i + 1), args[i]);
        while (q.executeStep()) {
            AppealSummary s;
            s.number = q.getColumn(0).getString();
            s.type =
                appealTypeFromString(q.getColumn(1).getString()).value_or(AppealType::Complaint);
            s.category = q.getColumn(2).getString();
            s.urgent = q.getColumn(3).getInt() != 0;
            s.status = appealStatusFromString(q.getColumn(4).getString())
                           .value_or(AppealStatus::Registered);
            s.registeredAt = fromMillis(q.getColumn(5).getInt64());
            s.registeredOn = q.getColumn(6).getString();
            s.dueOn = q.getColumn(7).getString();
            s.assignedTo = optText(q.getColumn(8));
            s.initials = holderInitials(optText(q.getColumn(9)).value_or(""));
            s.phoneLast4 = maskedLast4(optText(q.getColumn(10)));
            const auto due = parseIsoDate(s.dueOn).value_or(today);
            s.overdue = isOpen(s.status) && due < today;
            s.workingDaysLeft = m_days.workingDaysBetween(today, due);
            rows.push_back(std::move(s));
        }
    });
    if (!st) return st.error();
    return rows;
}

Result<std::vector<AppealSummary>> AppealStore::overdue() {
    AppealFilter f;
    f.overdueOnly = true;
    f.limit = 1000;
    return list(f);
}

Result<std::vector<AppealSummary>> AppealStore::dueSoon() {
    AppealFilter f;
    f.dueWithinWorkingDays = m_config.dueSoonWorkingDays;
    f.limit = 1000;
    return list(f);
}

Result<AppealReport> AppealStore::report(const std::string& from, const std::string& to) {
    if (!validIsoDate(from) || !validIsoDate(to) || from > to)
        return badField("detail.appeal_filter_dates");
    const std::string todayText = isoDate(today());
    AppealReport r;
    r.from = from;
    r.to = to;
    std::map<std::string, CategoryReport> by;
    std::map<std::string, std::pair<int64_t, int64_t>> scores;  // category → (sum, count)
    Status st = m_store.readStep([&](SQLite::Database& db) {
        SQLite::Statement q(
            db,
            "SELECT category, status, urgent, type, due_on, answered_on, satisfaction "
            "FROM appeals WHERE registered_on >= ? AND registered_on <= ?");
        q.bind(1, from);
        q.bind(2, to);
        while (q.executeStep()) {
            const std::string category = q.getColumn(0).getString();
            CategoryReport& c = by[category];
            c.category = category;
            ++c.total;
            const auto status = appealStatusFromString(q.getColumn(1).getString())
                                    .value_or(AppealStatus::Registered);
            const std::string due = q.getColumn(4).getString();
            if (isOpen(status)) {
                ++c.open;
                if (due < todayText) ++c.overdue;
            } else {
                ++c.answered;
                if (!q.getColumn(5).isNull() && q.getColumn(5).getString() <= due)
                    ++c.answeredOnTime;
            }
            if (q.getColumn(2).getInt() != 0) ++c.urgent;
            if (q.getColumn(3).getString() == "complaint") ++c.complaints;
            if (!q.getColumn(6).isNull()) {
                scores[category].first += q.getColumn(6).getInt();
                scores[category].second += 1;
            }
        }
    });
    if (!st) return st.error();
    for (auto& [id, c] : by) {
        if (auto it = scores.find(id); it != scores.end() && it->second.second > 0) {
            c.satisfaction =
                static_cast<double>(it->second.first) / static_cast<double>(it->second.second);
        }
        r.total += c.total;
    }
    // Every configured category appears (a zero is a figure too), then any no longer configured.
    for (const auto& cat : m_config.categories) {
        CategoryReport c;
        c.category = cat.id;
        if (auto it = by.find(cat.id); it != by.end()) {
            c = it->second;
            by.erase(it);
        }
        r.categories.push_back(std::move(c));
    }
    for (auto& [id, c] : by) r.categories.push_back(std::move(c));
    r.ranking = r.categories;
    std::stable_sort(r.ranking.begin(), r.ranking.end(),
                     [](const CategoryReport& a, const CategoryReport& b) {
                         if (a.total != b.total) return a.total > b.total;
                         return a.category < b.category;
                     });
    return r;
}

Result<int64_t> AppealStore::removeExpiredPersonalData() {
    const int64_t cutoff = toMillis(m_clock.wallNow() - std::chrono::days{m_config.retentionDays});
    int64_t cleared = 0;
    Status st = m_store.writeStep(
        [&](SQLite::Database& db, WallTime) -> Status {
            SQLite::Statement q(
                db,
                "SELECT COUNT(*) FROM appeals WHERE status = 'closed' AND closed_at < ? "
                "AND personal_data_removed_at IS NULL");
            q.bind(1, cutoff);
            q.executeStep();
            cleared = q.getColumn(0).getInt64();
            return okStatus();
        },
        [&](QueueStore::StepWriter& w) {
            if (cleared == 0) return;
            SQLite::Statement notes(
                w.db(),
                "UPDATE appeal_history SET note = NULL WHERE appeal_id IN (SELECT id FROM "
                "appeals WHERE status = 'closed' AND closed_at < ? AND "
                "personal_data_removed_at IS NULL)");
            notes.bind(1, cutoff);
            notes.exec();
            SQLite::Statement up(
                w.db(),
                "UPDATE appeals SET text = NULL, name = NULL, phone = NULL, phone_last4 = NULL, "
                "email = NULL, address = NULL, account_number = NULL, answer = NULL, "
                "personal_data_removed_at = ? WHERE status = 'closed' AND closed_at < ? AND "
                "personal_data_removed_at IS NULL");
            up.bind(1, toMillis(w.now()));
            up.bind(2, cutoff);
            up.exec();
        });
    if (!st) return st.error();
    return cleared;
}

}  // namespace talon::server
