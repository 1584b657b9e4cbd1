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
#include "talon/server/event_hub.h"
#include "talon/server/queue_store.h"

namespace talon::server {

inline constexpr size_t kMaxBodyBytes = 64 * 1024;

class HttpApi {
public:
    HttpApi(QueueStore& store, AnnouncementStore& announcements, EventHub& hub, const Catalog& catalog,
            std::filesystem::path assets)
        : m_store(store),
          m_announcements(announcements),
          m_hub(hub),
          m_catalog(catalog),
          m_assets(std::move(assets)) {}

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
    /// The announcement a POST or PUT body describes (types only; the store checks the rest);
    /// on error the 400 is already sent.
    std::optional<Announcement> readAnnouncement(const httplib::Request& req, httplib::Response& res) const;
    void installAnnouncements(httplib::Server& server);
    void streamEvents(const httplib::Request& req, httplib::Response& res);

    QueueStore& m_store;
    AnnouncementStore& m_announcements;
    EventHub& m_hub;
    const Catalog& m_catalog;
    std::filesystem::path m_assets;
};

}  // namespace talon::server
