// talon-display: the waiting-room board. Parses options and runs the app shell.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "display_app.h"
#include "talon/common/paths.h"
#include "talon/ui/shell_cli.h"

int main(int argc, char** argv) {
    using namespace talon;
    CLI::App cli{"talon-display: the Talon waiting-room display board"};
    std::string configFile, server, assets, lang;
    bool silent = false;
    ui::ShellCli shell;
    shell.options.title = "Talon board";
    cli.add_option("--config", configFile, "board configuration file (see assets/config/talon-display.example.toml)");
    cli.add_option("--server", server, "server URL (overrides display.server)");
    cli.add_option("--assets", assets, "assets directory (translations)");
    cli.add_option("--lang", lang, "language of the board's captions (overrides display.language)");
    cli.add_flag("--silent", silent, "no chime and no voice");
    shell.addTo(cli);
    CLI11_PARSE(cli, argc, argv);
    if (auto err = shell.finish(); !err.empty()) {
        std::fprintf(stderr, "talon-display: %s\n", err.c_str());
        return 2;
    }
    auto config = configFile.empty() ? display::parseDisplayConfig("", "defaults")
                                     : display::loadDisplayConfigFile(configFile);
    if (!config) {
        std::fprintf(stderr, "talon-display: %s\n", config.error().message.c_str());
        return 2;
    }
    display::DisplayConfig cfg = std::move(config).value();
    if (!server.empty()) {
        if (server.rfind("http://", 0) != 0 && server.rfind("https://", 0) != 0) {
            std::fprintf(stderr, "talon-display: --server must be an address like http://192.168.1.10:8080\n");
            return 2;
        }
        cfg.server = server;
    }
    if (!lang.empty()) cfg.language = lang;
    if (silent) cfg.sound = false;
    auto catalog = Catalog::loadDir(assetsDir(assets) / "i18n");
    if (!catalog) {
        std::fprintf(stderr, "talon-display: %s\n", catalog.error().message.c_str());
        return 1;
    }
    if (!catalog.value().has(cfg.language, "board.title")) {
        std::fprintf(stderr, "talon-display: no translation for language \"%s\"\n", cfg.language.c_str());
        return 2;
    }
    RunQueue queue;
    display::DisplayApp app(std::move(cfg), std::move(catalog).value(), queue);
    auto sh = ui::AppShell::create(shell.options, queue);
    if (!sh) {
        std::fprintf(stderr, "talon-display: %s\n", sh.error().message.c_str());
        return 1;
    }
    app.attach(*sh.value());
    app.start();
    const int rc = sh.value()->run(app);
    app.detach();  // the announcer closes its audio device before the shell quits SDL
    return rc;
}
