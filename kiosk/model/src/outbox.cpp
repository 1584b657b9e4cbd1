// The kiosk outbox in SQLite. SQLiteCpp throws: every exception is caught here and becomes an
// Error. Schema migrations are appended below; never edit one that has shipped.
#include "talon/kiosk/outbox.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <limits>
#include <random>
#include <system_error>

namespace talon::kiosk {
namespace {

// PRAGMA application_id of every outbox ("TKOB"), so a file of another program (or the
// server's database) is told apart from an outbox before anything is written to it.
constexpr int kApplicationId = 0x544B4F42;

constexpr std::array kMigrations = {
    // 1: the outbox. AUTOINCREMENT: an id is never reused after prune(), so an id the delivery
    // worker still holds can never name another visitor's submission.
    R"sql(
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,                  -- reading, appeal
    idempotency_key TEXT NOT NULL UNIQUE,
    local_code TEXT NOT NULL UNIQUE,     -- "K7F3-A9C2", as printed on the receipt
    body TEXT NOT NULL,                  -- the JSON request body
    created_at INTEGER NOT NULL,         -- ms since epoch, UTC
    attempts INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'rejected')),
    result TEXT NOT NULL DEFAULT '',     -- delivered: the server's answer; rejected: "code: message"
    last_attempt_at INTEGER,
    last_error TEXT NOT NULL DEFAULT '',
    finished_at INTEGER                  -- delivered or rejected at
);
CREATE INDEX outbox_state ON outbox(state, id);
CREATE INDEX outbox_delivered ON outbox(finished_at) WHERE state = 'delivered';
)sql",
};

constexpr const char* kColumns =
    "id, kind, idempotency_key, local_code, body, created_at, attempts, state, result, "
    "last_attempt_at, "
    "last_error, finished_at";

constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

OutboxItem readItem(SQLite::Statement& q) {
    OutboxItem item;
    item.id = q.getColumn(0).getInt64();
    item.kind = q.getColumn(1).getString();
    item.idempotencyKey = q.getColumn(2).getString();
    item.localCode = q.getColumn(3).getString();
    item.body = q.getColumn(4).getString();
    item.createdAt = fromMillis(q.getColumn(5).getInt64());
    item.attempts = q.getColumn(6).getInt();
    item.state = q.getColumn(7).getString();
    item.result = q.getColumn(8).getString();
    if (!q.getColumn(9).isNull()) item.lastAttemptAt = fromMillis(q.getColumn(9).getInt64());
    item.lastError = q.getColumn(10).getString();
    if (!q.getColumn(11).isNull()) item.finishedAt = fromMillis(q.getColumn(11).getInt64());
    return item;
}

Error openError(const std::filesystem::path& file, std::string code, const std::string& sentence) {
    return makeError(ErrorKind::Storage, std::move(code),
                     "The kiosk outbox " + file.string() + " " + sentence);
}

}  // namespace

int outboxSchemaVersion() {
    return static_cast<int>(kMigrations.size());
}

Outbox::Outbox(std::filesystem::path file, std::unique_ptr<SQLite::Database> db)
    : m_file(std::move(file)), m_db(std::move(db)) {}

Outbox::~Outbox() = default;

