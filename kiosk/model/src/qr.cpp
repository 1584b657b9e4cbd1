// QR codes for the screen (the printer draws its own from the same library).
#include <qrencode.h>

#include "talon/kiosk/kiosk_model.h"

namespace talon::kiosk {

QrModules encodeQr(const std::string& text) {
    QrModules out;
    if (text.empty()) return out;
    QRcode* code = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!code) return out;
    out.size = code->width;
    out.dark.resize(static_cast<size_t>(code->width) * code->width);
    for (size_t i = 0; i < out.dark.size(); ++i) out.dark[i] = code->data[i] & 1;
    QRcode_free(code);
    return out;
}

}  // namespace talon::kiosk
