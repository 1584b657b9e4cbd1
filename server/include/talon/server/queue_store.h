// QueueStore: the queue's state in SQLite and every operation on it (issue, call, recall,
// start, done, no-show, return, transfer, cancel, pause). Each change is one transaction that
// also records the transition and appends its event to the event log; events are published
// to open streams only after the commit. One mutex serialises changes, so two windows calling
// at once never get the same ticket. Waiting tickets are mirrored in memory, so routing and
// wait estimates never scan the table.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "talon/common/domain.h"
#include "talon/common/result.h"
#include "talon/common/time.h"
#include "talon/server/calendar.h"
#include "talon/server/config.h"
#include "talon/server/event_hub.h"
#include "talon/server/ewt.h"

namespace talon::server {

struct IssueRequest {
    std::string service;  // letter, or the numeric id as text
    Priority priority = Priority::Normal;
    std::string idempotencyKey;
    std::optional<WallTime> appointmentAt;
};

struct IssueResult {
    Ticket ticket;  // with `ahead` and `ewtSeconds` set
    bool replayed = false;
};

/// Where a transfer sends the ticket: another service, or one specific window.
struct TransferTarget {
    std::optional<std::string> service;
    std::optional<int> window;
    std::string note;
};

/// Who did it, for the transitions log (a clerk's login once there are logins).
struct Actor {
    std::string clerk;
};

/// Which waiting tickets to list (GET /api/v1/queue).
struct QueueQuery {
    std::vector<std::string> services;  // letters (or ids); empty: every service
    std::string number;                 // only the ticket with this number ("a012" = "A012"); empty: any
    int limit = 50;                     // at most this many in `tickets`
    std::optional<int> window;          // as this window's call-next sees them: tickets transferred
                                        // to it (whatever the services), none transferred elsewhere
};

/// One waiting ticket as a clerk's console lists it.
struct WaitingTicket {
    int64_t id = 0;
    std::string number;
    std::string service;
    Priority priority = Priority::Normal;
    WallTime issuedAt{};
    std::optional<int> assignedWindow;
    int waitSeconds = 0;  // since it was issued
};

struct QueueListing {
    int total = 0;  // waiting tickets of the services asked for (whatever `number` and `limit`)
    std::vector<WaitingTicket> tickets;  // in the order call-next considers them
};

class QueueStore {
public:
    static constexpr int kMaxDevices = 200;
    /// Opens the database, applies the configured services and windows (services no longer
    /// configured are kept for history but hidden), and loads the in-memory state.
    /// `database` ":memory:" runs without a file (the simulator).
    static Result<std::unique_ptr<QueueStore>> open(const ServerConfig& config, EventHub& hub,
                                                    const Clock& clock);
    ~QueueStore();

    /// Services with waiting counts, estimated waits and availability (reason codes only;
    /// the HTTP layer words them).
    std::vector<Service> services();
    /// Errors: unknown_service (422), service_closed / service_closing (409 with when),
    /// idempotency_conflict (409), numbers_exhausted (409).
    Result<IssueResult> issueTicket(const IssueRequest& request);

    // Window operations. Common errors: unknown_window (404); illegal_transition (409) when the
    // ticket's status does not allow the step; no_current_ticket, window_busy (409).
    /// The next ticket by the routing policy among the window's services, or only among
    /// `services` of them (the ones its clerk chose; letters the window does not serve are
    /// ignored; empty: all it serves). Tickets transferred to this window are always in.
    /// Nothing waiting there: an empty optional.
    Result<std::optional<Ticket>> callNext(int window, const Actor& actor = {},
                                           const std::vector<std::string>& services = {});
    Result<Ticket> callTicket(int window, int64_t ticketId, const Actor& actor = {});
    /// Called again; past max_recalls it becomes a no-show and the window is free.
    Result<Ticket> recall(int window, const Actor& actor = {});
    Result<Ticket> start(int window, const Actor& actor = {});
    /// outcome: resolved (default), follow_up or referred; anything else is bad_outcome (400).
    Result<Ticket> finish(int window, const std::string& outcome = {}, const Actor& actor = {});
    Result<Ticket> noShow(int window, const Actor& actor = {});
    /// Back to waiting with its original issue time: it keeps its place.
    Result<Ticket> returnToQueue(int window, const Actor& actor = {});
    /// To another service or to a specific window, keeping the original issue time.
    Result<Ticket> transfer(int window, const TransferTarget& target, const Actor& actor = {});
    Result<Window> pause(int window, const std::string& reason, const Actor& actor = {});
    Result<Window> resume(int window, const Actor& actor = {});
    /// A waiting ticket leaves the queue (the visitor gave up, or staff removed it).
    Result<Ticket> cancel(int64_t ticketId, const Actor& actor = {});

    /// A ticket with its position (people ahead) and estimated wait from now when waiting.
    Result<Ticket> ticket(int64_t id);
    Result<Window> window(int number);
    std::vector<Window> windows();
    Board board();
    /// Waiting tickets, priority class first (due appointments next), then by issue time
    /// (appointments by their time); from memory, no SQL, reading only the first `limit` of
    /// each queue. Errors: unknown_service (422) for a letter that is not a service.
    Result<QueueListing> waitingTickets(const QueueQuery& query);
    /// Events with id > after from the database (for streams that fell behind memory).
    Result<std::vector<StoredEvent>> eventsAfter(int64_t after, int limit) const;

