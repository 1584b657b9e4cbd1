// Announcements through the real talon-server: create, list, replace and delete over HTTP;
// refusals (400/404/409) worded in Russian and English and changing nothing; the board snapshot
// with announcements and window names; the image served at /announcements/NAME; and a stream
// replay by Last-Event-ID, across a restart, that carries the announcement events.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>

#include "../support/server_process.h"
#include "../support/shared_server.h"
#include "../support/test_names.h"
#include "talon/common/api_client.h"
#include "talon/common/event_stream.h"

namespace talon {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

struct Answer {
    int status = 0;
    std::string headers;  // as received, lower-cased
    std::string body;
    json j() const { return json::parse(body, nullptr, false); }
};

/// One HTTP/1.1 request on a fresh connection (Connection: close). HttpClient has no PUT or
/// DELETE, so the tests speak HTTP themselves; the request goes out byte for byte as written.
Answer request(int port, const std::string& method, const std::string& path,
               const std::string& body = {}, const std::string& lang = "en") {
    Answer a;
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return a;
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return a;
    }
    std::string out = method + " " + path +
                      " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" +
                      "Accept-Language: " + lang + "\r\n";
    if (method == "POST" || method == "PUT") {
        out += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
               "\r\n";
    }
    out += "\r\n" + body;
    for (size_t sent = 0; sent < out.size();) {
        const ssize_t n = ::send(fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<size_t>(n);
    }
    std::string in;
    char buf[8192];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;)
        in.append(buf, static_cast<size_t>(n));
    ::close(fd);
    const size_t end = in.find("\r\n\r\n");
    if (in.rfind("HTTP/1.1 ", 0) != 0 || end == std::string::npos) return a;
    a.status = std::stoi(in.substr(9, 3));
    a.headers = in.substr(0, end);
    for (char& c : a.headers) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    a.body = in.substr(end + 4);
    return a;
}

json announcement(const std::string& ru, const std::string& en, json extra = json::object()) {
    json j = {{"texts", {{"ru", ru}, {"en", en}}}};
    j.update(extra);
    return j;
}

TEST(AnnouncementsHttpTest, CreateListReplaceDelete) {
    test::ServerProcess server;
    ASSERT_TRUE(server.running());
    const int port = server.port();

    Answer created =
        request(port, "POST", "/api/v1/announcements",
                announcement("Касса закрыта на обед", "The cash desk is closed for lunch",
                             {{"image", "welcome.png"},
                              {"starts_at", "2020-01-01T12:00:00.000Z"},
                              {"ends_at", "2099-01-01T13:00:00.000Z"},
                              {"priority", "urgent"}})
                    .dump());
    ASSERT_EQ(created.status, 201) << created.body;
    const json a = created.j();
    EXPECT_GT(a["id"].get<int64_t>(), 0);
    EXPECT_EQ(a["texts"]["ru"], "Касса закрыта на обед");
    EXPECT_EQ(a["image"], "welcome.png");
    EXPECT_EQ(a["starts_at"], "2020-01-01T12:00:00.000Z");
    EXPECT_EQ(a["priority"], "urgent");
    EXPECT_TRUE(a["created_at"].is_string());
    const std::string id = std::to_string(a["id"].get<int64_t>());

    // Defaults: no image, no times, normal priority.
    Answer second =
        request(port, "POST", "/api/v1/announcements", json{{"texts", {{"ru", "Второе"}}}}.dump());
    ASSERT_EQ(second.status, 201) << second.body;
    EXPECT_TRUE(second.j()["image"].is_null());
    EXPECT_TRUE(second.j()["ends_at"].is_null());
    EXPECT_EQ(second.j()["priority"], "normal");

    Answer list = request(port, "GET", "/api/v1/announcements");
    ASSERT_EQ(list.status, 200);
    ASSERT_EQ(list.j()["announcements"].size(), 2u);
    EXPECT_EQ(list.j()["announcements"][0]["id"], second.j()["id"]);  // newest first
    EXPECT_EQ(list.j()["announcements"][1], a);

    // PUT replaces the whole announcement; the answer is what GET shows from then on.
    Answer replaced =
        request(port, "PUT", "/api/v1/announcements/" + id,
                json{{"texts", {{"en", "Open again"}}}, {"priority", "normal"}}.dump());
    ASSERT_EQ(replaced.status, 200) << replaced.body;
    EXPECT_EQ(replaced.j()["id"], a["id"]);
    EXPECT_EQ(replaced.j()["created_at"], a["created_at"]);
    EXPECT_TRUE(replaced.j()["image"].is_null());
    EXPECT_EQ(replaced.j()["texts"], json({{"en", "Open again"}}));
    list = request(port, "GET", "/api/v1/announcements");
    EXPECT_EQ(list.j()["announcements"][1], replaced.j());

    Answer deleted = request(port, "DELETE", "/api/v1/announcements/" + id);
    EXPECT_EQ(deleted.status, 204);
    EXPECT_TRUE(deleted.body.empty());
    list = request(port, "GET", "/api/v1/announcements?all=1");
    ASSERT_EQ(list.j()["announcements"].size(), 1u);
    EXPECT_EQ(list.j()["announcements"][0]["id"], second.j()["id"]);

    // Ended ones only with ?all=1.
    Answer ended =
        request(port, "POST", "/api/v1/announcements",
                announcement("Было", "Was", {{"ends_at", "2021-01-01T00:00:00.000Z"}}).dump());
    ASSERT_EQ(ended.status, 201) << ended.body;
    EXPECT_EQ(request(port, "GET", "/api/v1/announcements").j()["announcements"].size(), 1u);
    EXPECT_EQ(request(port, "GET", "/api/v1/announcements?all=1").j()["announcements"].size(), 2u);
}

