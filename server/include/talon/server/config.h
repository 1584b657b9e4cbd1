// Server configuration: a TOML file (assets/config/talon-server.example.toml documents every
// key), command-line overrides, and the demo defaults used when no file is given.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "talon/common/domain.h"
#include "talon/common/result.h"

namespace talon::server {

/// When a service issues tickets, in local time. Minutes since local midnight.
struct OpeningHours {
    int openMinute = 0;
    int closeMinute = 24 * 60;
    uint8_t days = 0x7f;  // bit 0 = Monday ... bit 6 = Sunday
};

struct ServiceConfig {
    std::string letter;
    LocalizedText names;
    int targetWaitMinutes = 15;  // the service level target; routing boosts tickets past it
    double serviceMinutes = 5;   // expected service time until real ones are measured
    OpeningHours hours;
};

struct DayConfig {
    std::string timezone;          // IANA name; empty: the machine's zone
    int startMinute = 4 * 60;      // the business day (and numbering) starts at this local time
    bool carryOver = false;        // keep open tickets across the day boundary
    std::vector<std::string> holidays;  // local dates YYYY-MM-DD when nothing is issued
};

struct QueuePolicy {
    int maxRecalls = 3;           // a ticket recalled this many times and recalled again is a no-show
    int noShowAfterMinutes = 10;  // called and not started for this long: no-show
};

/// A planned break, local minutes since midnight [start, end).
struct BreakConfig {
    int startMinute = 0;
    int endMinute = 0;
};

struct WindowConfig {
    int number = 0;
    std::string name;
    std::vector<WindowService> services;
    std::vector<BreakConfig> breaks;  // planned daily breaks: wait estimates count on them
};

/// The office as visitors see it: its name on kiosk, ticket and board, and the address phones
/// reach it at (the QR code on a ticket links to PUBLIC_URL/t/ID).
struct OfficeConfig {
    LocalizedText names;
    std::string publicUrl;  // empty: clients use the address they reach the server at
};

/// Clerk and administrator logins (docs/api.md, Logins).
struct AuthConfig {
    bool requireLogin = true;  // window steps and the clerk read endpoints need a session (off: open)
    bool demoUsers = false;    // seed clerk<N>/demo and admin/admin: only the demo (no config
                               // file at all, see demoConfig()) or `[auth] demo_users = true`
    int sessionIdleSeconds = 12 * 3600;      // no request for this long: the session ends
    int sessionLifetimeSeconds = 24 * 3600;  // after login, however active
    int windowTakeoverSeconds = 15 * 60;     // another clerk may take a window idle this long
    int maxFailedLogins = 5;                 // per login, within failedLoginWindowSeconds
    int maxFailedLoginsPerAddress = 20;      // per client address, same span
    int failedLoginWindowSeconds = 5 * 60;
};

/// Meter readings at the kiosk (issue 7).
struct ReadingsConfig {
    int lookupsPerMinute = 20;  // account lookups per client (kiosk, else address) in any 60 s
    /// Account lookups per remote address in any 60 s, whatever X-Talon-Kiosk says (a client
    /// cycling made-up kiosk names stays within this); both limits apply.
    int lookupsPerMinutePerAddress = 120;
    int windowFirstDay = 15;         // readings are due on these days of the month (1..31);
    int windowLastDay = 25;          // outside them they are accepted and flagged
    double implausibleFactor = 3.0;  // consumption above this × usual needs the visitor's confirmation
};

/// One appeal category (issue 8): how many working days an answer may take, and whether its
/// appeals are urgent (alerted at once, due the same working day).
struct AppealCategoryConfig {
    std::string id;               // a-z, 0-9, '_': the API's name and the catalog's appeal.category.<id>
    LocalizedText names;          // optional; empty: the translation catalogs name it
    int deadlineWorkingDays = 10;  // 0: the registration day (the next working day if it is not one)
    bool urgent = false;
};

/// Appeals: categories with deadlines, registration numbers, the working calendar beyond
/// [day] holidays, and how long personal data is kept.
struct AppealsConfig {
    std::vector<AppealCategoryConfig> categories = defaultAppealCategories();
    std::string numberPrefix = "Ж";  // "Ж-2026-000123"
    int retentionDays = 3 * 365;      // personal data of a closed appeal is removed after this
    int dueSoonWorkingDays = 2;       // "due soon": the deadline within this many working days
    uint8_t weekends = 0x60;          // weekday bits (bit 0 = Monday): Saturday and Sunday
    std::vector<std::string> extraHolidays;  // non-working dates besides [day] holidays
    std::vector<std::string> workingDays;    // transferred working days on a weekend
    /// The categories of a new office: service_staff, billing, supply_quality, meters,
    /// connection_contracts (10 working days), safety_hazard (urgent, same day), other.
    static std::vector<AppealCategoryConfig> defaultAppealCategories();
    /// The category with this id, or nullptr.
    const AppealCategoryConfig* category(std::string_view id) const;
};

struct ServerConfig {
    std::string host = "127.0.0.1";
    int port = 8080;  // 0: any free port (see portFile)
    std::string database = "talon.db";
    std::string assets;    // empty: the default assets directory
    std::string portFile;  // if set, the bound port is written there once listening
    int threads = 64;      // HTTP worker threads; each open event stream holds one
    std::string fonts = "/usr/share/fonts/truetype/dejavu";  // DejaVu (fonts-dejavu-core), for /fonts/
    std::vector<ServiceConfig> services;
    std::vector<WindowConfig> windows;
    DayConfig day;
    QueuePolicy queue;
    OfficeConfig office;
    AuthConfig auth;
    ReadingsConfig readings;
    AppealsConfig appeals;
};

/// Parses TOML text. Errors name the source, the key and what is wrong, e.g.
/// `talon.toml: windows[2].services: unknown service "Z"`.
Result<ServerConfig> parseConfig(std::string_view text, std::string_view sourceName);
/// Reads and parses a file; a missing or unreadable file is an error.
Result<ServerConfig> loadConfigFile(const std::string& path);
/// The demo energy-company office: services A–E and V, six windows, logins required and the
/// demo accounts on (what the server runs with no --config at all).
ServerConfig demoConfig();
/// Checks cross-references (window services exist, letters unique, ...).
Status validateConfig(const ServerConfig& config, std::string_view sourceName);
/// "HH:MM" → minutes since midnight (24:00 allowed); nullopt when malformed.
std::optional<int> parseClock(std::string_view text);
/// "HOST:PORT" → host, port. Errors: missing colon, port not in 0..65535.
Status applyListen(ServerConfig& config, std::string_view listen);

}  // namespace talon::server
