// ReadingStore on a real SQLite file imported from CSV, with a fake clock in Moscow time:
// an accepted submission and its confirmation number, the meter's new last readings, the
// idempotency key (replay, conflict, after a reopen), one submission per meter and month,
// rollover, confirmation of implausible consumption, the window flag and the period by the
// office's date, taken_at bounds, every refusal storing nothing, and an import afterwards.
#include "talon/server/reading_store.h"

#include <gtest/gtest.h>

#include <SQLiteCpp/Statement.h>

#include <functional>

#include "../support/fake_clock.h"
#include "../support/server_process.h"
#include "../support/test_names.h"
#include "talon/server/account_directory.h"
#include "talon/server/account_import.h"
#include "talon/server/database.h"
#include "talon/server/reading_export.h"

namespace talon::server {
namespace {

using namespace std::chrono_literals;

const std::string kCsv =
    std::string(kAccountCsvHeader) +
    "\n"
    "1000001,Иванов Пётр Сергеевич,\"г. Тула, ул. Ленина, д. 5, кв. 12\",active,SN00001234,"
    "day_night,6,1,2030-01-01,7.5,2026-10-20,12345.6,00321.0,\n"
    "1000001,Иванов Пётр Сергеевич,\"г. Тула, ул. Ленина, д. 5, кв. 12\",active,TT99997777,"
    "single,5,0,,,,,,\n"
    "2000002,Smith John,\"12 Baker St, apt "
    "4\",closed,XY55550000,three_zone,5,2,,,2026-09-01,1.5,2.25,3\n"
    "3000003,Петров Иван,\"ул. Мира, д. 1\",active,RO00000001,single,4,0,,10,2026-10-21,9950,,\n"
    "4000004,Сидорова Анна,\"ул. Мира, д. 2\",active,UU00000004,single,6,0,,1,2026-11-10,100,,\n";

std::string param(const Error& e, const std::string& name) {
    for (const auto& [k, v] : e.params) {
        if (k == name) return v;
    }
    return "<none>";
}

/// Meter 1 of account 1000001 (SN… sorts before TT…): day and night.
ReadingRequest dayNight(const std::string& key, const std::string& day, const std::string& night) {
    ReadingRequest r;
    r.idempotencyKey = key;
    r.account = "1000001";
    r.meter = 1;  // SN… sorts before TT…
    r.serial = "…1234";
    r.values = {{"day", day}, {"night", night}};
    r.kiosk = "hall-1";
    return r;
}

/// One single-zone meter's reading.
ReadingRequest single(const std::string& key, const std::string& account, int meter,
                      const std::string& value) {
    ReadingRequest r;
    r.idempotencyKey = key;
    r.account = account;
    r.meter = meter;
    r.values = {{"total", value}};
    return r;
}

class ReadingStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_config = demoConfig();
        m_config.database = (m_dir.path() / "talon.db").string();
        m_config.day.timezone = "Europe/Moscow";
        m_clock.setWall(*parseIso("2026-11-20T09:00:00.000Z"));  // 12:00 on the 20th in Moscow
        importCsv();
        open();
    }
    void importCsv() {
        auto db = openDatabase(m_config.database);
        ASSERT_TRUE(db.ok()) << db.error().message;
        ImportReport report = AccountImport(*db.value()).fromText(kCsv);
        ASSERT_TRUE(report.ok()) << report.problems.front().code;
    }
    void open() {
        m_readings.reset();
        m_store.reset();
        auto s = QueueStore::open(m_config, m_hub, m_clock);
        ASSERT_TRUE(s.ok()) << s.error().message;
        m_store = std::move(s).value();
        m_readings = std::make_unique<ReadingStore>(*m_store, m_clock, m_config.readings);
    }
    int64_t count(const std::string& sql) {
        int64_t n = -1;
        EXPECT_TRUE(
            m_store->readStep([&](SQLite::Database& db) { n = db.execAndGet(sql).getInt64(); })
                .ok());
        return n;
    }
    std::string lastReadings(const std::string& serial) {
        std::string out;
        EXPECT_TRUE(
            m_store
                ->readStep([&](SQLite::Database& db) {
                    SQLite::Statement q(
                        db,
                        "SELECT zone, value, read_on FROM meter_last_readings WHERE serial = ? "
                        "ORDER BY zone");
                    q.bind(1, serial);
                    while (q.executeStep()) {
                        out += q.getColumn(0).getString() + "=" + q.getColumn(1).getString() + "@" +
                               q.getColumn(2).getString() + ";";
                    }
                })
                .ok());
        return out;
    }

