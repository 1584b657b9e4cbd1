// Shared by the talon_print tests: sample tickets, a temporary directory and zbarimg.
#pragma once

#include <string>

#include "talon/print/layout.h"

namespace talon::print::test {

inline const std::string kStatusUrl = "http://10.0.0.5:8080/t/42?k=abc";

TicketPrint russianTicket();
TicketPrint englishTicket();

/// A fresh directory under /tmp, removed with everything in it at the end of the scope.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return m_path; }
    std::string file(const std::string& name) const { return m_path + "/" + name; }

private:
    std::string m_path;
};

/// What `zbarimg --raw -q` reads from the image, without the trailing newline. Fails the
/// current test (and returns "") when zbarimg is not installed or reads nothing.
std::string zbarDecode(const std::string& imagePath);

}  // namespace talon::print::test
