// Meter readings screens: one function per ReadingsFlow step. Each widget maps to one intent;
// the only thing shown of the holder is their initials, and the account number is masked as
// soon as it was looked up.
#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "kiosk_views.h"
#include "talon/ui/widgets.h"
#include "view_parts.h"

namespace talon::kiosk {
namespace {

using namespace parts;

std::string zoneName(const ViewContext& ctx, const std::string& zone) { return ctx.tr("readings.zone." + zone); }

/// A 3×4 keypad: 1–9, then `special` (may be empty: no key), 0, backspace. Returns the key
/// tapped ('0'–'9', the special's char, '<' for backspace) or 0.
char keypad(ViewContext& ctx, const char* id, ImVec2 pos, ImVec2 size, const std::string& specialLabel,
            char special, bool specialEnabled) {
    const float u = unit(ctx);
    const float gap = 18 * u;
    const float kw = (size.x - 2 * gap) / 3, kh = (size.y - 3 * gap) / 4;
    static const char kKeys[12] = {'1', '2', '3', '4', '5', '6', '7', '8', '9', 's', '0', '<'};
    char tapped = 0;
    for (int i = 0; i < 12; ++i) {
        const char k = kKeys[i];
        const ImVec2 p(pos.x + (i % 3) * (kw + gap), pos.y + (i / 3) * (kh + gap));
        std::string label(1, k);
        bool enabled = true;
        ImU32 fill = kCard;
        ImU32 text = kText;
        if (k == 's') {
            if (specialLabel.empty()) continue;
            label = specialLabel;
            enabled = specialEnabled;
        } else if (k == '<') {
            label = "\xE2\x86\x90";  // ←
            fill = kSecondary;
            text = kWhite;
        }
        const std::string keyId = std::string(id) + "-" + (k == 's' ? std::string("point") : k == '<' ? "back" : label);
        ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x + 3 * u, p.y + 5 * u),
                                                  ImVec2(p.x + kw + 3 * u, p.y + kh + 5 * u), kShadow, 18 * u);
        if (bigButton(keyId.c_str(), label, p, ImVec2(kw, kh), enabled ? fill : kDisabled, text, ctx.fonts.large,
                      enabled)) {
            tapped = k == 's' ? special : k;
        }
    }
    return tapped;
}

// ---- Account --------------------------------------------------------------------------------

void drawAccount(ViewContext& ctx) {
    ReadingsFlow& flow = ctx.model.readings();
    const float u = unit(ctx);
    const float w = columnWidth(ctx), x = (ctx.width - w) * 0.5f;
    float y = headerHeight(ctx) + 40 * u;
    ImFont* large = ctx.fonts.large;
    ImFont* body = ctx.fonts.body;
    y += text(large, large->FontSize, ctx.tr("readings.account_title"), ImVec2(x, y), w, kText) + 12 * u;
    y += text(body, body->FontSize, ctx.tr("readings.account_hint"), ImVec2(x, y), w, kMuted) + 24 * u;

    // The number as typed, large, in a field.
    const float fieldH = std::max(120 * u, minTargetPx(ctx));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(ImVec2(x, y), ImVec2(x + w, y + fieldH), kCard, 18 * u);
    dl->AddRect(ImVec2(x, y), ImVec2(x + w, y + fieldH), kAccent, 18 * u, 0, 4 * u);
    const std::string& typed = flow.accountEntry().value();
    if (typed.empty()) {
        ui::textInRect(body, ctx.tr("readings.account_placeholder"), ImVec2(x, y), ImVec2(x + w, y + fieldH), kMuted);
    } else {
        ui::textInRect(large, typed, ImVec2(x, y), ImVec2(x + w, y + fieldH), kText);
    }
    y += fieldH + 16 * u;

    // What went wrong, and what to do about it.
    std::string problem;
    switch (flow.accountProblem()) {
        case AccountProblem::None: break;
        case AccountProblem::TooShort: problem = ctx.tr("readings.account_too_short"); break;
        case AccountProblem::Unknown:
            problem = flow.message() + " " + ctx.tr("readings.account_unknown_hint");
            break;
        case AccountProblem::Closed: problem = ctx.tr("readings.account_closed"); break;
        case AccountProblem::TooMany: problem = flow.message(); break;
        case AccountProblem::Unreachable: problem = ctx.tr("readings.unreachable"); break;
        case AccountProblem::Other: problem = flow.message(); break;
    }
    if (!problem.empty()) {
        y += card(ctx, ImVec2(x, y), w, kWarnBack, [&](ImVec2 p, float cw) {
            return text(body, body->FontSize, problem, p, cw, kWarn);
        });
        y += 16 * u;
    }

    const BarTaps bar =
        drawBottomBar(ctx, ctx.tr("kiosk.back"), ctx.tr("readings.find"), !flow.accountEntry().empty());
    const float bottom = bottomBarTop(ctx) - 40 * u;
    const float keyW = std::min(w, 760 * u);
    const float keyH = std::min(bottom - y, keyW * 4 / 3 * 0.8f);
    if (keyH >= 4 * minTargetPx(ctx)) {
        const char k = keypad(ctx, "acct", ImVec2((ctx.width - keyW) * 0.5f, bottom - keyH), ImVec2(keyW, keyH),
                              ctx.tr("readings.clear"), 'c', !flow.accountEntry().empty());
        if (k >= '0' && k <= '9') flow.accountKey(k);
        if (k == '<') flow.accountBackspace();
        if (k == 'c') flow.accountClear();
    }
    if (bar.left) ctx.model.backToHome();
    if (bar.right) flow.submitAccount();
}

