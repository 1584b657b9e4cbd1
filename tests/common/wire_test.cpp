// Wire format: round trips of every type, and malformed JSON becoming errors, not crashes.
#include "talon/common/wire.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace talon {
namespace {

Ticket sampleTicket() {
    Ticket t;
    t.id = 17;
    t.number = "A001";
    t.service = "A";
    t.status = TicketStatus::Called;
    t.priority = Priority::Priority;
    t.issuedAt = *parseIso("2026-11-23T09:15:02.318Z");
    t.calledAt = *parseIso("2026-11-23T09:16:40.002Z");
    t.window = 3;
    return t;
}

TEST(WireTest, TicketRoundTrip) {
    const Ticket t = sampleTicket();
    auto parsed = wire::parseTicket(wire::toJson(t).dump());
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed.value().id, 17);
    EXPECT_EQ(parsed.value().number, "A001");
    EXPECT_EQ(parsed.value().status, TicketStatus::Called);
    EXPECT_EQ(parsed.value().priority, Priority::Priority);
    EXPECT_EQ(parsed.value().issuedAt, t.issuedAt);
    EXPECT_EQ(parsed.value().calledAt, t.calledAt);
    EXPECT_FALSE(parsed.value().finishedAt.has_value());
    EXPECT_EQ(parsed.value().window, 3);
    EXPECT_FALSE(parsed.value().ahead.has_value());
}

TEST(WireTest, TicketJsonUsesDocumentedNames) {
    Ticket t = sampleTicket();
    t.ahead = 4;
    const auto j = wire::toJson(t);
    EXPECT_EQ(j.at("issued_at"), "2026-11-23T09:15:02.318Z");
    EXPECT_EQ(j.at("status"), "called");
    EXPECT_EQ(j.at("ahead"), 4);
    EXPECT_TRUE(j.at("finished_at").is_null());
}

TEST(WireTest, BoardRoundTrip) {
    Board b;
    b.calls.push_back({5, "B002", "B", 4, *parseIso("2026-11-23T10:00:00.000Z"), TicketStatus::Done});
    b.services.push_back({2, "B", {{"ru", "Счётчики"}, {"en", "Meters"}}, 7});
    b.lastEventId = 99;
    b.logId = "abc";
    auto parsed = wire::parseBoard(wire::toJson(b).dump());
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    ASSERT_EQ(parsed.value().calls.size(), 1u);
    EXPECT_EQ(parsed.value().calls[0].number, "B002");
    EXPECT_EQ(parsed.value().calls[0].status, TicketStatus::Done);
    EXPECT_EQ(parsed.value().services[0].names.at("ru"), "Счётчики");
    EXPECT_EQ(parsed.value().services[0].waiting, 7);
    EXPECT_EQ(parsed.value().lastEventId, 99);
    EXPECT_EQ(parsed.value().logId, "abc");
}

TEST(WireTest, WindowRoundTrip) {
    Window w{2, "Окно 2", {{"A", 1.0}, {"B", 0.5}}, sampleTicket()};
    auto parsed = wire::parseWindow(wire::toJson(w).dump());
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed.value().services[1].weight, 0.5);
    ASSERT_TRUE(parsed.value().current.has_value());
    EXPECT_EQ(parsed.value().current->number, "A001");
}

TEST(WireTest, OfficeRoundTripWithAppealCategories) {
    OfficeInfo o;
    o.names = {{"ru", "Офис"}};
    o.timezone = "Europe/Moscow";
    o.today = "2026-11-30";
    o.appealCategories = {{"billing", {}, 10, false}, {"gas_leak", {{"ru", "Запах газа"}, {"en", "Gas smell"}}, 0, true}};
    auto parsed = wire::parseOffice(wire::toJson(o).dump());
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    ASSERT_EQ(parsed.value().appealCategories.size(), 2u);
    EXPECT_EQ(parsed.value().appealCategories[0].id, "billing");
    EXPECT_TRUE(parsed.value().appealCategories[0].names.empty());
    EXPECT_EQ(parsed.value().appealCategories[1].names.at("ru"), "Запах газа");
    EXPECT_EQ(parsed.value().appealCategories[1].deadlineWorkingDays, 0);
    EXPECT_TRUE(parsed.value().appealCategories[1].urgent);

    // An older server sends no categories: none, not an error.
    nlohmann::json old = wire::toJson(o);
    old.erase("appeal_categories");
    auto older = wire::parseOffice(old.dump());
    ASSERT_TRUE(older.ok()) << older.error().message;
    EXPECT_TRUE(older.value().appealCategories.empty());

    // Malformed categories are an error, never a crash.
    for (const char* bad : {R"("x")", R"([{"names": {}, "deadline_working_days": 1, "urgent": false}])",
                            R"([{"id": "a", "deadline_working_days": "1", "urgent": false}])",
                            R"([{"id": "a", "deadline_working_days": 1, "urgent": 1}])", R"([5])"}) {
        nlohmann::json j = wire::toJson(o);
        j["appeal_categories"] = nlohmann::json::parse(bad);
        EXPECT_FALSE(wire::parseOffice(j.dump()).ok()) << bad;
    }
}

