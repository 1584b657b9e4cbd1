// AsyncBackend: blocking API calls off the UI thread.
#include "talon/kiosk/async_backend.h"

#include <nlohmann/json.hpp>

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
    run<MeterAccount>([number](ApiClient& api) { return api.lookupAccount(number); }, std::move(done));
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
            // A new code that happens to be taken already (one in 2^40) is drawn again. With the
            // same key twice the outbox returns the stored item, with its own code and body.
            Result<OutboxItem> item = makeError(ErrorKind::Internal, "internal", "");
            for (int attempt = 0; attempt < 3; ++attempt) {
                s.localCode = newLocalCode();
                item = m_outbox->add("reading", key, s.localCode, wire::toJson(s).dump(),
                                     s.takenAt.value_or(SystemClock{}.wallNow()));
                if (item || item.error().kind != ErrorKind::Conflict) break;
            }
            if (!item) return item.error();
            return deliver(api, item.value());
        },
        std::move(done));
}

Result<ReadingOutcome> AsyncBackend::deliver(ApiClient& api, const OutboxItem& item) {
    auto receipt = api.submitReading(item.body, item.idempotencyKey);
    const WallTime now = SystemClock{}.wallNow();
    if (receipt) {
        (void)m_outbox->markDelivered(item.id, receipt.value().confirmation, now);
        return ReadingOutcome{std::move(receipt).value(), item.localCode, false};
    }
    const Error& e = receipt.error();
    if (transient(e)) {
        (void)m_outbox->noteFailedAttempt(item.id, e.code + ": " + e.message, now);
        return ReadingOutcome{std::nullopt, item.localCode, true};
    }
    (void)m_outbox->markRejected(item.id, e.code + ": " + e.message, now);
    return e;
}

void AsyncBackend::deliverOutbox(Callback<size_t> done) {
    run<size_t>(
        [this](ApiClient& api) -> Result<size_t> {
            if (!m_outbox) return size_t{0};
            auto pending = m_outbox->pending();
            if (!pending) return pending.error();
            for (const OutboxItem& item : pending.value()) {
                if (item.kind != "reading") continue;
                auto outcome = deliver(api, item);
                if (outcome && outcome.value().queued) break;  // the server is away: try later
            }
            return m_outbox->pendingCount();
        },
        std::move(done));
}

void AsyncBackend::setLanguage(const std::string& language) {
    m_worker.submit([this, language] { m_api->setLanguage(language); });
}

bool AsyncBackend::busy() const { return !m_worker.idle(); }

}  // namespace talon::kiosk
