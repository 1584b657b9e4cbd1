// AppealStore on a real SQLite file with a fake clock in Moscow time: registration with its
// number and deadline, every field's validation (nothing stored on a refusal), the lifecycle
// with illegal transitions, deadline extension, numbering per year across the year end,
// idempotency keys, the visitor's status check (uniform misses), the register's filters with
// masked personal data, the report and ranking, and removal of personal data after retention.
// AppealsConfigTest: the [appeals] config section.
#include "talon/server/appeal_store.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <tuple>

#include "../support/fake_clock.h"
#include "../support/server_process.h"
#include "talon/common/paths.h"
#include "talon/server/database.h"

namespace talon::server {
namespace {

using namespace std::chrono_literals;

std::string param(const Error& e, const std::string& name) {
    for (const auto& [k, v] : e.params) {
        if (k == name) return v;
    }
    return "<none>";
}

AppealRequest complaint(const std::string& key, const std::string& category = "billing") {
    AppealRequest r;
    r.idempotencyKey = key;
    r.type = "complaint";
    r.category = category;
    r.text = "Счёт за ноябрь выставлен дважды.\nПрошу пересчитать.";
    r.name = "Иванов Пётр Сергеевич";
    r.phone = "+7 (912) 345-67-89";
    r.replyChannel = "phone";
    r.consent = true;
    r.kiosk = "hall-1";
    return r;
}

std::string repeat(const std::string& s, size_t n) {
    std::string out;
    for (size_t i = 0; i < n; ++i) out += s;
    return out;
}

class AppealStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_config = demoConfig();
        m_config.database = (m_dir.path() / "talon.db").string();
        m_config.day.timezone = "Europe/Moscow";
        m_clock.setWall(*parseIso("2026-11-20T09:00:00.000Z"));  // Friday, 12:00 in Moscow
        open();
    }
    void open() {
        m_appeals.reset();
        m_store.reset();
        auto s = QueueStore::open(m_config, m_hub, m_clock);
        ASSERT_TRUE(s.ok()) << s.error().message;
        m_store = std::move(s).value();
        auto a = AppealStore::create(*m_store, m_clock, m_config);
        ASSERT_TRUE(a.ok()) << a.error().message;
        m_appeals = std::move(a).value();
    }
    int64_t count(const std::string& sql) {
        int64_t n = -1;
        EXPECT_TRUE(
            m_store->readStep([&](SQLite::Database& db) { n = db.execAndGet(sql).getInt64(); })
                .ok());
        return n;
    }
    std::string registerOne(const AppealRequest& r) {
        auto a = m_appeals->registerAppeal(r);
        EXPECT_TRUE(a.ok()) << (a.ok() ? "" : a.error().code + " " + param(a.error(), "detail"));
        return a.ok() ? a.value().appeal.number : "";
    }
    void setLocal(const char* isoUtc) { m_clock.setWall(*parseIso(isoUtc)); }
    /// Registers an appeal and moves it to `status` through the legal steps.
    std::string appealIn(AppealStatus status, const std::string& key) {
        const std::string n = registerOne(complaint(key));
        if (status == AppealStatus::Registered) return n;
        EXPECT_TRUE(m_appeals->assign(n, "ivanova", "admin").ok());
        if (status == AppealStatus::Assigned) return n;
        EXPECT_TRUE(m_appeals->start(n, "ivanova").ok());
        if (status == AppealStatus::InProgress) return n;
        EXPECT_TRUE(m_appeals->recordAnswer(n, "Пересчитали.", "phone", "ivanova").ok());
        if (status == AppealStatus::Answered) return n;
        EXPECT_TRUE(m_appeals->close(n, 4, "ivanova").ok());
        return n;
    }

    test::TempDir m_dir;
    test::FakeClock m_clock;
    EventHub m_hub;
    ServerConfig m_config;
    std::unique_ptr<QueueStore> m_store;
    std::unique_ptr<AppealStore> m_appeals;
};

TEST_F(AppealStoreTest, RegistersWithNumberDeadlineAndHistory) {
    auto r = m_appeals->registerAppeal(complaint("k1"));
    ASSERT_TRUE(r.ok()) << r.error().code << " " << param(r.error(), "detail");
    EXPECT_FALSE(r.value().replayed);
    const Appeal& a = r.value().appeal;
    EXPECT_EQ(a.number, "Ж-2026-000001");
    EXPECT_EQ(a.type, AppealType::Complaint);
    EXPECT_EQ(a.category, "billing");
    EXPECT_FALSE(a.urgent);
    EXPECT_EQ(a.status, AppealStatus::Registered);
    EXPECT_EQ(a.text, "Счёт за ноябрь выставлен дважды.\nПрошу пересчитать.");
    EXPECT_EQ(a.name, "Иванов Пётр Сергеевич");
    EXPECT_EQ(a.phone, "+79123456789");
    EXPECT_EQ(a.replyChannel, ReplyChannel::Phone);
    EXPECT_EQ(a.registeredOn, "2026-11-20");
    EXPECT_EQ(a.registeredAt, m_clock.wallNow());
    EXPECT_EQ(a.dueOn, "2026-12-04");  // Friday + 10 working days
    EXPECT_EQ(a.originalDueOn, "2026-12-04");
    ASSERT_EQ(a.history.size(), 1u);
    EXPECT_EQ(a.history[0].action, "registered");
    EXPECT_EQ(a.history[0].author, "kiosk hall-1");
    EXPECT_EQ(a.history[0].toStatus, "registered");
    EXPECT_EQ(a.history[0].at, m_clock.wallNow());
    EXPECT_EQ(registerOne(complaint("k2", "meters")), "Ж-2026-000002");
    EXPECT_EQ(count("SELECT COUNT(*) FROM events WHERE type = 'appeal.urgent'"), 0);
}

