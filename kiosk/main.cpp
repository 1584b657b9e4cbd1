// talon-kiosk: the touch-screen ticket kiosk. Parses options and runs the app shell.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>

#include "kiosk_app.h"
#include "talon/common/paths.h"
#include "talon/kiosk/outbox.h"
#include "talon/kiosk/receipt_printer.h"
#include "talon/ui/shell_cli.h"

int main(int argc, char** argv) {
    using namespace talon;
    CLI::App cli{"talon-kiosk: the Talon touch-screen ticket kiosk"};
    std::string configFile, server, assets, lang, printer, kioskId, readyFile, outboxFile;
    ui::ShellCli shell;
    shell.options.title = "Talon kiosk";
    shell.options.width = 1080;
    shell.options.height = 1920;
    cli.add_option("--config", configFile, "kiosk configuration file (see assets/config/talon-kiosk.example.toml)");
    cli.add_option("--server", server, "server URL (overrides kiosk.server)");
    cli.add_option("--assets", assets, "assets directory (translations, questions and answers)");
    cli.add_option("--lang", lang, "first language (overrides kiosk.default_language)");
    cli.add_option("--printer", printer, "printer: none, file:PATH, device:PATH or tcp://HOST:PORT");
    cli.add_option("--kiosk-id", kioskId, "this kiosk's id on the server (overrides kiosk.id)");
    cli.add_option("--outbox", outboxFile, "the outbox file for readings the server could not take (overrides kiosk.outbox)");
    cli.add_option("--ready-file", readyFile, "write this file once the first interactive frame is drawn");
    shell.addTo(cli);
    CLI11_PARSE(cli, argc, argv);
    if (auto err = shell.finish(); !err.empty()) {
        std::fprintf(stderr, "talon-kiosk: %s\n", err.c_str());
        return 2;
    }

    auto config = configFile.empty() ? kiosk::parseKioskConfig("", "defaults") : kiosk::loadKioskConfigFile(configFile);
    if (!config) {
        std::fprintf(stderr, "talon-kiosk: %s\n", config.error().message.c_str());
        return 2;
    }
    // Full screen, the kiosk closes only from the staff menu (hidden gesture + PIN).
    shell.options.lockExit = shell.options.fullscreen && !shell.options.headless;
    kiosk::KioskConfig cfg = std::move(config).value();
    if (!server.empty()) {
        if (!kiosk::validServerUrl(server)) {
            std::fprintf(stderr, "talon-kiosk: --server %s\n", kiosk::kServerUrlRule);
            return 2;
        }
        cfg.server = cfg.settings.serverUrl = server;
    }
    if (!printer.empty()) cfg.printer.target = printer;
    if (!outboxFile.empty()) cfg.outboxFile = outboxFile;
    if (!kioskId.empty()) {
        if (!kiosk::validKioskId(kioskId)) {
            std::fprintf(stderr, "talon-kiosk: --kiosk-id %s\n", kiosk::kKioskIdRule);
            return 2;
        }
        cfg.id = kioskId;
    }
    if (!lang.empty()) {
        const auto& langs = cfg.settings.languages;
        if (std::find(langs.begin(), langs.end(), lang) == langs.end()) {
            std::fprintf(stderr, "talon-kiosk: --lang must be one of the kiosk's languages (kiosk.languages)\n");
            return 2;
        }
        cfg.settings.defaultLanguage = lang;
    }

    const auto assetsPath = assetsDir(assets);
    auto catalog = Catalog::loadDir(assetsPath / "i18n");
    if (!catalog) {
        std::fprintf(stderr, "talon-kiosk: %s\n", catalog.error().message.c_str());
        return 1;
    }
    for (const auto& l : cfg.settings.languages) {
        if (!catalog.value().has(l, "kiosk.title")) {
            std::fprintf(stderr, "talon-kiosk: no translation for language \"%s\" in %s\n", l.c_str(),
                         (assetsPath / "i18n").c_str());
            return 2;
        }
    }
    auto faq = kiosk::loadFaqDir(assetsPath / "kiosk" / "faq");
    if (!faq) {
        std::fprintf(stderr, "talon-kiosk: %s\n", faq.error().message.c_str());
        return 1;
    }
    RunQueue queue;
    // The catalog the printer words tickets with must outlive it: the app owns one copy, the
    // printer reads this one.
    const Catalog printCatalog = catalog.value();
    auto receipt = kiosk::ReceiptPrinter::create(cfg.printer, printCatalog, queue);
    if (!receipt) {
        std::fprintf(stderr, "talon-kiosk: printer.target: %s\n", receipt.error().message.c_str());
        return 2;
    }
    // Without its outbox the kiosk still works; readings then go only while the server answers.
    auto outbox = kiosk::Outbox::open(cfg.outboxFile);
    if (!outbox) {
        std::fprintf(stderr, "talon-kiosk: %s; readings are taken only while the server answers\n",
                     outbox.error().message.c_str());
    }
    kiosk::KioskApp app(cfg, std::move(catalog).value(), std::move(faq).value(), queue, std::move(receipt).value(),
                        outbox ? outbox.value().get() : nullptr);
    // The first requests go out while the window opens and the fonts are built; their answers
    // wait in the run queue for the first frame.
    app.start();
    auto sh = ui::AppShell::create(shell.options, queue);
    if (!sh) {
        std::fprintf(stderr, "talon-kiosk: %s\n", sh.error().message.c_str());
        return 1;
    }
    app.attach(*sh.value(), shell.options.width, shell.options.height);
    if (!readyFile.empty()) app.setReadyFile(readyFile);
    return sh.value()->run(app);
}
