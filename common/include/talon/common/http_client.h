// A small blocking HTTP client over libcurl. curl.h stays out of this header. A transport
// failure (no answer) is an Error; any HTTP status, even 500, is a response for the caller.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "talon/common/result.h"

namespace talon {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // names in lower case

    std::string header(const std::string& lowerName) const {
        auto it = headers.find(lowerName);
        return it == headers.end() ? std::string{} : it->second;
    }
};

struct HttpOptions {
    std::chrono::milliseconds connectTimeout{2000};
    std::chrono::milliseconds timeout{5000};  // whole request; not used by stream()
};

/// One connection's worth of state (keep-alive is reused between calls). Not thread-safe:
/// use one HttpClient per thread.
class HttpClient {
public:
    explicit HttpClient(std::string baseUrl, HttpOptions options = {});
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    const std::string& baseUrl() const { return m_baseUrl; }

    /// GET baseUrl+path. Errors: Transport (not reached), Timeout.
    Result<HttpResponse> get(std::string_view path, const HttpHeaders& headers = {});
    /// POST a JSON body. Errors as for get().
    Result<HttpResponse> post(std::string_view path, std::string_view body,
                              const HttpHeaders& headers = {});

    struct StreamHandlers {
        std::function<bool(int status)> onStart;            // headers done; false aborts
        std::function<bool(std::string_view chunk)> onData;  // false aborts
        std::function<bool()> keepGoing;                     // polled; false aborts
    };
    /// A long GET (Server-Sent Events). Returns the HTTP status when the server ended the
    /// stream or a handler aborted it; Timeout when nothing arrived for `idleTimeout`.
    Result<int> stream(std::string_view path, const HttpHeaders& headers,
                       const StreamHandlers& handlers, std::chrono::seconds idleTimeout);

private:
    struct Impl;
    std::string m_baseUrl;
    HttpOptions m_options;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace talon
