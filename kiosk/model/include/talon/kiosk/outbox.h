// The kiosk's durable local outbox: submissions (meter readings, later appeals) made while the
// server cannot be reached wait here, in their own SQLite file, until a delivery worker gets
// them to the server exactly once (each carries its idempotency key) — across kiosk restarts.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "talon/common/result.h"
#include "talon/common/time.h"

namespace SQLite {
class Database;
}

namespace talon::kiosk {

struct OutboxItem {
    int64_t id = 0;
    std::string kind;            // "reading" (later "appeal")
    std::string idempotencyKey;  // sent as Idempotency-Key on every delivery attempt
    std::string localCode;       // printed on the visitor's receipt, e.g. "K7F3-A9C2"
    std::string body;            // the JSON request body, as it will be POSTed
    WallTime createdAt{};        // when the visitor submitted it
    int attempts = 0;            // delivery attempts made, the final one included
    std::string state;           // "pending", "delivered", "rejected"
    std::string result;          // delivered: the server's answer body; rejected: "code: message"
    std::optional<WallTime> lastAttemptAt;
    std::string lastError;  // the latest failed attempt's reason (transport error text)
    /// When it was delivered or rejected; prune() counts a delivered item's age from here.
    std::optional<WallTime> finishedAt;
};

inline constexpr const char* kOutboxPending = "pending";
inline constexpr const char* kOutboxDelivered = "delivered";
inline constexpr const char* kOutboxRejected = "rejected";

/// Thread-safe: every call holds one mutex, so the UI thread (add, findByLocalCode) and the
/// delivery worker (pending, mark*) share one Outbox. Errors are ErrorKind::Storage unless a
/// function says otherwise. One kiosk process per file: two would deliver the same items twice
/// (harmless for the server thanks to the idempotency key, but wasteful).
class Outbox {
public:
    /// Opens (creates) the outbox file, and its parent directory if missing; WAL,
    /// synchronous=FULL, so an add() that returned survives a crash or power cut.
    /// Errors (Storage): an empty path; the file cannot be opened or created; it is not a SQLite
    /// database; it is a database of some other program (code "not_outbox"); it was written by
    /// a newer talon-kiosk (code "outbox_too_new"). A foreign file is never modified.
    static Result<std::unique_ptr<Outbox>> open(const std::filesystem::path& file);
    ~Outbox();
    Outbox(const Outbox&) = delete;
    Outbox& operator=(const Outbox&) = delete;

    /// Stores a new pending item durably; errors: storage, Invalid for an empty kind, key or
    /// code, Conflict when `localCode` already belongs to another item. Same idempotency key
    /// twice → the existing item, whatever its state (no second row):
    /// print the returned item's localCode, not the one passed in.
    Result<OutboxItem> add(const std::string& kind, const std::string& idempotencyKey,
                           const std::string& localCode, const std::string& body,
                           WallTime createdAt);
    /// Pending items, oldest first, at most `limit`. "Oldest" is the order add() stored them in,
    /// not createdAt: a kiosk that boots offline may correct its clock between two submissions.
    Result<std::vector<OutboxItem>> pending(size_t limit = 100);
    Result<std::optional<OutboxItem>> find(int64_t id);
    /// Looks an item up by its local code (staff: "what happened to my K7F3-A9C2?"). A code
    /// typed by a person is read the Crockford way: any case, with or without the dash, O as 0,
    /// I and L as 1.
    Result<std::optional<OutboxItem>> findByLocalCode(const std::string& code);
    /// The server accepted it: state "delivered", `resultBody` kept, one more attempt counted.
    /// Errors: NotFound for an unknown id, Conflict when the item is no longer pending.
    Status markDelivered(int64_t id, const std::string& resultBody, WallTime at);
    /// The server refused it for good (a 4xx, "code: message" in `reason`): state "rejected".
    /// Errors as for markDelivered.
    Status markRejected(int64_t id, const std::string& reason, WallTime at);
    /// A delivery attempt failed in a way worth retrying (transport error, 5xx): the item stays
    /// pending, attempts + 1, lastError = `error`. Errors as for markDelivered.
    Status noteFailedAttempt(int64_t id, const std::string& error, WallTime at);
    Result<size_t> pendingCount();
    /// Items the server refused after the visitor had left: staff must see to them.
    Result<size_t> rejectedCount();
    /// Removes an item for good: a refusal the visitor saw on the screen (nothing is owed to
    /// them), so their account number does not stay on the kiosk. NotFound for an unknown id.
    Status remove(int64_t id);
    /// Delivered items older than `keep` are removed (rejected and pending ones never are);
    /// their age counts from delivery. Returns how many were removed. Invalid for a negative keep.
    Result<size_t> prune(WallTime now, std::chrono::hours keep);

    const std::filesystem::path& file() const { return m_file; }

private:
    Outbox(std::filesystem::path file, std::unique_ptr<SQLite::Database> db);
    Status finish(int64_t id, const char* state, const std::string& resultText,
                  const std::string& error, WallTime at);
    Error storageError(const std::string& doing, const std::string& what) const;

    std::filesystem::path m_file;
    std::mutex m_mutex;  // guards m_db: SQLiteCpp statements are not shared across threads
    std::unique_ptr<SQLite::Database> m_db;
};

/// The outbox schema version this build writes (PRAGMA user_version).
int outboxSchemaVersion();

/// A fresh local code "XXXX-XXXX" from Crockford base32 (no I, L, O, U), 40 random bits
/// (std::random_device).
std::string newLocalCode();

/// A local code as a person typed it → its canonical "XXXX-XXXX" form (upper case, O read as
/// 0, I and L as 1, dashes and spaces ignored); nullopt when it is not eight such characters.
std::optional<std::string> normalizeLocalCode(std::string_view typed);

}  // namespace talon::kiosk
