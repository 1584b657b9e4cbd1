// Route handlers. Every body is parsed inside a try block: malformed input answers 4xx and
// never reaches the store.
#include "talon/server/http_api.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>

#include "talon/common/wire.h"
#include "talon/server/bad_request.h"
#include "talon/server/reading_export.h"

namespace talon::server {
namespace {

using nlohmann::json;

void sendJson(httplib::Response& res, int status, const json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json; charset=utf-8");
}

std::optional<int64_t> parseInt(std::string_view text) {
    int64_t v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || p != text.data() + text.size()) return std::nullopt;
    return v;
}

int statusFor(const Error& e) {
    if (e.code == "unknown_service" || e.code == "reading_below_previous" || e.code == "reading_needs_confirmation" ||
        e.code == "appeal_deadline_not_later" || e.code == "appeal_deadline_not_working_day") {
        return 422;
    }
    if (e.code == "bad_login" || e.code == "no_session" || e.code == "session_expired") return 401;
    if (e.code == "window_not_allowed" || e.code == "not_your_window" || e.code == "account_disabled") return 403;
    if (e.code == "too_many_attempts") return 429;
    if (e.code == "bad_request" || e.code == "bad_outcome") return 400;
    switch (e.kind) {
        case ErrorKind::NotFound: return 404;
        case ErrorKind::Conflict: return 409;
        case ErrorKind::Invalid: return 400;
        default: return 500;
    }
}

bool validIdempotencyKey(const std::string& key) {
    if (key.empty() || key.size() > 128) return false;
    for (unsigned char c : key) {
        if (c < 0x21 || c > 0x7e) return false;
    }
    return true;
}

constexpr const char* kSessionCookie = "talon_session";

/// The session token of a request: `Authorization: Bearer TOKEN`, else the talon_session
/// cookie; empty when neither.
std::string requestToken(const httplib::Request& req) {
    const std::string auth = req.get_header_value("Authorization");
    if (!auth.empty()) {
        if (auth.size() < 7 || !std::equal(auth.begin(), auth.begin() + 7, "bearer ", [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == b;
            })) {
            return {};
        }
        std::string token = auth.substr(7);
        token.erase(0, token.find_first_not_of(' '));
        token.erase(token.find_last_not_of(' ') + 1);
        return token;
    }
    const std::string cookies = req.get_header_value("Cookie");
    const std::string name = std::string(kSessionCookie) + "=";
    for (size_t start = 0; start < cookies.size();) {
        size_t end = cookies.find(';', start);
        if (end == std::string::npos) end = cookies.size();
        std::string part = cookies.substr(start, end - start);
        part.erase(0, part.find_first_not_of(' '));
        if (part.rfind(name, 0) == 0) return part.substr(name.size());
        start = end + 1;
    }
    return {};
}

json userJson(const User& u) {
    return {{"login", u.login}, {"name", u.name}, {"role", u.role}, {"windows", u.windows}};
}

/// The whole file, or nothing when it cannot be read.
std::optional<std::string> readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

json waitingJson(const WaitingTicket& t) {
    return {{"id", t.id},
            {"number", t.number},
            {"service", t.service},
            {"priority", toString(t.priority)},
            {"issued_at", formatIso(t.issuedAt)},
            {"assigned_window", t.assignedWindow ? json(*t.assignedWindow) : json(nullptr)},
            {"wait_seconds", t.waitSeconds}};
}

json stepJson(const TicketTransition& step) {
    auto orNull = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
    json detail = step.detail.empty() ? json::object() : json::parse(step.detail, nullptr, false);
    if (!detail.is_object()) detail = json::object();
    return {{"at", formatIso(step.at)},
            {"action", step.action},
            {"from", step.from ? json(toString(*step.from)) : json(nullptr)},
            {"to", toString(step.to)},
            {"window", step.window ? json(*step.window) : json(nullptr)},
            {"clerk", orNull(step.clerk)},
            {"clerk_name", orNull(step.clerkName)},
            {"detail", detail}};
}

json clerkDayJson(const ClerkDay& d) {
    auto opt = [](const std::optional<int>& v) { return v ? json(*v) : json(nullptr); };
    return {{"day", d.day},
            {"served", d.served},
            {"no_shows", d.noShows},
            {"transferred", d.transferred},
            {"returned", d.returned},
            {"avg_service_seconds", opt(d.avgServiceSeconds)},
            {"avg_wait_seconds", opt(d.avgWaitSeconds)},
            {"last_done_at", d.lastDoneAt ? json(formatIso(*d.lastDoneAt)) : json(nullptr)}};
}

/// A ticket number as a clerk types it, in capitals. Numbers are printed in Latin letters; a
/// Cyrillic letter that looks like one (А В Е К М Н О Р С Т У Х, typed on a Russian layout)
/// counts as it, any other Cyrillic letter stays (and matches no ticket). nullopt unless 1–16
/// letters (Latin or Cyrillic) and digits.
std::optional<std::string> typedNumber(const std::string& text) {
    // Cyrillic capitals U+0410 (А) .. U+042F (Я) by offset; 0: no Latin look-alike.
    static constexpr std::array<char, 32> kLookAlike = {
        'A', 0, 'B', 0, 0, 'E', 0, 0, 0, 0, 'K', 0, 'M', 'H', 'O', 0,  // А Б В Г Д Е Ж З И Й К Л М Н О П
        'P', 'C', 'T', 'Y', 0, 'X', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,      // Р С Т У Ф Х Ц Ч Ш Щ Ъ Ы Ь Э Ю Я
    };
    std::string out;
    size_t letters = 0;
    for (size_t i = 0; i < text.size(); ++letters) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (letters == 16) return std::nullopt;
        if (c < 0x80) {
            if (!std::isalnum(c)) return std::nullopt;
            out += static_cast<char>(std::toupper(c));
            ++i;
            continue;
        }
        // Cyrillic in UTF-8: D0 or D1 (U+0400..U+047F), then a continuation byte.
        if ((c != 0xD0 && c != 0xD1) || i + 1 >= text.size()) return std::nullopt;
        const auto next = static_cast<unsigned char>(text[i + 1]);
        if ((next & 0xC0) != 0x80) return std::nullopt;
        int code = ((c & 0x1F) << 6) | (next & 0x3F);
        if (code >= 0x430 && code <= 0x44F) code -= 0x20;  // lower case а..я
        if (code < 0x410 || code > 0x42F) {
            if (code != 0x401 && code != 0x451) return std::nullopt;  // Ё ё; anything else is no letter
            out += "\xD0\x81";
        } else if (const char latin = kLookAlike[static_cast<size_t>(code - 0x410)]; latin != 0) {
            out += latin;
        } else {
            out += static_cast<char>(0xC0 | (code >> 6));
            out += static_cast<char>(0x80 | (code & 0x3F));
        }
        i += 2;
    }
    if (letters == 0) return std::nullopt;
    return out;
}

json sessionJson(const Session& s, const AuthConfig& config) {
    return {{"user", userJson(s.user)},
            {"window", s.window ? json(*s.window) : json(nullptr)},
            {"services", s.services},
            {"expires_at", formatIso(s.expiresAt)},
            {"idle_timeout_seconds", config.sessionIdleSeconds}};
}

}  // namespace

std::optional<json> HttpApi::parseBody(const httplib::Request& req, httplib::Response& res) const {
    if (req.body.empty()) return json::object();
    json body;
    try {
        body = json::parse(req.body);
    } catch (const json::exception&) {
        sendError(req, res, 400, makeError(ErrorKind::Invalid, "bad_json", ""));
        return std::nullopt;
    }
    if (!body.is_object()) {
        sendError(req, res, 400, badField("detail.body_not_object"));
        return std::nullopt;
    }
    return body;
}

std::optional<std::string> HttpApi::submissionKey(const httplib::Request& req, httplib::Response& res) const {
    if (!req.has_header("Idempotency-Key")) {
        sendError(req, res, 400, badField("detail.idempotency_key_required"));
        return std::nullopt;
    }
    std::string key = req.get_header_value("Idempotency-Key");
    if (!validIdempotencyKey(key)) {
        sendError(req, res, 400, badField("detail.idempotency_key"));
        return std::nullopt;
    }
    return key;
}

std::string HttpApi::kioskName(const httplib::Request& req) {
    // Kept as printable ASCII, so the export (JSON and CSV) never meets bytes it cannot write.
    std::string kiosk = req.get_header_value("X-Talon-Kiosk").substr(0, LookupLimiter::kMaxClientBytes);
    for (char& c : kiosk) {
        if (c < 0x20 || c > 0x7e) c = '?';
    }
    return kiosk;
}

