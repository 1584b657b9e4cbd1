// Accepted meter readings for the billing system: one row per meter zone, read from the
// database by the date they were taken, written as CSV (RFC 4180) by one writer shared by
// GET /api/v1/readings?format=csv and `talon-server export-readings`.
#pragma once

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "talon/common/meter_reading.h"
#include "talon/common/result.h"
#include "talon/common/time.h"

namespace talon::server {

/// One accepted zone reading, values as the register shows them.
struct ExportRow {
    std::string confirmation;
    std::string account;
    std::string serial;  // in full: billing matches on it
    std::string zone;
    std::string value;
    std::optional<std::string> previous;
    std::string consumption;
    bool rollover = false;
    bool confirmed = false;
    bool outsideWindow = false;
    std::string period;   // YYYY-MM
    std::string takenOn;  // YYYY-MM-DD, office-local
    WallTime takenAt{};
    WallTime acceptedAt{};
    std::optional<std::string> kiosk;
    std::optional<std::string> localCode;
    bool review = false;  // delivered late by a kiosk's outbox although implausible: check it
};

/// The CSV's first line; the columns are ExportRow's fields in order.
inline constexpr std::string_view kReadingsCsvHeader =
    "confirmation,account,serial,zone,value,previous,consumption,rollover,confirmed,outside_window,"
    "period,"
    "taken_on,taken_at,accepted_at,kiosk,local_code,review";
inline constexpr int kMaxExportDays = 366;

/// Checks an export range: both real dates YYYY-MM-DD, from ≤ to, at most kMaxExportDays days
/// (inclusive). Errors: bad_request with detail.export_from, detail.export_to,
/// detail.export_order or detail.export_range (with {days}).
Status checkExportRange(std::string_view from, std::string_view to);

/// Rows taken on `from` … `to` (inclusive), by acceptance time then submission, zones in the
/// tariff's order. Call checkExportRange first. Throws SQLite::Exception (callers wrap it).
std::vector<ExportRow> readExportRows(SQLite::Database& db, const std::string& from,
                                      const std::string& to);

/// Header and rows, CRLF line ends, fields quoted when they hold a comma, quote or line break;
/// booleans true/false, missing values empty.
std::string readingsCsv(const std::vector<ExportRow>& rows);

}  // namespace talon::server