    test::TempDir m_dir;
    test::FakeClock m_clock;
    EventHub m_hub;
    ServerConfig m_config;
    std::unique_ptr<QueueStore> m_store;
    std::unique_ptr<ReadingStore> m_readings;
};

TEST_F(ReadingStoreTest, AcceptsWithConfirmationNumberAndNewLastReadings) {
    auto r = m_readings->submit(dayNight("k1", "12400,5", " 330 "));
    ASSERT_TRUE(r.ok()) << r.error().code;
    EXPECT_FALSE(r.value().replayed);
    const ReadingReceipt& receipt = r.value().receipt;
    EXPECT_EQ(receipt.confirmation, "R-2026-000001");
    EXPECT_EQ(receipt.account, "1000001");
    EXPECT_EQ(receipt.meter, 1);
    EXPECT_EQ(receipt.serial, "…1234");
    EXPECT_EQ(receipt.period, "2026-11");
    EXPECT_EQ(receipt.takenAt, m_clock.wallNow());
    EXPECT_EQ(receipt.acceptedAt, m_clock.wallNow());
    EXPECT_FALSE(receipt.outsideWindow);
    EXPECT_FALSE(receipt.confirmed);
    EXPECT_FALSE(receipt.localCode);
    ASSERT_EQ(receipt.readings.size(), 2u);
    EXPECT_EQ(receipt.readings[0].zone, "day");
    EXPECT_EQ(receipt.readings[0].value, "12400.5");
    EXPECT_EQ(receipt.readings[0].previous, "12345.6");
    EXPECT_EQ(receipt.readings[0].consumption, "54.9");
    EXPECT_EQ(receipt.readings[1].zone, "night");
    EXPECT_EQ(receipt.readings[1].value, "330.0");
    EXPECT_EQ(receipt.readings[1].consumption, "9.0");
    EXPECT_EQ(lastReadings("SN00001234"), "day=124005@2026-11-20;night=3300@2026-11-20;");

    // The lookup shows them as the last readings and the meter as done this month.
    AccountDirectory directory(*m_store, m_clock);
    auto account = directory.lookup("1000001");
    ASSERT_TRUE(account.ok());
    EXPECT_EQ(account.value().today, "2026-11-20");
    EXPECT_EQ(account.value().period, "2026-11");
    const MeterView& m = account.value().meters.at(0);
    EXPECT_EQ(m.position, 1);
    EXPECT_EQ(m.zones[0].last, "12400.5");
    EXPECT_EQ(m.zones[0].readOn, "2026-11-20");
    EXPECT_EQ(m.submittedOn, "2026-11-20");
    EXPECT_EQ(m.usualKwhPerDay, 7.5);
    EXPECT_EQ(account.value().meters.at(1).position, 2);
    EXPECT_FALSE(account.value().meters.at(1).submittedOn);

    // The second meter's first reading (no previous) takes the next number.
    auto second = m_readings->submit(single("k2", "1000001", 2, "00042"));
    ASSERT_TRUE(second.ok()) << second.error().code;
    EXPECT_EQ(second.value().receipt.confirmation, "R-2026-000002");
    EXPECT_EQ(second.value().receipt.serial, "…7777");
    EXPECT_FALSE(second.value().receipt.readings.at(0).previous);
    EXPECT_EQ(second.value().receipt.readings.at(0).consumption, "0");
}

TEST_F(ReadingStoreTest, SameKeyReplaysEvenAfterReopenAndLongAfter) {
    ReadingRequest request = dayNight("outbox-1", "12400.5", "330");
    request.localCode = "K7F3-A9C2";
    request.takenAt = m_clock.wallNow() - 2h;
    auto first = m_readings->submit(request);
    ASSERT_TRUE(first.ok()) << first.error().code;
    EXPECT_EQ(first.value().receipt.localCode, "K7F3-A9C2");
    m_clock.advance(40 * 24h);  // taken_at is now out of bounds; a replay is still a replay
    open();
    auto again = m_readings->submit(request);
    ASSERT_TRUE(again.ok()) << again.error().code;
    EXPECT_TRUE(again.value().replayed);
    EXPECT_EQ(again.value().receipt.confirmation, first.value().receipt.confirmation);
    EXPECT_EQ(again.value().receipt.acceptedAt, first.value().receipt.acceptedAt);
    EXPECT_EQ(again.value().receipt.readings[0].value, "12400.5");
    EXPECT_EQ(count("SELECT COUNT(*) FROM reading_submissions"), 1);

    struct Change {
        const char* what;
        std::function<void(ReadingRequest&)> apply;
    };
    for (const Change& c :
         {Change{"values", [](ReadingRequest& r) { r.values[0].second = "12400.6"; }},
          Change{"meter", [](ReadingRequest& r) { r.meter = 2; }},
          Change{"account", [](ReadingRequest& r) { r.account = "3000003"; }}}) {
        ReadingRequest other = request;
        c.apply(other);
        auto conflict = m_readings->submit(other);
        ASSERT_FALSE(conflict.ok()) << c.what;
        EXPECT_EQ(conflict.error().code, "idempotency_conflict") << c.what;
    }
    EXPECT_EQ(count("SELECT COUNT(*) FROM reading_submissions"), 1);
}

