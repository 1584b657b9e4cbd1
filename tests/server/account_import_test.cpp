// AccountImport on a real SQLite file: a good file round trip (quotes, CRLF, BOM, units of the
// register), a corpus of bad files each reported at its line and column with nothing changed,
// every row checked, the cap on problems, the sentences in both languages, and the real
// `talon-server import-accounts` program.
#include "talon/server/account_import.h"

#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>

#include "../support/server_process.h"
#include "talon/common/paths.h"
#include "talon/server/database.h"

namespace talon::server {
namespace {

const std::string kHeader = std::string(kAccountCsvHeader) + "\n";

/// A valid row: account, meter serial, tariff and its readings; the rest fixed.
std::string row(const std::string& account, const std::string& serial,
                const std::string& tail = "single,5,1,2030-01-31,7.5,2025-03-20,01234.5,,") {
    return account + ",\"Иванова А. Б.\",\"г. Тула, ул. Мира, д. 1, кв. 2\",active," + serial +
           "," + tail + "\n";
}

/// Two accounts, three meters, one of each tariff.
const std::string kGood = kHeader + row("000123456", "SN-1") +
                          row("000123456", "SN-2", "day_night,6,0,,,2025-03-19,000321,000123,") +
                          row("9876543210", "SN-3", "three_zone,5,2,,,2025-03-18,1.5,2.25,3");

struct Counts {
    int accounts = 0, meters = 0, readings = 0;
    bool operator==(const Counts&) const = default;
};

class AccountImportTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto db = openDatabase((m_dir.path() / "talon.db").string());
        ASSERT_TRUE(db.ok()) << db.error().message;
        m_db = std::move(db).value();
    }
    ImportReport import(std::string_view csv, ImportLimits limits = {}) {
        return AccountImport(*m_db, limits).fromText(csv);
    }
    Counts counts() {
        return {m_db->execAndGet("SELECT count(*) FROM accounts").getInt(),
                m_db->execAndGet("SELECT count(*) FROM meters").getInt(),
                m_db->execAndGet("SELECT count(*) FROM meter_last_readings").getInt()};
    }
    std::string reading(const std::string& serial, const std::string& zone) {
        SQLite::Statement q(*m_db,
                            "SELECT value || ' ' || read_on FROM meter_last_readings WHERE serial "
                            "= ? AND zone = ?");
        q.bind(1, serial);
        q.bind(2, zone);
        return q.executeStep() ? q.getColumn(0).getString() : "none";
    }

    test::TempDir m_dir;
    std::unique_ptr<SQLite::Database> m_db;
};

TEST_F(AccountImportTest, GoodFileRoundTrip) {
    auto r = import(kGood);
    ASSERT_TRUE(r.ok()) << r.problems[0].code << " line " << r.problems[0].line;
    EXPECT_EQ(r.accounts, 2);
    EXPECT_EQ(r.meters, 3);
    EXPECT_EQ(r.readings, 6);
    EXPECT_EQ(counts(), (Counts{2, 3, 6}));
    EXPECT_EQ(m_db->execAndGet("SELECT holder_name || '|' || address || '|' || status FROM "
                               "accounts WHERE number = '000123456'")
                  .getString(),
              "Иванова А. Б.|г. Тула, ул. Мира, д. 1, кв. 2|active");
    EXPECT_EQ(
        m_db->execAndGet(
                "SELECT account_number || '|' || tariff || '|' || whole_digits || '|' || "
                "decimal_digits || '|' "
                "|| calibration_due || '|' || usual_kwh_per_day FROM meters WHERE serial = 'SN-1'")
            .getString(),
        "000123456|single|5|1|2030-01-31|7.5");
    EXPECT_TRUE(
        m_db->execAndGet("SELECT calibration_due FROM meters WHERE serial = 'SN-2'").isNull());
    EXPECT_TRUE(
        m_db->execAndGet("SELECT usual_kwh_per_day FROM meters WHERE serial = 'SN-3'").isNull());
    // Values in the register's smallest step, zones in zonesOf order.
    EXPECT_EQ(reading("SN-1", "total"), "12345 2025-03-20");
    EXPECT_EQ(reading("SN-2", "day"), "321 2025-03-19");
    EXPECT_EQ(reading("SN-2", "night"), "123 2025-03-19");
    EXPECT_EQ(reading("SN-3", "peak"), "150 2025-03-18");
    EXPECT_EQ(reading("SN-3", "half_peak"), "225 2025-03-18");
    EXPECT_EQ(reading("SN-3", "night"), "300 2025-03-18");

    // The next export replaces the whole set: SN-2 and its account's second meter are gone.
    const std::string next = "\xEF\xBB\xBF" + std::string(kAccountCsvHeader) + "\r\n" +
                             "555555,\"Смирнов \"\"Младший\"\" В.\",\"ул. Луговая,\r\nд. "
                             "3\",closed,SN-9,single,6,0,,,,,,\r\n";
    r = import(next);
    ASSERT_TRUE(r.ok()) << r.problems[0].code;
    EXPECT_EQ(counts(), (Counts{1, 1, 0}));
    EXPECT_EQ(
        m_db->execAndGet("SELECT holder_name || '|' || address || '|' || status FROM accounts")
            .getString(),
        "Смирнов \"Младший\" В.|ул. Луговая,\r\nд. 3|closed");
}

