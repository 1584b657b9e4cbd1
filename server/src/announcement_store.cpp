// AnnouncementStore implementation: checks drafts, then reads and writes the announcements
// table through QueueStore's read and write steps (its lock, group commit and event log).
#include "talon/server/announcement_store.h"

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string_view>
#include <system_error>
#include <utility>

#include "talon/common/wire.h"
#include "talon/server/bad_request.h"

namespace talon::server {
namespace {

using nlohmann::json;

constexpr const char* kColumns = "id, texts, image, starts_at, ends_at, priority, created_at";

Error unknownAnnouncement(int64_t id) {
    Error e = makeError(ErrorKind::NotFound, "unknown_announcement", "unknown_announcement");
    e.params = {{"announcement", std::to_string(id)}};
    return e;
}

bool validLanguage(const std::string& code) {
    return code.size() >= 2 && code.size() <= 3 &&
           std::all_of(code.begin(), code.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

bool blank(uint32_t cp) {
    return cp == 0x20 || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x3000 ||
           cp == 0xFEFF;
}

/// Why a board cannot show `text`, as a catalog key; empty when it can. Control characters
/// (C0, DEL, C1, line and paragraph separators) would break the one-line ticker.
std::string textProblem(std::string_view text) {
    if (text.size() > AnnouncementStore::kMaxTextBytes) return "detail.announcement_text_length";
    const std::string utf8 = "detail.announcement_text_utf8";
    bool visible = false;
    for (size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        uint32_t cp = 0;
        size_t n = 0;
        if (lead < 0x80) {
            cp = lead, n = 1;
        } else if (lead >= 0xC2 && lead <= 0xDF) {
            cp = lead & 0x1Fu, n = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            cp = lead & 0x0Fu, n = 3;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            cp = lead & 0x07u, n = 4;
        } else {
            return utf8;
        }
        if (i + n > text.size()) return utf8;
        for (size_t k = 1; k < n; ++k) {
            const auto c = static_cast<unsigned char>(text[i + k]);
            if ((c & 0xC0u) != 0x80u) return utf8;
            cp = (cp << 6) | (c & 0x3Fu);
        }
        // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
        if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF)) {
            return utf8;
        }
        if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029) {
            return "detail.announcement_text_control";
        }
        visible = visible || !blank(cp);
        i += n;
    }
    return visible ? std::string{} : "detail.announcement_text_empty";
}

bool validImageName(const std::string& name) {
    return !name.empty() && name.size() <= AnnouncementStore::kMaxImageName &&
           name.front() != '.' && std::all_of(name.begin(), name.end(), [](char c) {
               return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-';
           });
}

bool live(const Announcement& a, WallTime now) {
    return !a.endsAt || *a.endsAt > now;
}

void bindTime(SQLite::Statement& q, int index, const std::optional<WallTime>& t) {
    if (t) {
        q.bind(index, toMillis(*t));
    } else {
        q.bind(index);
    }
}

std::optional<WallTime> timeColumn(const SQLite::Column& c) {
    if (c.isNull()) return std::nullopt;
    return fromMillis(c.getInt64());
}

/// One row selected with kColumns.
Announcement rowToAnnouncement(SQLite::Statement& q) {
    Announcement a;
    a.id = q.getColumn(0).getInt64();
    a.texts = json::parse(q.getColumn(1).getString()).get<LocalizedText>();
    a.image = q.getColumn(2).getString();
    a.startsAt = timeColumn(q.getColumn(3));
    a.endsAt = timeColumn(q.getColumn(4));
    a.priority = q.getColumn(5).getString();
    a.createdAt = fromMillis(q.getColumn(6).getInt64());
    return a;
}

/// The announcement `id` unless it is deleted (or never was).
std::optional<Announcement> findLive(SQLite::Database& db, int64_t id) {
    SQLite::Statement q(db, std::string("SELECT ") + kColumns +
                                " FROM announcements WHERE id = ? AND deleted_at IS NULL");
    q.bind(1, id);
    if (!q.executeStep()) return std::nullopt;
    return rowToAnnouncement(q);
}

/// Live announcements (not deleted, not ended) other than `except`.
int countLive(SQLite::Database& db, WallTime now, int64_t except) {
    SQLite::Statement q(db,
                        "SELECT COUNT(*) FROM announcements WHERE deleted_at IS NULL "
                        "AND (ends_at IS NULL OR ends_at > ?) AND id != ?");
    q.bind(1, toMillis(now));
    q.bind(2, except);
    q.executeStep();
    return q.getColumn(0).getInt();
}

Status checkRoom(SQLite::Database& db, const Announcement& a, WallTime now, int64_t except) {
    if (live(a, now) && countLive(db, now, except) >= AnnouncementStore::kMaxLive) {
        Error e =
            makeError(ErrorKind::Conflict, "too_many_announcements", "too_many_announcements");
        e.params = {{"max", std::to_string(AnnouncementStore::kMaxLive)}};
        return e;
    }
    return okStatus();
}

std::string eventData(const Announcement& a) {
    return json{{"announcement", wire::toJson(a)}}.dump();
}

}  // namespace

