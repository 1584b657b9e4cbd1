// Speech: real espeak-ng in Russian and English, and a clean error for a voice it does not have.
#include "talon/audio/speech.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

#include "talon/audio/announcement_text.h"

namespace {

using talon::audio::kSpeechSampleRate;
using talon::audio::Speech;

void expectPlausibleSpeech(const std::vector<int16_t>& s) {
    const double seconds = static_cast<double>(s.size()) / kSpeechSampleRate;
    EXPECT_GT(seconds, 1.0);
    EXPECT_LT(seconds, 6.0);
    const size_t loud = static_cast<size_t>(
        std::count_if(s.begin(), s.end(), [](int16_t v) { return std::abs(v) > 1000; }));
    EXPECT_GT(loud, s.size() / 10);  // mostly voice, not silence
}

TEST(Speech, RussianAndEnglishAnnouncements) {
    Speech speech;
    ASSERT_TRUE(speech.status().ok()) << speech.status().error().message;
    EXPECT_EQ(speech.sampleRate(), kSpeechSampleRate);
    for (const char* language : {"ru", "en"}) {
        const std::string text = talon::audio::announcementText("A012", 3, "", language, false);
        auto samples = speech.synthesize(text, language);
        ASSERT_TRUE(samples.ok()) << language << ": " << samples.error().message;
        expectPlausibleSpeech(samples.value());
    }
}

TEST(Speech, LongerTextTakesLonger) {
    Speech speech;
    auto shortOne = speech.synthesize("Талон а пять.", "ru");
    auto longOne = speech.synthesize("Повторный вызов. Талон а ноль двенадцать, окно три.", "ru");
    ASSERT_TRUE(shortOne.ok() && longOne.ok());
    EXPECT_GT(longOne.value().size(), shortOne.value().size() * 3 / 2);
}

TEST(Speech, MissingVoiceIsAnError) {
    Speech speech;
    for (const char* language : {"xx", "", "../ru"}) {
        auto samples = speech.synthesize("Hello.", language);
        ASSERT_FALSE(samples.ok()) << language;
        EXPECT_EQ(samples.error().kind, talon::ErrorKind::NotFound);
        EXPECT_EQ(samples.error().code, "voice_missing");
    }
    // The engine is still usable after a failed voice change.
    EXPECT_TRUE(speech.synthesize("Ticket A12.", "en").ok());
}

}  // namespace
