// The information screen's questions and answers, one JSON file per language in
// assets/kiosk/faq/<lang>.json: [{"q": "...", "a": "..."}, ...].
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "talon/common/result.h"

namespace talon::kiosk {

struct FaqEntry {
    std::string question;
    std::string answer;
};

using FaqCatalog = std::map<std::string, std::vector<FaqEntry>>;  // language → entries

/// Reads every <lang>.json in `dir`. Errors name the file and what is wrong (not a list,
/// an entry without "q" or "a", empty text, more than 12 entries, text over 600 bytes).
Result<FaqCatalog> loadFaqDir(const std::filesystem::path& dir);
/// Parses one file's text; `source` names it in errors.
Result<std::vector<FaqEntry>> parseFaq(std::string_view text, const std::string& source);

}  // namespace talon::kiosk
