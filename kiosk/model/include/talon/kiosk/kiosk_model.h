// KioskModel: the kiosk's state and the visitor's intents, with no UI types. Views read it
// and call one intent per widget; results of server and printer calls land in the on...()
// methods on the UI thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "talon/common/domain.h"
#include "talon/common/result.h"
#include "talon/common/text_entry.h"
#include "talon/common/time.h"
#include "talon/kiosk/appeal_flow.h"
#include "talon/kiosk/faq.h"
#include "talon/kiosk/kiosk_backend.h"
#include "talon/kiosk/readings_flow.h"
#include "talon/kiosk/ticket_printer.h"

namespace talon::kiosk {

enum class KioskScreen {
    Loading,      // first load of the services
    Home,         // service buttons
    Priority,     // "do you need priority service?" after a service was chosen
    Issuing,      // a ticket request is in flight
    Ticket,       // the issued ticket (printing, printed, or the printer failed)
    IssueFailed,  // the server refused or could not be reached while issuing
    Unreachable,  // the services cannot be loaded: nothing can be done but wait
    Closed,       // every service is closed (hours, holiday): when the office opens
    Info,         // opening hours and questions and answers
    AdminPin,     // staff: the PIN keypad behind the hidden gesture
    AdminMenu,    // staff: leave the kiosk, print a test page
    Readings,     // meter readings: ReadingsFlow has the step
    Appeal,       // appeals and their status check: AppealFlow has the step
};

/// Why a visitor asked for priority service (for the explanation; the queue gets "priority").
enum class PriorityReason { Disabled, Elderly, Pregnant };

/// A QR code's modules, row by row (true = dark), for drawing on screen.
struct QrModules {
    int size = 0;
    std::vector<bool> dark;
    bool at(int x, int y) const { return dark[static_cast<size_t>(y * size + x)]; }
};
/// Encodes `text` (error correction M); size 0 when it cannot be encoded.
QrModules encodeQr(const std::string& text);
/// True for http://127.x, localhost and [::1]: addresses a visitor's phone cannot reach.
bool isLoopbackUrl(std::string_view url);

struct KioskSettings {
    std::chrono::seconds idleTimeout{60};      // back home, data wiped, after no touch this long
    std::chrono::seconds ticketTimeout{20};    // the ticket screen closes by itself
    std::chrono::seconds noPaperTimeout{60};   // ... longer when the number was not printed
    std::chrono::seconds refreshInterval{30};  // waiting counts on the home screen
    std::chrono::seconds retryInterval{5};     // reload while the server is unreachable
    std::vector<std::string> languages{"ru", "en"};  // the switch, in this order
    std::string defaultLanguage = "ru";               // what every new visitor starts in
    bool askPriority = true;                 // ask about priority service before issuing
    std::string adminPin;                    // empty: the hidden exit is disabled
    int exitGestureTaps = 5;                 // taps on the top-left corner ...
    std::chrono::seconds exitGestureWindow{4};  // ... within this long open the PIN keypad
    int pinAttempts = 3;                     // wrong PINs in a row before a lockout
    std::chrono::seconds pinLockout{60};
    std::string serverUrl;                   // the status link's base when the office has none
    bool readings = true;                    // the home screen offers handing in meter readings
    std::string meterService = "B";          // the service a meter with overdue calibration gets a ticket for
    std::chrono::seconds outboxInterval{30};  // how often the outbox tries to deliver what waits
    bool appeals = true;                     // "Complaint or request" on the home and closed screens
    /// The appeal categories offered, in this order. There is no categories endpoint on the
    /// server: these must match its `[appeals]` categories (the defaults below are the server's
    /// defaults). Views name them by the i18n key `appeals.category.<id>`.
    std::vector<std::string> appealCategories{"service_staff", "billing",   "supply_quality", "meters",
                                              "connection_contracts", "safety_hazard", "other"};
};

class KioskModel {
public:
    KioskModel(KioskBackend& backend, TicketPrinter& printer, const Clock& clock, KioskSettings settings = {},
               FaqCatalog faq = {});

    // Intents.
    void start();
    void chooseService(const std::string& letter);
    /// Priority screen: a reason asks for priority service, nullopt is the regular queue.
    void choosePriority(std::optional<PriorityReason> reason);
    void finishTicket();
    void retry();
    void backToHome();
    void openInfo();
    /// Home: hand in meter readings (ReadingsFlow).
    void openReadings();
    /// Home: file an appeal (AppealFlow, from the type step).
    void openAppeal();
    /// Home: check an appeal's status (AppealFlow, the status path).
    void openAppealStatus();
    /// Readings, done (or nothing to hand in): a ticket for meter service (calibration overdue).
    void readingsTicket();
    void toggleFaq(int index);
    void setLanguage(const std::string& language);
    /// A tap on the hidden corner; enough of them in a row open the staff PIN keypad.
    void cornerTap();
    /// AdminPin: checks the typed PIN.
    void submitPin();
    /// AdminMenu.
    void exitKiosk();
    void printTestPage();
    void onInput();
    void tick();

    // Results (called on the UI thread).
    void onServicesLoaded(Result<std::vector<Service>> result);
    void onOfficeLoaded(Result<OfficeInfo> result);
    void onTicketIssued(Result<Ticket> result);
    void onPrinted(Status status);

