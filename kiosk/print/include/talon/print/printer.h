// Where print jobs go, chosen by a target string from the kiosk's configuration:
// "none", "file:PATH", "device:/dev/usb/lp0" or "tcp://HOST:PORT" (raw port 9100 printers).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "talon/common/result.h"

namespace talon::print {

/// Error codes of print(); the kiosk picks its translated message by code.
inline constexpr const char* kPrinterMissing =
    "printer_missing";                                           // not configured, absent, refused
inline constexpr const char* kPrinterFailed = "printer_failed";  // I/O error or stall mid-job
inline constexpr const char* kBadPrinterTarget = "bad_printer_target";

struct PrinterOptions {
    std::chrono::milliseconds connectTimeout{3000};  // tcp: connecting
    std::chrono::milliseconds ioTimeout{10000};      // a write that makes no progress this long
};

/// One printer. print() blocks, so call it off the UI thread; calls from several threads are
/// serialised, one job after another.
class Printer {
public:
    virtual ~Printer() = default;

    /// Sends one whole job. Errors (code printer_missing): no printer configured (Config), the
    /// device or file's folder does not exist (NotFound), permission denied (Config), the host
    /// is unknown, refuses or does not answer in time (Transport, Timeout). Errors (code
    /// printer_failed): a write fails mid-job, e.g. EIO or ENOSPC (Transport), or the printer
    /// takes no data for ioTimeout (Timeout). Never raises SIGPIPE.
    Status print(const std::vector<std::uint8_t>& job) {
        std::lock_guard lock(m_mutex);
        return send(job);
    }

    /// The target string it was opened with, for logs.
    const std::string& target() const { return m_target; }

protected:
    explicit Printer(std::string target) : m_target(std::move(target)) {}
    virtual Status send(const std::vector<std::uint8_t>& job) = 0;

private:
    std::string m_target;
    std::mutex m_mutex;
};

/// Checks the target string; does not touch the device (it may be plugged in later).
/// "" means "none". Errors: Config "bad_printer_target" for any other form, an empty path or
/// host, or a port that is not 1..65535 (tcp://HOST alone means port 9100).
Result<std::unique_ptr<Printer>> openPrinter(const std::string& target,
                                             const PrinterOptions& options = {});

}  // namespace talon::print
