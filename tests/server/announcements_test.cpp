// AnnouncementStore on a real SQLite file shared with QueueStore: create, replace, delete,
// the validation table (nothing stored or published after a refusal), the live limit, events
// only after success, and everything surviving a reopen. Also the wire format of the new
// event and board fields, and that older events and snapshots still parse.
#include "talon/server/announcement_store.h"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

#include "../support/fake_clock.h"
#include "../support/server_process.h"
#include "../support/test_names.h"
#include "talon/common/wire.h"

namespace talon::server {
namespace {

using namespace std::chrono_literals;

Announcement draft(const std::string& ru = "Касса работает до 17:00",
                   const std::string& en = "The cash desk closes at 17:00") {
    Announcement a;
    a.texts = {{"ru", ru}, {"en", en}};
    return a;
}

class AnnouncementsTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_config = demoConfig();
        m_config.database = (m_dir.path() / "talon.db").string();
        std::filesystem::create_directories(m_dir.path() / "announcements" / "folder.png");
        std::ofstream(m_dir.path() / "announcements" / "poster.png") << "png";
        open();
    }
    void open() {
        m_announcements.reset();
        m_store.reset();
        m_hub = std::make_unique<EventHub>();
        auto s = QueueStore::open(m_config, *m_hub, m_clock);
        ASSERT_TRUE(s.ok()) << s.error().message;
        m_store = std::move(s).value();
        m_announcements =
            std::make_unique<AnnouncementStore>(*m_store, m_clock, m_dir.path() / "announcements");
    }
    Announcement create(const Announcement& a = draft()) {
        auto r = m_announcements->create(a);
        EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().code + " " + r.error().message);
        return r.ok() ? r.value() : Announcement{};
    }
    std::vector<Announcement> list(bool all = false) {
        auto r = m_announcements->list(all);
        EXPECT_TRUE(r.ok());
        return r.ok() ? r.value() : std::vector<Announcement>{};
    }
    /// Events published to streams after `after`, decoded.
    std::vector<QueueEvent> published(int64_t after) {
        std::vector<QueueEvent> out;
        for (const auto& e : m_hub->waitAfter(after, 0ms).events) {
            auto parsed = wire::parseEvent(e.id, e.type, e.data);
            EXPECT_TRUE(parsed.ok()) << e.data;
            if (parsed.ok()) out.push_back(parsed.value());
        }
        return out;
    }
    /// The `detail` parameter of a bad_request, or the error code otherwise.
    static std::string detailOf(const Error& e) {
        if (e.code != "bad_request") return e.code;
        for (const auto& [k, v] : e.params) {
            if (k == "detail") return v;
        }
        return "bad_request without detail";
    }

    test::TempDir m_dir;
    test::FakeClock m_clock;
    ServerConfig m_config;
    std::unique_ptr<EventHub> m_hub;
    std::unique_ptr<QueueStore> m_store;
    std::unique_ptr<AnnouncementStore> m_announcements;
};

TEST_F(AnnouncementsTest, CreateStoresAndPublishesOnce) {
    const int64_t before = m_hub->lastId();
    Announcement a = draft();
    a.image = "poster.png";
    a.startsAt = m_clock.wallNow() + 1h;
    a.endsAt = m_clock.wallNow() + 5h;
    a.priority = "urgent";
    const Announcement stored = create(a);
    EXPECT_GT(stored.id, 0);
    EXPECT_EQ(stored.createdAt, m_clock.wallNow());
    EXPECT_EQ(stored.texts, a.texts);

    const auto all = list();
    ASSERT_EQ(all.size(), 1u);  // starting later still counts as current: boards schedule it
    EXPECT_EQ(all[0].id, stored.id);
    EXPECT_EQ(all[0].image, "poster.png");
    EXPECT_EQ(all[0].startsAt, a.startsAt);
    EXPECT_EQ(all[0].endsAt, a.endsAt);
    EXPECT_EQ(all[0].priority, "urgent");
    EXPECT_EQ(all[0].createdAt, stored.createdAt);

    const auto events = published(before);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].type, "announcement.created");
    ASSERT_TRUE(events[0].announcement.has_value());
    EXPECT_EQ(events[0].announcement->id, stored.id);
    EXPECT_EQ(events[0].announcement->texts.at("ru"), "Касса работает до 17:00");
    EXPECT_EQ(events[0].announcement->priority, "urgent");
    EXPECT_FALSE(events[0].ticket.has_value());
    EXPECT_EQ(m_hub->lastId(), events[0].id);
}

