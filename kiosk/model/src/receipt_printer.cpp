// Ticket wording and the print job. Layout and encoding happen on the worker thread too, so a
// slow printer or a big QR never holds up a frame.
#include "talon/kiosk/receipt_printer.h"

#include <ctime>

#include "talon/print/escpos.h"

namespace talon::kiosk {

std::string localDateTime(WallTime t) {
    const std::time_t secs = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    localtime_r(&secs, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%d.%m.%Y %H:%M", &tm);
    return buf;
}

namespace {

std::string waitText(const Catalog& catalog, const std::string& lang, int seconds) {
    if (seconds < 60) return catalog.tr(lang, "time.under_minute");
    return catalog.tr(lang, "time.minutes", {{"n", std::to_string((seconds + 59) / 60)}});
}

/// Receipt printers' code pages have neither a bullet nor an ellipsis: masked digits print as
/// '*' and a cut serial starts with "...".
std::string printable(const std::string& text) {
    std::string out;
    for (size_t i = 0; i < text.size();) {
        if (text.compare(i, 3, "\xE2\x80\xA2") == 0) {
            out += '*';
            i += 3;
        } else if (text.compare(i, 3, "\xE2\x80\xA6") == 0) {
            out += "...";
            i += 3;
        } else {
            out += text[i++];
        }
    }
    return out;
}

print::Paper paperFor(int mm) { return mm == 58 ? print::Paper::mm58() : print::Paper::mm80(); }

}  // namespace

print::PrintLayout ticketPrintLayout(const TicketPrintJob& job, const Catalog& catalog, print::Paper paper) {
    const std::string& lang = job.language;
    print::TicketPrint t;
    t.header = job.officeNames.empty() ? catalog.tr(lang, "kiosk.title") : localized(job.officeNames, lang);
    t.caption = catalog.tr(lang, "kiosk.your_ticket");
    t.number = job.ticket.number;
    if (!job.serviceNames.empty()) t.service = localized(job.serviceNames, lang);
    t.peopleAhead = catalog.tr(lang, "print.ahead", {{"n", std::to_string(job.ticket.ahead.value_or(0))}});
    if (job.ticket.ewtSeconds) {
        t.waitEstimate = catalog.tr(lang, "print.ewt", {{"time", waitText(catalog, lang, *job.ticket.ewtSeconds)}});
    }
    t.issuedAt = catalog.tr(lang, "print.issued", {{"time", localDateTime(job.ticket.issuedAt)}});
    t.statusUrl = job.statusUrl;
    t.qrCaption = catalog.tr(lang, "print.scan");
    t.footer = {catalog.tr(lang, "print.watch_board")};
    return print::ticketLayout(t, paper);
}

print::PrintLayout readingsPrintLayout(const ReadingsPrintJob& job, const Catalog& catalog, print::Paper paper) {
    const std::string& lang = job.language;
    const std::string account = printable(job.account);
    print::PrintLayout layout(paper);
    layout.text(job.officeNames.empty() ? catalog.tr(lang, "kiosk.title") : localized(job.officeNames, lang),
                {print::Align::Center, 1, true})
        .text(catalog.tr(lang, "print.readings_title"), {print::Align::Center, 2, true})
        .rule()
        .text(catalog.tr(lang, "print.readings_account", {{"account", account}}))
        .text(catalog.tr(lang, "print.readings_holder", {{"holder", job.holder}}))
        .text(catalog.tr(lang, "print.readings_date", {{"time", localDateTime(job.at)}}));
    for (const ReadingsPrintMeter& m : job.meters) {
        layout.rule().text(catalog.tr(lang, "print.readings_meter", {{"serial", printable(m.serial)}}),
                               {print::Align::Left, 1, true});
        for (const auto& [zone, value] : m.values) {
            layout.text(catalog.tr(lang, "readings.zone." + zone) + ": " + value);
        }
        if (!m.confirmation.empty()) {
            layout.text(catalog.tr(lang, "print.readings_confirmation"))
                .text(m.confirmation, {print::Align::Center, 2, true});
        } else {
            layout.text(catalog.tr(lang, "print.readings_queued"))
                .text(catalog.tr(lang, "print.readings_local_code"))
                .text(m.localCode, {print::Align::Center, 2, true});
        }
    }
    layout.rule().text(catalog.tr(lang, "print.readings_keep"), {print::Align::Center});
    return layout;
}

print::PrintLayout appealPrintLayout(const AppealPrintJob& job, const Catalog& catalog, print::Paper paper) {
    const std::string& lang = job.language;
    print::PrintLayout layout(paper);
    layout.text(job.officeNames.empty() ? catalog.tr(lang, "kiosk.title") : localized(job.officeNames, lang),
                {print::Align::Center, 1, true})
        .text(catalog.tr(lang, "print.appeal_title"), {print::Align::Center, 2, true})
        .rule();
    if (!job.type.empty()) {
        layout.text(catalog.tr(lang, "print.appeal_type", {{"type", catalog.tr(lang, "appeals.type." + job.type)}}));
    }
    layout.text(catalog.tr(lang, "print.appeal_category",
                           {{"category", catalog.tr(lang, "appeals.category." + job.category)}}))
        .text(catalog.tr(lang, "print.appeal_date", {{"time", localDateTime(job.at)}}))
        .rule();
    if (!job.number.empty()) {
        layout.text(catalog.tr(lang, "print.appeal_number"))
            .text(job.number, {print::Align::Center, 2, true})
            .text(catalog.tr(lang, job.urgent ? "print.appeal_due_urgent" : "print.appeal_due",
                             {{"date", job.dueOnText}}));
    } else {
        layout.text(catalog.tr(lang, "print.appeal_queued"))
            .text(catalog.tr(lang, "print.appeal_local_code"))
            .text(job.localCode, {print::Align::Center, 2, true});
    }
    layout.rule().text(catalog.tr(lang, "print.appeal_status_hint"), {print::Align::Center});
    return layout;
}

print::PrintLayout testPageLayout(const std::string& language, const Catalog& catalog, print::Paper paper) {
    print::PrintLayout layout(paper);
    layout.text(catalog.tr(language, "print.test_title"), {print::Align::Center, 2, true})
        .rule()
        .text(catalog.tr(language, "print.test_body"), {print::Align::Center})
        .text("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ 0123456789 ABCXYZ", {print::Align::Center})
        .qr("TALON TEST " + localDateTime(std::chrono::time_point_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now())))
        .text(localDateTime(std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now())),
              {print::Align::Center});
    return layout;
}