TEST(AnnouncementsHttpTest, UnknownIdsAre404InBothLanguages) {
    test::ServerProcess server;
    const int port = server.port();
    const std::string body = announcement("Текст", "Text").dump();
    for (const auto& [method, path] :
         std::vector<std::pair<std::string, std::string>>{{"PUT", "/api/v1/announcements/42"},
                                                          {"DELETE", "/api/v1/announcements/42"},
                                                          {"PUT", "/api/v1/announcements/abc"},
                                                          {"DELETE", "/api/v1/announcements/0"}}) {
        Answer en = request(port, method, path, body, "en");
        EXPECT_EQ(en.status, 404) << method << " " << path;
        EXPECT_EQ(en.j()["error"]["code"], "unknown_announcement");
        EXPECT_NE(en.j()["error"]["message"].get<std::string>().find("There is no announcement"),
                  std::string::npos)
            << en.body;
        Answer ru = request(port, method, path, body, "ru");
        EXPECT_EQ(ru.status, 404);
        EXPECT_NE(ru.j()["error"]["message"].get<std::string>().find("Объявления"),
                  std::string::npos)
            << ru.body;
    }
    // Deleting twice: the second time it is unknown.
    Answer a = request(port, "POST", "/api/v1/announcements", body);
    const std::string path = "/api/v1/announcements/" + std::to_string(a.j()["id"].get<int64_t>());
    EXPECT_EQ(request(port, "DELETE", path).status, 204);
    EXPECT_EQ(request(port, "DELETE", path).status, 404);
    EXPECT_EQ(request(port, "PUT", path, body).status, 404);
}

struct BadBody {
    const char* name;
    std::string body;
    const char* code;
    const char* field;  // named in the English and the Russian message
};

using AnnouncementBadInputTest = test::SharedServerTest<BadBody>;

TEST_P(AnnouncementBadInputTest, Refused400WithTheFieldNamedAndNothingChanges) {
    const BadBody& c = GetParam();
    const int port = server().port();
    // One announcement exists, to be replaced with the same bad body.
    static int64_t existing = [&] {
        return request(port, "POST", "/api/v1/announcements", announcement("Есть", "Exists").dump())
            .j()["id"]
            .get<int64_t>();
    }();
    const std::string before = request(port, "GET", "/api/v1/announcements?all=1").body;
    const std::string boardBefore = request(port, "GET", "/api/v1/board").body;

    for (const std::string method : {"POST", "PUT"}) {
        const std::string path = method == "POST"
                                     ? "/api/v1/announcements"
                                     : "/api/v1/announcements/" + std::to_string(existing);
        for (const std::string lang : {"en", "ru"}) {
            Answer r = request(port, method, path, c.body, lang);
            EXPECT_EQ(r.status, 400) << c.name << " " << method << ": " << r.body;
            const json j = r.j();
            ASSERT_TRUE(j.is_object()) << r.body;
            EXPECT_EQ(j["error"]["code"], c.code) << c.name;
            const std::string message = j["error"]["message"];
            EXPECT_NE(message.find(c.field), std::string::npos) << c.name << ": " << message;
            if (lang == "ru") {
                EXPECT_NE(message.find('\xD0'), std::string::npos) << c.name << ": " << message;
            } else {
                EXPECT_EQ(message.find('\xD0'), std::string::npos) << c.name << ": " << message;
            }
        }
    }
    EXPECT_EQ(request(port, "GET", "/api/v1/announcements?all=1").body, before) << c.name;
    EXPECT_EQ(request(port, "GET", "/api/v1/board").body, boardBefore)
        << c.name;  // last_event_id too
}