TEST_F(AppealStoreTest, SafetyHazardIsUrgentSameWorkingDayAndAlertsStaff) {
    auto r = m_appeals->registerAppeal(complaint("k1", "safety_hazard"));
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r.value().appeal.urgent);
    EXPECT_EQ(r.value().appeal.dueOn, "2026-11-20");
    EXPECT_EQ(count("SELECT COUNT(*) FROM events WHERE type = 'appeal.urgent'"), 1);
    EXPECT_EQ(
        count("SELECT COUNT(*) FROM events WHERE type = 'appeal.urgent' AND data LIKE '%Иванов%'"),
        0);
    // Registered on Saturday: due on Monday, the next working day.
    setLocal("2026-11-21T09:00:00.000Z");
    auto sat = m_appeals->registerAppeal(complaint("k2", "safety_hazard"));
    ASSERT_TRUE(sat.ok());
    EXPECT_EQ(sat.value().appeal.dueOn, "2026-11-23");
    // A normal category raised to urgent is due the same working day too.
    AppealRequest raised = complaint("k3", "other");
    raised.urgent = true;
    auto u = m_appeals->registerAppeal(raised);
    ASSERT_TRUE(u.ok());
    EXPECT_TRUE(u.value().appeal.urgent);
    EXPECT_EQ(u.value().appeal.dueOn, "2026-11-23");
    // A normal category on Saturday counts from Monday.
    auto normal = m_appeals->registerAppeal(complaint("k4", "other"));
    ASSERT_TRUE(normal.ok());
    EXPECT_EQ(normal.value().appeal.dueOn, "2026-12-07");
}

struct FieldCase {
    const char* name;
    std::function<void(AppealRequest&)> change;
    const char* detail;
};

