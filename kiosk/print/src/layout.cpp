// The block list, line wrapping shared by both renderers, and the ticket's layout.
#include "talon/print/layout.h"

#include <algorithm>

#include "utf8.h"

namespace talon::print {
namespace {

using detail::CodeUnit;

int unitWidth(const CodeUnit& u) {
    return detail::isCombining(u.cp) ? 0 : 1;
}

void wrapParagraph(std::string_view text, int columns, std::vector<std::string>& lines) {
    const std::vector<CodeUnit> units = detail::decodeUtf8(text);
    const std::size_t n = units.size();
    const auto slice = [&](std::size_t a, std::size_t b) {
        const std::size_t from = units[a].offset;
        const std::size_t to = units[b - 1].offset + units[b - 1].length;
        return std::string(text.substr(from, to - from));
    };
    const auto width = [&](std::size_t a, std::size_t b) {
        int w = 0;
        for (std::size_t k = a; k < b; ++k) w += unitWidth(units[k]);
        return w;
    };

    std::string line;
    int lineWidth = 0;
    std::string spaces;  // the run before the next word; dropped if the line breaks there
    bool atStart = true;
    std::size_t i = 0;
    while (i < n) {
        std::size_t j = i;
        if (units[i].cp == U' ') {
            while (j < n && units[j].cp == U' ') ++j;
            // Indentation at the start of a paragraph is kept; after a break it is not.
            if (lineWidth > 0 || atStart) spaces = slice(i, j);
            i = j;
            continue;
        }
        while (j < n && units[j].cp != U' ') ++j;
        const int wordWidth = width(i, j);
        const int spaceWidth = static_cast<int>(spaces.size());  // spaces are one byte each
        if (lineWidth + spaceWidth + wordWidth <= columns) {
            line += spaces + slice(i, j);
            lineWidth += spaceWidth + wordWidth;
        } else {
            if (lineWidth > 0) lines.push_back(std::move(line));
            std::size_t k = i;
            while (width(k, j) > columns) {
                // Take what fits, and the accents that sit on the last character taken.
                std::size_t m = k;
                int w = 0;
                while (m < j && w + unitWidth(units[m]) <= columns) w += unitWidth(units[m++]);
                lines.push_back(slice(k, m));
                k = m;
            }
            line = k < j ? slice(k, j) : std::string{};
            lineWidth = width(k, j);
        }
        spaces.clear();
        atStart = false;
        i = j;
    }
    lines.push_back(std::move(line));
}

}  // namespace

PrintLayout& PrintLayout::text(std::string utf8, TextStyle style) {
    style.size = std::clamp(style.size, 1, 2);
    m_blocks.emplace_back(TextBlock{std::move(utf8), style});
    return *this;
}

PrintLayout& PrintLayout::qr(std::string payload, int moduleDots) {
    m_blocks.emplace_back(QrBlock{std::move(payload), std::max(1, moduleDots)});
    return *this;
}

PrintLayout& PrintLayout::rule() {
    m_blocks.emplace_back(RuleBlock{});
    return *this;
}

PrintLayout& PrintLayout::feed(int lines) {
    m_blocks.emplace_back(FeedBlock{std::max(0, lines)});
    return *this;
}

std::vector<std::string> wrapText(std::string_view utf8, int columns) {
    columns = std::max(1, columns);
    std::vector<std::string> lines;
    std::string paragraph;
    for (char c : utf8) {
        if (c == '\r') continue;
        if (c == '\n') {
            wrapParagraph(paragraph, columns, lines);
            paragraph.clear();
        } else {
            paragraph += c;
        }
    }
    wrapParagraph(paragraph, columns, lines);
    return lines;
}

int columnsFor(const Paper& paper, const TextStyle& style) {
    return std::max(1, paper.columns / std::clamp(style.size, 1, 2));
}

PrintLayout ticketLayout(const TicketPrint& t, Paper paper) {
    const TextStyle normal{Align::Center, 1, false};
    const TextStyle bold{Align::Center, 1, true};
    const TextStyle big{Align::Center, 2, true};

    PrintLayout layout(paper);
    const auto add = [&](const std::string& s, TextStyle style) {
        if (!s.empty()) layout.text(s, style);
    };
    add(t.header, bold);
    layout.rule();
    add(t.caption, normal);
    add(t.number, big);
    add(t.service, bold);
    if (!t.peopleAhead.empty() || !t.waitEstimate.empty()) {
        layout.feed(1);
        add(t.peopleAhead, normal);
        add(t.waitEstimate, normal);
    }
    if (!t.statusUrl.empty()) {
        layout.rule();
        layout.qr(t.statusUrl);
        add(t.qrCaption, normal);
    }
    layout.rule();
    for (const std::string& line : t.footer) add(line, bold);
    add(t.issuedAt, normal);
    return layout;
}

}  // namespace talon::print
