// AuthStore on a real SQLite file shared with QueueStore, on a fake clock: passwords hashed
// and checked (wrong ones and unknown logins refused alike), logins without case, switched-off
// users, idle and absolute session expiry, tokens kept only as hashes, failed-login limits per
// login and per address, window choice (allowed, refused, taken, moved, taken over), and the
// demo accounts.
#include "talon/server/auth_store.h"

#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <thread>

#include "../support/fake_clock.h"
#include "../support/server_process.h"

namespace talon::server {
namespace {

using namespace std::chrono_literals;

class AuthStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_config = demoConfig();
        m_config.database = (m_dir.path() / "talon.db").string();
        m_config.auth.demoUsers = false;
        m_config.auth.sessionIdleSeconds = 600;
        m_config.auth.sessionLifetimeSeconds = 3600;
        m_config.auth.windowTakeoverSeconds = 900;
        open();
    }
    void open() {
        m_auth.reset();
        m_store.reset();
        auto s = QueueStore::open(m_config, m_hub, m_clock);
        ASSERT_TRUE(s.ok()) << s.error().message;
        m_store = std::move(s).value();
        m_auth = std::make_unique<AuthStore>(*m_store, m_clock, m_config);
    }
    User add(const std::string& login, std::vector<int> windows = {1},
             const std::string& role = "clerk", const std::string& password = "correct horse") {
        auto r = m_auth->addUser({login, "Иванова А.", role, std::move(windows)}, password);
        EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().code);
        return r.ok() ? r.value() : User{};
    }
    /// The error code of a failed login, or "ok".
    std::string loginCode(const std::string& login, const std::string& password,
                          const std::string& address = "10.0.0.5") {
        auto r = m_auth->login(login, password, address);
        return r.ok() ? "ok" : r.error().code;
    }
    std::string token(const std::string& login, const std::string& password = "correct horse") {
        auto r = m_auth->login(login, password, "10.0.0.5");
        EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().code);
        return r.ok() ? r.value().token : std::string{};
    }
    std::string authCode(const std::string& tok, bool activity = true) {
        auto r = m_auth->authenticate(tok, activity);
        return r.ok() ? "ok" : r.error().code;
    }
    std::string param(const Error& e, const std::string& name) {
        for (const auto& [k, v] : e.params) {
            if (k == name) return v;
        }
        return {};
    }
    int64_t scalar(const std::string& sql) {
        SQLite::Database db(m_config.database, SQLite::OPEN_READONLY);
        return db.execAndGet(sql).getInt64();
    }

    test::TempDir m_dir;
    test::FakeClock m_clock;
    EventHub m_hub;
    ServerConfig m_config;
    std::unique_ptr<QueueStore> m_store;
    std::unique_ptr<AuthStore> m_auth;
};

TEST_F(AuthStoreTest, RightPasswordOpensASessionAndOnlyTheHashIsStored) {
    add("ivanova", {1, 3});
    auto r = m_auth->login("ivanova", "correct horse", "10.0.0.5");
    ASSERT_TRUE(r.ok()) << r.error().code;
    EXPECT_EQ(r.value().token.size(), 64u);
    EXPECT_EQ(r.value().session.user.login, "ivanova");
    EXPECT_EQ(r.value().session.user.name, "Иванова А.");
    EXPECT_EQ(r.value().session.user.windows, (std::vector<int>{1, 3}));
    EXPECT_EQ(r.value().session.expiresAt, m_clock.wallNow() + 3600s);

    SQLite::Database db(m_config.database, SQLite::OPEN_READONLY);
    const std::string hash = db.execAndGet("SELECT password_hash FROM users").getString();
    EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
    EXPECT_EQ(hash.find("correct horse"), std::string::npos);
}

TEST_F(AuthStoreTest, WrongPasswordAndUnknownLoginAreTheSameRefusal) {
    add("ivanova");
    EXPECT_EQ(loginCode("ivanova", "wrong horse"), "bad_login");
    EXPECT_EQ(loginCode("petrov", "correct horse"), "bad_login");
    EXPECT_EQ(loginCode("ivanova", ""), "bad_login");
    EXPECT_EQ(loginCode("not a login!", "x"), "bad_login");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM sessions"), 0);
    EXPECT_EQ(loginCode("ivanova", "correct horse"), "ok");
}

