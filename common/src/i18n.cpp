// Catalog loading and placeholder formatting.
#include "talon/common/i18n.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace talon {

Result<Catalog> Catalog::loadDir(const std::filesystem::path& dir) {
    Catalog cat;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        if (entry.path().extension() != ".json") continue;
        std::ifstream in(entry.path());
        std::stringstream ss;
        ss << in.rdbuf();
        if (Status st = cat.addLanguage(entry.path().stem().string(), ss.str()); !st) {
            return makeError(ErrorKind::Config, "bad_catalog",
                             entry.path().string() + ": " + st.error().message);
        }
    }
    if (ec || cat.m_texts.empty()) {
        return makeError(ErrorKind::Config, "no_catalog",
                         "No translation catalogs found in " + dir.string() +
                             ". Point --assets at Talon's assets directory.");
    }
    return cat;
}

Status Catalog::addLanguage(const std::string& lang, std::string_view text) {
    try {
        auto j = nlohmann::json::parse(text);
        if (!j.is_object()) return makeError(ErrorKind::Config, "bad_catalog", "not a JSON object");
        auto& out = m_texts[lang];
        for (auto& [k, v] : j.items()) {
            if (!v.is_string()) {
                return makeError(ErrorKind::Config, "bad_catalog", "key " + k + " is not a string");
            }
            out[k] = v.get<std::string>();
        }
        return okStatus();
    } catch (const nlohmann::json::exception& e) {
        return makeError(ErrorKind::Config, "bad_catalog", e.what());
    }
}

bool Catalog::has(std::string_view lang, std::string_view key) const {
    auto l = m_texts.find(lang);
    return l != m_texts.end() && l->second.find(key) != l->second.end();
}

std::string Catalog::tr(std::string_view lang, std::string_view key, const I18nArgs& args) const {
    for (std::string_view candidate : {lang, std::string_view("en")}) {
        if (auto l = m_texts.find(candidate); l != m_texts.end()) {
            if (auto k = l->second.find(key); k != l->second.end()) return formatText(k->second, args);
        }
    }
    return std::string(key);
}

std::vector<std::string> Catalog::languages() const {
    std::vector<std::string> out;
    for (const auto& [k, v] : m_texts) out.push_back(k);
    return out;
}

std::string Catalog::pickLanguage(std::string_view header) const {
    // Take the tags in order of appearance (clients list them by preference) and ignore q.
    size_t pos = 0;
    while (pos < header.size()) {
        size_t end = header.find(',', pos);
        if (end == std::string_view::npos) end = header.size();
        std::string_view tag = header.substr(pos, end - pos);
        tag = tag.substr(0, tag.find(';'));
        while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
        std::string primary(tag.substr(0, tag.find('-')));
        std::transform(primary.begin(), primary.end(), primary.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (m_texts.count(primary)) return primary;
        pos = end + 1;
    }
    return "en";
}

std::string formatText(std::string_view text, const I18nArgs& args) {
    std::string out;
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size()) {
        if (text[i] == '{') {
            size_t close = text.find('}', i);
            if (close != std::string_view::npos) {
                std::string_view name = text.substr(i + 1, close - i - 1);
                auto it = std::find_if(args.begin(), args.end(),
                                       [&](const auto& a) { return a.first == name; });
                if (it != args.end()) {
                    out += it->second;
                    i = close + 1;
                    continue;
                }
            }
        }
        out += text[i++];
    }
    return out;
}

}  // namespace talon
