// SSE parsing across arbitrary chunk boundaries, comments, CRLF and multi-line data.
#include "talon/common/sse_parser.h"

#include <gtest/gtest.h>

#include <vector>

namespace talon {
namespace {

std::vector<SseEvent> parseInChunks(const std::string& text, size_t chunk) {
    std::vector<SseEvent> out;
    SseParser parser([&](const SseEvent& e) { out.push_back(e); });
    for (size_t i = 0; i < text.size(); i += chunk) parser.feed(std::string_view(text).substr(i, chunk));
    return out;
}

TEST(SseParserTest, EventsSurviveAnyChunking) {
    const std::string stream =
        "retry: 2000\n: connected\n\nid: 1\nevent: ticket.issued\ndata: {\"a\":1}\n\n"
        ": ping\n\nid: 2\r\nevent: ticket.called\r\ndata: line1\r\ndata: line2\r\n\r\n";
    for (size_t chunk : {1u, 2u, 3u, 7u, 64u, 1000u}) {
        auto events = parseInChunks(stream, chunk);
        ASSERT_EQ(events.size(), 2u) << "chunk " << chunk;
        EXPECT_EQ(events[0].id, 1);
        EXPECT_EQ(events[0].type, "ticket.issued");
        EXPECT_EQ(events[0].data, "{\"a\":1}");
        EXPECT_EQ(events[1].id, 2);
        EXPECT_EQ(events[1].type, "ticket.called");
        EXPECT_EQ(events[1].data, "line1\nline2");
    }
}

TEST(SseParserTest, IncompleteEventIsNotDispatched) {
    auto events = parseInChunks("id: 5\ndata: x\n", 4);
    EXPECT_TRUE(events.empty());
}

TEST(SseParserTest, NonNumericIdIsIgnored) {
    auto events = parseInChunks("id: abc\ndata: x\n\n", 100);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_FALSE(events[0].id.has_value());
}

TEST(SseParserTest, ResetDropsPartialEvent) {
    std::vector<SseEvent> out;
    SseParser parser([&](const SseEvent& e) { out.push_back(e); });
    parser.feed("id: 1\ndata: half");
    parser.reset();
    parser.feed("id: 2\ndata: whole\n\n");
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].id, 2);
    EXPECT_EQ(out[0].data, "whole");
}

}  // namespace
}  // namespace talon
