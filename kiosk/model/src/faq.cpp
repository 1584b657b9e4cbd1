// FAQ files: small JSON lists, validated so a bad file is a clear start-up error, not a
// screen that overflows.
#include "talon/kiosk/faq.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace talon::kiosk {
namespace {

constexpr size_t kMaxEntries = 12;
constexpr size_t kMaxText = 600;

Error faqError(const std::string& source, const std::string& what) {
    return makeError(ErrorKind::Config, "bad_faq", source + ": " + what);
}

}  // namespace

Result<std::vector<FaqEntry>> parseFaq(std::string_view text, const std::string& source) {
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        return faqError(source, std::string("not valid JSON: ") + e.what());
    }
    if (!j.is_array()) return faqError(source, "must be a list [{\"q\": \"...\", \"a\": \"...\"}, ...]");
    if (j.size() > kMaxEntries) return faqError(source, "at most 12 questions fit the screen");
    std::vector<FaqEntry> out;
    for (size_t i = 0; i < j.size(); ++i) {
        const auto& e = j[i];
        const std::string where = "entry " + std::to_string(i + 1);
        auto q = e.is_object() ? e.find("q") : e.end();
        auto a = e.is_object() ? e.find("a") : e.end();
        if (!e.is_object() || q == e.end() || a == e.end() || !q->is_string() || !a->is_string()) {
            return faqError(source, where + " must be {\"q\": \"question\", \"a\": \"answer\"}");
        }
        FaqEntry entry{q->get<std::string>(), a->get<std::string>()};
        if (entry.question.empty() || entry.answer.empty()) return faqError(source, where + " has an empty text");
        if (entry.question.size() > kMaxText || entry.answer.size() > kMaxText) {
            return faqError(source, where + " is longer than 600 bytes");
        }
        out.push_back(std::move(entry));
    }
    return out;
}

Result<FaqCatalog> loadFaqDir(const std::filesystem::path& dir) {
    FaqCatalog catalog;
    std::error_code ec;
    for (const auto& file : std::filesystem::directory_iterator(dir, ec)) {
        if (file.path().extension() != ".json") continue;
        std::ifstream in(file.path(), std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        auto entries = parseFaq(text.str(), file.path().string());
        if (!entries) return entries.error();
        catalog[file.path().stem().string()] = std::move(entries).value();
    }
    if (ec) return faqError(dir.string(), "cannot read the directory: " + ec.message());
    return catalog;
}

}  // namespace talon::kiosk
