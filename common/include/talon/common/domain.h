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

enum class TicketStatus { Waiting, Called, Done };
enum class Priority { Normal, Priority, Appointment };

std::string_view toString(TicketStatus s);
std::optional<TicketStatus> ticketStatusFromString(std::string_view s);
std::string_view toString(Priority p);
std::optional<Priority> priorityFromString(std::string_view s);

/// Names of a thing in each language, keyed by language code ("ru", "en").
using LocalizedText = std::map<std::string, std::string>;

/// The text in `lang`, else English, else any, else empty.
std::string localized(const LocalizedText& text, std::string_view lang);

struct Service {
    int64_t id = 0;
    std::string letter;  // ticket prefix, also the public key of the service
    LocalizedText names;
    int waiting = 0;
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
    std::optional<int> ahead;  // only in the answer to issuing: people waiting before it
};

struct Window {
    int number = 0;
    std::string name;
    std::vector<WindowService> services;
    std::optional<Ticket> current;
};

struct BoardCall {
    int64_t ticketId = 0;
    std::string number;
    std::string service;
    int window = 0;
    WallTime calledAt{};
    TicketStatus status = TicketStatus::Called;
};

struct Board {
    std::vector<BoardCall> calls;  // newest first
    std::vector<Service> services;
    int64_t lastEventId = 0;
    std::string logId;  // identifies the server's event log; changes only with a new database
};

/// One event of the live stream, decoded.
struct QueueEvent {
    int64_t id = 0;
    std::string type;  // "ticket.issued", "ticket.called", "ticket.done"
    std::optional<Ticket> ticket;
    std::map<std::string, int> waiting;  // letter -> waiting count after the change
};

}  // namespace talon