TEST_F(AnnouncementsTest, UpdateReplacesEveryFieldAndKeepsCreationTime) {
    Announcement first = draft();
    first.image = "poster.png";
    first.endsAt = m_clock.wallNow() + 2h;
    first.priority = "urgent";
    const Announcement a = create(first);
    m_clock.advance(10min);
    const int64_t before = m_hub->lastId();

    Announcement replacement;
    replacement.texts = {{"ru", "Новый текст"}};  // English dropped, image and end too
    auto r = m_announcements->update(a.id, replacement);
    ASSERT_TRUE(r.ok()) << r.error().code;
    EXPECT_EQ(r.value().id, a.id);
    EXPECT_EQ(r.value().createdAt, a.createdAt);

    const auto all = list();
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].texts, (LocalizedText{{"ru", "Новый текст"}}));
    EXPECT_EQ(all[0].image, "");
    EXPECT_FALSE(all[0].endsAt.has_value());
    EXPECT_EQ(all[0].priority, "normal");
    EXPECT_EQ(all[0].createdAt, a.createdAt);

    const auto events = published(before);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].type, "announcement.updated");
    ASSERT_TRUE(events[0].announcement.has_value());
    EXPECT_EQ(events[0].announcement->texts.size(), 1u);
    EXPECT_EQ(events[0].announcement->createdAt, a.createdAt);
}

TEST_F(AnnouncementsTest, DeleteHidesItAndPublishesItsId) {
    const Announcement keep = create();
    const Announcement gone = create(draft("Удалить", "Delete me"));
    const int64_t before = m_hub->lastId();
    ASSERT_TRUE(m_announcements->remove(gone.id).ok());

    auto all = list(true);
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].id, keep.id);
    const auto events = published(before);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].type, "announcement.deleted");
    EXPECT_EQ(events[0].announcementId, gone.id);
    EXPECT_FALSE(events[0].announcement.has_value());

    // A deleted one is gone for every operation, and asking publishes nothing.
    const int64_t after = m_hub->lastId();
    auto again = m_announcements->remove(gone.id);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, "unknown_announcement");
    EXPECT_EQ(again.error().kind, ErrorKind::NotFound);
    auto update = m_announcements->update(gone.id, draft());
    ASSERT_FALSE(update.ok());
    EXPECT_EQ(update.error().code, "unknown_announcement");
    auto never = m_announcements->update(9999, draft());
    ASSERT_FALSE(never.ok());
    EXPECT_EQ(never.error().code, "unknown_announcement");
    EXPECT_EQ(m_hub->lastId(), after);
    EXPECT_EQ(list(true).size(), 1u);
}

TEST_F(AnnouncementsTest, NewestFirstAndEndedOnlyWhenAskedFor) {
    Announcement shortOne = draft("Короткое", "Short");
    shortOne.endsAt = m_clock.wallNow() + 30min;
    const Announcement a = create(shortOne);
    m_clock.advance(1min);
    const Announcement b = create(draft("Второе", "Second"));
    m_clock.advance(1min);
    const Announcement c = create(draft("Третье", "Third"));

    auto current = list();
    ASSERT_EQ(current.size(), 3u);
    EXPECT_EQ(current[0].id, c.id);
    EXPECT_EQ(current[1].id, b.id);
    EXPECT_EQ(current[2].id, a.id);

    m_clock.advance(30min);  // the first one has ended
    current = list();
    ASSERT_EQ(current.size(), 2u);
    EXPECT_EQ(current[1].id, b.id);
    auto all = list(true);
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[2].id, a.id);
}

