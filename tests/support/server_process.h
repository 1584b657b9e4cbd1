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

class ServerProcess {
public:
    /// Starts the server with `extraArgs` and waits until /api/v1/health answers.
    /// `dbPath` empty: a database in the temp dir. Fails the test (ADD_FAILURE) if it does not come up.
    explicit ServerProcess(std::vector<std::string> extraArgs = {}, std::filesystem::path dbPath = {});
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

/// Paths of the built programs (set by CMake).
std::string serverBinary();
std::string kioskBinary();
std::string displayBinary();

}  // namespace talon::test