// ---- Meters ---------------------------------------------------------------------------------

/// "Day 12345.6 (20.10.2026) · Night 321.0 (20.10.2026)" for a meter's last readings.
std::string lastReadings(const ViewContext& ctx, const MeterInfo& m) {
    std::string out;
    for (const MeterZone& z : m.zones) {
        if (!out.empty()) out += "\n";
        out += (m.zones.size() > 1 ? zoneName(ctx, z.zone) + ": " : std::string{});
        out += z.last ? *z.last + "  (" + dottedDate(z.readOn.value_or("")) + ")" : ctx.tr("readings.no_previous");
    }
    return out;
}

void drawMeters(ViewContext& ctx) {
    ReadingsFlow& flow = ctx.model.readings();
    const auto& account = flow.account();
    if (!account) return;
    const float u = unit(ctx);
    const float w = columnWidth(ctx), x = (ctx.width - w) * 0.5f;
    ImFont* large = ctx.fonts.large;
    ImFont* body = ctx.fonts.body;
    float y = headerHeight(ctx) + 36 * u;
    y += text(large, large->FontSize, ctx.tr("readings.meters_title"), ImVec2(x, y), w, kText) + 20 * u;

    y += card(ctx, ImVec2(x, y), w, kCard, [&](ImVec2 p, float cw) {
        float h = 0;
        h += text(body, body->FontSize, ctx.tr("readings.account", {{"account", flow.maskedAccount()}}),
                  ImVec2(p.x, p.y + h), cw, kMuted) + 8 * u;
        h += text(large, large->FontSize, account->holder, ImVec2(p.x, p.y + h), cw, kText) + 8 * u;
        h += text(body, body->FontSize, account->address, ImVec2(p.x, p.y + h), cw, kText);
        return h;
    });
    y += 24 * u;

    for (const MeterInput& m : flow.meters()) {
        const MeterInfo& info = m.info;
        y += card(ctx, ImVec2(x, y), w, kCard, [&](ImVec2 p, float cw) {
            float h = 0;
            h += text(large, large->FontSize * 0.8f,
                      ctx.tr("readings.meter", {{"serial", info.serial}}) + " · " +
                          ctx.tr("readings.tariff." + info.tariff),
                      ImVec2(p.x, p.y), cw, kText) + 8 * u;
            h += text(body, body->FontSize, ctx.tr("readings.last"), ImVec2(p.x, p.y + h), cw, kMuted) + 4 * u;
            h += text(body, body->FontSize, lastReadings(ctx, info), ImVec2(p.x, p.y + h), cw, kText);
            if (!info.waitingCode.empty()) {
                h += 12 * u;
                h += text(body, body->FontSize, ctx.tr("readings.waiting_here", {{"code", info.waitingCode}}),
                          ImVec2(p.x, p.y + h), cw, kGood);
            } else if (m.alreadySubmitted) {
                h += 12 * u;
                h += text(body, body->FontSize,
                          ctx.tr("readings.already_submitted", {{"date", dottedDate(info.submittedOn.value_or(""))}}),
                          ImVec2(p.x, p.y + h), cw, kGood);
            }
            if (info.calibrationOverdue) {
                h += 12 * u;
                h += text(body, body->FontSize,
                          ctx.tr("readings.calibration_overdue", {{"date", dottedDate(info.calibrationDue.value_or(""))}}),
                          ImVec2(p.x, p.y + h), cw, kWarn);
            }
            return h;
        });
        y += 20 * u;
    }
    if (flow.meters().empty()) {
        text(body, body->FontSize, ctx.tr("readings.no_meters"), ImVec2(x, y), w, kWarn);
    } else if (!flow.anythingToEnter()) {
        text(body, body->FontSize, ctx.tr("readings.nothing_to_enter"), ImVec2(x, y), w, kText);
    }

    // Nothing to hand in: Done, and the meter-service ticket when a calibration is overdue.
    const bool offerTicket = !flow.anythingToEnter() && flow.calibrationOverdue() && ctx.model.meterServiceOpen();
    const BarTaps bar = flow.anythingToEnter()
                            ? drawBottomBar(ctx, ctx.tr("readings.not_mine"), ctx.tr("readings.is_mine"))
                        : offerTicket ? drawBottomBar(ctx, ctx.tr("kiosk.done"), ctx.tr("readings.calibration_ticket"))
                                      : drawBottomBar(ctx, ctx.tr("kiosk.done"), "");
    if (bar.left) {
        if (flow.anythingToEnter()) {
            flow.notMyAccount();
        } else {
            ctx.model.backToHome();
        }
        return;
    }
    if (bar.right) {
        if (offerTicket) {
            ctx.model.readingsTicket();
            return;
        }
        flow.confirmAccount();
    }
}