TEST_F(AppealStoreTest, EveryFieldIsValidatedAndNothingIsStored) {
    const std::vector<FieldCase> cases = {
        {"no idempotency key", [](AppealRequest& r) { r.idempotencyKey = ""; },
         "detail.idempotency_key_required"},
        {"key with a newline", [](AppealRequest& r) { r.idempotencyKey = "a\nb"; },
         "detail.idempotency_key_required"},
        {"empty type", [](AppealRequest& r) { r.type = ""; }, "detail.appeal_type"},
        {"unknown type", [](AppealRequest& r) { r.type = "praise"; }, "detail.appeal_type"},
        {"unknown category", [](AppealRequest& r) { r.category = "weather"; },
         "detail.appeal_category"},
        {"empty text", [](AppealRequest& r) { r.text = ""; }, "detail.appeal_text_empty"},
        {"blank text", [](AppealRequest& r) { r.text = "  \n "; }, "detail.appeal_text_empty"},
        {"text too long", [](AppealRequest& r) { r.text = repeat("ж", 2001); },
         "detail.appeal_text_length"},
        {"text invalid UTF-8", [](AppealRequest& r) { r.text = "счёт \xff"; },
         "detail.appeal_text_utf8"},
        {"text overlong UTF-8", [](AppealRequest& r) { r.text = "a\xc0\xaf"; },
         "detail.appeal_text_utf8"},
        {"text cut in a letter", [](AppealRequest& r) { r.text = "сч\xd1"; },
         "detail.appeal_text_utf8"},
        {"text control char", [](AppealRequest& r) { r.text = "abc\x01"; },
         "detail.appeal_text_control"},
        {"text tab", [](AppealRequest& r) { r.text = "a\tb"; }, "detail.appeal_text_control"},
        {"text carriage return", [](AppealRequest& r) { r.text = "a\r\nb"; },
         "detail.appeal_text_control"},
        {"empty name", [](AppealRequest& r) { r.name = ""; }, "detail.appeal_name_empty"},
        {"name too long", [](AppealRequest& r) { r.name = repeat("Я", 101); },
         "detail.appeal_name_length"},
        {"name two lines", [](AppealRequest& r) { r.name = "Иван\nИванов"; },
         "detail.appeal_name_invalid"},
        {"name invalid UTF-8", [](AppealRequest& r) { r.name = "\xfe"; },
         "detail.appeal_name_invalid"},
        {"no contact",
         [](AppealRequest& r) {
             r.phone.reset();
             r.email.reset();
         },
         "detail.appeal_contact_required"},
        {"empty contacts",
         [](AppealRequest& r) {
             r.phone = "";
             r.email = "";
         },
         "detail.appeal_contact_required"},
        {"short phone", [](AppealRequest& r) { r.phone = "12345"; }, "detail.appeal_phone"},
        {"phone with letters", [](AppealRequest& r) { r.phone = "+7 912 CALL ME"; },
         "detail.appeal_phone"},
        {"phone plus inside", [](AppealRequest& r) { r.phone = "8912+3456789"; },
         "detail.appeal_phone"},
        {"phone 16 digits", [](AppealRequest& r) { r.phone = "1234567890123456"; },
         "detail.appeal_phone"},
        {"e-mail without @", [](AppealRequest& r) { r.email = "petr.example.com"; },
         "detail.appeal_email"},
        {"e-mail two @", [](AppealRequest& r) { r.email = "a@b@example.com"; },
         "detail.appeal_email"},
        {"e-mail no domain dot", [](AppealRequest& r) { r.email = "petr@localhost"; },
         "detail.appeal_email"},
        {"e-mail double dot", [](AppealRequest& r) { r.email = "petr@mail..ru"; },
         "detail.appeal_email"},
        {"e-mail space", [](AppealRequest& r) { r.email = "pe tr@mail.ru"; },
         "detail.appeal_email"},
        {"e-mail script", [](AppealRequest& r) { r.email = "<script>@mail.ru"; },
         "detail.appeal_email"},
        {"e-mail numeric tld", [](AppealRequest& r) { r.email = "petr@mail.r1"; },
         "detail.appeal_email"},
        {"e-mail hyphen label", [](AppealRequest& r) { r.email = "petr@-mail.ru"; },
         "detail.appeal_email"},
        {"unknown channel", [](AppealRequest& r) { r.replyChannel = "fax"; },
         "detail.appeal_reply_channel"},
        {"e-mail reply without e-mail", [](AppealRequest& r) { r.replyChannel = "email"; },
         "detail.appeal_channel_contact"},
        {"sms without phone",
         [](AppealRequest& r) {
             r.phone.reset();
             r.email = "petr@mail.ru";
             r.replyChannel = "sms";
         },
         "detail.appeal_channel_contact"},
        {"letter without address", [](AppealRequest& r) { r.replyChannel = "letter"; },
         "detail.appeal_channel_contact"},
        {"address two lines",
         [](AppealRequest& r) {
             r.address = "ул. Ленина\nд. 5";
             r.replyChannel = "letter";
         },
         "detail.appeal_address"},
        {"no consent", [](AppealRequest& r) { r.consent = false; }, "detail.appeal_consent"},
        {"account too short", [](AppealRequest& r) { r.account = "12345"; },
         "detail.account_number"},
        {"account with a letter", [](AppealRequest& r) { r.account = "12345A"; },
         "detail.account_number"},
        {"account too long", [](AppealRequest& r) { r.account = repeat("1", 21); },
         "detail.account_number"},
        {"local code lower case", [](AppealRequest& r) { r.localCode = "abc"; },
         "detail.appeal_local_code"},
    };
    for (const FieldCase& c : cases) {
        AppealRequest r = complaint(std::string("key-") + c.name);
        c.change(r);
        auto result = m_appeals->registerAppeal(r);
        ASSERT_FALSE(result.ok()) << c.name;
        EXPECT_EQ(result.error().code, "bad_request") << c.name;
        EXPECT_EQ(param(result.error(), "detail"), c.detail) << c.name;
    }
    EXPECT_EQ(count("SELECT COUNT(*) FROM appeals"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM appeal_history"), 0);
    // A refusal uses no number: the next appeal is the first of the year.
    EXPECT_EQ(registerOne(complaint("ok")), "Ж-2026-000001");
}

TEST_F(AppealStoreTest, AcceptsEdgeValues) {
    AppealRequest r = complaint("k1");
    r.text = "  " + repeat("ж", 2000) + "\n";  // 2000 code points once trimmed
    r.name = repeat("Я", 100);
    r.phone = "8 912 345 67 89";
    r.email = "Petr.Ivanov+kiosk@mail-server.example.ru";
    r.address = "г. Тула, ул. Ленина, д. 5, кв. 12";
    r.replyChannel = "letter";
    r.account = "1000001";
    r.localCode = "K1-0042";
    r.type = "suggestion";
    auto a = m_appeals->registerAppeal(r);
    ASSERT_TRUE(a.ok()) << a.error().code << " " << param(a.error(), "detail");
    EXPECT_EQ(a.value().appeal.text, repeat("ж", 2000));
    EXPECT_EQ(a.value().appeal.phone, "89123456789");
    EXPECT_EQ(a.value().appeal.email, "Petr.Ivanov+kiosk@mail-server.example.ru");
    EXPECT_EQ(a.value().appeal.replyChannel, ReplyChannel::Letter);
    EXPECT_EQ(a.value().appeal.account, "1000001");
    EXPECT_EQ(a.value().appeal.localCode, "K1-0042");
    EXPECT_EQ(a.value().appeal.type, AppealType::Suggestion);
    // E-mail only, answered by e-mail.
    AppealRequest mail = complaint("k2");
    mail.phone.reset();
    mail.email = "petr@mail.ru";
    mail.replyChannel = "email";
    mail.text = "<script>alert(1)</script>";  // stored as typed; the web console escapes it
    auto m = m_appeals->registerAppeal(mail);
    ASSERT_TRUE(m.ok()) << param(m.error(), "detail");
    EXPECT_EQ(m.value().appeal.text, "<script>alert(1)</script>");
    EXPECT_FALSE(m.value().appeal.phone);
}

TEST_F(AppealStoreTest, LifecycleKeepsEveryChangeInHistory) {
    const std::string n = registerOne(complaint("k1"));
    m_clock.advance(1h);
    auto a = m_appeals->assign(n, "ivanova", "admin", "по счетам");
    ASSERT_TRUE(a.ok()) << a.error().code;
    EXPECT_EQ(a.value().status, AppealStatus::Assigned);
    EXPECT_EQ(a.value().assignedTo, "ivanova");
    auto s = m_appeals->start(n, "ivanova");
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s.value().status, AppealStatus::InProgress);
    auto note = m_appeals->addNote(n, "Позвонила, уточнила период.", "ivanova");
    ASSERT_TRUE(note.ok());
    EXPECT_EQ(note.value().status, AppealStatus::InProgress);
    m_clock.advance(24h);
    auto answered = m_appeals->recordAnswer(n, "Счёт пересчитан.", "email", "ivanova");
    ASSERT_TRUE(answered.ok());
    EXPECT_EQ(answered.value().status, AppealStatus::Answered);
    EXPECT_EQ(answered.value().answer, "Счёт пересчитан.");
    EXPECT_EQ(answered.value().answerChannel, ReplyChannel::Email);
    EXPECT_EQ(answered.value().answeredAt, m_clock.wallNow());
    auto closed = m_appeals->close(n, 5, "admin", "доволен");
    ASSERT_TRUE(closed.ok());
    EXPECT_EQ(closed.value().status, AppealStatus::Closed);
    EXPECT_EQ(closed.value().satisfaction, 5);

    const auto& h = closed.value().history;
    ASSERT_EQ(h.size(), 6u);
    const std::vector<std::tuple<std::string, std::string, std::string, std::string>> expected = {
        {"registered", "kiosk hall-1", "registered", ""},
        {"assigned", "admin", "assigned", "по счетам"},
        {"started", "ivanova", "in_progress", ""},
        {"note", "ivanova", "in_progress", "Позвонила, уточнила период."},
        {"answered", "ivanova", "answered", ""},
        {"closed", "admin", "closed", "доволен"}};
    for (size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(h[i].action, std::get<0>(expected[i])) << i;
        EXPECT_EQ(h[i].author, std::get<1>(expected[i])) << i;
        EXPECT_EQ(h[i].toStatus, std::get<2>(expected[i])) << i;
        EXPECT_EQ(h[i].note, std::get<3>(expected[i])) << i;
    }
    EXPECT_EQ(h[1].fromStatus, "registered");
    EXPECT_NE(h[1].detail.find("ivanova"), std::string::npos);
    EXPECT_NE(h[4].detail.find("email"), std::string::npos);
    EXPECT_NE(h[5].detail.find("5"), std::string::npos);
    EXPECT_EQ(h[1].at + 24h, h[4].at);

    // Reassigning an appeal in progress keeps it in progress, recorded.
    const std::string m = appealIn(AppealStatus::InProgress, "k2");
    auto re = m_appeals->assign(m, "petrov", "admin");
    ASSERT_TRUE(re.ok());
    EXPECT_EQ(re.value().status, AppealStatus::InProgress);
    EXPECT_EQ(re.value().assignedTo, "petrov");
    EXPECT_EQ(re.value().history.back().action, "assigned");
}

TEST_F(AppealStoreTest, IllegalTransitionsAreRefusedAndStoreNothing) {
    using S = AppealStatus;
    struct Case {
        S status;
        const char* action;
        bool ok;
    };
    const std::vector<Case> cases = {
        {S::Registered, "start", false}, {S::Registered, "answer", false},
        {S::Registered, "close", false}, {S::Registered, "assign", true},
        {S::Registered, "extend", true}, {S::Assigned, "answer", false},
        {S::Assigned, "close", false},   {S::Assigned, "start", true},
        {S::InProgress, "start", false}, {S::InProgress, "close", false},
        {S::InProgress, "answer", true}, {S::Answered, "assign", false},
        {S::Answered, "start", false},   {S::Answered, "answer", false},
        {S::Answered, "extend", false},  {S::Answered, "close", true},
        {S::Closed, "assign", false},    {S::Closed, "start", false},
        {S::Closed, "answer", false},    {S::Closed, "extend", false},
        {S::Closed, "close", false},     {S::Closed, "note", true},
    };
    int k = 0;
    for (const Case& c : cases) {
        const std::string n = appealIn(c.status, "k" + std::to_string(k++));
        const size_t before = m_appeals->get(n).value().history.size();
        const std::string action = c.action;
        Result<Appeal> r =
            action == "assign"   ? m_appeals->assign(n, "petrov", "admin")
            : action == "start"  ? m_appeals->start(n, "admin")
            : action == "answer" ? m_appeals->recordAnswer(n, "Ответ.", "phone", "admin")
            : action == "close"  ? m_appeals->close(n, 3, "admin")
            : action == "note"   ? m_appeals->addNote(n, "Перезвонили.", "admin")
                               : m_appeals->extendDeadline(n, "2026-12-11", "проверка", "admin");
        const std::string what = toString(c.status) + " → " + action;
        EXPECT_EQ(r.ok(), c.ok) << what;
        const Appeal after = m_appeals->get(n).value();
        if (c.ok) {
            EXPECT_EQ(after.history.size(), before + 1) << what;
            continue;
        }
        ASSERT_FALSE(r.ok()) << what;
        EXPECT_EQ(r.error().code, "illegal_transition") << what;
        EXPECT_EQ(r.error().kind, ErrorKind::Conflict) << what;
        EXPECT_EQ(param(r.error(), "status"), toString(c.status)) << what;
        EXPECT_EQ(param(r.error(), "action"), action) << what;
        EXPECT_EQ(param(r.error(), "number"), n) << what;
        EXPECT_EQ(after.status, c.status) << what;
        EXPECT_EQ(after.history.size(), before) << what;
    }
}

TEST(AppealLifecycleTest, AllowedTransitionTable) {
    using S = AppealStatus;
    const std::vector<S> all = {S::Registered, S::Assigned, S::InProgress, S::Answered, S::Closed};
    const std::set<std::pair<S, S>> allowed = {
        {S::Registered, S::Assigned},   {S::Assigned, S::Assigned},   {S::Assigned, S::InProgress},
        {S::InProgress, S::InProgress}, {S::InProgress, S::Answered}, {S::Answered, S::Closed}};
    for (S from : all) {
        for (S to : all) {
            EXPECT_EQ(allowedTransition(from, to), allowed.count({from, to}) == 1)
                << toString(from) << " → " << toString(to);
        }
    }
    for (S s : all) EXPECT_EQ(appealStatusFromString(toString(s)), s);
    EXPECT_FALSE(appealStatusFromString("done"));
}

TEST_F(AppealStoreTest, StaffStepsValidateTheirInput) {
    const std::string n = appealIn(AppealStatus::InProgress, "k1");
    struct Case {
        const char* name;
        std::function<Result<Appeal>()> step;
        const char* code;
        const char* detail;
    };
    const std::vector<Case> cases = {
        {"no author", [&] { return m_appeals->addNote(n, "x", ""); }, "bad_request",
         "detail.appeal_author"},
        {"author two lines", [&] { return m_appeals->addNote(n, "x", "a\nb"); }, "bad_request",
         "detail.appeal_author"},
        {"empty note", [&] { return m_appeals->addNote(n, " ", "admin"); }, "bad_request",
         "detail.appeal_note"},
        {"note too long", [&] { return m_appeals->addNote(n, repeat("x", 2001), "admin"); },
         "bad_request", "detail.appeal_note"},
        {"no assignee", [&] { return m_appeals->assign(n, "", "admin"); }, "bad_request",
         "detail.appeal_assignee"},
        {"empty answer", [&] { return m_appeals->recordAnswer(n, "", "phone", "admin"); },
         "bad_request", "detail.appeal_answer_empty"},
        {"answer bad UTF-8", [&] { return m_appeals->recordAnswer(n, "\xff", "phone", "admin"); },
         "bad_request", "detail.appeal_answer_utf8"},
        {"answer unknown channel",
         [&] { return m_appeals->recordAnswer(n, "Ответ", "pigeon", "admin"); }, "bad_request",
         "detail.appeal_reply_channel"},
        {"satisfaction 0", [&] { return m_appeals->close(n, 0, "admin"); }, "bad_request",
         "detail.appeal_satisfaction"},
        {"satisfaction 6", [&] { return m_appeals->close(n, 6, "admin"); }, "bad_request",
         "detail.appeal_satisfaction"},
        {"unknown number", [&] { return m_appeals->addNote("Ж-2026-999999", "x", "admin"); },
         "unknown_appeal", "<none>"},
    };
    for (const Case& c : cases) {
        auto r = c.step();
        ASSERT_FALSE(r.ok()) << c.name;
        EXPECT_EQ(r.error().code, c.code) << c.name;
        EXPECT_EQ(param(r.error(), "detail"), c.detail) << c.name;
    }
    EXPECT_EQ(m_appeals->get(n).value().history.size(), 3u);
    auto missing = m_appeals->get("Ж-2026-999999");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, "unknown_appeal");
    EXPECT_EQ(param(missing.error(), "number"), "Ж-2026-999999");
}

