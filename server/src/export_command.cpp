// The `talon-server export-readings` command: checks the range, reads the rows on a
// connection of its own (WAL lets it run beside a running server) and writes the CSV.
#include "talon/server/export_command.h"

#include <SQLiteCpp/Exception.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <ostream>

#include "talon/common/i18n.h"
#include "talon/common/paths.h"
#include "talon/server/database.h"
#include "talon/server/reading_export.h"

namespace talon::server {
namespace {

/// Writes `text` to `path` through `path`.tmp, flushed to disk, then renamed over it: a reader
/// sees the old file or the whole new one. Empty when done, else why not.
std::string writeAtomically(const std::string& path, const std::string& text) {
    const std::string tmp = path + ".tmp";
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) return std::strerror(errno);
    const bool written = std::fwrite(text.data(), 1, text.size(), f) == text.size();
    const int writeErrno = errno;
    const bool flushed = written && std::fflush(f) == 0 && fsync(fileno(f)) == 0;
    const int flushErrno = errno;
    if (std::fclose(f) != 0 || !written || !flushed) {
        std::remove(tmp.c_str());
        return std::strerror(!written ? writeErrno : flushErrno);
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        const int renameErrno = errno;
        std::remove(tmp.c_str());
        return std::strerror(renameErrno);
    }
    return {};
}

}  // namespace

int runExportReadingsCommand(const ServerConfig& config, const ExportCommand& command,
                             std::ostream& out, std::ostream& err) {
    auto catalog = Catalog::loadDir(assetsDir(config.assets) / "i18n");
    if (!catalog) {
        err << catalog.error().message << "\n";
        return 1;
    }
    const Catalog& tr = catalog.value();
    if (command.lang != "ru" && command.lang != "en") {
        err << "--lang must be ru or en, not \"" << command.lang << "\"\n";
        return 2;
    }
    if (command.from.empty() || command.to.empty()) {
        err << tr.tr(command.lang, "export.range_required") << "\n";
        return 2;
    }
    if (Status st = checkExportRange(command.from, command.to); !st) {
        I18nArgs params = st.error().params;
        std::string detail;
        for (const auto& [name, value] : params) {
            if (name == "detail") detail = value;
        }
        err << tr.tr(command.lang, "export.bad_range",
                     {{"detail", tr.tr(command.lang, detail, params)}})
            << "\n";
        return 2;
    }
    auto db = openDatabase(config.database);
    if (!db) {
        err << db.error().message << "\n";
        return 1;
    }
    std::vector<ExportRow> rows;
    try {
        rows = readExportRows(*db.value(), command.from, command.to);
    } catch (const SQLite::Exception& e) {
        err << tr.tr(command.lang, "export.database", {{"detail", e.what()}}) << "\n";
        return 1;
    }
    const std::string csv = readingsCsv(rows);
    if (command.out.empty()) {
        out << csv;
        out.flush();
    } else if (std::string why = writeAtomically(command.out, csv); !why.empty()) {
        err << tr.tr(command.lang, "export.write_failed", {{"file", command.out}, {"reason", why}})
            << "\n";
        return 1;
    }
    err << tr.tr(command.lang, "export.done",
                 {{"readings", std::to_string(rows.size())},
                  {"from", command.from},
                  {"to", command.to},
                  {"file", command.out.empty() ? "-" : command.out}})
        << "\n";
    return 0;
}

}  // namespace talon::server
