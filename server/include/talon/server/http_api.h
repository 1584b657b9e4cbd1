// The HTTP/JSON API and the web pages (docs/api.md), on cpp-httplib. Handlers translate
// domain Results into status codes and error bodies in the caller's language.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <filesystem>
#include <mutex>
#include <unordered_map>
#include <nlohmann/json.hpp>
#include <optional>

#include "talon/common/i18n.h"
#include "talon/server/account_directory.h"
#include "talon/server/announcement_store.h"
#include "talon/server/appeal_store.h"
#include "talon/server/auth_store.h"
#include "talon/server/event_hub.h"
#include "talon/server/lookup_limiter.h"
#include "talon/server/queue_store.h"
#include "talon/server/reading_store.h"
#include "talon/server/ticket_reports.h"

namespace talon::server {

inline constexpr size_t kMaxBodyBytes = 64 * 1024;

/// Where HttpApi finds what it serves besides the stores, and whether logins are required.
struct HttpSettings {
    std::filesystem::path assets;  // web pages, catalogs, announcement pictures
    std::filesystem::path fonts;   // DejaVuSans.ttf and DejaVuSans-Bold.ttf, served as /fonts/
    /// Window steps need a session at that window, and the clerk reads (queue, history) a
    /// session ([auth] require_login).
    bool requireLogin = true;
};

/// The two limits one kind of kiosk request is counted against ([readings] lookups_per_minute
/// and lookups_per_minute_per_address).
struct RateLimits {
    LookupLimiter& client;   // per kiosk (X-Talon-Kiosk), else per address
    LookupLimiter& address;  // per remote address, whatever the kiosk header says
};

/// Wrong pairs in the appeal status check (number or local code with the phone's last four
/// digits), counted per remote address: at most `maxMisses` in any `window`, so nobody can
/// walk through numbers and digits. Memory stays bounded as in LookupLimiter: when
/// kMaxClients addresses are being tracked, a new one is refused, never let through untracked.
class MissLimiter {
public:
    static constexpr size_t kMaxClients = 1024;
    MissLimiter(int maxMisses, std::chrono::seconds window) : m_max(maxMisses), m_window(window) {}
    /// nullopt: the address may try; else the whole seconds (at least 1) until it may again.
    std::optional<int> blocked(const std::string& address);
    /// Counts one miss by `address`.
    void miss(const std::string& address);

private:
    using Clock = std::chrono::steady_clock;
    void prune(Clock::time_point now);  // with m_mutex held
    int m_max;
    std::chrono::seconds m_window;
    std::mutex m_mutex;
    std::unordered_map<std::string, std::deque<Clock::time_point>> m_misses;
};

class HttpApi {
public:
    /// `lookups` counts account lookups, `submissions` reading submissions: the same limits,
    /// counted apart, so an outbox catching up cannot stop the next visitor's lookup.
    HttpApi(QueueStore& store, AnnouncementStore& announcements, AuthStore& auth, TicketReports& reports,
            AccountDirectory& accounts, RateLimits lookups, RateLimits submissions, ReadingStore& readings,
            AppealStore& appeals, RateLimits appealSubmissions, EventHub& hub, const Catalog& catalog,
            HttpSettings settings)
        : m_store(store),
          m_announcements(announcements),
          m_auth(auth),
          m_reports(reports),
          m_accounts(accounts),
          m_lookups(lookups),
          m_submissions(submissions),
          m_readings(readings),
          m_appeals(appeals),
          m_appealSubmissions(appealSubmissions),
          m_hub(hub),
          m_catalog(catalog),
          m_assets(std::move(settings.assets)),
          m_fonts(std::move(settings.fonts)),
          m_requireLogin(settings.requireLogin) {}

