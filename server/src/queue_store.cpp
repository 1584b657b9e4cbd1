// QueueStore implementation. SQLite exceptions are caught at each public method and become
// Storage errors; the in-memory state changes only after a successful commit.
#include "talon/server/queue_store.h"

#include <SQLiteCpp/Transaction.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <thread>
#include <utility>
#include <nlohmann/json.hpp>

#include "talon/common/wire.h"
#include "talon/server/database.h"
#include "talon/server/routing.h"

namespace talon::server {
namespace {

using nlohmann::json;
constexpr size_t kRecentCalls = 20;
constexpr double kServiceTimeAlpha = 0.05;  // weight of the newest measured service time (~20 visitors)
// Short queues are re-projected on every change (tens of microseconds). Longer ones only by
// sweep(), off the request path, at most every kEwtMaxAge; requests in between use the last
// projection plus the service time of the tickets issued since (see ewtForNew).
constexpr auto kEwtMaxAge = std::chrono::milliseconds(250);
constexpr auto kArrivalWindow = std::chrono::minutes(30);
// The visitor at a window who has already taken longer than average still needs a part of an
// average service that grows with how much service times vary: this × their coefficient of
// variation, kept within [0.1, 0.5] (fixed-length services: almost nothing; long tails: more).
constexpr double kRemainderPerCv = 0.7;
constexpr double kBreakGrace = 5 * 60;  // seconds after a planned break a paused window still counts
constexpr size_t kEwtAlwaysBelow = 400;

Error storageError(const std::exception& e) {
    spdlog::error("database: {}", e.what());
    return makeError(ErrorKind::Storage, "internal", e.what());
}

Error apiError(ErrorKind kind, std::string code, std::vector<std::pair<std::string, std::string>> params) {
    Error e = makeError(kind, code, code);
    e.params = std::move(params);
    return e;
}

/// A step the ticket's status does not allow, e.g. calling a done ticket.
Error illegal(const Ticket& t, const std::string& action) {
    return apiError(ErrorKind::Conflict, "illegal_transition",
                    {{"ticket", t.number}, {"status", "@status." + std::string(toString(t.status))},
                     {"action", "@action." + action}});
}

std::string formatNumber(const std::string& letter, int64_t seq) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%03d", static_cast<int>((seq - 1) % 999 + 1));
    return letter + buf;
}

void bindOpt(SQLite::Statement& q, int i, const std::optional<int64_t>& v) {
    if (v) {
        q.bind(i, *v);
    } else {
        q.bind(i);
    }
}

/// The transaction (epoch) the calling thread's last write joined; 0 when it wrote nothing.
thread_local uint64_t t_pendingEpoch = 0;

}  // namespace

// ---- group commit ----------------------------------------------------------------------------
// Writes of concurrent requests share one open transaction: each runs in a savepoint (undone
// alone if it fails), and the first request to need durability commits everything written so
// far with one fsync, while the others wait. A request answers only after its writes are
// durable, so a number shown to a visitor survives a crash; under load one fsync carries many.

QueueStore::WriteScope::WriteScope(QueueStore& store) : m_store(store) {
    if (!m_store.m_txOpen) {
        m_store.m_db->exec("BEGIN IMMEDIATE");
        m_store.m_txOpen = true;
        m_store.m_txEpoch = ++m_store.m_lastEpoch;
    }
    m_store.m_db->exec("SAVEPOINT op");
}

QueueStore::WriteScope::~WriteScope() {
    if (m_done) return;
    try {
        m_store.m_db->exec("ROLLBACK TO op");
        m_store.m_db->exec("RELEASE op");
    } catch (const std::exception& e) {
        spdlog::error("rolling back a failed step: {}", e.what());
    }
}

void QueueStore::WriteScope::commit() {
    m_store.m_db->exec("RELEASE op");
    m_done = true;
    t_pendingEpoch = m_store.m_txEpoch;
    m_store.m_durableCv.notify_all();  // a committer waiting for company may go now
}

Status QueueStore::makeDurable(uint64_t epoch) {
    std::unique_lock lock(m_mutex);
    // Let writers already on their way in join this transaction: one fsync for all of them.
    // Bounded, so a lone request never waits more than about a millisecond for company.
    const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(800);
    while (m_writersWaiting.load() > 0 && m_committedEpoch < epoch && m_txOpen &&
           std::chrono::steady_clock::now() < until) {
        m_durableCv.wait_until(lock, until);
    }
    if (m_committedEpoch < epoch && m_txOpen) {
        const uint64_t committing = m_txEpoch;
        try {
            m_db->exec("COMMIT");
            m_txOpen = false;
            m_committedEpoch = committing;
            for (auto& e : m_pendingEvents) m_hub.publish(std::move(e));
            m_pendingEvents.clear();
        } catch (const std::exception& e) {
            spdlog::error("commit failed, the batch is undone: {}", e.what());
            try {
                m_db->exec("ROLLBACK");
            } catch (...) {
            }
            m_txOpen = false;
            m_committedEpoch = committing;
            m_failedEpochs.insert(committing);
            m_pendingEvents.clear();
            try {
                loadState();  // memory follows what is really stored
            } catch (const std::exception& e2) {
                spdlog::error("reloading state: {}", e2.what());
            }
        }
        m_durableCv.notify_all();
    }
    m_durableCv.wait(lock, [&] { return m_committedEpoch >= epoch; });
    if (m_failedEpochs.count(epoch)) {
        return makeError(ErrorKind::Storage, "internal", "the database could not commit");
    }
    return okStatus();
}

template <class R>
R QueueStore::durable(R result) {
    const uint64_t epoch = std::exchange(t_pendingEpoch, 0);
    if (epoch == 0) return result;
    if (Status st = makeDurable(epoch); !st) return st.error();
    return result;
}

void QueueStore::flushDurable() {
    const uint64_t epoch = std::exchange(t_pendingEpoch, 0);
    if (epoch != 0) (void)makeDurable(epoch);
}

QueueStore::QueueStore(std::unique_ptr<SQLite::Database> db, EventHub& hub, const Clock& clock, ServerConfig config,
                       BusinessCalendar calendar)
    : m_db(std::move(db)), m_hub(hub), m_clock(clock), m_config(std::move(config)), m_calendar(std::move(calendar)) {}

QueueStore::~QueueStore() = default;

Result<std::unique_ptr<QueueStore>> QueueStore::open(const ServerConfig& config, EventHub& hub, const Clock& clock) {
    auto calendar = BusinessCalendar::create(config.day);
    if (!calendar) return calendar.error();
    auto db = openDatabase(config.database);
    if (!db) return db.error();
    std::unique_ptr<QueueStore> store(
        new QueueStore(std::move(db).value(), hub, clock, config, std::move(calendar).value()));
    try {
        // Checkpoints move the WAL into the database file and fsync it: left to SQLite they
        // run inside whichever commit crosses 1000 pages, and that request waits for them.
        // Here a second connection does them in the background sweep (PASSIVE: never blocks
        // a writer); requests only ever append to the WAL.
        if (config.database != ":memory:") {
            store->m_db->exec("PRAGMA wal_autocheckpoint=0");
            store->m_checkpointDb = std::make_unique<SQLite::Database>(config.database, SQLite::OPEN_READWRITE);
            store->m_checkpointDb->setBusyTimeout(0);
        }
        store->applyConfig();
        store->prepare();
        store->loadState();
        {
            std::lock_guard lock(store->m_mutex);
            store->rolloverIfNeeded(clock.wallNow());
        }
        store->flushDurable();
    } catch (const std::exception& e) {
        return makeError(ErrorKind::Storage, "db_init",
                         "cannot prepare the database " + config.database + ": " + e.what());
    }
    return store;
}

void QueueStore::applyConfig() {
    SQLite::Transaction tx(*m_db, SQLite::TransactionBehavior::IMMEDIATE);  // at open, alone
    m_db->exec("UPDATE services SET active = 0");
    SQLite::Statement upsert(*m_db,
                             "INSERT INTO services(letter, names, position, target_wait_minutes, active) "
                             "VALUES (?, ?, ?, ?, 1) ON CONFLICT(letter) DO UPDATE SET "
                             "names = excluded.names, position = excluded.position, "
                             "target_wait_minutes = excluded.target_wait_minutes, active = 1");
    int position = 0;
    for (const auto& s : m_config.services) {
        upsert.bind(1, s.letter);
        upsert.bind(2, json(s.names).dump());
        upsert.bind(3, position++);
        upsert.bind(4, s.targetWaitMinutes);
        upsert.exec();
        upsert.reset();
    }
    m_db->exec("DELETE FROM window_services");
    m_db->exec("UPDATE windows SET active = 0");
    SQLite::Statement win(*m_db,
                          "INSERT INTO windows(number, name, active) VALUES (?, ?, 1) "
                          "ON CONFLICT(number) DO UPDATE SET name = excluded.name, active = 1");
    SQLite::Statement link(*m_db,
                           "INSERT INTO window_services(window, service_id, weight) "
                           "SELECT ?, id, ? FROM services WHERE letter = ?");
    for (const auto& w : m_config.windows) {
        win.bind(1, w.number);
        win.bind(2, w.name.empty() ? "Окно " + std::to_string(w.number) : w.name);
        win.exec();
        win.reset();
        for (const auto& ws : w.services) {
            link.bind(1, w.number);
            link.bind(2, ws.weight);
            link.bind(3, ws.service);
            link.exec();
            link.reset();
        }
    }
    tx.commit();
}

