// The kiosk's configuration: a TOML file (assets/config/talon-kiosk.example.toml documents
// every key), then command-line overrides. Bad values are errors naming the key.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "talon/common/result.h"
#include "talon/kiosk/kiosk_model.h"

namespace talon::kiosk {

struct PrinterConfig {
    std::string target = "none";  // none, file:PATH, device:PATH, tcp://HOST:PORT
    int codePage = 17;            // ESC t n for PC866 (Cyrillic); varies by printer model
    std::string charset = "CP866";  // the iconv name of the table code_page selects
    int paperMm = 80;             // 80 or 58
};

/// Where the outbox lives when kiosk.outbox is not set (or set to ""): kiosk-outbox.sqlite in
/// the service's state directory ($STATE_DIRECTORY under systemd), else $XDG_STATE_HOME/talon,
/// else ~/.local/state/talon; with none of them, the working directory. The same place however
/// the kiosk is started, so nothing waiting is stranded by a different working directory.
std::filesystem::path defaultOutboxFile();

struct KioskConfig {
    std::string id = "kiosk-1";  // how the server knows this kiosk (printer reports)
    std::string server = "http://127.0.0.1:8080";
    double screenDiagonalInches = 32;  // for touch targets of at least 15 mm
    /// The outbox of submissions waiting for the server (kiosk.outbox).
    std::filesystem::path outboxFile = defaultOutboxFile();
    KioskSettings settings;
    PrinterConfig printer;
};

/// Parses TOML text; errors read like `kiosk.toml: kiosk.admin_pin must be 4 to 8 digits`.
Result<KioskConfig> parseKioskConfig(std::string_view text, std::string_view sourceName);
/// Reads and parses a file; a missing or unreadable file is an error.
Result<KioskConfig> loadKioskConfigFile(const std::string& path);
inline constexpr const char* kKioskIdRule = "must be 1 to 64 letters, digits, '-', '_' or '.'";
inline constexpr const char* kServerUrlRule = "must be an address like \"http://192.168.1.10:8080\"";
/// The rules for kiosk.id and kiosk.server, also applied to --kiosk-id and --server.
bool validKioskId(std::string_view id);
bool validServerUrl(std::string_view url);

/// Pixels per millimetre of a screen of `width`×`height` pixels and `diagonalInches`.
float pixelsPerMm(int width, int height, double diagonalInches);

}  // namespace talon::kiosk