TEST_F(AuthStoreTest, LoginsIgnoreCase) {
    add("Ivanova");
    EXPECT_EQ(loginCode("IVANOVA", "correct horse"), "ok");
    EXPECT_EQ(loginCode("ivanova", "correct horse"), "ok");
    EXPECT_EQ(loginCode("ivanova", "CORRECT HORSE"), "bad_login");  // passwords do not
    auto again = m_auth->addUser({"iVaNoVa", "Другая", "clerk", {2}}, "another password");
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, "user_exists");
    auto users = m_auth->users();
    ASSERT_TRUE(users.ok());
    ASSERT_EQ(users.value().size(), 1u);
    EXPECT_EQ(users.value()[0].login, "ivanova");
}

TEST_F(AuthStoreTest, NewUsersAreChecked) {
    auto code = [&](NewUser u, const std::string& password = "long enough") {
        auto r = m_auth->addUser(u, password);
        if (r.ok()) return std::string("ok");
        return r.error().code == "bad_request" ? param(r.error(), "detail") : r.error().code;
    };
    EXPECT_EQ(code({"иванова", "И", "clerk", {1}}), "detail.user_login");
    EXPECT_EQ(code({"", "И", "clerk", {1}}), "detail.user_login");
    EXPECT_EQ(code({"a b", "И", "clerk", {1}}), "detail.user_login");
    EXPECT_EQ(code({"ivanova", "", "clerk", {1}}), "detail.user_name");
    EXPECT_EQ(code({"ivanova", "Line\nbreak", "clerk", {1}}), "detail.user_name");
    EXPECT_EQ(code({"ivanova", "И", "boss", {1}}), "detail.user_role");
    EXPECT_EQ(code({"ivanova", "И", "clerk", {}}), "detail.user_windows");
    EXPECT_EQ(code({"ivanova", "И", "clerk", {7}}),
              "detail.user_windows");  // the demo office has 1–6
    EXPECT_EQ(code({"ivanova", "И", "clerk", {1}}, "short"), "detail.password_length");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM users"), 0);
    EXPECT_EQ(code({"admin.2", "Админ", "admin", {}}), "ok");
}

TEST_F(AuthStoreTest, SwitchedOffUserCannotLogInAndLosesSessions) {
    add("ivanova");
    const std::string tok = token("ivanova");
    ASSERT_EQ(authCode(tok), "ok");
    ASSERT_TRUE(m_auth->setActive("IVANOVA", false).ok());
    EXPECT_EQ(authCode(tok), "no_session");
    EXPECT_EQ(loginCode("ivanova", "correct horse"), "account_disabled");
    EXPECT_EQ(loginCode("ivanova", "wrong horse"), "bad_login");
    ASSERT_TRUE(m_auth->setActive("ivanova", true).ok());
    EXPECT_EQ(loginCode("ivanova", "correct horse"), "ok");
    EXPECT_EQ(m_auth->setActive("nobody", false).error().code, "unknown_user");
}

TEST_F(AuthStoreTest, NewPasswordReplacesTheOldOneAndEndsSessions) {
    add("ivanova");
    const std::string tok = token("ivanova");
    ASSERT_TRUE(m_auth->setPassword("ivanova", "battery staple").ok());
    EXPECT_EQ(authCode(tok), "no_session");
    EXPECT_EQ(loginCode("ivanova", "correct horse"), "bad_login");
    EXPECT_EQ(loginCode("ivanova", "battery staple"), "ok");
    EXPECT_EQ(m_auth->setPassword("nobody", "battery staple").error().code, "unknown_user");
}

TEST_F(AuthStoreTest, IdleSessionExpiresAndActiveOneDoesNot) {
    add("ivanova");
    const std::string tok = token("ivanova");
    m_clock.advance(9min);
    EXPECT_EQ(authCode(tok), "ok");  // refreshes last seen
    m_clock.advance(9min);
    EXPECT_EQ(authCode(tok), "ok");  // 18 min after login, 9 since the last request
    m_clock.advance(10min);
    EXPECT_EQ(authCode(tok), "session_expired");
    EXPECT_EQ(authCode(tok), "session_expired");  // and stays so: an expired session is not revived
}

