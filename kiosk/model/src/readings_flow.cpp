// ReadingsFlow transitions. The same rules as the server (talon/common/meter_reading.h) judge
// each value as soon as the visitor goes on, so warnings come at the entry, not after sending.
#include "talon/kiosk/readings_flow.h"

#include <chrono>

#include "talon/common/api_client.h"

namespace talon::kiosk {

const char* toString(ReadingsStep step) {
    switch (step) {
        case ReadingsStep::Account: return "account";
        case ReadingsStep::LookingUp: return "looking-up";
        case ReadingsStep::Meters: return "meters";
        case ReadingsStep::Entry: return "entry";
        case ReadingsStep::Warning: return "warning";
        case ReadingsStep::Summary: return "summary";
        case ReadingsStep::Sending: return "sending";
        case ReadingsStep::Done: return "done";
    }
    return "?";
}

namespace {

/// The typed text as a reading: a trailing point means no decimals.
std::string valueText(const std::string& typed) {
    if (!typed.empty() && typed.back() == '.') return typed.substr(0, typed.size() - 1);
    return typed;
}

}  // namespace

std::optional<int> ReadingsFlow::daysBetween(const std::string& from, const std::string& to) {
    auto a = parseIsoDate(from);
    auto b = parseIsoDate(to);
    if (!a || !b) return std::nullopt;
    return static_cast<int>((*b - *a).count());
}

int ReadingsFlow::dayOfMonth(const std::string& date) {
    auto d = parseIsoDate(date);
    if (!d) return 0;
    return static_cast<int>(static_cast<unsigned>(std::chrono::year_month_day{*d}.day()));
}

void ReadingsFlow::begin() {
    reset();
    go(ReadingsStep::Account);
}

void ReadingsFlow::reset() {
    ++m_generation;
    m_step = ReadingsStep::Account;
    m_account.clear();
    m_accountProblem = AccountProblem::None;
    m_message.clear();
    m_lookedUp.reset();
    m_meters.clear();
    m_meter = m_zone = 0;
    m_entryProblem = EntryProblem::None;
    m_editingFromSummary = false;
    m_editOriginal = {};
    m_sending = 0;
    m_sentAt = {};
    m_printState = PrintState::None;
    m_printJob = {};
    m_printError.reset();
}

// ---- Account --------------------------------------------------------------------------------

void ReadingsFlow::accountKey(char digit) {
    if (m_step != ReadingsStep::Account || digit < '0' || digit > '9') return;
    if (m_account.insert(std::string(1, digit))) m_accountProblem = AccountProblem::None;
}

void ReadingsFlow::accountBackspace() {
    if (m_step != ReadingsStep::Account) return;
    m_account.backspace();
    m_accountProblem = AccountProblem::None;
}

void ReadingsFlow::accountClear() {
    if (m_step != ReadingsStep::Account) return;
    m_account.clear();
    m_accountProblem = AccountProblem::None;
}

void ReadingsFlow::submitAccount() {
    if (m_step != ReadingsStep::Account) return;
    if (m_account.length() < kMinAccountDigits) {
        m_accountProblem = AccountProblem::TooShort;
        return;
    }
    m_accountProblem = AccountProblem::None;
    m_message.clear();
    go(ReadingsStep::LookingUp);
    const uint64_t generation = m_generation;
    m_backend.lookupAccount(m_account.value(), [this, generation](Result<MeterAccount> r) {
        if (generation == m_generation) onLookedUp(std::move(r));
    });
}

void ReadingsFlow::onLookedUp(Result<MeterAccount> result) {
    if (m_step != ReadingsStep::LookingUp) return;
    if (!result) {
        const Error& e = result.error();
        m_message = e.message;
        if (e.unreachable() || e.status >= 500) {
            m_accountProblem = AccountProblem::Unreachable;
        } else if (e.code == "unknown_account") {
            m_accountProblem = AccountProblem::Unknown;
        } else if (e.code == "too_many_lookups") {
            m_accountProblem = AccountProblem::TooMany;
        } else if (e.code == "bad_request") {
            m_accountProblem = AccountProblem::TooShort;
        } else {
            m_accountProblem = AccountProblem::Other;
        }
        go(ReadingsStep::Account);
        return;
    }
    MeterAccount account = std::move(result).value();
    if (account.status != "active") {
        m_accountProblem = AccountProblem::Closed;
        go(ReadingsStep::Account);
        return;
    }
    m_meters.clear();
    for (const MeterInfo& info : account.meters) {
        MeterInput m;
        m.info = info;
        m.reg = meter::Register{info.wholeDigits, info.decimalDigits};
        for (const MeterZone& z : info.zones) m.zones.push_back(ZoneInput{z.zone, {}, std::nullopt, {}, false});
        m.alreadySubmitted = info.submittedOn.has_value() || !info.waitingCode.empty();
        m_meters.push_back(std::move(m));
    }
    m_lookedUp = std::move(account);
    go(ReadingsStep::Meters);
}

std::string ReadingsFlow::maskedAccount() const {
    const std::string& number = m_lookedUp ? m_lookedUp->number : m_account.value();
    if (number.size() <= 4) return number;
    return "\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2" + number.substr(number.size() - 4);
}

// ---- Meters ---------------------------------------------------------------------------------

bool ReadingsFlow::anythingToEnter() const {
    for (const MeterInput& m : m_meters) {
        if (!m.alreadySubmitted && !m.zones.empty()) return true;
    }
    return false;
}

void ReadingsFlow::confirmAccount() {
    if (m_step != ReadingsStep::Meters || !anythingToEnter()) return;
    m_meter = 0;
    while (m_meters[m_meter].alreadySubmitted || m_meters[m_meter].zones.empty()) ++m_meter;
    m_zone = 0;
    m_entryProblem = EntryProblem::None;
    m_editingFromSummary = false;
    go(ReadingsStep::Entry);
}

void ReadingsFlow::notMyAccount() {
    if (m_step != ReadingsStep::Meters) return;
    reset();
}

// ---- Entry ----------------------------------------------------------------------------------

const ZoneInput* ReadingsFlow::zone() const {
    if (m_meter >= m_meters.size() || m_zone >= m_meters[m_meter].zones.size()) return nullptr;
    return &m_meters[m_meter].zones[m_zone];
}

ZoneInput* ReadingsFlow::mutableZone() { return const_cast<ZoneInput*>(zone()); }

bool ReadingsFlow::entryKey(char key) {
    ZoneInput* z = mutableZone();
    if (m_step != ReadingsStep::Entry || !z) return false;
    const meter::Register& reg = m_meters[m_meter].reg;
    if (key == ',') key = '.';
    const size_t point = z->typed.find('.');
    if (key == '.') {
        if (reg.decimalDigits == 0) {
            m_entryProblem = EntryProblem::TooManyDecimals;
            return false;
        }
        if (point != std::string::npos) return false;
        z->autoZero = z->typed.empty();
        z->typed += z->autoZero ? "0." : ".";
    } else if (key >= '0' && key <= '9') {
        if (point == std::string::npos) {
            if (static_cast<int>(z->typed.size()) >= reg.wholeDigits) {
                m_entryProblem = EntryProblem::TooManyWhole;
                return false;
            }
        } else if (static_cast<int>(z->typed.size() - point - 1) >= reg.decimalDigits) {
            m_entryProblem = EntryProblem::TooManyDecimals;
            return false;
        }
        z->typed += key;
    } else {
        return false;
    }
    z->value.reset();
    z->confirmed = false;
    m_entryProblem = EntryProblem::None;
    return true;
}

void ReadingsFlow::entryBackspace() {
    ZoneInput* z = mutableZone();
    if (m_step != ReadingsStep::Entry || !z || z->typed.empty()) return;
    const bool point = z->typed.back() == '.';
    z->typed.pop_back();
    if (point && z->autoZero) z->typed.clear();  // the "0" came with a lone point, not from the visitor
    z->value.reset();
    z->confirmed = false;
    m_entryProblem = EntryProblem::None;
}

void ReadingsFlow::entryClear() {
    ZoneInput* z = mutableZone();
    if (m_step != ReadingsStep::Entry || !z) return;
    z->typed.clear();
    z->value.reset();
    z->confirmed = false;
    m_entryProblem = EntryProblem::None;
}

meter::Rules ReadingsFlow::rules() const {
    meter::Rules r;
    if (m_lookedUp) {
        r.implausibleFactor = m_lookedUp->implausibleFactor;
        r.windowFirstDay = m_lookedUp->windowFirstDay;
        r.windowLastDay = m_lookedUp->windowLastDay;
        r.rolloverShare = m_lookedUp->rolloverShare;
    }
    return r;
}

meter::History ReadingsFlow::historyOf(const MeterInput& m, size_t zoneIndex) const {
    meter::History h;
    h.usualPerDay = m.info.usualPerDay;
    if (zoneIndex >= m.info.zones.size()) return h;
    const MeterZone& z = m.info.zones[zoneIndex];
    if (z.last) {
        const meter::Parsed previous = meter::parse(*z.last, m.reg);
        h.previous = previous.value;
    }
    if (z.readOn && m_lookedUp) {
        if (auto days = daysBetween(*z.readOn, m_lookedUp->today); days && *days >= 0) h.daysSincePrevious = days;
    }
    return h;
}

void ReadingsFlow::entryNext() {
    ZoneInput* z = mutableZone();
    if (m_step != ReadingsStep::Entry || !z) return;
    const MeterInput& m = m_meters[m_meter];
    const meter::Parsed parsed = meter::parse(valueText(z->typed), m.reg);
    if (parsed.error) {
        switch (*parsed.error) {
            case meter::ParseError::Empty: m_entryProblem = EntryProblem::Empty; break;
            case meter::ParseError::NotANumber: m_entryProblem = EntryProblem::NotANumber; break;
            case meter::ParseError::TooManyWhole: m_entryProblem = EntryProblem::TooManyWhole; break;
            case meter::ParseError::TooManyDecimals: m_entryProblem = EntryProblem::TooManyDecimals; break;
        }
        return;
    }
    m_entryProblem = EntryProblem::None;
    z->value = parsed.value;
    const int day = m_lookedUp ? dayOfMonth(m_lookedUp->today) : 0;
    z->check = meter::check(*parsed.value, m.reg, historyOf(m, m_zone), rules(), day, z->confirmed);
    if (z->check.verdict == meter::Verdict::Accept) {
        advance();
    } else {
        go(ReadingsStep::Warning);
    }
}

void ReadingsFlow::advance() {
    if (m_editingFromSummary) {
        m_editingFromSummary = false;
        go(ReadingsStep::Summary);
        return;
    }
    if (m_zone + 1 < m_meters[m_meter].zones.size()) {
        ++m_zone;
        go(ReadingsStep::Entry);
        return;
    }
    for (size_t i = m_meter + 1; i < m_meters.size(); ++i) {
        if (!m_meters[i].alreadySubmitted && !m_meters[i].zones.empty()) {
            m_meter = i;
            m_zone = 0;
            go(ReadingsStep::Entry);
            return;
        }
    }
    go(ReadingsStep::Summary);
}

void ReadingsFlow::entryBack() {
    if (m_step != ReadingsStep::Entry) return;
    m_entryProblem = EntryProblem::None;
    if (m_editingFromSummary) {
        // Leaving an edit puts back the value the summary showed.
        if (ZoneInput* z = mutableZone()) *z = m_editOriginal;
        m_editingFromSummary = false;
        go(ReadingsStep::Summary);
        return;
    }
    if (m_zone > 0) {
        --m_zone;
        return;
    }
    for (size_t i = m_meter; i-- > 0;) {
        if (!m_meters[i].alreadySubmitted && !m_meters[i].zones.empty()) {
            m_meter = i;
            m_zone = m_meters[i].zones.size() - 1;
            return;
        }
    }
    go(ReadingsStep::Meters);
}

// ---- Warning --------------------------------------------------------------------------------

void ReadingsFlow::confirmValue() {
    ZoneInput* z = mutableZone();
    if (m_step != ReadingsStep::Warning || !z || !z->value ||
        z->check.verdict != meter::Verdict::NeedsConfirmation) {
        return;
    }
    const MeterInput& m = m_meters[m_meter];
    z->confirmed = true;
    const int day = m_lookedUp ? dayOfMonth(m_lookedUp->today) : 0;
    z->check = meter::check(*z->value, m.reg, historyOf(m, m_zone), rules(), day, true);
    if (z->check.verdict == meter::Verdict::Accept) advance();
}

void ReadingsFlow::correctValue() {
    ZoneInput* z = mutableZone();
    if (m_step != ReadingsStep::Warning || !z) return;
    z->value.reset();
    z->confirmed = false;
    go(ReadingsStep::Entry);
}

// ---- Summary and sending ------------------------------------------------------------------

void ReadingsFlow::editZone(size_t meterIndex, size_t zoneIndex) {
    if (m_step != ReadingsStep::Summary || meterIndex >= m_meters.size()) return;
    const MeterInput& m = m_meters[meterIndex];
    if (m.alreadySubmitted || zoneIndex >= m.zones.size()) return;
    m_meter = meterIndex;
    m_zone = zoneIndex;
    m_entryProblem = EntryProblem::None;
    m_editingFromSummary = true;
    m_editOriginal = m.zones[zoneIndex];
    go(ReadingsStep::Entry);
}

void ReadingsFlow::send() {
    if (m_step != ReadingsStep::Summary || !m_lookedUp) return;
    m_sentAt = m_clock.wallNow();
    for (MeterInput& m : m_meters) {
        if (!m.alreadySubmitted && m.idempotencyKey.empty()) m.idempotencyKey = newIdempotencyKey();
    }
    m_sending = 0;
    go(ReadingsStep::Sending);
    sendNext();
}

void ReadingsFlow::sendNext() {
    while (m_sending < m_meters.size() &&
           (m_meters[m_sending].alreadySubmitted || m_meters[m_sending].zones.empty() ||
            m_meters[m_sending].outcome != MeterOutcome::None)) {
        ++m_sending;
    }
    if (m_sending >= m_meters.size()) {
        go(ReadingsStep::Done);
        if (anythingSent()) print();
        return;
    }
    const MeterInput& m = m_meters[m_sending];
    ReadingSubmission s;
    s.account = m_lookedUp->number;
    s.meter = m.info.number;
    s.serial = m.info.serial;
    for (const ZoneInput& z : m.zones) {
        s.values.emplace_back(z.zone, valueText(z.typed));
        s.confirmed = s.confirmed || z.confirmed;
    }
    s.takenAt = m_sentAt;
    const uint64_t generation = m_generation;
    const size_t index = m_sending;
    m_backend.submitReading(std::move(s), m.idempotencyKey, [this, generation, index](Result<ReadingOutcome> r) {
        if (generation == m_generation) onSent(index, std::move(r));
    });
}

void ReadingsFlow::onSent(size_t index, Result<ReadingOutcome> result) {
    if (m_step != ReadingsStep::Sending || index != m_sending || index >= m_meters.size()) return;
    MeterInput& m = m_meters[index];
    if (!result) {
        m.outcome = MeterOutcome::Refused;
        // The server's sentence; a failure of the kiosk itself (its outbox) has none: the view words it.
        m.refusal = result.error().kind == ErrorKind::Http ? result.error().message : std::string{};
        m.refusalCode = result.error().code;
    } else if (result.value().receipt) {
        m.outcome = MeterOutcome::Accepted;
        m.receipt = std::move(result.value().receipt);
    } else {
        m.outcome = MeterOutcome::Queued;
        m.localCode = result.value().localCode;
    }
    ++m_sending;
    sendNext();
}

bool ReadingsFlow::anythingSent() const {
    for (const MeterInput& m : m_meters) {
        if (m.outcome == MeterOutcome::Accepted || m.outcome == MeterOutcome::Queued) return true;
    }
    return false;
}

bool ReadingsFlow::calibrationOverdue() const {
    for (const MeterInput& m : m_meters) {
        if (m.info.calibrationOverdue) return true;
    }
    return false;
}

// ---- Receipt --------------------------------------------------------------------------------

void ReadingsFlow::print() {
    ReadingsPrintJob job;
    job.account = maskedAccount();
    job.holder = m_lookedUp ? m_lookedUp->holder : std::string{};
    job.at = m_sentAt;
    for (const MeterInput& m : m_meters) {
        if (m.outcome != MeterOutcome::Accepted && m.outcome != MeterOutcome::Queued) continue;
        ReadingsPrintMeter p;
        p.serial = m.info.serial;
        if (m.receipt) {
            for (const AcceptedReading& r : m.receipt->readings) p.values.emplace_back(r.zone, r.value);
            p.confirmation = m.receipt->confirmation;
        } else {
            for (const ZoneInput& z : m.zones) p.values.emplace_back(z.zone, valueText(z.typed));
            p.localCode = m.localCode;
        }
        job.meters.push_back(std::move(p));
    }
    m_printState = PrintState::Printing;
    m_printError.reset();
    const uint64_t generation = m_generation;
    m_printJob = std::move(job);
    if (m_receiptContext) m_receiptContext(m_printJob);
    m_printer.printReadings(m_printJob, [this, generation](Status st) {
        if (generation == m_generation) {
            onPrinted(std::move(st));
        } else if (m_printObserver) {
            m_printObserver(st);  // the visitor left meanwhile; the printer's state still counts
        }
    });
}

void ReadingsFlow::printAgain() {
    if (m_step != ReadingsStep::Done || !anythingSent() || m_printState == PrintState::Printing) return;
    print();
}

void ReadingsFlow::onPrinted(Status status) {
    if (m_printState != PrintState::Printing) return;
    m_printState = status ? PrintState::Printed : PrintState::Failed;
    m_settledAt = m_clock.now();
    if (!status) m_printError = status.error();
    if (m_printObserver) m_printObserver(status);
}

}  // namespace talon::kiosk
