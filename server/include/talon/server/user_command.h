// `talon-server user ...`: adds users, sets passwords, switches users off and on, and lists
// them, on the database the config names (docs/api.md, Logins). Works beside a running server.
#pragma once

#include <iosfwd>
#include <string>

#include "talon/server/config.h"

namespace talon::server {

struct UserCommand {
    std::string action;  // add, passwd, disable, enable, list
    std::string login;
    std::string name;            // add
    std::string role = "clerk";  // add: clerk or admin
    std::string windows;         // add: "1,2,3"
};

/// Runs one command. Passwords (add, passwd) are one line read from `in`; with `prompt`, a
/// prompt for it goes to `err` first. Returns the exit code: 0 done, 1 refused or failed (no
/// such user, the login exists, the database cannot be opened), 2 bad input; the reason, as a
/// sentence saying what to do, goes to `err`.
int runUserCommand(const ServerConfig& config, const UserCommand& command, std::istream& in,
                   std::ostream& out, std::ostream& err, bool prompt);

}  // namespace talon::server
