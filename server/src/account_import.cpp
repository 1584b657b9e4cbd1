// The accounts CSV import: an RFC 4180 reader that keeps each record's line, the checks of
// every row (collected, not stopping at the first), and the one-transaction replacement.
#include "talon/server/account_import.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
#include <optional>
#include <unordered_map>

#include "talon/common/meter_reading.h"
#include "talon/common/text_entry.h"
#include "talon/common/time.h"
#include "talon/server/account_directory.h"

namespace talon::server {
namespace {

constexpr std::array<std::string_view, 14> kColumns = {
    "account",      "holder",       "address",        "status",          "meter",
    "tariff",       "whole_digits", "decimal_digits", "calibration_due", "usual_kwh_per_day",
    "last_read_on", "last_1",       "last_2",         "last_3"};
enum Column {
    kAccount = 1,
    kHolder,
    kAddress,
    kStatus,
    kMeter,
    kTariff,
    kWholeDigits,
    kDecimalDigits,
    kCalibrationDue,
    kUsual,
    kLastReadOn,
    kLast1,
};
constexpr size_t kMaxSerial = 64;

/// Problems in file order, up to the limit; the rest are only counted.
class Problems {
public:
    Problems(ImportReport& report, int max) : m_report(report), m_max(max) {}
    void add(int line, int column, std::string code, I18nArgs params = {}) {
        if (static_cast<int>(m_report.problems.size()) >= m_max) {
            ++m_report.moreProblems;
            return;
        }
        if (column > 0 && column <= static_cast<int>(kColumns.size()))
            params.emplace_back("name", std::string(kColumns[static_cast<size_t>(column - 1)]));
        m_report.problems.push_back({line, column, std::move(code), std::move(params)});
    }
    bool any() const { return !m_report.problems.empty(); }

private:
    ImportReport& m_report;
    int m_max;
};

/// One CSV record: its fields and the line it starts on.
struct Record {
    int line = 0;
    std::vector<std::string> fields;
};

/// Reads RFC 4180 records one by one: quoted fields may hold commas, doubled quotes and line
/// breaks; records end with LF or CRLF.
class CsvReader {
public:
    CsvReader(std::string_view text, const ImportLimits& limits, Problems& problems)
        : m_text(text), m_limits(limits), m_problems(problems) {}

    /// The next record, skipping blank lines; nullopt at the end. A record with a problem of
    /// its own (quotes, length) is reported and comes back with no fields.
    std::optional<Record> next() {
        while (m_pos < m_text.size()) {
            Record r;
            r.line = m_line;
            const size_t start = m_pos;
            const bool fine = readRecord(r);
            if (m_pos - start > m_limits.maxLineBytes) {
                m_problems.add(r.line, 0, "line_too_long",
                               {{"limit_kib", std::to_string(m_limits.maxLineBytes / 1024)}});
                r.fields.clear();
                return r;
            }
            if (!fine) {
                r.fields.clear();
                return r;
            }
            if (r.fields.size() == 1 && r.fields[0].empty()) continue;  // a blank line
            return r;
        }
        return std::nullopt;
    }

private:
    /// Reads up to and including the record's line break. False when it had a quoting problem
    /// (reported; the rest of its line is skipped).
    bool readRecord(Record& r) {
        std::string field;
        for (;;) {
            field.clear();
            const int column = static_cast<int>(r.fields.size()) + 1;
            if (m_pos < m_text.size() && m_text[m_pos] == '"') {
                const int quoteLine = m_line;
                ++m_pos;
                for (;;) {
                    if (m_pos >= m_text.size()) {
                        m_problems.add(quoteLine, column, "unclosed_quote");
                        return false;
                    }
                    const size_t quote = m_text.find('"', m_pos);
                    const size_t end = quote == std::string_view::npos ? m_text.size() : quote;
                    std::string_view chunk = m_text.substr(m_pos, end - m_pos);
                    for (char c : chunk) m_line += c == '\n';
                    field.append(chunk);
                    m_pos = end;
                    if (quote == std::string_view::npos) continue;
                    if (m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '"') {
                        field.push_back('"');
                        m_pos += 2;
                        continue;
                    }
                    ++m_pos;  // the closing quote
                    break;
                }
                if (m_pos < m_text.size() && m_text[m_pos] != ',' && m_text[m_pos] != '\n' &&
                    !(m_text[m_pos] == '\r' && m_pos + 1 < m_text.size() &&
                      m_text[m_pos + 1] == '\n')) {
                    m_problems.add(m_line, column, "stray_quote");
                    skipLine();
                    return false;
                }
            } else {
                const size_t end = m_text.find_first_of(",\n", m_pos);
                const size_t stop = end == std::string_view::npos ? m_text.size() : end;
                field.assign(m_text.substr(m_pos, stop - m_pos));
                m_pos = stop;
                const bool endsLine = stop == m_text.size() || m_text[stop] == '\n';
                if (endsLine && !field.empty() && field.back() == '\r') field.pop_back();  // CRLF
            }
            r.fields.push_back(std::move(field));
            if (m_pos >= m_text.size()) return true;
            if (m_text[m_pos] == ',') {
                ++m_pos;
                continue;
            }
            if (m_text[m_pos] == '\r') ++m_pos;
            ++m_pos;  // '\n'
            ++m_line;
            return true;
        }
    }

