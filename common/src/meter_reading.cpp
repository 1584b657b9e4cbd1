#include "talon/common/meter_reading.h"

#include <algorithm>
#include <cmath>

namespace talon::meter {

namespace {

int64_t pow10(int n) {
    int64_t p = 1;
    for (int i = 0; i < n; ++i) p *= 10;
    return p;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

std::string_view toString(Tariff t) {
    switch (t) {
        case Tariff::Single: return "single";
        case Tariff::DayNight: return "day_night";
        case Tariff::ThreeZone: return "three_zone";
    }
    return "single";
}

std::optional<Tariff> tariffFromString(std::string_view text) {
    for (Tariff t : {Tariff::Single, Tariff::DayNight, Tariff::ThreeZone}) {
        if (toString(t) == text) return t;
    }
    return std::nullopt;
}

const std::vector<std::string>& zonesOf(Tariff t) {
    static const std::vector<std::string> single{"total"};
    static const std::vector<std::string> dayNight{"day", "night"};
    static const std::vector<std::string> three{"peak", "half_peak", "night"};
    switch (t) {
        case Tariff::Single: return single;
        case Tariff::DayNight: return dayNight;
        case Tariff::ThreeZone: return three;
    }
    return single;
}

int64_t Register::scale() const { return pow10(decimalDigits); }

int64_t Register::capacity() const { return pow10(wholeDigits + decimalDigits); }

std::string_view toString(ParseError e) {
    switch (e) {
        case ParseError::Empty: return "empty";
        case ParseError::NotANumber: return "not_a_number";
        case ParseError::TooManyWhole: return "too_many_digits";
        case ParseError::TooManyDecimals: return "too_many_decimals";
    }
    return "not_a_number";
}

Parsed parse(std::string_view typed, const Register& reg) {
    if (typed.size() > 32) return {std::nullopt, ParseError::NotANumber};
    const std::string_view text = trim(typed);
    if (text.empty()) return {std::nullopt, ParseError::Empty};
    std::string_view whole = text, fraction;
    if (auto point = text.find_first_of(".,"); point != std::string_view::npos) {
        whole = text.substr(0, point);
        fraction = text.substr(point + 1);
    }
    auto digitsOnly = [](std::string_view s) {
        for (char c : s) {
            if (c < '0' || c > '9') return false;
        }
        return true;
    };
    // One point at most, digits around it, and at least one digit in all ("." alone is not one).
    if (!digitsOnly(whole) || !digitsOnly(fraction) || (whole.empty() && fraction.empty())) {
        return {std::nullopt, ParseError::NotANumber};
    }
    // Leading zeros are what the register shows; they do not count against its width.
    size_t firstSignificant = whole.find_first_not_of('0');
    const std::string_view significant =
        firstSignificant == std::string_view::npos ? std::string_view{} : whole.substr(firstSignificant);
    if (static_cast<int>(significant.size()) > reg.wholeDigits) return {std::nullopt, ParseError::TooManyWhole};
    // Trailing zeros after the point change nothing ("12.50" on a one-decimal register is 12.5).
    while (!fraction.empty() && fraction.back() == '0' && static_cast<int>(fraction.size()) > reg.decimalDigits) {
        fraction.remove_suffix(1);
    }
    if (static_cast<int>(fraction.size()) > reg.decimalDigits) return {std::nullopt, ParseError::TooManyDecimals};
    int64_t value = 0;
    for (char c : significant) value = value * 10 + (c - '0');
    value *= reg.scale();
    int64_t frac = 0;
    for (char c : fraction) frac = frac * 10 + (c - '0');
    value += frac * pow10(reg.decimalDigits - static_cast<int>(fraction.size()));
    return {value, std::nullopt};
}

std::string format(int64_t units, const Register& reg) {
    const int64_t scale = reg.scale();
    std::string out = std::to_string(units / scale);
    if (reg.decimalDigits > 0) {
        std::string frac = std::to_string(units % scale);
        out += '.' + std::string(static_cast<size_t>(reg.decimalDigits) - frac.size(), '0') + frac;
    }
    return out;
}

std::string_view toString(Verdict v) {
    switch (v) {
        case Verdict::Accept: return "accept";
        case Verdict::BelowPrevious: return "below_previous";
        case Verdict::NeedsConfirmation: return "needs_confirmation";
    }
    return "accept";
}

Check check(int64_t value, const Register& reg, const History& history, const Rules& rules, int dayOfMonth,
            bool confirmedByVisitor) {
    Check out;
    out.outsideWindow = dayOfMonth < rules.windowFirstDay || dayOfMonth > rules.windowLastDay;
    if (!history.previous) return out;  // a first reading: nothing to compare with
    const int64_t previous = *history.previous;
    if (value >= previous) {
        out.consumption = value - previous;
    } else {
        // Lower than before: the register went round through zero, if what that implies is a
        // small part of its capacity; otherwise a typing mistake.
        const int64_t wrapped = reg.capacity() - previous + value;
        if (static_cast<double>(wrapped) > rules.rolloverShare * static_cast<double>(reg.capacity())) {
            out.verdict = Verdict::BelowPrevious;
            return out;
        }
        out.consumption = wrapped;
        out.rollover = true;
    }
    if (history.usualPerDay && *history.usualPerDay > 0 && history.daysSincePrevious) {
        const double days = std::max(1, *history.daysSincePrevious);
        const double kwh = static_cast<double>(out.consumption) / static_cast<double>(reg.scale());
        if (kwh > rules.implausibleFactor * *history.usualPerDay * days) {
            if (!confirmedByVisitor) {
                out.verdict = Verdict::NeedsConfirmation;
                return out;
            }
            out.confirmed = true;
        }
    }
    return out;
}

}  // namespace talon::meter
