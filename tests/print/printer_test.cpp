// Printer targets against real files, devices, FIFOs and local sockets.
#include "talon/print/printer.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <future>
#include <iterator>
#include <random>
#include <thread>

#include "print_test_support.h"

namespace talon::print {
namespace {

using namespace std::chrono_literals;

std::vector<std::uint8_t> sampleJob(std::size_t size) {
    std::vector<std::uint8_t> job(size);
    std::mt19937 rng(42);
    for (auto& b : job) b = static_cast<std::uint8_t>(rng());
    for (int i = 0; i < 256 && i < static_cast<int>(size); ++i)
        job[i] = static_cast<std::uint8_t>(i);
    return job;
}

std::unique_ptr<Printer> open(const std::string& target, const PrinterOptions& options = {}) {
    auto printer = openPrinter(target, options);
    EXPECT_TRUE(printer.ok()) << target << ": " << (printer.ok() ? "" : printer.error().message);
    return printer.ok() ? std::move(printer).value() : nullptr;
}

// A listening socket on 127.0.0.1 with a port the kernel picked.
struct Listener {
    int fd = -1;
    int port = 0;
    Listener() {
        fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
            ::listen(fd, 4) != 0 ||
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
            ADD_FAILURE() << "cannot listen on 127.0.0.1";
        }
        port = ntohs(addr.sin_port);
    }
    ~Listener() { close(); }
    void close() {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
    std::string target() const { return "tcp://127.0.0.1:" + std::to_string(port); }
};

TEST(Printer, FileTargetGetsExactlyTheBytes) {
    test::TempDir dir;
    const std::string path = dir.file("job.bin");
    const auto job = sampleJob(100000);
    auto printer = open("file:" + path);
    ASSERT_TRUE(printer);
    EXPECT_EQ(printer->target(), "file:" + path);
    ASSERT_TRUE(printer->print(sampleJob(300000)).ok());
    ASSERT_TRUE(printer->print(job).ok());  // each job replaces the last
    std::ifstream in(path, std::ios::binary);
    const std::vector<std::uint8_t> got{std::istreambuf_iterator<char>(in),
                                        std::istreambuf_iterator<char>()};
    EXPECT_EQ(got, job);
}

TEST(Printer, FileInAMissingFolderIsMissing) {
    auto printer = open("file:/nonexistent/dir/job.bin");
    ASSERT_TRUE(printer);
    const Status s = printer->print(sampleJob(10));
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, kPrinterMissing);
}

TEST(Printer, TcpTargetDeliversExactlyTheBytes) {
    Listener listener;
    std::vector<std::uint8_t> received;
    std::thread server([&] {
        const int conn = ::accept(listener.fd, nullptr, nullptr);
        if (conn < 0) return;
        std::uint8_t buf[65536];
        ssize_t n = 0;
        while ((n = ::read(conn, buf, sizeof buf)) > 0)
            received.insert(received.end(), buf, buf + n);
        ::close(conn);
    });
    const auto job = sampleJob(4 << 20);  // more than a socket buffer holds
    auto printer = open(listener.target());
    ASSERT_TRUE(printer);
    const Status s = printer->print(job);
    server.join();
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(received.size(), job.size());
    EXPECT_TRUE(received == job);
}

TEST(Printer, TcpClosedPortIsMissingAtOnce) {
    Listener listener;
    const std::string target = listener.target();
    listener.close();  // nothing listens on the port now: the connection is refused
    auto printer = open(target);
    ASSERT_TRUE(printer);
    const auto start = std::chrono::steady_clock::now();
    const Status s = printer->print(sampleJob(10));
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, kPrinterMissing);
    EXPECT_EQ(s.error().kind, ErrorKind::Transport);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);  // refused, not timed out
}

TEST(Printer, TcpPeerThatHangsUpFailsWithoutSigpipe) {
    Listener listener;
    std::thread server([&] {
        const int conn = ::accept(listener.fd, nullptr, nullptr);
        if (conn >= 0) ::close(conn);  // unread data makes the kernel reset the connection
    });
    auto printer = open(listener.target());
    ASSERT_TRUE(printer);
    const Status s = printer->print(sampleJob(16 << 20));
    server.join();
    ASSERT_FALSE(s.ok());  // and the test process is still alive: no SIGPIPE
    EXPECT_EQ(s.error().code, kPrinterFailed);
}

