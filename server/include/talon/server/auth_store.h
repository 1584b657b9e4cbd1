// AuthStore: clerk and administrator logins (docs/api.md, Logins). Users with Argon2id
// password hashes, sessions whose tokens are kept only as hashes, and failed-login counts that
// slow guessing down. In the server it shares QueueStore's connection through its read and
// write steps (one lock, group commit); the `talon-server user` commands give it a connection
// of its own.
#pragma once

#include <SQLiteCpp/Database.h>

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <semaphore>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "talon/common/result.h"
#include "talon/common/time.h"
#include "talon/server/config.h"
#include "talon/server/queue_store.h"

namespace talon::server {

struct User {
    int64_t id = 0;
    std::string login;         // lower case
    std::string name;          // as people read it, e.g. "Иванова А."
    std::string role;          // "clerk" or "admin"
    std::vector<int> windows;  // the windows the user may take; an admin with none: any
    bool active = true;
    WallTime createdAt{};
};

struct Session {
    User user;
    std::optional<int> window;          // the window chosen, if any
    std::vector<std::string> services;  // the service letters chosen there
    WallTime createdAt{};
    WallTime lastSeenAt{};  // refreshed at most every touchInterval()
    WallTime expiresAt{};   // the absolute end; it also ends after the idle time without requests
};

struct LoginResult {
    std::string token;  // handed to the client once; the database keeps only its hash
    Session session;
};

struct NewUser {
    std::string login;
    std::string name;
    std::string role = "clerk";
    std::vector<int> windows;
};

class AuthStore {
public:
    static constexpr size_t kMaxLogin = 64;
    static constexpr size_t kMaxName = 100;
    static constexpr size_t kMinPassword =
        8;  // for passwords people set; the demo ones are shorter
    static constexpr size_t kMaxPassword = 1024;
    static constexpr int kHashesAtOnce = 2;  // each Argon2id run takes 64 MiB and a core

    /// In the server: on QueueStore's connection, lock and group commit. `config` gives the
    /// [auth] settings and the windows with their services.
    AuthStore(QueueStore& store, const Clock& clock, const ServerConfig& config);
    /// For the `talon-server user` commands (and tests): on a connection of its own to a
    /// database openDatabase() has migrated.
    AuthStore(SQLite::Database& db, const Clock& clock, const ServerConfig& config);

    // ---- users ------------------------------------------------------------------------------
    /// Stores a user with the password hashed (Argon2id). Errors: bad_request whose `detail`
    /// names the field ("detail.user_login", "detail.user_name", "detail.user_role",
    /// "detail.user_windows", "detail.password_length"); user_exists (409, logins are compared
    /// without case); storage.
    Result<User> addUser(const NewUser& user, std::string_view password);
    /// Errors: unknown_user (404); bad_request (detail.password_length); storage. A demo
    /// account with a new password stays on outside demo mode.
    Status setPassword(std::string_view login, std::string_view password);
    /// Switching a user off also ends their sessions. Errors: unknown_user (404); storage.
    Status setActive(std::string_view login, bool active);
    /// Every user, by login. Errors: storage.
    Result<std::vector<User>> users() const;
    /// Demo mode (config.auth.demoUsers): when there are no users at all, adds clerk<N> with
    /// password "demo" for every configured window N (allowed that window) and admin/admin
    /// (any window); returns how many were added. Outside demo mode, switches off demo
    /// accounts still on their public password (a database first run as a demo), and returns 0.
    Result<int> prepareDemoUsers();