TEST_F(AnnouncementsTest, AtMostAHundredLive) {
    std::vector<Announcement> made;
    for (int i = 0; i < AnnouncementStore::kMaxLive; ++i)
        made.push_back(create(draft("Объявление " + std::to_string(i))));
    const int64_t before = m_hub->lastId();
    auto over = m_announcements->create(draft("Лишнее"));
    ASSERT_FALSE(over.ok());
    EXPECT_EQ(over.error().code, "too_many_announcements");
    EXPECT_EQ(over.error().kind, ErrorKind::Conflict);
    EXPECT_EQ(m_hub->lastId(), before);
    EXPECT_EQ(list(true).size(), 100u);

    // Changing one of the hundred is fine; one that already ended does not count.
    EXPECT_TRUE(m_announcements->update(made[5].id, draft("Изменено")).ok());
    Announcement past = draft("Прошлое");
    past.startsAt = m_clock.wallNow() - 2h;
    past.endsAt = m_clock.wallNow() - 1h;
    auto ended = m_announcements->create(past);
    ASSERT_TRUE(ended.ok());
    // ...but bringing it back to life past the limit is refused, and nothing changes.
    auto revive = m_announcements->update(ended.value().id, draft("Снова"));
    ASSERT_FALSE(revive.ok());
    EXPECT_EQ(revive.error().code, "too_many_announcements");
    EXPECT_EQ(list().size(), 100u);

    ASSERT_TRUE(m_announcements->remove(made[0].id).ok());
    EXPECT_TRUE(m_announcements->create(draft("Теперь можно")).ok());
}

TEST_F(AnnouncementsTest, LongestTextsAndAnyLanguageCodeAccepted) {
    Announcement a;
    std::string cyrillic;
    for (int i = 0; i < 250; ++i) cyrillic += "Я";  // 2 bytes each: exactly 500
    a.texts = {{"ru", cyrillic}, {"kk", "Сәлем"}, {"en", std::string(500, 'x')}, {"tat", "Сәлам"}};
    a.image = "poster.png";
    create(a);
    EXPECT_EQ(list().at(0).texts.at("ru").size(), 500u);
}

struct BadDraft {
    const char* name;
    std::function<void(Announcement&)> spoil;
    const char* detail;
};

class AnnouncementValidationTest : public AnnouncementsTest,
                                   public ::testing::WithParamInterface<BadDraft> {};

TEST_P(AnnouncementValidationTest, RefusedWithTheFieldAndNothingStoredOrPublished) {
    const BadDraft& c = GetParam();
    const Announcement existing = create();
    const int64_t before = m_hub->lastId();
    Announcement bad = draft();
    bad.startsAt = m_clock.wallNow();
    c.spoil(bad);

    auto created = m_announcements->create(bad);
    ASSERT_FALSE(created.ok());
    EXPECT_EQ(created.error().kind, ErrorKind::Invalid);
    EXPECT_EQ(detailOf(created.error()), c.detail);

    auto updated = m_announcements->update(existing.id, bad);
    ASSERT_FALSE(updated.ok());
    EXPECT_EQ(detailOf(updated.error()), c.detail);

    EXPECT_EQ(m_hub->lastId(), before);
    auto stored = m_store->eventsAfter(before, 10);
    ASSERT_TRUE(stored.ok());
    EXPECT_TRUE(stored.value().empty());
    const auto all = list(true);
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].texts, existing.texts);
}

std::string repeat(const std::string& s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += s;
    return out;
}