void QueueStore::prepare() {
    m_findIdempotent = std::make_unique<SQLite::Statement>(
        *m_db, "SELECT id, origin_service_id FROM tickets WHERE idempotency_key = ?");
    m_maxSeq = std::make_unique<SQLite::Statement>(
        *m_db, "SELECT COALESCE(MAX(seq), 0) FROM tickets WHERE origin_service_id = ? AND day = ?");
    m_numberOpen = std::make_unique<SQLite::Statement>(
        *m_db, "SELECT 1 FROM tickets WHERE origin_service_id = ? AND number = ? "
               "AND status IN ('waiting', 'called', 'serving') LIMIT 1");
    m_insertTicket = std::make_unique<SQLite::Statement>(
        *m_db,
        "INSERT INTO tickets(service_id, origin_service_id, day, seq, number, status, priority, issued_at, "
        "idempotency_key, appointment_at) VALUES (?1, ?1, ?2, ?3, ?4, 'waiting', ?5, ?6, ?7, ?8)");
    m_insertEvent = std::make_unique<SQLite::Statement>(
        *m_db, "INSERT INTO events(type, data, created_at) VALUES (?, ?, ?)");
    m_loadTicket = std::make_unique<SQLite::Statement>(
        *m_db,
        "SELECT t.id, t.number, s.letter, t.status, t.priority, t.issued_at, t.called_at, t.finished_at, "
        "t.window, t.started_at, t.recalls, t.outcome, t.assigned_window, t.appointment_at, t.ewt_seconds "
        "FROM tickets t JOIN services s ON s.id = t.service_id WHERE t.id = ?");
    m_setEwt = std::make_unique<SQLite::Statement>(*m_db, "UPDATE tickets SET ewt_seconds = ? WHERE id = ?");
    m_insertTransition = std::make_unique<SQLite::Statement>(
        *m_db,
        "INSERT INTO ticket_transitions(ticket_id, at, action, from_status, to_status, window, clerk, detail) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
}

void QueueStore::loadState() {
    m_services.clear();
    SQLite::Statement svc(*m_db,
                          "SELECT id, letter, names, target_wait_minutes, active FROM services "
                          "ORDER BY active DESC, position, letter");
    while (svc.executeStep()) {
        ServiceInfo s;
        s.id = svc.getColumn(0).getInt64();
        s.letter = svc.getColumn(1).getString();
        s.names = json::parse(svc.getColumn(2).getString()).get<LocalizedText>();
        s.targetWaitMinutes = svc.getColumn(3).getInt();
        s.active = svc.getColumn(4).getInt() != 0;
        for (const auto& c : m_config.services) {
            if (c.letter == s.letter) {
                s.hours = c.hours;
                s.avgServiceSeconds = c.serviceMinutes * 60;
            }
        }
        m_services.push_back(std::move(s));
    }
    // Seed the rolling service times from the most recent measured services.
    SQLite::Statement recent(*m_db,
                             "SELECT finished_at - COALESCE(called_at, started_at) FROM tickets "
                             "WHERE service_id = ? AND status = 'done' AND finished_at IS NOT NULL "
                             "ORDER BY finished_at DESC LIMIT 20");
    for (auto& s : m_services) {
        recent.bind(1, s.id);
        std::vector<double> durations;
        while (recent.executeStep()) durations.push_back(recent.getColumn(0).getInt64() / 1000.0);
        recent.reset();
        for (auto it = durations.rbegin(); it != durations.rend(); ++it) {
            const double diff = std::max(1.0, *it) - s.avgServiceSeconds;
            s.avgServiceSeconds += kServiceTimeAlpha * diff;
            s.varServiceSeconds += kServiceTimeAlpha * (diff * diff - s.varServiceSeconds);
        }
    }

    m_windows.clear();
    SQLite::Statement win(*m_db,
                          "SELECT number, name, state, pause_reason FROM windows WHERE active = 1 ORDER BY number");
    while (win.executeStep()) {
        WindowInfo w;
        w.config.number = win.getColumn(0).getInt();
        w.config.name = win.getColumn(1).getString();
        w.state = win.getColumn(2).getString() == "paused" ? WindowState::Paused : WindowState::Open;
        w.pauseReason = win.getColumn(3).isNull() ? std::string{} : win.getColumn(3).getString();
        m_windows[w.config.number] = std::move(w);
    }
    SQLite::Statement links(*m_db,
                            "SELECT ws.window, s.letter, ws.weight FROM window_services ws "
                            "JOIN services s ON s.id = ws.service_id ORDER BY ws.window, s.position");
    while (links.executeStep()) {
        auto it = m_windows.find(links.getColumn(0).getInt());
        if (it != m_windows.end()) {
            it->second.config.services.push_back({links.getColumn(1).getString(), links.getColumn(2).getDouble()});
        }
    }
    SQLite::Statement current(*m_db, "SELECT id, window FROM tickets WHERE status IN ('called', 'serving')");
    while (current.executeStep()) {
        const int64_t id = current.getColumn(0).getInt64();
        auto it = m_windows.find(current.getColumn(1).getInt());
        if (it != m_windows.end()) it->second.current = loadTicket(id);
    }

    m_queued.clear();
    m_queues.clear();
    m_byIssue.clear();
    m_waitingNumbers.clear();
    m_waitingCount.clear();
    for (const auto& s : m_services) m_waitingCount[s.letter] = 0;
    SQLite::Statement waiting(*m_db, "SELECT id FROM tickets WHERE status = 'waiting'");
    std::vector<int64_t> ids;
    while (waiting.executeStep()) ids.push_back(waiting.getColumn(0).getInt64());
    for (int64_t id : ids) enqueue(loadTicket(id));

    m_day = m_db->execAndGet("SELECT COALESCE((SELECT value FROM meta WHERE key = 'day'), '')").getString();
    m_recentCalls.clear();
    SQLite::Statement calls(*m_db,
                            "SELECT id, COALESCE(last_called_at, called_at) FROM tickets WHERE day = ? AND "
                            "called_at IS NOT NULL ORDER BY COALESCE(last_called_at, called_at) DESC, id DESC LIMIT ?");
    calls.bind(1, m_calendar.dayKey(m_clock.wallNow()));
    calls.bind(2, static_cast<int>(kRecentCalls));
    std::vector<std::pair<int64_t, int64_t>> called;
    while (calls.executeStep()) called.emplace_back(calls.getColumn(0).getInt64(), calls.getColumn(1).getInt64());
    for (const auto& [id, lastCalled] : called) {
        Ticket t = loadTicket(id);
        // The time of the latest call or recall, as the live events carried it: boards key
        // what they have spoken by it.
        if (t.window) m_recentCalls.push_back({t.id, t.number, t.service, *t.window, fromMillis(lastCalled), t.status, t.recalls});
    }
    m_hub.setLastId(m_db->execAndGet("SELECT COALESCE(MAX(id), 0) FROM events").getInt64());
    m_logId = m_db->execAndGet("SELECT value FROM meta WHERE key = 'log_id'").getString();
    ++m_version;
}

Ticket QueueStore::loadTicket(int64_t id) const {
    SQLite::Statement& q = *m_loadTicket;
    q.reset();
    q.bind(1, id);
    if (!q.executeStep()) throw std::runtime_error("ticket " + std::to_string(id) + " vanished");
    Ticket t;
    t.id = q.getColumn(0).getInt64();
    t.number = q.getColumn(1).getString();
    t.service = q.getColumn(2).getString();
    t.status = ticketStatusFromString(q.getColumn(3).getString()).value_or(TicketStatus::Waiting);
    t.priority = priorityFromString(q.getColumn(4).getString()).value_or(Priority::Normal);
    t.issuedAt = fromMillis(q.getColumn(5).getInt64());
    if (!q.getColumn(6).isNull()) t.calledAt = fromMillis(q.getColumn(6).getInt64());
    if (!q.getColumn(7).isNull()) t.finishedAt = fromMillis(q.getColumn(7).getInt64());
    if (!q.getColumn(8).isNull()) t.window = q.getColumn(8).getInt();
    if (!q.getColumn(9).isNull()) t.startedAt = fromMillis(q.getColumn(9).getInt64());
    t.recalls = q.getColumn(10).getInt();
    if (!q.getColumn(11).isNull()) t.outcome = q.getColumn(11).getString();
    if (!q.getColumn(12).isNull()) t.assignedWindow = q.getColumn(12).getInt();
    if (!q.getColumn(13).isNull()) t.appointmentAt = fromMillis(q.getColumn(13).getInt64());
    if (!q.getColumn(14).isNull()) t.ewtSeconds = q.getColumn(14).getInt();
    q.reset();
    return t;
}

QueueStore::ServiceInfo* QueueStore::findService(const std::string& key) {
    for (auto& s : m_services) {
        if (s.active && (s.letter == key || std::to_string(s.id) == key)) return &s;
    }
    return nullptr;
}

QueueStore::WindowInfo* QueueStore::findWindow(int number) {
    auto it = m_windows.find(number);
    return it == m_windows.end() ? nullptr : &it->second;
}

Error QueueStore::unknownWindow(int number) const {
    return apiError(ErrorKind::NotFound, "unknown_window", {{"window", std::to_string(number)}});
}

// ---- the waiting mirror ----------------------------------------------------------------

QueueStore::QueueKey QueueStore::keyOf(const ewt::QueuedTicket& t) {
    return {t.assignedWindow.value_or(0), t.assignedWindow ? std::string{} : t.service, static_cast<int>(t.priority)};
}

void QueueStore::enqueue(const Ticket& t) {
    ewt::QueuedTicket q{t.id, t.service, t.priority, t.issuedAt, t.appointmentAt, t.assignedWindow};
    const int64_t sortKey = toMillis(t.appointmentAt.value_or(t.issuedAt));
    m_queues[keyOf(q)].insert({sortKey, t.id});
    m_byIssue[t.service].insert({toMillis(t.issuedAt), t.id});
    m_waitingNumbers[t.id] = t.number;
    m_queued[t.id] = std::move(q);
    m_waitingCount[t.service] += 1;
    ++m_version;
}

void QueueStore::dequeue(int64_t id) {
    auto it = m_queued.find(id);
    if (it == m_queued.end()) return;
    const auto& q = it->second;
    const int64_t sortKey = toMillis(q.appointmentAt.value_or(q.issuedAt));
    auto set = m_queues.find(keyOf(q));
    if (set != m_queues.end()) {
        set->second.erase({sortKey, id});
        if (set->second.empty()) m_queues.erase(set);
    }
    if (auto byIssue = m_byIssue.find(q.service); byIssue != m_byIssue.end()) {
        byIssue->second.erase({toMillis(q.issuedAt), id});
        if (byIssue->second.empty()) m_byIssue.erase(byIssue);
    }
    m_waitingNumbers.erase(id);
    m_waitingCount[q.service] -= 1;
    m_queued.erase(it);
    ++m_version;
}

std::map<std::string, int> QueueStore::waitingMap() const {
    std::map<std::string, int> out;
    for (const auto& s : m_services) {
        if (s.active) {
            auto it = m_waitingCount.find(s.letter);
            out[s.letter] = it == m_waitingCount.end() ? 0 : it->second;
        }
    }
    return out;
}

std::optional<WallTime> QueueStore::oldestOf(const std::string& letter) const {
    auto it = m_byIssue.find(letter);
    if (it == m_byIssue.end()) return std::nullopt;
    return fromMillis(it->second.begin()->first);
}

json QueueStore::oldestJson() const {
    json out = json::object();
    for (const auto& s : m_services) {
        if (!s.active) continue;
        const auto at = oldestOf(s.letter);
        out[s.letter] = at ? json(formatIso(*at)) : json(nullptr);
    }
    return out;
}

int QueueStore::aheadOf(int64_t id) const {
    auto it = m_queued.find(id);
    if (it == m_queued.end()) return 0;
    const auto& me = it->second;
    const WallTime now = m_clock.wallNow();
    const routing::Candidate mine{me.id, me.service, me.priority, me.issuedAt, false, me.appointmentAt};
    const int myRank = routing::classRank(mine, now);
    int ahead = 0;
    for (const auto& [otherId, o] : m_queued) {
        if (otherId == id || o.service != me.service || o.assignedWindow != me.assignedWindow) continue;
        const routing::Candidate c{o.id, o.service, o.priority, o.issuedAt, false, o.appointmentAt};
        const int rank = routing::classRank(c, now);
        if (rank < myRank || (rank == myRank && std::make_pair(o.issuedAt, o.id) < std::make_pair(me.issuedAt, me.id))) {
            ++ahead;
        }
    }
    return ahead;
}

int QueueStore::aheadOfNew(const Ticket& t) const {
    // The newest ticket is last of its own queue: everyone there is ahead, and so is every
    // ticket of the same service in a better class (due appointments checked one by one).
    const WallTime now = m_clock.wallNow();
    const routing::Candidate mine{t.id, t.service, t.priority, t.issuedAt, false, t.appointmentAt};
    const int myRank = routing::classRank(mine, now);
    int ahead = 0;
    for (int p = 0; p < 3; ++p) {
        auto it = m_queues.find({0, t.service, p});
        if (it == m_queues.end()) continue;
        if (static_cast<Priority>(p) == t.priority) {
            ahead += static_cast<int>(it->second.size()) - 1;
        } else if (static_cast<Priority>(p) == Priority::Appointment) {
            for (const auto& [key, id] : it->second) {
                const auto& q = m_queued.at(id);
                const routing::Candidate c{q.id, q.service, q.priority, q.issuedAt, false, q.appointmentAt};
                if (routing::classRank(c, now) <= myRank) ++ahead;  // equal rank: issued earlier
            }
        } else {
            const int rank = p == static_cast<int>(Priority::Priority) ? 0 : 2;
            if (rank < myRank) ahead += static_cast<int>(it->second.size());
        }
    }
    return ahead;
}

// ---- estimates ---------------------------------------------------------------------------

std::map<std::string, double> QueueStore::serviceSeconds() const {
    std::map<std::string, double> out;
    for (const auto& s : m_services) out[s.letter] = s.avgServiceSeconds;
    return out;
}

ewt::Input QueueStore::ewtInput() const {
    ewt::Input in;
    in.now = m_clock.wallNow();
    in.serviceSeconds = serviceSeconds();
    // Seconds since local midnight (zone offsets are whole minutes: the seconds are UTC's).
    const BusinessCalendar::Local local = m_calendar.local(in.now);
    const double nowSeconds = local.minute * 60.0 + static_cast<double>(toMillis(in.now) % 60000) / 1000.0;
    for (const auto& [n, w] : m_windows) {
        // Planned breaks still ahead today, as seconds from now.
        std::vector<std::pair<double, double>> breaks;
        std::optional<double> pausedUntil;
        for (const auto& b : planFor(n)) {
            const double from = b.startMinute * 60.0 - nowSeconds, to = b.endMinute * 60.0 - nowSeconds;
            if (to <= 0) {
                // A break that just ended: its clerk is on the way back.
                if (to > -kBreakGrace && w.state != WindowState::Open) pausedUntil = 0.0;
                continue;
            }
            breaks.push_back({std::max(0.0, from), to});
            if (from <= 0) pausedUntil = to;  // in this break right now
        }
        // A paused window counts only when its pause is a planned break with a known end.
        if (w.state != WindowState::Open && !pausedUntil) continue;
        ewt::OpenWindow ow;
        ow.number = n;
        ow.breaks = std::move(breaks);
        for (const auto& ws : w.config.services) {
            for (const auto& s : m_services) {
                if (s.letter == ws.service) ow.policies[s.letter] = {ws.weight, s.targetWaitMinutes * 60};
            }
        }
        if (w.current) {
            // The visitor at the window still needs the rest of an average service, and at
            // least a share of one that grows with how much this service's times vary.
            const double avg = in.serviceSeconds.at(w.current->service);
            double cv = 0;
            for (const auto& s : m_services) {
                if (s.letter == w.current->service && avg > 0) cv = std::sqrt(s.varServiceSeconds) / avg;
            }
            const double floorShare = std::clamp(kRemainderPerCv * cv, 0.1, 0.5);
            const WallTime since = w.current->calledAt.value_or(in.now);
            const double elapsed = std::chrono::duration<double>(in.now - since).count();
            ow.busySeconds = std::max(avg * floorShare, avg - elapsed);
        }
        if (w.state != WindowState::Open && pausedUntil) ow.busySeconds = std::max(ow.busySeconds, *pausedUntil);
        in.windows.push_back(std::move(ow));
    }
    in.waiting.reserve(m_queued.size());
    for (const auto& [id, q] : m_queued) in.waiting.push_back(q);
    // Arrival rate per service over the last half hour (what the kiosks see now).
    for (const auto& [letter, times] : m_recentArrivals) {
        int n = 0;
        for (const WallTime& t : times) n += in.now - t <= kArrivalWindow ? 1 : 0;
        if (n > 0) in.arrivalsPerSecond[letter] = n / std::chrono::duration<double>(kArrivalWindow).count();
    }
    for (const auto& s : m_services) {
        if (s.active) in.newTicketServices.push_back(s.letter);
    }
    return in;
}

void QueueStore::installProjection(ewt::Output out, uint64_t version, std::map<std::string, int> waitingAt) {
    m_ewt = std::move(out);
    m_ewtVersion = version;
    m_ewtAt = m_clock.now();
    m_ewtWaitingAt = std::move(waitingAt);
}

const ewt::Output& QueueStore::projection(bool force) {
    if (m_ewtVersion != m_version && (force || m_queued.size() < kEwtAlwaysBelow)) {
        installProjection(ewt::project(ewtInput()), m_version, m_waitingCount);
    }
    return m_ewt;
}

void QueueStore::refreshProjection() {
    // A long queue's projection takes milliseconds: copy its input under the lock, compute
    // without it, and install the result unless a newer one arrived meanwhile.
    ewt::Input in;
    uint64_t version = 0;
    std::map<std::string, int> waitingAt;
    {
        std::lock_guard lock(m_mutex);
        if (m_ewtVersion == m_version || m_clock.now() - m_ewtAt < kEwtMaxAge) return;
        in = ewtInput();
        version = m_version;
        waitingAt = m_waitingCount;
    }
    ewt::Output out = ewt::project(in);
    std::lock_guard lock(m_mutex);
    if (m_ewtVersion == m_version || version <= m_ewtVersion) return;
    installProjection(std::move(out), version, std::move(waitingAt));
}

const std::vector<BreakConfig>& QueueStore::planFor(int window) const {
    static const std::vector<BreakConfig> kNone;
    for (const auto& w : m_config.windows) {
        if (w.number == window) return w.breaks;
    }
    return kNone;
}

double QueueStore::capacity(const std::string& letter) const {
    double share = 0;
    for (const auto& [n, w] : m_windows) {
        if (w.state != WindowState::Open) continue;
        double total = 0, mine = 0;
        for (const auto& ws : w.config.services) {
            total += ws.weight;
            if (ws.service == letter) mine = ws.weight;
        }
        if (total > 0) share += mine / total;
    }
    return share;
}

std::optional<int> QueueStore::ewtForNew(const std::string& letter, bool force) {
    const auto& p = projection(force);
    auto it = p.newTicketSeconds.find(letter);
    if (it == p.newTicketSeconds.end()) return std::nullopt;
    double secs = it->second;
    if (m_ewtVersion != m_version) {
        // A long queue is re-projected at most every kEwtMaxAge; meanwhile each ticket issued
        // since adds its share of service time.
        const int added = m_waitingCount[letter] - m_ewtWaitingAt[letter];
        const double cap = capacity(letter);
        if (added > 0 && cap > 0) {
            for (const auto& s : m_services) {
                if (s.letter == letter) secs += added * s.avgServiceSeconds / cap;
            }
        }
    }
    return static_cast<int>(std::lround(secs));
}

std::map<std::string, std::optional<int>> QueueStore::ewtMap() {
    std::map<std::string, std::optional<int>> out;
    for (const auto& s : m_services) {
        if (s.active) out[s.letter] = ewtForNew(s.letter, false);
    }
    return out;
}

// ---- writing helpers -----------------------------------------------------------------------

void QueueStore::record(int64_t ticketId, const std::string& action, std::optional<TicketStatus> from, TicketStatus to,
                        std::optional<int> window, const Actor& actor, const std::string& detail, WallTime now) {
    SQLite::Statement& q = *m_insertTransition;
    q.reset();
    q.bind(1, ticketId);
    q.bind(2, toMillis(now));
    q.bind(3, action);
    if (from) {
        q.bind(4, std::string(toString(*from)));
    } else {
        q.bind(4);
    }
    q.bind(5, std::string(toString(to)));
    bindOpt(q, 6, window ? std::optional<int64_t>(*window) : std::nullopt);
    if (actor.clerk.empty()) {
        q.bind(7);
    } else {
        q.bind(7, actor.clerk);
    }
    if (detail.empty()) {
        q.bind(8);
    } else {
        q.bind(8, detail);
    }
    q.exec();
    q.reset();
}

int64_t QueueStore::appendEvent(const std::string& type, const std::string& data, WallTime now) {
    SQLite::Statement& q = *m_insertEvent;
    q.reset();
    q.bind(1, type);
    q.bind(2, data);
    q.bind(3, toMillis(now));
    q.exec();
    q.reset();
    return m_db->getLastInsertRowid();
}

std::string QueueStore::eventData(const Ticket& t) {
    json data = wire::eventData(t, waitingMap());
    json ewt = json::object();
    for (const auto& [letter, secs] : ewtMap()) ewt[letter] = secs ? json(*secs) : json(nullptr);
    data["ewt"] = ewt;
    data["oldest"] = oldestJson();
    return data.dump();
}

Ticket QueueStore::announce(const std::string& type, Ticket t, WallTime now) {
    std::string data = eventData(t);
    const int64_t id = appendEvent(type, data, now);
    publish(id, type, std::move(data));
    return t;
}

Ticket QueueStore::markNoShow(WindowInfo& win, int64_t ticketId, const std::string& action, const Actor& actor,
                              const std::string& detail, WallTime now) {
    SQLite::Statement upd(*m_db, "UPDATE tickets SET status = 'no_show', finished_at = ? WHERE id = ?");
    upd.bind(1, toMillis(now));
    upd.bind(2, ticketId);
    upd.exec();
    record(ticketId, action, TicketStatus::Called, TicketStatus::NoShow, win.config.number, actor, detail, now);
    Ticket t = loadTicket(ticketId);
    win.current.reset();
    updateCall(t);
    ++m_version;
    return announce("ticket.no_show", std::move(t), now);
}

void QueueStore::publish(int64_t id, const std::string& type, std::string data) {
    // Streams see an event only once its transaction is durable (makeDurable publishes).
    m_pendingEvents.push_back(StoredEvent{id, type, std::move(data)});
}

void QueueStore::rememberCall(const Ticket& t) {
    std::erase_if(m_recentCalls, [&](const BoardCall& c) { return c.ticketId == t.id; });
    m_recentCalls.push_front({t.id, t.number, t.service, t.window.value_or(0), *t.calledAt, t.status, t.recalls});
    while (m_recentCalls.size() > kRecentCalls) m_recentCalls.pop_back();
}

void QueueStore::updateCall(const Ticket& t) {
    for (auto& c : m_recentCalls) {
        if (c.ticketId == t.id) c.status = t.status;
    }
}

void QueueStore::learnServiceTime(const Ticket& t) {
    // What limits the queue is how long a window is taken per visitor: from the call (the
    // walk to the window included) to done, not only the conversation.
    if (!t.finishedAt) return;
    const WallTime from = t.calledAt.value_or(t.startedAt.value_or(*t.finishedAt));
    const double secs = std::max(1.0, std::chrono::duration<double>(*t.finishedAt - from).count());
    for (auto& s : m_services) {
        if (s.letter != t.service) continue;
        const double diff = secs - s.avgServiceSeconds;
        s.avgServiceSeconds += kServiceTimeAlpha * diff;
        s.varServiceSeconds += kServiceTimeAlpha * (diff * diff - s.varServiceSeconds);
    }
    ++m_version;
}

// ---- issuing -------------------------------------------------------------------------------

Service QueueStore::serviceView(const ServiceInfo& s) {
    Service svc;
    svc.id = s.id;
    svc.letter = s.letter;
    svc.names = s.names;
    svc.waiting = m_waitingCount[s.letter];
    svc.ewtSeconds = ewtForNew(s.letter, false);
    svc.oldestIssuedAt = oldestOf(s.letter);
    return svc;
}

std::vector<Service> QueueStore::servicesLocked() {
    std::lock_guard lock(m_mutex);
    const WallTime now = m_clock.wallNow();
    rolloverIfNeeded(now);
    std::vector<Service> out;
    for (const auto& s : m_services) {
        if (!s.active) continue;
        Service svc = serviceView(s);
        svc.availability = m_calendar.availability(s.hours, now);
        if (svc.availability.open && svc.availability.closesAt && svc.ewtSeconds &&
            now + std::chrono::seconds(*svc.ewtSeconds) > *svc.availability.closesAt) {
            svc.availability.open = false;
            svc.availability.reason = "closing";
        }
        out.push_back(std::move(svc));
    }
    return out;
}

Result<IssueResult> QueueStore::issueTicketLocked(const IssueRequest& request) {
    std::lock_guard lock(m_mutex);
    const WallTime now = m_clock.wallNow();
    rolloverIfNeeded(now);
    ServiceInfo* service = findService(request.service);
    if (!service) return apiError(ErrorKind::NotFound, "unknown_service", {{"service", request.service}});
    try {
        if (!request.idempotencyKey.empty()) {
            SQLite::Statement& q = *m_findIdempotent;
            q.reset();
            q.bind(1, request.idempotencyKey);
            if (q.executeStep()) {
                const int64_t id = q.getColumn(0).getInt64();
                const int64_t serviceId = q.getColumn(1).getInt64();
                q.reset();
                if (serviceId != service->id) return apiError(ErrorKind::Conflict, "idempotency_conflict", {});
                // (A retried touch after its ticket was transferred still finds it: origin matches.)
                Ticket t = loadTicket(id);
                t.ahead = t.status == TicketStatus::Waiting ? aheadOf(t.id) : 0;
                return IssueResult{std::move(t), true};
            }
            q.reset();
        }

        // Open now, and can the queue still be served before closing?
        const ServiceAvailability hours = m_calendar.availability(service->hours, now);
        if (!hours.open) {
            return apiError(ErrorKind::Conflict, hours.reason == "holiday" ? "service_holiday" : "service_closed",
                            {{"service", service->letter},
                             {"opens", hours.opensAt ? formatIso(*hours.opensAt) : std::string{}}});
        }
        const std::optional<int> ewtNow = ewtForNew(service->letter, false);
        if (hours.closesAt && ewtNow && now + std::chrono::seconds(*ewtNow) > *hours.closesAt) {
            return apiError(ErrorKind::Conflict, "service_closing",
                            {{"service", service->letter}, {"closes", formatIso(*hours.closesAt)}});
        }

        const std::string day = m_calendar.dayKey(now);
        WriteScope tx(*this);
        SQLite::Statement& seqQ = *m_maxSeq;
        seqQ.reset();
        seqQ.bind(1, service->id);
        seqQ.bind(2, day);
        seqQ.executeStep();
        int64_t seq = seqQ.getColumn(0).getInt64() + 1;
        seqQ.reset();
        // After 999 the numbers wrap; skip any number a ticket still holds (one carried over
        // from yesterday, or one still waiting from this morning's first round).
        std::string number;
        for (int tries = 0;; ++tries, ++seq) {
            if (tries == 999) return apiError(ErrorKind::Conflict, "numbers_exhausted", {{"service", service->letter}});
            number = formatNumber(service->letter, seq);
            SQLite::Statement& open = *m_numberOpen;
            open.reset();
            open.bind(1, service->id);
            open.bind(2, number);
            const bool taken = open.executeStep();
            open.reset();
            if (!taken) break;
        }

        Ticket t;
        t.number = number;
        t.service = service->letter;
        t.status = TicketStatus::Waiting;
        t.priority = request.priority;
        t.issuedAt = now;
        t.appointmentAt = request.appointmentAt;
        SQLite::Statement& ins = *m_insertTicket;
        ins.reset();
        ins.bind(1, service->id);
        ins.bind(2, day);
        ins.bind(3, seq);
        ins.bind(4, t.number);
        ins.bind(5, std::string(toString(t.priority)));
        ins.bind(6, toMillis(now));
        if (request.idempotencyKey.empty()) {
            ins.bind(7);
        } else {
            ins.bind(7, request.idempotencyKey);
        }
        bindOpt(ins, 8, t.appointmentAt ? std::optional<int64_t>(toMillis(*t.appointmentAt)) : std::nullopt);
        ins.exec();
        ins.reset();
        t.id = m_db->getLastInsertRowid();
        record(t.id, "issue", std::nullopt, TicketStatus::Waiting, std::nullopt, {}, {}, now);
        auto& arrivals = m_recentArrivals[t.service];
        arrivals.push_back(now);
        while (!arrivals.empty() && now - arrivals.front() > kArrivalWindow) arrivals.pop_front();

        // The estimate shown to the visitor is stored with the ticket, to measure it later.
        // Exact (a fresh projection) for any normal queue; for a very long one, the estimate
        // for a new ticket made just before it joined.
        enqueue(t);
        if (m_queued.size() < kEwtAlwaysBelow) {
            const auto& proj = projection(true);
            if (auto it = proj.waitSeconds.find(t.id); it != proj.waitSeconds.end()) {
                t.ewtSeconds = static_cast<int>(std::lround(it->second));
            }
        } else {
            t.ewtSeconds = ewtNow;
        }
        if (t.ewtSeconds) {
            SQLite::Statement& setEwt = *m_setEwt;
            setEwt.reset();
            setEwt.bind(1, *t.ewtSeconds);
            setEwt.bind(2, t.id);
            setEwt.exec();
            setEwt.reset();
        }
        t.ahead = aheadOfNew(t);
        Ticket forEvent = t;
        forEvent.ahead.reset();
        std::string data = eventData(forEvent);
        const int64_t eventId = appendEvent("ticket.issued", data, now);
        try {
            tx.commit();  // durable once the caller passes durable()
        } catch (...) {
            dequeue(t.id);
            throw;
        }
        publish(eventId, "ticket.issued", std::move(data));
        return IssueResult{std::move(t), false};
    } catch (const std::exception& e) {
        // Anything enqueued in a failed transaction must not stay in the mirror.
        loadState();
        return storageError(e);
    }
}

// ---- calling -------------------------------------------------------------------------------

Ticket QueueStore::markCalled(WindowInfo& win, int64_t ticketId, const Actor& actor, WallTime now,
                              const std::string& action) {
    SQLite::Statement upd(*m_db,
                          "UPDATE tickets SET status = 'called', called_at = COALESCE(called_at, ?), "
                          "last_called_at = ?, window = ?, assigned_window = NULL, started_at = NULL "
                          "WHERE id = ? AND status = 'waiting'");
    upd.bind(1, toMillis(now));
    upd.bind(2, toMillis(now));
    upd.bind(3, win.config.number);
    upd.bind(4, ticketId);
    upd.exec();
    if (m_db->getChanges() != 1) throw std::runtime_error("ticket was not waiting any more");
    record(ticketId, action, TicketStatus::Waiting, TicketStatus::Called, win.config.number, actor, {}, now);
    Ticket t = loadTicket(ticketId);
    // The board shows the time of this call, so a ticket called again moves to the top.
    t.calledAt = now;
    return t;
}

std::optional<Error> QueueStore::cannotCall(const WindowInfo* win, int number) const {
    if (!win) return unknownWindow(number);
    if (win->current) {
        return apiError(ErrorKind::Conflict, "window_busy",
                        {{"window", std::to_string(number)}, {"ticket", win->current->number}});
    }
    if (win->state == WindowState::Paused) {
        return apiError(ErrorKind::Conflict, "window_paused", {{"window", std::to_string(number)}});
    }
    return std::nullopt;
}

Ticket QueueStore::callAt(WindowInfo& win, int64_t ticketId, const Actor& actor, WallTime now,
                          const std::string& action) {
    WriteScope tx(*this);
    Ticket t = markCalled(win, ticketId, actor, now, action);
    dequeue(ticketId);
    win.current = t;
    rememberCall(t);
    t = announce("ticket.called", std::move(t), now);
    tx.commit();  // durable once the caller passes durable()
    return t;
}

Result<std::optional<Ticket>> QueueStore::callNextLocked(int windowNumber, const Actor& actor,
                                                         const std::vector<std::string>& services) {
    std::lock_guard lock(m_mutex);
    const WallTime now = m_clock.wallNow();
    rolloverIfNeeded(now);
    WindowInfo* win = findWindow(windowNumber);
    if (auto refusal = cannotCall(win, windowNumber)) return *refusal;
    try {
        // Only the head of each queue can ever win, so only heads are candidates.
        std::vector<routing::Candidate> candidates;
        std::map<std::string, routing::ServicePolicy> policies;
        auto addHead = [&](const QueueKey& key, bool assigned) {
            auto it = m_queues.find(key);
            if (it == m_queues.end() || it->second.empty()) return;
            const auto& q = m_queued.at(it->second.begin()->second);
            candidates.push_back({q.id, q.service, q.priority, q.issuedAt, assigned, q.appointmentAt});
        };
        for (int p = 0; p < 3; ++p) addHead({windowNumber, std::string{}, p}, true);
        for (const auto& ws : win->config.services) {
            // The clerk's choice narrows the window's services; transfers to it stay in.
            if (!services.empty() && std::find(services.begin(), services.end(), ws.service) == services.end()) {
                continue;
            }
            const ServiceInfo* s = findService(ws.service);
            if (!s) continue;
            policies[s->letter] = {ws.weight, s->targetWaitMinutes * 60};
            for (int p = 0; p < 3; ++p) addHead({0, s->letter, p}, false);
        }
        auto pick = routing::pickNext(candidates, policies, now);
        if (!pick) return std::optional<Ticket>{};
        const int64_t chosen = candidates[*pick].ticketId;

        return std::optional<Ticket>(callAt(*win, chosen, actor, now, "call"));
    } catch (const std::exception& e) {
        loadState();  // the step was rolled back: the mirror follows the database
        return storageError(e);
    }
}

Result<Ticket> QueueStore::callTicketLocked(int windowNumber, int64_t ticketId, const Actor& actor) {
    std::lock_guard lock(m_mutex);
    const WallTime now = m_clock.wallNow();
    rolloverIfNeeded(now);
    WindowInfo* win = findWindow(windowNumber);
    if (auto refusal = cannotCall(win, windowNumber)) return *refusal;
    try {
        if (!m_queued.count(ticketId)) {
            SQLite::Statement exists(*m_db, "SELECT 1 FROM tickets WHERE id = ?");
            exists.bind(1, ticketId);
            if (!exists.executeStep()) {
                return apiError(ErrorKind::NotFound, "unknown_ticket", {{"ticket", std::to_string(ticketId)}});
            }
            return illegal(loadTicket(ticketId), "call");
        }
        return callAt(*win, ticketId, actor, now, "call_specific");
    } catch (const std::exception& e) {
        loadState();  // the step was rolled back: the mirror follows the database
        return storageError(e);
    }
}

// ---- steps on the window's current ticket ---------------------------------------------------

Result<Ticket> QueueStore::leaveWindow(int windowNumber, const std::string& action, const Actor&,
                                       const std::function<Result<Ticket>(WindowInfo&, Ticket&, WallTime)>& change) {
    std::lock_guard lock(m_mutex);
    const WallTime now = m_clock.wallNow();
    rolloverIfNeeded(now);
    WindowInfo* win = findWindow(windowNumber);
    if (!win) return unknownWindow(windowNumber);
    if (!win->current) {
        return apiError(ErrorKind::Conflict, "no_current_ticket", {{"window", std::to_string(windowNumber)}});
    }
    (void)action;
    try {
        Ticket current = *win->current;
        WriteScope tx(*this);
        Result<Ticket> changed = change(*win, current, now);
        if (!changed) return changed;  // the transaction rolls back in its destructor
        try {
            tx.commit();  // durable once the caller passes durable()
        } catch (...) {
            loadState();
            throw;
        }
        return changed;
    } catch (const std::exception& e) {
        loadState();
        return storageError(e);
    }
}

Result<Ticket> QueueStore::recall(int windowNumber, const Actor& actor) {
    return durable(leaveWindow(windowNumber, "recall", actor, [&](WindowInfo& win, Ticket& cur, WallTime now) -> Result<Ticket> {
        if (cur.status != TicketStatus::Called) return illegal(cur, "recall");
        if (cur.recalls >= m_config.queue.maxRecalls) {
            // Called once and recalled max_recalls times: nobody came.
            return markNoShow(win, cur.id, "no_show_auto", actor, R"({"reason":"recalls"})", now);
        }
        SQLite::Statement upd(*m_db, "UPDATE tickets SET recalls = recalls + 1, last_called_at = ? WHERE id = ?");
        upd.bind(1, toMillis(now));
        upd.bind(2, cur.id);
        upd.exec();
        record(cur.id, "recall", TicketStatus::Called, TicketStatus::Called, win.config.number, actor, {}, now);
        Ticket t = loadTicket(cur.id);
        t.calledAt = now;
        win.current = t;
        rememberCall(t);
        return announce("ticket.recalled", std::move(t), now);
    }));
}

Result<Ticket> QueueStore::start(int windowNumber, const Actor& actor) {
    return durable(leaveWindow(windowNumber, "start", actor, [&](WindowInfo& win, Ticket& cur, WallTime now) -> Result<Ticket> {
        if (cur.status != TicketStatus::Called) return illegal(cur, "start");
        SQLite::Statement upd(*m_db, "UPDATE tickets SET status = 'serving', started_at = ? WHERE id = ?");
        upd.bind(1, toMillis(now));
        upd.bind(2, cur.id);
        upd.exec();
        record(cur.id, "start", TicketStatus::Called, TicketStatus::Serving, win.config.number, actor, {}, now);
        Ticket t = loadTicket(cur.id);
        win.current = t;
        updateCall(t);
        ++m_version;
        return announce("ticket.started", std::move(t), now);
    }));
}

Result<Ticket> QueueStore::finish(int windowNumber, const std::string& outcomeIn, const Actor& actor) {
    const std::string outcome = outcomeIn.empty() ? "resolved" : outcomeIn;
    if (outcome != "resolved" && outcome != "follow_up" && outcome != "referred") {
        return apiError(ErrorKind::Invalid, "bad_outcome", {{"outcome", outcome}});
    }
    return durable(leaveWindow(windowNumber, "done", actor, [&](WindowInfo& win, Ticket& cur, WallTime now) -> Result<Ticket> {
        if (cur.status != TicketStatus::Called && cur.status != TicketStatus::Serving) return illegal(cur, "done");
        SQLite::Statement upd(*m_db, "UPDATE tickets SET status = 'done', finished_at = ?, outcome = ? WHERE id = ?");
        upd.bind(1, toMillis(now));
        upd.bind(2, outcome);
        upd.bind(3, cur.id);
        upd.exec();
        record(cur.id, "done", cur.status, TicketStatus::Done, win.config.number, actor,
               json{{"outcome", outcome}}.dump(), now);
        Ticket t = loadTicket(cur.id);
        learnServiceTime(t);
        win.current.reset();
        updateCall(t);
        return announce("ticket.done", std::move(t), now);
    }));
}

Result<Ticket> QueueStore::noShow(int windowNumber, const Actor& actor) {
    return durable(leaveWindow(windowNumber, "no_show", actor, [&](WindowInfo& win, Ticket& cur, WallTime now) -> Result<Ticket> {
        if (cur.status != TicketStatus::Called) return illegal(cur, "no_show");
        return markNoShow(win, cur.id, "no_show", actor, {}, now);
    }));
}

Result<Ticket> QueueStore::returnToQueue(int windowNumber, const Actor& actor) {
    return durable(leaveWindow(windowNumber, "return", actor, [&](WindowInfo& win, Ticket& cur, WallTime now) -> Result<Ticket> {
        if (cur.status != TicketStatus::Called && cur.status != TicketStatus::Serving) return illegal(cur, "return");
        SQLite::Statement upd(*m_db,
                              "UPDATE tickets SET status = 'waiting', window = NULL, started_at = NULL WHERE id = ?");
        upd.bind(1, cur.id);
        upd.exec();
        record(cur.id, "return", cur.status, TicketStatus::Waiting, win.config.number, actor, {}, now);
        Ticket t = loadTicket(cur.id);
        enqueue(t);
        win.current.reset();
        updateCall(t);
        return announce("ticket.returned", std::move(t), now);
    }));
}

Result<Ticket> QueueStore::transfer(int windowNumber, const TransferTarget& target, const Actor& actor) {
    std::optional<std::string> toService;
    if (target.service) {
        std::lock_guard lock(m_mutex);
        const ServiceInfo* s = findService(*target.service);
        if (!s) return apiError(ErrorKind::NotFound, "unknown_service", {{"service", *target.service}});
        toService = s->letter;
    }
    if (target.window) {
        std::lock_guard lock(m_mutex);
        if (!findWindow(*target.window)) return unknownWindow(*target.window);
    }
    return durable(leaveWindow(windowNumber, "transfer", actor, [&](WindowInfo& win, Ticket& cur, WallTime now) -> Result<Ticket> {
        if (cur.status != TicketStatus::Called && cur.status != TicketStatus::Serving) return illegal(cur, "transfer");
        const std::string service = toService.value_or(cur.service);
        SQLite::Statement upd(*m_db,
                              "UPDATE tickets SET status = 'waiting', window = NULL, started_at = NULL, "
                              "service_id = (SELECT id FROM services WHERE letter = ?), assigned_window = ? "
                              "WHERE id = ?");
        upd.bind(1, service);
        bindOpt(upd, 2, target.window ? std::optional<int64_t>(*target.window) : std::nullopt);
        upd.bind(3, cur.id);
        upd.exec();
        json detail = {{"from_service", cur.service}, {"to_service", service}};
        if (target.window) detail["to_window"] = *target.window;
        if (!target.note.empty()) detail["note"] = target.note;
        record(cur.id, "transfer", cur.status, TicketStatus::Waiting, win.config.number, actor, detail.dump(), now);
        Ticket t = loadTicket(cur.id);
        enqueue(t);
        win.current.reset();
        updateCall(t);
        return announce("ticket.transferred", std::move(t), now);
    }));
}

// ---- window state and cancelling -----------------------------------------------------------

Result<Window> QueueStore::pauseLocked(int windowNumber, const std::string& reason, const Actor& actor) {
    std::lock_guard lock(m_mutex);
    const WallTime now = m_clock.wallNow();
    WindowInfo* win = findWindow(windowNumber);
    if (!win) return unknownWindow(windowNumber);
    if (win->current) {
        return apiError(ErrorKind::Conflict, "window_busy",
                        {{"window", std::to_string(windowNumber)}, {"ticket", win->current->number}});
    }
    try {
        WriteScope tx(*this);
        SQLite::Statement upd(*m_db, "UPDATE windows SET state = 'paused', pause_reason = ? WHERE number = ?");
        upd.bind(1, reason);
        upd.bind(2, windowNumber);
        upd.exec();
        json data = {{"window", windowNumber}, {"state", "paused"}, {"reason", reason},
                     {"clerk", actor.clerk}, {"waiting", waitingMap()}, {"oldest", oldestJson()}};
        win->state = WindowState::Paused;
        win->pauseReason = reason;
        ++m_version;
        const int64_t id = appendEvent("window.paused", data.dump(), now);
        tx.commit();  // durable once the caller passes durable()
        publish(id, "window.paused", data.dump());
        return Window{win->config.number, win->config.name, win->config.services, win->current, win->state,
                      win->pauseReason};
    } catch (const std::exception& e) {
        loadState();
        return storageError(e);
    }
}

OfficeInfo QueueStore::office() const {
    const WallTime now = m_clock.wallNow();
    OfficeInfo info;
    info.names = m_config.office.names;
    info.publicUrl = m_config.office.publicUrl;
    info.timezone = m_calendar.zoneName();
    info.today = m_calendar.local(now).date;
    // The office is open on a weekday from its earliest service opening to its latest closing.
    for (int day = 0; day < 7; ++day) {
        std::optional<DayHours> hours;
        for (const auto& s : m_config.services) {
            if (!(s.hours.days & (1u << day))) continue;
            if (!hours) hours = DayHours{day, s.hours.openMinute, s.hours.closeMinute};
            hours->openMinute = std::min(hours->openMinute, s.hours.openMinute);
            hours->closeMinute = std::max(hours->closeMinute, s.hours.closeMinute);
        }
        if (hours) info.hours.push_back(*hours);
    }
    std::vector<std::string> holidays = m_config.day.holidays;
    std::sort(holidays.begin(), holidays.end());
    for (const auto& d : holidays) {
        if (d >= info.today && info.holidays.size() < 10) info.holidays.push_back(d);
    }
    return info;
}

Result<DeviceStatus> QueueStore::reportDeviceLocked(const DeviceStatus& report) {
    std::lock_guard lock(m_mutex);
    DeviceStatus stored = report;
    stored.updatedAt = m_clock.wallNow();
    try {
        SQLite::Statement prev(*m_db, "SELECT printer, detail FROM devices WHERE id = ?");
        prev.bind(1, report.id);
        const bool changed = !prev.executeStep() || prev.getColumn(0).getString() != report.printer ||
                             prev.getColumn(1).getString() != report.detail;
        prev.reset();
        if (changed) {
            // Ids are free text from any client: a bounded table, so nobody can flood it.
            SQLite::Statement known(*m_db, "SELECT COUNT(*), SUM(id = ?) FROM devices");
            known.bind(1, report.id);
            known.executeStep();
            if (known.getColumn(1).getInt() == 0 && known.getColumn(0).getInt() >= kMaxDevices) {
                return apiError(ErrorKind::Conflict, "too_many_devices", {{"max", std::to_string(kMaxDevices)}});
            }
        }
        WriteScope tx(*this);
        SQLite::Statement up(*m_db,
                             "INSERT INTO devices (id, kind, printer, detail, updated_at) VALUES (?, ?, ?, ?, ?) "
                             "ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, printer = excluded.printer, "
                             "detail = excluded.detail, updated_at = excluded.updated_at");
        up.bind(1, stored.id);
        up.bind(2, stored.kind);
        up.bind(3, stored.printer);
        up.bind(4, stored.detail);
        up.bind(5, toMillis(stored.updatedAt));
        up.exec();
        if (changed) {
            std::string data = wire::toJson(stored).dump();
            const int64_t id = appendEvent("device.status", data, stored.updatedAt);
            tx.commit();
            publish(id, "device.status", std::move(data));
        } else {
            tx.commit();
        }
        return stored;
    } catch (const std::exception& e) {
        return storageError(e);
    }
}

Result<DeviceStatus> QueueStore::reportDevice(const DeviceStatus& report) {
    return durable(reportDeviceLocked(report));
}

std::vector<DeviceStatus> QueueStore::devices() const {
    std::lock_guard lock(m_mutex);
    std::vector<DeviceStatus> out;
    try {
        SQLite::Statement q(*m_db, "SELECT id, kind, printer, detail, updated_at FROM devices ORDER BY id");
        while (q.executeStep()) {
            out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                           q.getColumn(3).getString(), fromMillis(q.getColumn(4).getInt64())});
        }
    } catch (const std::exception& e) {
        spdlog::error("devices: {}", e.what());
    }
    return out;
}

