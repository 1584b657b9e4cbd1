// The announcer feeds SDL audio through its own callback rather than SDL_QueueAudio: the
// callback sees every sample the device takes, silence included, so the transcript can say
// exactly where in the output stream each announcement went and when its end has been played.
#include "talon/audio/announcer.h"

#include <SDL.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>

#include "talon/audio/announcement_text.h"
#include "talon/audio/chime.h"
#include "talon/audio/speech.h"

namespace talon::audio {
namespace {

// ~46 ms at 22,050 Hz: short enough that an announcement starts promptly, long enough that a
// busy board does not starve the audio thread.
constexpr int kDeviceBufferSamples = 1024;
// A device that stops asking for samples (unplugged speakers) must not freeze the queue.
constexpr auto kStallMargin = std::chrono::seconds(5);

std::chrono::microseconds samplesToTime(int64_t samples) {
    return std::chrono::microseconds(samples * 1'000'000 / kSpeechSampleRate);
}

}  // namespace

Announcer::Announcer(AnnouncerOptions options)
    : m_options(std::move(options)),
      m_speech(std::make_unique<Speech>()),
      m_chime(chime(kSpeechSampleRate)) {
    if (const Status speech = m_speech->status(); !speech) warnOnce(speech.error().message);

    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
        m_silentReason = SDL_GetError();
    } else {
        m_sdlAudioInit = true;
        SDL_AudioSpec want{};
        want.freq = kSpeechSampleRate;
        want.format = AUDIO_S16SYS;
        want.channels = 1;
        want.samples = kDeviceBufferSamples;
        want.callback = &Announcer::audioCallback;
        want.userdata = this;
        SDL_AudioSpec have{};
        // No allowed changes: SDL converts to whatever the hardware wants, our stream stays
        // 22,050 Hz mono S16 and the transcript's positions stay in it.
        m_device = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);
        if (m_device == 0) {
            m_silentReason = SDL_GetError();
            SDL_QuitSubSystem(SDL_INIT_AUDIO);
            m_sdlAudioInit = false;
        } else {
            m_deviceBufferSamples = have.samples;
            SDL_PauseAudioDevice(m_device, 0);
        }
    }
    if (m_device == 0) {
        if (m_silentReason.empty()) m_silentReason = "no audio device";
        spdlog::warn("board audio: silent, calls are shown but not announced ({})", m_silentReason);
    }
    m_thread = std::thread([this] { run(); });
}

Announcer::~Announcer() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        m_queue.clear();
    }
    m_cv.notify_all();
    {
        std::lock_guard lock(m_playMutex);
        m_cut = true;
    }
    m_playCv.notify_all();
    if (m_thread.joinable()) m_thread.join();
    // Closing waits for SDL's audio thread, so no callback runs on a half-destroyed object.
    if (m_device != 0) SDL_CloseAudioDevice(m_device);
    if (m_sdlAudioInit) SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

void Announcer::announce(Announcement announcement) {
    {
        std::lock_guard lock(m_mutex);
        if (m_stop) return;
        m_queue.push_back(std::move(announcement));
    }
    m_cv.notify_all();
}

size_t Announcer::pending() const {
    std::lock_guard lock(m_mutex);
    return m_queue.size() + (m_busy ? 1 : 0);
}

bool Announcer::waitIdle(std::chrono::milliseconds timeout) const {
    std::unique_lock lock(m_mutex);
    return m_cv.wait_for(lock, timeout, [this] { return m_queue.empty() && !m_busy; });
}

std::vector<PlayedItem> Announcer::transcript() const {
    std::lock_guard lock(m_mutex);
    return m_transcript;
}

void Announcer::run() {
    for (;;) {
        Announcement next;
        {
            std::unique_lock lock(m_mutex);
            m_cv.wait(lock, [this] { return m_stop || !m_queue.empty(); });
            if (m_stop) return;
            next = std::move(m_queue.front());
            m_queue.pop_front();
            m_busy = true;
            // Back-to-back calls get a breath between them; m_stop cuts the wait short.
            if (!silent() && m_lastEnd != std::chrono::steady_clock::time_point{} &&
                m_options.pause.count() > 0) {
                m_cv.wait_until(lock, m_lastEnd + m_options.pause, [this] { return m_stop; });
                if (m_stop) return;
            }
        }
        PlayedItem item = say(next);
        m_lastEnd = std::chrono::steady_clock::now();
        {
            std::lock_guard lock(m_mutex);
            if (m_stop) return;  // cut short: not a finished announcement
        }
        if (m_options.onPlayed) m_options.onPlayed(item);
        {
            std::lock_guard lock(m_mutex);
            m_transcript.push_back(std::move(item));
            // A board runs for months: keep the recent past only.
            if (m_transcript.size() > kTranscriptItems) m_transcript.erase(m_transcript.begin());
            m_busy = false;
        }
        m_cv.notify_all();
    }
}