TEST_F(AppealStoreTest, ExtendingTheDeadlineNeedsAReasonAndIsRecorded) {
    const std::string n = registerOne(complaint("k1"));  // due 2026-12-04
    struct Case {
        const char* date;
        const char* reason;
        const char* code;
        const char* detail;
    };
    for (const Case& c :
         {Case{"2026-12-11", "", "bad_request", "detail.appeal_reason"},
          Case{"2026-12-11", " \n", "bad_request", "detail.appeal_reason"},
          Case{"11.12.2026", "проверка", "bad_request", "detail.appeal_due_date"},
          Case{"2026-12-04", "проверка", "appeal_deadline_not_later", "<none>"},
          Case{"2026-12-01", "проверка", "appeal_deadline_not_later", "<none>"},
          Case{"2026-12-05", "проверка", "appeal_deadline_not_working_day", "<none>"}}) {
        auto r = m_appeals->extendDeadline(n, c.date, c.reason, "admin");
        ASSERT_FALSE(r.ok()) << c.date;
        EXPECT_EQ(r.error().code, c.code) << c.date;
        EXPECT_EQ(param(r.error(), "detail"), c.detail) << c.date;
    }
    auto late = m_appeals->extendDeadline(n, "2026-12-01", "проверка", "admin");
    EXPECT_EQ(param(late.error(), "due_text"), "04.12.2026");
    auto ok =
        m_appeals->extendDeadline(n, "2026-12-11", "Нужна проверка счётчика на месте", "admin");
    ASSERT_TRUE(ok.ok()) << ok.error().code;
    EXPECT_EQ(ok.value().dueOn, "2026-12-11");
    EXPECT_EQ(ok.value().originalDueOn, "2026-12-04");
    EXPECT_EQ(ok.value().status, AppealStatus::Registered);
    const AppealEvent& e = ok.value().history.back();
    EXPECT_EQ(e.action, "deadline_extended");
    EXPECT_EQ(e.note, "Нужна проверка счётчика на месте");
    EXPECT_NE(e.detail.find("2026-12-04"), std::string::npos);
    EXPECT_NE(e.detail.find("2026-12-11"), std::string::npos);
    // The visitor's status check shows the new deadline.
    auto status = m_appeals->statusCheck(n, "6789");
    ASSERT_TRUE(status.ok());
    EXPECT_EQ(status.value().dueOn, "2026-12-11");
}

