// The rules a meter reading must pass, table-driven: what counts as a number for a register of
// given width (capacity, decimals, non-digits, empty, huge), and the verdict against the
// previous reading (below it, rollover, implausible consumption, confirmation, the window).
#include "talon/common/meter_reading.h"

#include <gtest/gtest.h>

#include <string>

namespace talon::meter {
namespace {

struct ParseCase {
    const char* name;
    std::string typed;
    Register reg;
    std::optional<int64_t> value;
    std::optional<ParseError> error;
};

class ParseTest : public ::testing::TestWithParam<ParseCase> {};

TEST_P(ParseTest, ReadsWhatTheRegisterCanShow) {
    const ParseCase& c = GetParam();
    const Parsed p = parse(c.typed, c.reg);
    EXPECT_EQ(p.value, c.value) << c.typed;
    EXPECT_EQ(p.error, c.error) << c.typed;
}

const Register kSix{6, 0};
const Register kFiveOne{5, 1};
const Register kNineThree{9, 3};

INSTANTIATE_TEST_SUITE_P(
    Cases, ParseTest,
    ::testing::Values(
        ParseCase{"plain", "12345", kSix, 12345, std::nullopt},
        ParseCase{"leading_zeros_as_shown", "001234", kSix, 1234, std::nullopt},
        ParseCase{"all_zero", "000000", kSix, 0, std::nullopt},
        ParseCase{"full_width", "999999", kSix, 999999, std::nullopt},
        ParseCase{"spaces_around", "  42 ", kSix, 42, std::nullopt},
        ParseCase{"one_too_many_digits", "1000000", kSix, std::nullopt, ParseError::TooManyWhole},
        ParseCase{"zeros_do_not_count", "0000000042", kSix, 42, std::nullopt},
        ParseCase{"decimal_point", "12345.6", kFiveOne, 123456, std::nullopt},
        ParseCase{"decimal_comma", "12345,6", kFiveOne, 123456, std::nullopt},
        ParseCase{"no_decimals_typed", "12345", kFiveOne, 123450, std::nullopt},
        ParseCase{"point_without_decimals", "12345.", kFiveOne, 123450, std::nullopt},
        ParseCase{"only_decimals", ".5", kFiveOne, 5, std::nullopt},
        ParseCase{"trailing_zero_decimal", "12.50", kFiveOne, 125, std::nullopt},
        ParseCase{"too_many_decimals", "12.55", kFiveOne, std::nullopt, ParseError::TooManyDecimals},
        ParseCase{"decimals_on_whole_register", "12.5", kSix, std::nullopt, ParseError::TooManyDecimals},
        ParseCase{"widest_register", "999999999.999", kNineThree, 999999999999, std::nullopt},
        ParseCase{"empty", "", kSix, std::nullopt, ParseError::Empty},
        ParseCase{"blank", "   ", kSix, std::nullopt, ParseError::Empty},
        ParseCase{"point_alone", ".", kFiveOne, std::nullopt, ParseError::NotANumber},
        ParseCase{"two_points", "1.2.3", kFiveOne, std::nullopt, ParseError::NotANumber},
        ParseCase{"letters", "12a45", kSix, std::nullopt, ParseError::NotANumber},
        ParseCase{"minus", "-5", kSix, std::nullopt, ParseError::NotANumber},
        ParseCase{"plus", "+5", kSix, std::nullopt, ParseError::NotANumber},
        ParseCase{"exponent", "1e5", kSix, std::nullopt, ParseError::NotANumber},
        ParseCase{"inner_space", "12 345", kSix, std::nullopt, ParseError::NotANumber},
        ParseCase{"arabic_indic_digits", "\xd9\xa1\xd9\xa2", kSix, std::nullopt, ParseError::NotANumber},
        ParseCase{"huge", std::string(100000, '9'), kNineThree, std::nullopt, ParseError::NotANumber},
        ParseCase{"nul_inside", std::string("12\0" "3", 4), kSix, std::nullopt, ParseError::NotANumber}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(MeterFormat, ShowsTheRegistersDecimals) {
    EXPECT_EQ(format(123456, kFiveOne), "12345.6");
    EXPECT_EQ(format(5, kFiveOne), "0.5");
    EXPECT_EQ(format(1002, Register{4, 3}), "1.002");
    EXPECT_EQ(format(1234, kSix), "1234");
    EXPECT_EQ(kFiveOne.capacity(), 1000000);
    EXPECT_EQ(kSix.capacity(), 1000000);
}

TEST(MeterTariffs, ZonesByScheme) {
    EXPECT_EQ(zonesOf(Tariff::Single), (std::vector<std::string>{"total"}));
    EXPECT_EQ(zonesOf(Tariff::DayNight), (std::vector<std::string>{"day", "night"}));
    EXPECT_EQ(zonesOf(Tariff::ThreeZone), (std::vector<std::string>{"peak", "half_peak", "night"}));
    for (Tariff t : {Tariff::Single, Tariff::DayNight, Tariff::ThreeZone}) EXPECT_EQ(tariffFromString(toString(t)), t);
    EXPECT_FALSE(tariffFromString("Single").has_value());
    EXPECT_FALSE(tariffFromString("").has_value());
}

struct CheckCase {
    const char* name;
    int64_t value;
    Register reg;
    History history;
    int day;
    bool confirmed;
    Verdict verdict;
    int64_t consumption;
    bool rollover;
    bool outsideWindow;
    bool acceptedUnusual;
};

class CheckTest : public ::testing::TestWithParam<CheckCase> {};

TEST_P(CheckTest, Verdict) {
    const CheckCase& c = GetParam();
    const Check got = check(c.value, c.reg, c.history, Rules{}, c.day, c.confirmed);
    EXPECT_EQ(got.verdict, c.verdict);
    if (got.verdict == Verdict::Accept) {
        EXPECT_EQ(got.consumption, c.consumption);
        EXPECT_EQ(got.rollover, c.rollover);
        EXPECT_EQ(got.confirmed, c.acceptedUnusual);
    }
    EXPECT_EQ(got.outsideWindow, c.outsideWindow);
}

// Usual: 10 kWh a day; the rules' factor is 3, so 30 days allow up to 900 kWh unconfirmed.
const History kMonth{1000, 30, 10.0};

INSTANTIATE_TEST_SUITE_P(
    Cases, CheckTest,
    ::testing::Values(
        CheckCase{"first_reading", 500, kSix, History{}, 20, false, Verdict::Accept, 0, false, false, false},
        CheckCase{"normal_month", 1300, kSix, kMonth, 20, false, Verdict::Accept, 300, false, false, false},
        CheckCase{"same_as_before", 1000, kSix, kMonth, 20, false, Verdict::Accept, 0, false, false, false},
        CheckCase{"at_the_limit", 1900, kSix, kMonth, 20, false, Verdict::Accept, 900, false, false, false},
        CheckCase{"just_over_the_limit", 1901, kSix, kMonth, 20, false, Verdict::NeedsConfirmation, 0, false, false,
                  false},
        CheckCase{"over_the_limit_confirmed", 5000, kSix, kMonth, 20, true, Verdict::Accept, 4000, false, false, true},
        CheckCase{"below_previous", 999, kSix, kMonth, 20, false, Verdict::BelowPrevious, 0, false, false, false},
        CheckCase{"far_below_previous", 0, kSix, kMonth, 20, false, Verdict::BelowPrevious, 0, false, false, false},
        CheckCase{"rollover", 200, kSix, History{999800, 30, 10.0}, 20, false, Verdict::Accept, 400, true, false,
                  false},
        CheckCase{"rollover_to_zero", 0, kSix, History{999990, 30, 10.0}, 20, false, Verdict::Accept, 10, true, false,
                  false},
        CheckCase{"rollover_too_big_is_a_mistake", 500000, kSix, History{999800, 30, 10.0}, 20, false,
                  Verdict::BelowPrevious, 0, false, false, false},
        CheckCase{"rollover_still_needs_plausibility", 5000, kSix, History{999800, 30, 10.0}, 20, false,
                  Verdict::NeedsConfirmation, 0, false, false, false},
        CheckCase{"decimals_count_in_units", 12050, kFiveOne, History{10000, 30, 10.0}, 20, false, Verdict::Accept,
                  2050, false, false, false},
        CheckCase{"decimals_over_the_limit", 20010, kFiveOne, History{10000, 30, 10.0}, 20, false,
                  Verdict::NeedsConfirmation, 0, false, false, false},
        CheckCase{"same_day_reading_counts_one_day", 1040, kSix, History{1000, 0, 10.0}, 20, false,
                  Verdict::NeedsConfirmation, 0, false, false, false},
        CheckCase{"no_usual_no_plausibility_check", 900000, kSix, History{1000, 30, std::nullopt}, 20, false,
                  Verdict::Accept, 899000, false, false, false},
        CheckCase{"before_the_window", 1300, kSix, kMonth, 14, false, Verdict::Accept, 300, false, true, false},
        CheckCase{"window_first_day", 1300, kSix, kMonth, 15, false, Verdict::Accept, 300, false, false, false},
        CheckCase{"window_last_day", 1300, kSix, kMonth, 25, false, Verdict::Accept, 300, false, false, false},
        CheckCase{"after_the_window", 1300, kSix, kMonth, 26, false, Verdict::Accept, 300, false, true, false},
        CheckCase{"mistake_outside_window_still_flags", 999, kSix, kMonth, 1, false, Verdict::BelowPrevious, 0, false,
                  true, false}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace talon::meter
