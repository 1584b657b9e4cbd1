// FAQ files: the shipped ones load, and a bad file is an error naming it, never a crash.
#include "talon/kiosk/faq.h"

#include <gtest/gtest.h>

#include "talon/common/paths.h"

namespace talon::kiosk {
namespace {

TEST(FaqTest, ShippedFilesLoadInEveryKioskLanguage) {
    auto faq = loadFaqDir(assetsDir("") / "kiosk" / "faq");
    ASSERT_TRUE(faq) << faq.error().message;
    ASSERT_TRUE(faq.value().count("ru"));
    ASSERT_TRUE(faq.value().count("en"));
    EXPECT_EQ(faq.value().at("ru").size(), faq.value().at("en").size());
}

TEST(FaqTest, BadFilesAreErrors) {
    const std::string big(700, 'x');
    for (const std::string& text : {std::string("{"), std::string("{}"), std::string("[1]"),
                                   std::string(R"([{"q": "?"}])"), std::string(R"([{"q": "", "a": "x"}])"),
                                   std::string(R"([{"q": 5, "a": "x"}])"),
                                   R"([{"q": "?", "a": ")" + big + R"("}])"}) {
        auto faq = parseFaq(text, "ru.json");
        ASSERT_FALSE(faq) << text;
        EXPECT_EQ(faq.error().message.rfind("ru.json: ", 0), 0u) << faq.error().message;
    }
    std::string many = "[";
    for (int i = 0; i < 13; ++i) many += std::string(i ? "," : "") + R"({"q": "?", "a": "!"})";
    EXPECT_FALSE(parseFaq(many + "]", "ru.json"));
}

}  // namespace
}  // namespace talon::kiosk
