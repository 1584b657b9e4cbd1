// talon-bench-load: an HTTP load generator for talon-server. Worker threads each drive one
// keep-alive libcurl handle through a scenario; it prints one `key=value` line per scenario.
// Closed loop by default; --rate paces an open loop and measures from each scheduled send time.

#include <curl/curl.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <latch>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace talon::bench {
namespace {

using Clock = std::chrono::steady_clock;

// `call` times call-next (then sends done when it got a ticket). `story` is one visitor's trip
// timed end to end: issue a ticket, refresh the board, call-next on the worker's window, done.
enum class Scenario { Health, Issue, Call, Services, Board, Story };

struct ScenarioName {
    Scenario scenario;
    std::string_view name;
};

constexpr std::array<ScenarioName, 6> kScenarioNames{{
    {Scenario::Health, "health"},
    {Scenario::Issue, "issue"},
    {Scenario::Call, "call"},
    {Scenario::Services, "services"},
    {Scenario::Board, "board"},
    {Scenario::Story, "story"},
}};

// The demo services and windows (a config without [[services]] and [[windows]]). The window
// scenarios need a server with `[auth] require_login = false`, as bench/run.sh starts it.
constexpr std::array<std::string_view, 6> kServiceLetters{"A", "B", "C", "D", "E", "V"};
constexpr int kWindowCount = 6;

constexpr long kRequestTimeoutMs = 10'000;
constexpr std::size_t kMaxBodyInError = 400;

std::string_view scenarioName(Scenario scenario) {
    for (const auto& entry : kScenarioNames) {
        if (entry.scenario == scenario) return entry.name;
    }
    return "?";
}

bool usesWindows(Scenario scenario) {
    return scenario == Scenario::Call || scenario == Scenario::Story;
}

struct Options {
    std::string url;
    int threads = 4;
    double seconds = 5.0;
    std::optional<long long> requests;  // when set, replaces --seconds
    double rate = 0.0;                  // total requests per second; 0 means as fast as possible
    std::vector<Scenario> scenarios;
};

/// One HTTP exchange. `body` points into the client's buffer and lives until its next request.
struct Reply {
    CURLcode transport = CURLE_OK;
    long status = 0;
    std::string transportMessage;
    std::string_view body;