TEST_F(AuthStoreTest, AConsolePollingByItselfIsNotActivity) {
    add("ivanova");
    const std::string tok = token("ivanova");
    const int64_t loggedIn = scalar("SELECT last_seen_at FROM sessions");
    for (int i = 0; i < 4; ++i) {  // a poll every two minutes for 8 minutes (idle time: 10)
        m_clock.advance(2min);
        ASSERT_EQ(authCode(tok, false), "ok") << i;
    }
    EXPECT_EQ(scalar("SELECT last_seen_at FROM sessions"), loggedIn);
    m_clock.advance(3min);  // 11 minutes without a person doing anything: the idle time is up
    EXPECT_EQ(authCode(tok, false), "session_expired");
    EXPECT_EQ(authCode(tok), "session_expired");
}

TEST_F(AuthStoreTest, SessionEndsAtItsLifetimeHoweverActive) {
    add("ivanova");
    const std::string tok = token("ivanova");
    for (int i = 0; i < 11; ++i) {
        m_clock.advance(5min);
        ASSERT_EQ(authCode(tok), "ok") << i;
    }
    m_clock.advance(5min);  // 60 minutes after login
    EXPECT_EQ(authCode(tok), "session_expired");
}

TEST_F(AuthStoreTest, LastSeenIsWrittenAtMostOnceAMinute) {
    add("ivanova");
    const std::string tok = token("ivanova");
    const int64_t loggedIn = scalar("SELECT last_seen_at FROM sessions");
    m_clock.advance(30s);
    ASSERT_EQ(authCode(tok), "ok");
    EXPECT_EQ(scalar("SELECT last_seen_at FROM sessions"), loggedIn);
    m_clock.advance(31s);
    ASSERT_EQ(authCode(tok), "ok");
    EXPECT_EQ(scalar("SELECT last_seen_at FROM sessions"), toMillis(m_clock.wallNow()));
}

TEST_F(AuthStoreTest, TokenIsStoredOnlyAsItsHash) {
    add("ivanova");
    const std::string tok = token("ivanova");
    SQLite::Database db(m_config.database, SQLite::OPEN_READONLY);
    EXPECT_EQ(db.execAndGet("SELECT token_hash FROM sessions").getString(),
              AuthStore::tokenHash(tok));
    EXPECT_NE(AuthStore::tokenHash(tok), tok);
    // Nowhere in the files either (database and write-ahead log).
    for (const char* suffix : {"", "-wal"}) {
        std::ifstream in(m_config.database + suffix, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), {});
        EXPECT_EQ(bytes.find(tok), std::string::npos) << suffix;
    }
    // A token that is not ours, or not a token at all.
    std::string other = tok;
    other[0] = other[0] == 'a' ? 'b' : 'a';
    EXPECT_EQ(authCode(other), "no_session");
    EXPECT_EQ(authCode(""), "no_session");
    EXPECT_EQ(authCode(AuthStore::tokenHash(tok) + "'"), "no_session");
    // What a copy of the database holds does not open the session.
    EXPECT_EQ(authCode(AuthStore::tokenHash(tok)), "no_session");
}

TEST_F(AuthStoreTest, LogoutEndsTheSession) {
    add("ivanova");
    const std::string tok = token("ivanova");
    const std::string second = token("ivanova");
    ASSERT_TRUE(m_auth->logout(tok).ok());
    EXPECT_EQ(authCode(tok), "no_session");
    EXPECT_EQ(authCode(second), "ok");  // another device stays logged in
    EXPECT_TRUE(m_auth->logout("not a token").ok());
}

TEST_F(AuthStoreTest, FailuresPerLoginAreLimited) {
    add("ivanova");
    add("petrov", {2});
    for (int i = 0; i < 5; ++i)
        ASSERT_EQ(loginCode("ivanova", "guess " + std::to_string(i)), "bad_login") << i;
    auto blocked =
        m_auth->login("IVANOVA", "correct horse", "10.0.0.6");  // even right, even from elsewhere
    ASSERT_FALSE(blocked.ok());
    EXPECT_EQ(blocked.error().code, "too_many_attempts");
    EXPECT_EQ(param(blocked.error(), "retry_after"), "300");
    auto retry = parseIso(param(blocked.error(), "retry"));
    ASSERT_TRUE(retry);
    EXPECT_GE(*retry, m_clock.wallNow() + 300s);
    EXPECT_LT(*retry, m_clock.wallNow() + 361s);
    EXPECT_EQ(loginCode("petrov", "correct horse"), "ok");  // other logins from the same address
    m_clock.advance(299s);
    EXPECT_EQ(loginCode("ivanova", "correct horse"), "too_many_attempts");  // refusals do not count
    m_clock.advance(2s);
    EXPECT_EQ(loginCode("ivanova", "correct horse"), "ok");
}