struct BadFile {
    const char* name;
    std::string csv;
    int line, column;
    const char* code;
};

TEST_F(AccountImportTest, BadFilesAreReportedAndChangeNothing) {
    const std::string big(10 * 1024 * 1024, 'x');
    const std::string header = std::string(kAccountCsvHeader);
    const std::vector<BadFile> cases = {
        {"wrong header",
         "account,holder,adress,status,meter,tariff,whole_digits,decimal_digits,calibration_due,"
         "usual_kwh_per_day,last_read_on,last_1,last_2,last_3\n" +
             row("123456", "A"),
         1, 3, "bad_header"},
        {"header with an extra column", header + ",note\n" + row("123456", "A"), 1, 15,
         "bad_header"},
        {"too few columns", kHeader + row("123456", "A") + "123456,x,y,active,B,single,5,1\n", 3, 0,
         "column_count"},
        {"too many columns", kHeader + "123456,x,y,active,B,single,5,1,,,,,,,extra\n", 2, 0,
         "column_count"},
        {"Windows-1251 holder",
         kHeader + "123456,\xC8\xE2\xE0\xED\xEE\xE2,y,active,B,single,5,1,,,,,,\n", 2, 2,
         "not_utf8"},
        {"cut UTF-8 sequence", kHeader + "123456,x,\xD0,active,B,single,5,1,,,,,,\n", 2, 3,
         "not_utf8"},
        {"duplicate serial", kHeader + row("123456", "A") + row("654321", "A"), 3, 5,
         "duplicate_meter"},
        {"conflicting account",
         kHeader + row("123456", "A") +
             "123456,\"Иванова А. Б.\",\"другой адрес\",active,B,single,5,1,,,,,,\n",
         3, 3, "account_conflict"},
        {"negative value", kHeader + row("123456", "A", "single,5,1,,,2025-03-20,-1,,"), 2, 12,
         "reading_negative"},
        {"too many whole digits", kHeader + row("123456", "A", "single,5,1,,,2025-03-20,123456,,"),
         2, 12, "reading_too_many_whole"},
        {"too many decimals", kHeader + row("123456", "A", "day_night,5,1,,,2025-03-20,1.5,1.25,"),
         2, 13, "reading_too_many_decimals"},
        {"not a number", kHeader + row("123456", "A", "single,5,1,,,2025-03-20,12O4,,"), 2, 12,
         "reading_not_number"},
        {"zone the tariff lacks", kHeader + row("123456", "A", "single,5,1,,,2025-03-20,1,2,"), 2,
         13, "reading_extra"},
        {"zone missing", kHeader + row("123456", "A", "three_zone,5,1,,,2025-03-20,1,,3"), 2, 13,
         "reading_missing"},
        {"reading without date", kHeader + row("123456", "A", "single,5,1,,,,1,,"), 2, 11,
         "read_on_missing"},
        {"no such day", kHeader + row("123456", "A", "single,5,1,,,2025-02-29,1,,"), 2, 11,
         "bad_date"},
        {"date in another format", kHeader + row("123456", "A", "single,5,1,31.01.2030,,,,,"), 2, 9,
         "bad_date"},
        {"bad tariff", kHeader + row("123456", "A", "night_day,5,1,,,,,,"), 2, 6, "bad_tariff"},
        {"whole digits out of range", kHeader + row("123456", "A", "single,10,1,,,,,,"), 2, 7,
         "bad_whole_digits"},
        {"decimal digits out of range", kHeader + row("123456", "A", "single,5,4,,,,,,"), 2, 8,
         "bad_decimal_digits"},
        {"negative usual consumption", kHeader + row("123456", "A", "single,5,1,,-3,,,,"), 2, 10,
         "bad_usual"},
        {"account with a letter", kHeader + row("12345A", "A"), 2, 1, "bad_account"},
        {"account too short", kHeader + row("12345", "A"), 2, 1, "bad_account"},
        {"empty serial", kHeader + row("123456", ""), 2, 5, "required"},
        {"bad status", kHeader + "123456,x,y,open,B,single,5,1,,,,,,\n", 2, 4, "bad_status"},
        {"a 10 MB line",
         kHeader + row("123456", "A") + "123456,\"" + big + "\",y,active,B,single,5,1,,,,,,\n" +
             row("123457", "C"),
         3, 0, "line_too_long"},
        {"unclosed quote",
         kHeader + row("123456", "A") + "123457,\"x,y,active,B,single,5,1,,,,,,\n", 3, 2,
         "unclosed_quote"},
        {"text after a quote", kHeader + "123456,\"x\"y,z,active,B,single,5,1,,,,,,\n", 2, 2,
         "stray_quote"},
        {"empty file", "", 0, 0, "empty_file"},
        {"only a BOM and a line break", "\xEF\xBB\xBF\r\n", 0, 0, "empty_file"},
        {"header only", kHeader, 2, 0, "no_rows"},
    };
    ASSERT_TRUE(import(kGood).ok());
    const Counts before = counts();
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        auto r = import(c.csv);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.problems[0].line, c.line);
        EXPECT_EQ(r.problems[0].column, c.column);
        EXPECT_EQ(r.problems[0].code, c.code);
        EXPECT_EQ(counts(), before);
        EXPECT_EQ(reading("SN-1", "total"), "12345 2025-03-20");
    }
}