// ---- Entry ----------------------------------------------------------------------------------

/// The register as the meter shows it: a box per digit, the ones after the point red like the
/// meter's own drum; the typed digits fill the whole part from the right.
void drawRegister(ViewContext& ctx, const MeterInput& m, const std::string& typed, ImVec2 pos, float width) {
    const float u = unit(ctx);
    const int whole = m.reg.wholeDigits, decimals = m.reg.decimalDigits;
    const size_t point = typed.find('.');
    const std::string wholeTyped = typed.substr(0, point);
    const std::string decTyped = point == std::string::npos ? std::string{} : typed.substr(point + 1);
    const float gap = 10 * u, pointW = decimals > 0 ? 30 * u : 0;
    const float box = std::min(120 * u, (width - pointW - (whole + decimals - 1) * gap) / (whole + decimals));
    const float total = (whole + decimals) * box + (whole + decimals - 1) * gap + pointW;
    float bx = pos.x + (width - total) * 0.5f;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float bh = box * 1.35f;
    for (int i = 0; i < whole + decimals; ++i) {
        const bool dec = i >= whole;
        if (i == whole) {
            dl->AddCircleFilled(ImVec2(bx + pointW * 0.5f - gap * 0.5f, pos.y + bh - 12 * u), 7 * u, kText);
            bx += pointW;
        }
        std::string digit;
        if (!dec) {
            const int offset = whole - static_cast<int>(wholeTyped.size());
            if (i >= offset) digit = wholeTyped.substr(static_cast<size_t>(i - offset), 1);
        } else if (static_cast<size_t>(i - whole) < decTyped.size()) {
            digit = decTyped.substr(static_cast<size_t>(i - whole), 1);
        }
        const ImU32 fill = dec ? IM_COL32(190, 40, 40, 255) : IM_COL32(30, 34, 40, 255);
        dl->AddRectFilled(ImVec2(bx, pos.y), ImVec2(bx + box, pos.y + bh), fill, 10 * u);
        if (!digit.empty()) ui::textInRect(ctx.fonts.large, digit, ImVec2(bx, pos.y), ImVec2(bx + box, pos.y + bh), kWhite);
        bx += box + gap;
    }
}