// ---- steps of other parts of the server (announcements) ------------------------------------

void QueueStore::StepWriter::emit(const std::string& type, std::string data) {
    const int64_t id = m_store.appendEvent(type, data, m_now);
    m_events.push_back(StoredEvent{id, type, std::move(data)});
}

Status QueueStore::writeStep(const std::function<Status(SQLite::Database&, WallTime)>& check,
                             const std::function<void(StepWriter&)>& write) {
    Status result = [&]() -> Status {
        std::lock_guard lock(m_mutex);
        try {
            const WallTime now = m_clock.wallNow();
            if (Status st = check(*m_db, now); !st) return st;
            WriteScope tx(*this);
            StepWriter writer(*this, now);
            write(writer);
            tx.commit();  // durable once durable() below returns
            for (auto& e : writer.m_events) publish(e.id, e.type, std::move(e.data));
            return okStatus();
        } catch (const std::exception& e) {
            return storageError(e);
        }
    }();
    return durable(std::move(result));
}

Status QueueStore::readStep(const std::function<void(SQLite::Database&)>& read) {
    // The connection may hold a batch not yet committed (group commit): let it become durable
    // first, so a reader never sees a change that a failed COMMIT would undo.
    uint64_t open = 0;
    {
        std::lock_guard lock(m_mutex);
        if (m_txOpen) open = m_txEpoch;
    }
    if (open != 0) (void)makeDurable(open);
    std::lock_guard lock(m_mutex);
    try {
        read(*m_db);
        return okStatus();
    } catch (const std::exception& e) {
        return storageError(e);
    }
}