std::optional<HttpApi::StepInput> HttpApi::readStep(const httplib::Request& req, httplib::Response& res) const {
    auto body = parseBody(req, res);
    if (!body) return std::nullopt;
    StepInput in{std::move(*body), {}};
    if (auto it = in.body.find("clerk"); it != in.body.end()) {
        if (!it->is_string() || it->get<std::string>().size() > 64) {
            sendError(req, res, 400, badField("detail.clerk"));
            return std::nullopt;
        }
        in.actor.clerk = it->get<std::string>();
    }
    return in;
}

std::optional<HttpApi::StepInput> HttpApi::readWindowStep(const httplib::Request& req, httplib::Response& res,
                                                          int window) {
    const std::string token = requestToken(req);
    std::optional<Session> session;
    if (m_requireLogin) {
        auto found = m_auth.authenticate(token);
        if (!found) {
            sendDomainError(req, res, found.error());
            return std::nullopt;
        }
        if (found.value().window != window) {
            Error e = makeError(ErrorKind::Invalid, "not_your_window", "");
            e.params = {{"window", std::to_string(window)}};
            sendError(req, res, 403, e);
            return std::nullopt;
        }
        session = std::move(found).value();
    } else if (!token.empty()) {
        // Logins off, but a console logged in anyway: at its own window it acts as its clerk
        // with the services chosen there; any other session changes nothing.
        auto found = m_auth.authenticate(token);
        if (found && found.value().window == window) session = std::move(found).value();
    }
    auto in = readStep(req, res);
    if (!in) return std::nullopt;
    if (session) {
        in->actor.clerk = session->user.login;  // who is logged in, not what the body says
        in->services = session->services;
    }
    return in;
}

bool HttpApi::mayRead(const httplib::Request& req, httplib::Response& res) {
    if (!m_requireLogin) return true;
    auto session = m_auth.authenticate(requestToken(req), false);
    if (!session) sendDomainError(req, res, session.error());
    return session.ok();
}

std::optional<std::string> HttpApi::mayChange(const httplib::Request& req, httplib::Response& res,
                                             bool adminOnly) {
    if (!m_requireLogin) return std::string{};
    auto session = m_auth.authenticate(requestToken(req));
    if (!session) {
        sendDomainError(req, res, session.error());
        return std::nullopt;
    }
    if (adminOnly && session.value().user.role != "admin") {
        sendError(req, res, 403, makeError(ErrorKind::Invalid, "admin_only", ""));
        return std::nullopt;
    }
    return session.value().user.login;
}

std::optional<int64_t> HttpApi::pathTicketId(const httplib::Request& req, httplib::Response& res,
                                             size_t group) const {
    auto id = parseInt(req.matches[group].str());
    if (!id || *id < 1) {
        Error e = makeError(ErrorKind::NotFound, "unknown_ticket", "");
        e.params = {{"ticket", req.matches[group].str()}};
        sendError(req, res, 404, e);
        return std::nullopt;
    }
    return *id;
}

void HttpApi::installClerkReads(httplib::Server& svr) {
    // GET /api/v1/queue?service=A&service=B&number=A012&limit=50
    svr.Get("/api/v1/queue", [this](const httplib::Request& req, httplib::Response& res) {
        res.set_header("Cache-Control", "no-store");
        if (!mayRead(req, res)) return;
        QueueQuery query;
        const size_t services = req.get_param_value_count("service");
        if (services > 64) return sendError(req, res, 400, badField("detail.queue_services"));
        for (size_t i = 0; i < services; ++i) {
            std::string letter = req.get_param_value("service", i);
            if (letter.empty() || letter.size() > 32) return sendError(req, res, 400, badField("detail.service_length"));
            query.services.push_back(std::move(letter));
        }
        if (req.has_param("number")) {
            auto number = typedNumber(req.get_param_value("number"));
            if (!number) return sendError(req, res, 400, badField("detail.queue_number"));
            query.number = std::move(*number);
        }
        if (req.has_param("limit")) {
            auto limit = parseInt(req.get_param_value("limit"));
            if (!limit || *limit < 1 || *limit > 1000) return sendError(req, res, 400, badField("detail.queue_limit"));
            query.limit = static_cast<int>(*limit);
        }
        if (req.has_param("window")) {
            auto window = parseInt(req.get_param_value("window"));
            if (!window || *window < 1 || *window > 999) return sendError(req, res, 400, badField("detail.queue_window"));
            query.window = static_cast<int>(*window);
        }
        auto listing = m_store.waitingTickets(query);
        if (!listing) return sendDomainError(req, res, listing.error());
        json tickets = json::array();
        for (const auto& t : listing.value().tickets) tickets.push_back(waitingJson(t));
        sendJson(res, 200, {{"total", listing.value().total}, {"tickets", tickets}});
    });

    svr.Get(R"(/api/v1/tickets/([^/]+)/history)", [this](const httplib::Request& req, httplib::Response& res) {
        res.set_header("Cache-Control", "no-store");
        if (!mayRead(req, res)) return;
        auto id = pathTicketId(req, res, 1);
        if (!id) return;
        auto history = m_reports.history(*id);
        if (!history) return sendDomainError(req, res, history.error());
        json steps = json::array();
        for (const auto& step : history.value().steps) steps.push_back(stepJson(step));
        sendJson(res, 200, {{"ticket", wire::toJson(history.value().ticket)}, {"history", steps}});
    });

    // The logged-in clerk's own figures: a session always, whether logins are required or not.
    svr.Get("/api/v1/me/stats", [this](const httplib::Request& req, httplib::Response& res) {
        res.set_header("Cache-Control", "no-store");
        auto session = m_auth.authenticate(requestToken(req), false);
        if (!session) return sendDomainError(req, res, session.error());
        auto day = m_reports.clerkDay(session.value().user.login);
        if (!day) return sendDomainError(req, res, day.error());
        sendJson(res, 200, clerkDayJson(day.value()));
    });
}

void HttpApi::installFonts(httplib::Server& svr) {
    // The pages' fonts, from the system's DejaVu (Debian fonts-dejavu-core): no external
    // resources, nothing copied into the repository.
    svr.Get(R"(/fonts/(sans|sans-bold)\.ttf)", [this](const httplib::Request& req, httplib::Response& res) {
        const char* file = req.matches[1].str() == "sans" ? "DejaVuSans.ttf" : "DejaVuSans-Bold.ttf";
        auto font = readFile(m_fonts / file);
        if (!font) return sendError(req, res, 404, makeError(ErrorKind::NotFound, "not_found", ""));
        res.set_header("Cache-Control", "public, max-age=86400");
        res.set_content(std::move(*font), "font/ttf");
    });
}