    [[nodiscard]] bool reached() const { return transport == CURLE_OK; }
};

/// One keep-alive connection to the server: a libcurl easy handle reused for every request.
class HttpClient {
public:
    explicit HttpClient(std::string baseUrl)
        : m_baseUrl(std::move(baseUrl)), m_curl(curl_easy_init()) {
        if (m_curl == nullptr) return;
        m_jsonHeaders = curl_slist_append(m_jsonHeaders, "Content-Type: application/json");
        m_jsonHeaders = curl_slist_append(m_jsonHeaders, "Expect:");
        curl_easy_setopt(m_curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(m_curl, CURLOPT_TCP_NODELAY, 1L);
        curl_easy_setopt(m_curl, CURLOPT_TCP_KEEPALIVE, 1L);
        curl_easy_setopt(m_curl, CURLOPT_TIMEOUT_MS, kRequestTimeoutMs);
        curl_easy_setopt(m_curl, CURLOPT_ERRORBUFFER, m_errorBuffer.data());
        curl_easy_setopt(m_curl, CURLOPT_WRITEFUNCTION, &HttpClient::onBody);
        curl_easy_setopt(m_curl, CURLOPT_WRITEDATA, &m_body);
    }
    ~HttpClient() {
        if (m_curl != nullptr) curl_easy_cleanup(m_curl);
        curl_slist_free_all(m_jsonHeaders);
    }
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    [[nodiscard]] bool valid() const { return m_curl != nullptr && m_jsonHeaders != nullptr; }

    /// New TCP connections opened so far; stays at 1 while keep-alive holds.
    [[nodiscard]] long connects() const { return m_connects; }

    [[nodiscard]] Reply get(std::string_view path) {
        curl_easy_setopt(m_curl, CURLOPT_HTTPGET, 1L);
        curl_easy_setopt(m_curl, CURLOPT_HTTPHEADER, nullptr);
        return perform(path);
    }

    /// POST with a JSON body; an empty body is sent without Content-Type.
    [[nodiscard]] Reply post(std::string_view path, std::string_view json,
                             std::string_view idempotencyKey = {}) {
        curl_easy_setopt(m_curl, CURLOPT_POST, 1L);
        curl_easy_setopt(m_curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(json.size()));
        curl_easy_setopt(m_curl, CURLOPT_POSTFIELDS, json.data());
        curl_slist* extra = nullptr;
        if (!idempotencyKey.empty()) {
            const std::string header = "Idempotency-Key: " + std::string(idempotencyKey);
            extra = curl_slist_append(nullptr, "Content-Type: application/json");
            extra = curl_slist_append(extra, "Expect:");
            extra = curl_slist_append(extra, header.c_str());
            curl_easy_setopt(m_curl, CURLOPT_HTTPHEADER, extra);
        } else {
            curl_easy_setopt(m_curl, CURLOPT_HTTPHEADER, json.empty() ? nullptr : m_jsonHeaders);
        }
        Reply reply = perform(path);
        curl_easy_setopt(m_curl, CURLOPT_HTTPHEADER, nullptr);
        curl_slist_free_all(extra);
        return reply;
    }

private:
    static std::size_t onBody(char* data, std::size_t size, std::size_t count, void* user) {
        static_cast<std::string*>(user)->append(data, size * count);
        return size * count;
    }

    Reply perform(std::string_view path) {
        m_url.assign(m_baseUrl).append(path);
        m_body.clear();
        m_errorBuffer[0] = '\0';
        curl_easy_setopt(m_curl, CURLOPT_URL, m_url.c_str());
        Reply reply;
        reply.transport = curl_easy_perform(m_curl);
        if (reply.transport == CURLE_OK) {
            curl_easy_getinfo(m_curl, CURLINFO_RESPONSE_CODE, &reply.status);
        } else {
            reply.transportMessage = m_errorBuffer[0] != '\0' ? m_errorBuffer.data()
                                                              : curl_easy_strerror(reply.transport);
        }
        long opened = 0;
        if (curl_easy_getinfo(m_curl, CURLINFO_NUM_CONNECTS, &opened) == CURLE_OK)
            m_connects += opened;
        reply.body = m_body;
        return reply;
    }

    std::string m_baseUrl;
    CURL* m_curl = nullptr;
    curl_slist* m_jsonHeaders = nullptr;
    std::string m_url;
    std::string m_body;
    std::array<char, CURL_ERROR_SIZE> m_errorBuffer{};
    long m_connects = 0;
};

/// curl_global_init/cleanup around the whole program, before any thread starts.
class CurlGlobal {
public:
    CurlGlobal() : m_ok(curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK) {}
    ~CurlGlobal() {
        if (m_ok) curl_global_cleanup();
    }
    CurlGlobal(const CurlGlobal&) = delete;
    CurlGlobal& operator=(const CurlGlobal&) = delete;
    [[nodiscard]] bool ok() const { return m_ok; }

private:
    bool m_ok;
};

struct FirstError {
    Clock::time_point at;
    std::string text;
};

struct WorkerStats {
    std::vector<double> latenciesMs;  // successful timed operations only
    long long requests = 0;           // timed operations attempted (call-next for `call`)
    long long errors = 0;
    long long empty = 0;         // call-next answered 204: nobody waiting
    long long httpRequests = 0;  // every timed-loop HTTP request, including `done`
    long long missed = 0;        // --rate: sends scheduled before the deadline but never made
    long connects = 0;
    Clock::time_point finishedAt{};
    std::optional<FirstError> firstError;
};

/// What every worker of one scenario run shares. Set before `go` opens, read-only after.
struct RunPlan {
    const Options* options = nullptr;
    Scenario scenario = Scenario::Health;
    std::string keyPrefix;  // makes Idempotency-Keys unique across runs and processes
    Clock::time_point start{};
    Clock::time_point deadline{};
    std::atomic<long long> claimed{0};  // --requests mode: operations handed out so far
    std::latch ready;                   // every worker connected and set up
    std::latch go{1};                   // start and deadline are set

