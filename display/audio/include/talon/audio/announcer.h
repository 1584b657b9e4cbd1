// Announcer: one background thread that says called tickets aloud, one after another, through
// SDL audio: a chime, then the sentence in each configured language, as one continuous sound.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace talon::audio {

class Speech;

struct Announcement {
    int64_t id = 0;      // the caller's key, echoed in the transcript (e.g. the ticket id)
    std::string number;  // "A012"
    int window = 0;
    std::string windowName;
    std::vector<std::string> languages{"ru", "en"};  // said in this order
    bool recall = false;
};

/// One announcement as it went out. Positions are in samples of the announcer's output stream
/// (kSpeechSampleRate, mono), counted from the first buffer the device asked for, silence
/// included. SDL's disk driver writes exactly this stream, after the buffer or so of silence it
/// writes while the device is still paused right after opening.
struct PlayedItem {
    int64_t id = 0;
    int64_t startSample = 0;
    int64_t lengthSamples = 0;       // 0 when nothing was played
    bool audible = false;            // false on a silent board
    std::vector<std::string> texts;  // what was said, one per language
};

struct AnnouncerOptions {
    /// Silence between the end of one announcement and the start of the next.
    std::chrono::milliseconds pause{600};
    /// Called on the announcer's thread after each item has been played out, before pending()
    /// counts it as done. Must not call back into the Announcer's destructor.
    std::function<void(const PlayedItem&)> onPlayed;
};

class Announcer {
public:
    /// Opens the default SDL audio device (its own SDL audio subsystem reference, so it works
    /// beside SDL video on the main thread; create it on the main thread) and starts the thread.
    /// With no usable device the board is silent: that is logged once and announcements still
    /// complete, with nothing played. If espeak-ng or a voice is missing, the chime and the
    /// other languages are still played, and that is logged once per reason.
    /// Destroy it before SDL_Quit().
    explicit Announcer(AnnouncerOptions options = {});
    /// Drops what is queued and cuts the announcement being played; returns within about one
    /// sentence's synthesis time (well under a second). Drop rather than drain: the board is
    /// closing and nobody is left to hear stale calls.
    ~Announcer();
    Announcer(const Announcer&) = delete;
    Announcer& operator=(const Announcer&) = delete;

    /// Queues an announcement and returns at once. Items are said in the order they came in,
    /// each only after the previous one has been played out completely.
    void announce(Announcement announcement);

    /// Announcements queued or being said.
    [[nodiscard]] size_t pending() const;
    [[nodiscard]] bool idle() const { return pending() == 0; }
    /// Blocks until idle() or the timeout; returns idle().
    bool waitIdle(std::chrono::milliseconds timeout) const;

    /// The announcements finished so far, in order (the last kTranscriptItems of them).
    static constexpr size_t kTranscriptItems = 1000;
    [[nodiscard]] std::vector<PlayedItem> transcript() const;

    /// True when no audio device could be opened: nothing will be heard.
    [[nodiscard]] bool silent() const { return m_device == 0; }
    /// Why the board is silent (SDL's own words), empty when it is not.
    [[nodiscard]] const std::string& silentReason() const { return m_silentReason; }

private:
    void run();
    PlayedItem say(const Announcement& announcement);
    std::vector<int16_t> compose(const Announcement& announcement, std::vector<std::string>& texts);
    /// Hands samples to the audio callback and waits until the device has played them; returns
    /// the stream position of the first sample, or -1 if stopped or the device stalled.
    int64_t play(std::vector<int16_t> samples);
    void warnOnce(const std::string& reason);

    static void audioCallback(void* self, uint8_t* stream, int bytes);
    void fill(int16_t* out, int count);

    AnnouncerOptions m_options;
    std::unique_ptr<Speech> m_speech;
    std::vector<int16_t> m_chime;

    // Queue, transcript and lifecycle; guarded by m_mutex.
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_cv;
    std::deque<Announcement> m_queue;
    bool m_busy = false;  // an announcement taken from the queue is not finished yet
    bool m_stop = false;
    std::vector<PlayedItem> m_transcript;
    std::vector<std::string> m_warned;
    int64_t m_silentPosition = 0;  // the stream position a silent board pretends to be at

    // Shared with SDL's audio thread; guarded by m_playMutex.
    std::mutex m_playMutex;
    std::condition_variable m_playCv;
    std::vector<int16_t> m_playBuffer;
    size_t m_playPos = 0;
    int64_t m_streamPos = 0;   // samples handed to the device since it opened
    int64_t m_startAt = -1;    // stream position of m_playBuffer's first sample, once handed over
    int64_t m_endAt = -1;      // stream position just after its last sample, once handed over
    bool m_playedOut = false;  // a later buffer was requested: the device has played the end
    bool m_cut = false;        // stopping: the callback outputs silence

    uint32_t m_device = 0;  // SDL_AudioDeviceID; 0 when silent
    bool m_sdlAudioInit = false;
    int m_deviceBufferSamples = 0;
    std::string m_silentReason;
    std::chrono::steady_clock::time_point m_lastEnd{};

    std::thread m_thread;  // last: starts after everything above is ready
};

}  // namespace talon::audio
