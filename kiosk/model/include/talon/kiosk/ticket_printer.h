// What the kiosk model needs from its printer, as an interface: the real one lays the ticket
// out, encodes ESC/POS and sends it on a worker thread; tests pass a fake.
#pragma once

#include <functional>
#include <string>

#include "talon/common/domain.h"
#include "talon/common/result.h"

namespace talon::kiosk {

/// Everything printed on a ticket, in the visitor's language choice (the printer words it).
struct TicketPrintJob {
    Ticket ticket;
    LocalizedText serviceNames;
    LocalizedText officeNames;
    std::string language;
    std::string statusUrl;  // the QR code: where a phone follows this ticket
};

class TicketPrinter {
public:
    using Done = std::function<void(Status)>;
    virtual ~TicketPrinter() = default;
    /// Prints one ticket; `done` runs later on the UI thread with the printer's error, if any
    /// (codes printer_missing, printer_failed).
    virtual void printTicket(const TicketPrintJob& job, Done done) = 0;
    /// A test page for staff (office name, time, a QR code).
    virtual void printTestPage(const std::string& language, Done done) = 0;
    virtual bool busy() const = 0;
};

}  // namespace talon::kiosk