    /// The office's name, public address, opening hours (from the services' hours) and
    /// upcoming holidays.
    OfficeInfo office() const;
    /// Stores a kiosk's printer state and publishes `device.status` when it changed.
    /// Errors: too_many_devices (409) past kMaxDevices ids; storage.
    Result<DeviceStatus> reportDevice(const DeviceStatus& report);
    std::vector<DeviceStatus> devices() const;

    /// What a write step of another part of the server (AnnouncementStore) may do: write its
    /// own tables and append stream events, which reach streams once the step is durable.
    class StepWriter {
    public:
        SQLite::Database& db() { return *m_store.m_db; }
        WallTime now() const { return m_now; }
        /// Appends an event to the event log in this step; published after the commit.
        void emit(const std::string& type, std::string data);

    private:
        friend class QueueStore;
        StepWriter(QueueStore& store, WallTime now) : m_store(store), m_now(now) {}
        QueueStore& m_store;
        WallTime m_now;
        std::vector<StoredEvent> m_events;
    };
    /// Changes tables kept in this database by another part of the server, in the same group
    /// commit and event log as queue steps. Under the store's lock, `check` runs first and only
    /// reads: an error from it stores nothing. Then `write` runs as one write step (a savepoint
    /// of the shared transaction); this returns once that step is durable, and only then do
    /// its events reach streams. Errors: check's own; storage (a database exception, undone,
    /// or a failed commit: nothing stored, nothing published).
    Status writeStep(const std::function<Status(SQLite::Database&, WallTime now)>& check,
                     const std::function<void(StepWriter&)>& write);
    /// Runs `read` under the store's lock. Errors: storage (a database exception).
    Status readStep(const std::function<void(SQLite::Database&)>& read);

    /// Timed work: automatic no-shows and the business-day rollover. Call every second or so.
    void sweep();
    /// Expected service time per service now (rolling average of measured ones).
    std::map<std::string, double> serviceSeconds() const;
    const BusinessCalendar& calendar() const { return m_calendar; }
    /// A time as people read it in the office: "09:00" today, "24.11 09:00" another day.
    std::string localTimeText(WallTime t) const;

private:
    struct ServiceInfo {
        int64_t id = 0;
        std::string letter;
        LocalizedText names;
        int targetWaitMinutes = 15;
        OpeningHours hours;
        double avgServiceSeconds = 300;  // rolling mean of window time per visitor
        double varServiceSeconds = 0;    // rolling variance of the same
        bool active = true;
    };
    struct WindowInfo {
        WindowConfig config;
        std::optional<Ticket> current;
        WindowState state = WindowState::Open;
        std::string pauseReason;
    };
    using QueueKey = std::tuple<int, std::string, int>;  // assigned window (0 none), service, priority
    using QueueSet = std::set<std::pair<int64_t, int64_t>>;  // (sort time ms, id)

    QueueStore(std::unique_ptr<SQLite::Database> db, EventHub& hub, const Clock& clock, ServerConfig config,
               BusinessCalendar calendar);

    /// One step's writes: a savepoint inside the shared open transaction (begun if none).
    /// Rolled back alone unless commit() ran; commit() marks the thread's request as needing
    /// durability (see durable()).
    class WriteScope {
    public:
        explicit WriteScope(QueueStore& store);
        ~WriteScope();
        WriteScope(const WriteScope&) = delete;
        WriteScope& operator=(const WriteScope&) = delete;
        void commit();

    private:
        QueueStore& m_store;
        bool m_done = false;
    };
    /// Waits until the transaction `epoch` is committed, committing it if nobody else is.
    /// Errors: the commit failed (everything in that transaction was undone).
    Status makeDurable(uint64_t epoch);
    template <class R>
    R durable(R result);
    void flushDurable();

    Result<IssueResult> issueTicketLocked(const IssueRequest& request);
    Result<std::optional<Ticket>> callNextLocked(int window, const Actor& actor,
                                                 const std::vector<std::string>& services);
    Result<Ticket> callTicketLocked(int window, int64_t ticketId, const Actor& actor);
    Result<DeviceStatus> reportDeviceLocked(const DeviceStatus& report);
    Result<Window> pauseLocked(int window, const std::string& reason, const Actor& actor);
    Result<Window> resumeLocked(int window, const Actor& actor);
    Result<Ticket> cancelLocked(int64_t ticketId, const Actor& actor);
    std::vector<Service> servicesLocked();
    /// A service as clients see it: waiting count, estimate, longest wait (no availability).
    Service serviceView(const ServiceInfo& s);
    Board boardLocked();
    void sweepLocked();
    void applyConfig();
    void loadState();
    void prepare();
    Ticket loadTicket(int64_t id) const;
    ServiceInfo* findService(const std::string& key);
    WindowInfo* findWindow(int number);
    Error unknownWindow(int number) const;