    // ---- sessions ---------------------------------------------------------------------------
    /// Checks the pair and opens a session. `address`: the client's IP, for rate limiting.
    /// Errors: bad_login (the pair is wrong; never which half), too_many_attempts (more than
    /// maxFailedLogins failures for this login, or maxFailedLoginsPerAddress from this
    /// address, within the window: params `retry` (ISO time it is allowed again) and
    /// `retry_after` (seconds)), account_disabled (right password, switched-off user), storage.
    Result<LoginResult> login(std::string_view login, std::string_view password,
                              const std::string& address);
    /// Ends the session (no error when there is none). Errors: storage.
    Status logout(std::string_view token);
    /// The live session of `token`; refreshes its last-seen time when older than
    /// touchInterval(). Errors: no_session (no such token, logged out, user switched off),
    /// session_expired (idle too long or past its lifetime), storage.
    /// `activity` false: a console reading by itself (polling its session, figures or lists),
    /// which must not keep an unattended session alive nor hold its window against takeover;
    /// only what a person does (steps, choosing a window, logging in) counts as activity.
    Result<Session> authenticate(std::string_view token, bool activity = true);
    /// The session takes `window` (nullopt: gives its window up) to serve `services` (empty:
    /// all the window serves). Another session of the same user at that window loses it; one
    /// of another user loses it only after windowTakeoverSeconds without a request.
    /// Errors: as authenticate(); unknown_window (404); window_not_allowed (403, params
    /// `window`, `windows`); window_taken (409, params `window`, `name`, `time`: when it may be
    /// taken over); bad_request (detail.session_services: a service the window does not serve).
    Result<Session> chooseWindow(std::string_view token, std::optional<int> window,
                                 const std::vector<std::string>& services);

    /// Forgets failed logins past their window (kept a day for the record) and sessions a
    /// day past their end. Cheap to call every second: works every ten minutes.
    void sweep();

    /// How stale last_seen may get before a request writes it again: a minute, or a quarter
    /// of the idle time when that is shorter (so an active session never looks idle).
    std::chrono::milliseconds touchInterval() const;
    const AuthConfig& config() const { return m_config; }
    /// The hex BLAKE2b-256 of a token: what the sessions table keeps.
    static std::string tokenHash(std::string_view token);
    /// Lower case; nullopt unless 1–64 of Latin letters, digits, '.', '_', '-'.
    static std::optional<std::string> normalLogin(std::string_view login);

private:
    using Check = std::function<Status(SQLite::Database&, WallTime now)>;
    using Write = std::function<void(SQLite::Database&, WallTime now)>;
    /// `check` reads under the lock; unless it fails, `write` runs as one durable step.
    Status write(const Check& check, const Write& write);
    /// Finds the user `login` (unknown_user when there is none) and runs `change` on its row id
    /// as one durable step.
    Status writeUser(std::string_view login, const std::function<void(SQLite::Database&, int64_t userId)>& change);
    Status read(const std::function<void(SQLite::Database&, WallTime now)>& read) const;
    /// crypto_pwhash_str (throttled to kHashesAtOnce); empty when out of memory.
    std::string hashPassword(std::string_view password);
    bool verifyPassword(const std::string& hash, std::string_view password);
    /// A session row with its user, and why it is no good (empty when live).
    struct Found {
        Session session;
        int64_t id = 0;
        int64_t userId = 0;
        std::string problem;  // "", "no_session", "session_expired"
    };
    Found findSession(SQLite::Database& db, const std::string& hash, WallTime now) const;
    /// authenticate() with the row id.
    Result<Found> liveSession(std::string_view token, bool activity = true);
    bool sessionLive(WallTime lastSeen, WallTime expires, WallTime now) const;

    QueueStore* m_store = nullptr;     // the server's shared connection...
    SQLite::Database* m_db = nullptr;  // ...or one of its own
    mutable std::mutex m_ownMutex;     // for m_db
    const Clock& m_clock;
    AuthConfig m_config;
    std::map<int, std::vector<std::string>> m_windows;  // number -> service letters
    std::counting_semaphore<kHashesAtOnce> m_hashSlots{kHashesAtOnce};
    // Attempts of one login, or from one address, run one at a time: each reads the failures
    // so far, checks the password and records itself before the next reads, so parallel
    // guesses cannot slip past the limit while the slow hash runs.
    class AttemptTurn;
    std::mutex m_attemptMutex;
    std::condition_variable m_attemptDone;
    std::set<std::string> m_attemptsRunning;  // "login:<login>", "address:<address>"
    std::mutex m_sweepMutex;
    std::optional<Instant> m_lastSweep;
};

}  // namespace talon::server
