// The real KioskBackend: ApiClient calls on a Worker thread, results posted to the RunQueue.
#pragma once

#include <memory>
#include <mutex>

#include "talon/common/api_client.h"
#include "talon/common/run_queue.h"
#include "talon/common/worker.h"
#include "talon/kiosk/kiosk_backend.h"

namespace talon::kiosk {

class AsyncBackend final : public KioskBackend {
public:
    AsyncBackend(const std::string& serverUrl, std::string deviceId, RunQueue& queue);
    ~AsyncBackend() override;

    void loadServices(Callback<std::vector<Service>> done) override;
    void loadOffice(Callback<OfficeInfo> done) override;
    void issueTicket(const std::string& service, Priority priority, const std::string& idempotencyKey,
                     Callback<Ticket> done) override;
    void reportPrinter(const std::string& state, const std::string& detail, Callback<bool> done) override;
    void setLanguage(const std::string& language) override;
    bool busy() const override;

private:
    template <class T, class Call>
    void run(Call call, Callback<T> done);

    RunQueue& m_queue;
    std::string m_deviceId;
    std::unique_ptr<ApiClient> m_api;  // used only on the worker thread
    Worker m_worker;                   // declared last: joined first
};

}  // namespace talon::kiosk