std::string entryProblemText(const ViewContext& ctx, EntryProblem p, const MeterInput& m) {
    const I18nArgs args{{"whole", std::to_string(m.reg.wholeDigits)}, {"decimals", std::to_string(m.reg.decimalDigits)}};
    switch (p) {
        case EntryProblem::None: return {};
        case EntryProblem::Empty: return ctx.tr("readings.entry_empty");
        case EntryProblem::NotANumber: return ctx.tr("readings.entry_not_a_number");
        case EntryProblem::TooManyWhole: return ctx.tr("readings.entry_too_many_whole", args);
        case EntryProblem::TooManyDecimals:
            return m.reg.decimalDigits == 0 ? ctx.tr("readings.entry_no_decimals")
                                            : ctx.tr("readings.entry_too_many_decimals", args);
    }
    return {};
}

void drawEntry(ViewContext& ctx) {
    ReadingsFlow& flow = ctx.model.readings();
    const MeterInput* m = flow.meter();
    const ZoneInput* z = flow.zone();
    if (!m || !z) return;
    const float u = unit(ctx);
    ImFont* large = ctx.fonts.large;
    ImFont* body = ctx.fonts.body;
    const bool port = portrait(ctx);
    const float w = port ? columnWidth(ctx) : (ctx.width - 3 * margin(ctx)) * 0.5f;
    const float x = port ? (ctx.width - w) * 0.5f : margin(ctx);
    float y = headerHeight(ctx) + 30 * u;

    // Where the visitor is: meter, tariff, zone n of N.
    const MeterZone& info = m->info.zones[flow.currentZone()];
    std::string where = ctx.tr("readings.meter", {{"serial", m->info.serial}});
    if (m->zones.size() > 1) {
        where += " · " + ctx.tr("readings.zone_of", {{"n", std::to_string(flow.currentZone() + 1)},
                                                     {"count", std::to_string(m->zones.size())}});
    }
    y += text(body, body->FontSize, where, ImVec2(x, y), w, kMuted) + 8 * u;
    const std::string title = m->zones.size() > 1 ? ctx.tr("readings.entry_title_zone", {{"zone", zoneName(ctx, z->zone)}})
                                                  : ctx.tr("readings.entry_title");
    y += text(large, large->FontSize, title, ImVec2(x, y), w, kText) + 10 * u;
    const std::string previous =
        info.last ? ctx.tr("readings.previous", {{"value", *info.last}, {"date", dottedDate(info.readOn.value_or(""))}})
                  : ctx.tr("readings.no_previous");
    y += text(body, body->FontSize, previous, ImVec2(x, y), w, kText) + 24 * u;

    drawRegister(ctx, *m, z->typed, ImVec2(x, y), w);
    const float box = std::min(120 * u, w / static_cast<float>(m->reg.wholeDigits + m->reg.decimalDigits + 1));
    y += box * 1.35f + 20 * u;
    const I18nArgs digits{{"whole", std::to_string(m->reg.wholeDigits)},
                          {"decimals", std::to_string(m->reg.decimalDigits)}};
    y += text(body, body->FontSize,
              m->reg.decimalDigits > 0 ? ctx.tr("readings.digits_hint", digits)
                                       : ctx.tr("readings.digits_hint_whole", digits),
              ImVec2(x, y), w, kMuted) + 16 * u;
    const std::string problem = entryProblemText(ctx, flow.entryProblem(), *m);
    if (!problem.empty()) {
        y += card(ctx, ImVec2(x, y), w, kWarnBack, [&](ImVec2 p, float cw) {
            return text(body, body->FontSize, problem, p, cw, kWarn);
        });
        y += 16 * u;
    }

    const BarTaps bar = drawBottomBar(ctx, ctx.tr("kiosk.back"), ctx.tr("readings.next"), !z->typed.empty());
    const float bottom = bottomBarTop(ctx) - 40 * u;
    float keyW, keyH, keyX, keyY;
    if (port) {
        keyW = std::min(w, 760 * u);
        keyH = std::min(bottom - y, keyW * 0.9f);
        keyX = (ctx.width - keyW) * 0.5f;
        keyY = bottom - keyH;
    } else {
        keyW = std::min(w, 760 * u);
        keyY = headerHeight(ctx) + 40 * u;
        keyH = std::min(bottom - keyY, keyW * 1.0f);
        keyX = x + w + margin(ctx) + (w - keyW) * 0.5f;
    }
    if (keyH >= 4 * minTargetPx(ctx)) {
        const char k = keypad(ctx, "read", ImVec2(keyX, keyY), ImVec2(keyW, keyH),
                              m->reg.decimalDigits > 0 ? std::string(",") : std::string{}, '.',
                              z->typed.find('.') == std::string::npos);
        if ((k >= '0' && k <= '9') || k == '.') flow.entryKey(k);
        if (k == '<') flow.entryBackspace();
    }
    if (bar.left) flow.entryBack();
    if (bar.right) flow.entryNext();
}