Result<std::unique_ptr<Outbox>> Outbox::open(const std::filesystem::path& file) {
    // SQLite takes "" for a temporary database that vanishes on close: never for submissions.
    if (file.empty()) {
        return makeError(
            ErrorKind::Storage, "no_outbox_path",
            "No file is set for the kiosk outbox. Set kiosk.outbox in the kiosk's config.");
    }
    std::error_code ec;
    if (file.has_parent_path() && !std::filesystem::exists(file.parent_path(), ec)) {
        std::filesystem::create_directories(file.parent_path(), ec);
        if (ec) {
            return openError(file, "outbox_open",
                             "cannot be created: its folder cannot be made (" + ec.message() +
                                 "). Check the path kiosk.outbox and the folder's permissions.");
        }
    }
    try {
        auto db = std::make_unique<SQLite::Database>(file.string(),
                                                     SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db->setBusyTimeout(5000);
        // Read-only checks first: a file of another program is left exactly as it was.
        int appId = 0;
        int version = 0;
        int objects = 0;
        try {
            appId = db->execAndGet("PRAGMA application_id").getInt();
            version = db->execAndGet("PRAGMA user_version").getInt();
            objects = db->execAndGet("SELECT count(*) FROM sqlite_master").getInt();
        } catch (const SQLite::Exception& e) {
            if (e.getErrorCode() == SQLITE_NOTADB) {
                return openError(
                    file, "not_database",
                    std::string("is not a SQLite database (") + e.what() +
                        "). Set kiosk.outbox to another file; if this one should be the outbox, "
                        "keep a copy for the administrator before removing it.");
            }
            throw;
        }
        const bool fresh = appId == 0 && version == 0 && objects == 0;
        if (appId != kApplicationId && !fresh) {
            return openError(
                file, "not_outbox",
                "belongs to another program (it is a SQLite database, but not a Talon kiosk "
                "outbox). Set kiosk.outbox to another file.");
        }
        if (version > outboxSchemaVersion()) {
            return openError(
                file, "outbox_too_new",
                "was written by a newer talon-kiosk (outbox schema " + std::to_string(version) +
                    ", this build knows " + std::to_string(outboxSchemaVersion()) +
                    "). Upgrade talon-kiosk; do not delete the file, it may hold undelivered "
                    "submissions.");
        }
        db->exec("PRAGMA journal_mode=WAL");
        db->exec("PRAGMA synchronous=FULL");
        for (;;) {
            SQLite::Transaction tx(*db, SQLite::TransactionBehavior::IMMEDIATE);
            // Read again under the write lock: another process may have migrated meanwhile.
            version = db->execAndGet("PRAGMA user_version").getInt();
            if (version >= outboxSchemaVersion()) break;
            db->exec(kMigrations[static_cast<size_t>(version)]);
            db->exec("PRAGMA user_version=" + std::to_string(version + 1));
            db->exec("PRAGMA application_id=" + std::to_string(kApplicationId));
            tx.commit();
        }
        return std::unique_ptr<Outbox>(new Outbox(file, std::move(db)));
    } catch (const SQLite::Exception& e) {
        return openError(
            file, "outbox_open",
            std::string("cannot be opened: ") + e.what() +
                ". Check the path kiosk.outbox, the folder's permissions and the free disk space.");
    }
}

Error Outbox::storageError(const std::string& doing, const std::string& what) const {
    return makeError(ErrorKind::Storage, "outbox_storage",
                     "The kiosk outbox " + m_file.string() + " failed " + doing + ": " + what +
                         ". Check the free disk space and that the file is writable.");
}

Result<OutboxItem> Outbox::add(const std::string& kind, const std::string& idempotencyKey,
                               const std::string& localCode, const std::string& body,
                               WallTime createdAt) {
    if (kind.empty() || idempotencyKey.empty() || localCode.empty()) {
        return makeError(ErrorKind::Invalid, "outbox_item_incomplete",
                         "An outbox item needs a kind, an idempotency key and a local code.");
    }
    std::lock_guard lock(m_mutex);
    try {
        SQLite::Statement insert(
            *m_db,
            "INSERT INTO outbox(kind, idempotency_key, local_code, body, created_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(idempotency_key) DO NOTHING");
        insert.bind(1, kind);
        insert.bind(2, idempotencyKey);
        insert.bind(3, localCode);
        insert.bind(4, body);
        insert.bind(5, static_cast<int64_t>(toMillis(createdAt)));
        insert.exec();
        SQLite::Statement q(
            *m_db, std::string("SELECT ") + kColumns + " FROM outbox WHERE idempotency_key = ?");
        q.bind(1, idempotencyKey);
        if (!q.executeStep())
            return storageError("storing a submission", "the stored row cannot be read back");
        return readItem(q);
    } catch (const SQLite::Exception& e) {
        if (e.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE) {
            return makeError(ErrorKind::Conflict, "local_code_taken",
                             "The local code " + localCode +
                                 " already belongs to another submission; make a new one.");
        }
        return storageError("storing a submission", e.what());
    }
}

Result<std::vector<OutboxItem>> Outbox::pending(size_t limit) {
    std::lock_guard lock(m_mutex);
    try {
        SQLite::Statement q(*m_db, std::string("SELECT ") + kColumns +
                                       " FROM outbox WHERE state = 'pending' ORDER BY id LIMIT ?");
        const auto maxLimit = static_cast<size_t>(std::numeric_limits<int64_t>::max());
        q.bind(1, static_cast<int64_t>(std::min(limit, maxLimit)));
        std::vector<OutboxItem> items;
        while (q.executeStep()) items.push_back(readItem(q));
        return items;
    } catch (const SQLite::Exception& e) {
        return storageError("listing pending submissions", e.what());
    }
}

Result<std::optional<OutboxItem>> Outbox::find(int64_t id) {
    std::lock_guard lock(m_mutex);
    try {
        SQLite::Statement q(*m_db, std::string("SELECT ") + kColumns + " FROM outbox WHERE id = ?");
        q.bind(1, id);
        if (!q.executeStep()) return std::optional<OutboxItem>{};
        return std::optional<OutboxItem>(readItem(q));
    } catch (const SQLite::Exception& e) {
        return storageError("reading a submission", e.what());
    }
}

Result<std::optional<OutboxItem>> Outbox::findByLocalCode(const std::string& code) {
    const auto canonical = normalizeLocalCode(code);
    std::lock_guard lock(m_mutex);
    try {
        SQLite::Statement q(
            *m_db, std::string("SELECT ") + kColumns + " FROM outbox WHERE local_code = ?");
        q.bind(1, canonical ? *canonical : code);
        if (!q.executeStep()) return std::optional<OutboxItem>{};
        return std::optional<OutboxItem>(readItem(q));
    } catch (const SQLite::Exception& e) {
        return storageError("looking up a local code", e.what());
    }
}

Status Outbox::markDelivered(int64_t id, const std::string& resultBody, WallTime at) {
    return finish(id, kOutboxDelivered, resultBody, {}, at);
}

Status Outbox::markRejected(int64_t id, const std::string& reason, WallTime at) {
    return finish(id, kOutboxRejected, reason, {}, at);
}

Status Outbox::noteFailedAttempt(int64_t id, const std::string& error, WallTime at) {
    return finish(id, kOutboxPending, {}, error, at);
}

// One delivery attempt on a pending item: `state` pending keeps it waiting (a failed attempt),
// delivered or rejected ends it.
Status Outbox::finish(int64_t id, const char* state, const std::string& resultText,
                      const std::string& error, WallTime at) {
    const bool failed = std::string_view(state) == kOutboxPending;
    std::lock_guard lock(m_mutex);
    try {
        SQLite::Statement update(
            *m_db,
            failed
                ? "UPDATE outbox SET attempts = attempts + 1, last_attempt_at = ?, last_error = ? "
                  "WHERE id = ? AND state = 'pending'"
                : "UPDATE outbox SET attempts = attempts + 1, last_attempt_at = ?1, finished_at = "
                  "?1, "
                  "state = ?2, result = ?3 WHERE id = ?4 AND state = 'pending'");
        update.bind(1, static_cast<int64_t>(toMillis(at)));
        if (failed) {
            update.bind(2, error);
            update.bind(3, id);
        } else {
            update.bind(2, state);
            update.bind(3, resultText);
            update.bind(4, id);
        }
        if (update.exec() == 1) return okStatus();
        SQLite::Statement q(*m_db, "SELECT state FROM outbox WHERE id = ?");
        q.bind(1, id);
        if (!q.executeStep()) {
            return makeError(
                ErrorKind::NotFound, "outbox_item_unknown",
                "There is no submission " + std::to_string(id) + " in the kiosk outbox.");
        }
        return makeError(ErrorKind::Conflict, "outbox_item_finished",
                         "Submission " + std::to_string(id) + " in the kiosk outbox is already " +
                             q.getColumn(0).getString() + "; it is not delivered again.");
    } catch (const SQLite::Exception& e) {
        return storageError("recording a delivery attempt", e.what());
    }
}

Result<size_t> Outbox::pendingCount() {
    std::lock_guard lock(m_mutex);
    try {
        return static_cast<size_t>(
            m_db->execAndGet("SELECT count(*) FROM outbox WHERE state = 'pending'").getInt64());
    } catch (const SQLite::Exception& e) {
        return storageError("counting pending submissions", e.what());
    }
}

Result<size_t> Outbox::rejectedCount() {
    std::lock_guard lock(m_mutex);
    try {
        return static_cast<size_t>(
            m_db->execAndGet("SELECT count(*) FROM outbox WHERE state = 'rejected'").getInt64());
    } catch (const SQLite::Exception& e) {
        return storageError("counting refused submissions", e.what());
    }
}

Status Outbox::remove(int64_t id) {
    std::lock_guard lock(m_mutex);
    try {
        SQLite::Statement del(*m_db, "DELETE FROM outbox WHERE id = ?");
        del.bind(1, id);
        if (del.exec() == 0) {
            return makeError(ErrorKind::NotFound, "unknown_item", "There is no outbox item " + std::to_string(id) + ".");
        }
        return okStatus();
    } catch (const SQLite::Exception& e) {
        return storageError("removing a submission", e.what());
    }
}

Result<size_t> Outbox::prune(WallTime now, std::chrono::hours keep) {
    if (keep.count() < 0) {
        return makeError(ErrorKind::Invalid, "bad_keep",
                         "How long delivered submissions are kept cannot be negative.");
    }
    const auto cutoff = now - std::chrono::duration_cast<std::chrono::milliseconds>(keep);
    std::lock_guard lock(m_mutex);
    try {
        SQLite::Statement del(*m_db,
                              "DELETE FROM outbox WHERE state = 'delivered' AND finished_at < ?");
        del.bind(1, static_cast<int64_t>(toMillis(cutoff)));
        return static_cast<size_t>(del.exec());
    } catch (const SQLite::Exception& e) {
        return storageError("removing old delivered submissions", e.what());
    }
}

std::string newLocalCode() {
    // One per thread: a shared random_device is not safe to call from two threads at once.
    thread_local std::random_device device;
    const uint64_t bits =
        ((static_cast<uint64_t>(device()) << 32) | static_cast<uint64_t>(device())) &
        ((uint64_t{1} << 40) - 1);
    std::string code;
    code.reserve(9);
    for (int i = 0; i < 8; ++i) {
        if (i == 4) code.push_back('-');
        code.push_back(kCrockford[(bits >> (35 - 5 * i)) & 31]);
    }
    return code;
}

std::optional<std::string> normalizeLocalCode(std::string_view typed) {
    std::string symbols;
    for (char raw : typed) {
        if (raw == '-' || raw == ' ') continue;
        char c = raw >= 'a' && raw <= 'z' ? static_cast<char>(raw - 'a' + 'A') : raw;
        if (c == 'O') c = '0';
        if (c == 'I' || c == 'L') c = '1';
        if (kCrockford.find(c) == std::string_view::npos || symbols.size() == 8)
            return std::nullopt;
        symbols.push_back(c);
    }
    if (symbols.size() != 8) return std::nullopt;
    return symbols.substr(0, 4) + "-" + symbols.substr(4);
}

}  // namespace talon::kiosk
