// talon-kiosk: the touch-screen ticket kiosk. Parses options and runs the app shell.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>

#include "kiosk_app.h"
#include "talon/common/paths.h"
#include "talon/ui/shell_cli.h"

int main(int argc, char** argv) {
    using namespace talon;
    CLI::App cli{"talon-kiosk: the Talon touch-screen ticket kiosk"};
    std::string server = "http://127.0.0.1:8080", assets, lang;
    ui::ShellCli shell;
    shell.options.title = "Talon kiosk";
    shell.options.width = 1080;
    shell.options.height = 1920;
    cli.add_option("--server", server, "server URL");
    cli.add_option("--assets", assets, "assets directory (translations)");
    cli.add_option("--lang", lang, "first language (default ru)");
    shell.addTo(cli);
    CLI11_PARSE(cli, argc, argv);
    if (auto err = shell.finish(); !err.empty()) {
        std::fprintf(stderr, "talon-kiosk: %s\n", err.c_str());
        return 2;
    }

    auto catalog = Catalog::loadDir(assetsDir(assets) / "i18n");
    if (!catalog) {
        std::fprintf(stderr, "talon-kiosk: %s\n", catalog.error().message.c_str());
        return 1;
    }
    kiosk::KioskSettings settings;
    if (!lang.empty()) {
        if (std::find(settings.languages.begin(), settings.languages.end(), lang) == settings.languages.end()) {
            std::fprintf(stderr, "talon-kiosk: --lang must be one of: ru, en\n");
            return 2;
        }
        settings.defaultLanguage = lang;
    }
    RunQueue queue;
    kiosk::KioskApp app(server, std::move(catalog).value(), queue, settings);
    auto sh = ui::AppShell::create(shell.options, queue);
    if (!sh) {
        std::fprintf(stderr, "talon-kiosk: %s\n", sh.error().message.c_str());
        return 1;
    }
    app.attach(*sh.value());
    app.start();
    return sh.value()->run(app);
}