Result<Window> QueueStore::resumeLocked(int windowNumber, const Actor& actor) {
    std::lock_guard lock(m_mutex);
    const WallTime now = m_clock.wallNow();
    WindowInfo* win = findWindow(windowNumber);
    if (!win) return unknownWindow(windowNumber);
    try {
        WriteScope tx(*this);
        SQLite::Statement upd(*m_db, "UPDATE windows SET state = 'open', pause_reason = NULL WHERE number = ?");
        upd.bind(1, windowNumber);
        upd.exec();
        json data = {{"window", windowNumber}, {"state", "open"}, {"clerk", actor.clerk},
                     {"waiting", waitingMap()}, {"oldest", oldestJson()}};
        win->state = WindowState::Open;
        win->pauseReason.clear();
        ++m_version;
        const int64_t id = appendEvent("window.resumed", data.dump(), now);
        tx.commit();  // durable once the caller passes durable()
        publish(id, "window.resumed", data.dump());
        return Window{win->config.number, win->config.name, win->config.services, win->current, win->state, {}};
    } catch (const std::exception& e) {
        loadState();
        return storageError(e);
    }
}

Result<Ticket> QueueStore::cancelLocked(int64_t ticketId, const Actor& actor) {
    std::lock_guard lock(m_mutex);
    const WallTime now = m_clock.wallNow();
    try {
        SQLite::Statement exists(*m_db, "SELECT 1 FROM tickets WHERE id = ?");
        exists.bind(1, ticketId);
        if (!exists.executeStep()) {
            return apiError(ErrorKind::NotFound, "unknown_ticket", {{"ticket", std::to_string(ticketId)}});
        }
        if (!m_queued.count(ticketId)) return illegal(loadTicket(ticketId), "cancel");
        WriteScope tx(*this);
        SQLite::Statement upd(*m_db,
                              "UPDATE tickets SET status = 'cancelled', finished_at = ?, outcome = 'cancelled' "
                              "WHERE id = ? AND status = 'waiting'");
        upd.bind(1, toMillis(now));
        upd.bind(2, ticketId);
        upd.exec();
        record(ticketId, "cancel", TicketStatus::Waiting, TicketStatus::Cancelled, std::nullopt, actor, {}, now);
        dequeue(ticketId);
        Ticket t = announce("ticket.cancelled", loadTicket(ticketId), now);
        tx.commit();  // durable once the caller passes durable()
        return t;
    } catch (const std::exception& e) {
        loadState();  // the mirror follows what is stored
        return storageError(e);
    }
}

