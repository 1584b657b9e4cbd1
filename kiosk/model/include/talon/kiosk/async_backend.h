// The real KioskBackend: ApiClient calls on a Worker thread, results posted to the RunQueue.
#pragma once

#include <memory>
#include <mutex>

#include "talon/common/api_client.h"
#include "talon/common/run_queue.h"
#include "talon/common/worker.h"
#include "talon/kiosk/kiosk_backend.h"
#include "talon/kiosk/outbox.h"

namespace talon::kiosk {

class AsyncBackend final : public KioskBackend {
public:
    /// `outbox` (may be null: readings then go straight to the server or fail) keeps readings
    /// the server could not take; it must outlive the backend.
    AsyncBackend(const std::string& serverUrl, std::string deviceId, RunQueue& queue, Outbox* outbox = nullptr);
    ~AsyncBackend() override;

    void loadServices(Callback<std::vector<Service>> done) override;
    void loadOffice(Callback<OfficeInfo> done) override;
    void issueTicket(const std::string& service, Priority priority, const std::string& idempotencyKey,
                     Callback<Ticket> done) override;
    void reportPrinter(const std::string& state, const std::string& detail, Callback<bool> done) override;
    void lookupAccount(const std::string& number, Callback<MeterAccount> done) override;
    void submitReading(ReadingSubmission submission, const std::string& idempotencyKey,
                       Callback<ReadingOutcome> done) override;
    void registerAppeal(AppealSubmission submission, const std::string& idempotencyKey,
                        Callback<AppealOutcome> done) override;
    void checkAppeal(const std::string& numberOrCode, const std::string& phoneLast4,
                     Callback<AppealStatus> done) override;
    void deliverOutbox(Callback<OutboxState> done) override;
    /// How long an outbox item waits after `attempts` failed deliveries before the next.
    static std::chrono::seconds retryDelay(int attempts);
    void setLanguage(const std::string& language) override;
    bool busy() const override;

private:
    template <class T, class Call>
    void run(Call call, Callback<T> done);
    static constexpr size_t kMaxPendingScan = 200;  // outbox items looked at per sweep or lookup
    static constexpr int kPerSweep = 10;            // deliveries per sweep at most
    static constexpr const char* kAway = "unreachable: ";  // marks a failed attempt that never reached the server
    static constexpr std::chrono::hours kKeepDelivered{24 * 7};  // local codes stay findable a week

    struct Delivery {
        Result<ReadingOutcome> outcome;
        bool serverAway = false;  // not reached at all (refused, timed out)
    };
    /// Stores a submission (readings or an appeal) in the outbox under a fresh local code,
    /// which it also puts in `s` (worker thread).
    template <class Submission>
    Result<OutboxItem> keep(const char* kind, const std::string& key, Submission& s);
    /// One delivery attempt of an outbox item, recorded in the outbox (worker thread).
    /// `deferred`: the visitor has left (a sweep), else they wait for the answer on screen.
    Delivery deliver(ApiClient& api, const OutboxItem& item, bool deferred);

    struct AppealDelivery {
        Result<AppealOutcome> outcome;
        bool serverAway = false;
    };
    /// One delivery attempt of an appeal kept in the outbox (worker thread). An appeal needs no
    /// `deferred` flag: the server registers it as it is or refuses it for good.
    AppealDelivery deliverAppeal(ApiClient& api, const OutboxItem& item, bool visitorWaits);

    RunQueue& m_queue;
    Outbox* m_outbox;
    std::string m_deviceId;
    std::unique_ptr<ApiClient> m_api;  // used only on the worker thread
    Worker m_worker;                   // declared last: joined first
};

}  // namespace talon::kiosk
