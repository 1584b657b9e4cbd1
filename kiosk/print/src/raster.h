// One-bit images as the printer takes them (GS v 0: rows of bytes, most significant bit on the
// left, 1 = black). The QR code and the rule are built once here and used by both renderers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "talon/common/result.h"

namespace talon::print::detail {

struct Raster {
    int width = 0;  // dots, a multiple of 8
    int height = 0;
    std::vector<std::uint8_t> bits;

    int rowBytes() const { return width / 8; }
    bool black(int x, int y) const {
        return (bits[static_cast<std::size_t>(y * rowBytes() + x / 8)] >> (7 - x % 8)) & 1;
    }
    void set(int x, int y) {
        bits[static_cast<std::size_t>(y * rowBytes() + x / 8)] |=
            static_cast<std::uint8_t>(0x80 >> (x % 8));
    }
};

/// Height of a text line of size 1 on the printer (font A) and the spacing after it.
inline constexpr int kCellWidth = 12;
inline constexpr int kCellHeight = 24;
inline constexpr int kLineGap = 6;

/// The full paper width with the QR code of `payload` centered in it and at least a 4-module
/// quiet zone; `moduleDots` shrinks until the code fits. Errors: Invalid "qr_failed" when the
/// payload is empty, holds a NUL, or is too long for a QR code.
Result<Raster> qrRaster(const std::string& payload, int moduleDots, int paperDots);

/// A 2-dot line across the paper, centered in a band one text line high.
Raster ruleRaster(int paperDots);

}  // namespace talon::print::detail
