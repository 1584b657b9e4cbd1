// Shared by the TOML readers (server, kiosk and board configs, simulator scenarios): toml++
// throws on a syntax error, and every reader wants it as "line N: what" in its own error.
// Header-only: include it from targets that link toml++.
#pragma once

#include <toml++/toml.h>

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

namespace talon {

struct ParsedToml {
    std::optional<toml::table> table;  // set when the text parsed
    std::string error;                 // otherwise "line N: description"
};

inline ParsedToml parseTomlText(std::string_view text, std::string_view sourceName) {
    ParsedToml out;
    try {
        out.table = toml::parse(text, sourceName);
    } catch (const toml::parse_error& e) {
        std::ostringstream msg;
        msg << "line " << e.source().begin.line << ": " << e.description();
        out.error = msg.str();
    }
    return out;
}

/// The first key of `table` not in `known`: readers reject it, so a typo never silently turns
/// a setting off.
inline std::optional<std::string> unknownTomlKey(const toml::table& table,
                                                 std::initializer_list<std::string_view> known) {
    for (auto& [key, value] : table) {
        if (std::find(known.begin(), known.end(), key.str()) == known.end()) return std::string(key.str());
    }
    return std::nullopt;
}

}  // namespace talon
