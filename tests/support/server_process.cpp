// ServerProcess: posix_spawn, --port-file handshake, health polling, kill on scope exit.
#include "server_process.h"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <random>
#include <thread>

#include "talon/common/http_client.h"

extern char** environ;

namespace talon::test {

TempDir::TempDir() {
    std::random_device rd;
    const auto base = std::filesystem::temp_directory_path();
    for (int i = 0; i < 100; ++i) {
        auto candidate = base / ("talon-test-" + std::to_string(rd()));
        if (std::filesystem::create_directory(candidate)) {
            m_path = candidate;
            return;
        }
    }
    throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

std::string writeAuthConfig(const std::filesystem::path& dir, const std::string& auth) {
    const auto path = dir / "talon.toml";
    std::ofstream(path) << "[auth]\n" << auth;
    return path.string();
}

std::string serverBinary() { return TALON_SERVER_BIN; }
std::string kioskBinary() { return TALON_KIOSK_BIN; }
std::string displayBinary() { return TALON_DISPLAY_BIN; }

ServerProcess::ServerProcess(std::vector<std::string> extraArgs, std::filesystem::path dbPath, ServerMode mode)
    : m_db(dbPath.empty() ? m_dir.path() / "talon.db" : std::move(dbPath)), m_args(std::move(extraArgs)) {
    const bool ownConfig = std::find(m_args.begin(), m_args.end(), "--config") != m_args.end();
    if (!ownConfig && mode == ServerMode::Open) {
        m_args.insert(m_args.end(), {"--config", writeAuthConfig(m_dir.path(), "require_login = false\n")});
    }
    if (!launch(0)) ADD_FAILURE() << "talon-server did not start:\n" << m_log;
}

ServerProcess::~ServerProcess() { stop(); }

bool ServerProcess::launch(int port) {
    const auto portFile = m_dir.path() / "port";
    std::filesystem::remove(portFile);
    std::vector<std::string> args = {serverBinary(), "--listen", "127.0.0.1:" + std::to_string(port),
                                     "--db", m_db.string(), "--port-file", portFile.string()};
    args.insert(args.end(), m_args.begin(), m_args.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const auto log = (m_dir.path() / "server.log").string();
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    const int rc = posix_spawn(&m_pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        m_pid = -1;
        return false;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = -1;
            std::ifstream in(log);
            m_log.assign((std::istreambuf_iterator<char>(in)), {});
            return false;
        }
        std::ifstream in(portFile);
        int p = 0;
        if (in >> p && p > 0) {
            m_port = p;
            HttpClient http(url());
            auto res = http.get("/api/v1/health");
            if (res && res.value().status == 200) return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

void ServerProcess::kill() {
    if (m_pid <= 0) return;
    ::kill(m_pid, SIGKILL);
    waitpid(m_pid, nullptr, 0);
    m_pid = -1;
}

void ServerProcess::pause() {
    if (m_pid > 0) ::kill(m_pid, SIGSTOP);
}

void ServerProcess::resume() {
    if (m_pid > 0) ::kill(m_pid, SIGCONT);
}

void ServerProcess::stop() {
    if (m_pid <= 0) return;
    ::kill(m_pid, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        if (waitpid(m_pid, nullptr, WNOHANG) == m_pid) {
            m_pid = -1;
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill();
}

bool ServerProcess::restart() {
    stop();
    // The same port lets clients reconnect to the address they know; it is free again now.
    for (int attempt = 0; attempt < 50; ++attempt) {
        if (launch(m_port)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return launch(0);
}

}  // namespace talon::test
