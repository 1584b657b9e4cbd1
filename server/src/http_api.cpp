// Route handlers. Every body is parsed inside a try block: malformed input answers 4xx and
// never reaches the store.
#include "talon/server/http_api.h"

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
    if (e.code == "unknown_service" || e.code == "reading_below_previous" || e.code == "reading_needs_confirmation") {
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

bool HttpApi::admit(RateLimits limits, const httplib::Request& req, httplib::Response& res) const {
    // Both limits: per address however many kiosk names it makes up, then per kiosk.
    const std::string kiosk = req.get_header_value("X-Talon-Kiosk");
    const std::optional<int> wait = admitBoth(limits.address, req.remote_addr, limits.client,
                                              kiosk.empty() ? "address:" + req.remote_addr : "kiosk:" + kiosk);
    if (!wait) return true;
    res.set_header("Retry-After", std::to_string(*wait));
    Error e = makeError(ErrorKind::Conflict, "too_many_lookups", "");
    e.params = {{"seconds", std::to_string(*wait)}};
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
        if (!req.has_header("Idempotency-Key")) {
            return sendError(req, res, 400, badField("detail.idempotency_key_required"));
        }
        const std::string key = req.get_header_value("Idempotency-Key");
        if (!validIdempotencyKey(key)) return sendError(req, res, 400, badField("detail.idempotency_key"));
        // A submission answers whether an account exists as a lookup does, so it counts against
        // the same limits (apart from lookups), before anything about the account is looked at.
        // A key already used is let through: its answer is the stored one (or a conflict), never
        // news about an account, and an outbox's retry must not be kept waiting by the limit.
        auto known = m_readings.knownKey(key);
        if (!known) return sendDomainError(req, res, known.error());
        if (!known.value() && !admit(m_submissions, req, res)) return;
        json body;
        try {
            body = json::parse(req.body);
        } catch (const json::exception&) {
            return sendError(req, res, 400, makeError(ErrorKind::Invalid, "bad_json", ""));
        }
        if (!body.is_object()) return sendError(req, res, 400, badField("detail.body_not_object"));
        auto request = readingRequest(body);
        if (!request) return sendError(req, res, 400, request.error());
        request.value().idempotencyKey = key;
        // Kept as printable ASCII, so the export (JSON and CSV) never meets bytes it cannot write.
        std::string kiosk = req.get_header_value("X-Talon-Kiosk").substr(0, LookupLimiter::kMaxClientBytes);
        for (char& c : kiosk) {
            if (c < 0x20 || c > 0x7e) c = '?';
        }
        request.value().kiosk = std::move(kiosk);
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
        sendJson(res, 200, wire::toJson(m_store.office()));
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
    installFonts(svr);

    svr.Get("/api/v1/events", [this](const httplib::Request& req, httplib::Response& res) { streamEvents(req, res); });

    // Web pages and the catalogs they use.
    svr.set_mount_point("/i18n", (m_assets / "i18n").string());
    svr.set_mount_point("/announcements/", (m_assets / "announcements").string());  // their images
    svr.set_mount_point("/", (m_assets / "web").string());
    svr.Get("/", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/clerk/"); });
    svr.Get("/clerk", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/clerk/"); });
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
