// espeak-ng in AUDIO_OUTPUT_SYNCHRONOUS mode: espeak_Synth returns once the whole text has been
// handed to our callback, which appends the samples to the caller's vector.
#include "talon/audio/speech.h"

#include <espeak-ng/speak_lib.h>

#include <cstring>
#include <mutex>

namespace talon::audio {
namespace {

// Slower than espeak's 175 words a minute: a waiting hall is noisy and people listen for a number.
constexpr int kWordsPerMinute = 150;

// espeak-ng's state is global, so is ours: one engine per process, one caller at a time.
std::mutex& engineMutex() {
    static std::mutex mutex;
    return mutex;
}

struct Engine {
    int sampleRate = 0;  // 0: espeak-ng failed to start
    std::string error;
};

// Called with engineMutex held. espeak_Terminate is never called: re-initialising after it is
// unreliable in espeak-ng 1.51, and the data it holds is wanted until the board exits.
const Engine& engine() {
    static const Engine instance = [] {
        Engine e;
        // DONT_EXIT: without it a missing data directory makes espeak call exit().
        const int rate =
            espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, espeakINITIALIZE_DONT_EXIT);
        if (rate <= 0) {
            e.error = "espeak-ng could not start; check that espeak-ng-data is installed";
            return e;
        }
        e.sampleRate = rate;
        return e;
    }();
    return instance;
}

int collect(short* wav, int count, espeak_EVENT* events) {
    if (wav != nullptr && count > 0 && events != nullptr && events->user_data != nullptr) {
        auto* out = static_cast<std::vector<int16_t>*>(events->user_data);
        out->insert(out->end(), wav, wav + count);
    }
    return 0;  // 0: go on synthesising
}

}  // namespace

Speech::Speech() {
    std::lock_guard lock(engineMutex());
    m_sampleRate = engine().sampleRate;
}

Status Speech::status() const {
    std::lock_guard lock(engineMutex());
    if (engine().sampleRate <= 0) {
        return makeError(ErrorKind::Config, "speech_unavailable", engine().error);
    }
    return okStatus();
}

Result<std::vector<int16_t>> Speech::synthesize(const std::string& text,
                                                const std::string& language) {
    std::lock_guard lock(engineMutex());
    if (engine().sampleRate <= 0) {
        return makeError(ErrorKind::Config, "speech_unavailable", engine().error);
    }
    // espeak resolves names like "../x" against its data directory: accept language tags only.
    const bool plausible = !language.empty() && language.size() <= 16 &&
                           language.find_first_not_of(
                               "abcdefghijklmnopqrstuvwxyz"
                               "ABCDEFGHIJKLMNOPQRSTUVWXYZ-_0123456789") == std::string::npos;
    if (!plausible || espeak_SetVoiceByName(language.c_str()) != EE_OK) {
        return makeError(ErrorKind::NotFound, "voice_missing",
                         "espeak-ng has no voice for \"" + language +
                             "\"; install its voice data or choose another language");
    }
    espeak_SetParameter(espeakRATE, kWordsPerMinute, 0);
    espeak_SetSynthCallback(collect);

    std::vector<int16_t> samples;
    samples.reserve(static_cast<size_t>(engine().sampleRate) * 4);
    const espeak_ERROR rc = espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0,
                                         espeakCHARS_UTF8 | espeakENDPAUSE, nullptr, &samples);
    if (rc != EE_OK) {
        return makeError(ErrorKind::Internal, "speech_failed",
                         "espeak-ng failed to synthesise the announcement");
    }
    return samples;
}

}  // namespace talon::audio