    // State for views.
    KioskScreen screen() const { return m_screen; }
    const std::vector<Service>& services() const { return m_services; }
    const std::optional<Ticket>& ticket() const { return m_ticket; }
    PrintState printState() const { return m_printState; }
    /// printer_missing or printer_failed after a failed print.
    const std::string& printErrorCode() const { return m_printErrorCode; }
    const std::string& language() const { return m_language; }
    const std::vector<std::string>& languages() const { return m_settings.languages; }
    /// The server's message (already in the visitor's language) for IssueFailed.
    const std::string& errorMessage() const { return m_errorMessage; }
    /// IssueFailed because the server was not reached (retrying is sensible).
    bool errorUnreachable() const { return m_errorUnreachable; }
    const Service* serviceByLetter(const std::string& letter) const;
    /// The service chosen on Home (Priority, Issuing).
    const Service* pendingService() const { return serviceByLetter(m_pendingService); }
    const std::optional<OfficeInfo>& office() const { return m_office; }
    const std::vector<FaqEntry>& faq() const;
    int openFaq() const { return m_openFaq; }
    /// Where a phone follows the current ticket (the QR code); empty without a ticket or when
    /// the only address known is a loopback one.
    std::string statusUrl() const;
    /// statusUrl() as a QR code (size 0 without a ticket).
    const QrModules& statusQr() const { return m_statusQr; }
    TextEntry& pinEntry() { return m_pin; }
    /// AdminPin: the last PIN was wrong.
    bool pinRejected() const { return m_pinRejected; }
    /// AdminMenu: the result of the last test page (nullopt while none or printing).
    const std::optional<Status>& testPrint() const { return m_testPrint; }
    bool testPrinting() const { return m_testPrinting; }
    /// Set once staff chose to leave the kiosk: the app closes its window.
    bool exitRequested() const { return m_exitRequested; }
    /// When tick() must run next without any input.
    std::optional<Instant> nextWake() const;
    bool loading() const { return m_loadInFlight; }
    bool readingsEnabled() const { return m_settings.readings; }
    ReadingsFlow& readings() { return m_readings; }
    const ReadingsFlow& readings() const { return m_readings; }
    bool appealsEnabled() const { return m_settings.appeals; }
    AppealFlow& appeals() { return m_appeals; }
    /// The server's description of an appeal category (names, urgency); nullptr before the
    /// office was loaded or for an id it does not have.
    const AppealCategory* appealCategory(const std::string& id) const;
    /// The most categories the appeal screen offers (the rest of a longer server list is left out).
    static constexpr size_t kMaxAppealCategories = 12;
    const AppealFlow& appeals() const { return m_appeals; }
    /// The meter-service ticket can be offered (the service exists and is open now).
    bool meterServiceOpen() const;
    /// Submissions waiting in the outbox, as last counted (staff menu).
    size_t outboxPending() const { return m_outbox.pending; }
    /// The outbox as the last sweep found it (staff menu).
    const OutboxState& outbox() const { return m_outbox; }

private:
    void go(KioskScreen screen);
    void reload();
    void issue(Priority priority);
    void resetSession();
    void reportPrinter(const std::string& state, const std::string& detail);
    /// Home, or Closed when nothing is open, or Unreachable with nothing loaded.
    KioskScreen restingScreen() const;
    bool resting() const;
    void sweepOutbox();
    std::chrono::seconds readingsTimeout() const;
    void readingsTick(Instant now);
    std::optional<Instant> readingsWake() const;
    std::chrono::seconds ticketTimeout() const;
    std::chrono::seconds appealTimeout() const;
    void appealTick(Instant now);
    std::optional<Instant> appealWake() const;

    KioskBackend& m_backend;
    TicketPrinter& m_printer;
    const Clock& m_clock;
    KioskSettings m_settings;
    FaqCatalog m_faq;
    KioskScreen m_screen = KioskScreen::Loading;
    std::vector<Service> m_services;
    std::optional<OfficeInfo> m_office;
    std::optional<Ticket> m_ticket;
    QrModules m_statusQr;
    PrintState m_printState = PrintState::None;
    std::string m_printErrorCode;
    std::string m_language;
    std::string m_pendingService;
    Priority m_pendingPriority = Priority::Normal;
    std::string m_pendingKey;  // kept across a retry so the server returns the same ticket
    std::string m_errorMessage;
    bool m_errorUnreachable = false;
    bool m_loadInFlight = false;
    std::string m_loadLanguage;  // the language the load in flight was asked in
    // A ticket request whose answer never came (timeout): the same choice soon after reuses
    // its key, so the server hands out that ticket instead of a second one.
    struct Unanswered {
        std::string service;
        Priority priority = Priority::Normal;
        std::string key;
        Instant at{};
    };
    static constexpr std::chrono::minutes kUnansweredReuse{5};
    std::optional<Unanswered> m_unanswered;
    bool m_officeInFlight = false;
    int m_openFaq = -1;
    // The printer state the server last accepted, and one waiting to be told.
    std::string m_reportedPrinter = "ok";
    std::string m_sentPrinter = "ok";  // the latest state sent or queued
    std::optional<std::pair<std::string, std::string>> m_unreportedPrinter;
    bool m_reportInFlight = false;
    // Staff exit.
    std::vector<Instant> m_cornerTaps;
    TextEntry m_pin{EntryKind::Pin, 8};
    bool m_pinRejected = false;
    int m_pinFailures = 0;
    std::optional<Instant> m_pinLockedUntil;
    std::optional<Status> m_testPrint;
    bool m_testPrinting = false;
    bool m_exitRequested = false;
    Instant m_lastInput{};
    Instant m_screenSince{};
    Instant m_lastLoad{};
    ReadingsFlow m_readings;
    AppealFlow m_appeals;
    OutboxState m_outbox;
    bool m_outboxInFlight = false;
    Instant m_lastSweep{};
};

const char* toString(KioskScreen screen);

}  // namespace talon::kiosk
