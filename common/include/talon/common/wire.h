// The JSON wire format of the HTTP API (docs/api.md): one place that turns domain types into
// JSON and back. Parsing never throws: malformed input becomes an Error of kind BadResponse.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string_view>
#include <vector>

#include "talon/common/domain.h"
#include "talon/common/result.h"

namespace talon::wire {

nlohmann::json toJson(const Ticket& t);
nlohmann::json toJson(const Service& s);
nlohmann::json toJson(const Window& w);
nlohmann::json toJson(const BoardCall& c);
nlohmann::json toJson(const Board& b);
nlohmann::json toJson(const OfficeInfo& o);
nlohmann::json toJson(const DeviceStatus& d);
/// {"id", "texts": {"ru": ...}, "image": name or null, "starts_at", "ends_at" (ISO or null),
///  "priority": "normal" | "urgent", "created_at"}.
nlohmann::json toJson(const Announcement& a);
/// The `data` of a stream event: {"ticket": ..., "waiting": {...}}.
nlohmann::json eventData(const Ticket& t, const std::map<std::string, int>& waiting);

Result<Ticket> parseTicket(std::string_view body);
Result<std::vector<Service>> parseServices(std::string_view body);
Result<Window> parseWindow(std::string_view body);
Result<std::vector<Window>> parseWindows(std::string_view body);
Result<Board> parseBoard(std::string_view body);
Result<OfficeInfo> parseOffice(std::string_view body);
/// One announcement object (the answer to creating or changing one).
Result<Announcement> parseAnnouncement(std::string_view body);
/// {"announcements": [...]} (GET /api/v1/announcements).
Result<std::vector<Announcement>> parseAnnouncements(std::string_view body);
/// "HH:MM" for minutes since midnight (24:00 for the end of the day).
std::string clockText(int minute);
/// Decodes an event's `data` line; `id` and `type` come from the SSE envelope. Fills what the
/// data carries: `ticket`, `window`, `waiting`, `ewt`; `announcement` (announcement.created,
/// announcement.updated); `announcementId` (announcement.deleted).
Result<QueueEvent> parseEvent(int64_t id, std::string_view type, std::string_view data);

/// GET /api/v1/accounts/{number}: the masked account with its meters and the rules in force.
Result<MeterAccount> parseMeterAccount(std::string_view body);
/// The body of POST /api/v1/readings (what the kiosk's outbox stores and sends).
nlohmann::json toJson(const ReadingSubmission& s);
/// The answer to an accepted submission (201, or 200 for a repeated idempotency key).
Result<ReadingReceipt> parseReadingReceipt(std::string_view body);

/// The body of POST /api/v1/appeals (what the kiosk's outbox stores and sends). `takenAt` is
/// not part of the API and is left out.
nlohmann::json toJson(const AppealSubmission& s);
/// The answer to a registered appeal (201, or 200 for a repeated idempotency key).
Result<AppealReceipt> parseAppealReceipt(std::string_view body);
/// The answer to GET /api/v1/appeals/status.
Result<AppealStatus> parseAppealStatus(std::string_view body);

/// The {"error": {"code", "message"}} body; nullopt-like Error when the body is not of that shape.
/// Extra string fields of the error object ("zone", "problem") land in Error::params.
Error parseErrorBody(int status, std::string_view body);

}  // namespace talon::wire
