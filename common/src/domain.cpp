// String forms of the domain enums (the wire format uses these exact words).
#include "talon/common/domain.h"

namespace talon {

std::string_view toString(TicketStatus s) {
    switch (s) {
        case TicketStatus::Waiting: return "waiting";
        case TicketStatus::Called: return "called";
        case TicketStatus::Serving: return "serving";
        case TicketStatus::Done: return "done";
        case TicketStatus::NoShow: return "no_show";
        case TicketStatus::Cancelled: return "cancelled";
    }
    return "waiting";
}

std::optional<TicketStatus> ticketStatusFromString(std::string_view s) {
    if (s == "waiting") return TicketStatus::Waiting;
    if (s == "called") return TicketStatus::Called;
    if (s == "serving") return TicketStatus::Serving;
    if (s == "done") return TicketStatus::Done;
    if (s == "no_show") return TicketStatus::NoShow;
    if (s == "cancelled") return TicketStatus::Cancelled;
    return std::nullopt;
}

std::string_view toString(Priority p) {
    switch (p) {
        case Priority::Normal: return "normal";
        case Priority::Priority: return "priority";
        case Priority::Appointment: return "appointment";
    }
    return "normal";
}

std::string_view toString(WindowState s) { return s == WindowState::Open ? "open" : "paused"; }

std::optional<Priority> priorityFromString(std::string_view s) {
    if (s == "normal") return Priority::Normal;
    if (s == "priority") return Priority::Priority;
    if (s == "appointment") return Priority::Appointment;
    return std::nullopt;
}

std::string localized(const LocalizedText& text, std::string_view lang) {
    if (auto it = text.find(std::string(lang)); it != text.end()) return it->second;
    if (auto it = text.find("en"); it != text.end()) return it->second;
    return text.empty() ? std::string{} : text.begin()->second;
}

}  // namespace talon
