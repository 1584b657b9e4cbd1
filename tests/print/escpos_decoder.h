// A strict reader of the ESC/POS subset talon_print emits: it fails on any byte sequence it
// does not know, so an unexpected command in a job cannot go unnoticed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace talon::print::test {

struct DecodedLine {
    std::string text;  // back in UTF-8
    int size = 1;
    bool bold = false;
    int align = 0;  // 0 left, 1 center, 2 right
};

struct DecodedRaster {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> bits;  // GS v 0 rows, MSB left, 1 = black
    std::string pngPath;             // where it was saved, one pixel per dot

    bool black(int x, int y) const {
        return (bits[static_cast<std::size_t>(y * (width / 8) + x / 8)] >> (7 - x % 8)) & 1;
    }
};

struct DecodedJob {
    std::string error;               // empty when the whole job was understood
    bool initFirst = false;          // ESC @ is the first command
    int codePage = -1;               // the last ESC t n
    int codePageAtFirstText = -1;    // the ESC t n in force when the first text byte came
    std::vector<DecodedLine> lines;  // one per LF, empty lines included
    std::vector<DecodedRaster> rasters;
    int cuts = 0;
    bool cutIsLast = false;  // GS V 66 0 is the very last command

    /// The non-empty lines' texts, in order.
    std::vector<std::string> texts() const;
};

/// Walks `job`. Rasters are saved as PNG files in `pngDir` (raster_0.png, ...).
DecodedJob decodeEscPos(const std::vector<std::uint8_t>& job, const std::string& pngDir);

}  // namespace talon::print::test