AnnouncementStore::AnnouncementStore(QueueStore& store, const Clock& clock,
                                     std::filesystem::path imagesDir)
    : m_store(store), m_clock(clock), m_imagesDir(std::move(imagesDir)) {}

Status AnnouncementStore::validate(const Announcement& draft) const {
    if (draft.texts.empty()) return badField("detail.announcement_texts");
    for (const auto& [lang, text] : draft.texts) {
        if (!validLanguage(lang)) return badField("detail.announcement_language");
        if (std::string problem = textProblem(text); !problem.empty()) return badField(problem);
    }
    if (!draft.image.empty()) {
        if (!validImageName(draft.image)) return badField("detail.announcement_image");
        std::error_code ec;
        if (!std::filesystem::is_regular_file(m_imagesDir / draft.image, ec)) {
            return badField("detail.announcement_image_missing");
        }
    }
    if (draft.startsAt && draft.endsAt && *draft.endsAt <= *draft.startsAt) {
        return badField("detail.announcement_ends_before_starts");
    }
    if (draft.priority != "normal" && draft.priority != "urgent")
        return badField("detail.announcement_priority");
    return okStatus();
}

Result<std::vector<Announcement>> AnnouncementStore::list(bool includeEnded) const {
    std::vector<Announcement> out;
    const WallTime now = m_clock.wallNow();
    Status st = m_store.readStep([&](SQLite::Database& db) {
        // At most kMaxLive are live (create and update check it); ended ones pile up over years.
        SQLite::Statement q(db, std::string("SELECT ") + kColumns +
                                    " FROM announcements WHERE deleted_at IS NULL " +
                                    (includeEnded ? "" : "AND (ends_at IS NULL OR ends_at > ?1) ") +
                                    "ORDER BY created_at DESC, id DESC LIMIT ?2");
        if (!includeEnded) q.bind(1, toMillis(now));
        q.bind(2, includeEnded ? kListAllLimit : kMaxLive);
        while (q.executeStep()) out.push_back(rowToAnnouncement(q));
    });
    if (!st) return st.error();
    return out;
}

Result<Announcement> AnnouncementStore::create(const Announcement& draft) {
    if (Status st = validate(draft); !st) return st.error();
    Announcement stored = draft;
    Status st = m_store.writeStep(
        [&](SQLite::Database& db, WallTime now) { return checkRoom(db, draft, now, 0); },
        [&](QueueStore::StepWriter& w) {
            stored.createdAt = w.now();
            SQLite::Statement ins(
                w.db(),
                "INSERT INTO announcements(texts, image, starts_at, ends_at, priority, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
            ins.bind(1, json(stored.texts).dump());
            ins.bind(2, stored.image);
            bindTime(ins, 3, stored.startsAt);
            bindTime(ins, 4, stored.endsAt);
            ins.bind(5, stored.priority);
            ins.bind(6, toMillis(stored.createdAt));
            ins.bind(7, toMillis(stored.createdAt));
            ins.exec();
            stored.id = w.db().getLastInsertRowid();
            w.emit("announcement.created", eventData(stored));
        });
    if (!st) return st.error();
    return stored;
}

Result<Announcement> AnnouncementStore::update(int64_t id, const Announcement& draft) {
    if (Status st = validate(draft); !st) return st.error();
    Announcement stored = draft;
    stored.id = id;
    Status st = m_store.writeStep(
        [&](SQLite::Database& db, WallTime now) -> Status {
            auto old = findLive(db, id);
            if (!old) return unknownAnnouncement(id);
            stored.createdAt = old->createdAt;
            return checkRoom(db, draft, now, id);
        },
        [&](QueueStore::StepWriter& w) {
            SQLite::Statement upd(
                w.db(),
                "UPDATE announcements SET texts = ?, image = ?, starts_at = ?, ends_at = ?, "
                "priority = ?, updated_at = ? WHERE id = ?");
            upd.bind(1, json(stored.texts).dump());
            upd.bind(2, stored.image);
            bindTime(upd, 3, stored.startsAt);
            bindTime(upd, 4, stored.endsAt);
            upd.bind(5, stored.priority);
            upd.bind(6, toMillis(w.now()));
            upd.bind(7, id);
            upd.exec();
            w.emit("announcement.updated", eventData(stored));
        });
    if (!st) return st.error();
    return stored;
}

Status AnnouncementStore::remove(int64_t id) {
    return m_store.writeStep(
        [&](SQLite::Database& db, WallTime) -> Status {
            if (!findLive(db, id)) return unknownAnnouncement(id);
            return okStatus();
        },
        [&](QueueStore::StepWriter& w) {
            SQLite::Statement del(w.db(), "UPDATE announcements SET deleted_at = ? WHERE id = ?");
            del.bind(1, toMillis(w.now()));
            del.bind(2, id);
            del.exec();
            w.emit("announcement.deleted", json{{"announcement_id", id}}.dump());
        });
}

}  // namespace talon::server
