// The printer targets: a file, a character device (USB printer class) and a raw TCP socket.
// Everything is opened per job, so a printer plugged in or switched on later just works.
#include "talon/print/printer.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <string_view>
#include <utility>

namespace talon::print {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

struct Fd {
    int fd = -1;
    explicit Fd(int f) : fd(f) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
    int release() { return std::exchange(fd, -1); }
};

std::string errnoText(int err) {
    return std::string(std::strerror(err));
}

Error missing(ErrorKind kind, std::string message) {
    return makeError(kind, kPrinterMissing, std::move(message));
}
Error failed(ErrorKind kind, std::string message) {
    return makeError(kind, kPrinterFailed, std::move(message));
}

int remainingMs(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
    return static_cast<int>(std::max<long long>(0, left));
}

// Writing to a pipe whose reader has gone raises SIGPIPE, which kills the kiosk; sockets use
// MSG_NOSIGNAL, plain write() cannot, so the signal is blocked on this thread and a SIGPIPE
// this write caused is consumed before unblocking.
class SigpipeGuard {
public:
    SigpipeGuard() {
        sigemptyset(&m_pipe);
        sigaddset(&m_pipe, SIGPIPE);
        sigset_t pending;
        sigpending(&pending);
        m_wasPending = sigismember(&pending, SIGPIPE) == 1;
        pthread_sigmask(SIG_BLOCK, &m_pipe, &m_old);
    }
    ~SigpipeGuard() {
        sigset_t pending;
        sigpending(&pending);
        if (!m_wasPending && sigismember(&pending, SIGPIPE) == 1) {
            const timespec zero{0, 0};
            while (sigtimedwait(&m_pipe, nullptr, &zero) == -1 && errno == EINTR) {
            }
        }
        pthread_sigmask(SIG_SETMASK, &m_old, nullptr);
    }
    SigpipeGuard(const SigpipeGuard&) = delete;
    SigpipeGuard& operator=(const SigpipeGuard&) = delete;

private:
    sigset_t m_pipe{};
    sigset_t m_old{};
    bool m_wasPending = false;
};

Error openError(const std::string& path, int err) {
    const std::string why = path + ": " + errnoText(err);
    switch (err) {
        case ENOENT:
        case ENODEV:
        case ENXIO:
        case ENOTDIR:
            return missing(ErrorKind::NotFound,
                           "no printer at " + why + " (is it plugged in and switched on?)");
        case EACCES:
        case EPERM:
        case EROFS:
            return missing(ErrorKind::Config,
                           "no permission to write to " + why +
                               " (add the kiosk's user to the group that owns it, e.g. lp)");
        default:
            return failed(ErrorKind::Transport, "cannot open the printer " + why);
    }
}

// Writes everything to a descriptor that may be non-blocking, waiting for it with poll().
Status writeAll(int fd, const std::vector<std::uint8_t>& job, milliseconds ioTimeout,
                const std::string& what, bool socket) {
    std::size_t done = 0;
    while (done < job.size()) {
        const std::size_t left = job.size() - done;
        const ssize_t n = socket ? ::send(fd, job.data() + done, left, MSG_NOSIGNAL)
                                 : ::write(fd, job.data() + done, left);
        if (n > 0) {
            done += static_cast<std::size_t>(n);
            continue;
        }
        const int err = n == 0 ? EIO : errno;
        if (err == EINTR) continue;
        if (err == EAGAIN || err == EWOULDBLOCK) {
            pollfd p{fd, POLLOUT, 0};
            const int ready = ::poll(&p, 1, static_cast<int>(ioTimeout.count()));
            if (ready < 0 && errno == EINTR) continue;
            if (ready == 0) {
                return failed(ErrorKind::Timeout, what + " took no data for " +
                                                      std::to_string(ioTimeout.count()) +
                                                      " ms after " + std::to_string(done) + " of " +
                                                      std::to_string(job.size()) +
                                                      " bytes (out of paper or cover open?)");
            }
            continue;  // writable, or an error the next write reports
        }
        return failed(ErrorKind::Transport,
                      "writing to " + what + " failed after " + std::to_string(done) + " of " +
                          std::to_string(job.size()) + " bytes: " + errnoText(err));
    }
    return okStatus();
}

class NullPrinter final : public Printer {
public:
    explicit NullPrinter(std::string target) : Printer(std::move(target)) {}

protected:
    Status send(const std::vector<std::uint8_t>&) override {
        return missing(ErrorKind::Config, "no printer is configured (printer target \"none\")");
    }
};

// A file (truncated per job) or a character device (never created). Non-blocking writes with
// poll() let a printer that stops taking data fail the job after ioTimeout instead of hanging.
class PathPrinter final : public Printer {
public:
    PathPrinter(std::string target, std::string path, bool device, PrinterOptions options)
        : Printer(std::move(target)),
          m_path(std::move(path)),
          m_device(device),
          m_options(options) {}

protected:
    Status send(const std::vector<std::uint8_t>& job) override {
        // Non-blocking for files too: a FIFO without a reader fails at once instead of
        // hanging the open.
        const int flags =
            O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | (m_device ? 0 : O_CREAT | O_TRUNC);
        Fd fd(::open(m_path.c_str(), flags, 0644));
        if (fd.fd < 0) return openError(m_path, errno);
        SigpipeGuard guard;
        Status written = writeAll(fd.fd, job, m_options.ioTimeout, m_path, false);
        if (!written) return written;
        // A file system may report a failed write only at close (NFS, a full disk).
        if (::close(fd.release()) != 0 && errno != EINTR) {
            return failed(ErrorKind::Transport,
                          "writing to " + m_path + " failed: " + errnoText(errno));
        }
        return okStatus();
    }

private:
    std::string m_path;
    bool m_device;
    PrinterOptions m_options;
};

class TcpPrinter final : public Printer {
public:
    TcpPrinter(std::string target, std::string host, std::string port, PrinterOptions options)
        : Printer(std::move(target)),
          m_host(std::move(host)),
          m_port(std::move(port)),
          m_options(options) {}

protected:
    Status send(const std::vector<std::uint8_t>& job) override {
        auto connected = connect();
        if (!connected) return connected.error();
        Fd fd(connected.value());
        const std::string what = "the printer at " + endpoint();
        Status sent = writeAll(fd.fd, job, m_options.ioTimeout, what, true);
        if (!sent) return sent;
        ::shutdown(fd.fd, SHUT_WR);
        drain(fd.fd);
        return okStatus();
    }

private:
    std::string endpoint() const { return m_host + ":" + m_port; }

