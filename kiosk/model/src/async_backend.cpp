// AsyncBackend: blocking API calls off the UI thread.
#include "talon/kiosk/async_backend.h"

namespace talon::kiosk {

AsyncBackend::AsyncBackend(const std::string& serverUrl, std::string deviceId, RunQueue& queue)
    : m_queue(queue),
      m_deviceId(std::move(deviceId)),
      m_api(std::make_unique<ApiClient>(serverUrl, "ru",
                                        HttpOptions{std::chrono::milliseconds(1500), std::chrono::milliseconds(4000)})) {}

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

void AsyncBackend::setLanguage(const std::string& language) {
    m_worker.submit([this, language] { m_api->setLanguage(language); });
}

bool AsyncBackend::busy() const { return !m_worker.idle(); }

}  // namespace talon::kiosk
