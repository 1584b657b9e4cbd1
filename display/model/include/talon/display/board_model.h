// BoardModel: what the waiting-room board shows, with no UI types. Fed by board snapshots and
// stream events (deduplicated by event id), it keeps the recent calls, the waiting counts,
// the connection state and which call is flashing.
#pragma once

#include <chrono>
#include <deque>
#include <optional>
#include <set>
#include <tuple>
#include <string>
#include <vector>

#include "talon/common/domain.h"
#include "talon/common/time.h"

namespace talon::display {

enum class Connection { Connecting, Live, Lost };

struct BoardSettings {
    std::chrono::milliseconds flashDuration{6000};  // a new call flashes this long
    std::chrono::milliseconds flashPeriod{500};     // on/off half-period of the flash
    size_t maxCalls = 12;                           // calls kept (current + history)
    /// Calls learnt later than this after they happened (a long outage) are shown, not spoken.
    std::chrono::seconds announceWithin{120};
    std::set<std::string> services;  // this board shows only these services; empty: all
    std::set<int> windows;           // ... and only calls to these windows; empty: all
    std::chrono::seconds calmAfter{30};     // no call for this long: announcement slides show
    std::chrono::seconds slideSeconds{12};  // slides and ticker lines change this often
};

/// A call the board must speak: the announcer's queue takes these in order.
struct CallAnnouncement {
    int64_t ticketId = 0;
    std::string number;
    int window = 0;
    bool recall = false;
};

class BoardModel {
public:
    explicit BoardModel(const Clock& clock, BoardSettings settings = {});

    /// A full snapshot (at start and after each reconnect). A snapshot older than what the
    /// events already showed is ignored, unless it comes from another event log (new database).
    void onSnapshot(const Board& board);
    /// One stream event; events at or below the last applied id are duplicates and ignored.
    void onEvent(const QueueEvent& event);
    void onConnection(bool connected);
    void tick();

    const std::deque<BoardCall>& calls() const { return m_calls; }  // newest first
    const std::vector<Service>& services() const { return m_services; }
    Connection connection() const { return m_connection; }
    int64_t lastEventId() const { return m_lastEventId; }
    bool hasSnapshot() const { return m_hasSnapshot; }
    /// True while `ticketId` flashes and the flash is in its "on" half-period.
    bool flashOn(int64_t ticketId) const;
    bool flashing(int64_t ticketId) const;
    std::optional<Instant> nextWake() const;
    /// Calls to speak since the last take, oldest first: every call and recall once, including
    /// calls missed while disconnected (replayed events or a later snapshot), unless older than
    /// announceWithin. Nothing from the very first snapshot: a board that starts up does not
    /// repeat what the room already heard.
    std::vector<CallAnnouncement> takeAnnouncements();
    /// Whether a call or service passes this board's filters.
    bool shows(const std::string& service, int window) const;

    // Announcements from the server (snapshot and announcement.* events).
    const std::vector<Announcement>& announcements() const { return m_announcements; }
    /// The newest urgent announcement in its time window: it takes over the screen.
    const Announcement* urgent() const;
    /// No call for calmAfter: the calls area may show slides.
    bool calm() const;
    /// The normal announcement to show now, rotating every slideSeconds (nullptr: none).
    const Announcement* rotating() const;
    /// The window's configured name ("Окно 3"), empty when unknown.
    std::string windowName(int number) const;

private:
    void applyCall(const Ticket& t, bool recall);
    /// Queues the call for speaking unless it was spoken already or is too old.
    void announce(const BoardCall& call, bool recall);

    const Clock& m_clock;
    BoardSettings m_settings;
    std::deque<BoardCall> m_calls;
    std::vector<Service> m_services;
    Connection m_connection = Connection::Connecting;
    int64_t m_lastEventId = 0;
    std::string m_logId;
    bool m_hasSnapshot = false;
    int64_t m_flashTicket = 0;
    Instant m_flashStart{};
    std::vector<CallAnnouncement> m_toSpeak;
    // (ticket, recalls, window) of calls spoken or deliberately skipped; bounded.
    // (ticket, time of the call) of calls spoken or deliberately skipped; bounded. A recall, or
    // a ticket returned and called again, is a new call with a new time.
    std::set<std::pair<int64_t, int64_t>> m_spoken;
    std::deque<std::pair<int64_t, int64_t>> m_spokenOrder;
    std::vector<QueueEvent> m_early;  // events that came before the first snapshot
    std::chrono::milliseconds m_serverOffset{0};  // server clock − ours, from the last snapshot
    void markSpoken(const BoardCall& call);
    std::vector<Announcement> m_announcements;  // newest first
    std::vector<BoardWindow> m_windows;
    Instant m_lastCall{};    // monotonic time of the last call shown (start-up counts as one)
    Instant m_rotationStart{};
    std::vector<const Announcement*> active(bool urgentOnes) const;
};

}  // namespace talon::display
