// ESC/POS encoding of a PrintLayout for Epson-compatible receipt printers: text through the
// printer's code page, the QR code as a raster image, a partial cut at the end.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "talon/common/result.h"
#include "talon/print/layout.h"

namespace talon::print {

struct EscPosOptions {
    int codePage = 17;              // ESC t n; 17 is PC866 on Epson, other models differ
    std::string charset = "CP866";  // the iconv name of the table codePage selects
    int feedLinesBeforeCut = 3;     // so the last line clears the cutter
    bool cut = true;                // GS V 66 0: feed to the cutter and cut partially
};

/// The print job: ESC @, ESC t, one line per wrapped text line (ESC a, ESC E and GS ! only when
/// they change), QR codes and rules as GS v 0 images, then the feed and the cut. Characters the
/// code page lacks and invalid UTF-8 print as '?'. Errors: Config "unknown_charset" when iconv
/// lacks options.charset; Invalid "qr_failed" when a QR payload is empty or too long.
Result<std::vector<std::uint8_t>> toEscPos(const PrintLayout& layout,
                                           const EscPosOptions& options = {});

}  // namespace talon::print