TEST_F(AppealStoreTest, NumbersRunPerYearAcrossTheYearEnd) {
    m_config.appeals.numberPrefix = "ЖБ";
    m_config.day.holidays = {"2027-01-01", "2027-01-02", "2027-01-03", "2027-01-04",
                             "2027-01-05", "2027-01-06", "2027-01-07", "2027-01-08"};
    open();
    setLocal("2026-12-31T20:00:00.000Z");  // 23:00 on 31 December in Moscow
    auto last = m_appeals->registerAppeal(complaint("a"));
    ASSERT_TRUE(last.ok());
    EXPECT_EQ(last.value().appeal.number, "ЖБ-2026-000001");
    EXPECT_EQ(last.value().appeal.dueOn, "2027-01-22");  // the New Year run skipped
    EXPECT_EQ(registerOne(complaint("b")), "ЖБ-2026-000002");
    m_clock.advance(1h);  // midnight in Moscow, still 2026 in UTC
    auto first = m_appeals->registerAppeal(complaint("c", "safety_hazard"));
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(first.value().appeal.number, "ЖБ-2027-000001");
    EXPECT_EQ(first.value().appeal.registeredOn, "2027-01-01");
    EXPECT_EQ(first.value().appeal.dueOn, "2027-01-11");
    open();  // after a restart the sequence goes on
    EXPECT_EQ(registerOne(complaint("d")), "ЖБ-2027-000002");
    EXPECT_EQ(count("SELECT COUNT(*) FROM appeals WHERE year = 2026"), 2);
    EXPECT_EQ(count("SELECT MAX(seq) FROM appeals WHERE year = 2027"), 2);
    EXPECT_EQ(appealNumber("Ж", 2026, 123), "Ж-2026-000123");
}

TEST(AppealNumberTest, NumbersAsVisitorsTypeThem) {
    EXPECT_EQ(appealNumber("Ж", 2026, 123), "Ж-2026-000123");
    EXPECT_EQ(canonicalAppealNumber("2026000123", "Ж"), "Ж-2026-000123");
    EXPECT_EQ(canonicalAppealNumber(" жб-2026-000123", "ЖБ"), "ЖБ-2026-000123");
    EXPECT_EQ(canonicalAppealNumber("Ж-2026-123", "Ж"), "Ж-2026-000123");  // zeros left out
    EXPECT_EQ(canonicalAppealNumber("2026 / 123", "Ж"), "Ж-2026-000123");
    EXPECT_EQ(canonicalAppealNumber("№ Ж-2026-000123", "Ж"), "Ж-2026-000123");
    EXPECT_EQ(canonicalAppealNumber("#2026000123", "Ж"), "Ж-2026-000123");
    EXPECT_EQ(canonicalAppealNumber("20261234567", "Ж"), "Ж-2026-1234567");  // past a million
    EXPECT_EQ(canonicalAppealNumber("202600012", "Ж"), std::nullopt);        // nine digits run together
    EXPECT_EQ(canonicalAppealNumber("26-000123", "Ж"), std::nullopt);        // a two-digit year
    EXPECT_EQ(canonicalAppealNumber("2026-0", "Ж"), std::nullopt);
    EXPECT_EQ(canonicalAppealNumber("2026-1-2", "Ж"), std::nullopt);
    EXPECT_EQ(canonicalAppealNumber("2026-9999999999", "Ж"), std::nullopt);  // too long a sequence
    EXPECT_EQ(canonicalAppealNumber("X-2026-000123", "Ж"), std::nullopt);    // another prefix
    EXPECT_EQ(canonicalAppealNumber("K7F3-A9C2", "Ж"), std::nullopt);        // a kiosk's code
    EXPECT_EQ(canonicalAppealNumber("", "Ж"), std::nullopt);
    EXPECT_EQ(canonicalAppealNumber("----", "Ж"), std::nullopt);
}