// ---- reading -------------------------------------------------------------------------------

Result<Ticket> QueueStore::ticket(int64_t id) {
    std::lock_guard lock(m_mutex);
    try {
        SQLite::Statement exists(*m_db, "SELECT 1 FROM tickets WHERE id = ?");
        exists.bind(1, id);
        if (!exists.executeStep()) return apiError(ErrorKind::NotFound, "unknown_ticket", {{"ticket", std::to_string(id)}});
        Ticket t = loadTicket(id);
        if (t.status == TicketStatus::Waiting) {
            t.ahead = aheadOf(id);
            const auto& p = projection(true);
            auto it = p.waitSeconds.find(id);
            t.ewtSeconds = it == p.waitSeconds.end() ? std::nullopt
                                                     : std::optional<int>(static_cast<int>(std::lround(it->second)));
        }
        return t;
    } catch (const std::exception& e) {
        return storageError(e);
    }
}

Result<Window> QueueStore::window(int number) {
    std::lock_guard lock(m_mutex);
    WindowInfo* w = findWindow(number);
    if (!w) return unknownWindow(number);
    return Window{w->config.number, w->config.name, w->config.services, w->current, w->state, w->pauseReason};
}

std::vector<Window> QueueStore::windows() {
    std::lock_guard lock(m_mutex);
    std::vector<Window> out;
    for (const auto& [n, w] : m_windows) {
        out.push_back(Window{w.config.number, w.config.name, w.config.services, w.current, w.state, w.pauseReason});
    }
    return out;
}