void HttpApi::installLogins(httplib::Server& svr) {
    svr.Post("/api/v1/login", [this](const httplib::Request& req, httplib::Response& res) {
        auto body = parseBody(req, res);
        if (!body) return;
        auto login = body->find("login");
        auto password = body->find("password");
        if (login == body->end() || password == body->end() || !login->is_string() || !password->is_string()) {
            return sendError(req, res, 400, badField("detail.login_fields"));
        }
        res.set_header("Cache-Control", "no-store");
        auto result = m_auth.login(login->get<std::string>(), password->get<std::string>(), req.remote_addr);
        if (!result) {
            for (const auto& [k, v] : result.error().params) {
                if (k == "retry_after") res.set_header("Retry-After", v);
            }
            return sendDomainError(req, res, result.error());
        }
        const LoginResult& r = result.value();
        // HttpOnly: page scripts cannot read it; SameSite=Strict: other sites cannot send it.
        res.set_header("Set-Cookie", std::string(kSessionCookie) + "=" + r.token +
                                         "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" +
                                         std::to_string(m_auth.config().sessionLifetimeSeconds));
        sendJson(res, 200,
                 {{"token", r.token}, {"user", userJson(r.session.user)}, {"expires_at", formatIso(r.session.expiresAt)}});
    });
    svr.Post("/api/v1/logout", [this](const httplib::Request& req, httplib::Response& res) {
        if (Status st = m_auth.logout(requestToken(req)); !st) return sendDomainError(req, res, st.error());
        res.set_header("Set-Cookie", std::string(kSessionCookie) + "=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
        res.status = 204;
    });
    svr.Get("/api/v1/me", [this](const httplib::Request& req, httplib::Response& res) {
        res.set_header("Cache-Control", "no-store");
        auto session = m_auth.authenticate(requestToken(req), false);  // the console's poll
        if (!session) return sendDomainError(req, res, session.error());
        sendJson(res, 200, sessionJson(session.value(), m_auth.config()));
    });
    // Who an appeal can be assigned to: the active users, without windows or anything secret.
    // Staff only, as the appeals register is (the same check, so open mode is open here too).
    svr.Get("/api/v1/staff", [this](const httplib::Request& req, httplib::Response& res) {
        res.set_header("Cache-Control", "no-store");
        if (!appealStaff(req, res, nullptr)) return;
        auto users = m_auth.users();
        if (!users) return sendDomainError(req, res, users.error());
        json out = json::array();
        for (const User& u : users.value()) {
            if (u.active) out.push_back({{"login", u.login}, {"name", u.name}, {"role", u.role}});
        }
        sendJson(res, 200, {{"staff", std::move(out)}});
    });
    svr.Post("/api/v1/session/window", [this](const httplib::Request& req, httplib::Response& res) {
        auto body = parseBody(req, res);
        if (!body) return;
        std::optional<int> window;
        auto w = body->find("window");
        if (w == body->end()) return sendError(req, res, 400, badField("detail.session_window"));
        if (!w->is_null()) {
            if (!w->is_number_integer() || w->get<int64_t>() < 1 || w->get<int64_t>() > 999) {
                return sendError(req, res, 400, badField("detail.session_window"));
            }
            window = static_cast<int>(w->get<int64_t>());
        }
        std::vector<std::string> services;
        if (auto it = body->find("services"); it != body->end() && !it->is_null()) {
            if (!it->is_array() || it->size() > 64) return sendError(req, res, 400, badField("detail.session_services"));
            for (const auto& s : *it) {
                if (!s.is_string()) return sendError(req, res, 400, badField("detail.session_services"));
                services.push_back(s.get<std::string>());
            }
        }
        res.set_header("Cache-Control", "no-store");
        auto session = m_auth.chooseWindow(requestToken(req), window, services);
        if (!session) return sendDomainError(req, res, session.error());
        sendJson(res, 200, sessionJson(session.value(), m_auth.config()));
    });
}

bool HttpApi::admit(RateLimits limits, const httplib::Request& req, httplib::Response& res,
                    const char* messageKey) const {
    // Both limits: per address however many kiosk names it makes up, then per kiosk.
    const std::string kiosk = req.get_header_value("X-Talon-Kiosk");
    const std::optional<int> wait = admitBoth(limits.address, req.remote_addr, limits.client,
                                              kiosk.empty() ? "address:" + req.remote_addr : "kiosk:" + kiosk);
    if (!wait) return true;
    res.set_header("Retry-After", std::to_string(*wait));
    Error e = makeError(ErrorKind::Conflict, "too_many_lookups", "");
    e.params = {{"seconds", std::to_string(*wait)}};
    if (messageKey) e.params.push_back({"message_key", messageKey});
    sendError(req, res, 429, e);
    return false;
}

void HttpApi::installAccounts(httplib::Server& svr) {
    svr.Get(R"(/api/v1/accounts/([^/]*))", [this](const httplib::Request& req, httplib::Response& res) {
        res.set_header("Cache-Control", "no-store");
        // Every request counts, well-formed or not: guessing is what the limit is against.
        if (!admit(m_lookups, req, res)) return;
        auto account = m_accounts.lookup(req.matches[1].str());
        if (!account) return sendDomainError(req, res, account.error());
        const AccountView& a = account.value();
        json meters = json::array();
        for (const MeterView& m : a.meters) {
            json zones = json::array();
            for (const ZoneView& z : m.zones) {
                zones.push_back({{"zone", z.zone},
                                 {"last", z.last ? json(*z.last) : json(nullptr)},
                                 {"read_on", z.readOn ? json(*z.readOn) : json(nullptr)}});
            }
            meters.push_back({{"meter", m.position},
                              {"serial", m.serial},
                              {"tariff", std::string(meter::toString(m.tariff))},
                              {"whole_digits", m.reg.wholeDigits},
                              {"decimal_digits", m.reg.decimalDigits},
                              {"zones", std::move(zones)},
                              {"calibration_due", m.calibrationDue ? json(*m.calibrationDue) : json(nullptr)},
                              {"calibration_overdue", m.calibrationOverdue},
                              {"usual_kwh_per_day", m.usualKwhPerDay ? json(*m.usualKwhPerDay) : json(nullptr)},
                              {"submitted_on", m.submittedOn ? json(*m.submittedOn) : json(nullptr)}});
        }
        const meter::Rules rules = m_readings.rules();
        sendJson(res, 200,
                 {{"account", a.number},
                  {"holder", a.holder},
                  {"address", a.address},
                  {"status", a.status},
                  {"meters", std::move(meters)},
                  {"today", a.today},
                  {"period", a.period},
                  {"rules",
                   {{"implausible_factor", rules.implausibleFactor},
                    {"window_first_day", rules.windowFirstDay},
                    {"window_last_day", rules.windowLastDay},
                    {"rollover_share", rules.rolloverShare}}}});
    });
}

namespace {

json receiptJson(const ReadingReceipt& r) {
    json readings = json::array();
    for (const AcceptedZone& z : r.readings) {
        readings.push_back({{"zone", z.zone},
                            {"value", z.value},
                            {"previous", z.previous ? json(*z.previous) : json(nullptr)},
                            {"consumption", z.consumption},
                            {"rollover", z.rollover},
                            {"review", z.review}});
    }
    return {{"confirmation", r.confirmation},
            {"account", r.account},
            {"meter", r.meter},
            {"serial", r.serial},
            {"period", r.period},
            {"taken_at", formatIso(r.takenAt)},
            {"accepted_at", formatIso(r.acceptedAt)},
            {"outside_window", r.outsideWindow},
            {"confirmed", r.confirmed},
            {"local_code", r.localCode ? json(*r.localCode) : json(nullptr)},
            {"readings", std::move(readings)}};
}

json exportRowJson(const ExportRow& r) {
    auto orNull = [](const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); };
    return {{"confirmation", r.confirmation},
            {"account", r.account},
            {"serial", r.serial},
            {"zone", r.zone},
            {"value", r.value},
            {"previous", orNull(r.previous)},
            {"consumption", r.consumption},
            {"rollover", r.rollover},
            {"confirmed", r.confirmed},
            {"outside_window", r.outsideWindow},
            {"period", r.period},
            {"taken_on", r.takenOn},
            {"taken_at", formatIso(r.takenAt)},
            {"accepted_at", formatIso(r.acceptedAt)},
            {"kiosk", orNull(r.kiosk)},
            {"local_code", orNull(r.localCode)},
            {"review", r.review}};
}

/// The submission a POST /api/v1/readings body describes, types and sizes checked; the store
/// checks it against the account. Errors: bad_request with a detail key.
Result<ReadingRequest> readingRequest(const json& body) {
    ReadingRequest r;
    auto account = body.find("account");
    if (account == body.end() || !account->is_string() || account->get<std::string>().size() > 64) {
        return badField("detail.reading_account");
    }
    r.account = account->get<std::string>();
    auto meterIt = body.find("meter");
    std::optional<int64_t> meterNumber;
    if (meterIt != body.end() && meterIt->is_number_unsigned()) {  // read unsigned: a huge one must not wrap
        if (meterIt->get<uint64_t>() <= 10000) meterNumber = static_cast<int64_t>(meterIt->get<uint64_t>());
    } else if (meterIt != body.end() && meterIt->is_number_integer()) {
        meterNumber = meterIt->get<int64_t>();
    }
    if (!meterNumber || *meterNumber < 1 || *meterNumber > 10000) return badField("detail.reading_meter");
    r.meter = static_cast<int>(*meterNumber);
    if (auto it = body.find("serial"); it != body.end() && !it->is_null()) {
        if (!it->is_string() || it->get<std::string>().size() > 64) return badField("detail.reading_serial");
        r.serial = it->get<std::string>();
    }
    auto values = body.find("values");
    if (values == body.end() || !values->is_object() || values->size() > 16) return badField("detail.reading_values");
    for (const auto& [zone, text] : values->items()) {
        if (!text.is_string()) return badField("detail.reading_values");
        if (text.get<std::string>().size() > 32) return badField("detail.reading_value_length");
        r.values.emplace_back(zone, text.get<std::string>());
    }
    if (auto it = body.find("confirmed"); it != body.end() && !it->is_null()) {
        if (!it->is_boolean()) return badField("detail.reading_confirmed");
        r.confirmed = it->get<bool>();
    }
    if (auto it = body.find("taken_at"); it != body.end() && !it->is_null()) {
        auto t = it->is_string() ? parseTakenAt(it->get<std::string>()) : std::nullopt;
        if (!t) return badField("detail.reading_taken_at");
        r.takenAt = *t;
    }
    if (auto it = body.find("local_code"); it != body.end() && !it->is_null()) {
        if (!it->is_string() || !validLocalCode(it->get<std::string>())) return badField("detail.reading_local_code");
        r.localCode = it->get<std::string>();
    }
    if (auto it = body.find("deferred"); it != body.end() && !it->is_null()) {
        if (!it->is_boolean()) return badField("detail.reading_deferred");
        r.deferred = it->get<bool>();
    }
    return r;
}

}  // namespace

