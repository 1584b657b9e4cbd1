// A printer-independent receipt: a list of blocks (text lines, QR codes, rules, feeds) on a paper
// of known width. escpos.h turns it into printer bytes and preview.h into a picture; both wrap
// text with wrapText() so the paper and the preview break lines at the same places.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace talon::print {

/// Printable width of the paper. The printer's font A is 12×24 dots, so columns = dots / 12.
struct Paper {
    int dots = 576;
    int columns = 48;

    static Paper mm80() { return {576, 48}; }
    static Paper mm58() { return {384, 32}; }
};

enum class Align { Left, Center, Right };

struct TextStyle {
    Align align = Align::Left;
    int size = 1;  // 1 = normal, 2 = double width and height (half the columns)
    bool bold = false;
};

/// A paragraph of UTF-8 text; it word-wraps to the paper's columns (divided by the size), and a
/// '\n' inside starts a new line. An empty text is an empty line.
struct TextBlock {
    std::string text;
    TextStyle style;
};

/// A QR code of `payload`, centered, with a quiet zone of 4 modules. `moduleDots` shrinks when
/// the code would not fit the paper.
struct QrBlock {
    std::string payload;
    int moduleDots = 6;
};

/// A thin horizontal line across the paper, one text line high.
struct RuleBlock {};

/// `lines` empty lines.
struct FeedBlock {
    int lines = 1;
};

using Block = std::variant<TextBlock, QrBlock, RuleBlock, FeedBlock>;

/// The block API every receipt (ticket, meter readings, appeals) builds its layout with.
class PrintLayout {
public:
    explicit PrintLayout(Paper paper = Paper::mm80()) : m_paper(paper) {}

    PrintLayout& text(std::string utf8, TextStyle style = {});
    PrintLayout& qr(std::string payload, int moduleDots = 6);
    PrintLayout& rule();
    PrintLayout& feed(int lines = 1);

    const Paper& paper() const { return m_paper; }
    const std::vector<Block>& blocks() const { return m_blocks; }

private:
    Paper m_paper;
    std::vector<Block> m_blocks;
};

/// Splits a paragraph into lines of at most `columns` characters (one column per code point;
/// combining accents take none; each invalid UTF-8 byte takes one). Breaks at spaces, splits
/// words longer than a line, drops the spaces at a break. '\n' forces a break; '\r' is dropped.
/// Always returns at least one line.
std::vector<std::string> wrapText(std::string_view utf8, int columns);

/// Columns a text block may use on this paper: the paper's columns divided by the size.
int columnsFor(const Paper& paper, const TextStyle& style);

/// The wording of a queue ticket, ALREADY TRANSLATED by the caller. Empty fields are left out.
struct TicketPrint {
    std::string header;               // office name
    std::string caption;              // "Your ticket"
    std::string number;               // "A012": printed double size, bold, centered
    std::string service;              // "Payments and bills"
    std::string peopleAhead;          // "People ahead of you: 3"
    std::string waitEstimate;         // "Estimated wait: about 15 min"
    std::string issuedAt;             // "Issued 12.03.2025 10:42"
    std::string statusUrl;            // the QR payload; no QR when empty
    std::string qrCaption;            // "Scan to follow your place in the queue"
    std::vector<std::string> footer;  // "Watch the board", ...
};

/// The ticket receipt: everything centered, the number large.
PrintLayout ticketLayout(const TicketPrint& ticket, Paper paper = Paper::mm80());

}  // namespace talon::print