TEST_F(AccountImportTest, EveryRowIsCheckedAndLinesCountQuotedLineBreaks) {
    const std::string csv = kHeader + row("123456", "A", "single,5,1,,,,,,") +
                            "123457,\"two\nlines\",y,active,B,single,5,1,,,,,,\n" +  // lines 3-4
                            "123458,x,y,active,C,single,5,1,,,2025-13-01,1,,\n" +    // line 5
                            row("123459", "D") + "123460,x,y,active,E,solar,5,1,,,,,,\n";  // line 7
    auto r = import(csv);
    ASSERT_EQ(r.problems.size(), 2u);
    EXPECT_EQ(r.problems[0].line, 5);
    EXPECT_EQ(r.problems[0].code, "bad_date");
    EXPECT_EQ(r.problems[1].line, 7);
    EXPECT_EQ(r.problems[1].code, "bad_tariff");
    EXPECT_EQ(counts(), (Counts{}));
}

TEST_F(AccountImportTest, StopsListingAfterTheCapAndCountsTheRest) {
    std::string csv = kHeader;
    for (int i = 0; i < 150; ++i)
        csv +=
            std::to_string(100000 + i) + ",x,y,gone,M" + std::to_string(i) + ",single,5,1,,,,,,\n";
    auto r = import(csv);
    ASSERT_EQ(r.problems.size(), 100u);
    EXPECT_EQ(r.moreProblems, 50);
    EXPECT_EQ(r.problems.back().line, 101);
}

TEST_F(AccountImportTest, RefusesAFileOverTheSizeLimit) {
    ASSERT_TRUE(import(kGood).ok());
    const auto file = m_dir.path() / "big.csv";
    std::ofstream(file) << kGood << kGood;
    ImportLimits limits;
    limits.maxFileBytes = kGood.size();
    auto r = AccountImport(*m_db, limits).fromFile(file);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.problems[0].code, "file_too_large");
    EXPECT_EQ(counts(), (Counts{2, 3, 6}));
    r = AccountImport(*m_db).fromFile(m_dir.path() / "missing.csv");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.problems[0].code, "file_unreadable");
}

