// A bell-like "ding-dong": two notes a major third apart (E5 then C5), each a sine with two
// harmonics and a slightly inharmonic partial, struck and left to ring out.
#include "talon/audio/chime.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace talon::audio {
namespace {

constexpr double kDing = 659.25;       // E5
constexpr double kDong = 523.25;       // C5
constexpr double kDongStart = 0.45;    // s: the second note after the first has faded a bit
constexpr double kDecay = 0.28;        // s: time constant of the ring
constexpr double kAttack = 0.006;      // s: a ramp, not a step, so the strike does not click
constexpr double kFadeOut = 0.03;      // s: the last bit goes to zero, no click at the end
constexpr double kPeakFraction = 0.5;  // of full scale: loud enough, never clipping

// Partials of a struck bar: fundamental, octave, twelfth and a faint inharmonic 2.76× partial
// that makes it sound like metal rather than an organ. Higher partials die faster.
struct Partial {
    double ratio, gain, decayScale;
};
constexpr Partial kPartials[] = {
    {1.0, 1.0, 1.0}, {2.0, 0.35, 0.6}, {3.0, 0.12, 0.4}, {2.76, 0.08, 0.3}};

double note(double frequency, double t) {
    if (t < 0) return 0;
    const double attack = std::min(1.0, t / kAttack);
    double sum = 0;
    for (const Partial& p : kPartials) {
        sum += p.gain * std::exp(-t / (kDecay * p.decayScale)) *
               std::sin(2 * std::numbers::pi * frequency * p.ratio * t);
    }
    return attack * sum;
}

}  // namespace

std::vector<int16_t> chime(int sampleRate) {
    const int rate = std::clamp(sampleRate, 8000, 192000);
    const size_t count = static_cast<size_t>(rate) * kChimeMilliseconds / 1000;
    std::vector<double> wave(count);
    double peak = 0;
    for (size_t i = 0; i < count; ++i) {
        const double t = static_cast<double>(i) / rate;
        wave[i] = note(kDing, t) + note(kDong, t - kDongStart);
        const double remaining = static_cast<double>(count - 1 - i) / rate;
        if (remaining < kFadeOut) wave[i] *= remaining / kFadeOut;
        peak = std::max(peak, std::abs(wave[i]));
    }
    const double scale = peak > 0 ? kPeakFraction * 32767.0 / peak : 0;
    std::vector<int16_t> samples(count);
    for (size_t i = 0; i < count; ++i)
        samples[i] = static_cast<int16_t>(std::lround(wave[i] * scale));
    return samples;
}

}  // namespace talon::audio
