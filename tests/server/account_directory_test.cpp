// AccountDirectory: the masking rules table by table (initials, the address without the flat,
// the serial's last characters), and a lookup on a real SQLite file imported from CSV: the
// masked view with each zone's last reading, calibration overdue by the office's date, unknown
// and malformed numbers.
#include "talon/server/account_directory.h"

#include <gtest/gtest.h>

#include "../support/fake_clock.h"
#include "../support/server_process.h"
#include "../support/test_names.h"
#include "talon/server/account_import.h"
#include "talon/server/database.h"

namespace talon::server {
namespace {

struct Case {
    std::string input;
    std::string expected;
};

class InitialsTest : public ::testing::TestWithParam<Case> {};
TEST_P(InitialsTest, KeepsOnlyInitials) { EXPECT_EQ(holderInitials(GetParam().input), GetParam().expected); }
INSTANTIATE_TEST_SUITE_P(
    Table, InitialsTest,
    ::testing::Values(Case{"Иванов Пётр Сергеевич", "И. П. С."}, Case{"Иванов Пётр", "И. П."},
                      Case{"Иванов", "И."}, Case{"  Иванов   Пётр\tСергеевич  ", "И. П. С."},
                      Case{"иванов пётр ёлкин", "И. П. Ё."}, Case{"John Smith", "J. S."},
                      Case{"jane  doe", "J. D."}, Case{"Мария\xC2\xA0Ивановна", "М. И."},
                      Case{"Яковлев-Щукин Юрий", "Я. Ю."}, Case{"", ""}, Case{"   ", ""}),
    [](const auto& info) { return "case_" + std::to_string(info.index); });

class AddressTest : public ::testing::TestWithParam<Case> {};
TEST_P(AddressTest, DropsTheFlat) { EXPECT_EQ(addressWithoutFlat(GetParam().input), GetParam().expected); }
INSTANTIATE_TEST_SUITE_P(
    Table, AddressTest,
    ::testing::Values(
        Case{"г. Тула, ул. Ленина, д. 5, кв. 12", "г. Тула, ул. Ленина, д. 5"},
        Case{"г. Тула, ул. Ленина, д. 5, кв.12", "г. Тула, ул. Ленина, д. 5"},
        Case{"г. Тула, ул. Ленина, д. 5 кв. 12", "г. Тула, ул. Ленина, д. 5"},
        Case{"г. Тула, ул. Ленина, д. 5,кв.12", "г. Тула, ул. Ленина, д. 5"},
        Case{"г. Тула, ул. Ленина, д. 5, КВ. 12", "г. Тула, ул. Ленина, д. 5"},
        Case{"г. Тула, ул. Ленина, д. 5, квартира 5", "г. Тула, ул. Ленина, д. 5"},
        Case{"г. Тула, ул. Ленина, д. 5, Квартира №5", "г. Тула, ул. Ленина, д. 5"},
        Case{"ул. Мира, д. 3, комн. 7", "ул. Мира, д. 3"},
        Case{"ул. Ленина, д. 5/12", "ул. Ленина, д. 5/12"},
        Case{"ул. Ленина, д. 5/12, кв. 3", "ул. Ленина, д. 5/12"},
        Case{"ул. Квартальная, д. 4", "ул. Квартальная, д. 4"},
        Case{"ул. Квартальная, д. 4, кв. 9", "ул. Квартальная, д. 4"},
        Case{"12 Baker St, apt 4", "12 Baker St"}, Case{"12 Baker St, Apt. 4B", "12 Baker St"},
        Case{"12 Baker St, flat 7", "12 Baker St"}, Case{"12 Flatbush Ave", "12 Flatbush Ave"},
        Case{"3 Aptekarsky Ln, apartment 2", "3 Aptekarsky Ln"},
        Case{"с. Луговое, д. 1", "с. Луговое, д. 1"}, Case{"с. Луговое, д. 1, ", "с. Луговое, д. 1"},
        Case{"", ""}),
    [](const auto& info) { return "case_" + std::to_string(info.index); });

class SerialTest : public ::testing::TestWithParam<Case> {};
TEST_P(SerialTest, ShowsOnlyTheEnd) { EXPECT_EQ(maskSerial(GetParam().input), GetParam().expected); }
INSTANTIATE_TEST_SUITE_P(Table, SerialTest,
                         ::testing::Values(Case{"SN00001234", "…1234"}, Case{"12345", "…2345"},
                                           Case{"1234", "…234"}, Case{"7", "…"}, Case{"", "…"},
                                           Case{"СЧ-Ж123", "…Ж123"}),
                         [](const auto& info) { return "case_" + std::to_string(info.index); });

TEST(AccountNumberTest, SixToTwentyDigits) {
    EXPECT_TRUE(validAccountNumber("123456"));
    EXPECT_TRUE(validAccountNumber(std::string(20, '9')));
    EXPECT_FALSE(validAccountNumber("12345"));
    EXPECT_FALSE(validAccountNumber(std::string(21, '1')));
    EXPECT_FALSE(validAccountNumber("12345a"));
    EXPECT_FALSE(validAccountNumber("123 456"));
    EXPECT_FALSE(validAccountNumber("-123456"));
    EXPECT_FALSE(validAccountNumber(""));
}

const std::string kCsv = std::string(kAccountCsvHeader) +
                         "\n"
                         "1000001,Иванов Пётр Сергеевич,\"г. Тула, ул. Ленина, д. 5, кв. 12\",active,SN00001234,"
                         "day_night,6,1,2030-01-01,7.5,2026-10-20,12345.6,00321.0,\n"
                         "1000001,Иванов Пётр Сергеевич,\"г. Тула, ул. Ленина, д. 5, кв. 12\",active,AB99997777,"
                         "single,5,0,2026-11-17,,,,,\n"
                         "2000002,Smith John,\"12 Baker St, apt 4\",closed,XY55550000,three_zone,5,2,,,"
                         "2026-09-01,1.5,2.25,3\n";

class AccountDirectoryTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_config = demoConfig();
        m_config.database = (m_dir.path() / "talon.db").string();
        m_config.day.timezone = "Europe/Moscow";
        // 2026-11-17 22:30 UTC is already the 18th in Moscow: the meter due on the 17th is overdue.
        m_clock.setWall(*parseIso("2026-11-17T22:30:00.000Z"));
        {  // imported on a connection of its own, as `talon-server import-accounts` does
            auto db = openDatabase(m_config.database);
            ASSERT_TRUE(db.ok()) << db.error().message;
            ImportReport report = AccountImport(*db.value()).fromText(kCsv);
            ASSERT_TRUE(report.ok()) << report.problems.front().code << " line " << report.problems.front().line;
        }
        auto s = QueueStore::open(m_config, m_hub, m_clock);
        ASSERT_TRUE(s.ok()) << s.error().message;
        m_store = std::move(s).value();
        m_directory = std::make_unique<AccountDirectory>(*m_store, m_clock);
    }
    test::TempDir m_dir;
    test::FakeClock m_clock;
    EventHub m_hub;
    ServerConfig m_config;
    std::unique_ptr<QueueStore> m_store;
    std::unique_ptr<AccountDirectory> m_directory;
};

