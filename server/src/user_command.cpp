// The `talon-server user` commands: input checks and sentences for the operator on top of an
// AuthStore with its own connection (SQLite's WAL lets it write beside a running server).
#include "talon/server/user_command.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <istream>
#include <ostream>
#include <vector>

#include "talon/server/auth_store.h"
#include "talon/server/database.h"

namespace talon::server {
namespace {

std::string configuredWindows(const ServerConfig& config) {
    std::string out;
    for (const auto& w : config.windows)
        out += (out.empty() ? "" : ", ") + std::to_string(w.number);
    return out;
}

/// The operator's sentence for an AuthStore error.
std::string explain(const Error& e, const UserCommand& cmd, const ServerConfig& config) {
    std::string detail;
    for (const auto& [k, v] : e.params) {
        if (k == "detail") detail = v;
    }
    if (detail == "detail.user_login") {
        return "the login must be 1 to 64 Latin letters, digits, '.', '_' or '-' (got \"" +
               cmd.login + "\")";
    }
    if (detail == "detail.user_name")
        return "--name must be 1 to 100 bytes on one line, e.g. --name \"Иванова А.\"";
    if (detail == "detail.user_role")
        return "--role must be clerk or admin (got \"" + cmd.role + "\")";
    if (detail == "detail.user_windows") {
        return "--windows must list window numbers of the configuration, e.g. --windows 1,2 "
               "(configured: " +
               configuredWindows(config) +
               "); a clerk needs at least one. Pass the server's --config.";
    }
    if (detail == "detail.password_length") {
        return "the password must be " + std::to_string(AuthStore::kMinPassword) + " to " +
               std::to_string(AuthStore::kMaxPassword) + " bytes; nothing was changed";
    }
    if (e.code == "user_exists") {
        return "user \"" + cmd.login +
               "\" exists already (logins ignore case); change the password with "
               "`talon-server user passwd " +
               cmd.login + "`";
    }
    if (e.code == "unknown_user")
        return "there is no user \"" + cmd.login + "\"; see `talon-server user list`";
    return "the database " + config.database + " failed: " + e.message;
}

/// "1,2, 3" -> {1, 2, 3}; nullopt when a part is not a number.
std::optional<std::vector<int>> parseWindows(const std::string& text) {
    std::vector<int> out;
    size_t start = 0;
    while (start <= text.size() && !text.empty()) {
        size_t end = text.find(',', start);
        if (end == std::string::npos) end = text.size();
        std::string part = text.substr(start, end - start);
        part.erase(0, part.find_first_not_of(' '));
        part.erase(part.find_last_not_of(' ') + 1);
        int n = 0;
        auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), n);
        if (part.empty() || ec != std::errc{} || p != part.data() + part.size())
            return std::nullopt;
        out.push_back(n);
        start = end + 1;
    }
    return out;
}

std::optional<std::string> readPassword(std::istream& in, std::ostream& err, bool prompt) {
    if (prompt) err << "Password (shown as you type): " << std::flush;
    std::string line;
    if (!std::getline(in, line)) return std::nullopt;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

}  // namespace

int runUserCommand(const ServerConfig& config, const UserCommand& cmd, std::istream& in,
                   std::ostream& out, std::ostream& err, bool prompt) {
    std::vector<int> windows;
    if (cmd.action == "add") {
        auto parsed = parseWindows(cmd.windows);
        if (!parsed) {
            err << "talon-server user add: --windows must be numbers separated by commas, e.g. "
                   "1,2,3\n";
            return 2;
        }
        windows = *parsed;
    }
    std::error_code ec;
    if (cmd.action != "add" && config.database != ":memory:" &&
        !std::filesystem::exists(config.database, ec)) {
        err << "talon-server user " << cmd.action << ": there is no database " << config.database
            << "; pass the server's --config or --db\n";
        return 1;
    }
    auto db = openDatabase(config.database);
    if (!db) {
        err << "talon-server user " << cmd.action << ": " << db.error().message << "\n";
        return 1;
    }
    SystemClock clock;
    AuthStore auth(*db.value(), clock, config);
    auto fail = [&](const Error& e) {
        err << "talon-server user " << cmd.action << ": " << explain(e, cmd, config) << "\n";
        return e.code == "bad_request" ? 2 : 1;
    };

    if (cmd.action == "add" || cmd.action == "passwd") {
        auto password = readPassword(in, err, prompt);
        if (!password) {
            err << "talon-server user " << cmd.action
                << ": no password on standard input (one line)\n";
            return 2;
        }
        if (cmd.action == "add") {
            auto user = auth.addUser({cmd.login, cmd.name, cmd.role, windows}, *password);
            if (!user) return fail(user.error());
            out << "added " << user.value().role << " " << user.value().login << " ("
                << user.value().name << ")\n";
        } else {
            if (Status st = auth.setPassword(cmd.login, *password); !st) return fail(st.error());
            out << "password changed for " << cmd.login << "; their sessions ended\n";
        }
        return 0;
    }
    if (cmd.action == "disable" || cmd.action == "enable") {
        if (Status st = auth.setActive(cmd.login, cmd.action == "enable"); !st)
            return fail(st.error());
        out << cmd.login
            << (cmd.action == "enable" ? " may log in again\n"
                                       : " is switched off; their sessions ended\n");
        return 0;
    }
    if (cmd.action == "list") {
        auto users = auth.users();
        if (!users) return fail(users.error());
        size_t width = 5;
        for (const auto& u : users.value()) width = std::max(width, u.login.size());
        auto pad = [](std::string s, size_t n) {
            return s.size() < n ? s + std::string(n - s.size(), ' ') : s;
        };
        out << pad("login", width) << "  role   state     windows       name\n";
        for (const auto& u : users.value()) {
            std::string list;
            for (int w : u.windows) list += (list.empty() ? "" : ",") + std::to_string(w);
            if (list.empty()) list = u.role == "admin" ? "any" : "-";
            out << pad(u.login, width) << "  " << pad(u.role, 5) << "  "
                << pad(u.active ? "active" : "disabled", 8) << "  " << pad(list, 12) << "  "
                << u.name << "\n";
        }
        return 0;
    }
    err << "talon-server user: unknown command \"" << cmd.action
        << "\" (add, passwd, disable, enable, list)\n";
    return 2;
}

}  // namespace talon::server