INSTANTIATE_TEST_SUITE_P(
    Drafts, AnnouncementValidationTest,
    ::testing::Values(
        BadDraft{"no texts", [](Announcement& a) { a.texts.clear(); }, "detail.announcement_texts"},
        BadDraft{"empty text", [](Announcement& a) { a.texts["en"] = ""; },
                 "detail.announcement_text_empty"},
        BadDraft{"blank text", [](Announcement& a) { a.texts["en"] = " \xC2\xA0 "; },
                 "detail.announcement_text_empty"},
        BadDraft{"501 bytes", [](Announcement& a) { a.texts["en"] = std::string(501, 'x'); },
                 "detail.announcement_text_length"},
        BadDraft{"251 cyrillic letters", [](Announcement& a) { a.texts["ru"] = repeat("Я", 251); },
                 "detail.announcement_text_length"},
        BadDraft{"invalid byte", [](Announcement& a) { a.texts["ru"] = "Касса \xFF"; },
                 "detail.announcement_text_utf8"},
        BadDraft{"truncated sequence", [](Announcement& a) { a.texts["ru"] = "Касса \xD0"; },
                 "detail.announcement_text_utf8"},
        BadDraft{"overlong slash", [](Announcement& a) { a.texts["en"] = "a\xC0\xAF"; },
                 "detail.announcement_text_utf8"},
        BadDraft{"surrogate", [](Announcement& a) { a.texts["en"] = "a\xED\xA0\x80"; },
                 "detail.announcement_text_utf8"},
        BadDraft{"past U+10FFFF", [](Announcement& a) { a.texts["en"] = "a\xF4\x90\x80\x80"; },
                 "detail.announcement_text_utf8"},
        BadDraft{"line break", [](Announcement& a) { a.texts["en"] = "one\ntwo"; },
                 "detail.announcement_text_control"},
        BadDraft{"tab", [](Announcement& a) { a.texts["en"] = "one\ttwo"; },
                 "detail.announcement_text_control"},
        BadDraft{"nul", [](Announcement& a) { a.texts["en"] = std::string("one\0two", 7); },
                 "detail.announcement_text_control"},
        BadDraft{"delete", [](Announcement& a) { a.texts["en"] = "one\x7Ftwo"; },
                 "detail.announcement_text_control"},
        BadDraft{"C1 next line", [](Announcement& a) { a.texts["en"] = "one\xC2\x85two"; },
                 "detail.announcement_text_control"},
        BadDraft{"line separator", [](Announcement& a) { a.texts["en"] = "one\xE2\x80\xA8two"; },
                 "detail.announcement_text_control"},
        BadDraft{"upper case language", [](Announcement& a) { a.texts["RU"] = "Текст"; },
                 "detail.announcement_language"},
        BadDraft{"long language", [](Announcement& a) { a.texts["russian"] = "Текст"; },
                 "detail.announcement_language"},
        BadDraft{"empty language", [](Announcement& a) { a.texts[""] = "Текст"; },
                 "detail.announcement_language"},
        BadDraft{"parent path", [](Announcement& a) { a.image = "../x.png"; },
                 "detail.announcement_image"},
        BadDraft{"path into folder", [](Announcement& a) { a.image = "a/b.png"; },
                 "detail.announcement_image"},
        BadDraft{"absolute path", [](Announcement& a) { a.image = "/etc/passwd"; },
                 "detail.announcement_image"},
        BadDraft{"dot dot", [](Announcement& a) { a.image = ".."; }, "detail.announcement_image"},
        BadDraft{"hidden file", [](Announcement& a) { a.image = ".poster.png"; },
                 "detail.announcement_image"},
        BadDraft{"space in name", [](Announcement& a) { a.image = "my poster.png"; },
                 "detail.announcement_image"},
        BadDraft{"cyrillic name", [](Announcement& a) { a.image = "плакат.png"; },
                 "detail.announcement_image"},
        BadDraft{"101 characters", [](Announcement& a) { a.image = std::string(97, 'p') + ".png"; },
                 "detail.announcement_image"},
        BadDraft{"no such file", [](Announcement& a) { a.image = "missing.png"; },
                 "detail.announcement_image_missing"},
        BadDraft{"a folder", [](Announcement& a) { a.image = "folder.png"; },
                 "detail.announcement_image_missing"},
        BadDraft{"ends before starts", [](Announcement& a) { a.endsAt = *a.startsAt - 1min; },
                 "detail.announcement_ends_before_starts"},
        BadDraft{"ends as it starts", [](Announcement& a) { a.endsAt = a.startsAt; },
                 "detail.announcement_ends_before_starts"},
        BadDraft{"unknown priority", [](Announcement& a) { a.priority = "high"; },
                 "detail.announcement_priority"},
        BadDraft{"empty priority", [](Announcement& a) { a.priority = ""; },
                 "detail.announcement_priority"}),
    [](const auto& info) { return test::testName(info.param.name); });