    Result<int> connect() const {
        addrinfo hints{};
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        hints.ai_flags = AI_NUMERICSERV;
        addrinfo* found = nullptr;
        const int gai = ::getaddrinfo(m_host.c_str(), m_port.c_str(), &hints, &found);
        if (gai != 0) {
            return missing(ErrorKind::Transport,
                           "cannot find the printer host " + m_host + ": " + ::gai_strerror(gai));
        }
        std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> list(found, ::freeaddrinfo);
        const auto deadline = Clock::now() + m_options.connectTimeout;
        int lastError = ETIMEDOUT;
        for (const addrinfo* ai = found; ai; ai = ai->ai_next) {
            Fd fd(::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                           ai->ai_protocol));
            if (fd.fd < 0) {
                lastError = errno;
                continue;
            }
            int err = 0;
            if (::connect(fd.fd, ai->ai_addr, ai->ai_addrlen) != 0) err = errno;
            if (err == EINPROGRESS) {
                pollfd p{fd.fd, POLLOUT, 0};
                int ready = 0;
                do {
                    ready = ::poll(&p, 1, remainingMs(deadline));
                } while (ready < 0 && errno == EINTR);
                socklen_t len = sizeof err;
                if (ready <= 0)
                    err = ETIMEDOUT;
                else if (::getsockopt(fd.fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
                    err = errno;
            }
            if (err == 0) return fd.release();
            lastError = err;
            if (remainingMs(deadline) == 0) break;
        }
        const std::string why = "cannot connect to the printer at " + endpoint() + ": ";
        if (lastError == ETIMEDOUT) {
            return missing(
                ErrorKind::Timeout,
                why + "no answer in " + std::to_string(m_options.connectTimeout.count()) + " ms");
        }
        return missing(ErrorKind::Transport, why + errnoText(lastError));
    }

    // Closing with unread data makes the kernel send a reset, which can throw away the end of
    // the job on the printer's side; so read until the printer closes, for a short while.
    void drain(int fd) const {
        const auto deadline = Clock::now() + std::min(m_options.ioTimeout, milliseconds(2000));
        char buf[256];
        while (true) {
            pollfd p{fd, POLLIN, 0};
            const int ready = ::poll(&p, 1, remainingMs(deadline));
            if (ready < 0 && errno == EINTR) continue;
            if (ready <= 0) return;
            const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
            if (n <= 0) return;
        }
    }

    std::string m_host;
    std::string m_port;
    PrinterOptions m_options;
};

Error badTarget(const std::string& target, const std::string& why) {
    return makeError(ErrorKind::Config, kBadPrinterTarget,
                     "printer target \"" + target + "\" " + why +
                         "; use none, file:PATH, device:PATH or tcp://HOST:PORT");
}

bool startsWith(const std::string& s, std::string_view prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

Result<std::unique_ptr<Printer>> openPrinter(const std::string& target,
                                             const PrinterOptions& options) {
    if (target.empty() || target == "none") {
        return std::unique_ptr<Printer>(std::make_unique<NullPrinter>(target));
    }
    for (const auto& [prefix, device] : {std::pair{"file:", false}, std::pair{"device:", true}}) {
        if (!startsWith(target, prefix)) continue;
        std::string path = target.substr(std::strlen(prefix));
        if (path.empty()) return badTarget(target, "has no path");
        return std::unique_ptr<Printer>(
            std::make_unique<PathPrinter>(target, std::move(path), device, options));
    }
    if (!startsWith(target, "tcp://")) return badTarget(target, "is not a known kind");

    std::string rest = target.substr(6);
    if (!rest.empty() && rest.back() == '/') rest.pop_back();
    std::string host;
    std::string port = "9100";
    std::size_t colon = std::string::npos;
    if (startsWith(rest, "[")) {  // [IPv6]:port
        const std::size_t close = rest.find(']');
        if (close == std::string::npos) return badTarget(target, "has an unclosed '['");
        host = rest.substr(1, close - 1);
        if (close + 1 < rest.size()) {
            if (rest[close + 1] != ':') return badTarget(target, "has junk after ']'");
            colon = close + 1;
        }
    } else {
        colon = rest.rfind(':');
        host = rest.substr(0, colon);
    }
    if (colon != std::string::npos) port = rest.substr(colon + 1);
    if (host.empty()) return badTarget(target, "has no host");
    if (host.find_first_of("/ ") != std::string::npos) return badTarget(target, "has a bad host");
    int number = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (port.empty() || ec != std::errc{} || end != port.data() + port.size() || number < 1 ||
        number > 65535) {
        return badTarget(target, "has a port that is not a number from 1 to 65535");
    }
    return std::unique_ptr<Printer>(
        std::make_unique<TcpPrinter>(target, std::move(host), std::move(port), options));
}

}  // namespace talon::print
