// talon-sim: replays a business day from a scenario file on the real queue engine and prints
// waits, utilisation and the accuracy of the wait estimates.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>

#include "talon/sim/report.h"
#include "talon/sim/scenario.h"
#include "talon/sim/simulation.h"

int main(int argc, char** argv) {
    using namespace talon::sim;
    CLI::App cli{
        "talon-sim: replays a business day from a scenario (bench/scenarios/*.toml) on the real\n"
        "queue engine and reports waits, window utilisation and wait-estimate accuracy."};
    std::string scenarioPath, ticketsCsv;
    uint64_t seed = 1;
    bool json = false;
    cli.add_option("--scenario", scenarioPath, "scenario TOML file")->required();
    cli.add_option("--seed", seed, "random seed: the same seed gives the same day")
        ->capture_default_str();
    cli.add_flag("--json", json, "print the report as JSON instead of text tables");
    cli.add_option("--tickets-csv", ticketsCsv, "also write one CSV line per ticket to this file");
    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return cli.exit(e) == 0 ? 0 : 2;
    }

    auto scenario = loadScenarioFile(scenarioPath);
    if (!scenario) {
        std::fprintf(stderr, "talon-sim: %s\n", scenario.error().message.c_str());
        return 2;
    }
    auto result = simulate(scenario.value(), seed);
    if (!result) {
        std::fprintf(stderr, "talon-sim: %s\n", result.error().message.c_str());
        return 1;
    }
    if (!ticketsCsv.empty()) {
        std::ofstream csv(ticketsCsv, std::ios::binary);
        csv << formatTicketsCsv(result.value());
        if (!csv) {
            std::fprintf(stderr, "talon-sim: cannot write %s (is the directory writable?)\n",
                         ticketsCsv.c_str());
            return 2;
        }
    }
    const Report report = summarise(scenario.value(), result.value());
    const std::string text = json ? formatJson(report) : formatText(report);
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
}
