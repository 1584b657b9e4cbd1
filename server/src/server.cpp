// TalonServer wiring and httplib settings (pool size, Nagle off, timeouts).
#include "talon/server/server.h"

#include <httplib.h>

#include <condition_variable>
#include <mutex>
#include <thread>
#include <spdlog/spdlog.h>

#include "talon/common/i18n.h"
#include "talon/common/paths.h"
#include "talon/server/account_directory.h"
#include "talon/server/announcement_store.h"
#include "talon/server/appeal_store.h"
#include "talon/server/auth_store.h"
#include "talon/server/event_hub.h"
#include "talon/server/http_api.h"
#include "talon/server/lookup_limiter.h"
#include "talon/server/queue_store.h"
#include "talon/server/reading_store.h"
#include "talon/server/ticket_reports.h"

namespace talon::server {

struct TalonServer::Impl {
    ServerConfig config;
    SystemClock clock;
    EventHub hub;
    Catalog catalog;
    std::unique_ptr<QueueStore> store;
    std::unique_ptr<AnnouncementStore> announcements;
    std::unique_ptr<AuthStore> auth;
    std::unique_ptr<TicketReports> reports;
    std::unique_ptr<AccountDirectory> accounts;
    std::unique_ptr<LookupLimiter> lookups;
    std::unique_ptr<LookupLimiter> addressLookups;
    std::unique_ptr<LookupLimiter> submissions;
    std::unique_ptr<LookupLimiter> addressSubmissions;
    std::unique_ptr<ReadingStore> readings;
    std::unique_ptr<AppealStore> appeals;
    std::unique_ptr<LookupLimiter> appealSubmissions;
    std::unique_ptr<LookupLimiter> addressAppealSubmissions;
    std::unique_ptr<HttpApi> api;
    httplib::Server http;
    std::thread ticker;  // automatic no-shows and the day rollover
    std::mutex tickMutex;
    std::condition_variable tickCv;
    bool stopping = false;
};

TalonServer::TalonServer(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

TalonServer::~TalonServer() { stop(); }

Result<std::unique_ptr<TalonServer>> TalonServer::create(const ServerConfig& config) {
    auto impl = std::make_unique<Impl>();
    impl->config = config;
    const auto assets = assetsDir(config.assets);
    auto catalog = Catalog::loadDir(assets / "i18n");
    if (!catalog) return catalog.error();
    impl->catalog = std::move(catalog).value();
    auto store = QueueStore::open(config, impl->hub, impl->clock);
    if (!store) return store.error();
    impl->store = std::move(store).value();
    impl->announcements = std::make_unique<AnnouncementStore>(*impl->store, impl->clock, assets / "announcements");
    impl->auth = std::make_unique<AuthStore>(*impl->store, impl->clock, config);
    auto demo = impl->auth->prepareDemoUsers();
    if (!demo) return demo.error();
    if (demo.value() > 0) {
        spdlog::warn("{} demo logins created: clerk<N> for each window N (password \"demo\") and admin (password "
                     "\"admin\"); this is the demo: for a real office start with --config FILE (demo accounts stay off "
                     "there) and create users with `talon-server user add`",
                     demo.value());
    }
    if (config.auth.requireLogin) {
        spdlog::info("window steps need a clerk logged in at that window");
    } else {
        spdlog::warn("[auth] require_login = false: anyone who reaches this server may run window steps");
    }
    impl->reports = std::make_unique<TicketReports>(*impl->store, impl->clock, config);
    impl->accounts = std::make_unique<AccountDirectory>(*impl->store, impl->clock);
    impl->lookups = std::make_unique<LookupLimiter>(impl->clock, config.readings.lookupsPerMinute);
    impl->addressLookups = std::make_unique<LookupLimiter>(impl->clock, config.readings.lookupsPerMinutePerAddress);
    impl->submissions = std::make_unique<LookupLimiter>(impl->clock, config.readings.lookupsPerMinute);
    impl->addressSubmissions =
        std::make_unique<LookupLimiter>(impl->clock, config.readings.lookupsPerMinutePerAddress);
    impl->readings = std::make_unique<ReadingStore>(*impl->store, impl->clock, config.readings);
    auto appeals = AppealStore::create(*impl->store, impl->clock, config);
    if (!appeals) return appeals.error();
    impl->appeals = std::move(appeals).value();
    // Appeals from kiosks are limited as reading submissions are, counted apart.
    impl->appealSubmissions = std::make_unique<LookupLimiter>(impl->clock, config.readings.lookupsPerMinute);
    impl->addressAppealSubmissions =
        std::make_unique<LookupLimiter>(impl->clock, config.readings.lookupsPerMinutePerAddress);
    impl->api = std::make_unique<HttpApi>(*impl->store, *impl->announcements, *impl->auth, *impl->reports,
                                          *impl->accounts, RateLimits{*impl->lookups, *impl->addressLookups},
                                          RateLimits{*impl->submissions, *impl->addressSubmissions}, *impl->readings,
                                          *impl->appeals,
                                          RateLimits{*impl->appealSubmissions, *impl->addressAppealSubmissions},
                                          impl->hub, impl->catalog,
                                          HttpSettings{assets, config.fonts, config.auth.requireLogin});

    httplib::Server& http = impl->http;
    const int threads = config.threads;
    http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
    http.set_tcp_nodelay(true);  // without it every response waits ~40 ms for delayed ACK
    http.set_keep_alive_max_count(1000);
    // An idle keep-alive connection holds its pool thread, and stop() waits for it (cpp-httplib
    // 0.11 does not wake it): 5 s bounds how long a stop takes with browsers connected.
    http.set_keep_alive_timeout(5);
    http.set_read_timeout(10, 0);
    http.set_write_timeout(10, 0);
    impl->api->install(http);
    Impl* raw = impl.get();
    impl->ticker = std::thread([raw] {
        std::unique_lock lock(raw->tickMutex);
        int ticks = 0;
        while (!raw->stopping) {
            raw->tickCv.wait_for(lock, std::chrono::seconds(1), [raw] { return raw->stopping; });
            if (raw->stopping) break;
            lock.unlock();
            raw->store->sweep();
            raw->auth->sweep();
            // Personal data of appeals closed longer than [appeals] retention_days ago: soon
            // after the start, then hourly.
            if (ticks++ % 3600 == 5) {
                auto cleared = raw->appeals->removeExpiredPersonalData();
                if (!cleared) {
                    spdlog::error("appeal retention: {}", cleared.error().message);
                } else if (cleared.value() > 0) {
                    spdlog::info("appeal retention: personal data of {} appeals removed", cleared.value());
                }
            }
            lock.lock();
        }
    });
    return std::unique_ptr<TalonServer>(new TalonServer(std::move(impl)));
}

Result<int> TalonServer::bind() {
    const auto& cfg = m_impl->config;
    int port = cfg.port;
    if (port == 0) {
        port = m_impl->http.bind_to_any_port(cfg.host);
        if (port < 0) port = 0;
    } else if (!m_impl->http.bind_to_port(cfg.host, port)) {
        port = 0;
    }
    if (port <= 0) {
        return makeError(ErrorKind::Config, "bind",
                         "cannot listen on " + cfg.host + ":" + std::to_string(cfg.port) +
                             " (is the port in use, or the address not on this machine?)");
    }
    return port;
}

bool TalonServer::listen() { return m_impl->http.listen_after_bind(); }

void TalonServer::stop() {
    {
        std::lock_guard lock(m_impl->tickMutex);
        m_impl->stopping = true;
    }
    m_impl->tickCv.notify_all();
    if (m_impl->ticker.joinable() && m_impl->ticker.get_id() != std::this_thread::get_id()) m_impl->ticker.join();
    m_impl->hub.shutdown();
    if (m_impl->http.is_running()) m_impl->http.stop();
}

}  // namespace talon::server
