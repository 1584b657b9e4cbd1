// talon-display: the waiting-room board. Parses options and runs the app shell.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "display_app.h"
#include "talon/common/paths.h"
#include "talon/ui/shell_cli.h"

int main(int argc, char** argv) {
    using namespace talon;
    CLI::App cli{"talon-display: the Talon waiting-room display board"};
    std::string server = "http://127.0.0.1:8080", assets, lang = "ru";
    ui::ShellCli shell;
    shell.options.title = "Talon board";
    cli.add_option("--server", server, "server URL");
    cli.add_option("--assets", assets, "assets directory (translations)");
    cli.add_option("--lang", lang, "language of the board's captions (ru, en)");
    shell.addTo(cli);
    CLI11_PARSE(cli, argc, argv);
    if (auto err = shell.finish(); !err.empty()) {
        std::fprintf(stderr, "talon-display: %s\n", err.c_str());
        return 2;
    }
    auto catalog = Catalog::loadDir(assetsDir(assets) / "i18n");
    if (!catalog) {
        std::fprintf(stderr, "talon-display: %s\n", catalog.error().message.c_str());
        return 1;
    }
    RunQueue queue;
    display::DisplayApp app(server, std::move(catalog).value(), lang, queue);
    auto sh = ui::AppShell::create(shell.options, queue);
    if (!sh) {
        std::fprintf(stderr, "talon-display: %s\n", sh.error().message.c_str());
        return 1;
    }
    app.attach(*sh.value());
    app.start();
    return sh.value()->run(app);
}