TEST_F(ReadingStoreTest, OnePerMeterAndMonth) {
    ASSERT_TRUE(m_readings->submit(dayNight("a", "12400", "330")).ok());
    m_clock.advance(2 * 24h);
    auto again = m_readings->submit(dayNight("b", "12410", "331"));
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, "reading_already_submitted");
    EXPECT_EQ(param(again.error(), "zone"), "day");
    EXPECT_EQ(param(again.error(), "period"), "2026-11");
    EXPECT_EQ(param(again.error(), "date"), "2026-11-20");
    EXPECT_EQ(param(again.error(), "date_text"), "20.11.2026");
    // Another meter of the same account is its own.
    EXPECT_TRUE(m_readings->submit(single("c", "1000001", 2, "5")).ok());
    // December is a new period; the November reading is now the previous one.
    m_clock.setWall(*parseIso("2026-12-16T09:00:00.000Z"));
    auto december = m_readings->submit(dayNight("d", "12500", "340"));
    ASSERT_TRUE(december.ok()) << december.error().code;
    EXPECT_EQ(december.value().receipt.period, "2026-12");
    EXPECT_EQ(december.value().receipt.readings[0].previous, "12400.0");
    EXPECT_EQ(december.value().receipt.readings[0].consumption, "100.0");
}

TEST_F(ReadingStoreTest, RolloverThroughZero) {
    auto r = m_readings->submit(single("r", "3000003", 1, "0050"));
    ASSERT_TRUE(r.ok()) << r.error().code;
    EXPECT_TRUE(r.value().receipt.readings[0].rollover);
    EXPECT_EQ(r.value().receipt.readings[0].previous, "9950");
    EXPECT_EQ(r.value().receipt.readings[0].consumption, "100");
}

TEST_F(ReadingStoreTest, ImplausibleConsumptionNeedsConfirmation) {
    // Usual 1 kWh a day, 10 days since the last reading: above 30 kWh needs the visitor's word.
    auto refused = m_readings->submit(single("x", "4000004", 1, "200"));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, "reading_needs_confirmation");
    EXPECT_EQ(param(refused.error(), "zone"), "total");
    EXPECT_EQ(param(refused.error(), "consumption"), "100");
    EXPECT_EQ(param(refused.error(), "usual"), "10");
    EXPECT_EQ(param(refused.error(), "days"), "10");
    EXPECT_EQ(count("SELECT COUNT(*) FROM reading_submissions"), 0);

    ReadingRequest confirmed =
        single("x", "4000004", 1, "200");  // the same key: nothing was stored
    confirmed.confirmed = true;
    auto ok = m_readings->submit(confirmed);
    ASSERT_TRUE(ok.ok()) << ok.error().code;
    EXPECT_TRUE(ok.value().receipt.confirmed);
    EXPECT_EQ(count("SELECT confirmed FROM reading_submissions"), 1);

    // Confirming a plausible value flags nothing.
    ReadingRequest plain = single("y", "3000003", 1, "9990");
    plain.confirmed = true;
    auto p = m_readings->submit(plain);
    ASSERT_TRUE(p.ok()) << p.error().code;
    EXPECT_FALSE(p.value().receipt.confirmed);
}

struct WindowCase {
    const char* takenAt;
    bool outside;
    const char* period;
};

class ReadingWindowTest : public ReadingStoreTest,
                          public ::testing::WithParamInterface<WindowCase> {};