INSTANTIATE_TEST_SUITE_P(
    Bodies, AnnouncementBadInputTest,
    ::testing::Values(
        BadBody{"no texts", R"({"priority": "normal"})", "bad_request", "texts"},
        BadBody{"empty texts", R"({"texts": {}})", "bad_request", "texts"},
        BadBody{"texts not an object", R"({"texts": "hello"})", "bad_request", "texts"},
        BadBody{"text not a string", R"({"texts": {"ru": 5}})", "bad_request", "texts"},
        BadBody{"empty text", R"({"texts": {"ru": ""}})", "bad_request", "texts"},
        BadBody{"too long", json{{"texts", {{"en", std::string(501, 'x')}}}}.dump(), "bad_request",
                "500"},
        BadBody{"line break", R"({"texts": {"en": "one\ntwo"}})", "bad_request", "texts"},
        BadBody{"bad language", R"({"texts": {"Russian": "Текст"}})", "bad_request", "texts"},
        BadBody{"image path", R"({"texts": {"ru": "Текст"}, "image": "../x.png"})", "bad_request",
                "image"},
        BadBody{"image missing", R"({"texts": {"ru": "Текст"}, "image": "nope.png"})",
                "bad_request", "image"},
        BadBody{"image not a string", R"({"texts": {"ru": "Текст"}, "image": 1})", "bad_request",
                "image"},
        BadBody{"starts_at malformed", R"({"texts": {"ru": "Т"}, "starts_at": "tomorrow"})",
                "bad_request", "starts_at"},
        BadBody{"ends_at a number", R"({"texts": {"ru": "Т"}, "ends_at": 5})", "bad_request",
                "ends_at"},
        BadBody{
            "ends before starts",
            R"({"texts": {"ru": "Т"}, "starts_at": "2099-01-02T00:00:00.000Z", "ends_at": "2099-01-01T00:00:00.000Z"})",
            "bad_request", "ends_at"},
        BadBody{"bad priority", R"({"texts": {"ru": "Т"}, "priority": "vip"})", "bad_request",
                "priority"},
        BadBody{"priority not a string", R"({"texts": {"ru": "Т"}, "priority": 1})", "bad_request",
                "priority"},
        BadBody{"not an object", R"(["texts"])", "bad_request", "JSON"},
        BadBody{"not json", R"({"texts": )", "bad_json", "JSON"},
        BadBody{"invalid utf8", "{\"texts\": {\"ru\": \"\xFF\xFE\"}}", "bad_json", "JSON"}),
    [](const auto& info) { return test::testName(info.param.name); });

TEST(AnnouncementsHttpTest, AHundredLiveAtMostThen409) {
    test::ServerProcess server;
    const int port = server.port();
    for (int i = 0; i < 100; ++i) {
        ASSERT_EQ(request(port, "POST", "/api/v1/announcements",
                          announcement("№" + std::to_string(i), "x").dump())
                      .status,
                  201);
    }
    const std::string before = request(port, "GET", "/api/v1/announcements?all=1").body;
    Answer en =
        request(port, "POST", "/api/v1/announcements", announcement("Ещё", "More").dump(), "en");
    EXPECT_EQ(en.status, 409);
    EXPECT_EQ(en.j()["error"]["code"], "too_many_announcements");
    EXPECT_NE(en.j()["error"]["message"].get<std::string>().find("100 current announcements"),
              std::string::npos)
        << en.body;
    Answer ru =
        request(port, "POST", "/api/v1/announcements", announcement("Ещё", "More").dump(), "ru");
    EXPECT_EQ(ru.status, 409);
    EXPECT_NE(ru.j()["error"]["message"].get<std::string>().find("Действующих объявлений уже 100"),
              std::string::npos)
        << ru.body;
    EXPECT_EQ(request(port, "GET", "/api/v1/announcements?all=1").body, before);
}

