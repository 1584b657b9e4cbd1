// Announcer through SDL's disk driver: the captured file is read back to check that a burst of
// calls went to the device whole, in order and without overlap; and a board without a device.
#include "talon/audio/announcer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "talon/audio/chime.h"
#include "talon/audio/speech.h"

namespace {

using namespace std::chrono_literals;
using talon::audio::Announcement;
using talon::audio::Announcer;
using talon::audio::AnnouncerOptions;
using talon::audio::kSpeechSampleRate;
using talon::audio::PlayedItem;

// SDL_DISKAUDIODELAY: milliseconds the disk driver sleeps per 1,024-sample (46 ms) buffer;
// 4 plays about ten times faster than real time.
constexpr const char* kFastDisk = "4";

std::filesystem::path tempFile(const std::string& name) {
    const auto dir =
        std::filesystem::temp_directory_path() / ("talon_audio_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return dir / name;
}

void useDiskAudio(const std::filesystem::path& file, const char* delay) {
    setenv("SDL_AUDIODRIVER", "disk", 1);
    setenv("SDL_DISKAUDIOFILE", file.c_str(), 1);
    if (delay != nullptr) {
        setenv("SDL_DISKAUDIODELAY", delay, 1);
    } else {
        unsetenv("SDL_DISKAUDIODELAY");
    }
}

std::vector<int16_t> readRaw(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<int16_t> samples(bytes.size() / 2);
    std::memcpy(samples.data(), bytes.data(), samples.size() * 2);
    return samples;
}

double rms(const std::vector<int16_t>& s, size_t from, size_t to) {
    double sum = 0;
    for (size_t i = from; i < to; ++i) sum += static_cast<double>(s[i]) * s[i];
    return to > from ? std::sqrt(sum / static_cast<double>(to - from)) : 0;
}

bool chimeAt(const std::vector<int16_t>& file, const std::vector<int16_t>& chime, size_t at) {
    return at + chime.size() <= file.size() &&
           std::equal(chime.begin(), chime.end(), file.begin() + static_cast<ptrdiff_t>(at));
}

Announcement call(int64_t id, std::string number, int window, bool recall = false) {
    Announcement a;
    a.id = id;
    a.number = std::move(number);
    a.window = window;
    a.recall = recall;
    return a;
}

TEST(Announcer, BurstIsPlayedWholeInOrderWithoutOverlap) {
    const auto file = tempFile("burst.raw");
    useDiskAudio(file, kFastDisk);
    std::vector<int64_t> reported;  // written on the announcer's thread, read after it is gone
    std::vector<PlayedItem> transcript;
    {
        AnnouncerOptions options;
        options.pause = 0ms;
        options.onPlayed = [&](const PlayedItem& item) { reported.push_back(item.id); };
        Announcer announcer(options);
        ASSERT_FALSE(announcer.silent()) << announcer.silentReason();
        announcer.announce(call(1, "A001", 1));
        announcer.announce(call(2, "B002", 12));
        announcer.announce(call(3, "C103", 3));
        announcer.announce(call(1, "A001", 1, true));
        EXPECT_FALSE(announcer.idle());
        EXPECT_GE(announcer.pending(), 3u);
        ASSERT_TRUE(announcer.waitIdle(45s));
        EXPECT_EQ(announcer.pending(), 0u);
        transcript = announcer.transcript();
    }  // closing the device flushes the file

    ASSERT_EQ(transcript.size(), 4u);
    EXPECT_EQ(reported, (std::vector<int64_t>{1, 2, 3, 1}));
    const int64_t expectedIds[] = {1, 2, 3, 1};
    for (size_t i = 0; i < transcript.size(); ++i) {
        EXPECT_EQ(transcript[i].id, expectedIds[i]);
        EXPECT_TRUE(transcript[i].audible);
        ASSERT_EQ(transcript[i].texts.size(), 2u);
        if (i > 0) {
            EXPECT_GE(transcript[i].startSample,
                      transcript[i - 1].startSample + transcript[i - 1].lengthSamples)
                << "item " << i << " overlaps the one before";
        }
    }
    EXPECT_EQ(transcript[0].texts[0], "Талон а ноль ноль один, окно один.");
    EXPECT_EQ(transcript[3].texts[1], "Once again: Ticket A1, window 1.");

    // Duration: each item is the chime and its sentences, nothing cut and nothing extra.
    const std::vector<int16_t> chime = talon::audio::chime(kSpeechSampleRate);
    talon::audio::Speech speech;
    for (const PlayedItem& item : transcript) {
        size_t expected = chime.size();
        const char* languages[] = {"ru", "en"};
        for (size_t l = 0; l < 2; ++l) {
            auto s = speech.synthesize(item.texts[l], languages[l]);
            ASSERT_TRUE(s.ok());
            expected += s.value().size();
        }
        // espeak-ng varies by a few hundred samples between runs of the same text.
        EXPECT_NEAR(static_cast<double>(item.lengthSamples), static_cast<double>(expected),
                    0.02 * static_cast<double>(expected));
    }

    // The device wrote silence before the first callback (SDL opens it paused): find where the
    // stream begins in the file by the first chime, then every item must be exactly there.
    const std::vector<int16_t> captured = readRaw(file);
    int64_t total = 0;
    for (const PlayedItem& item : transcript) total += item.lengthSamples;
    ASSERT_GE(static_cast<int64_t>(captured.size()), total);
    size_t firstChime = 0;
    while (firstChime + chime.size() <= captured.size() && !chimeAt(captured, chime, firstChime)) {
        ++firstChime;
    }
    ASSERT_TRUE(chimeAt(captured, chime, firstChime)) << "no chime in the captured audio";
    const int64_t shift = static_cast<int64_t>(firstChime) - transcript[0].startSample;
    EXPECT_GE(shift, 0);
    EXPECT_LT(shift, kSpeechSampleRate);  // at most a few buffers of start-up silence
    for (const PlayedItem& item : transcript) {
        const size_t at = static_cast<size_t>(item.startSample + shift);
        ASSERT_LE(at + static_cast<size_t>(item.lengthSamples), captured.size());
        EXPECT_TRUE(chimeAt(captured, chime, at)) << "item " << item.id;
        // Speech follows the chime: the first second after it is voiced.
        EXPECT_GT(rms(captured, at + chime.size(), at + chime.size() + kSpeechSampleRate), 1000);
    }
    std::filesystem::remove(file);
}

TEST(Announcer, WithoutADeviceItIsSilentAndStillCompletes) {
    setenv("SDL_AUDIODRIVER", "nonexistent", 1);
    Announcer announcer;
    EXPECT_TRUE(announcer.silent());
    EXPECT_FALSE(announcer.silentReason().empty());
    announcer.announce(call(7, "A001", 1));
    announcer.announce(call(8, "A002", 2));
    announcer.announce(call(9, "A002", 2, true));
    ASSERT_TRUE(announcer.waitIdle(5s));
    const std::vector<PlayedItem> transcript = announcer.transcript();
    ASSERT_EQ(transcript.size(), 3u);
    for (size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(transcript[i].id, static_cast<int64_t>(7 + i));
        EXPECT_FALSE(transcript[i].audible);
        EXPECT_EQ(transcript[i].lengthSamples, 0);
    }
    EXPECT_EQ(transcript[2].texts[0], "Повторный вызов. Талон а ноль ноль два, окно два.");
}

TEST(Announcer, DestroyingDropsTheQueueWithoutWaitingForIt) {
    // Real-time disk playback: the queue holds about half a minute of speech.
    const auto file = tempFile("drop.raw");
    useDiskAudio(file, nullptr);
    const auto started = std::chrono::steady_clock::now();
    {
        Announcer announcer;
        ASSERT_FALSE(announcer.silent()) << announcer.silentReason();
        for (int i = 1; i <= 4; ++i) announcer.announce(call(i, "A00" + std::to_string(i), i));
        std::this_thread::sleep_for(300ms);  // the first one is playing
        EXPECT_FALSE(announcer.idle());
    }
    EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
    std::filesystem::remove(file);
}

}  // namespace