void HttpApi::installReadings(httplib::Server& svr) {
    svr.Post("/api/v1/readings", [this](const httplib::Request& req, httplib::Response& res) {
        res.set_header("Cache-Control", "no-store");
        const auto key = submissionKey(req, res);
        if (!key) return;
        // A submission answers whether an account exists as a lookup does, so it counts against
        // the same limits (apart from lookups), before anything about the account is looked at.
        // A key already used is let through: its answer is the stored one (or a conflict), never
        // news about an account, and an outbox's retry must not be kept waiting by the limit.
        auto known = m_readings.knownKey(*key);
        if (!known) return sendDomainError(req, res, known.error());
        if (!known.value() && !admit(m_submissions, req, res)) return;
        auto body = parseBody(req, res);
        if (!body) return;
        auto request = readingRequest(*body);
        if (!request) return sendError(req, res, 400, request.error());
        request.value().idempotencyKey = *key;
        request.value().kiosk = kioskName(req);
        auto result = m_readings.submit(request.value());
        if (!result) return sendDomainError(req, res, result.error());
        if (result.value().replayed) res.set_header("Idempotent-Replayed", "true");
        sendJson(res, result.value().replayed ? 200 : 201, receiptJson(result.value().receipt));
    });

    // The export for billing (and the admin console): an administrator's, with logins required.
    svr.Get("/api/v1/readings", [this](const httplib::Request& req, httplib::Response& res) {
        res.set_header("Cache-Control", "no-store");
        if (!mayChange(req, res, true)) return;
        const std::string from = req.get_param_value("from");
        const std::string to = req.get_param_value("to");
        const std::string format = req.has_param("format") ? req.get_param_value("format") : "json";
        if (format != "json" && format != "csv") return sendError(req, res, 400, badField("detail.export_format"));
        if (Status st = checkExportRange(from, to); !st) return sendError(req, res, 400, st.error());
        std::vector<ExportRow> rows;
        Status read = m_store.readStep([&](SQLite::Database& db) { rows = readExportRows(db, from, to); });
        if (!read) return sendDomainError(req, res, read.error());
        if (format == "csv") {
            res.set_header("Content-Disposition",
                           "attachment; filename=\"readings-" + from + "-" + to + ".csv\"");
            res.status = 200;
            res.set_content(readingsCsv(rows), "text/csv; charset=utf-8");
            return;
        }
        json list = json::array();
        for (const ExportRow& r : rows) list.push_back(exportRowJson(r));
        sendJson(res, 200, {{"readings", std::move(list)}});
    });
}

std::optional<int> MissLimiter::blocked(const std::string& address) {
    std::lock_guard lock(m_mutex);
    const auto now = Clock::now();
    prune(now);
    auto it = m_misses.find(address);
    if (it == m_misses.end()) {
        if (m_misses.size() >= kMaxClients) return static_cast<int>(m_window.count());
        return std::nullopt;
    }
    if (static_cast<int>(it->second.size()) < m_max) return std::nullopt;
    const auto wait = std::chrono::ceil<std::chrono::seconds>(it->second.front() + m_window - now);
    return static_cast<int>(std::max<int64_t>(1, wait.count()));
}

void MissLimiter::miss(const std::string& address) {
    std::lock_guard lock(m_mutex);
    const auto now = Clock::now();
    prune(now);
    auto it = m_misses.find(address);
    if (it == m_misses.end()) {
        if (m_misses.size() >= kMaxClients) return;  // blocked() refuses it anyway
        it = m_misses.emplace(address, std::deque<Clock::time_point>{}).first;
    }
    it->second.push_back(now);
    while (static_cast<int>(it->second.size()) > m_max) it->second.pop_front();
}

void MissLimiter::prune(Clock::time_point now) {
    for (auto it = m_misses.begin(); it != m_misses.end();) {
        auto& q = it->second;
        while (!q.empty() && q.front() + m_window <= now) q.pop_front();
        it = q.empty() ? m_misses.erase(it) : std::next(it);
    }
}

namespace {

json optJson(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }

json appealEventJson(const AppealEvent& e) {
    json detail = e.detail.empty() ? json::object() : json::parse(e.detail, nullptr, false);
    if (!detail.is_object()) detail = json::object();
    return {{"at", formatIso(e.at)},
            {"author", e.author},
            {"action", e.action},
            {"from", optJson(e.fromStatus)},
            {"to", e.toStatus},
            {"note", e.note},
            {"detail", std::move(detail)}};
}

json appealJson(const Appeal& a, const std::string& statusText) {
    json history = json::array();
    for (const AppealEvent& e : a.history) history.push_back(appealEventJson(e));
    return {{"number", a.number},
            {"type", toString(a.type)},
            {"category", a.category},
            {"urgent", a.urgent},
            {"status", toString(a.status)},
            {"status_text", statusText},
            {"text", a.text},
            {"name", a.name},
            {"phone", optJson(a.phone)},
            {"email", optJson(a.email)},
            {"address", optJson(a.address)},
            {"reply_channel", toString(a.replyChannel)},
            {"account", optJson(a.account)},
            {"registered_at", formatIso(a.registeredAt)},
            {"registered_on", a.registeredOn},
            {"due_on", a.dueOn},
            {"due_on_text", dottedDate(a.dueOn)},
            {"original_due_on", a.originalDueOn},
            {"extended", a.dueOn != a.originalDueOn},
            {"assigned_to", optJson(a.assignedTo)},
            {"answer", optJson(a.answer)},
            {"answer_channel", a.answerChannel ? json(toString(*a.answerChannel)) : json(nullptr)},
            {"answered_at", a.answeredAt ? json(formatIso(*a.answeredAt)) : json(nullptr)},
            {"closed_at", a.closedAt ? json(formatIso(*a.closedAt)) : json(nullptr)},
            {"satisfaction", a.satisfaction ? json(*a.satisfaction) : json(nullptr)},
            {"local_code", optJson(a.localCode)},
            {"personal_data_removed", a.personalDataRemoved},
            {"history", std::move(history)}};
}

json appealSummaryJson(const AppealSummary& s) {
    return {{"number", s.number},
            {"type", toString(s.type)},
            {"category", s.category},
            {"urgent", s.urgent},
            {"status", toString(s.status)},
            {"registered_at", formatIso(s.registeredAt)},
            {"registered_on", s.registeredOn},
            {"due_on", s.dueOn},
            {"due_on_text", dottedDate(s.dueOn)},
            {"assigned_to", optJson(s.assignedTo)},
            {"initials", s.initials},
            {"phone_last4", s.phoneLast4},
            {"overdue", s.overdue},
            {"working_days_left", s.workingDaysLeft}};
}

json categoryReportJson(const CategoryReport& c) {
    return {{"category", c.category},
            {"total", c.total},
            {"open", c.open},
            {"answered", c.answered},
            {"answered_on_time", c.answeredOnTime},
            {"overdue", c.overdue},
            {"urgent", c.urgent},
            {"complaints", c.complaints},
            {"satisfaction", c.satisfaction ? json(*c.satisfaction) : json(nullptr)}};
}

/// The appeal a POST /api/v1/appeals body describes, JSON types and sizes checked (the store
/// checks every value). Errors: bad_request with a detail key.
Result<AppealRequest> appealRequest(const json& body, const AppealsConfig& config) {
    AppealRequest r;
    // A required string field: missing or not a string is the same as the store's "bad value".
    auto text = [&](const char* name, const char* detail, std::string& out) -> Status {
        auto it = body.find(name);
        if (it == body.end() || it->is_null()) return okStatus();
        if (!it->is_string() || it->get<std::string>().size() > 16 * 1024) return badField(detail);
        out = it->get<std::string>();
        return okStatus();
    };
    auto optional = [&](const char* name, const char* detail, std::optional<std::string>& out) -> Status {
        auto it = body.find(name);
        if (it == body.end() || it->is_null()) return okStatus();
        if (!it->is_string() || it->get<std::string>().size() > 1024) return badField(detail);
        if (!it->get<std::string>().empty()) out = it->get<std::string>();
        return okStatus();
    };
    if (Status s = text("type", "detail.appeal_type", r.type); !s) return s.error();
    if (Status s = text("category", "detail.appeal_category", r.category); !s) {
        Error e = s.error();
        std::string list;
        for (const auto& c : config.categories) list += (list.empty() ? "" : ", ") + c.id;
        e.params.push_back({"categories", list});
        return e;
    }
    if (Status s = text("text", "detail.appeal_text_length", r.text); !s) {
        Error e = s.error();
        e.params.push_back({"max", std::to_string(kAppealTextMax)});
        return e;
    }
    if (Status s = text("name", "detail.appeal_name_length", r.name); !s) {
        Error e = s.error();
        e.params.push_back({"max", std::to_string(kAppealNameMax)});
        return e;
    }
    if (Status s = optional("phone", "detail.appeal_phone", r.phone); !s) return s.error();
    if (Status s = optional("email", "detail.appeal_email", r.email); !s) return s.error();
    if (Status s = optional("address", "detail.appeal_address", r.address); !s) return s.error();
    if (Status s = text("reply_channel", "detail.appeal_reply_channel", r.replyChannel); !s) return s.error();
    if (auto it = body.find("consent"); it != body.end() && !it->is_null()) {
        if (!it->is_boolean()) return badField("detail.appeal_consent");
        r.consent = it->get<bool>();
    }
    if (auto it = body.find("account"); it != body.end() && !it->is_null()) {
        if (!it->is_string() || it->get<std::string>().size() > 64) return badField("detail.account_number");
        if (!it->get<std::string>().empty()) r.account = it->get<std::string>();
    }
    if (Status s = optional("local_code", "detail.appeal_local_code", r.localCode); !s) return s.error();
    // Urgency is the category's: a visitor may not raise an appeal to urgent (it would be due
    // the same day and alert the staff). "urgent": true is accepted only where the category is
    // urgent anyway; the store is never asked to raise one.
    if (auto it = body.find("urgent"); it != body.end() && !it->is_null()) {
        if (!it->is_boolean()) return badField("detail.appeal_urgent");
        const AppealCategoryConfig* category = config.category(r.category);
        if (it->get<bool>() && category && !category->urgent) return badField("detail.appeal_urgent");
    }
    r.urgent = false;
    return r;
}

/// A YYYY-MM-DD query parameter, or nullopt when absent; false when malformed.
bool dateParam(const httplib::Request& req, const char* name, std::optional<std::string>& out) {
    if (!req.has_param(name)) return true;
    const std::string v = req.get_param_value(name);
    if (!parseIsoDate(v)) return false;
    out = v;
    return true;
}

bool flagParam(const httplib::Request& req, const char* name) {
    const std::string v = req.get_param_value(name);
    return v == "1" || v == "true";
}

}  // namespace

