// `talon-server export-readings --from D --to D [--out FILE]`: the accepted meter readings
// taken in a date range as the billing system's CSV (docs/operations.md, Readings export).
#pragma once

#include <iosfwd>
#include <string>

#include "talon/server/config.h"

namespace talon::server {

struct ExportCommand {
    std::string from;  // YYYY-MM-DD, inclusive
    std::string to;    // YYYY-MM-DD, inclusive
    std::string out;   // empty: standard output
    std::string lang = "en";
};

/// Writes the CSV to `out` (or to the file, atomically: a temporary file renamed over it) and
/// a summary in `lang` to `err`. Returns the exit code: 0 written, 1 the database, the
/// translations or the file failed (no file is left half-written), 2 bad arguments.
int runExportReadingsCommand(const ServerConfig& config, const ExportCommand& command,
                             std::ostream& out, std::ostream& err);

}  // namespace talon::server
