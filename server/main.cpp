// talon-server: parses options, loads the config, runs the server until SIGINT/SIGTERM.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <csignal>
#include <fstream>
#include <thread>

#include "talon/server/config.h"
#include "talon/server/server.h"

int main(int argc, char** argv) {
    using namespace talon::server;
    CLI::App cli{"talon-server: the Talon queue server (HTTP/JSON API, web consoles, event stream)"};
    std::string configPath, listen, db, assets, portFile;
    int threads = 0;
    cli.add_option("--config", configPath, "TOML config file (default: demo services and windows)");
    cli.add_option("--listen", listen, "HOST:PORT to listen on (port 0: any free port)");
    cli.add_option("--db", db, "SQLite database file");
    cli.add_option("--assets", assets, "assets directory (web pages, translations)");
    cli.add_option("--port-file", portFile, "write the bound port to this file once listening");
    cli.add_option("--threads", threads, "HTTP worker threads")->check(CLI::Range(4, 4096));
    CLI11_PARSE(cli, argc, argv);

    ServerConfig config = demoConfig();
    if (!configPath.empty()) {
        auto loaded = loadConfigFile(configPath);
        if (!loaded) {
            spdlog::error("{}", loaded.error().message);
            return 2;
        }
        config = std::move(loaded).value();
    }
    if (!listen.empty()) {
        if (auto st = applyListen(config, listen); !st) {
            spdlog::error("--listen: {}", st.error().message);
            return 2;
        }
    }
    if (!db.empty()) config.database = db;
    if (!assets.empty()) config.assets = assets;
    if (threads) config.threads = threads;

    // Block the stop signals in every thread; one thread waits for them and stops the server.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    auto server = TalonServer::create(config);
    if (!server) {
        spdlog::error("{}", server.error().message);
        return 1;
    }
    auto port = server.value()->bind();
    if (!port) {
        spdlog::error("{}", port.error().message);
        return 1;
    }
    if (!portFile.empty()) {
        std::ofstream(portFile + ".tmp") << port.value() << "\n";
        std::rename((portFile + ".tmp").c_str(), portFile.c_str());
    }
    spdlog::info("talon-server listening on http://{}:{} (database {})", config.host, port.value(),
                 config.database);

    std::thread waiter([&] {
        int sig = 0;
        sigwait(&signals, &sig);
        spdlog::info("stopping (signal {})", sig);
        server.value()->stop();
    });
    const bool ok = server.value()->listen();
    if (waiter.joinable()) {
        // listen() may end for another reason: wake the waiter so it can exit.
        pthread_kill(waiter.native_handle(), SIGTERM);
        waiter.join();
    }
    return ok ? 0 : 1;
}