std::optional<std::string> HttpApi::appealStaff(const httplib::Request& req, httplib::Response& res,
                                                const json* body) {
    const std::string token = requestToken(req);
    if (m_requireLogin) {
        auto session = m_auth.authenticate(token);
        if (!session) {
            sendDomainError(req, res, session.error());
            return std::nullopt;
        }
        const std::string& role = session.value().user.role;
        if (role != "clerk" && role != "admin") {
            sendError(req, res, 403, makeError(ErrorKind::Invalid, "staff_only", ""));
            return std::nullopt;
        }
        return session.value().user.login;
    }
    if (!token.empty()) {
        if (auto session = m_auth.authenticate(token, false)) return session.value().user.login;
    }
    if (body) {
        if (auto it = body->find("clerk"); it != body->end() && it->is_string() && !it->get<std::string>().empty()) {
            return it->get<std::string>();  // the store checks it as a login (detail.appeal_author)
        }
    }
    return std::string("staff");
}

void HttpApi::installAppeals(httplib::Server& svr) {
    svr.Post("/api/v1/appeals", [this](const httplib::Request& req, httplib::Response& res) {
        res.set_header("Cache-Control", "no-store");
        const auto key = submissionKey(req, res);
        if (!key) return;
        // Counted as reading submissions are (apart from them): per address, then per kiosk. A
        // key already used is let through: its answer is the stored one (or a conflict), and an
        // outbox's retry must not be kept waiting by the limit.
        auto known = m_appeals.knownKey(*key);
        if (!known) return sendDomainError(req, res, known.error());
        if (!known.value() && !admit(m_appealSubmissions, req, res, "error.appeal_too_many")) return;
        auto body = parseBody(req, res);
        if (!body) return;
        auto request = appealRequest(*body, m_appeals.config());
        if (!request) return sendError(req, res, 400, request.error());
        request.value().idempotencyKey = *key;
        request.value().kiosk = kioskName(req);
        auto result = m_appeals.registerAppeal(request.value());
        if (!result) return sendDomainError(req, res, result.error());
        const Appeal& a = result.value().appeal;
        if (result.value().replayed) res.set_header("Idempotent-Replayed", "true");
        sendJson(res, result.value().replayed ? 200 : 201,
                 {{"number", a.number},
                  {"status", toString(a.status)},
                  {"category", a.category},
                  {"due_on", a.dueOn},
                  {"due_on_text", dottedDate(a.dueOn)},
                  {"urgent", a.urgent},
                  {"local_code", optJson(a.localCode)}});
    });

    // The visitor's status check: nothing personal, every miss the same 404, misses limited.
    svr.Get("/api/v1/appeals/status", [this](const httplib::Request& req, httplib::Response& res) {
        res.set_header("Cache-Control", "no-store");
        if (auto wait = m_statusMisses.blocked(req.remote_addr)) {
            res.set_header("Retry-After", std::to_string(*wait));
            Error e = makeError(ErrorKind::Conflict, "too_many_attempts", "");
            e.params = {{"seconds", std::to_string(*wait)},
                        {"minutes", std::to_string((*wait + 59) / 60)},
                        {"message_key", "error.appeal_status_too_many"}};
            return sendError(req, res, 429, e);
        }
        const std::string number =
            req.has_param("number") ? req.get_param_value("number") : req.get_param_value("local_code");
        auto found = m_appeals.statusCheck(number, req.get_param_value("phone"));
        if (!found) {
            if (found.error().code == "appeal_status_not_found") m_statusMisses.miss(req.remote_addr);
            return sendDomainError(req, res, found.error());
        }
        const AppealStatusView& v = found.value();
        bool extended = false;
        if (auto full = m_appeals.get(v.number)) extended = full.value().dueOn != full.value().originalDueOn;
        const std::string status = toString(v.status);
        sendJson(res, 200,
                 {{"number", v.number},
                  {"status", status},
                  {"status_text", m_catalog.tr(language(req), "appeal.status." + status)},
                  {"due_on", v.dueOn},
                  {"due_on_text", dottedDate(v.dueOn)},
                  {"extended", extended}});
    });

    svr.Get("/api/v1/appeals/report", [this](const httplib::Request& req, httplib::Response& res) {
        res.set_header("Cache-Control", "no-store");
        if (!appealStaff(req, res, nullptr)) return;
        auto report = m_appeals.report(req.get_param_value("from"), req.get_param_value("to"));
        if (!report) return sendDomainError(req, res, report.error());
        const AppealReport& r = report.value();
        json categories = json::array(), ranking = json::array();
        for (const auto& c : r.categories) categories.push_back(categoryReportJson(c));
        for (const auto& c : r.ranking) ranking.push_back(categoryReportJson(c));
        sendJson(res, 200,
                 {{"from", r.from}, {"to", r.to}, {"total", r.total}, {"categories", categories}, {"ranking", ranking}});
    });

    svr.Get("/api/v1/appeals", [this](const httplib::Request& req, httplib::Response& res) {
        res.set_header("Cache-Control", "no-store");
        if (!appealStaff(req, res, nullptr)) return;
        AppealFilter filter;
        if (req.has_param("status")) {
            filter.status = appealStatusFromString(req.get_param_value("status"));
            if (!filter.status) return sendError(req, res, 400, badField("detail.appeal_filter_status"));
        }
        if (req.has_param("category")) filter.category = req.get_param_value("category");
        filter.overdueOnly = flagParam(req, "overdue");
        if (req.has_param("due_soon")) {
            const std::string v = req.get_param_value("due_soon");
            // true: within [appeals] due_soon_working_days; N: within N working days; false: off.
            if (v == "true") {
                filter.dueWithinWorkingDays = m_appeals.config().dueSoonWorkingDays;
            } else if (auto n = parseInt(v); n && *n >= 0 && *n <= 1000) {
                filter.dueWithinWorkingDays = static_cast<int>(*n);
            } else if (v != "false") {
                return sendError(req, res, 400, badField("detail.appeal_filter_due"));
            }
        }
        if (!dateParam(req, "from", filter.from) || !dateParam(req, "to", filter.to)) {
            return sendError(req, res, 400, badField("detail.appeal_filter_dates"));
        }
        if (req.has_param("limit")) {
            auto limit = parseInt(req.get_param_value("limit"));
            if (!limit || *limit < 1 || *limit > 1000) return sendError(req, res, 400, badField("detail.appeal_filter_limit"));
            filter.limit = static_cast<int>(*limit);
        }
        auto list = m_appeals.list(filter);
        if (!list) return sendDomainError(req, res, list.error());
        json out = json::array();
        for (const auto& s : list.value()) out.push_back(appealSummaryJson(s));
        sendJson(res, 200, {{"appeals", std::move(out)}});
    });

    auto send = [this](const httplib::Request& req, httplib::Response& res, const Result<Appeal>& a) {
        if (!a) return sendDomainError(req, res, a.error());
        const std::string status = toString(a.value().status);
        sendJson(res, 200, appealJson(a.value(), m_catalog.tr(language(req), "appeal.status." + status)));
    };

    svr.Get(R"(/api/v1/appeals/([^/]+))", [this, send](const httplib::Request& req, httplib::Response& res) {
        res.set_header("Cache-Control", "no-store");
        if (!appealStaff(req, res, nullptr)) return;
        send(req, res, m_appeals.get(req.matches[1].str()));
    });

    // Staff steps: POST /api/v1/appeals/{number}/<step> with a JSON body; `run(number, body,
    // author)` returns the appeal, or a bad_request for a body field of the wrong type.
    auto step = [this, send, &svr](const std::string& name, auto run) {
        svr.Post(R"(/api/v1/appeals/([^/]+)/)" + name, [this, send, run](const httplib::Request& req,
                                                                         httplib::Response& res) {
            res.set_header("Cache-Control", "no-store");
            auto body = parseBody(req, res);
            if (!body) return;
            auto author = appealStaff(req, res, &*body);
            if (!author) return;
            send(req, res, run(req.matches[1].str(), *body, *author));
        });
    };
    // A string field of a step's body ("" when absent); nullopt when of another type.
    auto field = [](const json& body, const char* name) -> std::optional<std::string> {
        auto it = body.find(name);
        if (it == body.end() || it->is_null()) return std::string{};
        if (!it->is_string()) return std::nullopt;
        return it->get<std::string>();
    };
    step("assign", [this, field](const std::string& n, const json& b, const std::string& who) -> Result<Appeal> {
        auto to = field(b, "to");
        auto note = field(b, "note");
        if (!to) return badField("detail.appeal_assignee");
        if (!note) return badField("detail.appeal_note");
        // With logins, only an active member of staff can take an appeal (open mode: any name).
        if (m_requireLogin && !to->empty()) {
            auto users = m_auth.users();
            if (!users) return users.error();
            const bool active = std::any_of(users.value().begin(), users.value().end(),
                                            [&](const User& u) { return u.active && u.login == *to; });
            if (!active) {
                Error e = makeError(ErrorKind::Invalid, "unknown_staff", "no active user " + *to);
                e.params = {{"login", *to}};
                return e;
            }
        }
        return m_appeals.assign(n, *to, who, *note);
    });
    step("start", [this](const std::string& n, const json&, const std::string& who) { return m_appeals.start(n, who); });
    step("notes", [this, field](const std::string& n, const json& b, const std::string& who) -> Result<Appeal> {
        auto text = field(b, "text");
        if (!text) return badField("detail.appeal_note");
        return m_appeals.addNote(n, *text, who);
    });
    step("answer", [this, field](const std::string& n, const json& b, const std::string& who) -> Result<Appeal> {
        auto text = field(b, "text");
        auto channel = field(b, "channel");
        if (!text) {
            Error e = badField("detail.appeal_answer_empty");
            return e;
        }
        if (!channel) return badField("detail.appeal_reply_channel");
        return m_appeals.recordAnswer(n, *text, *channel, who);
    });
    step("extend", [this, field](const std::string& n, const json& b, const std::string& who) -> Result<Appeal> {
        auto due = field(b, "due_on");
        auto reason = field(b, "reason");
        if (!due) return badField("detail.appeal_due_date");
        if (!reason) return badField("detail.appeal_reason");
        return m_appeals.extendDeadline(n, *due, *reason, who);
    });
    step("close", [this, field](const std::string& n, const json& b, const std::string& who) -> Result<Appeal> {
        auto it = b.find("satisfaction");
        if (it == b.end() || !it->is_number_integer()) return badField("detail.appeal_satisfaction");
        const int64_t score = it->get<int64_t>();
        if (score < 1 || score > 5) return badField("detail.appeal_satisfaction");
        auto note = field(b, "note");
        if (!note) return badField("detail.appeal_note");
        return m_appeals.close(n, static_cast<int>(score), who, *note);
    });
}

