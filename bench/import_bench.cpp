// talon-bench-import: writes the billing system's CSV for 100,000 accounts with 150,000 meters
// (every second account has two) into a temporary directory and times AccountImport on a fresh
// database file (WAL, synchronous=FULL), twice: the first import and the replacing one. Then
// times 10,000 account lookups through AccountDirectory with that data loaded (p50/p99 in ms).
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>
#include <filesystem>
#include <fstream>

#include "talon/server/account_directory.h"
#include "talon/server/account_import.h"
#include "talon/server/event_hub.h"
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

/// Random known accounts looked up one after another through the store's lock, as the server
/// does; prints p50 and p99.
int timeLookups(const std::filesystem::path& db, int accounts, int lookups) {
    talon::server::ServerConfig config = talon::server::demoConfig();
    config.database = db.string();
    talon::SystemClock clock;
    talon::server::EventHub hub;
    auto store = talon::server::QueueStore::open(config, hub, clock);
    if (!store) {
        std::fprintf(stderr, "%s\n", store.error().message.c_str());
        return 1;
    }
    talon::server::AccountDirectory directory(*store.value(), clock);
    std::mt19937 random(7);
    std::uniform_int_distribution<int> pick(0, accounts - 1);
    std::vector<double> ms;
    ms.reserve(static_cast<size_t>(lookups));
    char number[16];
    for (int i = 0; i < lookups; ++i) {
        std::snprintf(number, sizeof number, "%010d", 100000 + pick(random));
        const auto start = std::chrono::steady_clock::now();
        auto account = directory.lookup(number);
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        if (!account || account.value().meters.empty()) {
            std::fprintf(stderr, "lookup of %s failed\n", number);
            return 1;
        }
    }
    std::sort(ms.begin(), ms.end());
    auto at = [&](double q) { return ms[std::min(ms.size() - 1, static_cast<size_t>(q * static_cast<double>(ms.size())))]; };
    std::printf("lookup count=%d p50_ms=%.3f p99_ms=%.3f max_ms=%.3f\n", lookups, at(0.5), at(0.99), ms.back());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"talon-bench-import: times the accounts CSV import"};
    int accounts = 100000;
    cli.add_option("--accounts", accounts, "accounts (meters: 1.5 times as many)")
        ->check(CLI::Range(1, 10000000));
    int lookups = 10000;
    cli.add_option("--lookups", lookups, "account lookups to time after the import")->check(CLI::Range(1, 10000000));
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
    if (!failed) failed = timeLookups(dir / "talon.db", accounts, lookups);
    std::filesystem::remove_all(dir);
    return failed;
}
