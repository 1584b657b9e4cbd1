// Speech: text to 16-bit mono samples with espeak-ng, synthesised in memory (no audio device).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "talon/common/result.h"

namespace talon::audio {

/// espeak-ng's native rate; the announcer plays everything at this rate.
inline constexpr int kSpeechSampleRate = 22050;

/// espeak-ng keeps its state in globals and is not thread-safe: every Speech shares one
/// process-wide engine, initialised on first use and kept until exit, and calls are serialised
/// by a lock. Any number of instances may exist; calls may come from any thread.
class Speech {
public:
    /// Initialises espeak-ng with its default data path; a failure is kept and returned by
    /// status() and by every synthesize() call instead of ending the process.
    Speech();

    /// Ok when espeak-ng is usable; otherwise a Config error that says what is missing.
    [[nodiscard]] Status status() const;

    /// Samples per second of synthesize()'s output (kSpeechSampleRate when usable).
    [[nodiscard]] int sampleRate() const { return m_sampleRate; }

    /// Says `text` (UTF-8) with the voice of `language` ("ru", "en", "en-us", …) at announcement
    /// pace, with a sentence pause at the end. Errors: NotFound "voice_missing" when espeak has no
    /// such voice, Config "speech_unavailable" when espeak-ng could not start, Internal
    /// "speech_failed" when synthesis fails.
    Result<std::vector<int16_t>> synthesize(const std::string& text, const std::string& language);

private:
    int m_sampleRate = 0;
};

}  // namespace talon::audio
