// Builds the spoken sentence. Russian numbers are spelled as words here rather than left to
// espeak, so the text we test is exactly what is said.
#include "talon/audio/announcement_text.h"

#include <array>
#include <string_view>
#include <vector>

namespace talon::audio {
namespace {

// How Russians name Latin letters (the school/mathematics names: "бэ", "аш", "игрек"). Mapping
// to look-alike Cyrillic letters instead would make B and V both "вэ" and leave F, Q, W, …
// without one, so every service letter keeps a distinct name.
constexpr std::array<std::string_view, 26> kRussianLetterNames = {
    "а",  "бэ", "цэ", "дэ", "е",  "эф", "гэ", "аш", "и",  "йот",      "ка",  "эль",   "эм",
    "эн", "о",  "пэ", "ку", "эр", "эс", "тэ", "у",  "вэ", "дубль-вэ", "икс", "игрек", "зэт"};

constexpr std::array<std::string_view, 20> kRussianSmall = {
    "ноль",       "один",        "два",        "три",          "четыре",
    "пять",       "шесть",       "семь",       "восемь",       "девять",
    "десять",     "одиннадцать", "двенадцать", "тринадцать",   "четырнадцать",
    "пятнадцать", "шестнадцать", "семнадцать", "восемнадцать", "девятнадцать"};
constexpr std::array<std::string_view, 10> kRussianTens = {
    "",          "",           "двадцать",  "тридцать",    "сорок",
    "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят", "девяносто"};
constexpr std::array<std::string_view, 10> kRussianHundreds = {
    "",        "сто",      "двести",  "триста",    "четыреста",
    "пятьсот", "шестьсот", "семьсот", "восемьсот", "девятьсот"};

void appendWord(std::string& out, std::string_view word) {
    if (word.empty()) return;
    if (!out.empty()) out += ' ';
    out += word;
}

// Counting form ("один", "два"), as numbers on tickets and doors are read. Beyond 999 the digits
// are left to espeak, whose Russian reads thousands correctly.
std::string russianNumber(long long n) {
    if (n < 0 || n > 999) return std::to_string(n);
    if (n < 20) return std::string(kRussianSmall[static_cast<size_t>(n)]);
    std::string out;
    appendWord(out, kRussianHundreds[static_cast<size_t>(n / 100)]);
    const long long rest = n % 100;
    if (rest >= 20) {
        appendWord(out, kRussianTens[static_cast<size_t>(rest / 10)]);
        if (rest % 10 != 0) appendWord(out, kRussianSmall[static_cast<size_t>(rest % 10)]);
    } else if (rest > 0) {
        appendWord(out, kRussianSmall[static_cast<size_t>(rest)]);
    }
    return out;
}

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}
bool isLatin(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
char upper(char c) {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

// A ticket number cut into what is read separately: runs of digits, single Latin letters
// (upper-cased) and other UTF-8 characters (a Cyrillic service letter is kept as it is).
// Separators such as '-' or ' ' are dropped.
struct Token {
    enum Kind { Letter, Digits, Other } kind;
    std::string text;
};

std::vector<Token> tokenize(const std::string& number) {
    std::vector<Token> tokens;
    size_t i = 0;
    while (i < number.size()) {
        const char c = number[i];
        if (isDigit(c)) {
            size_t j = i;
            while (j < number.size() && isDigit(number[j])) ++j;
            tokens.push_back({Token::Digits, number.substr(i, j - i)});
            i = j;
        } else if (isLatin(c)) {
            tokens.push_back({Token::Letter, std::string(1, upper(c))});
            ++i;
        } else if (static_cast<unsigned char>(c) >= 0x80) {
            size_t j = i + 1;
            while (j < number.size() && (static_cast<unsigned char>(number[j]) & 0xC0) == 0x80) ++j;
            tokens.push_back({Token::Other, number.substr(i, j - i)});
            i = j;
        } else {
            ++i;
        }
    }
    return tokens;
}

// "012" -> "ноль двенадцать": each leading zero is said, then the rest as one number.
std::string russianDigits(const std::string& digits) {
    std::string out;
    size_t zeros = 0;
    while (zeros + 1 < digits.size() && digits[zeros] == '0') ++zeros;
    for (size_t k = 0; k < zeros; ++k) appendWord(out, "ноль");
    const std::string rest = digits.substr(zeros);
    if (rest.size() > 3) {
        for (char d : rest) appendWord(out, kRussianSmall[static_cast<size_t>(d - '0')]);
    } else {
        appendWord(out, russianNumber(std::stoll(rest)));
    }
    return out;
}

std::string stripLeadingZeros(const std::string& digits) {
    const size_t first = digits.find_first_not_of('0');
    return first == std::string::npos ? "0" : digits.substr(first);
}

bool isAscii(const std::string& s) {
    for (char c : s) {
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    }
    return true;
}

std::string russianText(const std::string& number, int window, const std::string& windowName,
                        bool recall) {
    std::string ticket;
    for (const Token& t : tokenize(number)) {
        switch (t.kind) {
            case Token::Letter:
                appendWord(ticket, kRussianLetterNames[t.text[0] - 'A']);
                break;
            case Token::Digits:
                appendWord(ticket, russianDigits(t.text));
                break;
            case Token::Other:
                appendWord(ticket, t.text);
                break;
        }
    }
    std::string out = recall ? "Повторный вызов. Талон" : "Талон";
    appendWord(out, ticket);
    if (window > 0) out += ", окно " + russianNumber(window);
    if (!windowName.empty()) out += ", " + windowName;
    return out + ".";
}

std::string englishText(const std::string& number, int window, const std::string& windowName,
                        bool recall) {
    // Letters glued to the digits that follow: "A12" is read "ay twelve", "A 12" "uh twelve".
    std::string ticket;
    bool glue = false;
    for (const Token& t : tokenize(number)) {
        const std::string piece = t.kind == Token::Digits ? stripLeadingZeros(t.text) : t.text;
        if (!glue && !ticket.empty()) ticket += ' ';
        ticket += piece;
        glue = t.kind != Token::Digits;
    }
    std::string out = recall ? "Once again: Ticket" : "Ticket";
    appendWord(out, ticket);
    if (window > 0) out += ", window " + std::to_string(window);
    if (!windowName.empty() && isAscii(windowName)) out += ", " + windowName;
    return out + ".";
}

}  // namespace

std::string announcementText(const std::string& number, int window, const std::string& windowName,
                             const std::string& language, bool recall) {
    const bool russian = language.size() >= 2 && (language[0] == 'r' || language[0] == 'R') &&
                         (language[1] == 'u' || language[1] == 'U') &&
                         (language.size() == 2 || language[2] == '-' || language[2] == '_');
    return russian ? russianText(number, window, windowName, recall)
                   : englishText(number, window, windowName, recall);
}

}  // namespace talon::audio