TEST(WireTest, EventDecodesTicketAndWaiting) {
    const auto data = wire::eventData(sampleTicket(), {{"A", 2}, {"B", 0}}).dump();
    auto e = wire::parseEvent(43, "ticket.called", data);
    ASSERT_TRUE(e.ok());
    EXPECT_EQ(e.value().id, 43);
    EXPECT_EQ(e.value().type, "ticket.called");
    EXPECT_EQ(e.value().waiting.at("A"), 2);
    EXPECT_EQ(e.value().ticket->window, 3);
}

class WireBadInputTest : public ::testing::TestWithParam<const char*> {};

TEST_P(WireBadInputTest, MalformedTicketIsAnErrorNotACrash) {
    auto parsed = wire::parseTicket(GetParam());
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().kind, ErrorKind::BadResponse);
    EXPECT_FALSE(parsed.error().message.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Bodies, WireBadInputTest,
    ::testing::Values("", "{", "[]", "null", "{\"id\": \"x\"}",
                      R"({"id":1,"number":"A001","service":"A","status":"flying","priority":"normal","issued_at":"2026-11-23T09:15:02.318Z"})",
                      R"({"id":1,"number":"A001","service":"A","status":"waiting","priority":"normal","issued_at":"yesterday"})",
                      R"({"id":1,"number":7,"service":"A","status":"waiting","priority":"normal","issued_at":"2026-11-23T09:15:02.318Z"})"),
    [](const auto& info) { return "body" + std::to_string(info.index); });

TEST(WireTest, ErrorBodyIsDecoded) {
    Error e = wire::parseErrorBody(422, R"({"error":{"code":"unknown_service","message":"No such service"}})");
    EXPECT_EQ(e.kind, ErrorKind::Http);
    EXPECT_EQ(e.status, 422);
    EXPECT_EQ(e.code, "unknown_service");
    EXPECT_EQ(e.message, "No such service");
    Error junk = wire::parseErrorBody(502, "<html>bad gateway</html>");
    EXPECT_EQ(junk.status, 502);
    EXPECT_EQ(junk.code, "http_502");
}

TEST(TimeTest, IsoRoundTripAndRejects) {
    auto t = parseIso("2026-01-02T03:04:05.678Z");
    ASSERT_TRUE(t);
    EXPECT_EQ(formatIso(*t), "2026-01-02T03:04:05.678Z");
    EXPECT_FALSE(parseIso("2026-01-02 03:04:05"));
    EXPECT_FALSE(parseIso("2026-13-02T03:04:05.678Z"));
    EXPECT_FALSE(parseIso("2026-01-02T03:04:05.67xZ"));
}

TEST(TimeTest, ValidIsoDateKnowsTheCalendar) {
    for (const char* ok : {"2026-11-23", "2024-02-29", "2000-02-29", "1900-01-01", "2026-12-31"})
        EXPECT_TRUE(validIsoDate(ok)) << ok;
    for (const char* bad : {"", "2026-02-29", "1900-02-29", "2026-02-31", "2026-04-31", "2026-13-01", "2026-00-10",
                            "2026-01-00", "1899-12-31", "2026-1-05", "2026/01/05", "2026-01-05 ", " 2026-01-5",
                            "２０２６-01-05", "+026-01-05"})
        EXPECT_FALSE(validIsoDate(bad)) << bad;
}

}  // namespace
}  // namespace talon
