// The kiosk's model over the real client and a real server: a ticket asked for while the server
// hangs is issued once, and the retry gets that same ticket; printer reports and the office
// endpoint through HTTP, with bad input refused and nothing stored.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "../support/server_process.h"
#include "talon/common/api_client.h"
#include "talon/common/http_client.h"
#include "talon/common/paths.h"
#include "talon/kiosk/async_backend.h"
#include "talon/kiosk/kiosk_model.h"
#include "talon/kiosk/receipt_printer.h"

namespace talon {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

/// Runs posted results until `done` holds or `limit` passes.
template <class Pred>
bool pump(RunQueue& queue, Pred done, std::chrono::milliseconds limit = 8000ms) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        queue.drain();
        if (done()) return true;
        std::this_thread::sleep_for(5ms);
    }
    return false;
}

TEST(KioskApiTest, RetryAfterATimeoutGetsTheSameTicketAndIssuesOne) {
    test::ServerProcess server;
    test::TempDir tmp;
    auto catalog = Catalog::loadDir(assetsDir("") / "i18n");
    ASSERT_TRUE(catalog);
    RunQueue queue;
    kiosk::PrinterConfig printerConfig;
    printerConfig.target = "file:" + (tmp.path() / "ticket.bin").string();
    auto printer = kiosk::ReceiptPrinter::create(printerConfig, catalog.value(), queue);
    ASSERT_TRUE(printer);
    kiosk::AsyncBackend backend(server.url(), "hall-1", queue);
    SystemClock clock;
    kiosk::KioskSettings settings;
    settings.serverUrl = server.url();
    kiosk::KioskModel model(backend, *printer.value(), clock, settings);
    model.start();
    ASSERT_TRUE(pump(queue, [&] { return model.screen() == kiosk::KioskScreen::Home; }));

    server.pause();  // the request reaches the server's socket, but the answer does not come
    model.chooseService("A");
    model.choosePriority(std::nullopt);
    ASSERT_TRUE(pump(queue, [&] { return model.screen() == kiosk::KioskScreen::IssueFailed; }));
    EXPECT_TRUE(model.errorUnreachable()) << "a timeout offers a retry";
    server.resume();  // ... and the server goes on to issue the ticket it was asked for

    model.retry();
    ASSERT_TRUE(pump(queue, [&] { return model.screen() == kiosk::KioskScreen::Ticket; }));
    ASSERT_TRUE(model.ticket().has_value());
    EXPECT_EQ(model.ticket()->number, "A001");
    ASSERT_TRUE(pump(queue, [&] { return model.printState() == kiosk::PrintState::Printed; }));

    ApiClient api(server.url());
    auto services = api.services();
    ASSERT_TRUE(services);
    EXPECT_EQ(services.value()[0].waiting, 1) << "one ticket, though the request was sent twice";
    std::ifstream job(tmp.path() / "ticket.bin", std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(job)), std::istreambuf_iterator<char>());
    EXPECT_NE(bytes.find("A001"), std::string::npos);
}

TEST(KioskApiTest, OfficeTellsNameHoursAndPublicAddress) {
    test::ServerProcess server;
    ApiClient api(server.url());
    auto office = api.office();
    ASSERT_TRUE(office) << office.error().message;
    EXPECT_FALSE(office.value().names.at("ru").empty());
    EXPECT_EQ(office.value().hours.size(), 7u) << "the demo office is open every day";
    EXPECT_EQ(office.value().hours[0].openMinute, 0);
    EXPECT_EQ(office.value().hours[0].closeMinute, 24 * 60);
    EXPECT_EQ(office.value().today.size(), 10u);
    // The appeal categories the server takes, in order, with their urgency.
    ASSERT_EQ(office.value().appealCategories.size(), 7u);
    EXPECT_EQ(office.value().appealCategories[0].id, "service_staff");
    EXPECT_EQ(office.value().appealCategories[5].id, "safety_hazard");
    EXPECT_TRUE(office.value().appealCategories[5].urgent);
    EXPECT_EQ(office.value().appealCategories[5].deadlineWorkingDays, 0);
    EXPECT_FALSE(office.value().appealCategories[1].urgent);
    EXPECT_EQ(office.value().appealCategories[1].deadlineWorkingDays, 10);
}

TEST(KioskApiTest, BoardSnapshotCarriesTheServerTime) {
    test::ServerProcess server;
    ApiClient api(server.url());
    const auto before = std::chrono::system_clock::now();
    auto board = api.board();
    ASSERT_TRUE(board);
    ASSERT_TRUE(board.value().serverNow.has_value()) << "boards count a call's age on the server's clock";
    EXPECT_LT(std::chrono::abs(*board.value().serverNow - before), std::chrono::seconds(5));
}

TEST(KioskApiTest, PrinterReportsAreStoredAndBadOnesRefused) {
    test::ServerProcess server;
    HttpClient http(server.url());
    const HttpHeaders headers{{"Content-Type", "application/json"}};
    for (const auto& [path, body] : std::vector<std::pair<std::string, std::string>>{
             {"/api/v1/devices/hall-1/status", R"({"printer": "on fire"})"},
             {"/api/v1/devices/hall-1/status", R"({"printer": 1})"},
             {"/api/v1/devices/hall-1/status", R"({})"},
             {"/api/v1/devices/hall-1/status", R"({"printer": "ok", "kind": "toaster"})"},
             {"/api/v1/devices/hall-1/status", R"({"printer": "ok", "detail": ")" + std::string(600, 'x') + R"("})"},
             {"/api/v1/devices/hall-1/status", R"([1, 2])"},
             {"/api/v1/devices/hall-1/status", R"({"printer": )"},
             {"/api/v1/devices/b%20d/status", R"({"printer": "ok"})"},
             {"/api/v1/devices/" + std::string(80, 'k') + "/status", R"({"printer": "ok"})"},
         }) {
        auto res = http.post(path, body, headers);
        ASSERT_TRUE(res);
        EXPECT_EQ(res.value().status, 400) << path << " " << body;
        EXPECT_NE(res.value().body.find("\"message\""), std::string::npos);
    }
    auto list = http.get("/api/v1/devices");
    ASSERT_TRUE(list);
    EXPECT_EQ(json::parse(list.value().body)["devices"].size(), 0u) << "bad reports store nothing";

    ApiClient api(server.url());
    ASSERT_TRUE(api.reportDevice("hall-1", "failed", "paper out"));
    ASSERT_TRUE(api.reportDevice("hall-1", "failed", "paper out"));  // the same again: no new event
    ASSERT_TRUE(api.reportDevice("hall-2", "ok", ""));
    list = http.get("/api/v1/devices");
    ASSERT_TRUE(list);
    const json devices = json::parse(list.value().body)["devices"];
    ASSERT_EQ(devices.size(), 2u);
    EXPECT_EQ(devices[0]["id"], "hall-1");
    EXPECT_EQ(devices[0]["printer"], "failed");
    EXPECT_EQ(devices[0]["detail"], "paper out");
}

TEST(KioskApiTest, DeviceTableIsBounded) {
    test::ServerProcess server;
    ApiClient api(server.url(), "en");
    for (int i = 0; i < 200; ++i) ASSERT_TRUE(api.reportDevice("k" + std::to_string(i), "ok", "")) << i;
    Status refused = api.reportDevice("k200", "ok", "");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().status, 409);
    EXPECT_NE(refused.error().message.find("200 kiosks"), std::string::npos) << refused.error().message;
    EXPECT_TRUE(api.reportDevice("k7", "failed", "paper out")) << "known kiosks still report";
}

}  // namespace
}  // namespace talon
