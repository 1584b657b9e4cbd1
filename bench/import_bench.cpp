// talon-bench-import: writes the billing system's CSV for 100,000 accounts with 150,000 meters
// (every second account has two) into a temporary directory and times AccountImport on a fresh
// database file (WAL, synchronous=FULL), twice: the first import and the replacing one.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "talon/server/account_import.h"
#include "talon/server/database.h"

namespace {

/// The CSV: a third of the meters single, a third day/night, a third three-zone.
void writeCsv(const std::filesystem::path& file, int accounts) {
    std::ofstream out(file, std::ios::binary);
    out << talon::server::kAccountCsvHeader << "\r\n";
    int meter = 0;
    char line[512];
    for (int a = 0; a < accounts; ++a) {
        const int meters = a % 2 == 0 ? 2 : 1;
        for (int m = 0; m < meters; ++m, ++meter) {
            const char* tariff = meter % 3 == 0   ? "single"
                                 : meter % 3 == 1 ? "day_night"
                                                  : "three_zone";
            const char* readings = meter % 3 == 0   ? "01234.5,,"
                                   : meter % 3 == 1 ? "01234.5,00321.0,"
                                                    : "1234.5,321,17.9";
            std::snprintf(
                line, sizeof line,
                "%010d,\"Иванов Иван Иванович %d\",\"г. Тула, ул. Ленина, д. %d, кв. %d\",active,"
                "SN%08d,%s,5,1,2031-06-30,7.5,2025-03-20,%s\r\n",
                100000 + a, a, a % 200 + 1, a % 90 + 1, meter, tariff, readings);
            out << line;
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"talon-bench-import: times the accounts CSV import"};
    int accounts = 100000;
    cli.add_option("--accounts", accounts, "accounts (meters: 1.5 times as many)")
        ->check(CLI::Range(1, 10000000));
    CLI11_PARSE(cli, argc, argv);

    const auto dir = std::filesystem::temp_directory_path() /
                     ("talon-bench-import-" +
                      std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    std::filesystem::create_directories(dir);
    const auto csv = dir / "accounts.csv";
    writeCsv(csv, accounts);
    auto db = talon::server::openDatabase((dir / "talon.db").string());
    if (!db) {
        std::fprintf(stderr, "%s\n", db.error().message.c_str());
        return 1;
    }
    int failed = 0;
    for (const char* pass : {"first", "replace"}) {
        const auto start = std::chrono::steady_clock::now();
        const auto report = talon::server::AccountImport(*db.value()).fromFile(csv);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (!report.ok()) {
            std::fprintf(stderr, "import failed: %s on line %d\n", report.problems[0].code.c_str(),
                         report.problems[0].line);
            failed = 1;
            break;
        }
        std::printf("import_%s accounts=%d meters=%d readings=%d file_mb=%.1f seconds=%.3f\n", pass,
                    report.accounts, report.meters, report.readings,
                    static_cast<double>(std::filesystem::file_size(csv)) / 1e6, seconds);
    }
    db.value().reset();
    std::filesystem::remove_all(dir);
    return failed;
}
