// What the kiosk model needs from its printer, as an interface: the real one lays the ticket
// out, encodes ESC/POS and sends it on a worker thread; tests pass a fake.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

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

enum class PrintState { None, Printing, Printed, Failed };

/// One meter on a readings receipt.
struct ReadingsPrintMeter {
    std::string serial;  // masked
    std::vector<std::pair<std::string, std::string>> values;  // zone -> value as typed
    std::string confirmation;  // the server's number, or empty
    std::string localCode;     // kept for delivery: the kiosk's code
};

/// A receipt for handed-in meter readings: nothing on it names the holder beyond initials.
struct ReadingsPrintJob {
    std::string account;  // masked: "••••4567"
    std::string holder;   // initials
    std::vector<ReadingsPrintMeter> meters;
    WallTime at{};
    LocalizedText officeNames;
    std::string language;
};

/// A receipt for a registered (or queued) appeal. Nothing personal is on it: no text, name,
/// phone, e-mail, address or account; the number (or the local code) and the phone's last four
/// digits the visitor remembers are enough for the status check.
struct AppealPrintJob {
    std::string number;     // the registration number, empty while queued
    std::string category;   // the category id (the printer words it: appeals.category.<id>)
    std::string type;       // complaint, request, question, suggestion (appeals.type.<id>)
    std::string dueOnText;  // dd.mm.yyyy, empty while queued
    bool urgent = false;
    std::string localCode;  // queued: the kiosk's code to find the number with later
    WallTime at{};
    LocalizedText officeNames;
    std::string language;
};

class TicketPrinter {
public:
    using Done = std::function<void(Status)>;
    virtual ~TicketPrinter() = default;
    /// Prints one ticket; `done` runs later on the UI thread with the printer's error, if any
    /// (codes printer_missing, printer_failed).
    virtual void printTicket(const TicketPrintJob& job, Done done) = 0;
    /// A receipt for meter readings.
    virtual void printReadings(const ReadingsPrintJob& job, Done done) = 0;
    /// A receipt for an appeal.
    virtual void printAppeal(const AppealPrintJob& job, Done done) = 0;
    /// A test page for staff (office name, time, a QR code).
    virtual void printTestPage(const std::string& language, Done done) = 0;
    virtual bool busy() const = 0;
};

}  // namespace talon::kiosk