std::optional<Announcement> HttpApi::readAnnouncement(const httplib::Request& req, httplib::Response& res) const {
    auto body = parseBody(req, res);
    if (!body) return std::nullopt;
    auto fail = [&](const std::string& detailKey) -> std::optional<Announcement> {
        sendError(req, res, 400, badField(detailKey));
        return std::nullopt;
    };
    Announcement a;
    auto texts = body->find("texts");
    if (texts == body->end() || !texts->is_object()) return fail("detail.announcement_texts");
    for (auto& [lang, text] : texts->items()) {
        if (!text.is_string()) return fail("detail.announcement_texts");
        a.texts[lang] = text.get<std::string>();
    }
    if (auto it = body->find("image"); it != body->end() && !it->is_null()) {
        if (!it->is_string()) return fail("detail.announcement_image");
        a.image = it->get<std::string>();
    }
    for (auto [name, slot] : {std::pair{"starts_at", &a.startsAt}, std::pair{"ends_at", &a.endsAt}}) {
        auto it = body->find(name);
        if (it == body->end() || it->is_null()) continue;
        auto t = it->is_string() ? parseIso(it->get<std::string>()) : std::nullopt;
        if (!t) return fail(std::string("detail.announcement_") + name);
        *slot = *t;
    }
    if (auto it = body->find("priority"); it != body->end()) {
        if (!it->is_string()) return fail("detail.announcement_priority");
        a.priority = it->get<std::string>();
    }
    return a;
}

void HttpApi::installAnnouncements(httplib::Server& svr) {
    svr.Get("/api/v1/announcements", [this](const httplib::Request& req, httplib::Response& res) {
        const std::string all = req.get_param_value("all");
        auto list = m_announcements.list(all == "1" || all == "true");
        if (!list) return sendDomainError(req, res, list.error());
        json out = json::array();
        for (const auto& a : list.value()) out.push_back(wire::toJson(a));
        sendJson(res, 200, {{"announcements", out}});
    });
    svr.Post("/api/v1/announcements", [this](const httplib::Request& req, httplib::Response& res) {
        if (!mayChange(req, res, true)) return;
        auto draft = readAnnouncement(req, res);
        if (!draft) return;
        auto stored = m_announcements.create(*draft);
        if (!stored) return sendDomainError(req, res, stored.error());
        sendJson(res, 201, wire::toJson(stored.value()));
    });
    auto announcementId = [this](const httplib::Request& req, httplib::Response& res) -> std::optional<int64_t> {
        auto id = parseInt(req.matches[1].str());
        if (!id || *id < 1) {
            Error e = makeError(ErrorKind::NotFound, "unknown_announcement", "");
            e.params = {{"announcement", req.matches[1].str()}};
            sendError(req, res, 404, e);
            return std::nullopt;
        }
        return *id;
    };
    svr.Put(R"(/api/v1/announcements/([^/]+))", [this, announcementId](const httplib::Request& req,
                                                                         httplib::Response& res) {
        if (!mayChange(req, res, true)) return;
        auto id = announcementId(req, res);
        if (!id) return;
        auto draft = readAnnouncement(req, res);
        if (!draft) return;
        auto stored = m_announcements.update(*id, *draft);
        if (!stored) return sendDomainError(req, res, stored.error());
        sendJson(res, 200, wire::toJson(stored.value()));
    });
    svr.Delete(R"(/api/v1/announcements/([^/]+))", [this, announcementId](const httplib::Request& req,
                                                                            httplib::Response& res) {
        if (!mayChange(req, res, true)) return;
        auto id = announcementId(req, res);
        if (!id) return;
        if (Status st = m_announcements.remove(*id); !st) return sendDomainError(req, res, st.error());
        res.status = 204;
    });
}

std::string HttpApi::language(const httplib::Request& req) const {
    return m_catalog.pickLanguage(req.get_header_value("Accept-Language"));
}

