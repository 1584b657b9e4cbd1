// QueueStore implementation. SQLite exceptions are caught at each public method and become
// Storage errors; the in-memory caches change only after a successful commit.
#include "talon/server/queue_store.h"

#include <SQLiteCpp/Transaction.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

#include "talon/common/wire.h"
#include "talon/server/database.h"
#include "talon/server/routing.h"

namespace talon::server {
namespace {

constexpr size_t kRecentCalls = 20;

Error storageError(const std::exception& e) {
    spdlog::error("database: {}", e.what());
    return makeError(ErrorKind::Storage, "internal", e.what());
}

Error apiError(ErrorKind kind, std::string code, std::vector<std::pair<std::string, std::string>> params,
               std::string message) {
    Error e = makeError(kind, std::move(code), std::move(message));
    e.params = std::move(params);
    return e;
}

std::string formatNumber(const std::string& letter, int64_t seq) {
    // A001…A999, then A001 again: numbers are per day and 999 a day per service is the norm.
    char buf[24];
    std::snprintf(buf, sizeof buf, "%03d", static_cast<int>((seq - 1) % 999 + 1));
    return letter + buf;
}

}  // namespace

std::string businessDay(WallTime t) {
    const std::time_t tt = static_cast<std::time_t>(toMillis(t) / 1000);
    std::tm tm{};
    localtime_r(&tt, &tm);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    return buf;
}

QueueStore::QueueStore(std::unique_ptr<SQLite::Database> db, EventHub& hub, const Clock& clock)
    : m_db(std::move(db)), m_hub(hub), m_clock(clock) {}

QueueStore::~QueueStore() = default;

Result<std::unique_ptr<QueueStore>> QueueStore::open(const ServerConfig& config, EventHub& hub,
                                                     const Clock& clock) {
    auto db = openDatabase(config.database);
    if (!db) return db.error();
    std::unique_ptr<QueueStore> store(new QueueStore(std::move(db).value(), hub, clock));
    try {
        store->applyConfig(config);
        store->prepare();
        store->loadState();
    } catch (const std::exception& e) {
        return makeError(ErrorKind::Storage, "db_init",
                         "cannot prepare the database " + config.database + ": " + e.what());
    }
    return store;
}

void QueueStore::applyConfig(const ServerConfig& config) {
    SQLite::Transaction tx(*m_db, SQLite::TransactionBehavior::IMMEDIATE);
    m_db->exec("UPDATE services SET active = 0");
    SQLite::Statement upsert(*m_db,
                             "INSERT INTO services(letter, names, position, target_wait_minutes, active) "
                             "VALUES (?, ?, ?, ?, 1) ON CONFLICT(letter) DO UPDATE SET "
                             "names = excluded.names, position = excluded.position, "
                             "target_wait_minutes = excluded.target_wait_minutes, active = 1");
    int position = 0;
    for (const auto& s : config.services) {
        upsert.bind(1, s.letter);
        upsert.bind(2, nlohmann::json(s.names).dump());
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
    for (const auto& w : config.windows) {
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
        *m_db, "SELECT id, service_id FROM tickets WHERE idempotency_key = ?");
    m_maxSeq = std::make_unique<SQLite::Statement>(
        *m_db, "SELECT COALESCE(MAX(seq), 0) FROM tickets WHERE service_id = ? AND day = ?");
    m_insertTicket = std::make_unique<SQLite::Statement>(
        *m_db,
        "INSERT INTO tickets(service_id, day, seq, number, status, priority, issued_at, idempotency_key) "
        "VALUES (?, ?, ?, ?, 'waiting', ?, ?, ?)");
    m_bestWaiting = std::make_unique<SQLite::Statement>(
        *m_db,
        "SELECT id, issued_at FROM tickets WHERE status = 'waiting' AND service_id = ? AND priority = ? "
        "ORDER BY issued_at, id LIMIT 1");
    m_markCalled = std::make_unique<SQLite::Statement>(
        *m_db, "UPDATE tickets SET status = 'called', called_at = ?, window = ? "
               "WHERE id = ? AND status = 'waiting'");
    m_markDone = std::make_unique<SQLite::Statement>(
        *m_db, "UPDATE tickets SET status = 'done', finished_at = ? WHERE id = ? AND status = 'called'");
    m_insertEvent = std::make_unique<SQLite::Statement>(
        *m_db, "INSERT INTO events(type, data, created_at) VALUES (?, ?, ?)");
    m_loadTicket = std::make_unique<SQLite::Statement>(
        *m_db,
        "SELECT t.id, t.number, s.letter, t.status, t.priority, t.issued_at, t.called_at, "
        "t.finished_at, t.window FROM tickets t JOIN services s ON s.id = t.service_id WHERE t.id = ?");
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
        s.names = nlohmann::json::parse(svc.getColumn(2).getString()).get<LocalizedText>();
        s.targetWaitMinutes = svc.getColumn(3).getInt();
        s.active = svc.getColumn(4).getInt() != 0;
        m_services.push_back(std::move(s));
    }

    m_windows.clear();
    SQLite::Statement win(*m_db, "SELECT number, name FROM windows WHERE active = 1 ORDER BY number");
    while (win.executeStep()) {
        WindowInfo w;
        w.config.number = win.getColumn(0).getInt();
        w.config.name = win.getColumn(1).getString();
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
    SQLite::Statement current(*m_db, "SELECT id, window FROM tickets WHERE status = 'called'");
    while (current.executeStep()) {
        const int64_t id = current.getColumn(0).getInt64();
        auto it = m_windows.find(current.getColumn(1).getInt());
        if (it != m_windows.end()) it->second.current = loadTicket(id);
    }

    m_waiting.clear();
    for (const auto& s : m_services) m_waiting[s.letter] = 0;
    SQLite::Statement waiting(*m_db,
                              "SELECT s.letter, COUNT(*) FROM tickets t JOIN services s ON s.id = t.service_id "
                              "WHERE t.status = 'waiting' GROUP BY s.letter");
    while (waiting.executeStep()) m_waiting[waiting.getColumn(0).getString()] = waiting.getColumn(1).getInt();

    m_recentCalls.clear();
    SQLite::Statement calls(*m_db,
                            "SELECT id FROM tickets WHERE day = ? AND called_at IS NOT NULL "
                            "ORDER BY called_at DESC, id DESC LIMIT ?");
    calls.bind(1, businessDay(m_clock.wallNow()));
    calls.bind(2, static_cast<int>(kRecentCalls));
    std::vector<int64_t> ids;
    while (calls.executeStep()) ids.push_back(calls.getColumn(0).getInt64());
    for (int64_t id : ids) {
        Ticket t = loadTicket(id);
        m_recentCalls.push_back({t.id, t.number, t.service, t.window.value_or(0), *t.calledAt, t.status});
    }

    m_hub.setLastId(m_db->execAndGet("SELECT COALESCE(MAX(id), 0) FROM events").getInt64());
    m_logId = m_db->execAndGet("SELECT value FROM meta WHERE key = 'log_id'").getString();
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
    q.reset();
    return t;
}

const QueueStore::ServiceInfo* QueueStore::findService(const std::string& key) const {
    for (const auto& s : m_services) {
        if (s.active && (s.letter == key || std::to_string(s.id) == key)) return &s;
    }
    return nullptr;
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

std::map<std::string, int> QueueStore::waitingMap() const {
    std::map<std::string, int> out;
    for (const auto& s : m_services) {
        if (s.active) out[s.letter] = m_waiting.count(s.letter) ? m_waiting.at(s.letter) : 0;
    }
    return out;
}

void QueueStore::publish(int64_t id, const std::string& type, std::string data) {
    m_hub.publish(StoredEvent{id, type, std::move(data)});
}

void QueueStore::rememberCall(const Ticket& t) {
    m_recentCalls.push_front({t.id, t.number, t.service, t.window.value_or(0), *t.calledAt, t.status});
    while (m_recentCalls.size() > kRecentCalls) m_recentCalls.pop_back();
}

std::vector<Service> QueueStore::services() const {
    std::lock_guard lock(m_mutex);
    std::vector<Service> out;
    for (const auto& s : m_services) {
        if (!s.active) continue;
        out.push_back({s.id, s.letter, s.names, m_waiting.count(s.letter) ? m_waiting.at(s.letter) : 0});
    }
    return out;
}

Result<IssueResult> QueueStore::issueTicket(const IssueRequest& request) {
    std::lock_guard lock(m_mutex);
    const ServiceInfo* service = findService(request.service);
    if (!service) {
        return apiError(ErrorKind::NotFound, "unknown_service", {{"service", request.service}},
                        "unknown service " + request.service);
    }
    try {
        if (!request.idempotencyKey.empty()) {
            SQLite::Statement& q = *m_findIdempotent;
            q.reset();
            q.bind(1, request.idempotencyKey);
            if (q.executeStep()) {
                const int64_t id = q.getColumn(0).getInt64();
                const int64_t serviceId = q.getColumn(1).getInt64();
                q.reset();
                if (serviceId != service->id) {
                    return apiError(ErrorKind::Conflict, "idempotency_conflict", {},
                                    "idempotency key reused for another service");
                }
                Ticket t = loadTicket(id);
                SQLite::Statement ahead(*m_db,
                                        "SELECT COUNT(*) FROM tickets WHERE status = 'waiting' AND service_id = ? "
                                        "AND (issued_at < ? OR (issued_at = ? AND id < ?))");
                ahead.bind(1, serviceId);
                ahead.bind(2, toMillis(t.issuedAt));
                ahead.bind(3, toMillis(t.issuedAt));
                ahead.bind(4, t.id);
                ahead.executeStep();
                t.ahead = t.status == TicketStatus::Waiting ? ahead.getColumn(0).getInt() : 0;
                return IssueResult{std::move(t), true};
            }
            q.reset();
        }

        const WallTime now = m_clock.wallNow();
        const std::string day = businessDay(now);
        SQLite::Transaction tx(*m_db, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement& seqQ = *m_maxSeq;
        seqQ.reset();
        seqQ.bind(1, service->id);
        seqQ.bind(2, day);
        seqQ.executeStep();
        const int64_t seq = seqQ.getColumn(0).getInt64() + 1;
        seqQ.reset();

        Ticket t;
        t.number = formatNumber(service->letter, seq);
        t.service = service->letter;
        t.status = TicketStatus::Waiting;
        t.priority = request.priority;
        t.issuedAt = now;
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
        ins.exec();
        ins.reset();
        t.id = m_db->getLastInsertRowid();

        auto waiting = waitingMap();
        t.ahead = waiting[service->letter];
        waiting[service->letter] += 1;
        Ticket forEvent = t;
        forEvent.ahead.reset();
        std::string data = wire::eventData(forEvent, waiting).dump();
        const int64_t eventId = appendEvent("ticket.issued", data, now);
        tx.commit();

        m_waiting[service->letter] += 1;
        publish(eventId, "ticket.issued", std::move(data));
        return IssueResult{std::move(t), false};
    } catch (const std::exception& e) {
        return storageError(e);
    }
}

Result<std::optional<Ticket>> QueueStore::callNext(int windowNumber) {
    std::lock_guard lock(m_mutex);
    auto wit = m_windows.find(windowNumber);
    if (wit == m_windows.end()) {
        return apiError(ErrorKind::NotFound, "unknown_window", {{"window", std::to_string(windowNumber)}},
                        "unknown window");
    }
    WindowInfo& win = wit->second;
    if (win.current) {
        return apiError(ErrorKind::Conflict, "window_busy",
                        {{"window", std::to_string(windowNumber)}, {"ticket", win.current->number}},
                        "window still holds a ticket");
    }
    try {
        // Within one service and priority class the oldest ticket always scores highest, so
        // the heads of those lists are the only candidates the policy needs to see.
        std::vector<routing::Candidate> candidates;
        std::map<std::string, routing::ServicePolicy> policies;
        for (const auto& ws : win.config.services) {
            const ServiceInfo* s = findService(ws.service);
            if (!s) continue;
            policies[s->letter] = {ws.weight, s->targetWaitMinutes * 60};
            if (m_waiting[s->letter] == 0) continue;
            for (Priority p : {Priority::Priority, Priority::Appointment, Priority::Normal}) {
                SQLite::Statement& q = *m_bestWaiting;
                q.reset();
                q.bind(1, s->id);
                q.bind(2, std::string(toString(p)));
                if (q.executeStep()) {
                    candidates.push_back({q.getColumn(0).getInt64(), s->letter, p,
                                          fromMillis(q.getColumn(1).getInt64())});
                }
                q.reset();
            }
        }
        const WallTime now = m_clock.wallNow();
        auto pick = routing::pickNext(candidates, policies, now);
        if (!pick) return std::optional<Ticket>{};
        const routing::Candidate& chosen = candidates[*pick];

        SQLite::Transaction tx(*m_db, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement& upd = *m_markCalled;
        upd.reset();
        upd.bind(1, toMillis(now));
        upd.bind(2, windowNumber);
        upd.bind(3, chosen.ticketId);
        upd.exec();
        upd.reset();
        if (m_db->getChanges() != 1) throw std::runtime_error("ticket was not waiting any more");
        Ticket t = loadTicket(chosen.ticketId);
        auto waiting = waitingMap();
        waiting[t.service] -= 1;
        std::string data = wire::eventData(t, waiting).dump();
        const int64_t eventId = appendEvent("ticket.called", data, now);
        tx.commit();

        m_waiting[t.service] -= 1;
        win.current = t;
        rememberCall(t);
        publish(eventId, "ticket.called", std::move(data));
        return std::optional<Ticket>(std::move(t));
    } catch (const std::exception& e) {
        return storageError(e);
    }
}

Result<Ticket> QueueStore::finish(int windowNumber) {
    std::lock_guard lock(m_mutex);
    auto wit = m_windows.find(windowNumber);
    if (wit == m_windows.end()) {
        return apiError(ErrorKind::NotFound, "unknown_window", {{"window", std::to_string(windowNumber)}},
                        "unknown window");
    }
    WindowInfo& win = wit->second;
    if (!win.current) {
        return apiError(ErrorKind::Conflict, "no_current_ticket", {{"window", std::to_string(windowNumber)}},
                        "no current ticket");
    }
    try {
        const WallTime now = m_clock.wallNow();
        SQLite::Transaction tx(*m_db, SQLite::TransactionBehavior::IMMEDIATE);
        SQLite::Statement& upd = *m_markDone;
        upd.reset();
        upd.bind(1, toMillis(now));
        upd.bind(2, win.current->id);
        upd.exec();
        upd.reset();
        if (m_db->getChanges() != 1) throw std::runtime_error("ticket was not called any more");
        Ticket t = loadTicket(win.current->id);
        std::string data = wire::eventData(t, waitingMap()).dump();
        const int64_t eventId = appendEvent("ticket.done", data, now);
        tx.commit();

        win.current.reset();
        for (auto& c : m_recentCalls) {
            if (c.ticketId == t.id) c.status = TicketStatus::Done;
        }
        publish(eventId, "ticket.done", std::move(data));
        return t;
    } catch (const std::exception& e) {
        return storageError(e);
    }
}

Window QueueStore::windowView(const WindowInfo& w) const {
    return Window{w.config.number, w.config.name, w.config.services, w.current};
}

Result<Window> QueueStore::window(int number) const {
    std::lock_guard lock(m_mutex);
    auto it = m_windows.find(number);
    if (it == m_windows.end()) {
        return apiError(ErrorKind::NotFound, "unknown_window", {{"window", std::to_string(number)}},
                        "unknown window");
    }
    return windowView(it->second);
}

std::vector<Window> QueueStore::windows() const {
    std::lock_guard lock(m_mutex);
    std::vector<Window> out;
    for (const auto& [n, w] : m_windows) out.push_back(windowView(w));
    return out;
}

Board QueueStore::board() const {
    std::lock_guard lock(m_mutex);
    Board b;
    b.calls.assign(m_recentCalls.begin(), m_recentCalls.end());
    for (const auto& s : m_services) {
        if (s.active) b.services.push_back({s.id, s.letter, s.names, m_waiting.at(s.letter)});
    }
    b.lastEventId = m_hub.lastId();
    b.logId = m_logId;
    return b;
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

}  // namespace talon::server
