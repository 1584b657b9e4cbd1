// ApiClient: HTTP status handling and JSON decoding for each endpoint.
#include "talon/common/api_client.h"

#include <nlohmann/json.hpp>
#include <algorithm>
#include <random>

#include "talon/common/wire.h"

namespace talon {

ApiClient::ApiClient(std::string baseUrl, std::string language, HttpOptions options)
    : m_http(std::move(baseUrl), options), m_language(std::move(language)) {}

HttpHeaders ApiClient::headers() const {
    HttpHeaders h{{"Accept-Language", m_language}};
    if (!m_deviceId.empty()) h.emplace_back("X-Talon-Kiosk", m_deviceId);
    return h;
}

template <class T, class Parse>
Result<T> ApiClient::decode(Result<HttpResponse> res, int expectStatus, Parse&& parse) {
    if (!res) return res.error();
    const HttpResponse& r = res.value();
    if (r.status != expectStatus) return wire::parseErrorBody(r.status, r.body);
    return parse(r.body);
}

Status ApiClient::health() {
    auto res = m_http.get("/api/v1/health", headers());
    if (!res) return res.error();
    if (res.value().status != 200) return wire::parseErrorBody(res.value().status, res.value().body);
    return okStatus();
}

Result<std::vector<Service>> ApiClient::services() {
    return decode<std::vector<Service>>(m_http.get("/api/v1/services", headers()), 200,
                                        wire::parseServices);
}

Result<Ticket> ApiClient::issueTicket(const std::string& service, const std::string& key, Priority priority) {
    HttpHeaders h = headers();
    if (!key.empty()) h.emplace_back("Idempotency-Key", key);
    nlohmann::json j = {{"service", service}};
    if (priority != Priority::Normal) j["priority"] = std::string(toString(priority));
    const std::string body = j.dump();
    return decode<Ticket>(m_http.post("/api/v1/tickets", body, h), 201, wire::parseTicket);
}

Result<OfficeInfo> ApiClient::office() {
    return decode<OfficeInfo>(m_http.get("/api/v1/office", headers()), 200, wire::parseOffice);
}

Status ApiClient::reportDevice(const std::string& deviceId, const std::string& printer, const std::string& detail) {
    // Replace broken UTF-8 rather than throw: the detail is a printer's or OS's error text.
    const std::string body = nlohmann::json{{"kind", "kiosk"}, {"printer", printer}, {"detail", detail}}.dump(
        -1, ' ', false, nlohmann::json::error_handler_t::replace);
    auto res = m_http.post("/api/v1/devices/" + deviceId + "/status", body, headers());
    if (!res) return res.error();
    if (res.value().status != 200) return wire::parseErrorBody(res.value().status, res.value().body);
    return okStatus();
}

Result<std::optional<Ticket>> ApiClient::callNext(int window) {
    auto res = m_http.post("/api/v1/windows/" + std::to_string(window) + "/call-next", "{}",
                           headers());
    if (!res) return res.error();
    if (res.value().status == 204) return std::optional<Ticket>{};
    auto t = decode<Ticket>(std::move(res), 200, wire::parseTicket);
    if (!t) return t.error();
    return std::optional<Ticket>(std::move(t).value());
}

Result<Ticket> ApiClient::done(int window) {
    return decode<Ticket>(
        m_http.post("/api/v1/windows/" + std::to_string(window) + "/done", "{}", headers()), 200,
        wire::parseTicket);
}

Result<Window> ApiClient::window(int number) {
    return decode<Window>(m_http.get("/api/v1/windows/" + std::to_string(number), headers()), 200,
                          wire::parseWindow);
}

Result<std::vector<Window>> ApiClient::windows() {
    return decode<std::vector<Window>>(m_http.get("/api/v1/windows", headers()), 200,
                                       wire::parseWindows);
}

Result<Board> ApiClient::board() {
    auto res = m_http.get("/api/v1/board", headers());
    std::optional<WallTime> serverNow;
    if (res) serverNow = parseIso(res.value().header("x-server-time"));
    auto board = decode<Board>(std::move(res), 200, wire::parseBoard);
    if (board) board.value().serverNow = serverNow;
    return board;
}

Result<MeterAccount> ApiClient::lookupAccount(const std::string& number) {
    // Only digits reach the path (the server says what is wrong with anything else).
    std::string path = "/api/v1/accounts/";
    for (char c : number) {
        if (c >= '0' && c <= '9') {
            path += c;
        } else {
            static const char* kHex = "0123456789ABCDEF";
            const auto b = static_cast<unsigned char>(c);
            path += '%';
            path += kHex[b >> 4];
            path += kHex[b & 0xf];
        }
    }
    return decode<MeterAccount>(m_http.get(path, headers()), 200, wire::parseMeterAccount);
}

Result<ReadingReceipt> ApiClient::submitReading(const std::string& body, const std::string& key) {
    HttpHeaders h = headers();
    h.emplace_back("Idempotency-Key", key);
    auto res = m_http.post("/api/v1/readings", body, h);
    if (!res) return res.error();
    // 201 the first time, 200 for the same key again: both carry the receipt.
    if (res.value().status == 200) return wire::parseReadingReceipt(res.value().body);
    return decode<ReadingReceipt>(std::move(res), 201, wire::parseReadingReceipt);
}

Result<AppealReceipt> ApiClient::registerAppeal(const std::string& body, const std::string& key) {
    HttpHeaders h = headers();
    h.emplace_back("Idempotency-Key", key);
    auto res = m_http.post("/api/v1/appeals", body, h);
    if (!res) return res.error();
    // 201 the first time, 200 for the same key again: both carry the receipt.
    if (res.value().status == 200) return wire::parseAppealReceipt(res.value().body);
    return decode<AppealReceipt>(std::move(res), 201, wire::parseAppealReceipt);
}

namespace {

std::string queryEscape(const std::string& text) {
    static const char* kHex = "0123456789ABCDEF";
    std::string out;
    for (char c : text) {
        const auto b = static_cast<unsigned char>(c);
        if ((b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || b == '-' || b == '_' ||
            b == '.' || b == '~') {
            out += c;
        } else {
            out += '%';
            out += kHex[b >> 4];
            out += kHex[b & 0xf];
        }
    }
    return out;
}

}  // namespace

Result<AppealStatus> ApiClient::appealStatus(const std::string& numberOrCode, const std::string& phoneLast4) {
    // Registration numbers start with a letter and the year ("Ж-2026-000123"); the kiosk's
    // local codes are eight Crockford characters with a dash in the middle ("K7F3-A9C2").
    const bool localCode = numberOrCode.size() == 9 && numberOrCode[4] == '-' &&
                           std::all_of(numberOrCode.begin(), numberOrCode.end(), [](char c) {
                               return c == '-' || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
                           });
    const std::string path = std::string("/api/v1/appeals/status?") + (localCode ? "local_code=" : "number=") +
                             queryEscape(numberOrCode) + "&phone=" + queryEscape(phoneLast4);
    return decode<AppealStatus>(m_http.get(path, headers()), 200, wire::parseAppealStatus);
}

std::string newIdempotencyKey() {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    static const char* kHex = "0123456789abcdef";
    std::string key;
    for (int i = 0; i < 2; ++i) {
        uint64_t v = rng();
        for (int j = 0; j < 16; ++j) {
            key += kHex[v & 0xf];
            v >>= 4;
        }
    }
    return key;
}

}  // namespace talon