// ---- Warning --------------------------------------------------------------------------------

void drawWarning(ViewContext& ctx) {
    ReadingsFlow& flow = ctx.model.readings();
    const MeterInput* m = flow.meter();
    const ZoneInput* z = flow.zone();
    if (!m || !z || !z->value) return;
    const float u = unit(ctx);
    const float w = columnWidth(ctx), x = (ctx.width - w) * 0.5f;
    ImFont* large = ctx.fonts.large;
    ImFont* body = ctx.fonts.body;
    const MeterZone& info = m->info.zones[flow.currentZone()];
    const bool below = z->check.verdict == meter::Verdict::BelowPrevious;
    float y = headerHeight(ctx) + 60 * u;
    y += text(large, large->FontSize, ctx.tr(below ? "readings.below_title" : "readings.high_title"), ImVec2(x, y), w,
              kWarn) + 24 * u;
    const std::string value = meter::format(*z->value, m->reg);
    std::string what;
    if (below) {
        what = ctx.tr("readings.below_body", {{"value", value}, {"previous", info.last.value_or("")}});
    } else {
        const auto days = info.readOn && flow.account()
                              ? ReadingsFlow::daysBetween(*info.readOn, flow.account()->today)
                              : std::optional<int>{};
        what = ctx.tr("readings.high_body", {{"value", value},
                                              {"consumption", meter::format(z->check.consumption, m->reg)},
                                              {"previous", info.last.value_or("")},
                                              {"days", std::to_string(days.value_or(0))}});
    }
    y += card(ctx, ImVec2(x, y), w, kWarnBack, [&](ImVec2 p, float cw) {
        float h = text(large, large->FontSize, zoneName(ctx, z->zone) + ": " + value, p, cw, kText) + 16 * u;
        h += text(body, body->FontSize, what, ImVec2(p.x, p.y + h), cw, kText);
        return h;
    });
    const BarTaps bar = below ? drawBottomBar(ctx, ctx.tr("readings.correct"), "")
                              : drawBottomBar(ctx, ctx.tr("readings.correct"), ctx.tr("readings.confirm"));
    if (bar.left) flow.correctValue();
    if (bar.right) flow.confirmValue();
}

// ---- Summary --------------------------------------------------------------------------------

