// announcementText: Russian and English sentences for letters, leading zeros, windows, recalls.
#include "talon/audio/announcement_text.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

using talon::audio::announcementText;

namespace {

struct Case {
    const char* number;
    int window;
    const char* expected;
};

TEST(AnnouncementText, RussianSpellsLettersZerosAndNumbers) {
    const Case cases[] = {
        {"A012", 3, "Талон а ноль двенадцать, окно три."},
        {"B001", 1, "Талон бэ ноль ноль один, окно один."},
        {"V100", 10, "Талон вэ сто, окно десять."},
        {"C999", 999, "Талон цэ девятьсот девяносто девять, окно девятьсот девяносто девять."},
        {"W020", 21, "Талон дубль-вэ ноль двадцать, окно двадцать один."},
        {"H105", 110, "Талон аш сто пять, окно сто десять."},
        {"Z000", 40, "Талон зэт ноль ноль ноль, окно сорок."},
        {"AB007", 2, "Талон а бэ ноль ноль семь, окно два."},
        {"Y019", 119, "Талон игрек ноль девятнадцать, окно сто девятнадцать."},
        {"F550", 555, "Талон эф пятьсот пятьдесят, окно пятьсот пятьдесят пять."},
        {"q-042", 7, "Талон ку ноль сорок два, окно семь."},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(announcementText(c.number, c.window, "", "ru", false), c.expected) << c.number;
    }
}

TEST(AnnouncementText, RussianNamesEveryLatinLetterDistinctly) {
    std::vector<std::string> names;
    for (char letter = 'A'; letter <= 'Z'; ++letter) {
        const std::string text = announcementText(std::string(1, letter) + "5", 0, "", "ru", false);
        EXPECT_EQ(text.find(letter), std::string::npos) << text;  // no Latin left for espeak
        names.push_back(text);
    }
    std::sort(names.begin(), names.end());
    EXPECT_EQ(std::unique(names.begin(), names.end()), names.end());
    EXPECT_EQ(announcementText("J5", 0, "", "ru", false), "Талон йот пять.");
}

TEST(AnnouncementText, EnglishDropsLeadingZerosAndKeepsLetterOnTheNumber) {
    const Case cases[] = {
        {"A012", 3, "Ticket A12, window 3."},      {"B001", 1, "Ticket B1, window 1."},
        {"C100", 999, "Ticket C100, window 999."}, {"Z000", 40, "Ticket Z0, window 40."},
        {"ab007", 12, "Ticket AB7, window 12."},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(announcementText(c.number, c.window, "", "en", false), c.expected) << c.number;
    }
}

TEST(AnnouncementText, RecallGetsAPrefix) {
    EXPECT_EQ(announcementText("A012", 3, "", "ru", true),
              "Повторный вызов. Талон а ноль двенадцать, окно три.");
    EXPECT_EQ(announcementText("A012", 3, "", "en", true), "Once again: Ticket A12, window 3.");
}

TEST(AnnouncementText, WindowNameAndMissingWindow) {
    EXPECT_EQ(announcementText("A012", 3, "Касса", "ru", false),
              "Талон а ноль двенадцать, окно три, Касса.");
    // An English voice cannot read a Cyrillic name; a Latin one is kept.
    EXPECT_EQ(announcementText("A012", 3, "Касса", "en", false), "Ticket A12, window 3.");
    EXPECT_EQ(announcementText("A012", 3, "Cashier", "en", false),
              "Ticket A12, window 3, Cashier.");
    EXPECT_EQ(announcementText("A012", 0, "", "ru", false), "Талон а ноль двенадцать.");
}

TEST(AnnouncementText, LanguageTagsAndUnknownLanguageFallBackToEnglish) {
    EXPECT_EQ(announcementText("A012", 3, "", "ru-RU", false),
              announcementText("A012", 3, "", "ru", false));
    EXPECT_EQ(announcementText("A012", 3, "", "kk", false), "Ticket A12, window 3.");
    EXPECT_EQ(announcementText("A012", 3, "", "", false), "Ticket A12, window 3.");
    EXPECT_EQ(announcementText("A012", 3, "", "rus", false), "Ticket A12, window 3.");
}

}  // namespace
