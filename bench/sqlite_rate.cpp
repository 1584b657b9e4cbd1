// talon-bench-sqlite: the raw durable single-row transaction rate of SQLite on this disk
// (WAL, synchronous=FULL, BEGIN IMMEDIATE; INSERT; COMMIT) — the ceiling that durable ticket
// issuing over HTTP is measured against.
#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <unistd.h>

int main(int argc, char** argv) {
    const int count = argc > 1 ? std::atoi(argv[1]) : 3000;
    if (count < 1 || count > 10'000'000) {
        std::fprintf(stderr, "usage: talon-bench-sqlite [transactions 1..10000000]\n");
        return 2;
    }
    const auto path = std::filesystem::temp_directory_path() /
                      ("talon-bench-sqlite-" + std::to_string(::getpid()) + ".db");
    try {
        {
            SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
            db.exec("PRAGMA journal_mode=WAL");
            db.exec("PRAGMA synchronous=FULL");
            db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, service INTEGER, day TEXT, seq INTEGER, issued_at INTEGER)");
            SQLite::Statement ins(db, "INSERT INTO t(service, day, seq, issued_at) VALUES (?, '2026-11-23', ?, ?)");
            const auto start = std::chrono::steady_clock::now();
            for (int i = 0; i < count; ++i) {
                SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
                ins.bind(1, i % 6);
                ins.bind(2, i);
                ins.bind(3, static_cast<int64_t>(i));
                ins.exec();
                ins.reset();
                tx.commit();
            }
            const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            std::printf("sqlite     transactions=%d seconds=%.2f tps=%.1f (WAL, synchronous=FULL, one row each)\n",
                        count, secs, count / secs);
        }
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "talon-bench-sqlite: %s\n", e.what());
        return 1;
    }
    return 0;
}