Board QueueStore::boardLocked() {
    std::lock_guard lock(m_mutex);
    rolloverIfNeeded(m_clock.wallNow());
    Board b;
    b.calls.assign(m_recentCalls.begin(), m_recentCalls.end());
    for (const auto& s : m_services) {
        if (s.active) b.services.push_back(serviceView(s));
    }
    for (const auto& [n, w] : m_windows) b.windows.push_back({n, w.config.name});
    b.lastEventId = m_hub.lastId();
    b.logId = m_logId;
    b.serverNow = m_clock.wallNow();
    return b;
}

Result<QueueListing> QueueStore::waitingTickets(const QueueQuery& query) {
    std::lock_guard lock(m_mutex);
    std::set<std::string> letters;
    for (const auto& key : query.services) {
        const ServiceInfo* s = findService(key);
        if (!s) return apiError(ErrorKind::NotFound, "unknown_service", {{"service", key}});
        letters.insert(s->letter);
    }
    auto wanted = [&](const std::string& letter) { return letters.empty() || letters.count(letter) > 0; };
    std::string number = query.number;
    std::transform(number.begin(), number.end(), number.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    const size_t limit = static_cast<size_t>(std::max(0, query.limit));
    const WallTime now = m_clock.wallNow();

    QueueListing out;
    for (const auto& [letter, n] : m_waitingCount) out.total += wanted(letter) ? n : 0;
    // (class rank, queue order, id): priority first, then by issue time (appointments by their
    // time). Each queue is already in that order (its due appointments come first), so only
    // the first `limit` wanted tickets of each can be among the first `limit` of all.
    std::vector<std::tuple<int, int64_t, int64_t>> order;
    auto consider = [&](int64_t sortKey, int64_t id) {
        const auto& q = m_queued.at(id);
        const routing::Candidate c{q.id, q.service, q.priority, q.issuedAt, false, q.appointmentAt};
        order.emplace_back(routing::classRank(c, now), sortKey, id);
    };
    if (!number.empty()) {
        for (const auto& [id, n] : m_waitingNumbers) {
            const auto& q = m_queued.at(id);
            if (n == number && wanted(q.service)) consider(toMillis(q.appointmentAt.value_or(q.issuedAt)), id);
        }
    } else {
        for (const auto& [key, queue] : m_queues) {
            const auto& [window, service, priority] = key;
            if (window == 0 && !wanted(service)) continue;
            if (window != 0 && query.window && window != *query.window) continue;  // another window's
            const bool own = window != 0 && query.window == window;
            size_t taken = 0;
            for (auto it = queue.begin(); it != queue.end() && taken < limit; ++it) {
                if (window != 0 && !own && !wanted(m_queued.at(it->second).service)) continue;  // transferred to a window
                consider(it->first, it->second);
                ++taken;
            }
        }
    }
    const size_t n = std::min(order.size(), limit);
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n), order.end());
    for (size_t i = 0; i < n; ++i) {
        const auto& q = m_queued.at(std::get<2>(order[i]));
        const auto waited = std::chrono::duration_cast<std::chrono::seconds>(now - q.issuedAt).count();
        out.tickets.push_back({q.id, m_waitingNumbers.at(q.id), q.service, q.priority, q.issuedAt, q.assignedWindow,
                               static_cast<int>(std::max<int64_t>(0, waited))});
    }
    return out;
}