    /// Registers routes, static mounts, error and exception handlers on `server`.
    void install(httplib::Server& server);

private:
    void sendError(const httplib::Request& req, httplib::Response& res, int status, const Error& error) const;
    void sendDomainError(const httplib::Request& req, httplib::Response& res, const Error& error) const;
    std::string language(const httplib::Request& req) const;
    /// The request's JSON object ({} when empty); on error the 400 is already sent.
    std::optional<nlohmann::json> parseBody(const httplib::Request& req, httplib::Response& res) const;
    /// The submission's required Idempotency-Key; nullopt after answering 400 when it is
    /// missing or malformed.
    std::optional<std::string> submissionKey(const httplib::Request& req, httplib::Response& res) const;
    /// The X-Talon-Kiosk name as stored with a submission: cut to the limiter's length,
    /// printable ASCII only.
    static std::string kioskName(const httplib::Request& req);
    /// A step's JSON body and who did it ({"clerk": ...}); on error the 400 is already sent.
    struct StepInput {
        nlohmann::json body;
        Actor actor;
        std::vector<std::string> services;  // the services the clerk at the window chose; empty: all
    };
    std::optional<StepInput> readStep(const httplib::Request& req, httplib::Response& res) const;
    /// readStep() for a step at `window`: with logins required, the session must hold that
    /// window. A session at the window (required or not) makes its login the actor and brings
    /// its chosen services. On error the 401/403/400 is already sent.
    std::optional<StepInput> readWindowStep(const httplib::Request& req, httplib::Response& res, int window);
    /// With logins required, whether the request has a live session (else the 401 is sent);
    /// without, true.
    bool mayRead(const httplib::Request& req, httplib::Response& res);
    /// With logins required: the request's session (an administrator's when `adminOnly`) or,
    /// answered 401 / 403 admin_only, nullopt. Its login when it may go on ("" with logins off).
    std::optional<std::string> mayChange(const httplib::Request& req, httplib::Response& res, bool adminOnly);
    /// The ticket id in the path's regex group `group`; on a malformed one the 404 is sent.
    std::optional<int64_t> pathTicketId(const httplib::Request& req, httplib::Response& res, size_t group) const;
    void installLogins(httplib::Server& server);
    /// The clerk console's reads: queue, ticket history, the clerk's own figures.
    void installClerkReads(httplib::Server& server);
    void installFonts(httplib::Server& server);
    /// The announcement a POST or PUT body describes (types only; the store checks the rest);
    /// on error the 400 is already sent.
    std::optional<Announcement> readAnnouncement(const httplib::Request& req, httplib::Response& res) const;
    void installAnnouncements(httplib::Server& server);
    /// Counts the request against `limits`: the address's first and, only when that admits
    /// it, the kiosk's (a kiosk's slot is not spent on a request its address refuses). When
    /// either refuses, answers 429 too_many_lookups with Retry-After and returns false.
    /// `messageKey`: the catalog sentence of the 429 (default error.too_many_lookups).
    bool admit(RateLimits limits, const httplib::Request& req, httplib::Response& res,
               const char* messageKey = nullptr) const;
    /// Meter readings: the masked account lookup, rate-limited per kiosk and per address.
    void installAccounts(httplib::Server& server);
    /// Meter readings: submissions (POST /api/v1/readings) and the export for billing.
    void installReadings(httplib::Server& server);
    /// Appeals (issue 8): registration from a kiosk, the visitor's status check, the staff's
    /// register, steps and report.
    void installAppeals(httplib::Server& server);
    /// Staff endpoints of the appeals: with logins required, a clerk's or administrator's
    /// session (else 401 / 403 staff_only); its login is the author. Open mode: the session's
    /// login if one is sent, else the body's "clerk", else "staff". nullopt: the error is sent.
    std::optional<std::string> appealStaff(const httplib::Request& req, httplib::Response& res,
                                           const nlohmann::json* body);
    void streamEvents(const httplib::Request& req, httplib::Response& res);

    QueueStore& m_store;
    AnnouncementStore& m_announcements;
    AuthStore& m_auth;
    TicketReports& m_reports;
    AccountDirectory& m_accounts;
    RateLimits m_lookups;      // GET /api/v1/accounts/{number}
    RateLimits m_submissions;  // POST /api/v1/readings
    ReadingStore& m_readings;
    AppealStore& m_appeals;
    RateLimits m_appealSubmissions;  // POST /api/v1/appeals
    MissLimiter m_statusMisses{5, std::chrono::minutes(10)};  // GET /api/v1/appeals/status
    EventHub& m_hub;
    const Catalog& m_catalog;
    std::filesystem::path m_assets;
    std::filesystem::path m_fonts;
    bool m_requireLogin = true;
};

}  // namespace talon::server
