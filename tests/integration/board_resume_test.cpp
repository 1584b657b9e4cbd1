// The board over the real client against a real server that is killed and restarted in the
// middle: every call is on the board exactly once and spoken exactly once, in order, including
// calls made while the board was still reconnecting.
#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <thread>

#include "../support/server_process.h"
#include "display_app.h"
#include "talon/common/api_client.h"
#include "talon/common/paths.h"

namespace talon::display {
namespace {

using namespace std::chrono_literals;

template <class Pred>
bool pump(RunQueue& queue, DisplayApp& app, Pred done, std::chrono::milliseconds limit = 20000ms) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        queue.drain();
        app.tick(std::chrono::steady_clock::now());
        if (done()) return true;
        std::this_thread::sleep_for(5ms);
    }
    return false;
}

TEST(BoardResumeTest, ServerRestartLosesNoCallAndRepeatsNone) {
    test::TempDir tmp;
    // Sound through SDL's disk driver, at several times real speed, so what was spoken is checked.
    setenv("SDL_AUDIODRIVER", "disk", 1);
    setenv("SDL_DISKAUDIOFILE", (tmp.path() / "board.raw").c_str(), 1);
    setenv("SDL_DISKAUDIODELAY", "5", 1);

    test::ServerProcess server;
    ApiClient api(server.url());
    for (const char* s : {"A", "A", "B", "D", "E", "A"}) ASSERT_TRUE(api.issueTicket(s));

    auto catalog = Catalog::loadDir(assetsDir("") / "i18n");
    ASSERT_TRUE(catalog);
    DisplayConfig config;
    config.server = server.url();
    config.speech = {"en"};
    RunQueue queue;
    DisplayApp app(config, catalog.value(), queue);
    app.enableSound();
    ASSERT_NE(app.announcer(), nullptr);
    app.start();
    ASSERT_TRUE(pump(queue, app, [&] { return app.model().connection() == Connection::Live && app.model().hasSnapshot(); }));

    std::vector<int64_t> calledOrder;
    auto callAt = [&](int window) {
        auto t = api.callNext(window);
        ASSERT_TRUE(t) << t.error().message;
        ASSERT_TRUE(t.value().has_value());
        calledOrder.push_back(t.value()->id);
    };
    callAt(1);
    callAt(2);
    callAt(3);
    ASSERT_TRUE(pump(queue, app, [&] { return app.model().calls().size() == 3; }));

    server.kill();  // a crash: the stream breaks, the board keeps what it shows
    ASSERT_TRUE(pump(queue, app, [&] { return app.model().connection() == Connection::Lost; }));
    ASSERT_TRUE(server.restart());
    // Calls made before the board is back: they reach it by replay or snapshot.
    callAt(4);
    callAt(5);
    ASSERT_TRUE(pump(queue, app, [&] { return app.model().connection() == Connection::Live; }));
    callAt(6);
    ASSERT_TRUE(pump(queue, app, [&] { return app.model().calls().size() == 6; }))
        << "calls on the board: " << app.model().calls().size();

    std::set<int64_t> onBoard;
    for (const auto& c : app.model().calls()) EXPECT_TRUE(onBoard.insert(c.ticketId).second) << "shown twice: " << c.number;
    EXPECT_EQ(onBoard, std::set<int64_t>(calledOrder.begin(), calledOrder.end()));

    ASSERT_TRUE(app.announcer()->waitIdle(60s));
    const auto spoken = app.announcer()->transcript();
    std::vector<int64_t> spokenOrder;
    for (const auto& item : spoken) spokenOrder.push_back(item.id);
    EXPECT_EQ(spokenOrder, calledOrder) << "each call spoken once, in the order it was made";
    if (!app.announcer()->silent()) {
        for (size_t i = 1; i < spoken.size(); ++i) {
            EXPECT_GE(spoken[i].startSample, spoken[i - 1].startSample + spoken[i - 1].lengthSamples) << "overlap";
        }
    }
}

}  // namespace
}  // namespace talon::display