    RunPlan(const Options& opts, Scenario which, int threads)
        : options(&opts), scenario(which), ready(threads) {}
};

std::string describe(std::string_view what, const Reply& reply) {
    std::string text(what);
    if (!reply.reached()) {
        text += " failed at transport level: " + reply.transportMessage + " (curl code " +
                std::to_string(static_cast<int>(reply.transport)) + ")";
        return text;
    }
    text += " answered HTTP " + std::to_string(reply.status);
    if (!reply.body.empty()) {
        text += ": ";
        text += reply.body.substr(0, kMaxBodyInError);
        if (reply.body.size() > kMaxBodyInError) text += "...";
    }
    return text;
}

/// Runs one scenario's operations on one connection and records them.
class Worker {
public:
    Worker(RunPlan& plan, int index) : m_plan(plan), m_index(index), m_client(plan.options->url) {
        const int threads = plan.options->threads;
        for (int window = index + 1; window <= kWindowCount; window += threads)
            m_windows.push_back(window);
    }

    WorkerStats run() {
        const bool setUp = m_client.valid() && prepare();
        m_plan.ready.count_down();
        m_plan.go.wait();
        if (setUp) loop();
        m_stats.finishedAt = Clock::now();
        m_stats.connects = m_client.connects();
        return std::move(m_stats);
    }

private:
    // Opens the connection before the clock starts, and frees this worker's windows of any
    // ticket left over from an earlier run so call-next does not meet window_busy.
    bool prepare() {
        if (usesWindows(m_plan.scenario)) {
            for (int window : m_windows) {
                const Reply reply = m_client.post(windowPath(window, "done"), {});
                if (!reply.reached() || (reply.status != 200 && reply.status != 409)) {
                    ++m_stats.errors;
                    fail(describe("setup: POST " + windowPath(window, "done"), reply));
                    return false;
                }
            }
            return true;
        }
        const Reply reply = m_client.get("/api/v1/health");
        if (!reply.reached() || reply.status != 200) {
            ++m_stats.errors;
            fail(describe("setup: GET /api/v1/health", reply));
            return false;
        }
        return true;
    }

    void loop() {
        const Options& options = *m_plan.options;
        const bool paced = options.rate > 0;
        // Each thread takes an equal share of the rate, offset so sends interleave evenly.
        const auto interval = std::chrono::duration_cast<Clock::duration>(
            std::chrono::duration<double>(paced ? options.threads / options.rate : 0.0));
        const auto offset = interval * m_index / options.threads;
        for (long long i = 0;; ++i) {
            Clock::time_point sendAt;
            if (paced) {
                sendAt = m_plan.start + offset + interval * i;
                if (!options.requests && sendAt >= m_plan.deadline) break;
                if (!options.requests && Clock::now() >= m_plan.deadline) {
                    // The server fell behind: the sends still due are dropped, not sent late.
                    const auto due =
                        (m_plan.deadline - m_plan.start - offset + interval - Clock::duration(1)) /
                        interval;
                    m_stats.missed = due - i;
                    break;
                }
                std::this_thread::sleep_until(sendAt);
            } else {
                sendAt = Clock::now();
                if (!options.requests && sendAt >= m_plan.deadline) break;
            }
            if (options.requests &&
                m_plan.claimed.fetch_add(1, std::memory_order_relaxed) >= *options.requests)
                break;
            if (!step(i, sendAt)) break;
        }
    }

    // One timed operation. Returns false when the connection is gone and the worker should stop.
    bool step(long long i, Clock::time_point sendAt) {
        ++m_stats.requests;
        bool ok = false;
        switch (m_plan.scenario) {
            case Scenario::Health:
                ok = expectGet("/api/v1/health");
                break;
            case Scenario::Services:
                ok = expectGet("/api/v1/services");
                break;
            case Scenario::Board:
                ok = expectGet("/api/v1/board");
                break;
            case Scenario::Issue:
                ok = issue(i);
                break;
            case Scenario::Call:
                ok = callNext(i, sendAt);
                break;
            case Scenario::Story:
                ok = issue(i) && expectGet("/api/v1/board") && callNext(i, sendAt);
                break;
        }
        if (ok && m_plan.scenario != Scenario::Call) record(sendAt);
        if (!ok) ++m_stats.errors;
        return !m_transportLost;
    }

    bool expectGet(const std::string& path) {
        ++m_stats.httpRequests;
        return check("GET " + path, m_client.get(path), 200);
    }