void HttpApi::sendError(const httplib::Request& req, httplib::Response& res, int status,
                        const Error& error) const {
    const std::string lang = language(req);
    I18nArgs params = error.params;
    // Fields of a reading error the kiosk acts on (which zone, what the previous value was, ...)
    // go into the error object beside code and message, as they are, before any wording.
    static constexpr std::array kFields = {"zone", "problem", "period", "date", "previous", "consumption", "usual"};
    json body = {{"code", error.code}};
    if (error.code.rfind("reading_", 0) == 0) {
        for (const auto& [name, value] : error.params) {
            if (std::find(kFields.begin(), kFields.end(), name) != kFields.end()) body[name] = value;
        }
    }
    // An appeal's bad field: its detail key ("appeal_phone"), so a kiosk can point at the field;
    // a refused appeal step: the appeal's status and the step.
    for (const auto& [name, value] : error.params) {
        if (name == "detail" && value.rfind("detail.appeal_", 0) == 0) body["field"] = value.substr(7);
        if (error.code == "illegal_transition" && (name == "status" || name == "action" || name == "number")) {
            body[name] = value;
        }
    }
    if (error.code == "too_many_attempts" && res.has_header("Retry-After")) {
        if (auto wait = parseInt(res.get_header_value("Retry-After"))) body["retry_after"] = *wait;
    }
    std::string messageKey = "error." + error.code;
    // Parameters that name catalog entries ("detail", or values written "@key") are words too;
    // a detail sentence may have placeholders of its own, filled from the same parameters.
    for (auto& [name, value] : params) {
        if (name == "message_key") {
            messageKey = value;
        } else if (name == "detail") {
            value = m_catalog.tr(lang, value, error.params);
        } else if (!value.empty() && value.front() == '@') {
            value = m_catalog.tr(lang, value.substr(1));
        } else if ((name == "opens" || name == "closes" || name == "retry" || name == "until") && !value.empty()) {
            if (auto t = parseIso(value)) value = m_store.localTimeText(*t);
        }
    }
    body["message"] = m_catalog.tr(lang, messageKey, params);
    sendJson(res, status, {{"error", std::move(body)}});
}

void HttpApi::sendDomainError(const httplib::Request& req, httplib::Response& res, const Error& error) const {
    const int status = statusFor(error);
    sendError(req, res, status, status == 500 ? makeError(ErrorKind::Internal, "internal", "") : error);
}