TEST_F(AppealStoreTest, RepeatedIdempotencyKeyAnswersTheSameAppeal) {
    auto first = m_appeals->registerAppeal(complaint("outbox-1"));
    ASSERT_TRUE(first.ok());
    m_clock.advance(10min);
    auto again = m_appeals->registerAppeal(complaint("outbox-1"));
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again.value().replayed);
    EXPECT_EQ(again.value().appeal.number, first.value().appeal.number);
    EXPECT_EQ(again.value().appeal.registeredAt, first.value().appeal.registeredAt);
    open();
    auto afterRestart = m_appeals->registerAppeal(complaint("outbox-1"));
    ASSERT_TRUE(afterRestart.ok());
    EXPECT_TRUE(afterRestart.value().replayed);
    EXPECT_EQ(count("SELECT COUNT(*) FROM appeals"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM appeal_history"), 1);

    AppealRequest other = complaint("outbox-1");
    other.text = "Другой текст";
    auto conflict = m_appeals->registerAppeal(other);
    ASSERT_FALSE(conflict.ok());
    EXPECT_EQ(conflict.error().code, "idempotency_conflict");
    EXPECT_EQ(registerOne(complaint("outbox-2")), "Ж-2026-000002");
}

TEST_F(AppealStoreTest, StatusCheckShowsOnlyStatusAndDeadlineAndMissesAreUniform) {
    AppealRequest withCode = complaint("k1");
    withCode.localCode = "K1-0007";
    const std::string n = registerOne(withCode);
    AppealRequest mailOnly = complaint("k2");
    mailOnly.phone.reset();
    mailOnly.email = "petr@mail.ru";
    mailOnly.replyChannel = "email";
    const std::string m = registerOne(mailOnly);
    ASSERT_TRUE(m_appeals->assign(n, "ivanova", "admin").ok());

    auto ok = m_appeals->statusCheck(n, "6789");
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(ok.value().number, n);
    EXPECT_EQ(ok.value().status, AppealStatus::Assigned);
    EXPECT_EQ(ok.value().dueOn, "2026-12-04");
    auto byCode = m_appeals->statusCheck("K1-0007", "6789");
    ASSERT_TRUE(byCode.ok());
    EXPECT_EQ(byCode.value().number, n);
    // The number as a visitor types it on the kiosk: without the prefix or the dashes.
    ASSERT_EQ(n, "Ж-2026-000001");
    for (const char* typed : {"2026000001", "2026-000001", "ж-2026-000001", "Ж 2026 000001", "ж2026/000001"}) {
        auto loose = m_appeals->statusCheck(typed, "6789");
        ASSERT_TRUE(loose.ok()) << typed;
        EXPECT_EQ(loose.value().number, n) << typed;
    }

    // No such number, other digits, an appeal without a phone, a local code with other digits:
    // one answer, the same in every respect, so a wrong pair tells nothing.
    std::optional<Error> reference;
    for (auto [number, digits] :
         {std::pair{n, std::string("6780")},
          std::pair{std::string("Ж-2026-000099"), std::string("6789")},
          std::pair{m, std::string("0000")}, std::pair{std::string("K1-0007"), std::string("1111")},
          std::pair{std::string(""), std::string("6789")},
          std::pair{repeat("Ж", 100), std::string("6789")}}) {
        auto r = m_appeals->statusCheck(number, digits);
        ASSERT_FALSE(r.ok()) << number << " " << digits;
        EXPECT_EQ(r.error().code, "appeal_status_not_found");
        EXPECT_EQ(r.error().kind, ErrorKind::NotFound);
        EXPECT_TRUE(r.error().params.empty());
        if (!reference) reference = r.error();
        EXPECT_EQ(r.error().message, reference->message);
    }
    for (const char* digits : {"", "678", "67890", "67a9"}) {
        auto r = m_appeals->statusCheck(n, digits);
        ASSERT_FALSE(r.ok()) << digits;
        EXPECT_EQ(param(r.error(), "detail"), "detail.appeal_phone_last4") << digits;
    }
}

TEST_F(AppealStoreTest, RegisterFiltersAndMasksPersonalData) {
    const std::string a = registerOne(complaint("a", "billing"));        // Fri 20 Nov, due 4 Dec
    const std::string b = registerOne(complaint("b", "safety_hazard"));  // due 20 Nov
    setLocal("2026-11-24T09:00:00.000Z");                                // Tuesday
    AppealRequest latin = complaint("c", "meters");
    latin.name = "john  smith";
    latin.phone = "+44 20 7946 0958";
    const std::string c = registerOne(latin);  // due 8 Dec
    ASSERT_TRUE(m_appeals->assign(c, "petrov", "admin").ok());

    auto all = m_appeals->list({});
    ASSERT_TRUE(all.ok());
    ASSERT_EQ(all.value().size(), 3u);
    EXPECT_EQ(all.value()[0].number, c);  // newest first
    EXPECT_EQ(all.value()[0].initials, "J. S.");
    EXPECT_EQ(all.value()[0].phoneLast4, "…0958");
    EXPECT_EQ(all.value()[0].assignedTo, "petrov");
    EXPECT_EQ(all.value()[2].initials, "И. П. С.");
    EXPECT_EQ(all.value()[2].phoneLast4, "…6789");

    auto overdue = m_appeals->overdue();
    ASSERT_TRUE(overdue.ok());
    ASSERT_EQ(overdue.value().size(), 1u);
    EXPECT_EQ(overdue.value()[0].number, b);
    EXPECT_TRUE(overdue.value()[0].overdue);
    EXPECT_EQ(overdue.value()[0].workingDaysLeft, -2);  // 20 Nov seen from 24 Nov

    struct Case {
        const char* name;
        AppealFilter filter;
        std::vector<std::string> numbers;
    };
    auto f = [](std::function<void(AppealFilter&)> set) {
        AppealFilter x;
        set(x);
        return x;
    };
    const std::vector<Case> cases = {
        {"status assigned", f([](AppealFilter& x) { x.status = AppealStatus::Assigned; }), {c}},
        {"status registered",
         f([](AppealFilter& x) { x.status = AppealStatus::Registered; }),
         {b, a}},
        {"category", f([](AppealFilter& x) { x.category = "billing"; }), {a}},
        {"due within 8", f([](AppealFilter& x) { x.dueWithinWorkingDays = 8; }), {a}},
        {"due within 10", f([](AppealFilter& x) { x.dueWithinWorkingDays = 10; }), {c, a}},
        {"due within 0", f([](AppealFilter& x) { x.dueWithinWorkingDays = 0; }), {}},
        {"period",
         f([](AppealFilter& x) {
             x.from = "2026-11-21";
             x.to = "2026-11-30";
         }),
         {c}},
        {"period before", f([](AppealFilter& x) { x.to = "2026-11-20"; }), {b, a}},
        {"limit", f([](AppealFilter& x) { x.limit = 1; }), {c}},
        {"category and overdue",
         f([](AppealFilter& x) {
             x.category = "billing";
             x.overdueOnly = true;
         }),
         {}},
    };
    for (const Case& k : cases) {
        auto r = m_appeals->list(k.filter);
        ASSERT_TRUE(r.ok()) << k.name;
        std::vector<std::string> got;
        for (const auto& s : r.value()) got.push_back(s.number);
        EXPECT_EQ(got, k.numbers) << k.name;
    }
    for (const auto& bad :
         {f([](AppealFilter& x) { x.from = "2026-13-01"; }), f([](AppealFilter& x) {
              x.from = "2026-12-01";
              x.to = "2026-11-01";
          }),
          f([](AppealFilter& x) { x.limit = 0; }),
          f([](AppealFilter& x) { x.dueWithinWorkingDays = -1; })}) {
        auto r = m_appeals->list(bad);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, "bad_request");
    }
    // Due soon (2 working days by default): three working days before 4 December it is not,
    // two before it is.
    setLocal("2026-12-01T09:00:00.000Z");
    auto soon = m_appeals->dueSoon();
    ASSERT_TRUE(soon.ok());
    EXPECT_TRUE(soon.value().empty());
    setLocal("2026-12-02T09:00:00.000Z");
    soon = m_appeals->dueSoon();
    ASSERT_TRUE(soon.ok());
    ASSERT_EQ(soon.value().size(), 1u);
    EXPECT_EQ(soon.value()[0].number, a);
    EXPECT_EQ(soon.value()[0].workingDaysLeft, 2);
    EXPECT_FALSE(soon.value()[0].overdue);
}

