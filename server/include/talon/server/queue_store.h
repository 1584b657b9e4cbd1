// QueueStore: the queue's state in SQLite and the operations on it (issue, call next, done).
// Every change is one transaction that also appends its event to the event log; the event
// is published to open streams only after the commit. One mutex serialises changes, so two
// windows calling at once never get the same ticket.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "talon/common/domain.h"
#include "talon/common/result.h"
#include "talon/common/time.h"
#include "talon/server/config.h"
#include "talon/server/event_hub.h"

namespace talon::server {

struct IssueRequest {
    std::string service;  // letter, or the numeric id as text
    Priority priority = Priority::Normal;
    std::string idempotencyKey;
};

struct IssueResult {
    Ticket ticket;  // with `ahead` set
    bool replayed = false;
};

/// The local calendar date (YYYY-MM-DD) of `t` in the process time zone.
std::string businessDay(WallTime t);

class QueueStore {
public:
    /// Opens the database, applies the configured services and windows (services no longer
    /// configured are kept for history but hidden), and loads the in-memory state.
    static Result<std::unique_ptr<QueueStore>> open(const ServerConfig& config, EventHub& hub,
                                                    const Clock& clock);
    ~QueueStore();

    std::vector<Service> services() const;
    /// Errors: unknown_service (422), idempotency_conflict (409).
    Result<IssueResult> issueTicket(const IssueRequest& request);
    /// The called ticket, or nullopt when nobody waits. Errors: unknown_window, window_busy.
    Result<std::optional<Ticket>> callNext(int window);
    /// Finishes the window's current ticket. Errors: unknown_window, no_current_ticket.
    Result<Ticket> finish(int window);
    Result<Window> window(int number) const;
    std::vector<Window> windows() const;
    Board board() const;
    /// Events with id > after from the database (for streams that fell behind memory).
    Result<std::vector<StoredEvent>> eventsAfter(int64_t after, int limit) const;

private:
    struct ServiceInfo {
        int64_t id = 0;
        std::string letter;
        LocalizedText names;
        int targetWaitMinutes = 15;
        bool active = true;
    };
    struct WindowInfo {
        WindowConfig config;
        std::optional<Ticket> current;
    };

    QueueStore(std::unique_ptr<SQLite::Database> db, EventHub& hub, const Clock& clock);
    void applyConfig(const ServerConfig& config);
    void loadState();
    void prepare();
    Ticket loadTicket(int64_t id) const;
    const ServiceInfo* findService(const std::string& key) const;
    int64_t appendEvent(const std::string& type, const std::string& data, WallTime now);
    std::map<std::string, int> waitingMap() const;
    Window windowView(const WindowInfo& w) const;
    void publish(int64_t id, const std::string& type, std::string data);
    void rememberCall(const Ticket& t);

    mutable std::mutex m_mutex;
    std::unique_ptr<SQLite::Database> m_db;
    EventHub& m_hub;
    const Clock& m_clock;
    std::vector<ServiceInfo> m_services;  // in display order, active and inactive
    std::map<int, WindowInfo> m_windows;
    std::map<std::string, int> m_waiting;  // letter -> waiting count
    std::deque<BoardCall> m_recentCalls;   // newest first
    std::string m_logId;

    std::unique_ptr<SQLite::Statement> m_findIdempotent, m_maxSeq, m_insertTicket, m_bestWaiting,
        m_markCalled, m_markDone, m_insertEvent, m_loadTicket;
};

}  // namespace talon::server
