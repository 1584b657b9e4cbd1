// A picture of the receipt the printer would produce from the same PrintLayout: same columns,
// same line breaks, same '?' for missing characters, the same QR dots. For screens and tests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "talon/common/result.h"
#include "talon/print/layout.h"

namespace talon::print {

struct PreviewOptions {
    std::string regularFont = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";
    std::string boldFont = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf";
    std::string charset = "CP866";  // as EscPosOptions::charset, so the preview shows its gaps
    int marginDots = 24;            // white paper above the first and below the last line
};

/// 8-bit grayscale, row by row, 0 = black, 255 = white.
struct GrayImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;
};

/// Draws the layout one printer dot per pixel: the paper's width, as high as needed, 12×24
/// cells (double for size 2). Errors: Config "font_missing" when a font file cannot be read
/// or is not a font; Config "unknown_charset"; Invalid "qr_failed" (see toEscPos).
Result<GrayImage> renderPreview(const PrintLayout& layout, const PreviewOptions& options = {});

/// renderPreview encoded as PNG. Errors as for renderPreview.
Result<std::vector<std::uint8_t>> previewPng(const PrintLayout& layout,
                                             const PreviewOptions& options = {});

/// previewPng written to `path`. Errors as for renderPreview; Storage "preview_write_failed"
/// when the file cannot be written.
Status writePreviewPng(const PrintLayout& layout, const std::string& path,
                       const PreviewOptions& options = {});

}  // namespace talon::print
