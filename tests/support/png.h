// PNG files as tests read them: RGBA pixels, a colour count to tell a real screen from a blank
// one. Header-only; the test links stb (PkgConfig::STB).
#pragma once

#include <stb_image.h>

#include <cstdint>
#include <filesystem>
#include <set>
#include <vector>

namespace talon::test {

struct Png {
    int width = 0, height = 0;
    std::vector<unsigned char> rgba;

    /// 0xRRGGBB at (x, y).
    uint32_t at(int x, int y) const {
        const size_t i = (static_cast<size_t>(y) * width + x) * 4;
        return rgba[i] << 16 | rgba[i + 1] << 8 | rgba[i + 2];
    }
};

/// An empty Png (width 0) when the file is missing or not a PNG.
inline Png loadPng(const std::filesystem::path& path) {
    Png p;
    int channels = 0;
    unsigned char* data = stbi_load(path.c_str(), &p.width, &p.height, &channels, 4);
    if (data) {
        p.rgba.assign(data, data + static_cast<size_t>(p.width) * p.height * 4);
        stbi_image_free(data);
    }
    return p;
}

/// Colours in a sample of every 7th pixel: a rendered screen has dozens, a blank one one.
inline size_t distinctColours(const Png& p) {
    std::set<uint32_t> colours;
    for (size_t i = 0; i + 3 < p.rgba.size(); i += 4 * 7) colours.insert(p.rgba[i] << 16 | p.rgba[i + 1] << 8 | p.rgba[i + 2]);
    return colours.size();
}

}  // namespace talon::test
