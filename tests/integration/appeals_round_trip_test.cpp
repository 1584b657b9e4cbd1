// Appeals from the kiosk to the register, with every real piece: the real server, the kiosk's
// model with its real backend (libcurl) and outbox (its own SQLite file). Online the visitor
// gets the registration number and deadline; with the server away the appeal waits in the
// outbox under a local code, reaches the server exactly once after a restart, and the status
// check by that local code and the phone's last four digits finds it.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "../kiosk/kiosk_fakes.h"
#include "../support/json_client.h"
#include "../support/server_process.h"
#include "talon/common/run_queue.h"
#include "talon/kiosk/async_backend.h"
#include "talon/kiosk/kiosk_model.h"
#include "talon/kiosk/outbox.h"

namespace talon {
namespace {

namespace fs = std::filesystem;
using kiosk::AppealStep;
using kiosk::KioskModel;
using kiosk::KioskScreen;

/// One kiosk: its outbox file, real backend and model, pumped by hand like the app's main loop.
struct Kiosk {
    Kiosk(const std::string& url, const fs::path& outboxFile) {
        auto opened = kiosk::Outbox::open(outboxFile);
        EXPECT_TRUE(opened) << opened.error().message;
        outbox = std::move(opened).value();
        backend = std::make_unique<kiosk::AsyncBackend>(url, "kiosk-ap", queue, outbox.get());
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
    kiosk::AppealFlow& flow() { return model->appeals(); }
    /// Home → a complaint about billing, answered by phone → the review.
    void fillIn(const std::string& text) {
        model->openAppeal();
        flow().chooseType("complaint");
        flow().chooseCategory("billing");
        EXPECT_TRUE(flow().text().insert(text));
        flow().next();
        EXPECT_TRUE(flow().name().insert("Иванов Пётр"));
        EXPECT_TRUE(flow().phone().insert("79123456789"));
        flow().chooseChannel("phone");
        flow().next();
        flow().setConsent(true);
        flow().next();
        EXPECT_EQ(flow().step(), AppealStep::Review) << toString(flow().problem());
    }

    SystemClock clock;
    RunQueue queue;
    kiosk::test::FakePrinter printer;
    std::unique_ptr<kiosk::Outbox> outbox;
    std::unique_ptr<kiosk::AsyncBackend> backend;
    std::unique_ptr<KioskModel> model;
};

bool isNumber(const std::string& number) {
    return std::regex_match(number, std::regex("Ж-[0-9]{4}-[0-9]{6}"));
}

/// How many times `number` is in the register (staff list; open mode needs no login).
size_t registered(const std::string& url, const std::string& number) {
    test::JsonClient http(url);
    const test::Reply r = http.get("/api/v1/appeals?limit=1000");
    EXPECT_EQ(r.status, 200) << r.raw.body;
    size_t n = 0;
    if (!r.body.is_object() || !r.body["appeals"].is_array()) return 0;
    for (const auto& a : r.body["appeals"]) {
        if (a.value("number", "") == number) ++n;
    }
    return n;
}

TEST(AppealsRoundTripTest, RegisteredOnlineThenQueuedOfflineAndDeliveredExactlyOnce) {
    test::TempDir dir;
    test::ServerProcess server;
    ASSERT_TRUE(server.running());
    const fs::path outboxFile = dir.path() / "outbox.sqlite";

    // Online: the number and the deadline at once, on the receipt too.
    std::string onlineNumber;
    {
        Kiosk k(server.url(), outboxFile);
        ASSERT_TRUE(k.pumpUntil([&] { return k.model->screen() == KioskScreen::Home; }));
        k.fillIn("The bill for May is twice the usual.");
        k.flow().send();
        ASSERT_TRUE(k.pumpUntil([&] { return k.flow().step() != AppealStep::Sending; }));
        ASSERT_EQ(k.flow().step(), AppealStep::Done)
            << toString(k.flow().problem()) << " " << k.flow().message();
        ASSERT_TRUE(k.flow().outcome() && k.flow().outcome()->receipt);
        const AppealReceipt& receipt = *k.flow().outcome()->receipt;
        onlineNumber = receipt.number;
        EXPECT_TRUE(isNumber(onlineNumber)) << onlineNumber;
        EXPECT_EQ(receipt.status, "registered");
        EXPECT_EQ(receipt.category, "billing");
        EXPECT_FALSE(receipt.dueOn.empty());
        EXPECT_FALSE(receipt.dueOnText.empty());
        ASSERT_EQ(k.printer.appealJobs.size(), 1u);
        EXPECT_EQ(k.printer.appealJobs[0].number, onlineNumber);
        EXPECT_EQ(k.printer.appealJobs[0].dueOnText, receipt.dueOnText);
        EXPECT_EQ(k.outbox->pendingCount().value(), 0u);
    }
    EXPECT_EQ(registered(server.url(), onlineNumber), 1u);

    // Offline: kept in the outbox under a local code.
    std::string localCode;
    {
        Kiosk k(server.url(), outboxFile);
        ASSERT_TRUE(k.pumpUntil([&] { return k.model->screen() == KioskScreen::Home; }));
        k.fillIn("No light on the staircase for a week.");
        server.stop();  // the server goes away while the visitor checks the review
        k.flow().send();
        ASSERT_TRUE(k.pumpUntil([&] { return k.flow().step() != AppealStep::Sending; }));
        ASSERT_EQ(k.flow().step(), AppealStep::Done)
            << toString(k.flow().problem()) << " " << k.flow().message();
        ASSERT_TRUE(k.flow().queued());
        localCode = k.flow().outcome()->localCode;
        EXPECT_TRUE(kiosk::normalizeLocalCode(localCode).has_value()) << localCode;
        ASSERT_EQ(k.printer.appealJobs.size(), 1u);
        EXPECT_EQ(k.printer.appealJobs[0].localCode, localCode);
        EXPECT_TRUE(k.printer.appealJobs[0].number.empty());
        EXPECT_EQ(k.outbox->pendingCount().value(), 1u);
        auto item = k.outbox->findByLocalCode(localCode);
        ASSERT_TRUE(item && item.value());
        EXPECT_EQ(item.value()->kind, "appeal");

        // While it waits, its code and the phone's digits find it in this kiosk's outbox.
        k.model->backToHome();
        k.model->openAppealStatus();
        ASSERT_TRUE(k.flow().statusNumber().insert(localCode));
        ASSERT_TRUE(k.flow().statusPhone().insert("6789"));
        k.flow().checkStatus();
        ASSERT_TRUE(k.pumpUntil([&] { return k.flow().step() != AppealStep::Checking; }));
        ASSERT_EQ(k.flow().step(), AppealStep::StatusShown) << toString(k.flow().statusProblem());
        EXPECT_EQ(k.flow().status()->status, "waiting");
        EXPECT_EQ(k.flow().status()->number, localCode);
        // Other digits are asked of the server, which is away.
        k.flow().checkAnother();
        ASSERT_TRUE(k.flow().statusNumber().insert(localCode));
        ASSERT_TRUE(k.flow().statusPhone().insert("1111"));
        k.flow().checkStatus();
        ASSERT_TRUE(k.pumpUntil([&] { return k.flow().step() != AppealStep::Checking; }));
        EXPECT_EQ(k.flow().statusProblem(), kiosk::StatusProblem::Unreachable);
    }  // the kiosk closes (restart) with the appeal still waiting

    ASSERT_TRUE(server.restart());
    std::string deliveredNumber;
    {
        Kiosk k(server.url(), outboxFile);  // start() delivers what waits
        ASSERT_TRUE(k.pumpUntil([&] { return k.outbox->pendingCount().value() == 0; }));
        // Registered: nothing of the visitor's stays on the kiosk (the server finds the appeal
        // by its local code).
        auto item = k.outbox->findByLocalCode(localCode);
        ASSERT_TRUE(item);
        EXPECT_FALSE(item.value().has_value()) << "the delivered appeal's text and contacts left the kiosk";
    }
    // Another restart and sweep sends nothing twice.
    {
        Kiosk k(server.url(), outboxFile);
        ASSERT_TRUE(k.pumpUntil([&] { return k.model->screen() == KioskScreen::Home && !k.backend->busy() && k.queue.empty(); }));

        // The visitor finds the registration number with the receipt's code (typed in lower
        // case, without the dash) and the phone's last four digits.
        k.model->openAppealStatus();
        std::string typed;
        for (char c : localCode) {
            if (c != '-') typed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        ASSERT_TRUE(k.flow().statusNumber().insert(typed));
        ASSERT_TRUE(k.flow().statusPhone().insert("6789"));
        k.flow().checkStatus();
        ASSERT_TRUE(k.pumpUntil([&] { return k.flow().step() != AppealStep::Checking; }));
        ASSERT_EQ(k.flow().step(), AppealStep::StatusShown)
            << toString(k.flow().statusProblem()) << " " << k.flow().message();
        deliveredNumber = k.flow().status()->number;
        EXPECT_TRUE(isNumber(deliveredNumber)) << deliveredNumber;
        EXPECT_NE(deliveredNumber, onlineNumber);
        EXPECT_EQ(k.flow().status()->status, "registered");
        EXPECT_EQ(k.flow().status()->statusText, "registered");
        EXPECT_FALSE(k.flow().status()->dueOnText.empty());
        EXPECT_FALSE(k.flow().status()->extended);

        // Other digits: the uniform miss.
        k.flow().checkAnother();
        ASSERT_TRUE(k.flow().statusNumber().insert(deliveredNumber));
        ASSERT_TRUE(k.flow().statusPhone().insert("0000"));
        k.flow().checkStatus();
        ASSERT_TRUE(k.pumpUntil([&] { return k.flow().step() != AppealStep::Checking; }));
        EXPECT_EQ(k.flow().step(), AppealStep::StatusEntry);
        EXPECT_EQ(k.flow().statusProblem(), kiosk::StatusProblem::NotFound);
    }
    EXPECT_EQ(registered(server.url(), deliveredNumber), 1u) << "delivered exactly once";
    EXPECT_EQ(registered(server.url(), onlineNumber), 1u);
}

}  // namespace
}  // namespace talon
