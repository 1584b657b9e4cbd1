// KioskModel transitions. Every path back home wipes what the visitor entered.
#include "talon/kiosk/kiosk_model.h"

#include <algorithm>

#include "talon/common/api_client.h"

namespace talon::kiosk {

const char* toString(KioskScreen screen) {
    switch (screen) {
        case KioskScreen::Loading: return "loading";
        case KioskScreen::Home: return "home";
        case KioskScreen::Priority: return "priority";
        case KioskScreen::Issuing: return "issuing";
        case KioskScreen::Ticket: return "ticket";
        case KioskScreen::IssueFailed: return "issue-failed";
        case KioskScreen::Unreachable: return "unreachable";
        case KioskScreen::Closed: return "closed";
        case KioskScreen::Info: return "info";
        case KioskScreen::AdminPin: return "admin-pin";
        case KioskScreen::AdminMenu: return "admin-menu";
        case KioskScreen::Readings: return "readings";
        case KioskScreen::Appeal: return "appeal";
    }
    return "?";
}

KioskModel::KioskModel(KioskBackend& backend, TicketPrinter& printer, const Clock& clock, KioskSettings settings,
                       FaqCatalog faq)
    : m_backend(backend),
      m_printer(printer),
      m_clock(clock),
      m_settings(std::move(settings)),
      m_faq(std::move(faq)),
      m_readings(backend, printer, clock),
      m_appeals(backend, printer, clock, m_settings.appealCategories) {
    m_language = m_settings.defaultLanguage;
    m_lastInput = m_screenSince = m_clock.now();
    m_appeals.setKeyboardLanguages(m_settings.languages, m_language);
    m_appeals.setVisitorLanguage(m_language);
    m_readings.setPrintObserver([this](const Status& st) {
        if (st) {
            if (m_sentPrinter != "ok") reportPrinter("ok", "");
        } else {
            reportPrinter(st.error().code == "printer_missing" ? "missing" : "failed", st.error().message);
        }
    });
    m_readings.setReceiptContext([this](ReadingsPrintJob& job) {
        job.language = m_language;
        if (m_office) job.officeNames = m_office->names;
    });
    m_appeals.setPrintObserver([this](const Status& st) {
        if (st) {
            if (m_sentPrinter != "ok") reportPrinter("ok", "");
        } else {
            reportPrinter(st.error().code == "printer_missing" ? "missing" : "failed", st.error().message);
        }
    });
    m_appeals.setReceiptContext([this](AppealPrintJob& job) {
        job.language = m_language;
        if (m_office) job.officeNames = m_office->names;
    });
}

void KioskModel::go(KioskScreen screen) {
    m_screen = screen;
    m_screenSince = m_clock.now();
}

void KioskModel::start() {
    m_backend.setLanguage(m_language);
    reload();
    sweepOutbox();  // what a previous run could not deliver goes out first
}

void KioskModel::sweepOutbox() {
    if (m_outboxInFlight) return;
    m_outboxInFlight = true;
    m_lastSweep = m_clock.now();
    m_backend.deliverOutbox([this](Result<OutboxState> r) {
        m_outboxInFlight = false;
        if (r) m_outbox = r.value();
    });
}

void KioskModel::reload() {
    if (!m_office && !m_officeInFlight) {
        m_officeInFlight = true;
        m_backend.loadOffice([this](Result<OfficeInfo> r) { onOfficeLoaded(std::move(r)); });
    }
    if (m_unreportedPrinter && !m_reportInFlight) {
        auto [state, detail] = *m_unreportedPrinter;
        reportPrinter(state, detail);
    }
    if (m_loadInFlight) return;
    m_loadInFlight = true;
    m_loadLanguage = m_language;
    m_lastLoad = m_clock.now();
    m_backend.loadServices([this](Result<std::vector<Service>> r) { onServicesLoaded(std::move(r)); });
}

void KioskModel::resetSession() {
    m_ticket.reset();
    m_statusQr = {};
    m_printState = PrintState::None;
    m_printErrorCode.clear();
    m_pendingService.clear();
    m_pendingPriority = Priority::Normal;
    m_pendingKey.clear();
    m_errorMessage.clear();
    m_errorUnreachable = false;
    m_openFaq = -1;
    m_pin.clear();
    m_pinRejected = false;
    m_testPrint.reset();
    m_cornerTaps.clear();
    m_readings.reset();
    m_appeals.reset();
    if (m_language != m_settings.defaultLanguage) {
        m_language = m_settings.defaultLanguage;
        m_backend.setLanguage(m_language);
    }
}

KioskScreen KioskModel::restingScreen() const {
    if (m_services.empty()) return KioskScreen::Unreachable;
    const bool anyOpen = std::any_of(m_services.begin(), m_services.end(),
                                     [](const Service& s) { return s.availability.open; });
    return anyOpen ? KioskScreen::Home : KioskScreen::Closed;
}

bool KioskModel::resting() const {
    return m_screen == KioskScreen::Home || m_screen == KioskScreen::Closed || m_screen == KioskScreen::Unreachable;
}

void KioskModel::chooseService(const std::string& letter) {
    if (m_screen != KioskScreen::Home) return;  // a double tap lands here while Issuing
    const Service* s = serviceByLetter(letter);
    if (!s || !s->availability.open) return;  // a closed service's button does nothing
    m_pendingService = letter;
    if (m_settings.askPriority) {
        go(KioskScreen::Priority);
    } else {
        issue(Priority::Normal);
    }
}

void KioskModel::choosePriority(std::optional<PriorityReason> reason) {
    if (m_screen != KioskScreen::Priority) return;  // the second tap of a double tap
    issue(reason ? Priority::Priority : Priority::Normal);
}

void KioskModel::issue(Priority priority) {
    m_pendingPriority = priority;
    m_pendingKey = newIdempotencyKey();  // one key per ticket the visitor asked for
    // The same choice again soon after a request whose answer never came: that request may
    // have issued a ticket, so ask with its key and get that ticket rather than a second one.
    if (m_unanswered && m_unanswered->service == m_pendingService && m_unanswered->priority == priority &&
        m_clock.now() - m_unanswered->at < kUnansweredReuse) {
        m_pendingKey = m_unanswered->key;
    }
    go(KioskScreen::Issuing);
    m_backend.issueTicket(m_pendingService, priority, m_pendingKey,
                          [this](Result<Ticket> r) { onTicketIssued(std::move(r)); });
}

void KioskModel::retry() {
    if (m_screen == KioskScreen::IssueFailed && m_errorUnreachable && !m_pendingService.empty()) {
        go(KioskScreen::Issuing);
        m_backend.issueTicket(m_pendingService, m_pendingPriority, m_pendingKey,
                              [this](Result<Ticket> r) { onTicketIssued(std::move(r)); });
    } else if (m_screen == KioskScreen::Unreachable) {
        reload();
    }
}

void KioskModel::finishTicket() {
    if (m_screen != KioskScreen::Ticket) return;
    backToHome();
}

void KioskModel::backToHome() {
    if (m_screen == KioskScreen::Issuing) return;  // the answer is on its way
    // Readings on their way finish first: the visitor must see what became of them.
    if (m_screen == KioskScreen::Readings && m_readings.step() == ReadingsStep::Sending) return;
    // So does an appeal: the number (or local code) must reach the visitor.
    if (m_screen == KioskScreen::Appeal && m_appeals.step() == AppealStep::Sending) return;
    resetSession();
    go(restingScreen());
    reload();  // fresh waiting counts
}

void KioskModel::openInfo() {
    if (!resting() && m_screen != KioskScreen::Info) return;
    m_openFaq = -1;
    go(KioskScreen::Info);
    reload();  // hours as the server has them now
}

void KioskModel::openReadings() {
    if (!m_settings.readings || (m_screen != KioskScreen::Home && m_screen != KioskScreen::Closed)) return;
    m_readings.begin();
    go(KioskScreen::Readings);
}

void KioskModel::openAppeal() {
    if (!m_settings.appeals || (m_screen != KioskScreen::Home && m_screen != KioskScreen::Closed)) return;
    // The server's categories when it has told them, else this kiosk's list (offline start).
    std::vector<std::string> ids;
    if (m_office) {
        for (const AppealCategory& c : m_office->appealCategories) {
            if (ids.size() < kMaxAppealCategories) ids.push_back(c.id);
        }
    }
    m_appeals.setCategories(ids.empty() ? m_settings.appealCategories : std::move(ids));
    m_appeals.begin();
    m_appeals.setVisitorLanguage(m_language);
    go(KioskScreen::Appeal);
}

const AppealCategory* KioskModel::appealCategory(const std::string& id) const {
    if (!m_office) return nullptr;
    for (const AppealCategory& c : m_office->appealCategories) {
        if (c.id == id) return &c;
    }
    return nullptr;
}

void KioskModel::openAppealStatus() {
    if (!m_settings.appeals || (m_screen != KioskScreen::Home && m_screen != KioskScreen::Closed)) return;
    m_appeals.beginStatus();
    m_appeals.setVisitorLanguage(m_language);
    go(KioskScreen::Appeal);
}

bool KioskModel::meterServiceOpen() const {
    const Service* s = serviceByLetter(m_settings.meterService);
    return s && s->availability.open;
}

void KioskModel::readingsTicket() {
    // Offered when the visitor is through: after sending, or when there was nothing to hand in.
    const ReadingsStep step = m_readings.step();
    const bool through = step == ReadingsStep::Done || (step == ReadingsStep::Meters && !m_readings.anythingToEnter());
    if (m_screen != KioskScreen::Readings || !through || !m_readings.calibrationOverdue() || !meterServiceOpen()) {
        return;
    }
    const std::string language = m_language;
    resetSession();
    // The visitor keeps the language they chose for the ticket that follows.
    if (language != m_language) {
        m_language = language;
        m_backend.setLanguage(language);
    }
    go(KioskScreen::Home);
    chooseService(m_settings.meterService);
}

void KioskModel::toggleFaq(int index) {
    if (m_screen != KioskScreen::Info) return;
    const int count = static_cast<int>(faq().size());
    if (index < 0 || index >= count) return;
    m_openFaq = m_openFaq == index ? -1 : index;
}

const std::vector<FaqEntry>& KioskModel::faq() const {
    static const std::vector<FaqEntry> kNone;
    if (auto it = m_faq.find(m_language); it != m_faq.end()) return it->second;
    if (auto it = m_faq.find("en"); it != m_faq.end()) return it->second;
    return kNone;
}

void KioskModel::setLanguage(const std::string& language) {
    if (m_screen == KioskScreen::Issuing) return;
    if (m_screen == KioskScreen::Readings &&
        (m_readings.step() == ReadingsStep::LookingUp || m_readings.step() == ReadingsStep::Sending)) {
        return;  // the answer comes worded in the language it was asked in
    }
    if (m_screen == KioskScreen::Appeal && m_appeals.waiting()) return;
    for (const auto& l : m_settings.languages) {
        if (l == language && l != m_language) {
            m_language = language;
            m_backend.setLanguage(language);
            m_appeals.setVisitorLanguage(language);
            reload();  // closed-service reasons come worded in the visitor's language
            return;
        }
    }
}

bool isLoopbackUrl(std::string_view url) {
    const size_t scheme = url.find("://");
    std::string_view host = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
    if (!host.empty() && host.front() == '[') {
        host = host.substr(0, host.find(']') == std::string_view::npos ? host.size() : host.find(']') + 1);
    } else {
        host = host.substr(0, host.find_first_of(":/"));
    }
    return host == "localhost" || host.rfind("127.", 0) == 0 || host == "[::1]" || host.empty();
}

std::string KioskModel::statusUrl() const {
    if (!m_ticket) return {};
    std::string base = m_office && !m_office->publicUrl.empty() ? m_office->publicUrl : m_settings.serverUrl;
    // A phone cannot reach this machine's own loopback address: no link rather than a dead one
    // (set [office] public_url on the server).
    if (isLoopbackUrl(base)) return {};
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/t/" + std::to_string(m_ticket->id);
}

void KioskModel::cornerTap() {
    if (m_settings.adminPin.empty() || !resting()) return;
    const Instant now = m_clock.now();
    if (m_pinLockedUntil && now < *m_pinLockedUntil) return;
    std::erase_if(m_cornerTaps, [&](Instant t) { return now - t > m_settings.exitGestureWindow; });
    m_cornerTaps.push_back(now);
    if (static_cast<int>(m_cornerTaps.size()) >= m_settings.exitGestureTaps) {
        m_cornerTaps.clear();
        m_pin.clear();
        m_pinRejected = false;
        go(KioskScreen::AdminPin);
    }
}

void KioskModel::submitPin() {
    if (m_screen != KioskScreen::AdminPin || m_pin.empty()) return;
    // Compare every byte so the time taken does not tell how much of the PIN was right.
    const std::string& typed = m_pin.value();
    const std::string& pin = m_settings.adminPin;
    unsigned diff = typed.size() != pin.size() ? 1u : 0u;
    for (size_t i = 0; i < typed.size(); ++i) diff |= static_cast<unsigned>(typed[i] ^ pin[i % pin.size()]);
    m_pin.clear();
    if (diff == 0) {
        m_pinFailures = 0;
        m_pinRejected = false;
        m_testPrint.reset();
        go(KioskScreen::AdminMenu);
        return;
    }
    m_pinRejected = true;
    if (++m_pinFailures >= m_settings.pinAttempts) {
        m_pinFailures = 0;
        m_pinLockedUntil = m_clock.now() + m_settings.pinLockout;
        backToHome();
    }
}

void KioskModel::exitKiosk() {
    if (m_screen == KioskScreen::AdminMenu) m_exitRequested = true;
}

void KioskModel::printTestPage() {
    if (m_screen != KioskScreen::AdminMenu || m_testPrinting) return;
    m_testPrinting = true;
    m_testPrint.reset();
    m_printer.printTestPage(m_language, [this](Status st) {
        m_testPrinting = false;
        if (m_screen == KioskScreen::AdminMenu) m_testPrint = st;
        if (st) {
            if (m_sentPrinter != "ok") reportPrinter("ok", "");
        } else {
            reportPrinter(st.error().code == "printer_missing" ? "missing" : "failed", st.error().message);
        }
    });
}

void KioskModel::onInput() { m_lastInput = m_clock.now(); }

std::chrono::seconds KioskModel::ticketTimeout() const {
    return m_printState == PrintState::Failed ? m_settings.noPaperTimeout : m_settings.ticketTimeout;
}

void KioskModel::tick() {
    const Instant now = m_clock.now();
    const bool idle = now - m_lastInput >= m_settings.idleTimeout;
    switch (m_screen) {
        case KioskScreen::Ticket:
            if (m_printState != PrintState::Printing && now - m_screenSince >= ticketTimeout() &&
                now - m_lastInput >= ticketTimeout()) {
                backToHome();
            }
            break;
        case KioskScreen::Priority:
        case KioskScreen::IssueFailed:
        case KioskScreen::Info:
        case KioskScreen::AdminPin:
        case KioskScreen::AdminMenu:
            if (idle && !m_testPrinting) {
                m_unanswered.reset();  // the visitor left: the next one starts afresh
                backToHome();
            }
            break;
        case KioskScreen::Readings: readingsTick(now); break;
        case KioskScreen::Appeal: appealTick(now); break;
        case KioskScreen::Home:
        case KioskScreen::Closed:
            if (now - m_lastSweep >= m_settings.outboxInterval) sweepOutbox();
            if (idle && (m_language != m_settings.defaultLanguage || !m_cornerTaps.empty())) {
                const bool languageChanged = m_language != m_settings.defaultLanguage;
                resetSession();
                if (languageChanged) reload();
            }
            if (now - m_lastLoad >= m_settings.refreshInterval) reload();
            break;
        case KioskScreen::Unreachable:
            if (now - m_lastLoad >= m_settings.retryInterval) reload();
            if (now - m_lastSweep >= m_settings.outboxInterval) sweepOutbox();
            break;
        case KioskScreen::Loading:
        case KioskScreen::Issuing: break;
    }
}

std::chrono::seconds KioskModel::readingsTimeout() const {
    const ReadingsFlow& r = m_readings;
    if (r.step() != ReadingsStep::Done) return m_settings.idleTimeout;
    // The confirmation stays a while; longer when the receipt did not print (time to note it).
    return r.printState() == PrintState::Failed || !r.anythingSent() ? m_settings.noPaperTimeout
                                                                     : m_settings.ticketTimeout;
}

void KioskModel::readingsTick(Instant now) {
    const ReadingsStep step = m_readings.step();
    if (step == ReadingsStep::LookingUp || step == ReadingsStep::Sending) return;  // the answer comes first
    if (m_readings.printState() == PrintState::Printing) return;
    if (now - std::max(m_lastInput, m_readings.settledAt()) >= readingsTimeout()) backToHome();  // wipes everything
}

std::optional<Instant> KioskModel::readingsWake() const {
    const ReadingsStep step = m_readings.step();
    if (step == ReadingsStep::LookingUp || step == ReadingsStep::Sending) return std::nullopt;
    if (m_readings.printState() == PrintState::Printing) return std::nullopt;
    return std::max(m_lastInput, m_readings.settledAt()) + readingsTimeout();
}

std::chrono::seconds KioskModel::appealTimeout() const {
    const AppealStep step = m_appeals.step();
    if (step != AppealStep::Done && step != AppealStep::StatusShown) return m_settings.idleTimeout;
    // As the readings' confirmation: longer when the receipt did not print (time to note it).
    return step == AppealStep::Done && m_appeals.printState() == PrintState::Failed ? m_settings.noPaperTimeout
                                                                                   : m_settings.ticketTimeout;
}

void KioskModel::appealTick(Instant now) {
    if (m_appeals.waiting() || m_appeals.printState() == PrintState::Printing) return;  // the answer comes first
    if (now - std::max(m_lastInput, m_appeals.settledAt()) >= appealTimeout()) backToHome();  // wipes everything
}

std::optional<Instant> KioskModel::appealWake() const {
    if (m_appeals.waiting() || m_appeals.printState() == PrintState::Printing) return std::nullopt;
    return std::max(m_lastInput, m_appeals.settledAt()) + appealTimeout();
}

std::optional<Instant> KioskModel::nextWake() const {
    switch (m_screen) {
        case KioskScreen::Ticket:
            if (m_printState == PrintState::Printing) return std::nullopt;  // the printer's answer wakes us
            return std::max(m_screenSince, m_lastInput) + ticketTimeout();
        case KioskScreen::Priority:
        case KioskScreen::IssueFailed:
        case KioskScreen::Info:
        case KioskScreen::AdminPin:
        case KioskScreen::AdminMenu:
            // A test page on its way holds the staff screen; its answer wakes us.
            if (m_testPrinting) return std::nullopt;
            return m_lastInput + m_settings.idleTimeout;
        case KioskScreen::Readings: return readingsWake();
        case KioskScreen::Appeal: return appealWake();
        case KioskScreen::Home:
        case KioskScreen::Closed: {
            // A load on its way wakes us when it lands; until then only the idle reset counts.
            std::optional<Instant> wake;
            if (!m_loadInFlight) wake = m_lastLoad + m_settings.refreshInterval;
            if (!m_outboxInFlight) {
                const Instant sweep = m_lastSweep + m_settings.outboxInterval;
                wake = wake ? std::min(*wake, sweep) : sweep;
            }
            if (m_language != m_settings.defaultLanguage || !m_cornerTaps.empty()) {
                const Instant idle = m_lastInput + m_settings.idleTimeout;
                wake = wake ? std::min(*wake, idle) : idle;
            }
            return wake;
        }
        case KioskScreen::Unreachable:
            if (m_loadInFlight) return std::nullopt;
            return m_lastLoad + m_settings.retryInterval;
        case KioskScreen::Loading:
        case KioskScreen::Issuing: return std::nullopt;
    }
    return std::nullopt;
}

void KioskModel::onServicesLoaded(Result<std::vector<Service>> result) {
    m_loadInFlight = false;
    // The visitor switched language while this was on its way: closed-service reasons come
    // worded in the old one, so ask again (and show this list meanwhile).
    if (m_loadLanguage != m_language) reload();
    if (result) {
        m_services = std::move(result).value();
        // Resting screens follow the office: opening time turns Closed into Home and back.
        if (m_screen == KioskScreen::Loading || resting()) go(restingScreen());
        return;
    }
    // Keep showing a list we already have (counts are a little stale, tickets still fail
    // cleanly); with nothing to show, say the server is unreachable.
    if (m_screen == KioskScreen::Loading || (resting() && m_services.empty())) go(KioskScreen::Unreachable);
}

void KioskModel::onOfficeLoaded(Result<OfficeInfo> result) {
    m_officeInFlight = false;
    if (result) m_office = std::move(result).value();
}

void KioskModel::onTicketIssued(Result<Ticket> result) {
    if (m_screen != KioskScreen::Issuing) return;
    if (result) {
        m_ticket = std::move(result).value();
        m_pendingKey.clear();
        m_unanswered.reset();
        // The new ticket joined the queue: reflect it in the counts right away.
        for (auto& s : m_services) {
            if (s.letter == m_ticket->service) s.waiting += 1;
        }
        go(KioskScreen::Ticket);
        m_printState = PrintState::Printing;
        m_printErrorCode.clear();
        TicketPrintJob job;
        job.ticket = *m_ticket;
        if (const Service* s = serviceByLetter(m_ticket->service)) job.serviceNames = s->names;
        if (m_office) job.officeNames = m_office->names;
        job.language = m_language;
        job.statusUrl = statusUrl();
        m_statusQr = encodeQr(job.statusUrl);
        const int64_t id = m_ticket->id;
        m_printer.printTicket(job, [this, id](Status st) {
            if (m_ticket && m_ticket->id == id && m_screen == KioskScreen::Ticket) onPrinted(std::move(st));
            else if (!st) reportPrinter(st.error().code == "printer_missing" ? "missing" : "failed", st.error().message);
        });
        return;
    }
    m_errorUnreachable = result.error().unreachable() || result.error().status >= 500;
    m_errorMessage = result.error().unreachable() ? std::string{} : result.error().message;
    if (m_errorUnreachable) m_unanswered = Unanswered{m_pendingService, m_pendingPriority, m_pendingKey, m_clock.now()};
    go(KioskScreen::IssueFailed);
}

void KioskModel::onPrinted(Status status) {
    if (m_printState != PrintState::Printing) return;
    if (status) {
        m_printState = PrintState::Printed;
        if (m_sentPrinter != "ok") reportPrinter("ok", "");
    } else {
        // The ticket stays valid: the screen shows its number large instead.
        m_printState = PrintState::Failed;
        m_printErrorCode = status.error().code;
        reportPrinter(m_printErrorCode == "printer_missing" ? "missing" : "failed", status.error().message);
    }
    m_screenSince = m_clock.now();  // the timeout counts from the answer, not from the request
}

void KioskModel::reportPrinter(const std::string& state, const std::string& detailIn) {
    // The server takes at most 500 bytes; cut at a character boundary, not inside one.
    std::string detail = detailIn;
    if (detail.size() > 400) {
        size_t cut = 400;
        while (cut > 0 && (static_cast<unsigned char>(detail[cut]) & 0xC0) == 0x80) --cut;
        detail.resize(cut);
    }
    m_sentPrinter = state;
    if (m_reportInFlight) {
        m_unreportedPrinter = {state, detail};  // sent when the one in flight returns
        return;
    }
    m_reportInFlight = true;
    m_unreportedPrinter.reset();
    m_backend.reportPrinter(state, detail, [this, state, detail](Result<bool> r) {
        m_reportInFlight = false;
        if (r && r.value()) {
            m_reportedPrinter = state;
        } else if (!m_unreportedPrinter) {
            m_unreportedPrinter = {state, detail};  // the next reload tries again
        }
        if (m_unreportedPrinter && r && r.value()) {
            auto [s, d] = *m_unreportedPrinter;
            reportPrinter(s, d);
        }
    });
}

const Service* KioskModel::serviceByLetter(const std::string& letter) const {
    for (const auto& s : m_services) {
        if (s.letter == letter) return &s;
    }
    return nullptr;
}

}  // namespace talon::kiosk