TEST_F(AppealStoreTest, ReportByCategoryAndRanking) {
    for (int i = 0; i < 3; ++i) registerOne(complaint("bill" + std::to_string(i), "billing"));
    registerOne(complaint("safe", "safety_hazard"));
    const std::string m1 = registerOne(complaint("m1", "meters"));
    const std::string m2 = registerOne(complaint("m2", "meters"));
    for (const auto& n : {m1, m2}) {
        ASSERT_TRUE(m_appeals->assign(n, "ivanova", "admin").ok());
        ASSERT_TRUE(m_appeals->start(n, "ivanova").ok());
        ASSERT_TRUE(m_appeals->recordAnswer(n, "Заменили счётчик.", "phone", "ivanova").ok());
    }
    ASSERT_TRUE(m_appeals->close(m1, 5, "admin").ok());
    ASSERT_TRUE(m_appeals->close(m2, 2, "admin").ok());
    setLocal("2026-12-10T09:00:00.000Z");
    AppealRequest q = complaint("later", "other");
    q.type = "question";
    registerOne(q);  // outside November

    auto r = m_appeals->report("2026-11-01", "2026-11-30");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value().total, 6);
    ASSERT_EQ(r.value().categories.size(), 7u);  // every configured category, zeros too
    EXPECT_EQ(r.value().categories[0].category, "service_staff");
    EXPECT_EQ(r.value().categories[0].total, 0);
    const CategoryReport& billing = r.value().categories[1];
    EXPECT_EQ(billing.category, "billing");
    EXPECT_EQ(billing.total, 3);
    EXPECT_EQ(billing.open, 3);
    EXPECT_EQ(billing.overdue, 3);  // due 4 December, seen on the 10th
    EXPECT_EQ(billing.complaints, 3);
    EXPECT_FALSE(billing.satisfaction);
    const CategoryReport& meters = r.value().categories[3];
    EXPECT_EQ(meters.category, "meters");
    EXPECT_EQ(meters.answered, 2);
    EXPECT_EQ(meters.answeredOnTime, 2);
    EXPECT_EQ(meters.open, 0);
    ASSERT_TRUE(meters.satisfaction);
    EXPECT_DOUBLE_EQ(*meters.satisfaction, 3.5);
    EXPECT_EQ(r.value().categories[5].urgent, 1);
    std::vector<std::string> ranking;
    for (const auto& c : r.value().ranking)
        ranking.push_back(c.category + "=" + std::to_string(c.total));
    EXPECT_EQ(ranking, (std::vector<std::string>{"billing=3", "meters=2", "safety_hazard=1",
                                                 "connection_contracts=0", "other=0",
                                                 "service_staff=0", "supply_quality=0"}));
    auto december = m_appeals->report("2026-12-01", "2026-12-31");
    ASSERT_TRUE(december.ok());
    EXPECT_EQ(december.value().ranking.front().category, "other");
    EXPECT_EQ(december.value().total, 1);
    for (auto [from, to] :
         {std::pair{"2026-11-30", "2026-11-01"}, std::pair{"2026-11", "2026-11-30"}}) {
        auto bad = m_appeals->report(from, to);
        ASSERT_FALSE(bad.ok());
        EXPECT_EQ(param(bad.error(), "detail"), "detail.appeal_filter_dates");
    }
}

TEST_F(AppealStoreTest, PersonalDataIsRemovedAfterRetentionKeepingStatistics) {
    m_config.appeals.retentionDays = 30;
    open();
    const std::string closed = appealIn(AppealStatus::Closed, "k1");
    ASSERT_TRUE(m_appeals->addNote(closed, "Звонил Иванов, доволен", "admin").ok());
    const std::string open = appealIn(AppealStatus::InProgress, "k2");
    m_clock.advance(std::chrono::hours(24 * 29));
    auto none = m_appeals->removeExpiredPersonalData();
    ASSERT_TRUE(none.ok());
    EXPECT_EQ(none.value(), 0);
    m_clock.advance(std::chrono::hours(48));
    auto cleared = m_appeals->removeExpiredPersonalData();
    ASSERT_TRUE(cleared.ok());
    EXPECT_EQ(cleared.value(), 1);
    const Appeal a = m_appeals->get(closed).value();
    EXPECT_TRUE(a.personalDataRemoved);
    EXPECT_EQ(a.name, "");
    EXPECT_EQ(a.text, "");
    EXPECT_FALSE(a.phone);
    EXPECT_FALSE(a.answer);
    EXPECT_EQ(a.satisfaction, 4);
    EXPECT_EQ(a.category, "billing");
    for (const auto& e : a.history) EXPECT_EQ(e.note, "") << e.action;
    EXPECT_EQ(count("SELECT COUNT(*) FROM appeals WHERE name LIKE '%Иванов%' OR text IS NULL"), 2);
    EXPECT_FALSE(m_appeals->get(open).value().personalDataRemoved);
    EXPECT_FALSE(m_appeals->statusCheck(closed, "6789").ok());
    auto report = m_appeals->report("2026-11-01", "2026-11-30");
    ASSERT_TRUE(report.ok());
    EXPECT_EQ(report.value().total, 2);
    EXPECT_EQ(m_appeals->removeExpiredPersonalData().value(), 0);  // once only
}

// ---- [appeals] config ----------------------------------------------------------------------

