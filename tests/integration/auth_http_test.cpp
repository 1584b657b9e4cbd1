// Logins through the real talon-server with `[auth] require_login = true`: log in (token and
// cookie), who am I, log out; wrong pairs and too many of them, worded in Russian and English;
// a session past its lifetime; choosing a window (allowed, forbidden, taken, moved); window
// steps refused without a session or at another window and recorded with the clerk's login
// at their own; the `talon-server user` commands on a database the server then uses; and the
// three ways a server starts: the flag off (steps open, no demo accounts), no config file (the
// demo: logins with the demo accounts) and a file without [auth] (logins, no demo accounts).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <thread>

#include "../support/json_client.h"
#include "../support/server_process.h"
#include "talon/common/http_client.h"
#include "talon/common/time.h"

namespace talon {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

using test::Reply;
using Client = test::JsonClient;

/// The clerk recorded for a ticket's step in the transitions log, read with the sqlite3 tool
/// (Talon's setup installs it; this test program does not link SQLite).
std::string recordedClerk(const std::filesystem::path& db, int64_t ticket,
                          const std::string& action) {
    const std::string sql =
        "SELECT COALESCE(clerk, '-') FROM ticket_transitions WHERE ticket_id = " +
        std::to_string(ticket) + " AND action = '" + action + "'";
    FILE* p = ::popen(("sqlite3 -readonly '" + db.string() + "' \"" + sql + "\"").c_str(), "r");
    if (!p) return "(sqlite3 did not run)";
    std::string out;
    char buf[256];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    ::pclose(p);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out.empty() ? "(no transition)" : out;
}

class AuthHttpTest : public ::testing::Test {
protected:
    test::TempDir m_dir;
};

TEST_F(AuthHttpTest, LogInAskWhoAndLogOut) {
    test::ServerProcess server(
        {"--config",
         test::writeAuthConfig(m_dir.path(), "require_login = true\ndemo_users = true\n")});
    ASSERT_TRUE(server.running());
    Client c(server.url());

    Reply in = c.post("/api/v1/login", {{"login", "Clerk1"}, {"password", "demo"}});
    ASSERT_EQ(in.status, 200) << in.raw.body;
    const std::string token = in.body["token"];
    EXPECT_EQ(token.size(), 64u);
    EXPECT_EQ(
        in.body["user"],
        (json{{"login", "clerk1"}, {"name", "Иванова А."}, {"role", "clerk"}, {"windows", {1}}}));
    EXPECT_TRUE(parseIso(in.body["expires_at"].get<std::string>()).has_value());
    const std::string cookie = in.raw.header("set-cookie");
    EXPECT_EQ(cookie.rfind("talon_session=" + token + ";", 0), 0u) << cookie;
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
    EXPECT_NE(cookie.find("Path=/"), std::string::npos);

    Reply me = c.get("/api/v1/me", token);
    ASSERT_EQ(me.status, 200) << me.raw.body;
    EXPECT_EQ(me.body["user"]["login"], "clerk1");
    EXPECT_TRUE(me.body["window"].is_null());
    EXPECT_EQ(me.body["services"], json::array());
    // The cookie works as well as the header.
    Reply byCookie = c.get("/api/v1/me", {}, "en", "theme=dark; talon_session=" + token);
    EXPECT_EQ(byCookie.status, 200) << byCookie.raw.body;

    Reply out = c.post("/api/v1/logout", json::object(), token);
    EXPECT_EQ(out.status, 204);
    EXPECT_NE(out.raw.header("set-cookie").find("Max-Age=0"), std::string::npos);
    Reply after = c.get("/api/v1/me", token);
    EXPECT_EQ(after.status, 401);
    EXPECT_EQ(after.code(), "no_session");
}

TEST_F(AuthHttpTest, WrongPairAndMissingSessionAreWordedInBothLanguages) {
    test::ServerProcess server(
        {"--config",
         test::writeAuthConfig(m_dir.path(), "require_login = true\ndemo_users = true\n")});
    ASSERT_TRUE(server.running());
    Client c(server.url());

    Reply wrong = c.post("/api/v1/login", {{"login", "clerk1"}, {"password", "nope"}});
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(wrong.code(), "bad_login");
    EXPECT_EQ(wrong.message(), "Wrong login or password. Check both and try again.");
    EXPECT_TRUE(wrong.raw.header("set-cookie").empty());
    Reply unknown = c.post("/api/v1/login", {{"login", "nobody"}, {"password", "demo"}}, {}, "ru");
    EXPECT_EQ(unknown.status, 401);
    EXPECT_EQ(unknown.code(), "bad_login");  // the same answer: nothing tells which half was wrong
    EXPECT_EQ(unknown.message(), "Неверный логин или пароль. Проверьте оба и попробуйте снова.");

    Reply malformed = c.post("/api/v1/login", {{"login", "clerk1"}});
    EXPECT_EQ(malformed.status, 400);
    EXPECT_EQ(malformed.code(), "bad_request");

    Reply none = c.get("/api/v1/me", {}, "ru");
    EXPECT_EQ(none.status, 401);
    EXPECT_EQ(none.code(), "no_session");
    EXPECT_EQ(none.message(), "Вы не вошли в систему. Войдите, чтобы работать в окне.");
    Reply forged = c.get("/api/v1/me", std::string(64, 'a'), "en");
    EXPECT_EQ(forged.code(), "no_session");
    EXPECT_EQ(forged.message(), "You are not logged in. Log in to work at a window.");
}

TEST_F(AuthHttpTest, TooManyFailuresWaitTheirTurn) {
    test::ServerProcess server(
        {"--config",
         test::writeAuthConfig(m_dir.path(), "require_login = true\ndemo_users = true\n")});
    ASSERT_TRUE(server.running());
    Client c(server.url());
    for (int i = 0; i < 5; ++i) {
        Reply r = c.post("/api/v1/login",
                         {{"login", "clerk2"}, {"password", "guess" + std::to_string(i)}});
        ASSERT_EQ(r.code(), "bad_login") << i;
    }
    Reply blocked = c.post("/api/v1/login", {{"login", "clerk2"}, {"password", "demo"}});
    EXPECT_EQ(blocked.status, 429);
    EXPECT_EQ(blocked.code(), "too_many_attempts");
    const int retryAfter = std::atoi(blocked.raw.header("retry-after").c_str());
    EXPECT_GT(retryAfter, 240);
    EXPECT_LE(retryAfter, 300);
    EXPECT_EQ(blocked.message().rfind("Too many failed attempts to log in. Try again after ", 0),
              0u)
        << blocked.message();
    Reply ru = c.post("/api/v1/login", {{"login", "clerk2"}, {"password", "demo"}}, {}, "ru");
    EXPECT_EQ(
        ru.message().rfind("Слишком много неудачных попыток входа. Попробуйте снова после ", 0), 0u)
        << ru.message();
    // Other clerks at the same address still get in.
    EXPECT_FALSE(c.login("clerk3", "demo").empty());
}

TEST_F(AuthHttpTest, AnnouncementsNeedAnAdministratorAndCancelsAStaffSession) {
    test::ServerProcess server(
        {"--config",
         test::writeAuthConfig(m_dir.path(), "require_login = true\ndemo_users = true\n")});
    ASSERT_TRUE(server.running());
    Client c(server.url());
    const json notice = {{"texts", {{"ru", "Касса до 17:00"}, {"en", "Cash desk until 17:00"}}}};
    Reply anonymous = c.post("/api/v1/announcements", notice);
    EXPECT_EQ(anonymous.status, 401);
    EXPECT_EQ(anonymous.code(), "no_session");
    const std::string clerk = c.login("clerk1", "demo");
    Reply byClerk = c.post("/api/v1/announcements", notice, clerk, "ru");
    EXPECT_EQ(byClerk.status, 403);
    EXPECT_EQ(byClerk.code(), "admin_only");
    EXPECT_EQ(byClerk.message(), "Это может сделать только администратор. Войдите как администратор.");
    EXPECT_TRUE(c.get("/api/v1/announcements").body["announcements"].empty());
    Reply byAdmin = c.post("/api/v1/announcements", notice, c.login("admin", "admin"));
    EXPECT_EQ(byAdmin.status, 201) << byAdmin.raw.body;

    const json ticket = c.post("/api/v1/tickets", {{"service", "A"}}).body;
    const std::string cancel = "/api/v1/tickets/" + std::to_string(ticket["id"].get<int64_t>()) + "/cancel";
    Reply stranger = c.post(cancel, {{"clerk", "mallory"}});
    EXPECT_EQ(stranger.status, 401);
    EXPECT_EQ(c.get("/api/v1/tickets/" + std::to_string(ticket["id"].get<int64_t>())).body["status"], "waiting");
    Reply cancelled = c.post(cancel, {{"clerk", "mallory"}}, clerk);
    ASSERT_EQ(cancelled.status, 200) << cancelled.raw.body;
    EXPECT_EQ(cancelled.body["status"], "cancelled");
    Reply history = c.get("/api/v1/tickets/" + std::to_string(ticket["id"].get<int64_t>()) + "/history", clerk);
    ASSERT_EQ(history.status, 200) << history.raw.body;
    EXPECT_EQ(history.body["history"].back()["clerk"], "clerk1");  // the session, not the body
}

TEST_F(AuthHttpTest, SessionPastItsLifetimeEnds) {
    test::ServerProcess server(
        {"--config",
         test::writeAuthConfig(
             m_dir.path(),
             "require_login = true\ndemo_users = true\nsession_lifetime_seconds = 2\n")});
    ASSERT_TRUE(server.running());
    Client c(server.url());
    const std::string token = c.login("clerk4", "demo");
    ASSERT_EQ(c.get("/api/v1/me", token).status, 200);
    std::this_thread::sleep_for(2200ms);
    Reply en = c.get("/api/v1/me", token);
    EXPECT_EQ(en.status, 401);
    EXPECT_EQ(en.code(), "session_expired");
    EXPECT_EQ(en.message(), "Your session has ended. Log in again.");
    Reply ru = c.post("/api/v1/windows/4/call-next", json::object(), token, "ru");
    EXPECT_EQ(ru.status, 401);
    EXPECT_EQ(ru.code(), "session_expired");
    EXPECT_EQ(ru.message(), "Сеанс завершён. Войдите снова.");
}

TEST_F(AuthHttpTest, WindowStepsNeedTheClerkOfThatWindow) {
    test::ServerProcess server(
        {"--config",
         test::writeAuthConfig(m_dir.path(), "require_login = true\ndemo_users = true\n")});
    ASSERT_TRUE(server.running());
    Client c(server.url());
    const std::string clerk1 = c.login("clerk1", "demo");
    const std::string clerk2 = c.login("clerk2", "demo");
    const std::string admin = c.login("admin", "admin");

    Reply forbidden = c.post("/api/v1/session/window", {{"window", 2}}, clerk1, "ru");
    EXPECT_EQ(forbidden.status, 403);
    EXPECT_EQ(forbidden.code(), "window_not_allowed");
    EXPECT_EQ(forbidden.message(),
              "Вам нельзя работать в окне 2. Ваши окна: 1. Если нужно другое, обратитесь к "
              "администратору.");
    Reply badService =
        c.post("/api/v1/session/window", {{"window", 1}, {"services", {"B"}}}, clerk1);
    EXPECT_EQ(badService.status, 400);
    Reply chosen = c.post("/api/v1/session/window", {{"window", 1}, {"services", {"A"}}}, clerk1);
    ASSERT_EQ(chosen.status, 200) << chosen.raw.body;
    EXPECT_EQ(chosen.body["window"], 1);
    EXPECT_EQ(chosen.body["services"], json({"A"}));
    EXPECT_EQ(c.get("/api/v1/me", clerk1).body["window"], 1);
    ASSERT_EQ(c.post("/api/v1/session/window", {{"window", 2}}, clerk2).status, 200);

    Reply taken = c.post("/api/v1/session/window", {{"window", 1}}, admin);
    EXPECT_EQ(taken.status, 409);
    EXPECT_EQ(taken.code(), "window_taken");
    EXPECT_EQ(taken.message().rfind("Window 1 is taken by Иванова А.", 0), 0u) << taken.message();

    const json ticket = c.post("/api/v1/tickets", {{"service", "A"}}).body;
    const int64_t id = ticket["id"];

    Reply anonymous = c.post("/api/v1/windows/1/call-next", json::object());
    EXPECT_EQ(anonymous.status, 401);
    EXPECT_EQ(anonymous.code(), "no_session");
    Reply elsewhere = c.post("/api/v1/windows/1/call-next", json::object(), clerk2, "en");
    EXPECT_EQ(elsewhere.status, 403);
    EXPECT_EQ(elsewhere.code(), "not_your_window");
    EXPECT_EQ(elsewhere.message(), "You are not logged in at window 1. Choose window 1 first.");
    EXPECT_EQ(c.post("/api/v1/windows/1/call/" + std::to_string(id), json::object(), clerk2).status,
              403);
    EXPECT_EQ(c.get("/api/v1/tickets/" + std::to_string(id)).body["status"],
              "waiting");  // nothing happened

    // At their own window the step goes through, recorded with the login, not the body's name.
    Reply called = c.post("/api/v1/windows/1/call-next", {{"clerk", "mallory"}}, clerk1);
    ASSERT_EQ(called.status, 200) << called.raw.body;
    EXPECT_EQ(called.body["id"], id);
    EXPECT_EQ(recordedClerk(server.dbPath(), id, "call"), "clerk1");
    Reply started =
        c.post("/api/v1/windows/1/start", json::object(), {}, "en", "talon_session=" + clerk1);
    ASSERT_EQ(started.status, 200) << started.raw.body;
    EXPECT_EQ(recordedClerk(server.dbPath(), id, "start"), "clerk1");
    EXPECT_EQ(c.post("/api/v1/windows/1/done", json::object(), clerk2).status, 403);

    // The same clerk from another device takes the window along; the first device loses it.
    const std::string clerk1Tablet = c.login("clerk1", "demo");
    ASSERT_EQ(c.post("/api/v1/session/window", {{"window", 1}}, clerk1Tablet).status, 200);
    EXPECT_EQ(c.post("/api/v1/windows/1/done", json::object(), clerk1).code(), "not_your_window");
    Reply done = c.post("/api/v1/windows/1/done", {{"outcome", "resolved"}}, clerk1Tablet);
    ASSERT_EQ(done.status, 200) << done.raw.body;
    EXPECT_EQ(recordedClerk(server.dbPath(), id, "done"), "clerk1");

    // An admin without a window list may take any free window.
    EXPECT_EQ(c.post("/api/v1/session/window", {{"window", 5}}, admin).status, 200);
    EXPECT_EQ(c.post("/api/v1/windows/5/pause", {{"reason", "lunch"}}, admin).status, 200);
}

TEST_F(AuthHttpTest, WithTheFlagOffStepsAreOpen) {
    test::ServerProcess server;  // [auth] require_login = false, as the queue tests run it
    ASSERT_TRUE(server.running());
    Client c(server.url());
    const json ticket = c.post("/api/v1/tickets", {{"service", "A"}}).body;
    Reply called = c.post("/api/v1/windows/1/call-next", {{"clerk", "petrova"}});
    ASSERT_EQ(called.status, 200) << called.raw.body;
    EXPECT_EQ(recordedClerk(server.dbPath(), ticket["id"], "call"), "petrova");
    // A file with an [auth] section is a real office: no demo accounts with public passwords.
    EXPECT_EQ(c.post("/api/v1/login", {{"login", "admin"}, {"password", "admin"}}).code(),
              "bad_login");
}

TEST_F(AuthHttpTest, TheDemoWithoutAConfigFileHasLoginsAndDemoAccounts) {
    test::ServerProcess server({}, {}, test::ServerMode::Demo);  // as ./talon demo runs it
    ASSERT_TRUE(server.running());
    Client c(server.url());
    const json ticket = c.post("/api/v1/tickets", {{"service", "A"}}).body;
    EXPECT_EQ(c.post("/api/v1/windows/1/call-next", {{"clerk", "petrova"}}).code(), "no_session");
    const std::string clerk1 = c.atWindow("clerk1", "demo", 1);
    Reply called = c.post("/api/v1/windows/1/call-next", json::object(), clerk1);
    ASSERT_EQ(called.status, 200) << called.raw.body;
    EXPECT_EQ(recordedClerk(server.dbPath(), ticket["id"], "call"), "clerk1");
    EXPECT_FALSE(c.login("admin", "admin").empty());
    EXPECT_FALSE(c.login("clerk6", "demo").empty());
}

TEST_F(AuthHttpTest, AConfigFileWithoutAnAuthSectionIsARealOffice) {
    const auto config = m_dir.path() / "office.toml";
    std::ofstream(config) << "[office]\nnames = { ru = \"Офис\", en = \"Office\" }\n";
    test::ServerProcess server({"--config", config.string()});
    ASSERT_TRUE(server.running());
    Client c(server.url());
    ASSERT_EQ(c.post("/api/v1/tickets", {{"service", "A"}}).status, 201);
    Reply open = c.post("/api/v1/windows/1/call-next", json::object(), {}, "ru");
    EXPECT_EQ(open.status, 401);  // logins required...
    EXPECT_EQ(open.code(), "no_session");
    // ...and no demo accounts to log in with.
    EXPECT_EQ(c.post("/api/v1/login", {{"login", "clerk1"}, {"password", "demo"}}).code(),
              "bad_login");
    EXPECT_EQ(c.post("/api/v1/login", {{"login", "admin"}, {"password", "admin"}}).code(),
              "bad_login");
}

/// Runs `talon-server ARGS` with `input` on standard input; the exit code and what it printed.
std::pair<int, std::string> runServerCommand(const std::filesystem::path& dir,
                                             const std::string& args, const std::string& input) {
    const auto log = dir / "command.log";
    const std::string command =
        "'" + test::serverBinary() + "' " + args + " > '" + log.string() + "' 2>&1";
    FILE* p = ::popen(command.c_str(), "w");
    if (!p) return {-1, "popen failed"};
    std::fputs(input.c_str(), p);
    const int status = ::pclose(p);
    std::ifstream in(log);
    std::string output((std::istreambuf_iterator<char>(in)), {});
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

TEST_F(AuthHttpTest, UserCommandsThenLogInOverHttp) {
    const std::string config = test::writeAuthConfig(m_dir.path(), "require_login = true\n");
    const auto db = m_dir.path() / "office.db";
    const std::string where = "--config '" + config + "' --db '" + db.string() + "'";

    auto [added, addOut] = runServerCommand(
        m_dir.path(), "user add Ivanova --name 'Иванова А.' --windows 1,3 " + where,
        "s3cret-pass\n");
    ASSERT_EQ(added, 0) << addOut;
    auto [again, againOut] = runServerCommand(
        m_dir.path(), "user add ivanova --name X --windows 1 " + where, "another-pass\n");
    EXPECT_EQ(again, 1) << againOut;
    EXPECT_NE(againOut.find("exists already"), std::string::npos) << againOut;
    auto [badWindows, badOut] = runServerCommand(
        m_dir.path(), "user add petrov --name P --windows 1,9 " + where, "another-pass\n");
    EXPECT_EQ(badWindows, 2) << badOut;
    EXPECT_NE(badOut.find("configured: 1, 2, 3, 4, 5, 6"), std::string::npos) << badOut;
    auto [shortPass, shortOut] =
        runServerCommand(m_dir.path(), "user add petrov --name P --windows 2 " + where, "x\n");
    EXPECT_EQ(shortPass, 2) << shortOut;
    auto [listed, listOut] = runServerCommand(m_dir.path(), "user list " + where, "");
    EXPECT_EQ(listed, 0) << listOut;
    EXPECT_NE(listOut.find("ivanova"), std::string::npos) << listOut;
    EXPECT_NE(listOut.find("Иванова А."), std::string::npos) << listOut;
    EXPECT_EQ(listOut.find("petrov"), std::string::npos) << listOut;
    auto [noUser, noUserOut] = runServerCommand(m_dir.path(), "user disable petrov " + where, "");
    EXPECT_EQ(noUser, 1) << noUserOut;

    test::ServerProcess server({"--config", config}, db);
    ASSERT_TRUE(server.running());
    Client c(server.url());
    EXPECT_EQ(c.post("/api/v1/login", {{"login", "admin"}, {"password", "admin"}}).code(),
              "bad_login");  // no demo
    const std::string token = c.login("IVANOVA", "s3cret-pass");
    ASSERT_FALSE(token.empty());
    EXPECT_EQ(c.post("/api/v1/session/window", {{"window", 3}}, token).status, 200);

    // Beside the running server: a new password, then switched off; the session ends at once.
    auto [passwd, passwdOut] =
        runServerCommand(m_dir.path(), "user passwd ivanova " + where, "n3w-secret\n");
    EXPECT_EQ(passwd, 0) << passwdOut;
    EXPECT_EQ(c.get("/api/v1/me", token).code(), "no_session");
    const std::string second = c.login("ivanova", "n3w-secret");
    ASSERT_FALSE(second.empty());
    auto [disabled, disabledOut] =
        runServerCommand(m_dir.path(), "user disable ivanova " + where, "");
    EXPECT_EQ(disabled, 0) << disabledOut;
    EXPECT_EQ(c.get("/api/v1/me", second).code(), "no_session");
    Reply off = c.post("/api/v1/login", {{"login", "ivanova"}, {"password", "n3w-secret"}});
    EXPECT_EQ(off.status, 403);
    EXPECT_EQ(off.code(), "account_disabled");
}

}  // namespace
}  // namespace talon
