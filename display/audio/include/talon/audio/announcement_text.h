// The sentence the board says when it calls a ticket, in Russian or English; pure, no audio.
#pragma once

#include <string>

namespace talon::audio {

/// What the voice says for ticket `number` ("A012") called to `window` (1..999; 0 or less:
/// the window part is left out). `language` "ru" (or "ru-RU"…) gives Russian, anything else
/// English. Russian spells numbers as words ("ноль двенадцать") and names Latin service letters
/// the Russian way ("бэ", "дубль-вэ"); English keeps digits, drops leading zeros and glues the
/// letters to them ("A12": espeak reads a lone "A" as the article). `windowName` is appended
/// when not empty (in English only when it is ASCII, which an English voice can read).
/// `recall` puts "Повторный вызов." / "Once again:" in front.
std::string announcementText(const std::string& number, int window, const std::string& windowName,
                             const std::string& language, bool recall);

}  // namespace talon::audio