TEST(Printer, TcpPrinterThatStopsReadingTimesOut) {
    Listener listener;
    std::promise<void> done;
    std::thread server([&, finished = done.get_future()] {
        const int conn = ::accept(listener.fd, nullptr, nullptr);
        finished.wait();  // accepts, never reads: a printer out of paper
        if (conn >= 0) ::close(conn);
    });
    PrinterOptions options;
    options.ioTimeout = 300ms;
    auto printer = open(listener.target(), options);
    ASSERT_TRUE(printer);
    const Status s = printer->print(sampleJob(64 << 20));
    done.set_value();
    server.join();
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, kPrinterFailed);
    EXPECT_EQ(s.error().kind, ErrorKind::Timeout);
}

TEST(Printer, DeviceThatDoesNotExistIsMissing) {
    auto printer = open("device:/dev/usb/lp-talon-test-absent");
    ASSERT_TRUE(printer);
    const Status s = printer->print(sampleJob(10));
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, kPrinterMissing);
    EXPECT_EQ(s.error().kind, ErrorKind::NotFound);
    EXPECT_NE(s.error().message.find("/dev/usb/lp-talon-test-absent"), std::string::npos);
}

TEST(Printer, DeviceThatFillsUpFails) {
    auto printer = open("device:/dev/full");
    ASSERT_TRUE(printer);
    const Status s = printer->print(sampleJob(10));
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, kPrinterFailed);
    EXPECT_NE(s.error().message.find(std::strerror(ENOSPC)), std::string::npos)
        << s.error().message;
}

TEST(Printer, DeviceWithoutPermissionIsMissing) {
    if (::geteuid() == 0) GTEST_SKIP() << "root may write anywhere";
    test::TempDir dir;
    const std::string path = dir.file("lp0");
    std::ofstream(path) << "";
    ::chmod(path.c_str(), 0444);
    auto printer = open("device:" + path);
    ASSERT_TRUE(printer);
    const Status s = printer->print(sampleJob(10));
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, kPrinterMissing);
    EXPECT_EQ(s.error().kind, ErrorKind::Config);
}

TEST(Printer, ReaderThatGoesAwayFailsWithoutSigpipe) {
    test::TempDir dir;
    const std::string fifo = dir.file("fifo");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    ASSERT_GE(reader, 0);
    auto printer = open("device:" + fifo);
    ASSERT_TRUE(printer);
    Status result = okStatus();
    std::thread writer([&] { result = printer->print(sampleJob(8 << 20)); });
    // Once data arrives the writer has the FIFO open; then the reader leaves mid-job.
    pollfd p{reader, POLLIN, 0};
    ASSERT_EQ(::poll(&p, 1, 10000), 1);
    ::close(reader);
    writer.join();
    ASSERT_FALSE(result.ok());  // EPIPE, and the process is still alive
    EXPECT_EQ(result.error().code, kPrinterFailed);
}

TEST(Printer, BadTargetStringsAreConfigErrors) {
    for (const std::string target :
         {"lpt1", "tcp://", "tcp://host:notaport", "tcp://host:0", "tcp://host:70000",
          "tcp://:9100", "tcp://[::1", "file:", "device:", "usb:/dev/usb/lp0", "NONE"}) {
        auto printer = openPrinter(target);
        ASSERT_FALSE(printer.ok()) << target;
        EXPECT_EQ(printer.error().kind, ErrorKind::Config) << target;
        EXPECT_EQ(printer.error().code, kBadPrinterTarget) << target;
        EXPECT_NE(printer.error().message.find(target), std::string::npos);
    }
}

TEST(Printer, GoodTargetStringsOpen) {
    for (const std::string target : {"tcp://printer.local:9100", "tcp://10.0.0.7",
                                     "tcp://[::1]:9100", "file:out.bin", "device:/dev/usb/lp0"}) {
        EXPECT_TRUE(openPrinter(target).ok()) << target;
    }
}

TEST(Printer, NoneFailsEveryJobAsMissing) {
    for (const std::string target : {"none", ""}) {
        auto printer = open(target);
        ASSERT_TRUE(printer);
        const Status s = printer->print(sampleJob(10));
        ASSERT_FALSE(s.ok());
        EXPECT_EQ(s.error().code, kPrinterMissing);
    }
}

}  // namespace
}  // namespace talon::print
