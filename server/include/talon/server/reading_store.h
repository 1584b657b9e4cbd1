// ReadingStore: meter readings handed in at the kiosk (POST /api/v1/readings). Checks a
// submission against the meter's register and last readings (talon::meter rules), and stores
// it with a confirmation number in one write step, or stores nothing at all.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "talon/common/meter_reading.h"
#include "talon/common/result.h"
#include "talon/common/time.h"
#include "talon/server/config.h"
#include "talon/server/queue_store.h"

namespace talon::server {

/// One submission as the kiosk sends it; the HTTP layer has checked the types.
struct ReadingRequest {
    std::string idempotencyKey;  // required: the same key again replays the first answer
    std::string account;
    int meter = 0;                      // 1-based place in the account's list (by full serial)
    std::optional<std::string> serial;  // the masked serial the kiosk showed ("…1234"): it
                                        // identifies the meter when it is unique in the account
    std::vector<std::pair<std::string, std::string>> values;  // zone → the text typed
    bool confirmed = false;                // the visitor confirmed an implausible consumption
    std::optional<WallTime> takenAt;       // when typed (an outbox delivers later); none: now
    std::optional<std::string> localCode;  // the outbox code printed on the kiosk's receipt
    std::string kiosk;                     // X-Talon-Kiosk, "" when absent
    /// Delivered by the kiosk's outbox after the visitor left: nobody can correct a value any
    /// more, so one that would be refused as implausible (below the previous one, or far above
    /// the usual without confirmation, or taken over kTakenAtMaxAge ago) is stored for review.
    /// Not part of the idempotency fingerprint: a live try and its deferred retry are one request.
    bool deferred = false;
};

/// One zone of an accepted submission, as the register shows the values.
struct AcceptedZone {
    std::string zone;
    std::string value;
    std::optional<std::string> previous;
    std::string consumption;  // "0" for a review reading below the previous one
    bool rollover = false;
    bool review = false;  // accepted from a deferred delivery although implausible: billing checks it
};

/// What an accepted submission answers (and answers again for a repeated key).
struct ReadingReceipt {
    std::string confirmation;  // "R-2026-000123"
    std::string account;
    int meter = 0;       // the meter's place in the account's list when it was accepted
    std::string serial;  // masked
    std::string period;  // YYYY-MM of takenOn
    WallTime takenAt{};
    WallTime acceptedAt{};
    bool outsideWindow = false;
    bool confirmed = false;
    std::optional<std::string> localCode;
    std::vector<AcceptedZone> readings;  // in meter::zonesOf order
};

struct SubmitResult {
    ReadingReceipt receipt;
    bool replayed = false;  // the key was used before with the same request: nothing new stored
};

/// How old taken_at may be (by the server's clock) unless the delivery is deferred; a taken_at
/// in the future (a kiosk's clock running fast) is taken as the server's now.
inline constexpr auto kTakenAtMaxAge = std::chrono::hours(31 * 24);

class ReadingStore {
public:
    ReadingStore(QueueStore& store, const Clock& clock, ReadingsConfig config)
        : m_store(store), m_clock(clock), m_config(config) {}

    /// Checks and stores one submission and updates the meter's last readings (not from a
    /// review reading lower than the stored last one). The meter is the one whose masked serial
    /// is `serial` when exactly one of the account's meters has it, else the one at `meter`
    /// (whose mask must then match). Errors (nothing stored on any): bad_request
    /// (detail.account_number, detail.reading_zones with {zones}, detail.reading_taken_at_range
    /// unless deferred); reading_format {zone, problem} (400); unknown_account, unknown_meter
    /// (404); account_closed, meter_changed, reading_already_submitted {zone, period, date},
    /// idempotency_conflict (409); reading_below_previous {zone, previous},
    /// reading_needs_confirmation {zone, consumption, usual} (422, unless deferred); storage.
    Result<SubmitResult> submit(const ReadingRequest& request);

    /// Whether `key` was used already (submit() then answers from what is stored, or with
    /// idempotency_conflict, and never looks at an account): the HTTP layer lets such a
    /// repeat past the rate limits.
    Result<bool> knownKey(const std::string& key);

    /// The rules submissions are checked by (the kiosk shows them in advance).
    meter::Rules rules() const;
    const ReadingsConfig& config() const { return m_config; }

private:
    QueueStore& m_store;
    const Clock& m_clock;
    ReadingsConfig m_config;
};

/// "12345.6" / "R-2026-000123" helpers shared with the export.
std::string confirmationNumber(int year, int64_t seq);
/// "2026-11-23T09:41:00Z" or "2026-11-23T09:41:00.000Z"; nullopt when malformed.
std::optional<WallTime> parseTakenAt(std::string_view text);
/// 1 to 16 characters of A–Z, 0–9 and '-'.
bool validLocalCode(std::string_view code);

}  // namespace talon::server
