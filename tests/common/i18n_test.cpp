// Catalogs: placeholders, fallbacks, Accept-Language, and the shipped catalogs being complete.
#include "talon/common/i18n.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "talon/common/paths.h"

namespace talon {
namespace {

TEST(I18nTest, FormatsPlaceholders) {
    EXPECT_EQ(formatText("Перед вами человек: {n}", {{"n", "3"}}), "Перед вами человек: 3");
    EXPECT_EQ(formatText("{a}-{b}-{a}", {{"a", "x"}, {"b", "y"}}), "x-y-x");
    EXPECT_EQ(formatText("keep {unknown} and {", {}), "keep {unknown} and {");
}

TEST(I18nTest, FallsBackToEnglishThenKey) {
    Catalog c;
    ASSERT_TRUE(c.addLanguage("en", R"({"a": "A en", "b": "B en"})").ok());
    ASSERT_TRUE(c.addLanguage("ru", R"({"a": "A ru"})").ok());
    EXPECT_EQ(c.tr("ru", "a"), "A ru");
    EXPECT_EQ(c.tr("ru", "b"), "B en");
    EXPECT_EQ(c.tr("de", "a"), "A en");
    EXPECT_EQ(c.tr("ru", "missing.key"), "missing.key");
}

TEST(I18nTest, RejectsMalformedCatalog) {
    Catalog c;
    EXPECT_FALSE(c.addLanguage("xx", "{not json").ok());
    EXPECT_FALSE(c.addLanguage("xx", R"({"a": 5})").ok());
    EXPECT_FALSE(c.addLanguage("xx", R"(["a"])").ok());
}

TEST(I18nTest, PicksLanguageFromAcceptLanguage) {
    Catalog c;
    ASSERT_TRUE(c.addLanguage("en", "{}").ok());
    ASSERT_TRUE(c.addLanguage("ru", "{}").ok());
    EXPECT_EQ(c.pickLanguage("ru-RU,ru;q=0.9,en;q=0.8"), "ru");
    EXPECT_EQ(c.pickLanguage("de-DE, en;q=0.5"), "en");
    EXPECT_EQ(c.pickLanguage("de"), "en");
    EXPECT_EQ(c.pickLanguage(""), "en");
    EXPECT_EQ(c.pickLanguage("RU"), "ru");
}

TEST(I18nTest, ShippedCatalogsHaveTheSameKeys) {
    auto cat = Catalog::loadDir(assetsDir() / "i18n");
    ASSERT_TRUE(cat.ok()) << cat.error().message;
    auto load = [](const std::string& lang) {
        std::ifstream in(assetsDir() / "i18n" / (lang + ".json"));
        return nlohmann::json::parse(in);
    };
    const auto en = load("en"), ru = load("ru");
    for (auto& [k, v] : en.items()) EXPECT_TRUE(ru.contains(k)) << "ru.json lacks " << k;
    for (auto& [k, v] : ru.items()) EXPECT_TRUE(en.contains(k)) << "en.json lacks " << k;
}

}  // namespace
}  // namespace talon