TEST(AnnouncementsHttpTest, BoardCarriesAnnouncementsAndWindowNames) {
    test::ServerProcess server;
    const int port = server.port();
    Answer a =
        request(port, "POST", "/api/v1/announcements",
                announcement("Добро пожаловать", "Welcome", {{"image", "welcome.png"}}).dump());
    ASSERT_EQ(a.status, 201);

    const json board = request(port, "GET", "/api/v1/board").j();
    ASSERT_EQ(board["announcements"].size(), 1u);
    EXPECT_EQ(board["announcements"][0], a.j());
    ASSERT_EQ(board["windows"].size(), 6u);
    EXPECT_EQ(board["windows"][2], json({{"number", 3}, {"name", "Окно 3"}}));
    EXPECT_TRUE(board.contains("calls") && board.contains("services") &&
                board.contains("last_event_id"));

    // What the display's client decodes.
    ApiClient api(server.url());
    auto decoded = api.board();
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    ASSERT_EQ(decoded.value().announcements.size(), 1u);
    EXPECT_EQ(decoded.value().announcements[0].texts.at("ru"), "Добро пожаловать");
    EXPECT_EQ(decoded.value().announcements[0].image, "welcome.png");
    ASSERT_EQ(decoded.value().windows.size(), 6u);
    EXPECT_EQ(decoded.value().windows[0].name, "Окно 1");
    EXPECT_EQ(decoded.value().lastEventId, board["last_event_id"]);
}

TEST(AnnouncementsHttpTest, ImagesServedFromTheAnnouncementsFolder) {
    test::ServerProcess server;
    const int port = server.port();
    Answer png = request(port, "GET", "/announcements/welcome.png");
    ASSERT_EQ(png.status, 200);
    EXPECT_NE(png.headers.find("content-type: image/png"), std::string::npos) << png.headers;
    ASSERT_GT(png.body.size(), 8u);
    EXPECT_EQ(png.body.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    EXPECT_EQ(request(port, "GET", "/announcements/nope.png").status, 404);
    EXPECT_EQ(request(port, "GET", "/announcements/../i18n/en.json").status, 404);  // no way out
}

/// Collects stream events (as in story_test.cpp).
class EventLog {
public:
    EventStream::Handlers handlers() {
        return {[this](const QueueEvent& e) {
                    std::lock_guard lock(m_mutex);
                    m_events.push_back(e);
                    m_cv.notify_all();
                },
                [](bool) {}};
    }
    bool waitForCount(size_t n, std::chrono::milliseconds timeout = 10s) {
        std::unique_lock lock(m_mutex);
        return m_cv.wait_for(lock, timeout, [&] { return m_events.size() >= n; });
    }
    std::vector<QueueEvent> events() {
        std::lock_guard lock(m_mutex);
        return m_events;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::vector<QueueEvent> m_events;
};

TEST(AnnouncementsHttpTest, StreamReplayAcrossRestartCarriesAnnouncementEvents) {
    test::ServerProcess server;
    ApiClient api(server.url());
    ASSERT_TRUE(api.issueTicket("A").ok());
    const int64_t from = api.board().value().lastEventId;
    Answer a = request(server.port(), "POST", "/api/v1/announcements",
                       announcement("Первое", "First").dump());
    ASSERT_EQ(a.status, 201);
    const std::string path = "/api/v1/announcements/" + std::to_string(a.j()["id"].get<int64_t>());
    ASSERT_EQ(
        request(server.port(), "PUT", path, announcement("Изменено", "Changed").dump()).status,
        200);
    ASSERT_EQ(request(server.port(), "DELETE", path).status, 204);

    server.kill();  // durable before the answers: a crash loses none of them
    ASSERT_TRUE(server.restart());
    ASSERT_TRUE(ApiClient(server.url()).issueTicket("A").ok());

    EventLog log;
    EventStream stream(server.url(), log.handlers());
    stream.start(from);  // sends Last-Event-ID: from
    ASSERT_TRUE(log.waitForCount(4));
    const auto events = log.events();
    EXPECT_EQ(events[0].id, from + 1);
    EXPECT_EQ(events[0].type, "announcement.created");
    ASSERT_TRUE(events[0].announcement.has_value());
    EXPECT_EQ(events[0].announcement->texts.at("en"), "First");
    EXPECT_EQ(events[1].type, "announcement.updated");
    ASSERT_TRUE(events[1].announcement.has_value());
    EXPECT_EQ(events[1].announcement->texts.at("ru"), "Изменено");
    EXPECT_EQ(events[1].announcement->id, events[0].announcement->id);
    EXPECT_EQ(events[2].type, "announcement.deleted");
    EXPECT_EQ(events[2].announcementId, events[0].announcement->id);
    EXPECT_EQ(events[3].type, "ticket.issued");
    EXPECT_EQ(events[3].ticket->number, "A002");
}

}  // namespace
}  // namespace talon
