// Typed client of the Talon HTTP API (docs/api.md) over HttpClient. Server errors come back
// as Error{kind=Http, code, message (in the client's language), status}.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "talon/common/domain.h"
#include "talon/common/http_client.h"
#include "talon/common/result.h"

namespace talon {

class ApiClient {
public:
    explicit ApiClient(std::string baseUrl, std::string language = "en", HttpOptions options = {});

    void setLanguage(std::string language) { m_language = std::move(language); }
    /// A kiosk names itself (X-Talon-Kiosk) so account lookups are limited per kiosk.
    void setDeviceId(std::string id) { m_deviceId = std::move(id); }
    const std::string& baseUrl() const { return m_http.baseUrl(); }

    Status health();
    Result<std::vector<Service>> services();
    /// Issues a ticket; a non-empty idempotencyKey makes retries return the same ticket.
    Result<Ticket> issueTicket(const std::string& service, const std::string& idempotencyKey = {},
                               Priority priority = Priority::Normal);
    /// The called ticket, or nullopt when nobody waits (HTTP 204).
    Result<std::optional<Ticket>> callNext(int window);
    Result<Ticket> done(int window);
    Result<Window> window(int number);
    Result<std::vector<Window>> windows();
    Result<Board> board();
    Result<OfficeInfo> office();
    /// Tells the server this kiosk's printer state (ok, failed, missing) with the printer's error.
    Status reportDevice(const std::string& deviceId, const std::string& printer, const std::string& detail);

    /// The masked account with its meters (GET /api/v1/accounts/{number}).
    Result<MeterAccount> lookupAccount(const std::string& number);
    /// Sends one meter's readings; `body` is wire::toJson(ReadingSubmission) as text (the kiosk's
    /// outbox stores exactly that). The same key again returns the same receipt.
    Result<ReadingReceipt> submitReading(const std::string& body, const std::string& idempotencyKey);

    /// Registers an appeal; `body` is wire::toJson(AppealSubmission) as text (the kiosk's outbox
    /// stores exactly that). 201 the first time, 200 with the same receipt for the same key again.
    Result<AppealReceipt> registerAppeal(const std::string& body, const std::string& idempotencyKey);
    /// The visitor's status check: a registration number ("Ж-2026-000123") or a kiosk's local
    /// code ("K7F3-A9C2", sent as local_code=) and the phone's last four digits. Every miss is
    /// 404 appeal_status_not_found; too many misses 429 too_many_attempts.
    Result<AppealStatus> appealStatus(const std::string& numberOrCode, const std::string& phoneLast4);

private:
    HttpHeaders headers() const;
    template <class T, class Parse>
    Result<T> decode(Result<HttpResponse> res, int expectStatus, Parse&& parse);

    HttpClient m_http;
    std::string m_language;
    std::string m_deviceId;
};

/// A random 128-bit key in hex, for Idempotency-Key headers.
std::string newIdempotencyKey();

}  // namespace talon
