// Opens the SQLite database (WAL, synchronous=FULL: a ticket whose number was shown survives
// a crash or power loss) and brings its schema up to date through numbered migrations
// recorded in PRAGMA user_version.
#pragma once

#include <SQLiteCpp/Database.h>

#include <memory>
#include <string>

#include "talon/common/result.h"

namespace talon::server {

/// The schema version this build writes.
int latestSchemaVersion();

/// Opens (creating if needed) and migrates. Errors: the file cannot be opened or is not a
/// database, or it was written by a newer Talon (its version is above latestSchemaVersion()).
Result<std::unique_ptr<SQLite::Database>> openDatabase(const std::string& path);

}  // namespace talon::server
