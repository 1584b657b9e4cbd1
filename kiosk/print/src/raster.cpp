// QR matrix from libqrencode scaled to printer dots; the rule as an image so it looks the same
// whatever code page the printer has.
#include "raster.h"

#include <qrencode.h>

#include <algorithm>
#include <memory>

namespace talon::print::detail {
namespace {

constexpr int kQuietModules = 4;

struct QrDeleter {
    void operator()(QRcode* q) const { QRcode_free(q); }
};

Raster blank(int paperDots, int height) {
    Raster r;
    r.width = (paperDots + 7) / 8 * 8;
    r.height = height;
    r.bits.assign(static_cast<std::size_t>(r.rowBytes() * height), 0);
    return r;
}

}  // namespace

Result<Raster> qrRaster(const std::string& payload, int moduleDots, int paperDots) {
    if (payload.empty() || payload.find('\0') != std::string::npos) {
        return makeError(ErrorKind::Invalid, "qr_failed",
                         "a QR code needs a non-empty payload without NUL bytes");
    }
    std::unique_ptr<QRcode, QrDeleter> code(
        QRcode_encodeString(payload.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
    if (!code) {
        return makeError(ErrorKind::Invalid, "qr_failed",
                         "the QR payload (" + std::to_string(payload.size()) +
                             " bytes) cannot be encoded; it is probably too long");
    }
    const int modules = code->width;
    const int withQuiet = modules + 2 * kQuietModules;
    int dots = std::max(1, moduleDots);
    while (dots > 1 && withQuiet * dots > paperDots) --dots;
    if (withQuiet * dots > paperDots) {
        return makeError(ErrorKind::Invalid, "qr_failed",
                         "the QR code for this payload is wider than the paper");
    }
    Raster r = blank(paperDots, withQuiet * dots);
    const int left = (r.width - modules * dots) / 2;
    const int top = kQuietModules * dots;
    for (int my = 0; my < modules; ++my) {
        for (int mx = 0; mx < modules; ++mx) {
            if (!(code->data[my * modules + mx] & 1)) continue;
            for (int y = 0; y < dots; ++y) {
                for (int x = 0; x < dots; ++x) r.set(left + mx * dots + x, top + my * dots + y);
            }
        }
    }
    return r;
}

Raster ruleRaster(int paperDots) {
    const int height = kCellHeight + kLineGap;
    Raster r = blank(paperDots, height);
    for (int y = height / 2 - 1; y <= height / 2; ++y) {
        for (int x = 0; x < paperDots; ++x) r.set(x, y);
    }
    return r;
}

}  // namespace talon::print::detail
