// Domain types shared by the server and every client: services, windows, tickets, board.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "talon/common/time.h"

namespace talon {

/// waiting → called → serving → done; called → no_show; waiting → cancelled;
/// called/serving → waiting again (returned or transferred).
enum class TicketStatus { Waiting, Called, Serving, Done, NoShow, Cancelled };

/// True for the statuses a ticket can still leave (it holds its number).
inline bool isOpen(TicketStatus s) {
    return s == TicketStatus::Waiting || s == TicketStatus::Called || s == TicketStatus::Serving;
}
enum class Priority { Normal, Priority, Appointment };
enum class WindowState { Open, Paused };

std::string_view toString(TicketStatus s);
std::optional<TicketStatus> ticketStatusFromString(std::string_view s);
std::string_view toString(Priority p);
std::string_view toString(WindowState s);
std::optional<Priority> priorityFromString(std::string_view s);

/// Names of a thing in each language, keyed by language code ("ru", "en").
using LocalizedText = std::map<std::string, std::string>;

/// The text in `lang`, else English, else any, else empty.
std::string localized(const LocalizedText& text, std::string_view lang);

/// Whether a service issues tickets now, and if not, why (machine code + sentence).
struct ServiceAvailability {
    bool open = true;
    std::string reason;   // "closed", "holiday", "closing" (queue cannot be served before closing)
    std::string message;  // the reason as a sentence in the caller's language
    std::optional<WallTime> opensAt;
    std::optional<WallTime> closesAt;
};

struct Service {
    int64_t id = 0;
    std::string letter;  // ticket prefix, also the public key of the service
    LocalizedText names;
    int waiting = 0;
    std::optional<int> ewtSeconds;  // estimated wait for a ticket taken now; none: no window open
    ServiceAvailability availability;
    std::optional<WallTime> oldestIssuedAt;  // issue time of the longest-waiting ticket; none: nobody waits
};

struct WindowService {
    std::string service;  // letter
    double weight = 1.0;
};

struct Ticket {
    int64_t id = 0;
    std::string number;   // "A001"
    std::string service;  // letter
    TicketStatus status = TicketStatus::Waiting;
    Priority priority = Priority::Normal;
    WallTime issuedAt{};
    std::optional<WallTime> calledAt;
    std::optional<WallTime> finishedAt;
    std::optional<int> window;
    std::optional<WallTime> startedAt;
    int recalls = 0;
    std::string outcome;                // on done: "resolved", "follow_up", "referred"; "expired"
    std::optional<int> assignedWindow;  // transferred to this window: only it calls the ticket
    std::optional<WallTime> appointmentAt;
    std::optional<int> ahead;       // people waiting before it (issue answer, GET /tickets/{id})
    std::optional<int> ewtSeconds;  // estimated wait: at issue, or from now (GET /tickets/{id})
};

struct Window {
    int number = 0;
    std::string name;
    std::vector<WindowService> services;
    std::optional<Ticket> current;
    WindowState state = WindowState::Open;
    std::string pauseReason;
};

struct BoardCall {
    int64_t ticketId = 0;
    std::string number;
    std::string service;
    int window = 0;
    WallTime calledAt{};
    TicketStatus status = TicketStatus::Called;
    int recalls = 0;
};

/// Opening hours of one weekday (0 = Monday), minutes since local midnight.
struct DayHours {
    int weekday = 0;
    int openMinute = 0;
    int closeMinute = 24 * 60;
};

/// The office for visitors: its name, where phones reach it, and when it issues tickets.
/// An appeal category as the server's `[appeals]` configures it (GET /api/v1/office).
struct AppealCategory {
    std::string id;
    LocalizedText names;  // empty: the catalogs name it (appeals.category.<id>)
    int deadlineWorkingDays = 10;
    bool urgent = false;  // alerted at once and due the same working day
};

struct OfficeInfo {
    LocalizedText names;
    std::string publicUrl;              // the ticket QR code links to publicUrl + "/t/" + id
    std::string timezone;
    std::string today;                  // local date YYYY-MM-DD
    std::vector<DayHours> hours;        // weekdays with tickets; a missing weekday is closed
    std::vector<std::string> holidays;  // upcoming dates with no tickets
    std::vector<AppealCategory> appealCategories;  // in the order offered; empty from older servers
};

/// The last printer state a kiosk reported.
struct DeviceStatus {
    std::string id;       // the kiosk's configured id
    std::string kind;     // "kiosk"
    std::string printer;  // ok, failed, missing
    std::string detail;   // the printer's own error text, for staff
    WallTime updatedAt{};
};

/// A notice for the waiting-room boards, managed on the server (docs/api.md, Announcements).
struct Announcement {
    int64_t id = 0;
    LocalizedText texts;  // at least one language; each at most 500 bytes, one line
    std::string image;    // a file name under the server's assets/announcements/ (served at
                          // /announcements/NAME); empty: none
    std::optional<WallTime> startsAt;  // none: shown at once
    std::optional<WallTime> endsAt;    // none: until deleted
    std::string priority = "normal";   // "normal" (ticker or slide) or "urgent" (takes the screen)
    WallTime createdAt{};
};

/// A configured window as boards show it next to a call.
struct BoardWindow {
    int number = 0;
    std::string name;  // "Окно 3"
};

struct Board {
    std::vector<BoardCall> calls;  // newest first (recalls move a call back to the top)
    std::vector<Service> services;
    int64_t lastEventId = 0;
    std::string logId;  // identifies the server's event log; changes only with a new database
    std::vector<Announcement> announcements;  // not deleted, not ended (some may start later); newest first
    std::vector<BoardWindow> windows;         // every configured window, by number
    std::optional<WallTime> serverNow;        // the server's clock when it answered (X-Server-Time)
};

/// One event of the live stream, decoded.
struct QueueEvent {
    int64_t id = 0;
    std::string type;  // "ticket.issued", "ticket.called", "ticket.recalled", ... (docs/api.md)
    std::optional<Ticket> ticket;
    std::optional<int> window;  // window.paused / window.resumed
    std::map<std::string, int> waiting;  // letter -> waiting count after the change
    std::map<std::string, std::optional<int>> ewt;  // letter -> estimated wait for a new ticket
    std::optional<Announcement> announcement;  // announcement.created / announcement.updated
    std::optional<int64_t> announcementId;     // announcement.deleted
};

/// One zone of a meter as the account lookup shows it (docs/api.md, Meter readings).
struct MeterZone {
    std::string zone;                    // total, day, night, peak, half_peak (meter::zonesOf)
    std::optional<std::string> last;     // the last reading as the register shows it: "12345.6"
    std::optional<std::string> readOn;   // YYYY-MM-DD, with `last`
};

/// A meter of an account, masked: the serial's last characters only.
struct MeterInfo {
    int number = 0;                      // 1-based position on the account (the submission names it)
    std::string serial;                  // "…1234"
    std::string tariff;                  // single, day_night, three_zone
    int wholeDigits = 6;
    int decimalDigits = 0;
    std::vector<MeterZone> zones;
    std::optional<double> usualPerDay;   // kWh per day, when billing knows it
    std::optional<std::string> calibrationDue;
    bool calibrationOverdue = false;
    std::optional<std::string> submittedOn;  // this period's readings were accepted on that date
    std::string waitingCode;  // kiosk-side: this kiosk's outbox holds readings for it (their local code)
};

/// An account as a kiosk may show it: initials and the address without the flat.
struct MeterAccount {
    std::string number;
    std::string holder;   // "И. П. С."
    std::string address;  // street and house
    std::string status;   // active, closed
    std::vector<MeterInfo> meters;
    std::string today;    // the office's date, YYYY-MM-DD
    std::string period;   // YYYY-MM
    double implausibleFactor = 3.0;
    int windowFirstDay = 15;
    int windowLastDay = 25;
    double rolloverShare = 0.1;
};

/// One meter's readings as the visitor typed them (POST /api/v1/readings).
struct ReadingSubmission {
    std::string account;
    int meter = 0;
    std::string serial;  // the masked serial the visitor saw
    std::vector<std::pair<std::string, std::string>> values;  // zone -> typed value
    bool confirmed = false;
    std::optional<WallTime> takenAt;  // when the visitor sent it (outbox deliveries)
    std::string localCode;            // the kiosk's code on the receipt, when it has one
};

/// One zone of an accepted submission.
struct AcceptedReading {
    std::string zone;
    std::string value;
    std::optional<std::string> previous;
    std::string consumption;
    bool rollover = false;
};

/// The server's receipt for an accepted submission.
struct ReadingReceipt {
    std::string confirmation;  // "R-2026-000123"
    std::string account;
    int meter = 0;
    std::string serial;
    std::string period;
    WallTime takenAt{};
    WallTime acceptedAt{};
    bool outsideWindow = false;
    bool confirmed = false;
    std::string localCode;
    std::vector<AcceptedReading> readings;
};

/// One appeal as the visitor gave it at the kiosk (POST /api/v1/appeals, docs/api.md Appeals).
/// Empty optional strings (email, address, account, local code) are left out of the body.
struct AppealSubmission {
    std::string type;          // complaint, request, question, suggestion
    std::string category;      // a configured category id (KioskSettings::appealCategories)
    std::string text;          // 1 to 2000 characters
    std::string name;
    std::string phone;         // the digits as typed (the server takes 10 to 15, "+" optional)
    std::string email;
    std::string address;       // postal address: required for a reply by letter
    std::string replyChannel;  // phone, email, letter, sms
    bool consent = false;
    std::string account;       // optional account number
    std::string localCode;     // the kiosk's code on the receipt, when it has one
    std::optional<WallTime> takenAt;  // when the visitor sent it (kept in the outbox; not sent)
};

/// The server's answer to a registered appeal (201, or 200 for a repeated idempotency key).
struct AppealReceipt {
    std::string number;     // "Ж-2026-000123"
    std::string status;     // registered
    std::string category;
    std::string dueOn;      // YYYY-MM-DD, office-local
    std::string dueOnText;  // dd.mm.yyyy
    bool urgent = false;
    std::string localCode;
};

/// The visitor's status check (GET /api/v1/appeals/status): status and deadline only.
struct AppealStatus {
    std::string number;
    std::string status;      // registered, assigned, in_progress, answered, closed
    std::string statusText;  // worded in the request's language
    std::string dueOn;
    std::string dueOnText;
    bool extended = false;   // the deadline was moved
};

}  // namespace talon