TEST_F(AuthStoreTest, ParallelGuessesCannotPassTheLimit) {
    add("ivanova");
    // Twelve guesses at once from twelve addresses: the slow hash must not let more than the
    // five allowed failures be checked before the first ones are recorded.
    std::vector<std::string> codes(12);
    std::vector<std::thread> guessers;
    for (size_t i = 0; i < codes.size(); ++i) {
        guessers.emplace_back([&, i] {
            auto r = m_auth->login("ivanova", "guess " + std::to_string(i), "10.0.1." + std::to_string(i));
            codes[i] = r.ok() ? "ok" : r.error().code;
        });
    }
    for (auto& g : guessers) g.join();
    EXPECT_EQ(std::count(codes.begin(), codes.end(), "bad_login"), 5);
    EXPECT_EQ(std::count(codes.begin(), codes.end(), "too_many_attempts"), 7);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM login_attempts WHERE ok = 0"), 5);
}

TEST_F(AuthStoreTest, SuccessResetsTheLoginsCount) {
    add("ivanova");
    auto attempt = [&](const std::string& password) {
        m_clock.advance(1s);
        return loginCode("ivanova", password);
    };
    for (int i = 0; i < 4; ++i) ASSERT_EQ(attempt("typo"), "bad_login");
    ASSERT_EQ(attempt("correct horse"), "ok");
    for (int i = 0; i < 4; ++i) ASSERT_EQ(attempt("typo"), "bad_login") << i;
    ASSERT_EQ(attempt("correct horse"), "ok");
    for (int i = 0; i < 5; ++i) ASSERT_EQ(attempt("typo"), "bad_login") << i;
    EXPECT_EQ(attempt("correct horse"), "too_many_attempts");
}

TEST_F(AuthStoreTest, FailuresPerAddressAreLimited) {
    m_config.auth.maxFailedLoginsPerAddress = 3;
    open();
    add("ivanova");
    for (const char* who : {"a", "b", "c"})
        ASSERT_EQ(loginCode(who, "guess", "10.0.0.9"), "bad_login");
    EXPECT_EQ(loginCode("ivanova", "correct horse", "10.0.0.9"), "too_many_attempts");
    EXPECT_EQ(loginCode("ivanova", "correct horse", "10.0.0.10"), "ok");
}

