// Byte-level ESC/POS writer. Commands contain NULs, so everything goes through a byte vector.
#include "talon/print/escpos.h"

#include <algorithm>

#include "codepage.h"
#include "raster.h"

namespace talon::print {
namespace {

constexpr std::uint8_t kEsc = 0x1B;
constexpr std::uint8_t kGs = 0x1D;
constexpr std::uint8_t kLf = 0x0A;

struct Writer {
    std::vector<std::uint8_t> out;
    // What the printer is set to; -1 = unknown, so the first line always sets it.
    int align = -1;
    int bold = -1;
    int size = -1;

    void bytes(std::initializer_list<int> list) {
        for (int b : list) out.push_back(static_cast<std::uint8_t>(b));
    }
    void setAlign(Align a) {
        const int n = a == Align::Left ? 0 : a == Align::Center ? 1 : 2;
        if (n != align) bytes({kEsc, 'a', n});
        align = n;
    }
    void setBold(bool b) {
        if (int{b} != bold) bytes({kEsc, 'E', int{b}});
        bold = b;
    }
    void setSize(int s) {
        if (s != size) bytes({kGs, '!', ((s - 1) << 4) | (s - 1)});  // width and height alike
        size = s;
    }
    void raster(const detail::Raster& r) {
        setAlign(Align::Left);  // the image is as wide as the paper and centered inside it
        const int xBytes = r.rowBytes();
        bytes({kGs, 'v', '0', 0, xBytes & 0xFF, xBytes >> 8, r.height & 0xFF, r.height >> 8});
        out.insert(out.end(), r.bits.begin(), r.bits.end());
    }
};

}  // namespace

Result<std::vector<std::uint8_t>> toEscPos(const PrintLayout& layout,
                                           const EscPosOptions& options) {
    auto page = detail::CodePage::open(options.charset);
    if (!page) return page.error();
    const Paper& paper = layout.paper();

    Writer w;
    w.bytes({kEsc, '@', kEsc, 't', std::clamp(options.codePage, 0, 255)});
    for (const Block& block : layout.blocks()) {
        if (const auto* text = std::get_if<TextBlock>(&block)) {
            for (const std::string& line : wrapText(text->text, columnsFor(paper, text->style))) {
                w.setAlign(text->style.align);
                w.setBold(text->style.bold);
                w.setSize(text->style.size);
                const std::string encoded = page.value().encode(line);
                w.out.insert(w.out.end(), encoded.begin(), encoded.end());
                w.out.push_back(kLf);
            }
        } else if (const auto* qr = std::get_if<QrBlock>(&block)) {
            auto raster = detail::qrRaster(qr->payload, qr->moduleDots, paper.dots);
            if (!raster) return raster.error();
            w.raster(raster.value());
        } else if (std::holds_alternative<RuleBlock>(block)) {
            w.raster(detail::ruleRaster(paper.dots));
        } else if (const auto* feed = std::get_if<FeedBlock>(&block)) {
            w.setSize(1);  // an empty line is as high as the current size: feed normal lines
            w.out.insert(w.out.end(), static_cast<std::size_t>(feed->lines), kLf);
        }
    }
    w.setSize(1);
    w.setBold(false);
    if (options.cut) {
        w.out.insert(w.out.end(), static_cast<std::size_t>(std::max(0, options.feedLinesBeforeCut)),
                     kLf);
        w.bytes({kGs, 'V', 66, 0});
    }
    return std::move(w.out);
}

}  // namespace talon::print