TEST_P(ReadingWindowTest, FlagAndPeriodByTheOfficeDate) {
    ReadingRequest r = single("w", "1000001", 2, "10");
    r.takenAt = *parseIso(GetParam().takenAt);
    auto result = m_readings->submit(r);
    ASSERT_TRUE(result.ok()) << result.error().code;
    EXPECT_EQ(result.value().receipt.outsideWindow, GetParam().outside);
    EXPECT_EQ(result.value().receipt.period, GetParam().period);
    EXPECT_EQ(result.value().receipt.takenAt, *parseIso(GetParam().takenAt));
}

INSTANTIATE_TEST_SUITE_P(
    Table, ReadingWindowTest,
    ::testing::Values(
        WindowCase{"2026-11-14T20:59:00.000Z", true, "2026-11"},   // 23:59 on the 14th
        WindowCase{"2026-11-14T21:00:00.000Z", false, "2026-11"},  // 00:00 on the 15th
        WindowCase{"2026-11-20T08:00:00.000Z", false, "2026-11"},
        WindowCase{"2026-10-25T20:00:00.000Z", false, "2026-10"},  // 23:00 on the 25th
        WindowCase{"2026-10-25T21:00:00.000Z", true, "2026-10"},   // 00:00 on the 26th
        WindowCase{"2026-10-31T21:30:00.000Z", true, "2026-11"}),  // 00:30 on 1 November
    [](const auto& info) { return "case_" + std::to_string(info.index); });

TEST_F(ReadingStoreTest, TakenAtBounds) {
    const WallTime now = m_clock.wallNow();
    struct Case {
        WallTime takenAt;
        bool accepted;
        WallTime stored;
    };
    int n = 0;
    for (const Case& c :
         {Case{now + 6min, false, {}}, Case{now - 32 * 24h, false, {}}, Case{now + 4min, true, now},
          Case{now - 30 * 24h, true, now - 30 * 24h}}) {
        // A fresh meter each time, so the month's one submission does not get in the way.
        ++n;
        ReadingRequest r = single("t" + std::to_string(n), n <= 3 ? "1000001" : "3000003",
                                  n <= 3 ? 2 : 1, n <= 3 ? "10" : "9960");
        r.takenAt = c.takenAt;
        auto result = m_readings->submit(r);
        ASSERT_EQ(result.ok(), c.accepted) << n << (result.ok() ? "" : " " + result.error().code);
        if (c.accepted) {
            EXPECT_EQ(result.value().receipt.takenAt, c.stored) << n;
        } else {
            EXPECT_EQ(result.error().code, "bad_request");
            EXPECT_EQ(param(result.error(), "detail"), "detail.reading_taken_at_range");
        }
    }
}

struct RefusalCase {
    const char* name;
    std::function<ReadingRequest()> request;
    const char* code;
    std::vector<std::pair<std::string, std::string>> params;
};

class ReadingRefusalTest : public ReadingStoreTest,
                           public ::testing::WithParamInterface<RefusalCase> {};

