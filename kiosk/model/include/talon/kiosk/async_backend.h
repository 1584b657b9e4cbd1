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
    AsyncBackend(const std::string& serverUrl, RunQueue& queue);
    ~AsyncBackend() override;

    void loadServices(Callback<std::vector<Service>> done) override;
    void issueTicket(const std::string& service, const std::string& idempotencyKey,
                     Callback<Ticket> done) override;
    void setLanguage(const std::string& language) override;
    bool busy() const override;

private:
    RunQueue& m_queue;
    std::unique_ptr<ApiClient> m_api;  // used only on the worker thread
    Worker m_worker;                   // declared last: joined first
};

}  // namespace talon::kiosk
