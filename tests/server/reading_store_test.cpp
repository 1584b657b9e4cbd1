// ReadingStore on a real SQLite file imported from CSV, with a fake clock in Moscow time:
// an accepted submission and its confirmation number, the meter's new last readings, the
// idempotency key (replay, conflict, after a reopen), one submission per meter and month,
// rollover, confirmation of implausible consumption, the window flag and the period by the
// office's date, taken_at bounds, every refusal storing nothing, and an import afterwards;
// deferred deliveries (the kiosk's outbox after the visitor left) kept for review instead of
// refused, the meter found by its masked serial after an import moved it, and the export's
// review column.
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
    void importCsv(const std::string& csv = kCsv) {
        auto db = openDatabase(m_config.database);
        ASSERT_TRUE(db.ok()) << db.error().message;
        ImportReport report = AccountImport(*db.value()).fromText(csv);
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
    /// Removes every submission (the meters' last readings stay as they are).
    void forgetSubmissions() {
        ASSERT_TRUE(m_store
                        ->writeStep([](SQLite::Database&, WallTime) { return okStatus(); },
                                    [](QueueStore::StepWriter& w) {
                                        w.db().exec("DELETE FROM submitted_readings");
                                        w.db().exec("DELETE FROM reading_submissions");
                                    })
                        .ok());
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
        const char* name;
        WallTime takenAt;
        bool deferred;
        bool accepted;
        WallTime stored;
        bool review;
    };
    for (const Case& c : {
             // A kiosk clock running fast: taken as now, never refused.
             Case{"4 min ahead", now + 4min, false, true, now, false},
             Case{"6 min ahead", now + 6min, false, true, now, false},
             Case{"2 days ahead", now + 48h, false, true, now, false},
             Case{"2 days ahead, deferred", now + 48h, true, true, now, false},
             Case{"30 days old", now - 30 * 24h, false, true, now - 30 * 24h, false},
             Case{"30 days old, deferred", now - 30 * 24h, true, true, now - 30 * 24h, false},
             // Over 31 days: the visitor at the kiosk hears it; an outbox's is kept for review.
             Case{"32 days old", now - 32 * 24h, false, false, {}, false},
             Case{"32 days old, deferred", now - 32 * 24h, true, true, now - 32 * 24h, true},
             Case{"a year old, deferred", now - 365 * 24h, true, true, now - 365 * 24h, true},
         }) {
        forgetSubmissions();  // so the month's one submission does not get in the way
        ReadingRequest r = single("t", "1000001", 2, "10");
        r.takenAt = c.takenAt;
        r.deferred = c.deferred;
        auto result = m_readings->submit(r);
        ASSERT_EQ(result.ok(), c.accepted)
            << c.name << (result.ok() ? "" : " " + result.error().code);
        if (c.accepted) {
            EXPECT_EQ(result.value().receipt.takenAt, c.stored) << c.name;
            EXPECT_EQ(result.value().receipt.readings.at(0).review, c.review) << c.name;
            // The period and the window come from taken_at, however old.
            EXPECT_EQ(result.value().receipt.period,
                      m_store->calendar().local(c.stored).date.substr(0, 7))
                << c.name;
        } else {
            EXPECT_EQ(result.error().code, "bad_request") << c.name;
            EXPECT_EQ(param(result.error(), "detail"), "detail.reading_taken_at_range") << c.name;
            EXPECT_EQ(count("SELECT COUNT(*) FROM reading_submissions"), 0) << c.name;
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
                        r.serial = "…0000";  // no meter of the account has it (…7777 would
                        return r;            // be meter 2, found by its serial)
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

struct DeferredCase {
    const char* name;
    std::function<ReadingRequest()> request;  // sent with deferred = true
    const char* serial;                      // whose last readings to look at
    std::vector<bool> review;                // per zone
    std::vector<std::string> consumption;    // per zone
    const char* lastAfter;                   // the meter's last readings afterwards
};

class ReadingDeferredTest : public ReadingStoreTest,
                            public ::testing::WithParamInterface<DeferredCase> {};

TEST_P(ReadingDeferredTest, AcceptedAndFlaggedForReview) {
    const DeferredCase& c = GetParam();
    ReadingRequest request = c.request();
    request.deferred = true;
    auto result = m_readings->submit(request);
    ASSERT_TRUE(result.ok()) << result.error().code;
    const ReadingReceipt& receipt = result.value().receipt;
    ASSERT_EQ(receipt.readings.size(), c.review.size());
    for (size_t i = 0; i < c.review.size(); ++i) {
        EXPECT_EQ(receipt.readings[i].review, c.review[i]) << receipt.readings[i].zone;
        EXPECT_EQ(receipt.readings[i].consumption, c.consumption[i]) << receipt.readings[i].zone;
    }
    EXPECT_EQ(lastReadings(c.serial), c.lastAfter);
    // Stored so: the export says the same, zone by zone.
    std::vector<ExportRow> rows;
    ASSERT_TRUE(m_store
                    ->readStep([&](SQLite::Database& db) {
                        rows = readExportRows(db, "2025-01-01", "2026-12-31");
                    })
                    .ok());
    ASSERT_EQ(rows.size(), c.review.size());
    for (size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(rows[i].review, c.review[i]) << i;
    // Without deferred the same request is refused or accepted exactly as before (no review).
    forgetSubmissions();
    importCsv();  // the last readings as they were
    request.deferred = false;
    request.idempotencyKey += "-live";
    auto live = m_readings->submit(request);
    const bool anyReview = std::find(c.review.begin(), c.review.end(), true) != c.review.end();
    EXPECT_EQ(live.ok(), !anyReview) << (live.ok() ? "accepted" : live.error().code);
    if (live.ok()) {
        for (const AcceptedZone& z : live.value().receipt.readings) EXPECT_FALSE(z.review);
    }
}

ReadingRequest takenDaysAgo(ReadingRequest r, int days) {
    r.takenAt = *parseIso("2026-11-20T09:00:00.000Z") - std::chrono::hours(24 * days);
    return r;
}

INSTANTIATE_TEST_SUITE_P(
    Table, ReadingDeferredTest,
    ::testing::Values(
        // Below the previous day reading and no rollover: kept, the last reading stays.
        DeferredCase{"below previous",
                     [] { return dayNight("d", "12000", "330"); },
                     "SN00001234",
                     {true, false},
                     {"0.0", "9.0"},
                     "day=123456@2026-10-20;night=3300@2026-11-20;"},
        DeferredCase{"below previous single",
                     [] { return single("d", "4000004", 1, "50"); },
                     "UU00000004",
                     {true},
                     {"0"},
                     "total=100@2026-11-10;"},
        // Far above the usual without the visitor's confirmation: kept, and it is the last.
        DeferredCase{"implausible",
                     [] { return single("d", "4000004", 1, "200"); },
                     "UU00000004",
                     {true},
                     {"100"},
                     "total=200@2026-11-20;"},
        DeferredCase{"implausible but confirmed",
                     [] {
                         auto r = single("d", "4000004", 1, "200");
                         r.confirmed = true;
                         return r;
                     },
                     "UU00000004",
                     {false},
                     {"100"},
                     "total=200@2026-11-20;"},
        DeferredCase{"plausible",
                     [] { return dayNight("d", "12400", "330"); },
                     "SN00001234",
                     {false, false},
                     {"54.4", "9.0"},
                     "day=124000@2026-11-20;night=3300@2026-11-20;"},
        DeferredCase{"rollover",
                     [] { return single("d", "3000003", 1, "0050"); },
                     "RO00000001",
                     {false},
                     {"100"},
                     "total=50@2026-11-20;"},
        // Taken 40 days ago: every zone for review; older than the billing system's last
        // readings, so those stay.
        DeferredCase{"taken over 31 days ago",
                     [] { return takenDaysAgo(dayNight("d", "12400", "330"), 40); },
                     "SN00001234",
                     {true, true},
                     {"54.4", "9.0"},
                     "day=123456@2026-10-20;night=3210@2026-10-20;"},
        DeferredCase{"taken over 31 days ago, first reading",
                     [] { return takenDaysAgo(single("d", "1000001", 2, "10"), 32); },
                     "TT99997777",
                     {true},
                     {"0"},
                     "total=10@2026-10-19;"}),
    [](const auto& info) { return test::testName(info.param.name); });

TEST_F(ReadingStoreTest, ReviewReadingNeverLowersALaterOrEqualLastReading) {
    // The billing system has 12345.6 on 20 October; a review reading of the same date that is
    // lower leaves it, one that is higher replaces it.
    struct Case {
        const char* day;
        bool replaced;
    };
    for (const Case& c : {Case{"12000", false}, Case{"12345.5", false}, Case{"99999", true}}) {
        forgetSubmissions();
        importCsv();  // the last readings as imported
        ReadingRequest r = dayNight(std::string("same-day-") + c.day, c.day, "330");
        r.takenAt = *parseIso("2026-10-20T09:00:00.000Z");
        r.deferred = true;
        auto result = m_readings->submit(r);
        ASSERT_TRUE(result.ok()) << c.day << " " << result.error().code;
        EXPECT_TRUE(result.value().receipt.readings[0].review) << c.day;
        EXPECT_EQ(lastReadings("SN00001234").starts_with("day=123456@2026-10-20;"), !c.replaced)
            << c.day << ": " << lastReadings("SN00001234");
    }
}

TEST_F(ReadingStoreTest, DeferredDoesNotExcuseEverything) {
    ASSERT_TRUE(m_readings->submit(dayNight("first", "12400", "330")).ok());
    struct Case {
        const char* name;
        ReadingRequest request;
        const char* code;
    };
    ReadingRequest unknown = single("u", "1234567", 1, "1");
    ReadingRequest changed = dayNight("m", "12400", "330");
    changed.serial = "…0000";
    for (Case c : {Case{"second this month", dayNight("dup", "12500", "340"),
                        "reading_already_submitted"},
                   Case{"not a number", single("f", "1000001", 2, "12a"), "reading_format"},
                   Case{"unknown account", unknown, "unknown_account"},
                   Case{"meter changed", changed, "meter_changed"}}) {
        c.request.deferred = true;
        auto result = m_readings->submit(c.request);
        ASSERT_FALSE(result.ok()) << c.name;
        EXPECT_EQ(result.error().code, c.code) << c.name;
    }
    EXPECT_EQ(count("SELECT COUNT(*) FROM reading_submissions"), 1);
}

TEST_F(ReadingStoreTest, ReplayWhateverDeferredSays) {
    // The kiosk tries live first and its outbox retries with deferred: one request.
    ReadingRequest live = dayNight("outbox-7", "12400", "330");
    EXPECT_FALSE(m_readings->knownKey("outbox-7").value());
    auto first = m_readings->submit(live);
    ASSERT_TRUE(first.ok()) << first.error().code;
    EXPECT_TRUE(m_readings->knownKey("outbox-7").value());
    ReadingRequest later = live;
    later.deferred = true;
    auto again = m_readings->submit(later);
    ASSERT_TRUE(again.ok()) << again.error().code;
    EXPECT_TRUE(again.value().replayed);
    EXPECT_EQ(again.value().receipt.confirmation, first.value().receipt.confirmation);
    EXPECT_FALSE(again.value().receipt.readings[0].review);

    // Refused live (nothing stored), then delivered deferred under the same key: kept for
    // review; the live form again is a replay of that, not a refusal.
    ReadingRequest low = single("outbox-8", "4000004", 1, "50");
    auto refused = m_readings->submit(low);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, "reading_below_previous");
    EXPECT_FALSE(m_readings->knownKey("outbox-8").value());
    low.deferred = true;
    auto kept = m_readings->submit(low);
    ASSERT_TRUE(kept.ok()) << kept.error().code;
    EXPECT_FALSE(kept.value().replayed);
    EXPECT_TRUE(kept.value().receipt.readings[0].review);
    low.deferred = false;
    auto replay = m_readings->submit(low);
    ASSERT_TRUE(replay.ok()) << replay.error().code;
    EXPECT_TRUE(replay.value().replayed);
    EXPECT_EQ(replay.value().receipt.confirmation, kept.value().receipt.confirmation);
    EXPECT_TRUE(replay.value().receipt.readings[0].review);
    EXPECT_EQ(count("SELECT COUNT(*) FROM reading_submissions"), 2);
}

TEST_F(ReadingStoreTest, MeterFoundByItsMaskedSerialAfterAnImportMovedIt) {
    // The billing system adds meter AA00005555 to account 1000001: it sorts first, so the
    // day/night meter the kiosk showed as 1 is now 2, and another meter ends in 1234 too.
    const std::string holder =
        "1000001,Иванов Пётр Сергеевич,\"г. Тула, ул. Ленина, д. 5, кв. 12\",active,";
    importCsv(kCsv + holder + "AA00005555,single,5,0,,,,,,\n");
    struct Case {
        const char* name;
        int meter;
        std::optional<std::string> serial;
        const char* code;  // "" accepted
        int position;      // the meter taken
        const char* zone;
    };
    for (const Case& c : {
             Case{"unique mask, old place", 1, "…1234", "", 2, "day"},
             Case{"unique mask, any place", 9, "…1234", "", 2, "day"},
             Case{"unique mask, its place", 3, "…7777", "", 3, "total"},
             Case{"no serial: the place", 1, std::nullopt, "", 1, "total"},
             Case{"no serial, no such place", 4, std::nullopt, "unknown_meter", 0, ""},
             Case{"no meter has it", 2, "…0000", "meter_changed", 0, ""},
         }) {
        forgetSubmissions();
        ReadingRequest r;
        r.idempotencyKey = c.name;
        r.account = "1000001";
        r.meter = c.meter;
        r.serial = c.serial;
        if (std::string(c.zone) == "day") {
            r.values = {{"day", "12400"}, {"night", "330"}};
        } else {
            r.values = {{"total", "10"}};
        }
        auto result = m_readings->submit(r);
        if (std::string(c.code).empty()) {
            ASSERT_TRUE(result.ok()) << c.name << ": " << result.error().code;
            EXPECT_EQ(result.value().receipt.meter, c.position) << c.name;
            EXPECT_EQ(result.value().receipt.readings.at(0).zone, c.zone) << c.name;
        } else {
            ASSERT_FALSE(result.ok()) << c.name;
            EXPECT_EQ(result.error().code, c.code) << c.name;
        }
    }

    // Two meters with the same last four: the place decides, and must have that mask.
    importCsv(kCsv + holder + "AB99991234,single,5,0,,,,,,\n");  // AB…1234, SN…1234, TT…7777
    struct Shared {
        int meter;
        const char* code;
        const char* zone;
    };
    for (const Shared& c : {Shared{1, "", "total"}, Shared{2, "", "day"},
                            Shared{3, "meter_changed", ""}, Shared{4, "meter_changed", ""}}) {
        forgetSubmissions();
        ReadingRequest r;
        r.idempotencyKey = "shared-" + std::to_string(c.meter);
        r.account = "1000001";
        r.meter = c.meter;
        r.serial = "…1234";
        if (std::string(c.zone) == "day") {
            r.values = {{"day", "12400"}, {"night", "330"}};
        } else {
            r.values = {{"total", "10"}};
        }
        auto result = m_readings->submit(r);
        if (std::string(c.code).empty()) {
            ASSERT_TRUE(result.ok()) << c.meter << ": " << result.error().code;
            EXPECT_EQ(result.value().receipt.meter, c.meter);
            EXPECT_EQ(result.value().receipt.readings.at(0).zone, c.zone);
        } else {
            ASSERT_FALSE(result.ok()) << c.meter;
            EXPECT_EQ(result.error().code, c.code) << c.meter;
        }
    }
}

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
                  "2026-11-20T09:00:00.000Z,2026-11-20T09:00:01.000Z,\"hall\n1\",,false\r\n");
    r.review = true;
    r.localCode = "K7F3-A9C2";
    EXPECT_TRUE(readingsCsv({r}).ends_with(",\"hall\n1\",K7F3-A9C2,true\r\n")) << readingsCsv({r});
    EXPECT_TRUE(kReadingsCsvHeader.ends_with(",kiosk,local_code,review"));
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
