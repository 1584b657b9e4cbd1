// Accounts, meters and their last readings from the billing system's CSV (docs/operations.md,
// Accounts import): every row is checked, and only a file without a single problem replaces
// the accounts, meters and last readings, all in one transaction.
#pragma once

#include <SQLiteCpp/Database.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "talon/common/i18n.h"

namespace talon::server {

/// One thing wrong with the file. `line` is where the record starts (1 is the header); 0 with
/// `column` 0 is the file as a whole (empty, too large, unreadable, the database failed).
/// `column` is 1-based; 0 is the whole line.
struct ImportProblem {
    int line = 0;
    int column = 0;
    std::string code;  // stable, e.g. "duplicate_meter"; its sentence is "import.<code>"
    I18nArgs params;   // the sentence's placeholders
};

struct ImportReport {
    std::vector<ImportProblem> problems;  // in file order, at most ImportLimits::maxProblems
    int moreProblems = 0;                 // found beyond those
    int accounts = 0;                     // imported (0 unless ok())
    int meters = 0;
    int readings = 0;  // meter zones with a last reading
    [[nodiscard]] bool ok() const { return problems.empty(); }
};

struct ImportLimits {
    uintmax_t maxFileBytes = 200u * 1024 * 1024;
    size_t maxLineBytes = 64 * 1024;
    int maxProblems = 100;
};

/// The exact header the file must start with (after an optional UTF-8 BOM).
inline constexpr std::string_view kAccountCsvHeader =
    "account,holder,address,status,meter,tariff,whole_digits,decimal_digits,calibration_due,"
    "usual_kwh_per_day,last_read_on,last_1,last_2,last_3";

/// Imports into one database connection (its own, or the server's: SQLite's WAL lets an
/// import run beside a running server).
class AccountImport {
public:
    explicit AccountImport(SQLite::Database& db, ImportLimits limits = {})
        : m_db(db), m_limits(limits) {}

    /// Checks `csv` (RFC 4180, UTF-8) and, when no row has a problem, replaces the contents of
    /// accounts, meters and meter_last_readings with it in one transaction. With any problem,
    /// or when the database fails (code "database"), nothing changes.
    ImportReport fromText(std::string_view csv);
    /// The same for a file; a file that cannot be read or is over the size limit is a problem.
    ImportReport fromFile(const std::filesystem::path& file);

private:
    SQLite::Database& m_db;
    ImportLimits m_limits;
};

/// "line 3, column 5: <sentence>" (or only the sentence for the file as a whole) in `lang`.
std::string describe(const ImportProblem& problem, const Catalog& catalog, std::string_view lang);

}  // namespace talon::server
