// Golden-image comparison for the headless screen tests: a rendered PNG against the one kept in
// docs/screenshots/, with a small tolerance, and TALON_UPDATE_GOLDEN=1 to rewrite the goldens.
// Header-only; the test links stb (PkgConfig::STB) and defines no stb implementation itself.
#pragma once

#include <gtest/gtest.h>
#include <stb_image_write.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "png.h"

namespace talon::test {

enum class GoldenResult { Compared, Updated };

/// Compares `actual` (a PNG just rendered) with `golden`; a failure writes `diff` (differing
/// pixels red) and names all three files. Antialiasing may shift a level between library
/// builds; a moved button or a changed word changes thousands of pixels, past the 0.1 % allowed.
/// In update mode copies `actual` over `golden` instead: the caller skips the test.
inline GoldenResult compareWithGolden(const std::filesystem::path& actual, const std::filesystem::path& golden,
                                      const std::filesystem::path& diff) {
    namespace fs = std::filesystem;
    const char* update = std::getenv("TALON_UPDATE_GOLDEN");
    if (update && std::string(update) == "1") {
        fs::create_directories(golden.parent_path());
        fs::copy_file(actual, golden, fs::copy_options::overwrite_existing);
        return GoldenResult::Updated;
    }
    EXPECT_TRUE(fs::exists(golden)) << golden << " is missing; run with TALON_UPDATE_GOLDEN=1 and look at it";
    const Png a = loadPng(actual), e = loadPng(golden);
    if (e.width == 0) return GoldenResult::Compared;
    EXPECT_EQ(a.width, e.width) << golden;
    EXPECT_EQ(a.height, e.height) << golden;
    if (a.width != e.width || a.height != e.height) return GoldenResult::Compared;
    size_t differing = 0;
    std::vector<unsigned char> marks(a.rgba.size(), 255);
    for (size_t i = 0; i < a.rgba.size(); i += 4) {
        int d = 0;
        for (int c = 0; c < 3; ++c) d = std::max(d, std::abs(a.rgba[i + c] - e.rgba[i + c]));
        if (d > 48) {
            ++differing;
            marks[i + 1] = 0, marks[i + 2] = 0;
        }
    }
    const size_t allowed = static_cast<size_t>(a.width) * a.height / 1000;
    if (differing > allowed) {
        stbi_write_png(diff.c_str(), a.width, a.height, 4, marks.data(), a.width * 4);
        ADD_FAILURE() << differing << " pixels differ from " << golden << " (allowed " << allowed << "); see "
                      << actual << " and " << diff;
    }
    return GoldenResult::Compared;
}

}  // namespace talon::test