PlayedItem Announcer::say(const Announcement& announcement) {
    PlayedItem item;
    item.id = announcement.id;
    for (const std::string& language : announcement.languages) {
        item.texts.push_back(announcementText(announcement.number, announcement.window,
                                              announcement.windowName, language,
                                              announcement.recall));
    }
    if (silent()) {
        // Nothing is synthesised for nobody; the item still completes in order.
        std::lock_guard lock(m_mutex);
        item.startSample = m_silentPosition;
        return item;
    }
    std::vector<int16_t> samples = compose(announcement, item.texts);
    item.lengthSamples = static_cast<int64_t>(samples.size());
    const int64_t start = play(std::move(samples));
    item.audible = start >= 0;
    item.startSample = item.audible ? start : 0;
    if (!item.audible) item.lengthSamples = 0;
    return item;
}

std::vector<int16_t> Announcer::compose(const Announcement& announcement,
                                        std::vector<std::string>& texts) {
    std::vector<int16_t> samples = m_chime;
    for (size_t i = 0; i < texts.size(); ++i) {
        {
            std::lock_guard lock(m_mutex);
            if (m_stop) break;
        }
        if (m_speech->sampleRate() != kSpeechSampleRate) {
            warnOnce("espeak-ng speaks at an unexpected rate; announcements are a chime only");
            break;
        }
        auto speech = m_speech->synthesize(texts[i], announcement.languages[i]);
        if (!speech) {
            warnOnce(speech.error().message);
            continue;
        }
        samples.insert(samples.end(), speech.value().begin(), speech.value().end());
    }
    return samples;
}

int64_t Announcer::play(std::vector<int16_t> samples) {
    const int64_t count = static_cast<int64_t>(samples.size());
    if (count == 0) return -1;
    int64_t start = -1;
    bool stalled = false;
    {
        std::unique_lock lock(m_playMutex);
        m_playBuffer = std::move(samples);
        m_playPos = 0;
        m_startAt = -1;
        m_endAt = -1;
        m_playedOut = false;
        const auto deadline = std::chrono::steady_clock::now() + samplesToTime(count) +
                              samplesToTime(m_deviceBufferSamples) + kStallMargin;
        const bool done =
            m_playCv.wait_until(lock, deadline, [this] { return m_playedOut || m_cut; });
        stalled = !done;
        if (done && !m_cut) start = m_startAt;
        // Whatever was not played is dropped so that a late callback cannot play it later.
        m_playBuffer.clear();
        m_playPos = 0;
    }
    if (stalled) {
        warnOnce("the audio device stopped playing; an announcement was skipped");
        return -1;
    }
    if (start < 0) return -1;
    // The callback asking for the next buffer means the last one was handed to the hardware,
    // which still needs about one buffer's time to sound it.
    std::unique_lock lock(m_mutex);
    m_cv.wait_for(lock, samplesToTime(m_deviceBufferSamples), [this] { return m_stop; });
    return start;
}

void Announcer::warnOnce(const std::string& reason) {
    {
        std::lock_guard lock(m_mutex);
        if (std::find(m_warned.begin(), m_warned.end(), reason) != m_warned.end()) return;
        m_warned.push_back(reason);
    }
    spdlog::warn("board audio: {}", reason);
}

void Announcer::audioCallback(void* self, uint8_t* stream, int bytes) {
    static_cast<Announcer*>(self)->fill(reinterpret_cast<int16_t*>(stream),
                                        bytes / static_cast<int>(sizeof(int16_t)));
}

void Announcer::fill(int16_t* out, int count) {
    std::lock_guard lock(m_playMutex);
    if (m_endAt >= 0 && !m_playedOut && m_streamPos >= m_endAt) {
        m_playedOut = true;
        m_playCv.notify_all();
    }
    size_t written = 0;
    if (!m_cut && m_playPos < m_playBuffer.size()) {
        if (m_playPos == 0) m_startAt = m_streamPos;
        written = std::min(static_cast<size_t>(count), m_playBuffer.size() - m_playPos);
        std::memcpy(out, m_playBuffer.data() + m_playPos, written * sizeof(int16_t));
        m_playPos += written;
        if (m_playPos == m_playBuffer.size()) {
            m_endAt = m_streamPos + static_cast<int64_t>(written);
        }
    }
    std::fill(out + written, out + count, int16_t{0});
    m_streamPos += count;
}

}  // namespace talon::audio
