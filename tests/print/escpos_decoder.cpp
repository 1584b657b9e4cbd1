// The decoder behind escpos_test: CP866 back to UTF-8 with iconv, rasters to PNG with stb.
#include "escpos_decoder.h"

#include <iconv.h>
#include <stb_image_write.h>

#include <cstdio>

namespace talon::print::test {
namespace {

std::string cp866ToUtf8(const std::string& in) {
    iconv_t cd = iconv_open("UTF-8", "CP866");
    if (cd == reinterpret_cast<iconv_t>(-1)) return "<iconv has no CP866>";
    std::string out(in.size() * 4 + 4, '\0');
    char* inPtr = const_cast<char*>(in.data());
    std::size_t inLeft = in.size();
    char* outPtr = out.data();
    std::size_t outLeft = out.size();
    const std::size_t rc = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft);
    iconv_close(cd);
    if (rc == static_cast<std::size_t>(-1)) return "<not CP866>";
    out.resize(out.size() - outLeft);
    return out;
}

std::string hex(int b) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02X", b);
    return buf;
}

}  // namespace

std::vector<std::string> DecodedJob::texts() const {
    std::vector<std::string> out;
    for (const DecodedLine& l : lines) {
        if (!l.text.empty()) out.push_back(l.text);
    }
    return out;
}

DecodedJob decodeEscPos(const std::vector<std::uint8_t>& job, const std::string& pngDir) {
    DecodedJob d;
    int size = 1;
    bool bold = false;
    int align = 0;
    std::string pending;  // CP866 bytes of the line being built
    bool lastWasCut = false;
    std::size_t i = 0;
    const auto fail = [&](const std::string& why) {
        d.error = why + " at offset " + std::to_string(i);
        return d;
    };
    const auto need = [&](std::size_t n) { return i + n <= job.size(); };
    const auto styleChange = [&]() { return !pending.empty(); };

    while (i < job.size()) {
        const int b = job[i];
        const bool first = i == 0;
        lastWasCut = false;
        if (b == 0x1B) {
            if (!need(2)) return fail("truncated ESC");
            const int c = job[i + 1];
            if (c == '@') {
                d.initFirst = d.initFirst || first;
                if (styleChange()) return fail("ESC @ in the middle of a line");
                size = 1, bold = false, align = 0, d.codePage = 0;
                i += 2;
            } else if (c == 't' || c == 'a' || c == 'E') {
                if (!need(3)) return fail("truncated ESC " + std::string(1, char(c)));
                if (styleChange()) return fail("ESC " + std::string(1, char(c)) + " mid-line");
                const int n = job[i + 2];
                if (c == 't') d.codePage = n;
                if (c == 'a') {
                    if (n > 2) return fail("ESC a with " + hex(n));
                    align = n;
                }
                if (c == 'E') {
                    if (n > 1) return fail("ESC E with " + hex(n));
                    bold = n == 1;
                }
                i += 3;
            } else {
                return fail("unknown command ESC " + hex(c));
            }
        } else if (b == 0x1D) {
            if (!need(2)) return fail("truncated GS");
            const int c = job[i + 1];
            if (c == '!') {
                if (!need(3)) return fail("truncated GS !");
                if (styleChange()) return fail("GS ! mid-line");
                const int n = job[i + 2];
                if ((n >> 4) != (n & 0x0F)) return fail("GS ! with unequal width and height");
                size = (n & 0x0F) + 1;
                i += 3;
            } else if (c == 'v') {
                if (!need(8) || job[i + 2] != '0' || job[i + 3] != 0) return fail("bad GS v 0");
                if (styleChange()) return fail("raster mid-line");
                const int xBytes = job[i + 4] | (job[i + 5] << 8);
                const int height = job[i + 6] | (job[i + 7] << 8);
                const std::size_t n = static_cast<std::size_t>(xBytes) * height;
                i += 8;
                if (xBytes == 0 || height == 0 || !need(n)) return fail("bad raster size");
                DecodedRaster r;
                r.width = xBytes * 8;
                r.height = height;
                r.bits.assign(job.begin() + static_cast<long>(i),
                              job.begin() + static_cast<long>(i + n));
                i += n;
                std::vector<std::uint8_t> gray(static_cast<std::size_t>(r.width * r.height));
                for (int y = 0; y < r.height; ++y) {
                    for (int x = 0; x < r.width; ++x) {
                        gray[static_cast<std::size_t>(y * r.width + x)] = r.black(x, y) ? 0 : 255;
                    }
                }
                r.pngPath = pngDir + "/raster_" + std::to_string(d.rasters.size()) + ".png";
                if (!stbi_write_png(r.pngPath.c_str(), r.width, r.height, 1, gray.data(),
                                    r.width)) {
                    return fail("cannot write " + r.pngPath);
                }
                d.rasters.push_back(std::move(r));
            } else if (c == 'V') {
                if (!need(4) || job[i + 2] != 66 || job[i + 3] != 0) return fail("bad GS V");
                if (styleChange()) return fail("cut mid-line");
                ++d.cuts;
                i += 4;
                lastWasCut = true;
            } else {
                return fail("unknown command GS " + hex(c));
            }
        } else if (b == 0x0A) {
            d.lines.push_back({cp866ToUtf8(pending), size, bold, align});
            pending.clear();
            ++i;
        } else if ((b >= 0x20 && b != 0x7F)) {
            if (d.codePageAtFirstText < 0) d.codePageAtFirstText = d.codePage;
            pending += static_cast<char>(b);
            ++i;
        } else {
            return fail("unknown byte " + hex(b));
        }
    }
    if (!pending.empty()) return fail("text without a line feed at the end");
    d.cutIsLast = lastWasCut;
    return d;
}

}  // namespace talon::print::test
