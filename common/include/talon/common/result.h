// Result<T>: the return value of every operation that can fail in an expected way
// (validation, not found, server unreachable). Exceptions stay inside library adapters.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace talon {

/// What kind of failure happened; `Transport` (no HTTP answer at all) is kept apart from
/// `Http` (the server answered with an error status) so clients can choose the right screen.
enum class ErrorKind {
    Transport,    // connection refused, DNS, reset: the peer was not reached
    Timeout,      // the peer did not answer in time
    Http,         // the peer answered with a 4xx/5xx status; see Error::status and Error::code
    BadResponse,  // the peer answered something we cannot parse
    Invalid,      // the caller's input is invalid
    NotFound,
    Conflict,
    Storage,      // the database failed
    Config,       // a configuration file is wrong
    Internal,
};

struct Error {
    ErrorKind kind = ErrorKind::Internal;
    std::string code;     // stable machine code, e.g. "unknown_service"
    std::string message;  // a sentence for a person
    int status = 0;       // HTTP status when kind == Http
    /// Values for the placeholders of the message template "error.<code>" in the catalogs.
    std::vector<std::pair<std::string, std::string>> params;

    [[nodiscard]] bool unreachable() const {
        return kind == ErrorKind::Transport || kind == ErrorKind::Timeout;
    }
};

/// Either a value or an Error. Check with `ok()` (or `if (result)`) before `value()`.
template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_data(std::move(value)) {}      // NOLINT: implicit by design
    Result(Error error) : m_data(std::move(error)) {}  // NOLINT: implicit by design

    [[nodiscard]] bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & {
        assert(ok());
        return std::get<0>(m_data);
    }
    const T& value() const& {
        assert(ok());
        return std::get<0>(m_data);
    }
    /// On a temporary Result the value is moved out, so `for (x : f().value())` is safe.
    T value() && {
        assert(ok());
        return std::get<0>(std::move(m_data));
    }
    const Error& error() const {
        assert(!ok());
        return std::get<1>(m_data);
    }

private:
    std::variant<T, Error> m_data;
};

struct Unit {};
using Status = Result<Unit>;
inline Status okStatus() { return Unit{}; }

inline Error makeError(ErrorKind kind, std::string code, std::string message, int status = 0) {
    return Error{kind, std::move(code), std::move(message), status, {}};
}

}  // namespace talon
