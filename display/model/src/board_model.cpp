// BoardModel: applying snapshots and events, and the flash timer.
#include "talon/display/board_model.h"

#include <algorithm>

namespace talon::display {

BoardModel::BoardModel(const Clock& clock, BoardSettings settings)
    : m_clock(clock), m_settings(std::move(settings)), m_lastCall(clock.now()), m_rotationStart(clock.now()) {}

bool BoardModel::shows(const std::string& service, int window) const {
    return (m_settings.services.empty() || m_settings.services.count(service)) &&
           (window == 0 || m_settings.windows.empty() || m_settings.windows.count(window));
}

void BoardModel::onSnapshot(const Board& board) {
    // Same event log and older than what events already showed: stale, keep ours. A different
    // log (the server got a new database) starts over from this snapshot.
    const bool sameLog = m_hasSnapshot && board.logId == m_logId;
    if (sameLog && board.lastEventId < m_lastEventId) return;
    const bool first = !m_hasSnapshot;
    if (m_hasSnapshot && !sameLog) {
        // A new database numbers tickets from 1 again: what was spoken says nothing about them.
        m_spoken.clear();
        m_spokenOrder.clear();
    }
    m_hasSnapshot = true;
    m_logId = board.logId;
    if (board.serverNow) {
        m_serverOffset = std::chrono::duration_cast<std::chrono::milliseconds>(*board.serverNow - m_clock.wallNow());
    }
    m_calls.clear();
    for (const auto& c : board.calls) {
        if (shows(c.service, c.window) && m_calls.size() < m_settings.maxCalls) m_calls.push_back(c);
    }
    // Calls made while we were away that no replayed event brought: speak them now, oldest
    // first. At start-up there is nothing to catch up on: mark them heard.
    for (auto it = m_calls.rbegin(); it != m_calls.rend(); ++it) {
        if (first) {
            markSpoken(*it);
        } else if (it->status == TicketStatus::Called) {
            announce(*it, it->recalls > 0);
        }
    }
    m_services.clear();
    for (const auto& s : board.services) {
        if (shows(s.letter, 0)) m_services.push_back(s);
    }
    m_announcements = board.announcements;
    m_windows = board.windows;
    m_lastEventId = board.lastEventId;
    // Events the stream delivered before this first snapshot: those newer than it still count.
    std::vector<QueueEvent> early;
    early.swap(m_early);
    for (const auto& e : early) onEvent(e);
}

void BoardModel::onEvent(const QueueEvent& event) {
    if (!m_hasSnapshot) {
        // The snapshot's answer is on its way: applying this now would be undone by it.
        if (m_early.size() < 10000) m_early.push_back(event);
        return;
    }
    if (event.id <= m_lastEventId) return;
    m_lastEventId = event.id;
    for (auto& s : m_services) {
        if (auto it = event.waiting.find(s.letter); it != event.waiting.end()) s.waiting = it->second;
        if (auto it = event.ewt.find(s.letter); it != event.ewt.end()) s.ewtSeconds = it->second;
    }
    if (event.type == "announcement.created" || event.type == "announcement.updated") {
        if (!event.announcement) return;
        std::erase_if(m_announcements, [&](const Announcement& a) { return a.id == event.announcement->id; });
        m_announcements.insert(m_announcements.begin(), *event.announcement);
        std::sort(m_announcements.begin(), m_announcements.end(),
                  [](const Announcement& a, const Announcement& b) { return a.createdAt > b.createdAt; });
        return;
    }
    if (event.type == "announcement.deleted") {
        if (event.announcementId) {
            std::erase_if(m_announcements, [&](const Announcement& a) { return a.id == *event.announcementId; });
        }
        return;
    }
    if (event.type == "day.started") {
        m_calls.clear();  // a new business day starts with an empty board
        m_flashTicket = 0;
        return;
    }
    if (!event.ticket) return;
    const Ticket& t = *event.ticket;
    if (event.type == "ticket.called" || event.type == "ticket.recalled") {
        applyCall(t, event.type == "ticket.recalled");
    } else if (event.type == "ticket.returned" || event.type == "ticket.transferred") {
        // Back in the queue: the call is no longer valid on the board.
        std::erase_if(m_calls, [&](const BoardCall& c) { return c.ticketId == t.id; });
        if (m_flashTicket == t.id) m_flashTicket = 0;
    } else {
        for (auto& c : m_calls) {
            if (c.ticketId == t.id) c.status = t.status;
        }
    }
}

void BoardModel::applyCall(const Ticket& t, bool recall) {
    if (!t.window || !t.calledAt) return;
    // A ticket called again (recall, or called at another window) moves to the top; called
    // to a window this board does not show, it leaves the board.
    std::erase_if(m_calls, [&](const BoardCall& c) { return c.ticketId == t.id; });
    if (!shows(t.service, *t.window)) return;
    m_calls.push_front({t.id, t.number, t.service, *t.window, *t.calledAt, t.status, t.recalls});
    while (m_calls.size() > m_settings.maxCalls) m_calls.pop_back();
    m_flashTicket = t.id;
    m_flashStart = m_clock.now();
    m_lastCall = m_clock.now();
    announce(m_calls.front(), recall);
}

void BoardModel::markSpoken(const BoardCall& call) {
    const auto key = std::make_pair(call.ticketId, toMillis(call.calledAt));
    if (!m_spoken.insert(key).second) return;
    m_spokenOrder.push_back(key);
    while (m_spokenOrder.size() > 2000) {
        m_spoken.erase(m_spokenOrder.front());
        m_spokenOrder.pop_front();
    }
}

void BoardModel::announce(const BoardCall& call, bool recall) {
    if (m_spoken.count({call.ticketId, toMillis(call.calledAt)})) return;
    markSpoken(call);
    // Long after the fact (the board was cut off for minutes) the visitor has gone to the
    // window or missed it: the board shows the call, a voice would only confuse. The age is
    // counted on the server's clock, so a board whose own clock is off still speaks.
    const WallTime serverNow = m_clock.wallNow() + m_serverOffset;
    if (serverNow - call.calledAt > m_settings.announceWithin) return;
    m_toSpeak.push_back({call.ticketId, call.number, call.window, recall});
}

std::vector<const Announcement*> BoardModel::active(bool urgentOnes) const {
    const WallTime now = m_clock.wallNow();
    std::vector<const Announcement*> out;
    for (const auto& a : m_announcements) {
        if ((a.priority == "urgent") != urgentOnes) continue;
        if (a.startsAt && *a.startsAt > now) continue;
        if (a.endsAt && *a.endsAt <= now) continue;
        out.push_back(&a);
    }
    return out;
}

const Announcement* BoardModel::urgent() const {
    auto list = active(true);
    return list.empty() ? nullptr : list.front();
}

bool BoardModel::calm() const { return m_clock.now() - m_lastCall >= m_settings.calmAfter; }

const Announcement* BoardModel::rotating() const {
    auto list = active(false);
    if (list.empty()) return nullptr;
    const auto step = (m_clock.now() - m_rotationStart) / m_settings.slideSeconds;
    return list[static_cast<size_t>(step) % list.size()];
}

std::string BoardModel::windowName(int number) const {
    for (const auto& w : m_windows) {
        if (w.number == number) return w.name;
    }
    return {};
}

std::vector<CallAnnouncement> BoardModel::takeAnnouncements() {
    std::vector<CallAnnouncement> out;
    out.swap(m_toSpeak);
    return out;
}

void BoardModel::onConnection(bool connected) {
    m_connection = connected ? Connection::Live : Connection::Lost;
}

void BoardModel::tick() {
    if (m_flashTicket != 0 && m_clock.now() - m_flashStart >= m_settings.flashDuration) m_flashTicket = 0;
}

bool BoardModel::flashing(int64_t ticketId) const {
    return ticketId != 0 && ticketId == m_flashTicket && m_clock.now() - m_flashStart < m_settings.flashDuration;
}

bool BoardModel::flashOn(int64_t ticketId) const {
    if (!flashing(ticketId)) return false;
    const auto phase = (m_clock.now() - m_flashStart) / m_settings.flashPeriod;
    return phase % 2 == 0;
}

std::optional<Instant> BoardModel::nextWake() const {
    const Instant now = m_clock.now();
    std::optional<Instant> wake;
    auto consider = [&](Instant t) { wake = wake ? std::min(*wake, t) : t; };
    if (m_flashTicket != 0) {
        const auto elapsed = now - m_flashStart;
        if (elapsed >= m_settings.flashDuration) {
            consider(now);
        } else {
            const auto periods = elapsed / m_settings.flashPeriod + 1;
            consider(m_flashStart + std::chrono::duration_cast<Instant::duration>(m_settings.flashPeriod * periods));
        }
    }
    // Announcements: the next rotation (only when there is something to rotate), the moment
    // the room becomes calm, and the next start or end of one by the wall clock.
    const auto normal = active(false);
    if (!normal.empty()) {
        if (normal.size() > 1) {
            const auto steps = (now - m_rotationStart) / m_settings.slideSeconds + 1;
            consider(m_rotationStart + std::chrono::duration_cast<Instant::duration>(m_settings.slideSeconds * steps));
        }
        if (!calm()) consider(m_lastCall + std::chrono::duration_cast<Instant::duration>(m_settings.calmAfter));
    }
    const WallTime wall = m_clock.wallNow();
    for (const auto& a : m_announcements) {
        for (const auto& t : {a.startsAt, a.endsAt}) {
            // At most a day ahead: a start in the year 9999 must not overflow into the past.
            if (t && *t > wall) {
                const auto ahead = std::min<std::chrono::milliseconds>(*t - wall, std::chrono::hours(24));
                consider(now + std::chrono::duration_cast<Instant::duration>(ahead));
            }
        }
    }
    return wake;
}

}  // namespace talon::display