    void skipLine() {
        const size_t end = m_text.find('\n', m_pos);
        m_pos = end == std::string_view::npos ? m_text.size() : end + 1;
        ++m_line;
    }

    std::string_view m_text;
    const ImportLimits& m_limits;
    Problems& m_problems;
    size_t m_pos = 0;
    int m_line = 1;
};

bool blank(std::string_view s) {
    return s.find_first_not_of(" \t") == std::string_view::npos;
}

std::optional<int> smallInt(std::string_view s, int lo, int hi) {
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc{} || p != s.data() + s.size() || v < lo || v > hi)
        return std::nullopt;
    return v;
}

/// A non-negative decimal with '.' or ',' (as billing exports write it).
std::optional<double> usualPerDay(std::string_view s) {
    std::string text(s);
    for (char& c : text) {
        if (c == ',') c = '.';
    }
    if (text.empty() || text.find_first_not_of("0123456789.") != std::string::npos)
        return std::nullopt;
    double v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || p != text.data() + text.size() || !std::isfinite(v) || v > 1e6)
        return std::nullopt;
    return v;
}

struct AccountRow {
    std::string number, holder, address, status;
    int line = 0;
};

struct MeterRow {
    std::string serial;
    size_t account = 0;  // index into the accounts
    meter::Tariff tariff = meter::Tariff::Single;
    meter::Register reg;
    std::string calibrationDue;  // empty: none
    std::optional<double> usualPerDay;
    std::string readOn;           // empty: no last readings
    std::vector<int64_t> values;  // one per zone, or none
};

/// Everything a valid file holds, ready to write.
struct Parsed {
    std::vector<AccountRow> accounts;
    std::unordered_map<std::string, size_t> accountIndex;
    std::vector<MeterRow> meters;
    std::unordered_map<std::string, int> meterLines;  // serial → the line it first appeared on
};

