// AsyncBackend: blocking API calls off the UI thread.
#include "talon/kiosk/async_backend.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

#include "talon/common/wire.h"

namespace talon::kiosk {

AsyncBackend::AsyncBackend(const std::string& serverUrl, std::string deviceId, RunQueue& queue, Outbox* outbox)
    : m_queue(queue),
      m_outbox(outbox),
      m_deviceId(std::move(deviceId)),
      m_api(std::make_unique<ApiClient>(serverUrl, "ru",
                                        HttpOptions{std::chrono::milliseconds(1500), std::chrono::milliseconds(4000)})) {
    m_api->setDeviceId(m_deviceId);
}

namespace {

/// A failure worth trying again later (the server away, busy or broken) rather than a refusal.
bool transient(const Error& e) {
    return e.unreachable() || e.status >= 500 || e.status == 408 || e.status == 429 || e.kind == ErrorKind::BadResponse;
}

}  // namespace

AsyncBackend::~AsyncBackend() = default;

template <class T, class Call>
void AsyncBackend::run(Call call, Callback<T> done) {
    m_worker.submit([this, call = std::move(call), done = std::move(done)] {
        // Nothing may escape a worker job (it would end the kiosk): a throwing library call
        // becomes an error like any other.
        Result<T> result = makeError(ErrorKind::Internal, "internal", "");
        try {
            result = call(*m_api);
        } catch (const std::exception& e) {
            result = makeError(ErrorKind::Internal, "internal", e.what());
        }
        m_queue.post([done, result = std::move(result)]() mutable { done(std::move(result)); });
    });
}

void AsyncBackend::loadServices(Callback<std::vector<Service>> done) {
    run<std::vector<Service>>([](ApiClient& api) { return api.services(); }, std::move(done));
}

void AsyncBackend::loadOffice(Callback<OfficeInfo> done) {
    run<OfficeInfo>([](ApiClient& api) { return api.office(); }, std::move(done));
}

void AsyncBackend::issueTicket(const std::string& service, Priority priority, const std::string& key,
                               Callback<Ticket> done) {
    run<Ticket>([service, priority, key](ApiClient& api) { return api.issueTicket(service, key, priority); },
                std::move(done));
}

void AsyncBackend::reportPrinter(const std::string& state, const std::string& detail, Callback<bool> done) {
    run<bool>(
        [this, state, detail](ApiClient& api) -> Result<bool> {
            Status st = api.reportDevice(m_deviceId, state, detail);
            if (!st) return st.error();
            return true;
        },
        std::move(done));
}

void AsyncBackend::lookupAccount(const std::string& number, Callback<MeterAccount> done) {
    run<MeterAccount>(
        [this, number](ApiClient& api) -> Result<MeterAccount> {
            auto account = api.lookupAccount(number);
            if (!account || !m_outbox) return account;
            // Readings this kiosk still holds for a meter count as handed in: typing them again
            // would only have the late delivery refused as a second one this month.
            auto pending = m_outbox->pending(kMaxPendingScan);
            if (!pending) return account;
            for (const OutboxItem& item : pending.value()) {
                const auto body = nlohmann::json::parse(item.body, nullptr, false);
                if (item.kind != "reading" || !body.is_object() || body.value("account", "") != number) continue;
                // The meter as the server finds it: by its masked serial when that is unique on
                // the account (an import may have moved it), else by its position.
                auto& meters = account.value().meters;
                const std::string serial = body.value("serial", "");
                const auto sameMask = std::count_if(meters.begin(), meters.end(),
                                                    [&](const MeterInfo& m) { return m.serial == serial; });
                for (MeterInfo& m : meters) {
                    const bool byMask = sameMask == 1 && m.serial == serial;
                    const bool byPosition = sameMask != 1 && body.value("meter", 0) == m.number &&
                                            (serial.empty() || serial == m.serial);
                    if (byMask || byPosition) m.waitingCode = item.localCode;
                }
            }
            return account;
        },
        std::move(done));
}

template <class Submission>
Result<OutboxItem> AsyncBackend::keep(const char* kind, const std::string& key, Submission& s) {
    // A new code that happens to be taken already (one in 2^40) is drawn again. With the same
    // key twice the outbox returns the stored item, with its own code and body.
    Result<OutboxItem> item = makeError(ErrorKind::Internal, "internal", "");
    for (int attempt = 0; attempt < 3; ++attempt) {
        s.localCode = newLocalCode();
        item = m_outbox->add(kind, key, s.localCode, wire::toJson(s).dump(), s.takenAt.value_or(SystemClock{}.wallNow()));
        if (item || item.error().kind != ErrorKind::Conflict) break;
    }
    return item;
}

void AsyncBackend::submitReading(ReadingSubmission submission, const std::string& key, Callback<ReadingOutcome> done) {
    run<ReadingOutcome>(
        [this, submission = std::move(submission), key](ApiClient& api) -> Result<ReadingOutcome> {
            ReadingSubmission s = submission;
            if (!m_outbox) {
                auto receipt = api.submitReading(wire::toJson(s).dump(), key);
                if (!receipt) return receipt.error();
                return ReadingOutcome{std::move(receipt).value(), {}, false};
            }
            // Stored first, durably: from here on the readings reach the server exactly once,
            // now or after a restart (the key makes a repeated delivery return the same receipt).
            auto item = keep("reading", key, s);
            if (!item) return item.error();
            return deliver(api, item.value(), false).outcome;
        },
        std::move(done));
}

AsyncBackend::Delivery AsyncBackend::deliver(ApiClient& api, const OutboxItem& item, bool deferred) {
    std::string body = item.body;
    if (deferred) {
        // The visitor has left: the server takes an unusual value for review instead of asking
        // someone to correct it. The key stays the same, so an answer already given is replayed.
        auto j = nlohmann::json::parse(item.body, nullptr, false);
        if (j.is_object()) {
            j["deferred"] = true;
            body = j.dump();
        }
    }
    auto receipt = api.submitReading(body, item.idempotencyKey);
    const WallTime now = SystemClock{}.wallNow();
    if (receipt) {
        (void)m_outbox->markDelivered(item.id, receipt.value().confirmation, now);
        return {ReadingOutcome{std::move(receipt).value(), item.localCode, false}, false};
    }
    const Error& e = receipt.error();
    if (transient(e)) {
        // Whether the server was reached decides the wait before the next attempt.
        (void)m_outbox->noteFailedAttempt(item.id, std::string(e.unreachable() ? kAway : "") + e.code + ": " + e.message, now);
        return {ReadingOutcome{std::nullopt, item.localCode, true}, e.unreachable()};
    }
    if (deferred) {
        // Nobody is there to be told: kept, counted in the staff menu and logged.
        (void)m_outbox->markRejected(item.id, e.code + ": " + e.message, now);
        std::fprintf(stderr, "talon-kiosk: the server refused the readings kept under %s: %s (%s)\n",
                     item.localCode.c_str(), e.message.c_str(), e.code.c_str());
    } else {
        // The visitor sees the refusal on the screen; nothing is owed, nothing stays behind.
        (void)m_outbox->remove(item.id);
    }
    return {e, false};
}

void AsyncBackend::registerAppeal(AppealSubmission submission, const std::string& key, Callback<AppealOutcome> done) {
    run<AppealOutcome>(
        [this, submission = std::move(submission), key](ApiClient& api) -> Result<AppealOutcome> {
            AppealSubmission s = submission;
            if (!m_outbox) {
                auto receipt = api.registerAppeal(wire::toJson(s).dump(), key);
                if (!receipt) return receipt.error();
                return AppealOutcome{std::move(receipt).value(), {}, false};
            }
            // As readings: stored first, durably, then delivered now or by a later sweep, with
            // the same key every time (the server replays its first answer). The local code
            // travels in the body, so the visitor can later find the number with it.
            auto item = keep("appeal", key, s);
            if (!item) return item.error();
            return deliverAppeal(api, item.value(), true).outcome;
        },
        std::move(done));
}

AsyncBackend::AppealDelivery AsyncBackend::deliverAppeal(ApiClient& api, const OutboxItem& item, bool visitorWaits) {
    auto receipt = api.registerAppeal(item.body, item.idempotencyKey);
    const WallTime now = SystemClock{}.wallNow();
    if (receipt) {
        // Registered: the server keeps it (findable by the local code too), so the visitor's text
        // and contacts do not stay on the kiosk a moment longer.
        (void)now;
        (void)m_outbox->remove(item.id);
        return {AppealOutcome{std::move(receipt).value(), item.localCode, false}, false};
    }
    const Error& e = receipt.error();
    // 429 while the visitor waits is told to them (the kiosk sent too many): nothing is kept.
    // In a sweep it is only a reason to wait.
    if (transient(e) && !(visitorWaits && e.status == 429)) {
        (void)m_outbox->noteFailedAttempt(item.id, std::string(e.unreachable() ? kAway : "") + e.code + ": " + e.message, now);
        return {AppealOutcome{std::nullopt, item.localCode, true}, e.unreachable()};
    }
    if (!visitorWaits) {
        (void)m_outbox->markRejected(item.id, e.code + ": " + e.message, now);
        std::fprintf(stderr, "talon-kiosk: the server refused the appeal kept under %s: %s (%s)\n",
                     item.localCode.c_str(), e.message.c_str(), e.code.c_str());
    } else {
        // The visitor sees the refusal and corrects the field: their text and contacts do not
        // stay on the kiosk.
        (void)m_outbox->remove(item.id);
    }
    return {e, false};
}

void AsyncBackend::checkAppeal(const std::string& numberOrCode, const std::string& phoneLast4,
                               Callback<AppealStatus> done) {
    run<AppealStatus>(
        [this, numberOrCode, phoneLast4](ApiClient& api) -> Result<AppealStatus> {
            // An appeal still waiting in this kiosk's outbox is not on the server yet: its code
            // and the phone's digits find it here.
            if (m_outbox) {
                auto item = m_outbox->findByLocalCode(numberOrCode);
                if (item && item.value() && item.value()->kind == "appeal" && item.value()->state == "pending") {
                    const auto body = nlohmann::json::parse(item.value()->body, nullptr, false);
                    std::string digits;
                    if (body.is_object() && body.contains("phone") && body["phone"].is_string()) {
                        for (char c : body["phone"].get<std::string>()) {
                            if (c >= '0' && c <= '9') digits += c;
                        }
                    }
                    if (digits.size() >= 4 && digits.compare(digits.size() - 4, 4, phoneLast4) == 0) {
                        AppealStatus waiting;
                        waiting.number = item.value()->localCode;
                        waiting.status = "waiting";
                        return waiting;
                    }
                }
            }
            return api.appealStatus(numberOrCode, phoneLast4);
        },
        std::move(done));
}

std::chrono::seconds AsyncBackend::retryDelay(int attempts) {
    // 30 s after the first failure, doubling up to an hour: a server that is down for a day
    // is not hammered, and one item it keeps failing does not hold up the others.
    const int doublings = std::clamp(attempts - 1, 0, 7);
    return std::min(std::chrono::seconds(30) * (1 << doublings), std::chrono::seconds(3600));
}

void AsyncBackend::deliverOutbox(Callback<OutboxState> done) {
    run<OutboxState>(
        [this](ApiClient& api) -> Result<OutboxState> {
            if (!m_outbox) {
                OutboxState none;
                none.available = false;
                return none;
            }
            const WallTime now = SystemClock{}.wallNow();
            auto pending = m_outbox->pending(kMaxPendingScan);
            if (!pending) return pending.error();
            int sent = 0;
            for (const OutboxItem& item : pending.value()) {
                if (item.kind != "reading" && item.kind != "appeal") continue;
                // An item the server answered with a failure waits longer after each one; one
                // that never reached it goes as soon as the server is back.
                const bool reachedServer = item.lastError.rfind(kAway, 0) != 0;
                if (reachedServer && item.lastAttemptAt && now - *item.lastAttemptAt < retryDelay(item.attempts)) {
                    continue;
                }
                // A few per sweep: a visitor's lookup or submission waits behind the sweep.
                if (++sent > kPerSweep) break;
                const bool away = item.kind == "appeal" ? deliverAppeal(api, item, false).serverAway
                                                        : deliver(api, item, true).serverAway;
                if (away) break;  // the rest would fail the same way
            }
            (void)m_outbox->prune(now, kKeepDelivered);
            auto count = m_outbox->pendingCount();
            if (!count) return count.error();
            auto rejected = m_outbox->rejectedCount();
            return OutboxState{count.value(), rejected ? rejected.value() : 0};
        },
        std::move(done));
}

void AsyncBackend::setLanguage(const std::string& language) {
    m_worker.submit([this, language] { m_api->setLanguage(language); });
}

bool AsyncBackend::busy() const { return !m_worker.idle(); }

}  // namespace talon::kiosk
