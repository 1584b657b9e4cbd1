// TicketReports: SQL over ticket_transitions through QueueStore::readStep (the store's lock,
// after any batch still being committed is durable). A clerk's figures use the index on
// (clerk, at), so they read that clerk's steps of the day and nothing else (about a
// millisecond with 100,000 transitions in the log).
#include "talon/server/ticket_reports.h"

#include <SQLiteCpp/Statement.h>

#include <cmath>

namespace talon::server {
namespace {

std::string text(SQLite::Statement& q, int column) {
    return q.getColumn(column).isNull() ? std::string{} : q.getColumn(column).getString();
}

/// A mean in milliseconds as whole seconds; none when there was nothing to average.
std::optional<int> seconds(SQLite::Statement& q, int column) {
    if (q.getColumn(column).isNull()) return std::nullopt;
    return static_cast<int>(std::lround(q.getColumn(column).getDouble() / 1000.0));
}

}  // namespace

Result<TicketHistory> TicketReports::history(int64_t ticketId) {
    // The ticket first, then its steps: a step taken in between shows in the steps (and the
    // next read), never the other way round.
    auto ticket = m_store.ticket(ticketId);
    if (!ticket) return ticket.error();
    TicketHistory out{std::move(ticket).value(), {}};
    Status st = m_store.readStep([&](SQLite::Database& db) {
        SQLite::Statement q(
            db,
            "SELECT tt.at, tt.action, tt.from_status, tt.to_status, tt.window, tt.clerk, u.name, "
            "tt.detail FROM ticket_transitions tt LEFT JOIN users u ON u.login = tt.clerk "
            "WHERE tt.ticket_id = ? ORDER BY tt.at, tt.id");
        q.bind(1, ticketId);
        while (q.executeStep()) {
            TicketTransition step;
            step.at = fromMillis(q.getColumn(0).getInt64());
            step.action = q.getColumn(1).getString();
            step.from = ticketStatusFromString(text(q, 2));
            step.to =
                ticketStatusFromString(q.getColumn(3).getString()).value_or(TicketStatus::Waiting);
            if (!q.getColumn(4).isNull()) step.window = q.getColumn(4).getInt();
            step.clerk = text(q, 5);
            step.clerkName = text(q, 6);
            step.detail = text(q, 7);
            out.steps.push_back(std::move(step));
        }
    });
    if (!st) return st.error();
    return out;
}

Result<ClerkDay> TicketReports::clerkDay(const std::string& clerk) {
    const BusinessCalendar& calendar = m_store.calendar();
    ClerkDay out;
    out.day = calendar.dayKey(m_clock.wallNow());
    const int64_t since = toMillis(calendar.at(out.day, m_dayStartMinute));
    Status st = m_store.readStep([&](SQLite::Database& db) {
        // One pass over this clerk's steps since the day began. Service time of a ticket they
        // finished: from its start or, never started, from the call that brought the visitor
        // to the window (not a recall). Wait: to each of their calls from when the ticket last
        // began waiting (issued, returned or transferred), so time spent at another window or
        // in another queue is not counted twice.
        SQLite::Statement q(
            db,
            "SELECT COALESCE(SUM(action = 'done'), 0), "
            "COALESCE(SUM(action IN ('no_show', 'no_show_auto')), 0), "
            "COALESCE(SUM(action = 'transfer'), 0), COALESCE(SUM(action = 'return'), 0), "
            "MAX(CASE WHEN action = 'done' THEN at END), "
            "AVG(CASE WHEN action = 'done' THEN at - COALESCE("
            "    (SELECT started_at FROM tickets WHERE id = d.ticket_id), "
            "    (SELECT MAX(c.at) FROM ticket_transitions c WHERE c.ticket_id = d.ticket_id "
            "     AND c.action IN ('call', 'call_specific') AND c.at <= d.at)) END), "
            "AVG(CASE WHEN action IN ('call', 'call_specific') "
            "    THEN at - COALESCE((SELECT MAX(w.at) FROM ticket_transitions w WHERE w.ticket_id = d.ticket_id "
            "     AND w.to_status = 'waiting' AND w.id < d.id), "
            "     (SELECT issued_at FROM tickets WHERE id = d.ticket_id)) END) "
            "FROM ticket_transitions d WHERE clerk = ?1 AND at >= ?2");
        q.bind(1, clerk);
        q.bind(2, since);
        if (!q.executeStep()) return;
        out.served = q.getColumn(0).getInt();
        out.noShows = q.getColumn(1).getInt();
        out.transferred = q.getColumn(2).getInt();
        out.returned = q.getColumn(3).getInt();
        if (!q.getColumn(4).isNull()) out.lastDoneAt = fromMillis(q.getColumn(4).getInt64());
        out.avgServiceSeconds = seconds(q, 5);
        out.avgWaitSeconds = seconds(q, 6);
    });
    if (!st) return st.error();
    return out;
}

}  // namespace talon::server