Result<std::unique_ptr<ReceiptPrinter>> ReceiptPrinter::create(const PrinterConfig& config, const Catalog& catalog,
                                                                RunQueue& queue) {
    auto printer = print::openPrinter(config.target);
    if (!printer) return printer.error();
    return std::unique_ptr<ReceiptPrinter>(new ReceiptPrinter(config, catalog, queue, std::move(printer).value()));
}

ReceiptPrinter::ReceiptPrinter(const PrinterConfig& config, const Catalog& catalog, RunQueue& queue,
                               std::unique_ptr<print::Printer> printer)
    : m_config(config), m_catalog(catalog), m_queue(queue), m_printer(std::move(printer)) {}

void ReceiptPrinter::send(print::PrintLayout layout, Done done) {
    m_worker.submit([this, layout = std::move(layout), done = std::move(done)] {
        print::EscPosOptions options;
        options.codePage = m_config.codePage;
        options.charset = m_config.charset;
        Status st = okStatus();
        auto bytes = print::toEscPos(layout, options);
        if (!bytes) {
            st = makeError(ErrorKind::Internal, print::kPrinterFailed, bytes.error().message);
        } else {
            st = m_printer->print(bytes.value());
        }
        m_queue.post([done, st = std::move(st)]() mutable { done(std::move(st)); });
    });
}

void ReceiptPrinter::printTicket(const TicketPrintJob& job, Done done) {
    send(ticketPrintLayout(job, m_catalog, paperFor(m_config.paperMm)), std::move(done));
}

void ReceiptPrinter::printReadings(const ReadingsPrintJob& job, Done done) {
    send(readingsPrintLayout(job, m_catalog, paperFor(m_config.paperMm)), std::move(done));
}

void ReceiptPrinter::printAppeal(const AppealPrintJob& job, Done done) {
    send(appealPrintLayout(job, m_catalog, paperFor(m_config.paperMm)), std::move(done));
}

void ReceiptPrinter::printTestPage(const std::string& language, Done done) {
    send(testPageLayout(language, m_catalog, paperFor(m_config.paperMm)), std::move(done));
}

}  // namespace talon::kiosk