void checkRow(const Record& r, Parsed& out, Problems& problems) {
    const auto& f = r.fields;
    const int line = r.line;
    auto at = [&](int column) -> const std::string& { return f[static_cast<size_t>(column - 1)]; };
    bool rowOk = true;
    auto fail = [&](int column, std::string code, I18nArgs params = {}) {
        problems.add(line, column, std::move(code), std::move(params));
        rowOk = false;
    };
    for (int c = 1; c <= static_cast<int>(f.size()); ++c) {
        if (!validUtf8(at(c))) {
            fail(c, "not_utf8");
            return;  // the rest of the row is unreadable text as well
        }
    }
    for (int c :
         {kAccount, kHolder, kAddress, kStatus, kMeter, kTariff, kWholeDigits, kDecimalDigits}) {
        if (blank(at(c))) fail(c, "required");
    }
    const std::string& account = at(kAccount);
    const bool accountOk = validAccountNumber(account);
    if (!blank(account) && !accountOk) fail(kAccount, "bad_account", {{"value", account}});
    const std::string& status = at(kStatus);
    if (!blank(status) && status != "active" && status != "closed")
        fail(kStatus, "bad_status", {{"value", status}});
    const std::string& serial = at(kMeter);
    if (!blank(serial)) {
        bool printable = serial.size() <= kMaxSerial;
        for (char c : serial) printable = printable && static_cast<unsigned char>(c) >= 0x20;
        if (!printable) {
            fail(kMeter, "bad_meter", {{"limit", std::to_string(kMaxSerial)}});
        } else if (auto [it, added] = out.meterLines.emplace(serial, line); !added) {
            fail(kMeter, "duplicate_meter",
                 {{"value", serial}, {"first_line", std::to_string(it->second)}});
        }
    }
    const auto tariff = meter::tariffFromString(at(kTariff));
    if (!blank(at(kTariff)) && !tariff) fail(kTariff, "bad_tariff", {{"value", at(kTariff)}});
    const auto whole = smallInt(at(kWholeDigits), 1, 9);
    if (!blank(at(kWholeDigits)) && !whole)
        fail(kWholeDigits, "bad_whole_digits", {{"value", at(kWholeDigits)}});
    const auto decimals = smallInt(at(kDecimalDigits), 0, 3);
    if (!blank(at(kDecimalDigits)) && !decimals)
        fail(kDecimalDigits, "bad_decimal_digits", {{"value", at(kDecimalDigits)}});
    for (int c : {kCalibrationDue, kLastReadOn}) {
        if (!at(c).empty() && !validIsoDate(at(c))) fail(c, "bad_date", {{"value", at(c)}});
    }
    const auto usual = usualPerDay(at(kUsual));
    if (!at(kUsual).empty() && !usual) fail(kUsual, "bad_usual", {{"value", at(kUsual)}});

    // The last readings: every zone of the tariff or none, and never one the tariff lacks.
    MeterRow m;
    if (tariff) {
        const size_t zones = meter::zonesOf(*tariff).size();
        bool anyValue = false;
        for (size_t z = 0; z < zones; ++z)
            anyValue = anyValue || !blank(at(kLast1 + static_cast<int>(z)));
        if (anyValue && blank(at(kLastReadOn))) fail(kLastReadOn, "read_on_missing");
        if (!anyValue && !blank(at(kLastReadOn)))
            fail(kLast1, "reading_missing", {{"zone", meter::zonesOf(*tariff)[0]}});
        if (anyValue && whole && decimals) {
            const meter::Register reg{*whole, *decimals};
            for (size_t z = 0; z < zones; ++z) {
                const int c = kLast1 + static_cast<int>(z);
                const std::string& text = at(c);
                I18nArgs args{{"value", text},
                              {"zone", meter::zonesOf(*tariff)[z]},
                              {"whole", std::to_string(*whole)},
                              {"decimals", std::to_string(*decimals)}};
                if (blank(text)) {
                    fail(c, "reading_missing", std::move(args));
                    continue;
                }
                if (text.find('-') != std::string::npos) {
                    fail(c, "reading_negative", std::move(args));
                    continue;
                }
                const auto parsed = meter::parse(text, reg);
                if (parsed.value) {
                    m.values.push_back(*parsed.value);
                } else if (parsed.error == meter::ParseError::TooManyWhole) {
                    fail(c, "reading_too_many_whole", std::move(args));
                } else if (parsed.error == meter::ParseError::TooManyDecimals) {
                    fail(c, "reading_too_many_decimals", std::move(args));
                } else {
                    fail(c, "reading_not_number", std::move(args));
                }
            }
        }
        for (size_t z = zones; z < 3; ++z) {
            const int c = kLast1 + static_cast<int>(z);
            if (!blank(at(c))) {
                fail(c, "reading_extra",
                     {{"tariff", at(kTariff)}, {"zones", std::to_string(zones)}});
            }
        }
    }

    // Several meters of one account: the account's own data must agree with its first row.
    size_t accountIndex = out.accounts.size();
    if (accountOk) {
        if (auto it = out.accountIndex.find(account); it != out.accountIndex.end()) {
            accountIndex = it->second;
            const AccountRow& first = out.accounts[accountIndex];
            const std::array<std::pair<int, const std::string*>, 3> own = {
                {{kHolder, &first.holder}, {kAddress, &first.address}, {kStatus, &first.status}}};
            for (const auto& [c, value] : own) {
                if (at(c) != *value) {
                    fail(c, "account_conflict",
                         {{"account", account}, {"first_line", std::to_string(first.line)}});
                    break;
                }
            }
        } else {
            out.accountIndex.emplace(account, accountIndex);
            out.accounts.push_back({account, at(kHolder), at(kAddress), status, line});
        }
    }
    if (!rowOk || problems.any()) return;  // nothing will be written: keep no more rows
    m.serial = serial;
    m.account = accountIndex;
    m.tariff = *tariff;
    m.reg = {*whole, *decimals};
    m.calibrationDue = at(kCalibrationDue);
    m.usualPerDay = usual;
    if (!m.values.empty()) m.readOn = at(kLastReadOn);
    out.meters.push_back(std::move(m));
}