void drawSummary(ViewContext& ctx) {
    ReadingsFlow& flow = ctx.model.readings();
    const auto& account = flow.account();
    if (!account) return;
    const float u = unit(ctx);
    const float w = columnWidth(ctx), x = (ctx.width - w) * 0.5f;
    ImFont* large = ctx.fonts.large;
    ImFont* body = ctx.fonts.body;
    float y = headerHeight(ctx) + 36 * u;
    y += text(large, large->FontSize, ctx.tr("readings.summary_title"), ImVec2(x, y), w, kText) + 8 * u;
    y += text(body, body->FontSize,
              ctx.tr("readings.account", {{"account", flow.maskedAccount()}}) + " · " + account->holder, ImVec2(x, y),
              w, kMuted) + 20 * u;
    bool outside = false;
    const auto& meters = flow.meters();
    for (size_t mi = 0; mi < meters.size(); ++mi) {
        const MeterInput& m = meters[mi];
        if (m.alreadySubmitted || m.zones.empty()) continue;
        y += card(ctx, ImVec2(x, y), w, kCard, [&](ImVec2 p, float cw) {
            float h = text(large, large->FontSize * 0.8f, ctx.tr("readings.meter", {{"serial", m.info.serial}}), p, cw,
                           kText) + 12 * u;
            const float rowH = std::max(96 * u, minTargetPx(ctx));
            for (size_t zi = 0; zi < m.zones.size(); ++zi) {
                const ZoneInput& z = m.zones[zi];
                outside = outside || z.check.outsideWindow;
                const float ry = p.y + h;
                const float bw = std::min(260 * u, cw * 0.3f);
                ImDrawList* dl = ImGui::GetWindowDrawList();
                const std::string label = zoneName(ctx, z.zone);
                const std::string value = z.value ? meter::format(*z.value, m.reg) : z.typed;
                dl->AddText(body, body->FontSize,
                            ImVec2(p.x, ry + (rowH - large->FontSize) * 0.5f + (large->FontSize - body->FontSize) * 0.7f),
                            kMuted, label.c_str());
                dl->AddText(large, large->FontSize, ImVec2(p.x + cw * 0.28f, ry + (rowH - large->FontSize) * 0.5f),
                            kText, value.c_str());
                std::string note;
                if (z.check.rollover) note = ctx.tr("readings.rollover");
                else if (m.zones[zi].value && m.info.zones[zi].last)
                    note = "+" + meter::format(z.check.consumption, m.reg) + " " + ctx.tr("readings.kwh");
                if (z.confirmed) note += (note.empty() ? "" : " · ") + ctx.tr("readings.confirmed");
                dl->AddText(body, body->FontSize * 0.85f,
                            ImVec2(p.x + cw * 0.28f, ry + (rowH + large->FontSize) * 0.5f + 2 * u), kMuted,
                            note.c_str());
                const std::string id = "edit-" + std::to_string(mi) + "-" + std::to_string(zi);
                if (bigButton(id.c_str(), ctx.tr("readings.change"), ImVec2(p.x + cw - bw, ry), ImVec2(bw, rowH),
                              kCardPressed, kAccent, body)) {
                    flow.editZone(mi, zi);
                }
                h += rowH + 14 * u;
            }
            return h;
        });
        y += 20 * u;
    }
    if (outside) {
        y += card(ctx, ImVec2(x, y), w, kWarnBack, [&](ImVec2 p, float cw) {
            return text(body, body->FontSize,
                        ctx.tr("readings.outside_window", {{"first", std::to_string(account->windowFirstDay)},
                                                           {"last", std::to_string(account->windowLastDay)}}),
                        p, cw, kText);
        });
    }
    const BarTaps bar = drawBottomBar(ctx, ctx.tr("readings.cancel"), ctx.tr("readings.send"), true, kGood);
    if (bar.left) ctx.model.backToHome();
    if (bar.right) flow.send();
}

// ---- Done -----------------------------------------------------------------------------------