TEST_F(AuthStoreTest, WindowChoice) {
    add("ivanova", {1, 2});
    add("petrov", {2, 3});
    add("boss", {}, "admin");
    const std::string ivanova = token("ivanova");
    const std::string petrov = token("petrov");
    const std::string boss = token("boss", "correct horse");

    auto code = [&](const std::string& tok, std::optional<int> w,
                    std::vector<std::string> services = {}) {
        auto r = m_auth->chooseWindow(tok, w, services);
        if (r.ok()) return std::string("ok");
        return r.error().code == "bad_request" ? param(r.error(), "detail") : r.error().code;
    };
    EXPECT_EQ(code(ivanova, 3), "window_not_allowed");
    EXPECT_EQ(code(ivanova, 42), "unknown_window");
    EXPECT_EQ(code(ivanova, 1, {"B"}), "detail.session_services");  // window 1 serves A and C

    auto chosen = m_auth->chooseWindow(ivanova, 1, {"C"});
    ASSERT_TRUE(chosen.ok());
    EXPECT_EQ(chosen.value().window, 1);
    EXPECT_EQ(chosen.value().services, (std::vector<std::string>{"C"}));
    auto all = m_auth->chooseWindow(ivanova, 2, {});
    ASSERT_TRUE(all.ok());
    EXPECT_TRUE(all.value().services.empty());  // none chosen: all, whatever the window serves later
    auto every = m_auth->chooseWindow(ivanova, 2, {"B", "A"});
    ASSERT_TRUE(every.ok());
    EXPECT_TRUE(every.value().services.empty());  // every one chosen: stored as all, too

    auto taken = m_auth->chooseWindow(petrov, 2, {});
    ASSERT_FALSE(taken.ok());
    EXPECT_EQ(taken.error().code, "window_taken");
    EXPECT_EQ(param(taken.error(), "name"), "Иванова А.");
    auto until =
        parseIso(param(taken.error(), "until"));  // when it may be taken over, whole minute
    ASSERT_TRUE(until);
    EXPECT_GE(*until, m_clock.wallNow() + 15min);
    EXPECT_LT(*until, m_clock.wallNow() + 16min);
    EXPECT_EQ(code(petrov, 3), "ok");
    EXPECT_EQ(code(boss, 5), "ok");  // an admin without a list: any window

    // The same person from another device moves the window there.
    const std::string ivanova2 = token("ivanova");
    EXPECT_EQ(code(ivanova2, 2), "ok");
    auto first = m_auth->authenticate(ivanova);
    ASSERT_TRUE(first.ok());
    EXPECT_FALSE(first.value().window.has_value());

    // Another clerk takes it over only once it was idle for window_takeover_seconds.
    m_clock.advance(9min);
    ASSERT_EQ(authCode(petrov), "ok");
    m_clock.advance(7min);  // ivanova2 idle 16 min, but its session (10 min idle) ended anyway
    EXPECT_EQ(code(petrov, 2), "ok");
    EXPECT_EQ(authCode(ivanova2), "session_expired");
}

TEST_F(AuthStoreTest, IdleWindowIsTakenOverAfterTheConfiguredTime) {
    m_config.auth.sessionIdleSeconds = 3600;
    m_config.auth.windowTakeoverSeconds = 300;
    open();
    add("ivanova", {2});
    add("petrov", {2});
    const std::string ivanova = token("ivanova");
    const std::string petrov = token("petrov");
    ASSERT_TRUE(m_auth->chooseWindow(ivanova, 2, {}).ok());
    m_clock.advance(4min);
    ASSERT_EQ(authCode(petrov), "ok");
    EXPECT_EQ(m_auth->chooseWindow(petrov, 2, {}).error().code, "window_taken");
    m_clock.advance(2min);
    ASSERT_TRUE(m_auth->chooseWindow(petrov, 2, {}).ok());
    auto former = m_auth->authenticate(ivanova);  // still logged in, without the window
    ASSERT_TRUE(former.ok());
    EXPECT_FALSE(former.value().window.has_value());
    // Giving a window up.
    auto released = m_auth->chooseWindow(petrov, std::nullopt, {});
    ASSERT_TRUE(released.ok());
    EXPECT_FALSE(released.value().window.has_value());
    EXPECT_TRUE(m_auth->chooseWindow(ivanova, 2, {}).ok());
}

TEST_F(AuthStoreTest, DemoAccountsOnlyInDemoMode) {
    m_config.auth.demoUsers = true;
    open();
    auto added = m_auth->prepareDemoUsers();
    ASSERT_TRUE(added.ok());
    EXPECT_EQ(added.value(), 7);                       // clerk1..clerk6 and admin
    EXPECT_EQ(m_auth->prepareDemoUsers().value(), 0);  // once
    auto clerk3 = m_auth->login("clerk3", "demo", "10.0.0.5");
    ASSERT_TRUE(clerk3.ok());
    EXPECT_EQ(clerk3.value().session.user.windows, std::vector<int>{3});
    EXPECT_EQ(loginCode("admin", "admin"), "ok");
    ASSERT_TRUE(m_auth->setPassword("clerk2", "a real password").ok());

    // The same database outside demo mode: the public passwords stop working.
    m_config.auth.demoUsers = false;
    open();
    EXPECT_EQ(m_auth->prepareDemoUsers().value(), 0);
    EXPECT_EQ(authCode(clerk3.value().token), "no_session");
    EXPECT_EQ(loginCode("clerk3", "demo"), "account_disabled");
    EXPECT_EQ(loginCode("admin", "admin"), "account_disabled");
    EXPECT_EQ(loginCode("clerk2", "a real password"), "ok");  // given its own password: kept
}

