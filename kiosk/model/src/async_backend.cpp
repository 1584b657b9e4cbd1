// AsyncBackend: blocking API calls off the UI thread.
#include "talon/kiosk/async_backend.h"

namespace talon::kiosk {

AsyncBackend::AsyncBackend(const std::string& serverUrl, RunQueue& queue)
    : m_queue(queue),
      m_api(std::make_unique<ApiClient>(serverUrl, "ru",
                                        HttpOptions{std::chrono::milliseconds(1500), std::chrono::milliseconds(4000)})) {}

AsyncBackend::~AsyncBackend() = default;

void AsyncBackend::loadServices(Callback<std::vector<Service>> done) {
    m_worker.submit([this, done = std::move(done)] {
        auto result = m_api->services();
        m_queue.post([done, result = std::move(result)]() mutable { done(std::move(result)); });
    });
}

void AsyncBackend::issueTicket(const std::string& service, const std::string& key, Callback<Ticket> done) {
    m_worker.submit([this, service, key, done = std::move(done)] {
        auto result = m_api->issueTicket(service, key);
        m_queue.post([done, result = std::move(result)]() mutable { done(std::move(result)); });
    });
}

void AsyncBackend::setLanguage(const std::string& language) {
    m_worker.submit([this, language] { m_api->setLanguage(language); });
}

bool AsyncBackend::busy() const { return !m_worker.idle(); }

}  // namespace talon::kiosk