Result<std::vector<StoredEvent>> QueueStore::eventsAfter(int64_t after, int limit) const {
    std::lock_guard lock(m_mutex);
    try {
        SQLite::Statement q(*m_db, "SELECT id, type, data FROM events WHERE id > ? ORDER BY id LIMIT ?");
        q.bind(1, after);
        q.bind(2, limit);
        std::vector<StoredEvent> out;
        while (q.executeStep()) {
            out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString()});
        }
        return out;
    } catch (const std::exception& e) {
        return storageError(e);
    }
}

std::string QueueStore::localTimeText(WallTime t) const {
    const auto when = m_calendar.local(t);
    const auto today = m_calendar.local(m_clock.wallNow());
    char buf[32];
    if (when.date == today.date) {
        std::snprintf(buf, sizeof buf, "%02d:%02d", when.minute / 60, when.minute % 60);
    } else {
        std::snprintf(buf, sizeof buf, "%.2s.%.2s %02d:%02d", when.date.c_str() + 8, when.date.c_str() + 5,
                      when.minute / 60, when.minute % 60);
    }
    return buf;
}

// ---- timed work ----------------------------------------------------------------------------

void QueueStore::sweepLocked() {
    std::lock_guard lock(m_mutex);
    const WallTime now = m_clock.wallNow();
    try {
        rolloverIfNeeded(now);
        autoNoShows(now);
    } catch (const std::exception& e) {
        spdlog::error("sweep: {}", e.what());
        loadState();
    }
}