TEST_F(AuthStoreTest, NoDemoAccountsInADatabaseWithUsers) {
    add("ivanova");
    m_config.auth.demoUsers = true;
    open();
    EXPECT_EQ(m_auth->prepareDemoUsers().value(), 0);
    EXPECT_EQ(loginCode("admin", "admin"), "bad_login");
}

TEST_F(AuthStoreTest, WorksOnItsOwnConnection) {
    // What the `talon-server user` commands use: the same rules on a separate connection.
    SQLite::Database db(m_config.database, SQLite::OPEN_READWRITE);
    db.setBusyTimeout(5000);
    AuthStore own(db, m_clock, m_config);
    ASSERT_TRUE(own.addUser({"sidorova", "Сидорова В.", "clerk", {3}}, "long enough").ok());
    EXPECT_EQ(own.addUser({"SIDOROVA", "x", "clerk", {3}}, "long enough").error().code,
              "user_exists");
    EXPECT_EQ(loginCode("sidorova", "long enough"), "ok");  // the server's store sees it at once
    ASSERT_TRUE(own.setActive("sidorova", false).ok());
    EXPECT_EQ(loginCode("sidorova", "long enough"), "account_disabled");
}

// The [auth] section (kept here with the store it configures).
TEST(AuthConfigTest, LoginsByDefaultDemoAccountsOnlyInTheDemo) {
    // No config file at all: the demo, logins required and the demo accounts there.
    EXPECT_TRUE(demoConfig().auth.requireLogin);
    EXPECT_TRUE(demoConfig().auth.demoUsers);
    // A file, with or without an [auth] section, is a real office: logins, no demo accounts.
    for (const char* text : {"", "[office]\npublic_url = \"http://10.0.0.1:8080\"\n", "[auth]\n"}) {
        auto office = parseConfig(text, "t.toml");
        ASSERT_TRUE(office.ok()) << office.error().message;
        EXPECT_TRUE(office.value().auth.requireLogin) << text;
        EXPECT_FALSE(office.value().auth.demoUsers) << text;
    }

    auto on = parseConfig(
        "[auth]\nrequire_login = true\nsession_idle_seconds = 60\nwindow_takeover_seconds = 0\n",
        "t.toml");
    ASSERT_TRUE(on.ok()) << on.error().message;
    EXPECT_TRUE(on.value().auth.requireLogin);
    EXPECT_FALSE(on.value().auth.demoUsers);
    EXPECT_EQ(on.value().auth.sessionIdleSeconds, 60);
    EXPECT_EQ(on.value().auth.windowTakeoverSeconds, 0);
    EXPECT_EQ(on.value().auth.sessionLifetimeSeconds, 24 * 3600);

    auto open = parseConfig("[auth]\nrequire_login = false\n", "t.toml");
    ASSERT_TRUE(open.ok());
    EXPECT_FALSE(open.value().auth.requireLogin);
    EXPECT_FALSE(open.value().auth.demoUsers);

    auto demo = parseConfig("[auth]\ndemo_users = true\n", "t.toml");
    ASSERT_TRUE(demo.ok());
    EXPECT_TRUE(demo.value().auth.demoUsers);
    EXPECT_TRUE(demo.value().auth.requireLogin);
}

TEST(AuthConfigTest, MistakesAreNamed) {
    auto message = [](const std::string& text) {
        auto r = parseConfig(text, "t.toml");
        return r.ok() ? std::string("accepted") : r.error().message;
    };
    // A typo must not leave logins silently off.
    EXPECT_EQ(message("[auth]\nrequire_logins = true\n"),
              "t.toml: auth.require_logins is not a setting (see talon-server.example.toml)");
    EXPECT_EQ(message("[auth]\nrequire_login = \"yes\"\n"),
              "t.toml: auth.require_login must be true or false");
    EXPECT_EQ(message("[auth]\nsession_idle_seconds = 0\n"),
              "t.toml: auth.session_idle_seconds must be an integer from 1 to 604800");
    EXPECT_EQ(message("[auth]\nmax_failed_logins = 1.5\n"),
              "t.toml: auth.max_failed_logins must be an integer from 1 to 1000");
    EXPECT_EQ(message("auth = 3\n"), "t.toml: [auth] must be a table");
}

}  // namespace
}  // namespace talon::server
