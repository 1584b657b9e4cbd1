// talon-bench-boards: call → board latency with many boards connected to one server. Each
// board is the real client (EventStream over libcurl, a snapshot on each connect) feeding its
// own BoardModel, as a display does; the time counted runs from just before the clerk's call-next request is sent until the
// board's model holds the call. Prints p50/p99/max over every board and call. The clerk calls
// without logging in: the server runs with `[auth] require_login = false` (bench/display.sh).
#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "talon/common/api_client.h"
#include "talon/common/event_stream.h"
#include "talon/display/board_model.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Board {
    talon::SystemClock clock;
    talon::display::BoardModel model{clock};
    std::mutex mutex;
    std::map<int64_t, Clock::time_point> seen;  // ticket id → when the model held its call
    std::atomic<bool> live{false};
    std::unique_ptr<talon::EventStream> stream;
};

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"talon-bench-boards: call → board latency with many boards on one server"};
    std::string server = "http://127.0.0.1:8080";
    int boards = 200, calls = 50;
    cli.add_option("--server", server, "server URL (start it with --threads above the board count)");
    cli.add_option("--boards", boards, "boards connected")->check(CLI::Range(1, 2000));
    cli.add_option("--calls", calls, "calls measured")->check(CLI::Range(1, 10000));
    CLI11_PARSE(cli, argc, argv);

    std::vector<std::unique_ptr<Board>> list;
    for (int i = 0; i < boards; ++i) {
        auto b = std::make_unique<Board>();
        Board* raw = b.get();
        talon::EventStream::Handlers handlers;
        handlers.onEvent = [raw](const talon::QueueEvent& e) {
            std::lock_guard lock(raw->mutex);
            raw->model.onEvent(e);
            if (e.type == "ticket.called" && e.ticket && !raw->model.calls().empty() &&
                raw->model.calls().front().ticketId == e.ticket->id) {
                raw->seen.emplace(e.ticket->id, Clock::now());
            }
        };
        // As a display does: a snapshot on every connect, merged with the events by id.
        handlers.onConnection = [raw, server](bool connected) {
            if (connected) {
                talon::ApiClient api(server);
                for (int attempt = 0; attempt < 20; ++attempt) {
                    if (auto board = api.board()) {
                        std::lock_guard lock(raw->mutex);
                        raw->model.onSnapshot(board.value());
                        break;
                    }
                    std::this_thread::sleep_for(std::chrono::milliseconds(250));
                }
            }
            raw->live = connected;
        };
        b->stream = std::make_unique<talon::EventStream>(server, std::move(handlers));
        b->stream->start(0);
        list.push_back(std::move(b));
    }
    const auto connectDeadline = Clock::now() + std::chrono::seconds(30);
    while (Clock::now() < connectDeadline) {
        const auto up = std::count_if(list.begin(), list.end(), [](const auto& b) { return b->live.load(); });
        if (up == boards) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const auto up = std::count_if(list.begin(), list.end(), [](const auto& b) { return b->live.load(); });
    if (up < boards) {
        std::fprintf(stderr, "only %ld of %d boards connected; start the server with --threads %d or more\n",
                     static_cast<long>(up), boards, boards + 16);
        return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // streams settled

    talon::ApiClient api(server);
    std::map<int64_t, Clock::time_point> sent;
    std::vector<double> requestMs;
    for (int i = 0; i < calls; ++i) {
        if (!api.issueTicket("A")) {
            std::fprintf(stderr, "cannot issue a ticket\n");
            return 1;
        }
        const auto t0 = Clock::now();
        auto called = api.callNext(1);
        const auto t1 = Clock::now();
        if (!called || !called.value()) {
            std::fprintf(stderr, "call-next failed\n");
            return 1;
        }
        const int64_t id = called.value()->id;
        sent[id] = t0;
        requestMs.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        // Every board has it (or two seconds passed), then the window finishes for the next call.
        const auto deadline = Clock::now() + std::chrono::seconds(2);
        while (Clock::now() < deadline) {
            size_t have = 0;
            for (auto& b : list) {
                std::lock_guard lock(b->mutex);
                have += b->seen.count(id);
            }
            if (have == list.size()) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        (void)api.done(1);
    }

    std::vector<double> latencies;
    size_t missing = 0;
    for (auto& b : list) {
        std::lock_guard lock(b->mutex);
        for (const auto& [id, t0] : sent) {
            auto it = b->seen.find(id);
            if (it == b->seen.end()) {
                ++missing;
                continue;
            }
            latencies.push_back(std::chrono::duration<double, std::milli>(it->second - t0).count());
        }
    }
    for (auto& b : list) b->stream->stop();
    std::printf("call → board (%d boards, %d calls, %zu deliveries, %zu missing): p50 %.1f ms, p99 %.1f ms, max %.1f ms"
                "  (target p99 < 100)\n",
                boards, calls, latencies.size(), missing, percentile(latencies, 0.5), percentile(latencies, 0.99),
                latencies.empty() ? 0.0 : *std::max_element(latencies.begin(), latencies.end()));
    std::printf("  the call-next request alone: p50 %.1f ms, p99 %.1f ms\n", percentile(requestMs, 0.5),
                percentile(requestMs, 0.99));
    return missing == 0 ? 0 : 1;
}
