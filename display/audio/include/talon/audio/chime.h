// The two-note "ding-dong" played before every announcement, synthesised in code (no files).
#pragma once

#include <cstdint>
#include <vector>

namespace talon::audio {

/// Length of the chime: the second note rings out well within it.
inline constexpr int kChimeMilliseconds = 1200;

/// Mono 16-bit samples of the chime at `sampleRate` (8,000..192,000 Hz; other values are
/// clamped), about 1.2 s long, peaking at half of full scale so speech after it is not drowned.
std::vector<int16_t> chime(int sampleRate);

}  // namespace talon::audio
