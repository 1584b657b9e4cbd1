// Translation catalogs: one flat JSON file per language in assets/i18n/ ({"key": "text {n}"}).
// Adding a language is adding a file.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "talon/common/result.h"

namespace talon {

using I18nArgs = std::vector<std::pair<std::string, std::string>>;

class Catalog {
public:
    /// Loads every `*.json` in `dir`. Fails when the directory has no valid catalog; a single
    /// malformed file is an error too (a broken translation must not ship silently).
    static Result<Catalog> loadDir(const std::filesystem::path& dir);
    /// Parses one catalog from text (used by loadDir and tests).
    Status addLanguage(const std::string& lang, std::string_view json);

    /// The text for `key` in `lang`, falling back to English, then to the key itself;
    /// `{name}` placeholders are replaced from `args`.
    std::string tr(std::string_view lang, std::string_view key, const I18nArgs& args = {}) const;
    bool has(std::string_view lang, std::string_view key) const;
    std::vector<std::string> languages() const;
    /// The best supported language for an Accept-Language header value ("ru-RU,ru;q=0.9" → "ru").
    std::string pickLanguage(std::string_view acceptLanguage) const;

private:
    std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> m_texts;
};

/// Replaces `{name}` in `text` by the matching argument; unknown placeholders stay as they are.
std::string formatText(std::string_view text, const I18nArgs& args);

}  // namespace talon