    bool issue(long long i) {
        const std::string_view letter =
            kServiceLetters[static_cast<std::size_t>(m_index + i) % kServiceLetters.size()];
        const std::string body = "{\"service\": \"" + std::string(letter) + "\"}";
        const std::string key =
            m_plan.keyPrefix + "-" + std::to_string(m_index) + "-" + std::to_string(i);
        ++m_stats.httpRequests;
        return check("POST /api/v1/tickets " + body, m_client.post("/api/v1/tickets", body, key),
                     201);
    }

    // call-next on one of this worker's windows, then done when it got a ticket. In the `call`
    // scenario only call-next is timed; `done` still counts as an error if it fails.
    bool callNext(long long i, Clock::time_point sendAt) {
        const int window = m_windows[static_cast<std::size_t>(i) % m_windows.size()];
        const std::string path = windowPath(window, "call-next");
        ++m_stats.httpRequests;
        const Reply reply = m_client.post(path, {});
        const bool timed = m_plan.scenario == Scenario::Call;
        if (reply.reached() && reply.status == 204) {
            ++m_stats.empty;
            if (timed) record(sendAt);
            return true;
        }
        if (!check("POST " + path, reply, 200)) {
            // A window left busy by an earlier failure would fail every later call; free it.
            if (reply.reached() && reply.status == 409)
                (void)m_client.post(windowPath(window, "done"), {});
            return false;
        }
        if (timed) record(sendAt);
        ++m_stats.httpRequests;
        return check("POST " + windowPath(window, "done"),
                     m_client.post(windowPath(window, "done"), {}), 200);
    }

    bool check(const std::string& what, const Reply& reply, long expected) {
        if (reply.reached() && reply.status == expected) return true;
        if (!reply.reached()) m_transportLost = true;
        fail(describe(std::string(scenarioName(m_plan.scenario)) + ": " + what, reply));
        return false;
    }

    void fail(std::string text) {
        if (!m_stats.firstError) m_stats.firstError = FirstError{Clock::now(), std::move(text)};
    }

    void record(Clock::time_point sendAt) {
        m_stats.latenciesMs.push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - sendAt).count());
    }

    static std::string windowPath(int window, std::string_view action) {
        return "/api/v1/windows/" + std::to_string(window) + "/" + std::string(action);
    }

    RunPlan& m_plan;
    int m_index;
    HttpClient m_client;
    std::vector<int> m_windows;
    WorkerStats m_stats;
    bool m_transportLost = false;
};

double percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0.0;
    const auto rank =
        static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
    return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

/// Runs one scenario to completion, prints its line; returns false if any request failed.
bool runScenario(const Options& options, Scenario scenario, std::string keyPrefix) {
    RunPlan plan(options, scenario, options.threads);
    plan.keyPrefix = std::move(keyPrefix);

    std::vector<WorkerStats> results(static_cast<std::size_t>(options.threads));
    std::vector<std::thread> threads;
    threads.reserve(results.size());
    for (int t = 0; t < options.threads; ++t) {
        threads.emplace_back([&plan, &results, t] {
            Worker worker(plan, t);
            results[static_cast<std::size_t>(t)] = worker.run();
        });
    }
    plan.ready.wait();
    plan.start = Clock::now();
    plan.deadline = plan.start + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(options.seconds));
    plan.go.count_down();
    for (auto& thread : threads) thread.join();

    WorkerStats total;
    Clock::time_point end = plan.start;
    for (auto& r : results) {
        total.latenciesMs.insert(total.latenciesMs.end(), r.latenciesMs.begin(),
                                 r.latenciesMs.end());
        total.requests += r.requests;
        total.errors += r.errors;
        total.empty += r.empty;
        total.httpRequests += r.httpRequests;
        total.missed += r.missed;
        total.connects += r.connects;
        end = std::max(end, r.finishedAt);
        if (r.firstError && (!total.firstError || r.firstError->at < total.firstError->at))
            total.firstError = r.firstError;
    }
    std::sort(total.latenciesMs.begin(), total.latenciesMs.end());

    const double elapsed = std::chrono::duration<double>(end - plan.start).count();
    const double rps = elapsed > 0 ? static_cast<double>(total.requests) / elapsed : 0.0;
    const double maxMs = total.latenciesMs.empty() ? 0.0 : total.latenciesMs.back();
    std::printf("%-10s requests=%lld errors=%lld rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.1f",
                std::string(scenarioName(scenario)).c_str(), total.requests, total.errors, rps,
                percentile(total.latenciesMs, 50), percentile(total.latenciesMs, 99), maxMs);
    if (usesWindows(scenario)) std::printf(" empty=%lld", total.empty);
    if (scenario == Scenario::Story) std::printf(" http=%lld", total.httpRequests);
    if (options.rate > 0) std::printf(" rate=%.0f missed=%lld", options.rate, total.missed);
    std::printf(" threads=%d conns=%ld\n", options.threads, total.connects);
    std::fflush(stdout);

    if (total.firstError) {
        std::fprintf(stderr, "talon-bench-load: %lld error(s) in %s; the first: %s\n", total.errors,
                     std::string(scenarioName(scenario)).c_str(), total.firstError->text.c_str());
    }
    return total.errors == 0;
}

