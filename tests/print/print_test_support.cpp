// Helpers for the talon_print tests; zbarimg is a real QR reader, so a QR that passes here
// scans on a phone too.
#include "print_test_support.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace talon::print::test {

TicketPrint russianTicket() {
    TicketPrint t;
    t.header = "Энергосбыт, центр обслуживания № 1";
    t.caption = "Ваш талон";
    t.number = "А012";  // Cyrillic А, as the server issues it
    t.service = "Оплата и счета";
    t.peopleAhead = "Перед вами: 3 человека";
    t.waitEstimate = "Ожидание: около 15 минут";
    t.issuedAt = "Выдан 12.03.2025 в 10:42";
    t.statusUrl = kStatusUrl;
    t.qrCaption = "Отсканируйте, чтобы следить за очередью";
    t.footer = {"Следите за табло"};
    return t;
}

TicketPrint englishTicket() {
    TicketPrint t;
    t.header = "Northern Power, Service Centre No. 1";
    t.caption = "Your ticket";
    t.number = "A012";
    t.service = "Payments and bills";
    t.peopleAhead = "People ahead of you: 3";
    t.waitEstimate = "Estimated wait: about 15 min";
    t.issuedAt = "Issued 12 Mar 2025, 10:42";
    t.statusUrl = kStatusUrl;
    t.qrCaption = "Scan to follow your place in the queue";
    t.footer = {"Watch the board"};
    return t;
}

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "talon-print-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    m_path = pattern;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

std::string zbarDecode(const std::string& imagePath) {
    if (std::system("command -v zbarimg >/dev/null 2>&1") != 0) {
        ADD_FAILURE() << "zbarimg is not installed: install the zbar-tools package (it is in "
                         "the project's package list) to check printed QR codes";
        return "";
    }
    // stderr apart: zbarimg complains there about a missing D-Bus, which is not the code.
    const std::string errPath = imagePath + ".zbar-stderr";
    const std::string command = "zbarimg --raw -q '" + imagePath + "' 2>'" + errPath + "'";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) {
        ADD_FAILURE() << "cannot run " << command;
        return "";
    }
    std::string out;
    char buf[512];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
    const int status = ::pclose(pipe);
    std::ifstream errFile(errPath);
    const std::string err{std::istreambuf_iterator<char>(errFile),
                          std::istreambuf_iterator<char>()};
    std::filesystem::remove(errPath);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        ADD_FAILURE() << "zbarimg found no code in " << imagePath << " (exit status " << status
                      << "): " << out << err;
        return "";
    }
    if (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

}  // namespace talon::print::test