void HttpApi::install(httplib::Server& svr) {
    svr.set_payload_max_length(kMaxBodyBytes);

    svr.set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request& req, httplib::Response& res) {
        // Only fill in bodies httplib left empty (404 for unknown paths, 413, 400 on bad framing).
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        const int status = res.status;
        if (status == 413) {
            Error e = makeError(ErrorKind::Invalid, "payload_too_large", "");
            e.params = {{"limit", std::to_string(kMaxBodyBytes)}};
            sendError(req, res, 413, e);
        } else if (status == 404) {
            sendError(req, res, 404, makeError(ErrorKind::NotFound, "not_found", ""));
        } else if (status >= 500) {
            sendError(req, res, status, makeError(ErrorKind::Internal, "internal", ""));
        } else {
            sendError(req, res, status, badField("detail.malformed_http"));
        }
        return httplib::Server::HandlerResponse::Handled;
    }));

    svr.set_exception_handler([this](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        try {
            if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
            spdlog::error("unhandled exception in {} {}: {}", req.method, req.path, e.what());
        } catch (...) {
            spdlog::error("unhandled non-standard exception in {} {}", req.method, req.path);
        }
        sendError(req, res, 500, makeError(ErrorKind::Internal, "internal", ""));
    });

    svr.Get("/api/v1/health", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"status":"ok","version":"0.1.0"})", "application/json; charset=utf-8");
    });

    svr.Get("/api/v1/services", [this](const httplib::Request& req, httplib::Response& res) {
        const std::string lang = language(req);
        json list = json::array();
        for (auto s : m_store.services()) {
            auto& a = s.availability;
            if (!a.reason.empty()) {
                a.message = m_catalog.tr(lang, "availability." + a.reason,
                                         {{"opens", a.opensAt ? m_store.localTimeText(*a.opensAt) : std::string{}},
                                          {"closes", a.closesAt ? m_store.localTimeText(*a.closesAt) : std::string{}}});
            }
            list.push_back(wire::toJson(s));
        }
        sendJson(res, 200, {{"services", list}});
    });

    svr.Post("/api/v1/tickets", [this](const httplib::Request& req, httplib::Response& res) {
        json body;
        try {
            body = json::parse(req.body);
        } catch (const json::exception&) {
            return sendError(req, res, 400, makeError(ErrorKind::Invalid, "bad_json", ""));
        }
        if (!body.is_object()) return sendError(req, res, 400, badField("detail.body_not_object"));
        IssueRequest request;
        auto it = body.find("service");
        if (it == body.end()) return sendError(req, res, 400, badField("detail.service_required"));
        if (it->is_string()) {
            request.service = it->get<std::string>();
        } else if (it->is_number_integer()) {
            request.service = std::to_string(it->get<int64_t>());
        } else {
            return sendError(req, res, 400, badField("detail.service_type"));
        }
        if (request.service.empty() || request.service.size() > 32) {
            return sendError(req, res, 400, badField("detail.service_length"));
        }
        if (auto a = body.find("appointment_at"); a != body.end()) {
            auto t = a->is_string() ? parseIso(a->get<std::string>()) : std::nullopt;
            if (!t) return sendError(req, res, 400, badField("detail.appointment_at"));
            request.appointmentAt = *t;
        }
        if (auto p = body.find("priority"); p != body.end()) {
            auto parsed = p->is_string() ? priorityFromString(p->get<std::string>()) : std::nullopt;
            if (!parsed) {
                return sendError(req, res, 400, badField("detail.priority"));
            }
            request.priority = *parsed;
        }
        if (req.has_header("Idempotency-Key")) {
            request.idempotencyKey = req.get_header_value("Idempotency-Key");
            if (!validIdempotencyKey(request.idempotencyKey)) {
                return sendError(req, res, 400, badField("detail.idempotency_key"));
            }
        }
        auto result = m_store.issueTicket(request);
        if (!result) return sendDomainError(req, res, result.error());
        if (result.value().replayed) res.set_header("Idempotent-Replayed", "true");
        sendJson(res, 201, wire::toJson(result.value().ticket));
    });

    svr.Get("/api/v1/windows", [this](const httplib::Request&, httplib::Response& res) {
        json list = json::array();
        for (const auto& w : m_store.windows()) list.push_back(wire::toJson(w));
        sendJson(res, 200, {{"windows", list}});
    });

    auto windowNumber = [this](const httplib::Request& req, httplib::Response& res) -> std::optional<int> {
        auto n = parseInt(req.matches[1].str());
        if (!n || *n < 1 || *n > 999) {
            Error e = makeError(ErrorKind::NotFound, "unknown_window", "");
            e.params = {{"window", req.matches[1].str()}};
            sendError(req, res, 404, e);
            return std::nullopt;
        }
        return static_cast<int>(*n);
    };

    svr.Get(R"(/api/v1/windows/([^/]+))", [this, windowNumber](const httplib::Request& req, httplib::Response& res) {
        auto n = windowNumber(req, res);
        if (!n) return;
        auto w = m_store.window(*n);
        if (!w) return sendDomainError(req, res, w.error());
        sendJson(res, 200, wire::toJson(w.value()));
    });

    // Window steps: POST /api/v1/windows/{n}/<step>, each with an optional JSON body that may
    // name the clerk ({"clerk": "ivanova"}) and carry the step's own fields.
    // `run(window, body, actor)` returns a Result of a ticket or a window, answered as JSON.
    auto windowStep = [this, windowNumber, &svr](const std::string& step, auto run) {
        svr.Post("/api/v1/windows/([^/]+)/" + step, [this, windowNumber, run](const httplib::Request& req,
                                                                               httplib::Response& res) {
            auto n = windowNumber(req, res);
            if (!n) return;
            auto in = readWindowStep(req, res, *n);
            if (!in) return;
            auto result = run(*n, in->body, in->actor);
            if (!result) return sendDomainError(req, res, result.error());
            sendJson(res, 200, wire::toJson(result.value()));
        });
    };

    svr.Post(R"(/api/v1/windows/([^/]+)/call-next)", [this, windowNumber](const httplib::Request& req, httplib::Response& res) {
        auto n = windowNumber(req, res);
        if (!n) return;
        auto in = readWindowStep(req, res, *n);
        if (!in) return;
        auto t = m_store.callNext(*n, in->actor, in->services);
        if (!t) return sendDomainError(req, res, t.error());
        if (!t.value()) {
            res.status = 204;
            return;
        }
        sendJson(res, 200, wire::toJson(*t.value()));
    });

    svr.Post(R"(/api/v1/windows/([^/]+)/call/([^/]+))", [this, windowNumber](const httplib::Request& req, httplib::Response& res) {
        auto n = windowNumber(req, res);
        if (!n) return;
        auto id = pathTicketId(req, res, 2);
        if (!id) return;
        auto in = readWindowStep(req, res, *n);
        if (!in) return;
        auto t = m_store.callTicket(*n, *id, in->actor);
        if (!t) return sendDomainError(req, res, t.error());
        sendJson(res, 200, wire::toJson(t.value()));
    });

    windowStep("recall", [this](int n, const json&, const Actor& a) { return m_store.recall(n, a); });
    windowStep("start", [this](int n, const json&, const Actor& a) { return m_store.start(n, a); });
    windowStep("no-show", [this](int n, const json&, const Actor& a) { return m_store.noShow(n, a); });
    windowStep("return", [this](int n, const json&, const Actor& a) { return m_store.returnToQueue(n, a); });
    windowStep("done", [this](int n, const json& body, const Actor& a) -> Result<Ticket> {
        std::string outcome;
        if (auto it = body.find("outcome"); it != body.end()) {
            if (!it->is_string()) return badField("detail.outcome");
            outcome = it->get<std::string>();
        }
        return m_store.finish(n, outcome, a);
    });
    windowStep("transfer", [this](int n, const json& body, const Actor& a) -> Result<Ticket> {
        TransferTarget target;
        auto svc = body.find("service");
        auto win = body.find("window");
        if ((svc == body.end()) == (win == body.end())) return badField("detail.transfer_target");
        if (svc != body.end()) {
            if (!svc->is_string() || svc->get<std::string>().empty() || svc->get<std::string>().size() > 32) {
                return badField("detail.service_type");
            }
            target.service = svc->get<std::string>();
        } else {
            if (!win->is_number_integer() || win->get<int64_t>() < 1 || win->get<int64_t>() > 999) {
                return badField("detail.transfer_window");
            }
            target.window = static_cast<int>(win->get<int64_t>());
        }
        if (auto note = body.find("note"); note != body.end()) {
            if (!note->is_string() || note->get<std::string>().size() > 500) return badField("detail.note");
            target.note = note->get<std::string>();
        }
        return m_store.transfer(n, target, a);
    });

    windowStep("pause", [this](int n, const json& body, const Actor& a) -> Result<Window> {
        std::string reason;
        if (auto it = body.find("reason"); it != body.end()) {
            if (!it->is_string() || it->get<std::string>().size() > 200) return badField("detail.reason");
            reason = it->get<std::string>();
        }
        return m_store.pause(n, reason, a);
    });
    windowStep("resume", [this](int n, const json&, const Actor& a) { return m_store.resume(n, a); });

    svr.Get(R"(/api/v1/tickets/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
        auto id = pathTicketId(req, res, 1);
        if (!id) return;
        auto t = m_store.ticket(*id);
        if (!t) return sendDomainError(req, res, t.error());
        sendJson(res, 200, wire::toJson(t.value()));
    });
    svr.Post(R"(/api/v1/tickets/([^/]+)/cancel)", [this](const httplib::Request& req, httplib::Response& res) {
        auto who = mayChange(req, res, false);
        if (!who) return;
        auto id = pathTicketId(req, res, 1);
        if (!id) return;
        auto in = readStep(req, res);
        if (!in) return;
        if (!who->empty()) in->actor.clerk = *who;  // who is logged in, not what the body says
        auto t = m_store.cancel(*id, in->actor);
        if (!t) return sendDomainError(req, res, t.error());
        sendJson(res, 200, wire::toJson(t.value()));
    });

    svr.Get("/api/v1/office", [this](const httplib::Request&, httplib::Response& res) {
        OfficeInfo office = m_store.office();
        for (const AppealCategoryConfig& c : m_appeals.config().categories) {
            office.appealCategories.push_back({c.id, c.names, c.deadlineWorkingDays, c.urgent});
        }
        sendJson(res, 200, wire::toJson(office));
    });

    svr.Post(R"(/api/v1/devices/([^/]+)/status)", [this](const httplib::Request& req, httplib::Response& res) {
        DeviceStatus report;
        report.id = req.matches[1].str();
        const bool idOk = !report.id.empty() && report.id.size() <= 64 &&
                          std::all_of(report.id.begin(), report.id.end(), [](unsigned char c) {
                              return std::isalnum(c) || c == '-' || c == '_' || c == '.';
                          });
        if (!idOk) return sendError(req, res, 400, badField("detail.device_id"));
        auto body = parseBody(req, res);
        if (!body) return;
        report.kind = "kiosk";
        if (auto it = body->find("kind"); it != body->end()) {
            if (!it->is_string() || it->get<std::string>() != "kiosk") {
                return sendError(req, res, 400, badField("detail.device_kind"));
            }
        }
        auto printer = body->find("printer");
        if (printer == body->end() || !printer->is_string()) {
            return sendError(req, res, 400, badField("detail.device_printer"));
        }
        report.printer = printer->get<std::string>();
        if (report.printer != "ok" && report.printer != "failed" && report.printer != "missing") {
            return sendError(req, res, 400, badField("detail.device_printer"));
        }
        if (auto it = body->find("detail"); it != body->end()) {
            if (!it->is_string() || it->get<std::string>().size() > 500) {
                return sendError(req, res, 400, badField("detail.device_detail"));
            }
            report.detail = it->get<std::string>();
        }
        auto stored = m_store.reportDevice(report);
        if (!stored) return sendDomainError(req, res, stored.error());
        sendJson(res, 200, wire::toJson(stored.value()));
    });

    svr.Get("/api/v1/devices", [this](const httplib::Request&, httplib::Response& res) {
        json list = json::array();
        for (const auto& d : m_store.devices()) list.push_back(wire::toJson(d));
        sendJson(res, 200, {{"devices", list}});
    });

    // The page a ticket's QR code opens on a visitor's phone: number, place and wait, live.
    svr.Get(R"(/t/(\d{1,18}))", [this](const httplib::Request&, httplib::Response& res) {
        auto page = readFile(m_assets / "web" / "ticket" / "index.html");
        if (!page) {
            res.status = 404;
            return;
        }
        res.set_content(std::move(*page), "text/html; charset=utf-8");
    });

    svr.Get("/api/v1/board", [this](const httplib::Request& req, httplib::Response& res) {
        Board board = m_store.board();
        // Read after the snapshot's last_event_id: a change in between shows here and comes
        // again as its event, which a board applies by id; read before, one could be missed.
        auto announcements = m_announcements.list();
        if (!announcements) return sendDomainError(req, res, announcements.error());
        board.announcements = std::move(announcements).value();
        if (board.serverNow) res.set_header("X-Server-Time", formatIso(*board.serverNow));
        sendJson(res, 200, wire::toJson(board));
    });

    installAnnouncements(svr);
    installLogins(svr);
    installClerkReads(svr);
    installAccounts(svr);
    installReadings(svr);
    installAppeals(svr);
    installFonts(svr);

    svr.Get("/api/v1/events", [this](const httplib::Request& req, httplib::Response& res) { streamEvents(req, res); });

    // Web pages and the catalogs they use.
    svr.set_mount_point("/i18n", (m_assets / "i18n").string());
    svr.set_mount_point("/announcements/", (m_assets / "announcements").string());  // their images
    svr.set_mount_point("/", (m_assets / "web").string());
    svr.Get("/", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/clerk/"); });
    svr.Get("/clerk", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/clerk/"); });
    svr.Get("/admin", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/admin/"); });
}

void HttpApi::streamEvents(const httplib::Request& req, httplib::Response& res) {
    std::string from = req.get_header_value("Last-Event-ID");
    if (from.empty() && req.has_param("last_event_id")) from = req.get_param_value("last_event_id");
    int64_t cursor = m_hub.lastId();  // captured before the headers go out: nothing slips between
    if (!from.empty()) {
        auto parsed = parseInt(from);
        if (!parsed || *parsed < 0) {
            return sendError(req, res, 400, badField("detail.last_event_id"));
        }
        cursor = std::min(*parsed, cursor);
    }
    res.set_header("Cache-Control", "no-cache");
    res.set_header("X-Accel-Buffering", "no");
    auto state = std::make_shared<int64_t>(cursor);
    auto first = std::make_shared<bool>(true);
    res.set_chunked_content_provider(
        "text/event-stream", [this, state, first](size_t, httplib::DataSink& sink) {
            if (*first) {
                *first = false;
                const std::string hello = "retry: 2000\n: connected\n\n";
                if (!sink.write(hello.data(), hello.size())) return false;
            }
            auto batch = m_hub.waitAfter(*state, std::chrono::seconds(15));
            if (batch.shutdown) {
                sink.done();
                return false;
            }
            if (batch.gap) {
                auto older = m_store.eventsAfter(*state, 500);
                if (!older) return false;
                batch.events = std::move(older).value();
            }
            std::string out;
            if (batch.events.empty()) out = ": ping\n\n";
            for (const auto& e : batch.events) {
                out += "id: " + std::to_string(e.id) + "\nevent: " + e.type + "\ndata: " + e.data + "\n\n";
                *state = e.id;
            }
            return sink.write(out.data(), out.size());
        });
}

}  // namespace talon::server
