// The HTTP/JSON API and the web pages (docs/api.md), on cpp-httplib. Handlers translate
// domain Results into status codes and error bodies in the caller's language.
#pragma once

#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>

#include "talon/common/i18n.h"
#include "talon/server/announcement_store.h"
#include "talon/server/auth_store.h"
#include "talon/server/event_hub.h"
#include "talon/server/queue_store.h"

namespace talon::server {

inline constexpr size_t kMaxBodyBytes = 64 * 1024;

class HttpApi {
public:
    /// `requireLogin`: window steps need a session at that window ([auth] require_login).
    HttpApi(QueueStore& store, AnnouncementStore& announcements, AuthStore& auth, EventHub& hub,
            const Catalog& catalog, std::filesystem::path assets, bool requireLogin)
        : m_store(store),
          m_announcements(announcements),
          m_auth(auth),
          m_hub(hub),
          m_catalog(catalog),
          m_assets(std::move(assets)),
          m_requireLogin(requireLogin) {}

    /// Registers routes, static mounts, error and exception handlers on `server`.
    void install(httplib::Server& server);

private:
    void sendError(const httplib::Request& req, httplib::Response& res, int status, const Error& error) const;
    void sendDomainError(const httplib::Request& req, httplib::Response& res, const Error& error) const;
    std::string language(const httplib::Request& req) const;
    /// The request's JSON object ({} when empty); on error the 400 is already sent.
    std::optional<nlohmann::json> parseBody(const httplib::Request& req, httplib::Response& res) const;
    /// A step's JSON body and who did it ({"clerk": ...}); on error the 400 is already sent.
    struct StepInput {
        nlohmann::json body;
        Actor actor;
    };
    std::optional<StepInput> readStep(const httplib::Request& req, httplib::Response& res) const;
    /// readStep() for a step at `window`: with logins required, the session must hold that
    /// window and its login becomes the actor. On error the 401/403/400 is already sent.
    std::optional<StepInput> readWindowStep(const httplib::Request& req, httplib::Response& res, int window);
    void installLogins(httplib::Server& server);
    /// The announcement a POST or PUT body describes (types only; the store checks the rest);
    /// on error the 400 is already sent.
    std::optional<Announcement> readAnnouncement(const httplib::Request& req, httplib::Response& res) const;
    void installAnnouncements(httplib::Server& server);
    void streamEvents(const httplib::Request& req, httplib::Response& res);

    QueueStore& m_store;
    AnnouncementStore& m_announcements;
    AuthStore& m_auth;
    EventHub& m_hub;
    const Catalog& m_catalog;
    std::filesystem::path m_assets;
    bool m_requireLogin = false;
};

}  // namespace talon::server
