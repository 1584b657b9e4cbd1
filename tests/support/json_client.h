// A JSON client for integration tests: GET and POST through the real HttpClient with an
// optional session (Bearer token or a raw Cookie header) and Accept-Language, the answer's
// status, JSON body, error code and message at hand.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "talon/common/http_client.h"

namespace talon::test {

struct Reply {
    int status = 0;
    nlohmann::json body;
    HttpResponse raw;
    std::string code() const {
        return body.is_object() && body.contains("error") ? body["error"].value("code", "") : "";
    }
    std::string message() const {
        return body.is_object() && body.contains("error") ? body["error"].value("message", "") : "";
    }
};

class JsonClient {
public:
    explicit JsonClient(const std::string& url) : m_http(url) {}
    Reply post(const std::string& path, const nlohmann::json& body, const std::string& token = {},
               const std::string& lang = "en", const std::string& cookie = {}) {
        return reply(m_http.post(path, body.dump(), headers(token, lang, cookie)));
    }
    Reply get(const std::string& path, const std::string& token = {},
              const std::string& lang = "en", const std::string& cookie = {}) {
        return reply(m_http.get(path, headers(token, lang, cookie)));
    }
    /// Logs in and returns the token (empty on failure, which fails the test).
    std::string login(const std::string& login, const std::string& password) {
        Reply r = post("/api/v1/login", {{"login", login}, {"password", password}});
        EXPECT_EQ(r.status, 200) << r.raw.body;
        return r.status == 200 ? r.body["token"].get<std::string>() : std::string{};
    }
    /// Logs in and takes `window` with `services` (empty: all of it); the token.
    std::string atWindow(const std::string& user, const std::string& password, int window,
                         const std::vector<std::string>& services = {}) {
        const std::string token = login(user, password);
        Reply r =
            post("/api/v1/session/window", {{"window", window}, {"services", services}}, token);
        EXPECT_EQ(r.status, 200) << r.raw.body;
        return token;
    }

private:
    static HttpHeaders headers(const std::string& token, const std::string& lang,
                               const std::string& cookie) {
        HttpHeaders h{{"Accept-Language", lang}};
        if (!token.empty()) h.push_back({"Authorization", "Bearer " + token});
        if (!cookie.empty()) h.push_back({"Cookie", cookie});
        return h;
    }
    static Reply reply(const Result<HttpResponse>& r) {
        EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
        Reply out;
        if (!r.ok()) return out;
        out.status = r.value().status;
        out.raw = r.value();
        if (!out.raw.body.empty()) out.body = nlohmann::json::parse(out.raw.body, nullptr, false);
        return out;
    }
    HttpClient m_http;
};

}  // namespace talon::test