TEST_F(AnnouncementsTest, SurvivesReopeningTheDatabase) {
    Announcement a = draft();
    a.image = "poster.png";
    a.endsAt = m_clock.wallNow() + 3h;
    const Announcement first = create(a);
    const Announcement second = create(draft("Второе", "Second"));
    ASSERT_TRUE(m_announcements->update(first.id, a).ok());
    ASSERT_TRUE(m_announcements->remove(second.id).ok());
    const int64_t lastEvent = m_hub->lastId();

    open();
    EXPECT_EQ(m_hub->lastId(), lastEvent);
    const auto all = list(true);
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].id, first.id);
    EXPECT_EQ(all[0].image, "poster.png");
    EXPECT_EQ(all[0].endsAt, a.endsAt);
    EXPECT_EQ(all[0].createdAt, first.createdAt);
    // The event log keeps every step, so a stream resumes through them after a restart.
    auto events = m_store->eventsAfter(0, 100);
    ASSERT_TRUE(events.ok());
    std::vector<std::string> types;
    for (const auto& e : events.value()) types.push_back(e.type);
    EXPECT_EQ(types, (std::vector<std::string>{"announcement.created", "announcement.created",
                                               "announcement.updated", "announcement.deleted"}));
    // Ids continue after the stored ones.
    EXPECT_GT(create().id, second.id);
}

TEST_F(AnnouncementsTest, FailedWriteStepStoresAndPublishesNothing) {
    const int64_t before = m_hub->lastId();
    Status st = m_store->writeStep(
        [](SQLite::Database&, WallTime) { return okStatus(); },
        [](QueueStore::StepWriter& w) {
            w.db().exec(
                "INSERT INTO announcements(texts, priority, created_at, updated_at) "
                "VALUES ('{}', 'normal', 0, 0)");
            w.emit("announcement.created", "{}");
            throw std::runtime_error("disk on fire");
        });
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().kind, ErrorKind::Storage);
    EXPECT_EQ(m_hub->lastId(), before);
    EXPECT_TRUE(m_store->eventsAfter(before, 10).value().empty());
    EXPECT_TRUE(list(true).empty());
    // The store carries on.
    create();
    EXPECT_EQ(published(before).size(), 1u);
}

TEST_F(AnnouncementsTest, BoardNamesEveryConfiguredWindow) {
    const Board board = m_store->board();
    ASSERT_EQ(board.windows.size(), 6u);
    EXPECT_EQ(board.windows[0].number, 1);
    EXPECT_EQ(board.windows[0].name, "Окно 1");
    EXPECT_EQ(board.windows[5].number, 6);
}

// ---- wire format --------------------------------------------------------------------------

TEST(AnnouncementWireTest, RoundTripsThroughJson) {
    Announcement a;
    a.id = 7;
    a.texts = {{"ru", "Текст"}, {"en", "Text"}};
    a.image = "welcome.png";
    a.startsAt = fromMillis(1'795'000'000'000);
    a.priority = "urgent";
    a.createdAt = fromMillis(1'794'000'000'000);
    const auto j = wire::toJson(a);
    EXPECT_TRUE(j["ends_at"].is_null());
    EXPECT_EQ(j["starts_at"], "2026-11-18T11:06:40.000Z");
    auto back = wire::parseAnnouncement(j.dump());
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back.value().id, 7);
    EXPECT_EQ(back.value().texts, a.texts);
    EXPECT_EQ(back.value().image, "welcome.png");
    EXPECT_EQ(back.value().startsAt, a.startsAt);
    EXPECT_FALSE(back.value().endsAt.has_value());
    EXPECT_EQ(back.value().priority, "urgent");
    EXPECT_EQ(back.value().createdAt, a.createdAt);

    a.image.clear();
    EXPECT_TRUE(wire::toJson(a)["image"].is_null());
    auto list =
        wire::parseAnnouncements(nlohmann::json{{"announcements", {wire::toJson(a)}}}.dump());
    ASSERT_TRUE(list.ok());
    ASSERT_EQ(list.value().size(), 1u);
    EXPECT_EQ(list.value()[0].image, "");
    EXPECT_FALSE(wire::parseAnnouncement(R"({"id": 1, "texts": ["x"], "priority": "normal",
                                            "created_at": "2026-11-18T08:26:40.000Z"})")
                     .ok());
}

