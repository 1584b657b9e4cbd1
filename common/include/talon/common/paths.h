// Where the assets (i18n catalogs, web pages, fonts config) are: --assets, $TALON_ASSETS,
// or the source tree's assets/ compiled in as the default.
#pragma once

#include <filesystem>
#include <string>

namespace talon {

/// `override` if not empty, else $TALON_ASSETS, else the build-time default.
std::filesystem::path assetsDir(const std::string& override = {});

}  // namespace talon
