// TicketReports: what the clerk console reads from the transitions log: one ticket's history
// and a clerk's figures for the business day. Reads only, on QueueStore's connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "talon/common/domain.h"
#include "talon/common/result.h"
#include "talon/common/time.h"
#include "talon/server/config.h"
#include "talon/server/queue_store.h"

namespace talon::server {

/// One step of a ticket, as the ticket_transitions table keeps it.
struct TicketTransition {
    WallTime at{};
    std::string action;  // issue, call, call_specific, recall, start, done, no_show, no_show_auto,
                         // return, transfer, cancel, expire
    std::optional<TicketStatus> from;  // none for issue
    TicketStatus to = TicketStatus::Waiting;
    std::optional<int> window;
    std::string clerk;      // who did it (a login, or a name sent with logins off); empty: nobody
    std::string clerkName;  // that user's name when `clerk` is a user's login; empty: not one
    std::string
        detail;  // the stored JSON object (outcome, transfer target, note, ...); empty: none
};

struct TicketHistory {
    Ticket ticket;
    std::vector<TicketTransition> steps;  // oldest first
};

/// A clerk's figures since the current business day began.
struct ClerkDay {
    std::string day;  // the business day, YYYY-MM-DD
    int served = 0;   // finished (done) by this clerk
    int noShows = 0;  // marked no-show by this clerk (also by recalling past max_recalls)
    int transferred = 0;
    int returned = 0;
    std::optional<int> avgServiceSeconds;  // done − start (or − the call, never started)
    std::optional<int> avgWaitSeconds;     // call − issue of the tickets this clerk called
    std::optional<WallTime> lastDoneAt;
};

class TicketReports {
public:
    TicketReports(QueueStore& store, const Clock& clock, const ServerConfig& config)
        : m_store(store), m_clock(clock), m_dayStartMinute(config.day.startMinute) {}

    /// The ticket (as GET /tickets/{id}) and its steps. Errors: unknown_ticket (404); storage.
    Result<TicketHistory> history(int64_t ticketId);
    /// `clerk`'s figures for the current business day (its steps recorded under that name).
    /// Errors: storage.
    Result<ClerkDay> clerkDay(const std::string& clerk);

private:
    QueueStore& m_store;
    const Clock& m_clock;
    int m_dayStartMinute = 0;
};

}  // namespace talon::server
