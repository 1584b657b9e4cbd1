// libcurl adapter: RAII for the easy handle, curl error codes mapped to Error kinds.
#include "talon/common/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <mutex>

namespace talon {
namespace {

void globalInit() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct SlistDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

Slist makeHeaders(const HttpHeaders& headers, bool json) {
    curl_slist* list = nullptr;
    if (json) list = curl_slist_append(list, "Content-Type: application/json");
    // Disable "Expect: 100-continue", which adds a round trip to every POST.
    list = curl_slist_append(list, "Expect:");
    for (const auto& [k, v] : headers) list = curl_slist_append(list, (k + ": " + v).c_str());
    return Slist(list);
}

Error curlError(CURLcode code, const char* detail) {
    std::string msg = std::string(curl_easy_strerror(code));
    if (detail && *detail) msg += ": " + std::string(detail);
    switch (code) {
        case CURLE_OPERATION_TIMEDOUT: return makeError(ErrorKind::Timeout, "timeout", msg);
        default: return makeError(ErrorKind::Transport, "unreachable", msg);
    }
}

size_t writeToString(char* ptr, size_t size, size_t n, void* user) {
    static_cast<std::string*>(user)->append(ptr, size * n);
    return size * n;
}

struct HeaderSink {
    std::map<std::string, std::string>* headers = nullptr;
    CURL* curl = nullptr;
    const HttpClient::StreamHandlers* handlers = nullptr;
    bool aborted = false;
};

size_t onHeader(char* ptr, size_t size, size_t n, void* user) {
    auto* sink = static_cast<HeaderSink*>(user);
    std::string_view line(ptr, size * n);
    if (line == "\r\n" || line == "\n") {
        if (sink->handlers && sink->handlers->onStart) {
            long status = 0;
            curl_easy_getinfo(sink->curl, CURLINFO_RESPONSE_CODE, &status);
            // Skip interim 1xx responses; only the final header block starts the stream.
            if (status >= 200 && !sink->handlers->onStart(static_cast<int>(status))) {
                sink->aborted = true;
                return 0;
            }
        }
        return size * n;
    }
    auto colon = line.find(':');
    if (colon != std::string_view::npos && sink->headers) {
        std::string name(line.substr(0, colon));
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
        while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
            value.remove_suffix(1);
        (*sink->headers)[name] = std::string(value);
    }
    return size * n;
}

}  // namespace

struct HttpClient::Impl {
    CURL* curl = nullptr;
    char errorBuf[CURL_ERROR_SIZE] = {};
    Impl() {
        globalInit();
        curl = curl_easy_init();
    }
    ~Impl() {
        if (curl) curl_easy_cleanup(curl);
    }
    void reset(const std::string& url, const HttpOptions& options) {
        curl_easy_reset(curl);
        errorBuf[0] = 0;
        curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
        curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errorBuf);
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
        curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                         static_cast<long>(options.connectTimeout.count()));
    }
};

HttpClient::HttpClient(std::string baseUrl, HttpOptions options)
    : m_baseUrl(std::move(baseUrl)), m_options(options), m_impl(std::make_unique<Impl>()) {
    while (!m_baseUrl.empty() && m_baseUrl.back() == '/') m_baseUrl.pop_back();
}

HttpClient::~HttpClient() = default;

Result<HttpResponse> HttpClient::get(std::string_view path, const HttpHeaders& headers) {
    if (!m_impl->curl) return makeError(ErrorKind::Internal, "curl_init", "libcurl failed to start");
    m_impl->reset(m_baseUrl + std::string(path), m_options);
    CURL* c = m_impl->curl;
    HttpResponse res;
    HeaderSink sink{&res.headers, c, nullptr};
    Slist list = makeHeaders(headers, false);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list.get());
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(m_options.timeout.count()));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, writeToString);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &res.body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, onHeader);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &sink);
    CURLcode code = curl_easy_perform(c);
    if (code != CURLE_OK) return curlError(code, m_impl->errorBuf);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    res.status = static_cast<int>(status);
    return res;
}

Result<HttpResponse> HttpClient::post(std::string_view path, std::string_view body,
                                      const HttpHeaders& headers) {
    if (!m_impl->curl) return makeError(ErrorKind::Internal, "curl_init", "libcurl failed to start");
    m_impl->reset(m_baseUrl + std::string(path), m_options);
    CURL* c = m_impl->curl;
    HttpResponse res;
    HeaderSink sink{&res.headers, c, nullptr};
    Slist list = makeHeaders(headers, true);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list.get());
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(m_options.timeout.count()));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, writeToString);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &res.body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, onHeader);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &sink);
    CURLcode code = curl_easy_perform(c);
    if (code != CURLE_OK) return curlError(code, m_impl->errorBuf);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    res.status = static_cast<int>(status);
    return res;
}

namespace {
struct StreamCtx {
    const HttpClient::StreamHandlers* handlers;
    bool aborted = false;
};

size_t onStreamData(char* ptr, size_t size, size_t n, void* user) {
    auto* ctx = static_cast<StreamCtx*>(user);
    if (ctx->handlers->onData && !ctx->handlers->onData(std::string_view(ptr, size * n))) {
        ctx->aborted = true;
        return 0;
    }
    return size * n;
}

int onProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    auto* ctx = static_cast<StreamCtx*>(user);
    if (ctx->handlers->keepGoing && !ctx->handlers->keepGoing()) {
        ctx->aborted = true;
        return 1;
    }
    return 0;
}
}  // namespace

Result<int> HttpClient::stream(std::string_view path, const HttpHeaders& headers,
                               const StreamHandlers& handlers, std::chrono::seconds idleTimeout) {
    if (!m_impl->curl) return makeError(ErrorKind::Internal, "curl_init", "libcurl failed to start");
    m_impl->reset(m_baseUrl + std::string(path), m_options);
    CURL* c = m_impl->curl;
    std::map<std::string, std::string> responseHeaders;
    HeaderSink sink{&responseHeaders, c, &handlers};
    StreamCtx ctx{&handlers};
    Slist list = makeHeaders(headers, false);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list.get());
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, onStreamData);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &ctx);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, onHeader);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &sink);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, onProgress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &ctx);
    // A silent stream (the server sends a ping every 15 s) counts as dead after idleTimeout.
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, static_cast<long>(idleTimeout.count()));
    CURLcode code = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (code == CURLE_OK || ctx.aborted || sink.aborted) return static_cast<int>(status);
    return curlError(code, m_impl->errorBuf);
}

}  // namespace talon
