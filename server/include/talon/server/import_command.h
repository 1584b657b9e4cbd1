// `talon-server import-accounts FILE`: the billing system's accounts and meters CSV into the
// configured database, all or nothing (docs/operations.md, Accounts import).
#pragma once

#include <iosfwd>
#include <string>

#include "talon/server/config.h"

namespace talon::server {

/// Imports `file` and prints, in `lang` (ru or en), a summary to `out`, or every problem as
/// "line N, column C (name): sentence" to `err`. Returns the exit code: 0 imported, 1 nothing
/// changed (problems in the file, the database or the translations cannot be opened).
int runImportAccountsCommand(const ServerConfig& config, const std::string& file,
                             const std::string& lang, std::ostream& out, std::ostream& err);

}  // namespace talon::server