TEST(AppealsConfigTest, DefaultsAndShippedExample) {
    const AppealsConfig d;
    ASSERT_EQ(d.categories.size(), 7u);
    std::vector<std::string> ids;
    for (const auto& c : d.categories) {
        ids.push_back(c.id);
        EXPECT_EQ(c.deadlineWorkingDays, c.id == "safety_hazard" ? 0 : 10) << c.id;
        EXPECT_EQ(c.urgent, c.id == "safety_hazard") << c.id;
    }
    EXPECT_EQ(ids, (std::vector<std::string>{"service_staff", "billing", "supply_quality", "meters",
                                             "connection_contracts", "safety_hazard", "other"}));
    EXPECT_EQ(d.numberPrefix, "Ж");
    EXPECT_EQ(d.weekends, kSaturdaySunday);
    auto cfg = loadConfigFile((assetsDir() / "config" / "talon-server.example.toml").string());
    ASSERT_TRUE(cfg.ok()) << cfg.error().message;
    const AppealsConfig& shipped = cfg.value().appeals;
    ASSERT_EQ(shipped.categories.size(), d.categories.size());
    for (size_t i = 0; i < d.categories.size(); ++i) {
        EXPECT_EQ(shipped.categories[i].id, d.categories[i].id);
        EXPECT_EQ(shipped.categories[i].deadlineWorkingDays, d.categories[i].deadlineWorkingDays);
        EXPECT_EQ(shipped.categories[i].urgent, d.categories[i].urgent);
    }
    EXPECT_EQ(shipped.numberPrefix, d.numberPrefix);
    EXPECT_EQ(shipped.retentionDays, d.retentionDays);
    EXPECT_EQ(shipped.weekends, d.weekends);
}

TEST(AppealsConfigTest, ParsesEverySetting) {
    auto cfg = parseConfig(R"(
[day]
holidays = ["2027-01-01"]
[appeals]
number_prefix = "AP"
retention_days = 365
due_soon_working_days = 3
weekends = ["sun"]
holidays = ["2027-01-02"]
working_days = ["2027-01-03"]
[[appeals.categories]]
id = "billing"
deadline_working_days = 5
names = { ru = "Счета", en = "Bills" }
[[appeals.categories]]
id = "gas_smell"
urgent = true
)",
                           "t.toml");
    ASSERT_TRUE(cfg.ok()) << cfg.error().message;
    const AppealsConfig& a = cfg.value().appeals;
    EXPECT_EQ(a.numberPrefix, "AP");
    EXPECT_EQ(a.retentionDays, 365);
    EXPECT_EQ(a.dueSoonWorkingDays, 3);
    EXPECT_EQ(a.weekends, 0x40);
    EXPECT_EQ(a.extraHolidays, std::vector<std::string>{"2027-01-02"});
    EXPECT_EQ(a.workingDays, std::vector<std::string>{"2027-01-03"});
    ASSERT_EQ(a.categories.size(), 2u);
    EXPECT_EQ(a.categories[0].deadlineWorkingDays, 5);
    EXPECT_EQ(a.categories[0].names.at("en"), "Bills");
    EXPECT_TRUE(a.categories[1].urgent);
    EXPECT_EQ(a.categories[1].deadlineWorkingDays, 0);
    ASSERT_TRUE(a.category("gas_smell"));
    EXPECT_FALSE(a.category("other"));
}

TEST(AppealsConfigTest, BadSettingsAreNamed) {
    struct Case {
        const char* toml;
        const char* message;
    };
    for (
        const Case& c : {
            Case{"[appeals]\nprefix = \"Ж\"\n", "t.toml: appeals.prefix is not a setting"},
            Case{"appeals = 3\n", "[appeals] must be a table"},
            Case{"[appeals]\nnumber_prefix = \"\"\n",
                 "appeals.number_prefix must be 1 to 8 Latin or Cyrillic letters"},
            Case{"[appeals]\nnumber_prefix = \"Ж-1\"\n", "appeals.number_prefix"},
            Case{"[appeals]\nnumber_prefix = \"ABCDEFGHI\"\n", "appeals.number_prefix"},
            Case{"[appeals]\nretention_days = 10\n",
                 "appeals.retention_days must be an integer from 30 to 36500"},
            Case{"[appeals]\nretention_days = \"365\"\n",
                 "appeals.retention_days must be an integer"},
            Case{"[appeals]\ndue_soon_working_days = 0\n",
                 "appeals.due_soon_working_days must be an integer from 1"},
            Case{"[appeals]\nweekends = [\"saturday\"]\n", "appeals.weekends must contain mon"},
            Case{
                "[appeals]\nweekends = [\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\",\"sun\"]\n",
                "at least one working weekday"},
            Case{"[appeals]\nholidays = [\"2027-02-30\"]\n", "appeals.holidays must contain dates"},
            Case{"[appeals]\nworking_days = \"2027-01-09\"\n",
                 "appeals.working_days must be a list of dates"},
            Case{"[appeals]\nworking_days = [\"2027-01-11\"]\n",
                 "only a weekend day can be transferred"},
            Case{"[day]\nholidays = [\"2027-01-09\"]\n[appeals]\nworking_days = [\"2027-01-09\"]\n",
                 "2027-01-09 is both a holiday and a working day"},
            Case{"[appeals]\ncategories = []\n", "appeals.categories must be a non-empty list"},
            Case{"[[appeals.categories]]\nid = \"Billing\"\n",
                 "appeals.categories[1].id must be 1 to 32 small"},
            Case{"[[appeals.categories]]\nid = \"a\"\n[[appeals.categories]]\nid = \"a\"\n",
                 "appeals.categories[2].id \"a\" is used twice"},
            Case{"[[appeals.categories]]\nid = \"a\"\ndeadline_working_days = 61\n",
                 "appeals.categories[1].deadline_working_days must be an integer from 0 to 60"},
            Case{"[[appeals.categories]]\nid = \"a\"\nurgent = \"yes\"\n",
                 "appeals.categories[1].urgent must be true or false"},
            Case{"[[appeals.categories]]\nid = \"a\"\ndeadline = 5\n",
                 "appeals.categories[1].deadline is not a setting"},
            Case{"[[appeals.categories]]\nid = \"a\"\nnames = { ru = \"\" }\n",
                 "appeals.categories[1].names.ru"},
        }) {
        auto cfg = parseConfig(c.toml, "t.toml");
        ASSERT_FALSE(cfg.ok()) << c.toml;
        EXPECT_EQ(cfg.error().code, "bad_config");
        EXPECT_NE(cfg.error().message.find(c.message), std::string::npos) << cfg.error().message;
    }
}

}  // namespace
}  // namespace talon::server