TEST_P(ReadingRefusalTest, RefusedAndNothingStored) {
    const std::string before = lastReadings("SN00001234") + lastReadings("UU00000004");
    auto result = m_readings->submit(GetParam().request());
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, GetParam().code);
    for (const auto& [k, v] : GetParam().params) EXPECT_EQ(param(result.error(), k), v) << k;
    EXPECT_EQ(count("SELECT COUNT(*) FROM reading_submissions"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM submitted_readings"), 0);
    EXPECT_EQ(lastReadings("SN00001234") + lastReadings("UU00000004"), before);
}

ReadingRequest withDay(const std::string& day) {
    ReadingRequest r;
    r.idempotencyKey = "k";
    r.account = "1000001";
    r.meter = 1;
    r.values = {{"day", day}, {"night", "330"}};
    return r;
}

INSTANTIATE_TEST_SUITE_P(
    Table, ReadingRefusalTest,
    ::testing::Values(
        RefusalCase{"unknown account",
                    [] {
                        auto r = withDay("12400");
                        r.account = "1234567";
                        return r;
                    },
                    "unknown_account",
                    {{"account", "1234567"}}},
        RefusalCase{"malformed account",
                    [] {
                        auto r = withDay("12400");
                        r.account = "12a";
                        return r;
                    },
                    "bad_request",
                    {{"detail", "detail.account_number"}}},
        RefusalCase{"closed account",
                    [] {
                        ReadingRequest r;
                        r.idempotencyKey = "k";
                        r.account = "2000002";
                        r.meter = 1;
                        r.values = {{"peak", "2"}, {"half_peak", "3"}, {"night", "4"}};
                        return r;
                    },
                    "account_closed",
                    {{"account", "2000002"}}},
        RefusalCase{"unknown meter",
                    [] {
                        auto r = withDay("12400");
                        r.meter = 3;
                        return r;
                    },
                    "unknown_meter",
                    {{"meter", "3"}}},
        RefusalCase{"meter changed",
                    [] {
                        auto r = withDay("12400");
                        r.serial = "…7777";
                        return r;
                    },
                    "meter_changed",
                    {}},
        RefusalCase{"missing zone",
                    [] {
                        auto r = withDay("12400");
                        r.values.pop_back();
                        return r;
                    },
                    "bad_request",
                    {{"detail", "detail.reading_zones"}, {"zones", "day, night"}}},
        RefusalCase{"unknown zone",
                    [] {
                        auto r = withDay("12400");
                        r.values[1].first = "peak";
                        return r;
                    },
                    "bad_request",
                    {{"detail", "detail.reading_zones"}}},
        RefusalCase{"extra zone",
                    [] {
                        auto r = withDay("12400");
                        r.values.push_back({"peak", "1"});
                        return r;
                    },
                    "bad_request",
                    {{"detail", "detail.reading_zones"}}},
        RefusalCase{"empty",
                    [] { return withDay("  "); },
                    "reading_format",
                    {{"zone", "day"}, {"problem", "empty"}}},
        RefusalCase{
            "not a number",
            [] { return withDay("12a00"); },
            "reading_format",
            {{"zone", "day"}, {"problem", "not_a_number"}, {"whole", "6"}, {"decimals", "1"}}},
        RefusalCase{"negative",
                    [] { return withDay("-5"); },
                    "reading_format",
                    {{"problem", "not_a_number"}}},
        RefusalCase{"too many whole",
                    [] { return withDay("1234567"); },
                    "reading_format",
                    {{"problem", "too_many_whole"}}},
        RefusalCase{"too many decimals",
                    [] { return withDay("12400.55"); },
                    "reading_format",
                    {{"problem", "too_many_decimals"}}},
        RefusalCase{"huge",
                    [] { return withDay(std::string(32, '9')); },
                    "reading_format",
                    {{"problem", "too_many_whole"}}},
        RefusalCase{"night malformed",
                    [] {
                        auto r = withDay("12400");
                        r.values[1].second = "x";
                        return r;
                    },
                    "reading_format",
                    {{"zone", "night"}}},
        RefusalCase{"below previous",
                    [] { return withDay("12000"); },
                    "reading_below_previous",
                    {{"zone", "day"}, {"previous", "12345.6"}, {"value", "12000.0"}}},
        RefusalCase{"implausible",
                    [] { return single("k", "4000004", 1, "5000"); },
                    "reading_needs_confirmation",
                    {{"zone", "total"}, {"consumption", "4900"}, {"usual", "10"}}}),
    [](const auto& info) { return test::testName(info.param.name); });

TEST_F(ReadingStoreTest, ImportAfterSubmissionsKeepsThem) {
    ASSERT_TRUE(m_readings->submit(dayNight("a", "12400", "330")).ok());
    importCsv();  // the billing system's file again, on a connection of its own
    EXPECT_EQ(count("SELECT COUNT(*) FROM reading_submissions"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM submitted_readings"), 2);
    EXPECT_EQ(lastReadings("SN00001234"),
              "day=123456@2026-10-20;night=3210@2026-10-20;");  // as imported
    // The month's submission still counts, and the export still has it.
    auto again = m_readings->submit(dayNight("b", "12410", "331"));
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, "reading_already_submitted");
    std::vector<ExportRow> rows;
    ASSERT_TRUE(m_store
                    ->readStep([&](SQLite::Database& db) {
                        rows = readExportRows(db, "2026-11-01", "2026-11-30");
                    })
                    .ok());
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].serial, "SN00001234");
    EXPECT_EQ(rows[0].zone, "day");
    EXPECT_EQ(rows[1].zone, "night");
}