void QueueStore::autoNoShows(WallTime now) {
    const auto limit = std::chrono::minutes(m_config.queue.noShowAfterMinutes);
    for (auto& [n, win] : m_windows) {
        if (!win.current || win.current->status != TicketStatus::Called || !win.current->calledAt) continue;
        if (now - *win.current->calledAt < limit) continue;
        WriteScope tx(*this);
        markNoShow(win, win.current->id, "no_show_auto", {}, R"({"reason":"timeout"})", now);
        tx.commit();  // durable once the caller passes durable()
    }
}

void QueueStore::rolloverIfNeeded(WallTime now) {
    const std::string today = m_calendar.dayKey(now);
    if (today == m_day) return;
    WriteScope tx(*this);
    std::vector<int64_t> expired;
    if (!m_config.day.carryOver) {
        SQLite::Statement open(*m_db,
                               "SELECT id, status FROM tickets WHERE status IN ('waiting', 'called', 'serving') "
                               "AND day < ?");
        open.bind(1, today);
        std::vector<std::pair<int64_t, std::string>> rows;
        while (open.executeStep()) rows.push_back({open.getColumn(0).getInt64(), open.getColumn(1).getString()});
        SQLite::Statement upd(*m_db,
                              "UPDATE tickets SET status = 'cancelled', outcome = 'expired', finished_at = ? "
                              "WHERE id = ?");
        for (const auto& [id, status] : rows) {
            upd.bind(1, toMillis(now));
            upd.bind(2, id);
            upd.exec();
            upd.reset();
            record(id, "expire", ticketStatusFromString(status), TicketStatus::Cancelled, std::nullopt, {}, {}, now);
            expired.push_back(id);
        }
    }
    SQLite::Statement day(*m_db, "INSERT INTO meta(key, value) VALUES ('day', ?) "
                                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    day.bind(1, today);
    day.exec();
    const bool firstStart = m_day.empty();
    std::string data;
    int64_t eventId = 0;
    for (int64_t id : expired) {
        dequeue(id);
        for (auto& [n, w] : m_windows) {
            if (w.current && w.current->id == id) w.current.reset();
        }
    }
    if (!firstStart) {
        data = json{{"day", today}, {"waiting", waitingMap()}, {"oldest", oldestJson()},
                    {"expired", expired.size()}}.dump();
        eventId = appendEvent("day.started", data, now);
    }
    tx.commit();  // durable once the caller passes durable()
    m_day = today;
    m_recentCalls.clear();
    ++m_version;
    if (eventId) publish(eventId, "day.started", std::move(data));
}

// ---- public entry points: the locked work, then durability outside the lock -----------------

class WritersWaiting {
public:
    explicit WritersWaiting(std::atomic<int>& n) : m_n(n) { ++m_n; }
    ~WritersWaiting() { --m_n; }

private:
    std::atomic<int>& m_n;
};

Result<IssueResult> QueueStore::issueTicket(const IssueRequest& request) {
    auto r = [&] {
        WritersWaiting w(m_writersWaiting);
        return issueTicketLocked(request);
    }();
    return durable(std::move(r));
}

Result<std::optional<Ticket>> QueueStore::callNext(int window, const Actor& actor,
                                                   const std::vector<std::string>& services) {
    auto r = [&] {
        WritersWaiting w(m_writersWaiting);
        return callNextLocked(window, actor, services);
    }();
    return durable(std::move(r));
}

Result<Ticket> QueueStore::callTicket(int window, int64_t ticketId, const Actor& actor) {
    return durable(callTicketLocked(window, ticketId, actor));
}

Result<Window> QueueStore::pause(int window, const std::string& reason, const Actor& actor) {
    return durable(pauseLocked(window, reason, actor));
}

Result<Window> QueueStore::resume(int window, const Actor& actor) { return durable(resumeLocked(window, actor)); }

Result<Ticket> QueueStore::cancel(int64_t ticketId, const Actor& actor) { return durable(cancelLocked(ticketId, actor)); }

std::vector<Service> QueueStore::services() {
    auto r = servicesLocked();
    flushDurable();  // a day rollover may have written
    return r;
}

Board QueueStore::board() {
    auto r = boardLocked();
    flushDurable();
    return r;
}

void QueueStore::sweep() {
    sweepLocked();
    flushDurable();
    refreshProjection();
    if (m_checkpointDb) {
        try {
            m_checkpointDb->exec("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (const std::exception& e) {
            spdlog::warn("background checkpoint: {}", e.what());  // retried next second
        }
    }
}

}  // namespace talon::server
