// The readings export: one indexed range read on taken_on and the CSV writer.
#include "talon/server/reading_export.h"

#include <SQLiteCpp/Statement.h>

#include <chrono>

#include "talon/server/bad_request.h"

namespace talon::server {
namespace {

void appendField(std::string& out, std::string_view field) {
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
        out += field;
        return;
    }
    out += '"';
    for (char c : field) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

}  // namespace

Status checkExportRange(std::string_view from, std::string_view to) {
    const auto first = parseIsoDate(from);
    const auto last = parseIsoDate(to);
    if (!first) return badField("detail.export_from");
    if (!last) return badField("detail.export_to");
    if (*first > *last) return badField("detail.export_order");
    if ((*last - *first).count() + 1 > kMaxExportDays) {
        Error e = badField("detail.export_range");
        e.params.push_back({"days", std::to_string(kMaxExportDays)});
        return e;
    }
    return okStatus();
}

std::vector<ExportRow> readExportRows(SQLite::Database& db, const std::string& from,
                                      const std::string& to) {
    SQLite::Statement q(
        db,
        "SELECT s.confirmation, s.account_number, s.serial, r.zone, r.value, r.previous, "
        "r.consumption, r.rollover, "
        "s.confirmed, s.outside_window, s.period, s.taken_on, s.taken_at, s.accepted_at, s.kiosk, "
        "s.local_code, "
        "r.decimal_digits, r.review FROM reading_submissions s JOIN submitted_readings r ON r.submission_id "
        "= s.id "
        "WHERE s.taken_on BETWEEN ? AND ? ORDER BY s.accepted_at, s.id, r.position");
    q.bind(1, from);
    q.bind(2, to);
    std::vector<ExportRow> rows;
    while (q.executeStep()) {
        meter::Register reg;
        reg.wholeDigits = 9;
        reg.decimalDigits = q.getColumn(16).getInt();
        ExportRow r;
        r.confirmation = q.getColumn(0).getString();
        r.account = q.getColumn(1).getString();
        r.serial = q.getColumn(2).getString();
        r.zone = q.getColumn(3).getString();
        r.value = meter::format(q.getColumn(4).getInt64(), reg);
        if (!q.getColumn(5).isNull()) r.previous = meter::format(q.getColumn(5).getInt64(), reg);
        r.consumption = meter::format(q.getColumn(6).getInt64(), reg);
        r.rollover = q.getColumn(7).getInt() != 0;
        r.confirmed = q.getColumn(8).getInt() != 0;
        r.outsideWindow = q.getColumn(9).getInt() != 0;
        r.period = q.getColumn(10).getString();
        r.takenOn = q.getColumn(11).getString();
        r.takenAt = fromMillis(q.getColumn(12).getInt64());
        r.acceptedAt = fromMillis(q.getColumn(13).getInt64());
        if (!q.getColumn(14).isNull()) r.kiosk = q.getColumn(14).getString();
        if (!q.getColumn(15).isNull()) r.localCode = q.getColumn(15).getString();
        r.review = q.getColumn(17).getInt() != 0;
        rows.push_back(std::move(r));
    }
    return rows;
}

std::string readingsCsv(const std::vector<ExportRow>& rows) {
    std::string out(kReadingsCsvHeader);
    out += "\r\n";
    auto flag = [](bool b) { return b ? "true" : "false"; };
    for (const ExportRow& r : rows) {
        const std::string fields[] = {r.confirmation,
                                      r.account,
                                      r.serial,
                                      r.zone,
                                      r.value,
                                      r.previous.value_or(""),
                                      r.consumption,
                                      flag(r.rollover),
                                      flag(r.confirmed),
                                      flag(r.outsideWindow),
                                      r.period,
                                      r.takenOn,
                                      formatIso(r.takenAt),
                                      formatIso(r.acceptedAt),
                                      r.kiosk.value_or(""),
                                      r.localCode.value_or(""),
                                      flag(r.review)};
        bool first = true;
        for (const std::string& f : fields) {
            if (!first) out += ',';
            first = false;
            appendField(out, f);
        }
        out += "\r\n";
    }
    return out;
}

}  // namespace talon::server
