// Receipt preview with stb_truetype and stb_image_write. Both are compiled here as static
// functions, so they cannot clash with another library's copy of stb in the same program.
#include "talon/print/preview.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>

#include "codepage.h"
#include "raster.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#define STBTT_STATIC
#define STB_TRUETYPE_IMPLEMENTATION
#include <stb_truetype.h>
#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>
#pragma GCC diagnostic pop

namespace talon::print {
namespace {

using detail::kCellHeight;
using detail::kCellWidth;
using detail::kLineGap;

// DejaVu Sans Mono advances 0.6 em, so a 20-pixel em gives the printer's 12-dot cell.
constexpr float kEmPerCell = 20.0f;

// stbtt_fontinfo points into the file's bytes, so the two live and move together.
struct Font {
    std::vector<unsigned char> data;
    stbtt_fontinfo info{};
    int ascent = 0;
};

Result<std::unique_ptr<Font>> loadFont(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return makeError(ErrorKind::Config, "font_missing",
                         "cannot read the preview font " + path + ": " + std::strerror(errno));
    }
    auto font = std::make_unique<Font>();
    font->data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    const int offset = stbtt_GetFontOffsetForIndex(font->data.data(), 0);
    if (font->data.empty() || offset < 0 ||
        !stbtt_InitFont(&font->info, font->data.data(), offset)) {
        return makeError(ErrorKind::Config, "font_missing",
                         "the preview font " + path + " is not a TrueType font");
    }
    int descent = 0;
    int gap = 0;
    stbtt_GetFontVMetrics(&font->info, &font->ascent, &descent, &gap);
    return font;
}

class Canvas {
public:
    explicit Canvas(int width) : m_width(width) {}

    int width() const { return m_width; }
    int height() const { return m_height; }

    void grow(int rows) {
        m_height += rows;
        m_pixels.resize(static_cast<std::size_t>(m_width * m_height), 255);
    }
    // Ink only darkens, so overlapping glyph edges do not erase each other.
    void ink(int x, int y, std::uint8_t coverage) {
        if (x < 0 || y < 0 || x >= m_width || y >= m_height) return;
        std::uint8_t& p = m_pixels[static_cast<std::size_t>(y * m_width + x)];
        p = std::min<std::uint8_t>(p, static_cast<std::uint8_t>(255 - coverage));
    }
    GrayImage take() { return {m_width, m_height, std::move(m_pixels)}; }

private:
    int m_width;
    int m_height = 0;
    std::vector<std::uint8_t> m_pixels;
};

void drawRaster(Canvas& canvas, const detail::Raster& r) {
    const int top = canvas.height();
    canvas.grow(r.height);
    for (int y = 0; y < r.height; ++y) {
        for (int x = 0; x < std::min(r.width, canvas.width()); ++x) {
            if (r.black(x, y)) canvas.ink(x, top + y, 255);
        }
    }
}

void drawLine(Canvas& canvas, const Font& font, const detail::CodePage& page,
              const std::string& encoded, const TextStyle& style) {
    const int size = std::clamp(style.size, 1, 2);
    const int cell = kCellWidth * size;
    const int lineWidth = static_cast<int>(encoded.size()) * cell;
    int x = 0;
    if (style.align == Align::Center) x = (canvas.width() - lineWidth) / 2;
    if (style.align == Align::Right) x = canvas.width() - lineWidth;
    x = std::max(0, x);

    const int top = canvas.height();
    canvas.grow(kCellHeight * size + kLineGap);
    const float scale = stbtt_ScaleForMappingEmToPixels(&font.info, kEmPerCell * size);
    const int baseline = top + static_cast<int>(std::lround(font.ascent * scale));
    std::vector<unsigned char> glyph;
    for (unsigned char byte : encoded) {
        const int cp = static_cast<int>(page.decode(byte));
        int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
        stbtt_GetCodepointBitmapBox(&font.info, cp, scale, scale, &x0, &y0, &x1, &y1);
        const int w = x1 - x0;
        const int h = y1 - y0;
        if (w > 0 && h > 0) {
            glyph.assign(static_cast<std::size_t>(w * h), 0);
            stbtt_MakeCodepointBitmap(&font.info, glyph.data(), w, h, w, scale, scale, cp);
            for (int gy = 0; gy < h; ++gy) {
                for (int gx = 0; gx < w; ++gx) {
                    canvas.ink(x + x0 + gx, baseline + y0 + gy,
                               glyph[static_cast<std::size_t>(gy * w + gx)]);
                }
            }
        }
        x += cell;
    }
}

void appendPng(void* context, void* data, int size) {
    auto* out = static_cast<std::vector<std::uint8_t>*>(context);
    const auto* bytes = static_cast<const std::uint8_t*>(data);
    out->insert(out->end(), bytes, bytes + size);
}

}  // namespace

Result<GrayImage> renderPreview(const PrintLayout& layout, const PreviewOptions& options) {
    auto regular = loadFont(options.regularFont);
    if (!regular) return regular.error();
    auto bold = loadFont(options.boldFont);
    if (!bold) return bold.error();
    auto page = detail::CodePage::open(options.charset);
    if (!page) return page.error();

    const Paper& paper = layout.paper();
    Canvas canvas(paper.dots);
    canvas.grow(std::max(0, options.marginDots));
    for (const Block& block : layout.blocks()) {
        if (const auto* text = std::get_if<TextBlock>(&block)) {
            const Font& font = text->style.bold ? *bold.value() : *regular.value();
            for (const std::string& line : wrapText(text->text, columnsFor(paper, text->style))) {
                drawLine(canvas, font, page.value(), page.value().encode(line), text->style);
            }
        } else if (const auto* qr = std::get_if<QrBlock>(&block)) {
            auto raster = detail::qrRaster(qr->payload, qr->moduleDots, paper.dots);
            if (!raster) return raster.error();
            drawRaster(canvas, raster.value());
        } else if (std::holds_alternative<RuleBlock>(block)) {
            drawRaster(canvas, detail::ruleRaster(paper.dots));
        } else if (const auto* feed = std::get_if<FeedBlock>(&block)) {
            canvas.grow(feed->lines * (kCellHeight + kLineGap));
        }
    }
    canvas.grow(std::max(0, options.marginDots));
    return canvas.take();
}

Result<std::vector<std::uint8_t>> previewPng(const PrintLayout& layout,
                                             const PreviewOptions& options) {
    auto image = renderPreview(layout, options);
    if (!image) return image.error();
    const GrayImage& img = image.value();
    std::vector<std::uint8_t> png;
    if (!stbi_write_png_to_func(appendPng, &png, img.width, img.height, 1, img.pixels.data(),
                                img.width)) {
        return makeError(ErrorKind::Internal, "png_failed", "the preview could not be encoded");
    }
    return png;
}

Status writePreviewPng(const PrintLayout& layout, const std::string& path,
                       const PreviewOptions& options) {
    auto png = previewPng(layout, options);
    if (!png) return png.error();
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (out)
        out.write(reinterpret_cast<const char*>(png.value().data()),
                  static_cast<std::streamsize>(png.value().size()));
    out.close();
    if (!out) {
        return makeError(
            ErrorKind::Storage, "preview_write_failed",
            "cannot write the receipt preview to " + path + ": " + std::strerror(errno));
    }
    return okStatus();
}

}  // namespace talon::print