TEST(AnnouncementWireTest, EventsOfEveryKindParse) {
    auto deleted = wire::parseEvent(12, "announcement.deleted", R"({"announcement_id": 4})");
    ASSERT_TRUE(deleted.ok());
    EXPECT_EQ(deleted.value().announcementId, 4);
    EXPECT_FALSE(deleted.value().announcement.has_value());

    // Older event types are unaffected and carry no announcement fields.
    auto called = wire::parseEvent(
        13, "ticket.called",
        R"({"ticket": {"id": 1, "number": "A001", "service": "A", "status": "called", "priority": "normal",
            "issued_at": "2026-11-18T08:00:00.000Z", "called_at": "2026-11-18T08:05:00.000Z", "window": 2},
            "waiting": {"A": 0}, "ewt": {"A": null}})");
    ASSERT_TRUE(called.ok()) << called.error().message;
    EXPECT_EQ(called.value().ticket->number, "A001");
    EXPECT_FALSE(called.value().announcement.has_value());
    EXPECT_FALSE(called.value().announcementId.has_value());
    auto paused = wire::parseEvent(
        14, "window.paused", R"({"window": 3, "state": "paused", "reason": "", "waiting": {}})");
    ASSERT_TRUE(paused.ok());
    EXPECT_EQ(paused.value().window, 3);
    EXPECT_FALSE(paused.value().announcementId.has_value());
    auto day = wire::parseEvent(15, "day.started",
                                R"({"day": "2026-11-19", "waiting": {"A": 0}, "expired": 2})");
    ASSERT_TRUE(day.ok());
    auto device =
        wire::parseEvent(16, "device.status",
                         R"({"id": "hall-1", "kind": "kiosk", "printer": "ok", "detail": "",
                                       "updated_at": "2026-11-18T08:00:00.000Z"})");
    ASSERT_TRUE(device.ok());
    EXPECT_FALSE(device.value().announcement.has_value());

    EXPECT_FALSE(
        wire::parseEvent(17, "announcement.created", R"({"announcement": {"id": 1}})").ok());
    EXPECT_FALSE(wire::parseEvent(18, "announcement.deleted", R"({"announcement_id": "4"})").ok());
}

TEST(AnnouncementWireTest, BoardWithAndWithoutTheNewFields) {
    Board b;
    b.lastEventId = 5;
    b.logId = "abc";
    Announcement a;
    a.id = 3;
    a.texts = {{"ru", "Текст"}};
    b.announcements.push_back(a);
    b.windows = {{1, "Окно 1"}, {3, "Окно 3"}};
    auto back = wire::parseBoard(wire::toJson(b).dump());
    ASSERT_TRUE(back.ok()) << back.error().message;
    ASSERT_EQ(back.value().announcements.size(), 1u);
    EXPECT_EQ(back.value().announcements[0].id, 3);
    ASSERT_EQ(back.value().windows.size(), 2u);
    EXPECT_EQ(back.value().windows[1].number, 3);
    EXPECT_EQ(back.value().windows[1].name, "Окно 3");

    // A snapshot from a server before announcements still parses.
    auto old =
        wire::parseBoard(R"({"calls": [], "services": [], "last_event_id": 9, "log_id": "x"})");
    ASSERT_TRUE(old.ok());
    EXPECT_EQ(old.value().lastEventId, 9);
    EXPECT_TRUE(old.value().announcements.empty());
    EXPECT_TRUE(old.value().windows.empty());
}

}  // namespace
}  // namespace talon::server
