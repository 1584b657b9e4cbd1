// Meter readings from the kiosk to billing's CSV, with every real piece: the demo accounts
// imported by `talon-server import-accounts`, the real server, the kiosk's model with its real
// backend (libcurl) and outbox (its own SQLite file), and `talon-server export-readings`.
// The offline case: the server goes away before Send, the readings wait in the outbox, the
// kiosk restarts, the server comes back, and the readings arrive exactly once.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "../kiosk/kiosk_fakes.h"
#include "../support/server_process.h"
#include "talon/common/paths.h"
#include "talon/common/api_client.h"
#include "talon/common/run_queue.h"
#include "talon/common/wire.h"
#include "talon/kiosk/async_backend.h"
#include "talon/kiosk/kiosk_model.h"
#include "talon/kiosk/outbox.h"

namespace talon {
namespace {

namespace fs = std::filesystem;
using kiosk::KioskModel;
using kiosk::KioskScreen;
using kiosk::MeterOutcome;
using kiosk::ReadingsStep;

std::string utcDate(std::chrono::system_clock::time_point t) {
    const std::time_t secs = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

int run(const std::string& command) {
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// One kiosk: its outbox file, real backend and model, pumped by hand like the app's main loop.
struct Kiosk {
    Kiosk(const std::string& url, const fs::path& outboxFile) {
        auto opened = kiosk::Outbox::open(outboxFile);
        EXPECT_TRUE(opened) << opened.error().message;
        outbox = std::move(opened).value();
        backend = std::make_unique<kiosk::AsyncBackend>(url, "kiosk-rt", queue, outbox.get());
        kiosk::KioskSettings settings;
        settings.languages = {"en", "ru"};
        settings.defaultLanguage = "en";
        model = std::make_unique<KioskModel>(*backend, printer, clock, settings);
        model->start();
    }
    ~Kiosk() {
        model.reset();
        backend.reset();  // joins its worker before the queue and outbox go
        queue.drain();
    }
    /// Runs answers and ticks until `done` or 15 s.
    template <class Pred>
    bool pumpUntil(Pred done) {
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        while (std::chrono::steady_clock::now() < until) {
            queue.drain();
            while (!printer.pending.empty()) printer.complete(okStatus());
            model->tick();
            if (done()) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    }
    kiosk::ReadingsFlow& flow() { return model->readings(); }
    void typeAccount(const std::string& number) {
        for (char c : number) flow().accountKey(c);
    }
    void type(const std::string& keys) {
        for (char c : keys) flow().entryKey(c);
    }

    SystemClock clock;
    RunQueue queue;
    kiosk::test::FakePrinter printer;
    std::unique_ptr<kiosk::Outbox> outbox;
    std::unique_ptr<kiosk::AsyncBackend> backend;
    std::unique_ptr<KioskModel> model;
};

class ReadingsRoundTripTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_db = m_dir.path() / "talon.db";
        const std::string import = "'" + test::serverBinary() + "' import-accounts '" +
                                   (assetsDir("") / "demo" / "accounts.csv").string() + "' --db '" + m_db.string() +
                                   "' >/dev/null 2>&1";
        ASSERT_EQ(run(import), 0) << "the demo accounts (assets/demo/accounts.csv) must import: " << import;
        m_server = std::make_unique<test::ServerProcess>(std::vector<std::string>{}, m_db);
        ASSERT_TRUE(m_server->running());
    }

    /// billing's CSV for the days around today, as `talon-server export-readings` writes it.
    std::string exportCsv() {
        const auto now = std::chrono::system_clock::now();
        const fs::path out = m_dir.path() / "export.csv";
        const std::string command = "'" + test::serverBinary() + "' --db '" + m_db.string() +
                                    "' export-readings --from " + utcDate(now - std::chrono::hours(48)) + " --to " +
                                    utcDate(now + std::chrono::hours(48)) + " --out '" + out.string() + "'";
        EXPECT_EQ(run(command), 0) << command;
        std::ifstream in(out);
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }
    static size_t count(const std::string& text, const std::string& what) {
        size_t n = 0;
        for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
        return n;
    }

    test::TempDir m_dir;
    fs::path m_db;
    std::unique_ptr<test::ServerProcess> m_server;
};

TEST_F(ReadingsRoundTripTest, KioskReadingsReachBillingsCsv) {
    Kiosk k(m_server->url(), m_dir.path() / "outbox.sqlite");
    ASSERT_TRUE(k.pumpUntil([&] { return k.model->screen() == KioskScreen::Home; }));
    k.model->openReadings();
    k.typeAccount("1000000002");
    k.flow().submitAccount();
    ASSERT_TRUE(k.pumpUntil([&] { return k.flow().step() != ReadingsStep::LookingUp; }));
    ASSERT_EQ(k.flow().step(), ReadingsStep::Meters) << k.flow().message();
    EXPECT_EQ(k.flow().account()->holder, "С. А. В.");
    k.flow().confirmAccount();
    k.type("3600,1");
    k.flow().entryNext();
    ASSERT_EQ(k.flow().step(), ReadingsStep::Summary);
    k.flow().send();
    ASSERT_TRUE(k.pumpUntil([&] { return k.flow().step() == ReadingsStep::Done; }));
    const kiosk::MeterInput& m = k.flow().meters().at(0);
    ASSERT_EQ(m.outcome, MeterOutcome::Accepted) << m.refusal;
    const std::string confirmation = m.receipt->confirmation;
    EXPECT_EQ(confirmation.rfind("R-", 0), 0u) << confirmation;
    ASSERT_EQ(k.printer.readingsJobs.size(), 1u);
    EXPECT_EQ(k.printer.readingsJobs[0].meters.at(0).confirmation, confirmation);
    EXPECT_EQ(k.outbox->pendingCount().value(), 0u);

    const std::string csv = exportCsv();
    EXPECT_EQ(count(csv, confirmation), 1u) << csv;
    EXPECT_NE(csv.find("1000000002"), std::string::npos) << csv;
    EXPECT_NE(csv.find("ME20004411"), std::string::npos) << "billing gets the full serial: " << csv;
    EXPECT_NE(csv.find("3600.1"), std::string::npos) << csv;
    EXPECT_NE(csv.find("kiosk-rt"), std::string::npos) << csv;

    // The same account again this month: the lookup says the readings are in, nothing to enter.
    k.model->backToHome();
    k.model->openReadings();
    k.typeAccount("1000000002");
    k.flow().submitAccount();
    ASSERT_TRUE(k.pumpUntil([&] { return k.flow().step() != ReadingsStep::LookingUp; }));
    ASSERT_EQ(k.flow().step(), ReadingsStep::Meters);
    EXPECT_TRUE(k.flow().meters().at(0).alreadySubmitted);
    EXPECT_FALSE(k.flow().anythingToEnter());
}

TEST_F(ReadingsRoundTripTest, OfflineReadingsWaitInTheOutboxAndArriveExactlyOnceAfterARestart) {
    const fs::path outboxFile = m_dir.path() / "outbox.sqlite";
    std::string localCode;
    {
        Kiosk k(m_server->url(), outboxFile);
        ASSERT_TRUE(k.pumpUntil([&] { return k.model->screen() == KioskScreen::Home; }));
        k.model->openReadings();
        k.typeAccount("1000000003");  // three zones, two decimals
        k.flow().submitAccount();
        ASSERT_TRUE(k.pumpUntil([&] { return k.flow().step() != ReadingsStep::LookingUp; }));
        ASSERT_EQ(k.flow().step(), ReadingsStep::Meters);
        k.flow().confirmAccount();
        for (const char* value : {"1300,5", "2400", "3500,75"}) {
            k.type(value);
            k.flow().entryNext();
        }
        ASSERT_EQ(k.flow().step(), ReadingsStep::Summary);

        m_server->stop();  // the server goes away while the visitor checks the summary
        k.flow().send();
        ASSERT_TRUE(k.pumpUntil([&] { return k.flow().step() == ReadingsStep::Done; }));
        const kiosk::MeterInput& m = k.flow().meters().at(0);
        ASSERT_EQ(m.outcome, MeterOutcome::Queued) << m.refusal;
        localCode = m.localCode;
        EXPECT_EQ(localCode.size(), 9u) << localCode;
        ASSERT_EQ(k.printer.readingsJobs.size(), 1u);
        EXPECT_EQ(k.printer.readingsJobs[0].meters.at(0).localCode, localCode);
        EXPECT_EQ(k.outbox->pendingCount().value(), 1u);
    }  // the kiosk closes (restart) with the readings still waiting

    ASSERT_TRUE(m_server->restart());
    {
        Kiosk k(m_server->url(), outboxFile);  // start() delivers what waits
        ASSERT_TRUE(k.pumpUntil([&] { return k.outbox->pendingCount().value() == 0; }));
        auto item = k.outbox->findByLocalCode(localCode);
        ASSERT_TRUE(item && item.value());
        EXPECT_EQ(item.value()->state, "delivered");
        EXPECT_EQ(item.value()->result.rfind("R-", 0), 0u) << item.value()->result;
    }
    // Another restart and sweep sends nothing twice.
    {
        Kiosk k(m_server->url(), outboxFile);
        ASSERT_TRUE(k.pumpUntil([&] { return k.backend->busy() == false && k.queue.empty(); }));
    }
    const std::string csv = exportCsv();
    EXPECT_EQ(count(csv, localCode), 3u) << "one row per zone, each once: " << csv;
    EXPECT_NE(csv.find("3500.75"), std::string::npos) << csv;
}

}  // namespace
}  // namespace talon

namespace talon {
namespace {

/// Runs the queue until `done` or 15 s.
template <class Pred>
bool drainUntil(RunQueue& queue, Pred done) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < until) {
        queue.drain();
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

ReadingSubmission submission(const std::string& account, int meter, const std::string& serial,
                             std::vector<std::pair<std::string, std::string>> values) {
    ReadingSubmission s;
    s.account = account;
    s.meter = meter;
    s.serial = serial;
    s.values = std::move(values);
    s.takenAt = SystemClock{}.wallNow();
    return s;
}

TEST_F(ReadingsRoundTripTest, TheOutboxKeepsOnlyWhatIsOwedAndALookupShowsWhatWaits) {
    auto outbox = kiosk::Outbox::open(m_dir.path() / "outbox.sqlite");
    ASSERT_TRUE(outbox) << outbox.error().message;
    RunQueue queue;
    kiosk::AsyncBackend backend(m_server->url(), "kiosk-ob", queue, outbox.value().get());

    // A refusal the visitor sees on the screen leaves nothing behind on the kiosk.
    std::optional<Result<kiosk::ReadingOutcome>> answer;
    backend.submitReading(submission("1000000002", 1, "\xE2\x80\xA6" "4411", {{"total", "100"}}), newIdempotencyKey(),
                          [&](Result<kiosk::ReadingOutcome> r) { answer = std::move(r); });
    ASSERT_TRUE(drainUntil(queue, [&] { return answer.has_value(); }));
    ASSERT_FALSE(answer->ok());
    EXPECT_EQ(answer->error().code, "reading_below_previous");
    EXPECT_EQ(outbox.value()->pendingCount().value(), 0u);
    EXPECT_EQ(outbox.value()->rejectedCount().value(), 0u);

    // Readings waiting in this kiosk's outbox mark their meter on the next lookup, found by its
    // masked serial even when its position changed since (here: the account's only meter, kept
    // as number 5 by an older list).
    const std::string body =
        wire::toJson(submission("1000000003", 5, "\xE2\x80\xA6" "7788",
                                {{"peak", "1300.5"}, {"half_peak", "2400"}, {"night", "3500.75"}}))
            .dump();
    auto waiting = outbox.value()->add("reading", newIdempotencyKey(), "AAAA-BBBB", body, SystemClock{}.wallNow());
    ASSERT_TRUE(waiting) << waiting.error().message;
    std::optional<Result<MeterAccount>> looked;
    backend.lookupAccount("1000000003", [&](Result<MeterAccount> r) { looked = std::move(r); });
    ASSERT_TRUE(drainUntil(queue, [&] { return looked.has_value(); }));
    ASSERT_TRUE(looked->ok()) << looked->error().message;
    ASSERT_EQ(looked->value().meters.size(), 1u);
    EXPECT_EQ(looked->value().meters[0].waitingCode, "AAAA-BBBB");

    // A sweep delivers it (deferred); a second copy of the same month's readings, kept by
    // another visit, is refused by the server and kept as rejected for staff.
    auto second = outbox.value()->add("reading", newIdempotencyKey(), "CCCC-DDDD", body, SystemClock{}.wallNow());
    ASSERT_TRUE(second) << second.error().message;
    std::optional<Result<kiosk::OutboxState>> swept;
    backend.deliverOutbox([&](Result<kiosk::OutboxState> r) { swept = std::move(r); });
    ASSERT_TRUE(drainUntil(queue, [&] { return swept.has_value(); }));
    ASSERT_TRUE(swept->ok()) << swept->error().message;
    EXPECT_EQ(swept->value().pending, 0u);
    EXPECT_EQ(swept->value().rejected, 1u);
    auto delivered = outbox.value()->findByLocalCode("AAAA-BBBB");
    ASSERT_TRUE(delivered && delivered.value());
    EXPECT_EQ(delivered.value()->state, "delivered");
    auto refused = outbox.value()->findByLocalCode("CCCC-DDDD");
    ASSERT_TRUE(refused && refused.value());
    EXPECT_EQ(refused.value()->state, "rejected");
    EXPECT_NE(refused.value()->result.find("reading_already_submitted"), std::string::npos) << refused.value()->result;
}

}  // namespace
}  // namespace talon
