// The real TicketPrinter: words the ticket in the visitor's language, lays it out once
// (talon_print), encodes ESC/POS and sends it to the configured printer on a worker thread.
#pragma once

#include <memory>
#include <string>

#include "talon/common/i18n.h"
#include "talon/common/run_queue.h"
#include "talon/common/worker.h"
#include "talon/kiosk/kiosk_config.h"
#include "talon/kiosk/ticket_printer.h"
#include "talon/print/layout.h"
#include "talon/print/printer.h"

namespace talon::kiosk {

/// The printed ticket's layout: the same one goes to the printer and to PNG previews.
print::PrintLayout ticketPrintLayout(const TicketPrintJob& job, const Catalog& catalog, print::Paper paper);
/// The receipt for handed-in meter readings.
print::PrintLayout readingsPrintLayout(const ReadingsPrintJob& job, const Catalog& catalog, print::Paper paper);
/// The receipt for an appeal: number, category, deadline (or the local code while it waits in
/// the outbox); no text and no personal data.
print::PrintLayout appealPrintLayout(const AppealPrintJob& job, const Catalog& catalog, print::Paper paper);
/// The staff test page.
print::PrintLayout testPageLayout(const std::string& language, const Catalog& catalog, print::Paper paper);
/// "23.11.2026 09:41" in the kiosk's local time.
std::string localDateTime(WallTime t);

class ReceiptPrinter final : public TicketPrinter {
public:
    /// Errors: a bad printer target string (Config).
    static Result<std::unique_ptr<ReceiptPrinter>> create(const PrinterConfig& config, const Catalog& catalog,
                                                          RunQueue& queue);
    void printTicket(const TicketPrintJob& job, Done done) override;
    void printReadings(const ReadingsPrintJob& job, Done done) override;
    void printAppeal(const AppealPrintJob& job, Done done) override;
    void printTestPage(const std::string& language, Done done) override;
    bool busy() const override { return !m_worker.idle(); }

private:
    ReceiptPrinter(const PrinterConfig& config, const Catalog& catalog, RunQueue& queue,
                   std::unique_ptr<print::Printer> printer);
    void send(print::PrintLayout layout, Done done);

    PrinterConfig m_config;
    const Catalog& m_catalog;
    RunQueue& m_queue;
    std::unique_ptr<print::Printer> m_printer;  // used on the worker thread only
    Worker m_worker;                            // declared last: joined first
};

}  // namespace talon::kiosk
