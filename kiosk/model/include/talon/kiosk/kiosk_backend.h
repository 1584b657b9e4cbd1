// What the kiosk model needs from the server, as an interface: the real one runs HTTP calls
// on a worker thread and delivers results on the UI thread; tests pass a fake.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "talon/common/domain.h"
#include "talon/common/result.h"

namespace talon::kiosk {

/// What became of one meter's readings handed to the backend: the server's receipt, or kept in
/// the kiosk's outbox (the server was away) under a local code printed for the visitor.
struct ReadingOutcome {
    std::optional<ReadingReceipt> receipt;
    std::string localCode;
    bool queued = false;
};

/// What became of an appeal handed to the backend: the server's receipt (number and deadline),
/// or kept in the kiosk's outbox (the server was away) under a local code printed for the
/// visitor, who later finds the registration number with it (status check by local code).
struct AppealOutcome {
    std::optional<AppealReceipt> receipt;
    std::string localCode;
    bool queued = false;
};

/// What waits in the kiosk's outbox, as the last sweep found it (the staff menu shows it).
struct OutboxState {
    size_t pending = 0;    // not delivered yet: they go out by themselves
    size_t rejected = 0;   // refused by the server after the visitor left: staff must see to them
    bool available = true; // false: the kiosk runs without its outbox file
    OutboxState() = default;
    explicit OutboxState(size_t pendingCount, size_t rejectedCount = 0)
        : pending(pendingCount), rejected(rejectedCount) {}
};

class KioskBackend {
public:
    template <class T>
    using Callback = std::function<void(Result<T>)>;

    virtual ~KioskBackend() = default;
    /// Loads the services; `done` runs later on the UI thread.
    virtual void loadServices(Callback<std::vector<Service>> done) = 0;
    /// Loads the office's name, opening hours and public address; `done` runs on the UI thread.
    virtual void loadOffice(Callback<OfficeInfo> done) = 0;
    /// Issues a ticket with an idempotency key; `done` runs later on the UI thread.
    virtual void issueTicket(const std::string& service, Priority priority, const std::string& idempotencyKey,
                             Callback<Ticket> done) = 0;
    /// Tells the server the printer's state ("ok", "failed", "missing"); `done` says whether
    /// the server took it (the model reports again later when it did not).
    virtual void reportPrinter(const std::string& state, const std::string& detail, Callback<bool> done) = 0;
    /// The masked account with its meters; `done` runs on the UI thread.
    virtual void lookupAccount(const std::string& number, Callback<MeterAccount> done) = 0;
    /// Stores one meter's readings in the outbox (durably), then tries to deliver them with the
    /// key: a receipt when the server took them, `queued` when it could not be reached (the
    /// outbox delivers them later, exactly once). A refusal by the server is an Error.
    virtual void submitReading(ReadingSubmission submission, const std::string& idempotencyKey,
                               Callback<ReadingOutcome> done) = 0;
    /// Stores an appeal in the outbox (durably, kind "appeal"), then tries to deliver it with the
    /// key: a receipt when the server registered it, `queued` when it could not be reached (the
    /// outbox delivers it later, exactly once). A refusal by the server (400 with `field`, 409,
    /// 429 while the visitor waits) is an Error.
    virtual void registerAppeal(AppealSubmission submission, const std::string& idempotencyKey,
                                Callback<AppealOutcome> done) = 0;
    /// The visitor's status check by registration number or local code and the phone's last four
    /// digits; `done` runs on the UI thread. An appeal still waiting in this kiosk's outbox answers
    /// from there: status "waiting", its local code as the number, no deadline.
    virtual void checkAppeal(const std::string& numberOrCode, const std::string& phoneLast4,
                             Callback<AppealStatus> done) = 0;
    /// Delivers what waits in the outbox (a few at a time, each backing off after failures) and
    /// tidies it; `done` gets what still waits.
    virtual void deliverOutbox(Callback<OutboxState> done) = 0;
    /// The language of server messages from now on.
    virtual void setLanguage(const std::string& language) = 0;
    /// True while a call is in flight (headless rendering waits for it).
    virtual bool busy() const = 0;
};

}  // namespace talon::kiosk
