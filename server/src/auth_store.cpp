// AuthStore implementation: libsodium for password hashes (Argon2id), session tokens
// (random bytes) and their stored hashes (BLAKE2b); SQL through QueueStore's read and write
// steps, or through its own connection for the command line. Slow hashing never runs under a
// lock: the row is read, the hash checked outside, and the outcome written in a second step.
#include "talon/server/auth_store.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "talon/server/bad_request.h"

namespace talon::server {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// Argon2id at libsodium's "interactive" cost (2 passes over 64 MiB, about 0.1 s on an office
// server). It is the level libsodium recommends for online logins: a clerk waits a moment, two
// at once fit in memory, and a stolen database still costs an attacker 0.1 s of a core and 64
// MiB per guess per account. The "moderate" (0.7 s, 256 MiB) and "sensitive" (3.5 s, 1 GiB)
// levels are meant for keys derived offline; online guessing is capped by rate limiting.
constexpr unsigned long long kOpsLimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
constexpr size_t kMemLimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;

// The demo accounts' public passwords, hashed once at that cost ("demo" and "admin"), so a
// demo database is ready at once. kDemoHash also stands in for a login that does not exist,
// so such an attempt takes as long as a real one and does not tell that the login is wrong.
constexpr const char* kDemoHash =
    "$argon2id$v=19$m=65536,t=2,p=1$t6ZgnzswyFe9GtDXl5NXSw$nxEg/lJSj+1D51EiJ2CzvzM+NQ/"
    "h34AuDOvibmLKBlk";
constexpr const char* kAdminHash =
    "$argon2id$v=19$m=65536,t=2,p=1$5fItkvIEbizqur+akqOqtw$"
    "ew9jR9kC85CBWXlhO2rYCTkhwyyTSUIabsZ2OdcQ0qQ";
constexpr const char* kDemoNames[] = {"Иванова А.",  "Петров Б.",   "Сидорова В.",
                                      "Кузнецов Г.", "Смирнова Д.", "Попов Е."};

constexpr size_t kTokenBytes = 32;
constexpr auto kSweepEvery = 10min;
constexpr auto kKeepEnded = 24h;  // expired sessions still answer session_expired this long
constexpr const char* kUserColumns = "id, login, name, role, windows, active, created_at";

Error apiError(ErrorKind kind, const std::string& code,
               std::vector<std::pair<std::string, std::string>> params = {}) {
    Error e = makeError(kind, code, code);
    e.params = std::move(params);
    return e;
}

Error storageError(const std::exception& e) {
    spdlog::error("database (logins): {}", e.what());
    return makeError(ErrorKind::Storage, "internal", e.what());
}

/// One row selected with kUserColumns, from column `first` on.
User rowToUser(SQLite::Statement& q, int first = 0) {
    User u;
    u.id = q.getColumn(first).getInt64();
    u.login = q.getColumn(first + 1).getString();
    u.name = q.getColumn(first + 2).getString();
    u.role = q.getColumn(first + 3).getString();
    u.windows = json::parse(q.getColumn(first + 4).getString()).get<std::vector<int>>();
    u.active = q.getColumn(first + 5).getInt() != 0;
    u.createdAt = fromMillis(q.getColumn(first + 6).getInt64());
    return u;
}

std::optional<User> findUser(SQLite::Database& db, const std::string& login) {
    SQLite::Statement q(db, std::string("SELECT ") + kUserColumns + " FROM users WHERE login = ?");
    q.bind(1, login);
    if (!q.executeStep()) return std::nullopt;
    return rowToUser(q);
}

bool validName(std::string_view name) {
    return !name.empty() && name.size() <= AuthStore::kMaxName &&
           std::none_of(name.begin(), name.end(), [](char c) {
               const auto u = static_cast<unsigned char>(c);
               return u < 0x20 || u == 0x7f;
           });
}

bool validToken(std::string_view token) {
    return token.size() == kTokenBytes * 2 && std::all_of(token.begin(), token.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

std::string newToken() {
    unsigned char raw[kTokenBytes];
    randombytes_buf(raw, sizeof raw);
    char hex[kTokenBytes * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
    return hex;
}

std::string joinWindows(const std::vector<int>& windows) {
    std::string out;
    for (int w : windows) out += (out.empty() ? "" : ", ") + std::to_string(w);
    return out.empty() ? "—" : out;
}

/// Rounded up to the next whole minute: people read it as "after HH:MM".
WallTime ceilMinute(WallTime t) {
    const auto m = std::chrono::ceil<std::chrono::minutes>(t.time_since_epoch());
    return WallTime{std::chrono::duration_cast<std::chrono::milliseconds>(m)};
}

}  // namespace

AuthStore::AuthStore(QueueStore& store, const Clock& clock, const ServerConfig& config)
    : m_store(&store), m_clock(clock), m_config(config.auth) {
    if (sodium_init() < 0) spdlog::critical("libsodium cannot start: logins will fail");
    for (const auto& w : config.windows) {
        auto& letters = m_windows[w.number];
        for (const auto& ws : w.services) letters.push_back(ws.service);
    }
}

AuthStore::AuthStore(SQLite::Database& db, const Clock& clock, const ServerConfig& config)
    : m_db(&db), m_clock(clock), m_config(config.auth) {
    if (sodium_init() < 0) spdlog::critical("libsodium cannot start: logins will fail");
    for (const auto& w : config.windows) {
        auto& letters = m_windows[w.number];
        for (const auto& ws : w.services) letters.push_back(ws.service);
    }
}

// ---- storage access ----------------------------------------------------------------------

Status AuthStore::write(const Check& check, const Write& write) {
    if (m_store) {
        return m_store->writeStep(check,
                                  [&](QueueStore::StepWriter& w) { write(w.db(), w.now()); });
    }
    std::lock_guard lock(m_ownMutex);
    try {
        const WallTime now = m_clock.wallNow();
        SQLite::Transaction tx(*m_db, SQLite::TransactionBehavior::IMMEDIATE);
        if (Status st = check(*m_db, now); !st) return st;  // rolled back by tx
        write(*m_db, now);
        tx.commit();
        return okStatus();
    } catch (const std::exception& e) {
        return storageError(e);
    }
}

Status AuthStore::read(const std::function<void(SQLite::Database&, WallTime)>& read) const {
    if (m_store) {
        return m_store->readStep([&](SQLite::Database& db) { read(db, m_clock.wallNow()); });
    }
    std::lock_guard lock(m_ownMutex);
    try {
        read(*m_db, m_clock.wallNow());
        return okStatus();
    } catch (const std::exception& e) {
        return storageError(e);
    }
}

std::string AuthStore::hashPassword(std::string_view password) {
    char out[crypto_pwhash_STRBYTES];
    m_hashSlots.acquire();
    const int rc = crypto_pwhash_str(out, password.data(), password.size(), kOpsLimit, kMemLimit);
    m_hashSlots.release();
    if (rc != 0) {
        spdlog::error("hashing a password failed (out of memory?)");
        return {};
    }
    return out;
}

bool AuthStore::verifyPassword(const std::string& hash, std::string_view password) {
    m_hashSlots.acquire();
    const bool ok = crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
    m_hashSlots.release();
    return ok;
}

std::string AuthStore::tokenHash(std::string_view token) {
    unsigned char digest[crypto_generichash_BYTES];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(token.data()),
                       token.size(), nullptr, 0);
    char hex[crypto_generichash_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return hex;
}

std::optional<std::string> AuthStore::normalLogin(std::string_view login) {
    if (login.empty() || login.size() > kMaxLogin) return std::nullopt;
    std::string out;
    for (char c : login) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-')) {
            return std::nullopt;
        }
        out += c;
    }
    return out;
}

std::chrono::milliseconds AuthStore::touchInterval() const {
    return std::min<std::chrono::milliseconds>(
        1min, std::chrono::seconds(m_config.sessionIdleSeconds) / 4);
}

bool AuthStore::sessionLive(WallTime lastSeen, WallTime expires, WallTime now) const {
    return now < expires && now - lastSeen < std::chrono::seconds(m_config.sessionIdleSeconds);
}

// ---- users -------------------------------------------------------------------------------

Result<User> AuthStore::addUser(const NewUser& draft, std::string_view password) {
    auto login = normalLogin(draft.login);
    if (!login) return badField("detail.user_login");
    if (!validName(draft.name)) return badField("detail.user_name");
    if (draft.role != "clerk" && draft.role != "admin") return badField("detail.user_role");
    std::set<int> windows(draft.windows.begin(), draft.windows.end());
    for (int w : windows) {
        if (!m_windows.count(w)) return badField("detail.user_windows");
    }
    if (windows.empty() && draft.role == "clerk") return badField("detail.user_windows");
    if (password.size() < kMinPassword || password.size() > kMaxPassword)
        return badField("detail.password_length");
    const std::string hash = hashPassword(password);
    if (hash.empty()) return makeError(ErrorKind::Storage, "internal", "cannot hash the password");

    User user{0, *login, draft.name, draft.role, {windows.begin(), windows.end()}, true, {}};
    Status st = write(
        [&](SQLite::Database& db, WallTime) -> Status {
            if (findUser(db, user.login))
                return apiError(ErrorKind::Conflict, "user_exists", {{"login", user.login}});
            return okStatus();
        },
        [&](SQLite::Database& db, WallTime now) {
            user.createdAt = now;
            SQLite::Statement ins(
                db,
                "INSERT INTO users(login, name, password_hash, role, windows, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)");
            ins.bind(1, user.login);
            ins.bind(2, user.name);
            ins.bind(3, hash);
            ins.bind(4, user.role);
            ins.bind(5, json(user.windows).dump());
            ins.bind(6, toMillis(now));
            ins.exec();
            user.id = db.getLastInsertRowid();
        });
    if (!st) return st.error();
    return user;
}

Status AuthStore::writeUser(std::string_view loginText,
                            const std::function<void(SQLite::Database&, int64_t userId)>& change) {
    auto login = normalLogin(loginText);
    if (!login)
        return apiError(ErrorKind::NotFound, "unknown_user", {{"login", std::string(loginText)}});
    int64_t id = 0;
    return write(
        [&](SQLite::Database& db, WallTime) -> Status {
            auto u = findUser(db, *login);
            if (!u) return apiError(ErrorKind::NotFound, "unknown_user", {{"login", *login}});
            id = u->id;
            return okStatus();
        },
        [&](SQLite::Database& db, WallTime) { change(db, id); });
}

Status AuthStore::setPassword(std::string_view loginText, std::string_view password) {
    auto login = normalLogin(loginText);
    if (!login)
        return apiError(ErrorKind::NotFound, "unknown_user", {{"login", std::string(loginText)}});
    if (password.size() < kMinPassword || password.size() > kMaxPassword)
        return badField("detail.password_length");
    const std::string hash = hashPassword(password);
    if (hash.empty()) return makeError(ErrorKind::Storage, "internal", "cannot hash the password");
    return writeUser(loginText, [&](SQLite::Database& db, int64_t id) {
        SQLite::Statement upd(db, "UPDATE users SET password_hash = ?, demo = 0 WHERE id = ?");
        upd.bind(1, hash);
        upd.bind(2, id);
        upd.exec();
        // A new password is often set because the old one leaked: its sessions end too.
        SQLite::Statement end(db, "DELETE FROM sessions WHERE user_id = ?");
        end.bind(1, id);
        end.exec();
    });
}

Status AuthStore::setActive(std::string_view loginText, bool active) {
    return writeUser(loginText, [&](SQLite::Database& db, int64_t id) {
        SQLite::Statement upd(db, "UPDATE users SET active = ? WHERE id = ?");
        upd.bind(1, active ? 1 : 0);
        upd.bind(2, id);
        upd.exec();
        if (!active) {
            SQLite::Statement end(db, "DELETE FROM sessions WHERE user_id = ?");
            end.bind(1, id);
            end.exec();
        }
    });
}

Result<std::vector<User>> AuthStore::users() const {
    std::vector<User> out;
    Status st = read([&](SQLite::Database& db, WallTime) {
        SQLite::Statement q(db,
                            std::string("SELECT ") + kUserColumns + " FROM users ORDER BY login");
        while (q.executeStep()) out.push_back(rowToUser(q));
    });
    if (!st) return st.error();
    return out;
}

Result<int> AuthStore::prepareDemoUsers() {
    int changed = 0;
    Status st = write(
        [](SQLite::Database&, WallTime) { return okStatus(); },
        [&](SQLite::Database& db, WallTime now) {
            if (!m_config.demoUsers) {
                // Demo accounts have public passwords: outside demo mode they stay switched off.
                db.exec(
                    "DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE demo = 1)");
                changed = db.exec("UPDATE users SET active = 0 WHERE demo = 1 AND active = 1");
                return;
            }
            if (db.execAndGet("SELECT COUNT(*) FROM users").getInt() > 0) return;
            SQLite::Statement ins(
                db,
                "INSERT INTO users(login, name, password_hash, role, windows, demo, created_at) "
                "VALUES (?, ?, ?, ?, ?, 1, ?)");
            auto add = [&](const std::string& login, const std::string& name, const char* hash,
                           const char* role, const std::vector<int>& windows) {
                ins.bind(1, login);
                ins.bind(2, name);
                ins.bind(3, hash);
                ins.bind(4, role);
                ins.bind(5, json(windows).dump());
                ins.bind(6, toMillis(now));
                ins.exec();
                ins.reset();
                ++changed;
            };
            for (const auto& [number, services] : m_windows) {
                const size_t k = static_cast<size_t>(number - 1);
                const std::string name = k < std::size(kDemoNames)
                                             ? kDemoNames[k]
                                             : "Оператор " + std::to_string(number);
                add("clerk" + std::to_string(number), name, kDemoHash, "clerk", {number});
            }
            add("admin", "Администратор", kAdminHash, "admin", {});
        });
    if (!st) return st.error();
    if (!m_config.demoUsers) {
        if (changed > 0) {
            spdlog::warn(
                "switched off {} demo login(s) with public passwords (not in demo mode); give them "
                "a new "
                "password with `talon-server user passwd LOGIN` and `user enable LOGIN` to keep "
                "them",
                changed);
        }
        return 0;
    }
    return changed;
}

// ---- sessions ----------------------------------------------------------------------------

/// Waits until no other attempt of the same login or from the same address runs, and holds
/// both until destroyed.
class AuthStore::AttemptTurn {
public:
    AttemptTurn(AuthStore& store, std::vector<std::string> keys) : m_store(store), m_keys(std::move(keys)) {
        std::unique_lock lock(m_store.m_attemptMutex);
        m_store.m_attemptDone.wait(lock, [&] {
            return std::none_of(m_keys.begin(), m_keys.end(),
                                [&](const std::string& k) { return m_store.m_attemptsRunning.count(k) > 0; });
        });
        m_store.m_attemptsRunning.insert(m_keys.begin(), m_keys.end());
    }
    ~AttemptTurn() {
        {
            std::lock_guard lock(m_store.m_attemptMutex);
            for (const auto& k : m_keys) m_store.m_attemptsRunning.erase(k);
        }
        m_store.m_attemptDone.notify_all();
    }
    AttemptTurn(const AttemptTurn&) = delete;
    AttemptTurn& operator=(const AttemptTurn&) = delete;

private:
    AuthStore& m_store;
    std::vector<std::string> m_keys;
};

Result<LoginResult> AuthStore::login(std::string_view loginText, std::string_view password,
                                     const std::string& address) {
    // Attempts are counted per login as typed (lower case), existing or not.
    std::string key(loginText.substr(0, kMaxLogin));
    std::transform(key.begin(), key.end(), key.begin(), [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    });
    const AttemptTurn turn(*this, {"login:" + key, "address:" + address});
    const auto login = normalLogin(loginText);

    std::optional<WallTime> blockedUntil;
    std::optional<User> user;
    std::string hash;
    Status st = read([&](SQLite::Database& db, WallTime now) {
        const auto window = std::chrono::seconds(m_config.failedLoginWindowSeconds);
        // The Nth newest failure inside the window: while there is one, this login (or
        // address) has had N failures; it may try again once that one leaves the window.
        // A success resets the count for its login (not for the address).
        SQLite::Statement byLogin(
            db,
            "SELECT at FROM login_attempts WHERE login = ?1 AND ok = 0 AND at > ?2 AND id > "
            "COALESCE((SELECT MAX(id) FROM login_attempts WHERE login = ?1 AND ok = 1), 0) "
            "ORDER BY at DESC LIMIT 1 OFFSET ?3");
        byLogin.bind(1, key);
        byLogin.bind(2, toMillis(now - window));
        byLogin.bind(3, m_config.maxFailedLogins - 1);
        if (byLogin.executeStep())
            blockedUntil = fromMillis(byLogin.getColumn(0).getInt64()) + window;
        SQLite::Statement byAddress(
            db,
            "SELECT at FROM login_attempts WHERE address = ? AND ok = 0 AND at > ? "
            "ORDER BY at DESC LIMIT 1 OFFSET ?");
        byAddress.bind(1, address);
        byAddress.bind(2, toMillis(now - window));
        byAddress.bind(3, m_config.maxFailedLoginsPerAddress - 1);
        if (byAddress.executeStep()) {
            const WallTime until = fromMillis(byAddress.getColumn(0).getInt64()) + window;
            blockedUntil = std::max(blockedUntil.value_or(until), until);
        }
        if (login) {
            user = findUser(db, *login);
            if (user) {
                SQLite::Statement h(db, "SELECT password_hash FROM users WHERE id = ?");
                h.bind(1, user->id);
                if (h.executeStep()) hash = h.getColumn(0).getString();
            }
        }
    });
    if (!st) return st.error();
    if (blockedUntil) {
        // Refused without checking the password, and not counted: the block ends on time.
        const WallTime now = m_clock.wallNow();
        const auto wait = std::chrono::ceil<std::chrono::seconds>(*blockedUntil - now);
        return apiError(ErrorKind::Conflict, "too_many_attempts",
                        {{"retry", formatIso(ceilMinute(*blockedUntil))},
                         {"retry_after", std::to_string(std::max<int64_t>(1, wait.count()))}});
    }

    // Outside any lock: about 0.1 s. A login that does not exist is checked against a real
    // hash too, so the answer takes as long either way.
    bool ok = false;
    if (password.size() <= kMaxPassword) {
        ok = verifyPassword(user && !hash.empty() ? hash : std::string(kDemoHash), password) &&
             user.has_value();
    }
    const bool opens = ok && user->active;
    LoginResult result;
    if (opens) result.token = newToken();
    st = write(
        [](SQLite::Database&, WallTime) { return okStatus(); },
        [&](SQLite::Database& db, WallTime now) {
            SQLite::Statement attempt(
                db, "INSERT INTO login_attempts(login, address, at, ok) VALUES (?, ?, ?, ?)");
            attempt.bind(1, key);
            attempt.bind(2, address);
            attempt.bind(3, toMillis(now));
            attempt.bind(4, opens ? 1 : 0);
            attempt.exec();
            if (!opens) return;
            Session& s = result.session;
            s.user = *user;
            s.createdAt = now;
            s.lastSeenAt = now;
            s.expiresAt = now + std::chrono::seconds(m_config.sessionLifetimeSeconds);
            SQLite::Statement ins(
                db,
                "INSERT INTO sessions(token_hash, user_id, created_at, last_seen_at, expires_at) "
                "VALUES (?, ?, ?, ?, ?)");
            ins.bind(1, tokenHash(result.token));
            ins.bind(2, user->id);
            ins.bind(3, toMillis(now));
            ins.bind(4, toMillis(now));
            ins.bind(5, toMillis(s.expiresAt));
            ins.exec();
        });
    if (!st) return st.error();
    if (ok && !user->active)
        return apiError(ErrorKind::Invalid, "account_disabled", {{"login", user->login}});
    if (!ok) return apiError(ErrorKind::Invalid, "bad_login");
    return result;
}

Status AuthStore::logout(std::string_view token) {
    if (!validToken(token)) return okStatus();
    const std::string hash = tokenHash(token);
    return write([](SQLite::Database&, WallTime) { return okStatus(); },
                 [&](SQLite::Database& db, WallTime) {
                     SQLite::Statement del(db, "DELETE FROM sessions WHERE token_hash = ?");
                     del.bind(1, hash);
                     del.exec();
                 });
}

AuthStore::Found AuthStore::findSession(SQLite::Database& db, const std::string& hash,
                                        WallTime now) const {
    Found f;
    SQLite::Statement q(
        db, std::string("SELECT s.id, s.user_id, s.window, s.services, s.created_at, "
                        "s.last_seen_at, s.expires_at, u.") +
                "id, u.login, u.name, u.role, u.windows, u.active, u.created_at "
                "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?");
    q.bind(1, hash);
    if (!q.executeStep()) {
        f.problem = "no_session";
        return f;
    }
    f.id = q.getColumn(0).getInt64();
    f.userId = q.getColumn(1).getInt64();
    Session& s = f.session;
    if (!q.getColumn(2).isNull()) s.window = q.getColumn(2).getInt();
    s.services = json::parse(q.getColumn(3).getString()).get<std::vector<std::string>>();
    s.createdAt = fromMillis(q.getColumn(4).getInt64());
    s.lastSeenAt = fromMillis(q.getColumn(5).getInt64());
    s.expiresAt = fromMillis(q.getColumn(6).getInt64());
    s.user = rowToUser(q, 7);
    if (!s.user.active) {
        f.problem = "no_session";  // switched off meanwhile (its sessions are deleted then, too)
    } else if (!sessionLive(s.lastSeenAt, s.expiresAt, now)) {
        f.problem = "session_expired";
    }
    return f;
}

Result<AuthStore::Found> AuthStore::liveSession(std::string_view token, bool activity) {
    if (!validToken(token)) return apiError(ErrorKind::Invalid, "no_session");
    const std::string hash = tokenHash(token);
    Found found;
    Status st =
        read([&](SQLite::Database& db, WallTime now) { found = findSession(db, hash, now); });
    if (!st) return st.error();
    if (!found.problem.empty()) return apiError(ErrorKind::Invalid, found.problem);
    // Not a durable write per request: last_seen moves only once it is touchInterval() old.
    const WallTime now = m_clock.wallNow();
    if (activity && now - found.session.lastSeenAt >= touchInterval()) {
        Status touched = write([](SQLite::Database&, WallTime) { return okStatus(); },
                               [&](SQLite::Database& db, WallTime at) {
                                   SQLite::Statement upd(
                                       db, "UPDATE sessions SET last_seen_at = ? WHERE id = ?");
                                   upd.bind(1, toMillis(at));
                                   upd.bind(2, found.id);
                                   upd.exec();
                                   found.session.lastSeenAt = at;
                               });
        if (!touched)
            spdlog::warn("could not refresh a session's last-seen time: {}",
                         touched.error().message);
    }
    return found;
}

Result<Session> AuthStore::authenticate(std::string_view token, bool activity) {
    auto found = liveSession(token, activity);
    if (!found) return found.error();
    return std::move(found).value().session;
}

Result<Session> AuthStore::chooseWindow(std::string_view token, std::optional<int> window,
                                        const std::vector<std::string>& services) {
    auto found = liveSession(token);
    if (!found) return found.error();
    Found me = std::move(found).value();
    const User& user = me.session.user;
    std::vector<std::string> chosen;
    if (window) {
        auto it = m_windows.find(*window);
        if (it == m_windows.end()) {
            return apiError(ErrorKind::NotFound, "unknown_window",
                            {{"window", std::to_string(*window)}});
        }
        const bool allowed = std::count(user.windows.begin(), user.windows.end(), *window) > 0 ||
                             (user.role == "admin" && user.windows.empty());
        if (!allowed) {
            return apiError(
                ErrorKind::Invalid, "window_not_allowed",
                {{"window", std::to_string(*window)}, {"windows", joinWindows(user.windows)}});
        }
        for (const auto& s : services) {
            if (std::count(it->second.begin(), it->second.end(), s) == 0)
                return badField("detail.session_services");
        }
        // In the window's own order, each once. None chosen, or every one: stored as none,
        // which means all of the window's, so it follows later changes to the window.
        for (const auto& s : it->second) {
            if (std::count(services.begin(), services.end(), s) > 0) chosen.push_back(s);
        }
        if (chosen.size() == it->second.size()) chosen.clear();
    }
    Status st = write(
        [&](SQLite::Database& db, WallTime now) -> Status {
            // Logged out or switched off since liveSession()?
            SQLite::Statement mine(db, "SELECT 1 FROM sessions WHERE id = ?");
            mine.bind(1, me.id);
            if (!mine.executeStep()) return apiError(ErrorKind::Invalid, "no_session");
            if (!window) return okStatus();
            SQLite::Statement holders(
                db,
                "SELECT s.user_id, s.last_seen_at, s.expires_at, u.name FROM sessions s "
                "JOIN users u ON u.id = s.user_id WHERE s.window = ? AND s.id != ? "
                "AND u.active = 1");
            holders.bind(1, *window);
            holders.bind(2, me.id);
            while (holders.executeStep()) {
                const WallTime lastSeen = fromMillis(holders.getColumn(1).getInt64());
                const WallTime expires = fromMillis(holders.getColumn(2).getInt64());
                if (!sessionLive(lastSeen, expires, now)) continue;  // ended: the window is free
                if (holders.getColumn(0).getInt64() == me.userId)
                    continue;  // the same person moves
                const WallTime free =
                    lastSeen + std::chrono::seconds(m_config.windowTakeoverSeconds);
                if (now < free) {
                    return apiError(ErrorKind::Conflict, "window_taken",
                                    {{"window", std::to_string(*window)},
                                     {"name", holders.getColumn(3).getString()},
                                     {"until", formatIso(ceilMinute(free))}});
                }
            }
            return okStatus();
        },
        [&](SQLite::Database& db, WallTime now) {
            if (window) {
                SQLite::Statement others(db,
                                         "UPDATE sessions SET window = NULL, services = '[]' "
                                         "WHERE window = ? AND id != ?");
                others.bind(1, *window);
                others.bind(2, me.id);
                others.exec();
            }
            SQLite::Statement upd(
                db, "UPDATE sessions SET window = ?, services = ?, last_seen_at = ? WHERE id = ?");
            if (window) {
                upd.bind(1, *window);
            } else {
                upd.bind(1);
            }
            upd.bind(2, json(chosen).dump());
            upd.bind(3, toMillis(now));
            upd.bind(4, me.id);
            upd.exec();
            me.session.lastSeenAt = now;
        });
    if (!st) return st.error();
    me.session.window = window;
    me.session.services = std::move(chosen);
    return me.session;
}

void AuthStore::sweep() {
    {
        std::lock_guard lock(m_sweepMutex);
        const Instant now = m_clock.now();
        if (m_lastSweep && now - *m_lastSweep < kSweepEvery) return;
        m_lastSweep = now;
    }
    Status st = write(
        [](SQLite::Database&, WallTime) { return okStatus(); },
        [&](SQLite::Database& db, WallTime now) {
            const auto keepAttempts = std::max<std::chrono::milliseconds>(
                kKeepEnded, std::chrono::seconds(m_config.failedLoginWindowSeconds));
            SQLite::Statement attempts(db, "DELETE FROM login_attempts WHERE at < ?");
            attempts.bind(1, toMillis(now - keepAttempts));
            attempts.exec();
            SQLite::Statement sessions(
                db, "DELETE FROM sessions WHERE expires_at < ?1 OR last_seen_at < ?2");
            sessions.bind(1, toMillis(now - kKeepEnded));
            sessions.bind(
                2, toMillis(now - kKeepEnded - std::chrono::seconds(m_config.sessionIdleSeconds)));
            sessions.exec();
        });
    if (!st) spdlog::warn("forgetting old logins: {}", st.error().message);
}

}  // namespace talon::server