int run(int argc, char** argv) {
    Options options;
    std::vector<std::string> scenarioNames;
    long long requests = 0;

    CLI::App app{
        "talon-bench-load: drives talon-server's HTTP API from worker threads and prints\n"
        "throughput and latency per scenario as key=value pairs."};
    app.add_option("--url", options.url,
                   "server base URL, e.g. http://127.0.0.1:8080 (call and story need [auth] require_login = false)")
        ->required();
    app.add_option("--threads", options.threads, "worker threads, one keep-alive connection each")
        ->check(CLI::Range(1, 1024))
        ->capture_default_str();
    auto* seconds = app.add_option("--seconds", options.seconds, "how long each scenario runs")
                        ->check(CLI::PositiveNumber)
                        ->capture_default_str();
    auto* count =
        app.add_option("--requests", requests, "run each scenario for this many requests instead")
            ->check(CLI::PositiveNumber);
    seconds->excludes(count);
    app.add_option("--rate", options.rate,
                   "target total requests/s, paced open loop (default: unlimited)")
        ->check(CLI::PositiveNumber);
    std::vector<std::string> allowed;
    for (const auto& entry : kScenarioNames) allowed.emplace_back(entry.name);
    app.add_option("--scenario", scenarioNames,
                   "health|issue|call|services|board|story; repeat or comma-separate to run "
                   "several in order")
        ->required()
        ->delimiter(',')
        ->check(CLI::IsMember(allowed));

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }

    if (count->count() > 0) options.requests = requests;
    if (options.url.rfind("http://", 0) != 0 && options.url.rfind("https://", 0) != 0) {
        std::fprintf(
            stderr,
            "--url must start with http:// (for example http://127.0.0.1:8080), not \"%s\".\n",
            options.url.c_str());
        return 2;
    }
    while (!options.url.empty() && options.url.back() == '/') options.url.pop_back();
    for (const auto& name : scenarioNames) {
        for (const auto& entry : kScenarioNames) {
            if (entry.name == name) options.scenarios.push_back(entry.scenario);
        }
    }
    for (Scenario scenario : options.scenarios) {
        if (usesWindows(scenario) && options.threads > kWindowCount) {
            std::fprintf(stderr,
                         "--scenario %s gives each thread its own windows among 1-%d, so --threads "
                         "must be at "
                         "most %d (got %d).\n",
                         std::string(scenarioName(scenario)).c_str(), kWindowCount, kWindowCount,
                         options.threads);
            return 2;
        }
    }

    const CurlGlobal curl;
    if (!curl.ok()) {
        std::fprintf(stderr, "talon-bench-load: libcurl failed to initialise.\n");
        return 1;
    }
    const auto wallMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    const std::string keyPrefix =
        "bench-" + std::to_string(getpid()) + "-" + std::to_string(wallMs);
    bool allOk = true;
    for (std::size_t i = 0; i < options.scenarios.size(); ++i) {
        allOk = runScenario(options, options.scenarios[i], keyPrefix + "-" + std::to_string(i)) &&
                allOk;
    }
    return allOk ? 0 : 1;
}

}  // namespace
}  // namespace talon::bench

int main(int argc, char** argv) {
    return talon::bench::run(argc, argv);
}
