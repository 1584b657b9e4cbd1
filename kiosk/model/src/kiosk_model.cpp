// KioskModel transitions. Every path back home wipes what the visitor entered.
#include "talon/kiosk/kiosk_model.h"

#include "talon/common/api_client.h"

namespace talon::kiosk {

const char* toString(KioskScreen screen) {
    switch (screen) {
        case KioskScreen::Loading: return "loading";
        case KioskScreen::Home: return "home";
        case KioskScreen::Issuing: return "issuing";
        case KioskScreen::Ticket: return "ticket";
        case KioskScreen::IssueFailed: return "issue-failed";
        case KioskScreen::Unreachable: return "unreachable";
    }
    return "?";
}

KioskModel::KioskModel(KioskBackend& backend, const Clock& clock, KioskSettings settings)
    : m_backend(backend), m_clock(clock), m_settings(std::move(settings)) {
    m_language = m_settings.defaultLanguage;
    m_lastInput = m_screenSince = m_clock.now();
}

void KioskModel::go(KioskScreen screen) {
    m_screen = screen;
    m_screenSince = m_clock.now();
}

void KioskModel::start() {
    m_backend.setLanguage(m_language);
    reload();
}

void KioskModel::reload() {
    if (m_loadInFlight) return;
    m_loadInFlight = true;
    m_lastLoad = m_clock.now();
    m_backend.loadServices([this](Result<std::vector<Service>> r) { onServicesLoaded(std::move(r)); });
}

void KioskModel::resetSession() {
    m_ticket.reset();
    m_pendingService.clear();
    m_pendingKey.clear();
    m_errorMessage.clear();
    m_errorUnreachable = false;
    if (m_language != m_settings.defaultLanguage) {
        m_language = m_settings.defaultLanguage;
        m_backend.setLanguage(m_language);
    }
}

void KioskModel::chooseService(const std::string& letter) {
    if (m_screen != KioskScreen::Home) return;  // a double tap lands here while Issuing
    const Service* s = serviceByLetter(letter);
    if (!s || !s->availability.open) return;  // a closed service's button does nothing
    m_pendingService = letter;
    m_pendingKey = newIdempotencyKey();
    go(KioskScreen::Issuing);
    m_backend.issueTicket(letter, m_pendingKey, [this](Result<Ticket> r) { onTicketIssued(std::move(r)); });
}

void KioskModel::retry() {
    if (m_screen == KioskScreen::IssueFailed && m_errorUnreachable && !m_pendingService.empty()) {
        go(KioskScreen::Issuing);
        m_backend.issueTicket(m_pendingService, m_pendingKey,
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
    resetSession();
    go(m_services.empty() ? KioskScreen::Unreachable : KioskScreen::Home);
    reload();  // fresh waiting counts
}

void KioskModel::setLanguage(const std::string& language) {
    for (const auto& l : m_settings.languages) {
        if (l == language && l != m_language) {
            m_language = language;
            m_backend.setLanguage(language);
            reload();  // closed-service reasons come worded in the visitor's language
            return;
        }
    }
}

void KioskModel::onInput() { m_lastInput = m_clock.now(); }

void KioskModel::tick() {
    const Instant now = m_clock.now();
    switch (m_screen) {
        case KioskScreen::Ticket:
            if (now - m_screenSince >= m_settings.ticketTimeout && now - m_lastInput >= m_settings.ticketTimeout) {
                backToHome();
            }
            break;
        case KioskScreen::IssueFailed:
            if (now - m_lastInput >= m_settings.idleTimeout) backToHome();
            break;
        case KioskScreen::Home:
            if (m_language != m_settings.defaultLanguage &&
                now - m_lastInput >= m_settings.idleTimeout) {
                resetSession();
            }
            if (now - m_lastLoad >= m_settings.refreshInterval) reload();
            break;
        case KioskScreen::Unreachable:
            if (now - m_lastLoad >= m_settings.retryInterval) reload();
            break;
        case KioskScreen::Loading:
        case KioskScreen::Issuing: break;
    }
}

std::optional<Instant> KioskModel::nextWake() const {
    switch (m_screen) {
        case KioskScreen::Ticket:
            return std::max(m_screenSince, m_lastInput) + m_settings.ticketTimeout;
        case KioskScreen::IssueFailed: return m_lastInput + m_settings.idleTimeout;
        case KioskScreen::Home: {
            Instant wake = m_lastLoad + m_settings.refreshInterval;
            if (m_language != m_settings.defaultLanguage) {
                wake = std::min(wake, m_lastInput + m_settings.idleTimeout);
            }
            return wake;
        }
        case KioskScreen::Unreachable: return m_lastLoad + m_settings.retryInterval;
        case KioskScreen::Loading:
        case KioskScreen::Issuing: return std::nullopt;
    }
    return std::nullopt;
}

void KioskModel::onServicesLoaded(Result<std::vector<Service>> result) {
    m_loadInFlight = false;
    if (result) {
        m_services = std::move(result).value();
        if (m_screen == KioskScreen::Loading || m_screen == KioskScreen::Unreachable) go(KioskScreen::Home);
        return;
    }
    // Keep showing a list we already have on Home (counts are a little stale, tickets still
    // fail cleanly); with nothing to show, say the server is unreachable.
    if (m_screen == KioskScreen::Loading || (m_screen == KioskScreen::Home && m_services.empty())) {
        go(KioskScreen::Unreachable);
    }
}

void KioskModel::onTicketIssued(Result<Ticket> result) {
    if (m_screen != KioskScreen::Issuing) return;
    if (result) {
        m_ticket = std::move(result).value();
        m_pendingKey.clear();
        // The new ticket joined the queue: reflect it in the counts right away.
        for (auto& s : m_services) {
            if (s.letter == m_ticket->service) s.waiting += 1;
        }
        go(KioskScreen::Ticket);
        return;
    }
    m_errorUnreachable = result.error().unreachable() || result.error().status >= 500;
    m_errorMessage = result.error().unreachable() ? std::string{} : result.error().message;
    go(KioskScreen::IssueFailed);
}

const Service* KioskModel::serviceByLetter(const std::string& letter) const {
    for (const auto& s : m_services) {
        if (s.letter == letter) return &s;
    }
    return nullptr;
}

}  // namespace talon::kiosk