TEST_F(AccountImportTest, DescribesProblemsInBothLanguages) {
    auto catalog = Catalog::loadDir(assetsDir() / "i18n");
    ASSERT_TRUE(catalog.ok());
    auto r = import(kHeader + row("123456", "A") + row("654321", "A"));
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(
        describe(r.problems[0], catalog.value(), "en"),
        "line 3, column 5 (meter): Meter A is already on line 2. Each meter must appear once.");
    EXPECT_EQ(describe(r.problems[0], catalog.value(), "ru"),
              "строка 3, столбец 5 (meter): Счётчик A уже есть в строке 2. Каждый счётчик должен "
              "быть указан один раз.");
    r = import(kHeader + "123456,\xC8\xE2,y,active,B,single,5,1,,,,,,\n");
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_NE(describe(r.problems[0], catalog.value(), "en").find("not Windows-1251"),
              std::string::npos);
    // Every code the import can report has a sentence in both catalogs.
    for (const char* code : {"file_too_large",
                             "file_unreadable",
                             "empty_file",
                             "no_rows",
                             "bad_header",
                             "column_count",
                             "line_too_long",
                             "unclosed_quote",
                             "stray_quote",
                             "not_utf8",
                             "required",
                             "bad_account",
                             "bad_status",
                             "bad_meter",
                             "duplicate_meter",
                             "bad_tariff",
                             "bad_whole_digits",
                             "bad_decimal_digits",
                             "bad_date",
                             "bad_usual",
                             "reading_extra",
                             "read_on_missing",
                             "reading_missing",
                             "reading_negative",
                             "reading_too_many_whole",
                             "reading_too_many_decimals",
                             "reading_not_number",
                             "account_conflict",
                             "database"}) {
        for (const char* lang : {"en", "ru"})
            EXPECT_TRUE(catalog.value().has(lang, std::string("import.") + code))
                << lang << " " << code;
    }
}

/// Runs `command` through the shell; its exit code and its output (stdout and stderr).
std::pair<int, std::string> run(const std::string& command) {
    std::string output;
    FILE* p = popen((command + " 2>&1").c_str(), "r");
    if (!p) return {-1, ""};
    std::array<char, 4096> buf{};
    while (size_t n = fread(buf.data(), 1, buf.size(), p)) output.append(buf.data(), n);
    const int status = pclose(p);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

TEST(AccountImportCliTest, ImportsAGoodFileAndRefusesABadOneWithNothingChanged) {
    test::TempDir dir;
    const auto db = dir.path() / "talon.db";
    const auto good = dir.path() / "good.csv", bad = dir.path() / "bad.csv";
    std::ofstream(good) << kGood;
    std::ofstream(bad) << kHeader << row("123456", "A") << row("654321", "A")
                       << "12,x,y,active,B,single,5,1,,,,,,\n";
    const std::string program = "'" + test::serverBinary() + "' import-accounts ";

    auto [code, out] = run(program + "'" + good.string() + "' --db '" + db.string() + "'");
    EXPECT_EQ(code, 0) << out;
    EXPECT_NE(out.find("Imported 2 accounts with 3 meters and 6 last readings"), std::string::npos)
        << out;

    std::tie(code, out) =
        run(program + "'" + bad.string() + "' --lang ru --db '" + db.string() + "'");
    EXPECT_EQ(code, 1) << out;
    EXPECT_NE(out.find("строка 3, столбец 5 (meter): Счётчик A уже есть в строке 2."),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("строка 4, столбец 1 (account):"), std::string::npos) << out;
    EXPECT_NE(out.find("Ничего не изменено"), std::string::npos) << out;

    SQLite::Database check(db.string());
    EXPECT_EQ(check.execAndGet("SELECT count(*) FROM meters").getInt(), 3);
    EXPECT_EQ(check.execAndGet("SELECT count(*) FROM accounts WHERE number = '123456'").getInt(),
              0);
}

}  // namespace
}  // namespace talon::server
