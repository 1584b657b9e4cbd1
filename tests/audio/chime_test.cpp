// chime: about 1.2 s, loud but never clipping, and it rings out instead of stopping dead.
#include "talon/audio/chime.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace {

double rms(const std::vector<int16_t>& s, size_t from, size_t to) {
    double sum = 0;
    for (size_t i = from; i < to; ++i) sum += static_cast<double>(s[i]) * s[i];
    return std::sqrt(sum / static_cast<double>(to - from));
}

TEST(Chime, LengthPeakAndDecay) {
    for (int rate : {22050, 44100}) {
        const std::vector<int16_t> c = talon::audio::chime(rate);
        EXPECT_EQ(c.size(), static_cast<size_t>(rate) * 12 / 10) << rate;
        int peak = 0;
        for (int16_t s : c) peak = std::max(peak, std::abs(static_cast<int>(s)));
        EXPECT_LT(peak, 32767 * 3 / 4);  // headroom
        EXPECT_GT(peak, 32767 / 4);      // and still clearly audible
        const size_t ms = static_cast<size_t>(rate) / 1000;
        const double head = rms(c, 0, 200 * ms);
        const double tail = rms(c, c.size() - 100 * ms, c.size());
        EXPECT_GT(head, 2000);
        EXPECT_LT(tail, head / 4);
        EXPECT_EQ(c.back(), 0);  // faded out: no click where speech begins
    }
}

TEST(Chime, HasTwoNotes) {
    // "ding-dong": a second strike makes the energy jump up again after the first has decayed.
    const std::vector<int16_t> c = talon::audio::chime(22050);
    const size_t ms = 22;
    EXPECT_GT(rms(c, 470 * ms, 520 * ms), rms(c, 380 * ms, 430 * ms) * 1.3);
}

}  // namespace
