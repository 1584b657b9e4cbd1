// KioskModel: the kiosk's state and the visitor's intents, with no UI types. Views read it
// and call one intent per widget; results of server calls land in the on...() methods.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "talon/common/domain.h"
#include "talon/common/result.h"
#include "talon/common/time.h"
#include "talon/kiosk/kiosk_backend.h"

namespace talon::kiosk {

enum class KioskScreen {
    Loading,      // first load of the services
    Home,         // service buttons
    Issuing,      // a ticket request is in flight
    Ticket,       // the issued ticket
    IssueFailed,  // the server refused or could not be reached while issuing
    Unreachable,  // the services cannot be loaded: nothing can be done but wait
};

struct KioskSettings {
    std::chrono::seconds idleTimeout{60};     // back home, data wiped, after no touch this long
    std::chrono::seconds ticketTimeout{20};   // the ticket screen closes by itself
    std::chrono::seconds refreshInterval{30}; // waiting counts on the home screen
    std::chrono::seconds retryInterval{5};    // reload while the server is unreachable
    std::vector<std::string> languages{"ru", "en"};  // the switch, in this order
    std::string defaultLanguage = "ru";               // what every new visitor starts in
};

class KioskModel {
public:
    KioskModel(KioskBackend& backend, const Clock& clock, KioskSettings settings = {});

    // Intents.
    void start();
    void chooseService(const std::string& letter);
    void finishTicket();
    void retry();
    void backToHome();
    void setLanguage(const std::string& language);
    void onInput();
    void tick();

    // Results (called on the UI thread).
    void onServicesLoaded(Result<std::vector<Service>> result);
    void onTicketIssued(Result<Ticket> result);

    // State for views.
    KioskScreen screen() const { return m_screen; }
    const std::vector<Service>& services() const { return m_services; }
    const std::optional<Ticket>& ticket() const { return m_ticket; }
    const std::string& language() const { return m_language; }
    const std::vector<std::string>& languages() const { return m_settings.languages; }
    /// The server's message (already in the visitor's language) for IssueFailed.
    const std::string& errorMessage() const { return m_errorMessage; }
    /// IssueFailed because the server was not reached (retrying is sensible).
    bool errorUnreachable() const { return m_errorUnreachable; }
    const Service* serviceByLetter(const std::string& letter) const;
    /// When tick() must run next without any input.
    std::optional<Instant> nextWake() const;
    bool loading() const { return m_loadInFlight; }

private:
    void go(KioskScreen screen);
    void reload();
    void resetSession();

    KioskBackend& m_backend;
    const Clock& m_clock;
    KioskSettings m_settings;
    KioskScreen m_screen = KioskScreen::Loading;
    std::vector<Service> m_services;
    std::optional<Ticket> m_ticket;
    std::string m_language;
    std::string m_pendingService;
    std::string m_pendingKey;  // kept across a retry so the server returns the same ticket
    std::string m_errorMessage;
    bool m_errorUnreachable = false;
    bool m_loadInFlight = false;
    Instant m_lastInput{};
    Instant m_screenSince{};
    Instant m_lastLoad{};
};

const char* toString(KioskScreen screen);

}  // namespace talon::kiosk