TEST_F(ReadingStoreTest, ExportRowsByTakenOnAndAcceptance) {
    ReadingRequest older = single("o", "1000001", 2, "10");
    older.takenAt = *parseIso("2026-10-31T20:00:00.000Z");  // 23:00 on 31 October in Moscow
    ASSERT_TRUE(m_readings->submit(older).ok());
    m_clock.advance(1min);
    ASSERT_TRUE(m_readings->submit(dayNight("n", "12400", "330")).ok());
    std::vector<ExportRow> october, november, both;
    ASSERT_TRUE(m_store
                    ->readStep([&](SQLite::Database& db) {
                        october = readExportRows(db, "2026-10-31", "2026-10-31");
                        november = readExportRows(db, "2026-11-01", "2026-11-20");
                        both = readExportRows(db, "2026-10-01", "2026-11-30");
                    })
                    .ok());
    ASSERT_EQ(october.size(), 1u);
    EXPECT_EQ(october[0].takenOn, "2026-10-31");
    EXPECT_EQ(october[0].period, "2026-10");
    EXPECT_FALSE(october[0].kiosk);
    ASSERT_EQ(november.size(), 2u);
    EXPECT_EQ(november[0].kiosk, "hall-1");
    ASSERT_EQ(both.size(), 3u);
    EXPECT_EQ(both[0].confirmation, "R-2026-000001");
    EXPECT_EQ(both[2].confirmation, "R-2026-000002");
}

TEST(ReadingExportTest, CsvQuotesAsRfc4180) {
    ExportRow r;
    r.confirmation = "R-2026-000001";
    r.account = "1000001";
    r.serial = "SN,\"7\"";
    r.zone = "day";
    r.value = "12400.0";
    r.consumption = "54.4";
    r.period = "2026-11";
    r.takenOn = "2026-11-20";
    r.takenAt = *parseIso("2026-11-20T09:00:00.000Z");
    r.acceptedAt = *parseIso("2026-11-20T09:00:01.000Z");
    r.kiosk = "hall\n1";
    r.rollover = true;
    EXPECT_EQ(readingsCsv({r}),
              std::string(kReadingsCsvHeader) +
                  "\r\nR-2026-000001,1000001,\"SN,\"\"7\"\"\",day,12400.0,,54.4,true,false,false,"
                  "2026-11,2026-11-20,"
                  "2026-11-20T09:00:00.000Z,2026-11-20T09:00:01.000Z,\"hall\n1\",\r\n");
    EXPECT_EQ(readingsCsv({}), std::string(kReadingsCsvHeader) + "\r\n");
}

TEST(ReadingExportTest, RangeRules) {
    struct Case {
        const char* from;
        const char* to;
        const char* detail;  // "" when fine
    };
    for (const Case& c :
         {Case{"2026-11-01", "2026-11-30", ""}, Case{"2026-11-01", "2026-11-01", ""},
          Case{"2026-01-01", "2027-01-01", ""},  // 366 days
          Case{"2026-01-01", "2027-01-02", "detail.export_range"},
          Case{"2026-11-30", "2026-11-01", "detail.export_order"},
          Case{"2026-02-31", "2026-03-01", "detail.export_from"},
          Case{"", "2026-03-01", "detail.export_from"},
          Case{"2026-03-01", "03/04/2026", "detail.export_to"}}) {
        Status st = checkExportRange(c.from, c.to);
        if (std::string(c.detail).empty()) {
            EXPECT_TRUE(st.ok()) << c.from << " " << c.to;
        } else {
            ASSERT_FALSE(st.ok()) << c.from << " " << c.to;
            EXPECT_EQ(param(st.error(), "detail"), c.detail) << c.from << " " << c.to;
        }
    }
}

TEST(ReadingHelpersTest, ConfirmationTakenAtLocalCode) {
    EXPECT_EQ(confirmationNumber(2026, 123), "R-2026-000123");
    EXPECT_EQ(confirmationNumber(2027, 1234567), "R-2027-1234567");
    EXPECT_EQ(parseTakenAt("2026-11-23T09:41:00Z"), parseIso("2026-11-23T09:41:00.000Z"));
    EXPECT_EQ(parseTakenAt("2026-11-23T09:41:00.250Z"), parseIso("2026-11-23T09:41:00.250Z"));
    for (const char* bad : {"2026-11-23 09:41:00Z", "2026-11-23T09:41:00", "yesterday", ""}) {
        EXPECT_FALSE(parseTakenAt(bad)) << bad;
    }
    for (const char* good : {"K7F3-A9C2", "A", "0123456789ABCDEF"})
        EXPECT_TRUE(validLocalCode(good)) << good;
    for (const char* bad : {"", "k7f3", "0123456789ABCDEFG", "K7 F3", "К7"})
        EXPECT_FALSE(validLocalCode(bad)) << bad;
}

}  // namespace
}  // namespace talon::server
