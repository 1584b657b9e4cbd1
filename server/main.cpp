// talon-server: parses options, loads the config, runs the server until SIGINT/SIGTERM, or
// runs one `user`, `import-accounts` or `export-readings` command on the configured database.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <iostream>
#include <thread>

#include "talon/server/config.h"
#include "talon/server/export_command.h"
#include "talon/server/import_command.h"
#include "talon/server/server.h"
#include "talon/server/user_command.h"

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

    UserCommand userCommand;
    auto* user = cli.add_subcommand("user", "manage clerk and administrator logins in the configured database");
    user->require_subcommand(1);
    user->fallthrough();  // --config and --db may also come after the subcommand
    auto* add = user->add_subcommand("add", "add a user; the password is one line on standard input");
    add->add_option("LOGIN", userCommand.login, "Latin letters, digits, . _ - (case is ignored)")->required();
    add->add_option("--name", userCommand.name, "the name people see, e.g. \"Иванова А.\"")->required();
    add->add_option("--role", userCommand.role, "clerk (default) or admin");
    add->add_option("--windows", userCommand.windows, "the windows the user may take, e.g. 1,2,3");
    auto* passwd = user->add_subcommand("passwd", "set a new password (one line on standard input); ends their sessions");
    passwd->add_option("LOGIN", userCommand.login)->required();
    auto* disable = user->add_subcommand("disable", "switch a user off and end their sessions");
    disable->add_option("LOGIN", userCommand.login)->required();
    auto* enable = user->add_subcommand("enable", "let a switched-off user log in again");
    enable->add_option("LOGIN", userCommand.login)->required();
    auto* list = user->add_subcommand("list", "list every user");
    for (auto* sub : {add, passwd, disable, enable, list}) sub->fallthrough();

    std::string importFile, importLang = "en";
    auto* importAccounts = cli.add_subcommand(
        "import-accounts", "replace the accounts and meters with the billing system's CSV, all or nothing");
    importAccounts->fallthrough();
    importAccounts->add_option("FILE", importFile, "the CSV file (UTF-8; docs/operations.md, Accounts import)")
        ->required();
    importAccounts->add_option("--lang", importLang, "the language of the report")
        ->check(CLI::IsMember({"ru", "en"}));

    ExportCommand exportCommand;
    auto* exportReadings = cli.add_subcommand(
        "export-readings", "write the meter readings taken in a date range as CSV for the billing system");
    exportReadings->fallthrough();
    // Checked by the command itself, so a missing or bad date exits 2 with a sentence.
    exportReadings->add_option("--from", exportCommand.from, "the first day, YYYY-MM-DD (office-local, inclusive)");
    exportReadings->add_option("--to", exportCommand.to, "the last day, YYYY-MM-DD (inclusive; at most 366 days)");
    exportReadings->add_option("--out", exportCommand.out, "write the CSV to this file (atomically) instead of stdout");
    exportReadings->add_option("--lang", exportCommand.lang, "the language of messages: ru or en");
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

    if (*user) {
        for (auto* sub : user->get_subcommands()) userCommand.action = sub->get_name();
        return runUserCommand(config, userCommand, std::cin, std::cout, std::cerr, isatty(STDIN_FILENO) != 0);
    }

    if (*importAccounts) return runImportAccountsCommand(config, importFile, importLang, std::cout, std::cerr);
    if (*exportReadings) return runExportReadingsCommand(config, exportCommand, std::cout, std::cerr);

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