TEST_F(AccountDirectoryTest, MaskedAccountWithMetersAndLastReadings) {
    auto r = m_directory->lookup("1000001");
    ASSERT_TRUE(r.ok()) << r.error().code;
    const AccountView& a = r.value();
    EXPECT_EQ(a.number, "1000001");
    EXPECT_EQ(a.holder, "И. П. С.");
    EXPECT_EQ(a.address, "г. Тула, ул. Ленина, д. 5");
    EXPECT_EQ(a.status, "active");
    ASSERT_EQ(a.meters.size(), 2u);
    const MeterView& single = a.meters[0];  // AB… sorts first
    EXPECT_EQ(single.serial, "…7777");
    EXPECT_EQ(single.tariff, meter::Tariff::Single);
    ASSERT_EQ(single.zones.size(), 1u);
    EXPECT_EQ(single.zones[0].zone, "total");
    EXPECT_FALSE(single.zones[0].last);
    EXPECT_EQ(single.calibrationDue, "2026-11-17");
    EXPECT_TRUE(single.calibrationOverdue);
    const MeterView& dn = a.meters[1];
    EXPECT_EQ(dn.serial, "…1234");
    EXPECT_EQ(dn.tariff, meter::Tariff::DayNight);
    EXPECT_EQ(dn.reg.wholeDigits, 6);
    EXPECT_EQ(dn.reg.decimalDigits, 1);
    ASSERT_EQ(dn.zones.size(), 2u);
    EXPECT_EQ(dn.zones[0].zone, "day");
    EXPECT_EQ(dn.zones[0].last, "12345.6");
    EXPECT_EQ(dn.zones[0].readOn, "2026-10-20");
    EXPECT_EQ(dn.zones[1].zone, "night");
    EXPECT_EQ(dn.zones[1].last, "321.0");
    EXPECT_FALSE(dn.calibrationOverdue);
}

TEST_F(AccountDirectoryTest, DueTodayIsNotOverdue) {
    m_clock.setWall(*parseIso("2026-11-17T20:00:00.000Z"));  // 23:00 on the 17th in Moscow
    auto r = m_directory->lookup("1000001");
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r.value().meters[0].calibrationOverdue);
}

TEST_F(AccountDirectoryTest, ThreeZonesAndNoCalibrationDate) {
    auto r = m_directory->lookup("2000002");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value().holder, "S. J.");
    EXPECT_EQ(r.value().address, "12 Baker St");
    EXPECT_EQ(r.value().status, "closed");
    const MeterView& m = r.value().meters.at(0);
    ASSERT_EQ(m.zones.size(), 3u);
    EXPECT_EQ(m.zones[0].last, "1.50");
    EXPECT_EQ(m.zones[1].last, "2.25");
    EXPECT_EQ(m.zones[2].last, "3.00");
    EXPECT_FALSE(m.calibrationDue);
    EXPECT_FALSE(m.calibrationOverdue);
}

TEST_F(AccountDirectoryTest, UnknownAndMalformedNumbers) {
    auto unknown = m_directory->lookup("1000002");
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, "unknown_account");
    EXPECT_EQ(unknown.error().kind, ErrorKind::NotFound);
    for (const std::string& bad : {std::string("12345"), std::string("1000001a"), std::string(21, '1'), std::string(100000, '1'), std::string()}) {
        auto r = m_directory->lookup(bad);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, "bad_request");
    }
}

}  // namespace
}  // namespace talon::server