void drawDone(ViewContext& ctx) {
    ReadingsFlow& flow = ctx.model.readings();
    const float u = unit(ctx);
    const float w = columnWidth(ctx), x = (ctx.width - w) * 0.5f;
    ImFont* large = ctx.fonts.large;
    ImFont* body = ctx.fonts.body;
    bool accepted = false, queued = false, refused = false;
    for (const MeterInput& m : flow.meters()) {
        accepted = accepted || m.outcome == MeterOutcome::Accepted;
        queued = queued || m.outcome == MeterOutcome::Queued;
        refused = refused || m.outcome == MeterOutcome::Refused;
    }
    float y = headerHeight(ctx) + 40 * u;
    const std::string title = accepted || queued ? ctx.tr(queued && !accepted ? "readings.queued_title"
                                                                              : "readings.accepted_title")
                                                 : ctx.tr("readings.refused_title");
    y += text(large, large->FontSize, title, ImVec2(x, y), w, accepted || queued ? kGood : kWarn) + 24 * u;

    if (queued) {
        y += text(body, body->FontSize, ctx.tr("readings.queued_body"), ImVec2(x, y), w, kText) + 20 * u;
    }
    // One card per meter; side by side on a landscape screen.
    const int columns = portrait(ctx) ? 1 : 2;
    const float gap = 24 * u;
    const float cardW = (w - (columns - 1) * gap) / columns;
    float rowH = 0;
    int column = 0;
    for (const MeterInput& m : flow.meters()) {
        if (m.outcome == MeterOutcome::None) continue;
        const ImU32 fill = m.outcome == MeterOutcome::Refused ? kWarnBack : kCard;
        const float cx = x + column * (cardW + gap);
        const float h = card(ctx, ImVec2(cx, y), cardW, fill, [&](ImVec2 p, float cw) {
            float h = text(body, body->FontSize, ctx.tr("readings.meter", {{"serial", m.info.serial}}), p, cw, kMuted) +
                      8 * u;
            if (m.outcome == MeterOutcome::Accepted && m.receipt) {
                h += text(body, body->FontSize, ctx.tr("readings.confirmation"), ImVec2(p.x, p.y + h), cw, kText) + 4 * u;
                h += fittedLine(ctx.fonts.huge, ctx.fonts.huge->FontSize * 0.5f, m.receipt->confirmation,
                                ImVec2(p.x, p.y + h), cw, kText) + 8 * u;
                if (m.receipt->outsideWindow) {
                    h += text(body, body->FontSize * 0.9f, ctx.tr("readings.accepted_outside"), ImVec2(p.x, p.y + h), cw,
                              kMuted);
                }
            } else if (m.outcome == MeterOutcome::Queued) {
                h += text(body, body->FontSize, ctx.tr("readings.local_code"), ImVec2(p.x, p.y + h), cw, kText) + 4 * u;
                h += fittedLine(ctx.fonts.huge, ctx.fonts.huge->FontSize * 0.5f, m.localCode, ImVec2(p.x, p.y + h), cw,
                                kText);
            } else {
                // The server judged a value differently from the kiosk (its data changed since the
                // lookup): its sentence asks for a confirmation this screen cannot take.
                const bool recheck =
                    m.refusalCode == "reading_needs_confirmation" || m.refusalCode == "reading_below_previous";
                const std::string why = recheck              ? ctx.tr("readings.refused_check")
                                        : m.refusal.empty() ? ctx.tr("readings.refused_local")
                                                            : m.refusal;
                h += text(body, body->FontSize, why, ImVec2(p.x, p.y + h), cw, kWarn);
            }
            return h;
        });
        rowH = std::max(rowH, h);
        if (++column == columns) {
            y += rowH + 20 * u;
            rowH = 0;
            column = 0;
        }
    }
    if (column != 0) y += rowH + 20 * u;

    y += drawReceiptState(ctx, flow.printState(), body, body->FontSize, ImVec2(x, y), w);

    // The bar: Done, and the meter-service ticket when calibration is overdue, else printing
    // again when the receipt failed.
    const bool offerTicket = flow.calibrationOverdue() && ctx.model.meterServiceOpen();
    const bool reprint = flow.printState() == PrintState::Failed;
    if (flow.calibrationOverdue()) {
        y += text(body, body->FontSize,
                  ctx.tr(offerTicket ? "readings.calibration_offer" : "readings.calibration_window"), ImVec2(x, y), w,
                  kText) + 20 * u;
    }
    if (offerTicket && reprint) {
        const ImVec2 size(std::min(w, 520 * u), buttonHeight(ctx));
        if (bigButton("print-again", ctx.tr("readings.print_again"), ImVec2(x, y), size, kSecondary, kWhite, large)) {
            flow.printAgain();
        }
    }
    const BarTaps bar = offerTicket ? drawBottomBar(ctx, ctx.tr("kiosk.done"), ctx.tr("readings.calibration_ticket"))
                        : reprint   ? drawBottomBar(ctx, ctx.tr("kiosk.done"), ctx.tr("readings.print_again"))
                                    : drawBottomBar(ctx, ctx.tr("kiosk.done"), "");
    if (bar.right) {
        if (offerTicket) {
            ctx.model.readingsTicket();
            return;
        }
        flow.printAgain();
    }
    if (bar.left) ctx.model.backToHome();
}

}  // namespace

void drawReadings(ViewContext& ctx) {
    drawHeader(ctx, ctx.tr("readings.title"));
    const float top = ctx.height * 0.4f;
    switch (ctx.model.readings().step()) {
        case ReadingsStep::Account: drawAccount(ctx); break;
        case ReadingsStep::LookingUp: drawMessage(ctx, ctx.tr("readings.looking_up"), "", kText, top); break;
        case ReadingsStep::Meters: drawMeters(ctx); break;
        case ReadingsStep::Entry: drawEntry(ctx); break;
        case ReadingsStep::Warning: drawWarning(ctx); break;
        case ReadingsStep::Summary: drawSummary(ctx); break;
        case ReadingsStep::Sending: drawMessage(ctx, ctx.tr("readings.sending"), "", kText, top); break;
        case ReadingsStep::Done: drawDone(ctx); break;
    }
}

}  // namespace talon::kiosk
