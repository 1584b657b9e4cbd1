// The `talon-server import-accounts` command: opens the database and the translations, runs
// AccountImport and words its report for the operator.
#include "talon/server/import_command.h"

#include <ostream>

#include "talon/common/i18n.h"
#include "talon/common/paths.h"
#include "talon/server/account_import.h"
#include "talon/server/database.h"

namespace talon::server {

int runImportAccountsCommand(const ServerConfig& config, const std::string& file,
                             const std::string& lang, std::ostream& out, std::ostream& err) {
    auto catalog = Catalog::loadDir(assetsDir(config.assets) / "i18n");
    if (!catalog) {
        err << catalog.error().message << "\n";
        return 1;
    }
    const Catalog& tr = catalog.value();
    auto db = openDatabase(config.database);
    if (!db) {
        err << db.error().message << "\n";
        return 1;
    }
    const ImportReport report = AccountImport(*db.value()).fromFile(file);
    if (report.ok()) {
        out << tr.tr(lang, "import.done",
                     {{"accounts", std::to_string(report.accounts)},
                      {"meters", std::to_string(report.meters)},
                      {"readings", std::to_string(report.readings)}})
            << "\n";
        return 0;
    }
    for (const auto& problem : report.problems) err << describe(problem, tr, lang) << "\n";
    if (report.moreProblems > 0)
        err << tr.tr(lang, "import.more", {{"n", std::to_string(report.moreProblems)}}) << "\n";
    err << tr.tr(lang, "import.nothing_changed", {{"file", file}}) << "\n";
    return 1;
}

}  // namespace talon::server