/// Replaces the three tables' contents in one transaction; counts what was written.
void write(SQLite::Database& db, const Parsed& data, ImportReport& report) {
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    db.exec("DELETE FROM meter_last_readings; DELETE FROM meters; DELETE FROM accounts;");
    SQLite::Statement account(
        db, "INSERT INTO accounts(number, holder_name, address, status) VALUES (?, ?, ?, ?)");
    SQLite::Statement meter(
        db,
        "INSERT INTO meters(serial, account_number, tariff, whole_digits, decimal_digits, "
        "calibration_due, usual_kwh_per_day) VALUES (?, ?, ?, ?, ?, ?, ?)");
    SQLite::Statement reading(
        db, "INSERT INTO meter_last_readings(serial, zone, value, read_on) VALUES (?, ?, ?, ?)");
    for (const auto& a : data.accounts) {
        account.bindNoCopy(1, a.number);
        account.bindNoCopy(2, a.holder);
        account.bindNoCopy(3, a.address);
        account.bindNoCopy(4, a.status);
        account.exec();
        account.reset();
    }
    for (const auto& m : data.meters) {
        meter.bindNoCopy(1, m.serial);
        meter.bindNoCopy(2, data.accounts[m.account].number);
        meter.bind(3, std::string(meter::toString(m.tariff)));
        meter.bind(4, m.reg.wholeDigits);
        meter.bind(5, m.reg.decimalDigits);
        if (m.calibrationDue.empty())
            meter.bind(6);
        else
            meter.bindNoCopy(6, m.calibrationDue);
        if (m.usualPerDay)
            meter.bind(7, *m.usualPerDay);
        else
            meter.bind(7);
        meter.exec();
        meter.reset();
        const auto& zones = meter::zonesOf(m.tariff);
        for (size_t z = 0; z < m.values.size(); ++z) {
            reading.bindNoCopy(1, m.serial);
            reading.bindNoCopy(2, zones[z]);
            reading.bind(3, static_cast<int64_t>(m.values[z]));
            reading.bindNoCopy(4, m.readOn);
            reading.exec();
            reading.reset();
            ++report.readings;
        }
    }
    tx.commit();
    report.accounts = static_cast<int>(data.accounts.size());
    report.meters = static_cast<int>(data.meters.size());
}

}  // namespace

ImportReport AccountImport::fromText(std::string_view csv) {
    ImportReport report;
    Problems problems(report, m_limits.maxProblems);
    if (csv.size() > m_limits.maxFileBytes) {
        problems.add(0, 0, "file_too_large",
                     {{"size_mb", std::to_string(csv.size() >> 20)},
                      {"limit_mb", std::to_string(m_limits.maxFileBytes >> 20)}});
        return report;
    }
    if (csv.starts_with("\xEF\xBB\xBF")) csv.remove_prefix(3);
    if (csv.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        problems.add(0, 0, "empty_file");
        return report;
    }
    CsvReader reader(csv, m_limits, problems);
    auto header = reader.next();
    if (!header || header->fields.empty()) return report;  // its problem is reported
    for (size_t c = 0; c < kColumns.size(); ++c) {
        if (c >= header->fields.size() || header->fields[c] != kColumns[c]) {
            problems.add(header->line, static_cast<int>(c) + 1, "bad_header",
                         {{"expected", std::string(kAccountCsvHeader)}});
            return report;
        }
    }
    if (header->fields.size() != kColumns.size()) {
        problems.add(header->line, static_cast<int>(kColumns.size()) + 1, "bad_header",
                     {{"expected", std::string(kAccountCsvHeader)}});
        return report;
    }
    Parsed data;
    int rows = 0;
    while (auto record = reader.next()) {
        ++rows;
        if (record->fields.empty()) continue;  // reported by the reader
        if (record->fields.size() != kColumns.size()) {
            problems.add(record->line, 0, "column_count",
                         {{"found", std::to_string(record->fields.size())},
                          {"expected", std::to_string(kColumns.size())}});
            continue;
        }
        checkRow(*record, data, problems);
    }
    if (rows == 0 && !problems.any()) problems.add(header->line + 1, 0, "no_rows");
    if (problems.any()) return report;
    try {
        write(m_db, data, report);
    } catch (const SQLite::Exception& e) {
        report.accounts = report.meters = report.readings = 0;
        problems.add(0, 0, "database", {{"detail", e.what()}});
    }
    return report;
}

ImportReport AccountImport::fromFile(const std::filesystem::path& file) {
    ImportReport report;
    Problems problems(report, m_limits.maxProblems);
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    if (!ec && size > m_limits.maxFileBytes) {
        problems.add(0, 0, "file_too_large",
                     {{"size_mb", std::to_string(size >> 20)},
                      {"limit_mb", std::to_string(m_limits.maxFileBytes >> 20)}});
        return report;
    }
    std::ifstream in(file, std::ios::binary);
    if (ec || !in) {
        problems.add(0, 0, "file_unreadable", {{"path", file.string()}});
        return report;
    }
    std::string text(size, '\0');
    if (!in.read(text.data(), static_cast<std::streamsize>(size))) {
        problems.add(0, 0, "file_unreadable", {{"path", file.string()}});
        return report;
    }
    return fromText(text);
}

std::string describe(const ImportProblem& problem, const Catalog& catalog, std::string_view lang) {
    const std::string text = catalog.tr(lang, "import." + problem.code, problem.params);
    if (problem.line <= 0) return text;
    I18nArgs where{{"line", std::to_string(problem.line)}, {"text", text}};
    if (problem.column <= 0) return catalog.tr(lang, "import.at_line", where);
    where.emplace_back("column", std::to_string(problem.column));
    for (const auto& [k, v] : problem.params) {
        if (k == "name") where.emplace_back("name", v);
    }
    return catalog.tr(lang, "import.at_line_column", where);
}

}  // namespace talon::server
