// Asset directory resolution.
#include "talon/common/paths.h"

#include <cstdlib>

namespace talon {

std::filesystem::path assetsDir(const std::string& override) {
    if (!override.empty()) return override;
    if (const char* env = std::getenv("TALON_ASSETS"); env && *env) return env;
    return TALON_ASSETS_DIR;
}

}  // namespace talon
