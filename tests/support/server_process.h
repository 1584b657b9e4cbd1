// Starts the real talon-server binary on a free port with a fresh SQLite file in a temporary
// directory, and stops it in the destructor (the scope guard of every integration test).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace talon::test {

/// A fresh temporary directory, removed with everything in it on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

/// How the server is configured when the test passes no --config of its own.
enum class ServerMode {
    /// A config file in the temp dir with only `[auth] require_login = false`: the demo office
    /// with window steps open to anyone, as documented for an office without logins. The
    /// queue-mechanics tests (and the benchmarks) exercise that mode; logins have their own
    /// tests (tests/integration/auth_http_test.cpp with require_login = true, and the browser
    /// tests), so every other test need not log in before each step.
    Open,
    /// No --config at all: the demo itself (`./talon demo`), logins required, with the demo
    /// accounts clerk<N>/demo and admin/admin.
    Demo,
};

class ServerProcess {
public:
    /// Starts the server with `extraArgs` and waits until /api/v1/health answers.
    /// `dbPath` empty: a database in the temp dir. Without "--config" in `extraArgs`, `mode`
    /// says how it is configured. Fails the test (ADD_FAILURE) if it does not come up.
    explicit ServerProcess(std::vector<std::string> extraArgs = {}, std::filesystem::path dbPath = {},
                           ServerMode mode = ServerMode::Open);
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    bool running() const { return m_pid > 0; }
    int port() const { return m_port; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    const std::filesystem::path& dbPath() const { return m_db; }
    /// SIGKILL, as in a crash or power cut: nothing gets to flush or clean up.
    void kill();
    /// SIGSTOP / SIGCONT: the server hangs (connections are accepted by the kernel, nothing
    /// answers) and then carries on, as with a stalled disk or an overloaded machine.
    void pause();
    void resume();
    /// SIGTERM and wait.
    void stop();
    /// Starts again on the same database and, if possible, the same port.
    bool restart();

private:
    bool launch(int port);

    TempDir m_dir;
    std::filesystem::path m_db;
    std::vector<std::string> m_args;
    std::string m_log;  // the server's output when it exited early
    pid_t m_pid = -1;
    int m_port = 0;
};

/// Writes `dir`/talon.toml with `auth` as its [auth] section (the demo services and windows);
/// its path.
std::string writeAuthConfig(const std::filesystem::path& dir, const std::string& auth);

/// Paths of the built programs (set by CMake).
std::string serverBinary();
std::string kioskBinary();
std::string displayBinary();

}  // namespace talon::test
