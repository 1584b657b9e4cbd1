// Line wrapping and the ticket's block list: what both renderers build on.
#include "talon/print/layout.h"

#include <gtest/gtest.h>

#include "print_test_support.h"

namespace talon::print {
namespace {

using Lines = std::vector<std::string>;

TEST(WrapText, BreaksAtSpacesAndDropsThem) {
    EXPECT_EQ(wrapText("one two three", 7), (Lines{"one two", "three"}));
    EXPECT_EQ(wrapText("one two three", 13), (Lines{"one two three"}));
    EXPECT_EQ(wrapText("one   two", 5), (Lines{"one", "two"}));
}

TEST(WrapText, SplitsWordsLongerThanALine) {
    EXPECT_EQ(wrapText("abcdefghij", 4), (Lines{"abcd", "efgh", "ij"}));
    EXPECT_EQ(wrapText("ab cdefghij", 4), (Lines{"ab", "cdef", "ghij"}));
}

TEST(WrapText, CountsCharactersNotBytes) {
    // 9 Cyrillic letters are 18 bytes but 9 columns.
    EXPECT_EQ(wrapText("Ваш талон", 9), (Lines{"Ваш талон"}));
    EXPECT_EQ(wrapText("Оплата и счета", 8), (Lines{"Оплата и", "счета"}));
    // A combining breve sits on the letter before it and takes no column.
    EXPECT_EQ(wrapText("и\xCC\x86й", 2), (Lines{"и\xCC\x86й"}));
}

TEST(WrapText, NewlinesEmptyTextAndIndentation) {
    EXPECT_EQ(wrapText("a\nb\r\n\nc", 10), (Lines{"a", "b", "", "c"}));
    EXPECT_EQ(wrapText("", 10), (Lines{""}));
    EXPECT_EQ(wrapText("  Total:   12  ", 48), (Lines{"  Total:   12"}));
}

TEST(WrapText, InvalidBytesTakeAColumnEach) {
    EXPECT_EQ(wrapText("\xFF\xFE\xFD", 2), (Lines{"\xFF\xFE", "\xFD"}));
}

TEST(PrintLayout, ColumnsHalveForDoubleSizeAndFollowThePaper) {
    EXPECT_EQ(columnsFor(Paper::mm80(), {}), 48);
    EXPECT_EQ(columnsFor(Paper::mm80(), {Align::Center, 2, true}), 24);
    EXPECT_EQ(columnsFor(Paper::mm58(), {}), 32);
    EXPECT_EQ(columnsFor(Paper::mm58(), {Align::Left, 2, false}), 16);
}

TEST(TicketLayout, NumberIsLargeBoldAndCentered) {
    const PrintLayout layout = ticketLayout(test::russianTicket());
    bool found = false;
    for (const Block& b : layout.blocks()) {
        const auto* text = std::get_if<TextBlock>(&b);
        if (!text || text->text != "А012") continue;
        found = true;
        EXPECT_EQ(text->style.size, 2);
        EXPECT_TRUE(text->style.bold);
        EXPECT_EQ(text->style.align, Align::Center);
    }
    EXPECT_TRUE(found);
}

TEST(TicketLayout, LeavesOutEmptyFieldsAndTheQrWithoutAUrl) {
    TicketPrint t;
    t.number = "A001";
    const PrintLayout layout = ticketLayout(t);
    int texts = 0;
    for (const Block& b : layout.blocks()) {
        EXPECT_FALSE(std::holds_alternative<QrBlock>(b));
        if (const auto* text = std::get_if<TextBlock>(&b)) {
            EXPECT_EQ(text->text, "A001");
            ++texts;
        }
    }
    EXPECT_EQ(texts, 1);
}

TEST(TicketLayout, CarriesTheStatusUrlAsTheQrPayload) {
    const PrintLayout layout = ticketLayout(test::englishTicket(), Paper::mm58());
    EXPECT_EQ(layout.paper().dots, 384);
    int qrs = 0;
    for (const Block& b : layout.blocks()) {
        if (const auto* qr = std::get_if<QrBlock>(&b)) {
            EXPECT_EQ(qr->payload, test::kStatusUrl);
            ++qrs;
        }
    }
    EXPECT_EQ(qrs, 1);
}

}  // namespace
}  // namespace talon::print