    // Mirror of waiting tickets.
    static QueueKey keyOf(const ewt::QueuedTicket& t);
    void enqueue(const Ticket& t);
    void dequeue(int64_t id);
    std::map<std::string, int> waitingMap() const;
    /// The issue time of the service's longest-waiting ticket; none: nobody waits.
    std::optional<WallTime> oldestOf(const std::string& letter) const;
    /// {"A": ISO or null, ...}: oldestOf() every active service, as events carry it.
    nlohmann::json oldestJson() const;
    int aheadOf(int64_t id) const;
    /// aheadOf for a ticket just issued (the last of its queue), without scanning the queue.
    int aheadOfNew(const Ticket& t) const;

    // EWT.
    const ewt::Output& projection(bool force);
    ewt::Input ewtInput() const;
    void installProjection(ewt::Output out, uint64_t version, std::map<std::string, int> waitingAt);
    /// Re-projects a long queue off the lock (called by sweep()).
    void refreshProjection();
    /// The planned breaks of a window (from the config).
    const std::vector<BreakConfig>& planFor(int window) const;
    /// Serving capacity for a service: open windows' shares of their time (by weight).
    double capacity(const std::string& letter) const;
    std::optional<int> ewtForNew(const std::string& letter, bool force);
    std::map<std::string, std::optional<int>> ewtMap();

    // Writing.
    void record(int64_t ticketId, const std::string& action, std::optional<TicketStatus> from, TicketStatus to,
                std::optional<int> window, const Actor& actor, const std::string& detail, WallTime now);
    int64_t appendEvent(const std::string& type, const std::string& data, WallTime now);
    std::string eventData(const Ticket& t);
    void publish(int64_t id, const std::string& type, std::string data);
    /// Appends the ticket's event and publishes it after the commit; returns the ticket.
    Ticket announce(const std::string& type, Ticket t, WallTime now);
    /// called → no_show at `win`, recorded as `action`; frees the window.
    Ticket markNoShow(WindowInfo& win, int64_t ticketId, const std::string& action, const Actor& actor,
                      const std::string& detail, WallTime now);
    void rememberCall(const Ticket& t);
    void updateCall(const Ticket& t);
    void learnServiceTime(const Ticket& t);
    Result<Ticket> leaveWindow(int window, const std::string& action, const Actor& actor,
                               const std::function<Result<Ticket>(WindowInfo&, Ticket&, WallTime)>& change);
    Ticket markCalled(WindowInfo& win, int64_t ticketId, const Actor& actor, WallTime now, const std::string& action);
    /// Why `win` cannot call now (unknown, holding a ticket, paused), or nothing.
    std::optional<Error> cannotCall(const WindowInfo* win, int number) const;
    /// Calls waiting ticket `ticketId` at `win`: one write step, its event, the board's list.
    Ticket callAt(WindowInfo& win, int64_t ticketId, const Actor& actor, WallTime now, const std::string& action);
    void rolloverIfNeeded(WallTime now);
    void autoNoShows(WallTime now);

    mutable std::mutex m_mutex;
    // Group commit state (under m_mutex, except the atomic counter).
    bool m_txOpen = false;
    uint64_t m_txEpoch = 0;
    uint64_t m_lastEpoch = 0;
    uint64_t m_committedEpoch = 0;
    std::set<uint64_t> m_failedEpochs;
    std::vector<StoredEvent> m_pendingEvents;
    std::condition_variable m_durableCv;
    std::atomic<int> m_writersWaiting{0};
    std::unique_ptr<SQLite::Database> m_db;
    std::unique_ptr<SQLite::Database> m_checkpointDb;  // background WAL checkpoints (sweep only)
    EventHub& m_hub;
    const Clock& m_clock;
    ServerConfig m_config;
    BusinessCalendar m_calendar;
    std::string m_logId;
    std::string m_day;  // current business day
    std::vector<ServiceInfo> m_services;  // in display order, active and inactive
    std::map<int, WindowInfo> m_windows;
    std::deque<BoardCall> m_recentCalls;  // newest first

    std::map<int64_t, ewt::QueuedTicket> m_queued;  // waiting tickets by id
    std::map<QueueKey, QueueSet> m_queues;
    std::map<std::string, int> m_waitingCount;      // letter -> waiting
    std::map<std::string, QueueSet> m_byIssue;      // letter -> (issued ms, id): the longest wait first
    std::map<int64_t, std::string> m_waitingNumbers;  // id -> number ("A012")

    uint64_t m_version = 0;  // bumps on every change that can move estimates
    uint64_t m_ewtVersion = ~0ull;
    Instant m_ewtAt{};
    ewt::Output m_ewt;
    std::map<std::string, int> m_ewtWaitingAt;  // waiting counts when m_ewt was projected
    std::map<std::string, std::deque<WallTime>> m_recentArrivals;  // issue times, last 30 min

    std::unique_ptr<SQLite::Statement> m_findIdempotent, m_maxSeq, m_numberOpen, m_insertTicket, m_insertEvent,
        m_loadTicket, m_insertTransition, m_setEwt;
};

}  // namespace talon::server
