// Kiosk screens. Sizes derive from the window, so portrait (the usual kiosk) and landscape each
// get their own arrangement instead of a stretched one; touch targets never go under 15 mm.
#include "kiosk_views.h"

#include <imgui.h>

#include "view_parts.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "talon/common/wire.h"
#include "talon/ui/keyboard.h"
#include "talon/ui/widgets.h"

namespace talon::kiosk {
namespace parts {


float unit(const ViewContext& ctx) { return std::min(ctx.width, ctx.height) / 1080.0f; }
bool portrait(const ViewContext& ctx) { return ctx.height > ctx.width; }
float headerHeight(const ViewContext& ctx) { return std::max(150 * unit(ctx), minTargetPx(ctx) + 30 * unit(ctx)); }

ImU32 darker(ImU32 color) {
    ImVec4 c = ImGui::ColorConvertU32ToFloat4(color);
    return ImGui::ColorConvertFloat4ToU32(ImVec4(c.x * 0.75f, c.y * 0.75f, c.z * 0.75f, c.w));
}

bool bigButton(const char* id, const std::string& label, ImVec2 pos, ImVec2 size, ImU32 fill, ImU32 textColor,
               ImFont* font, bool enabled) {
    ImGui::SetCursorScreenPos(pos);
    const bool clicked = ImGui::InvisibleButton(id, size) && enabled;
    const bool pressed = ImGui::IsItemActive() && enabled;
    const ImVec2 max(pos.x + size.x, pos.y + size.y);
    ui::touchTarget(id, pos, max);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float r = std::min(size.y * 0.18f, 28.0f);
    dl->AddRectFilled(pos, max, enabled ? (pressed ? darker(fill) : fill) : kDisabled, r);
    // Labels that do not fit on one line wrap, centred.
    const float width = size.x - 24;
    const ImVec2 one = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, label.c_str());
    if (one.x <= width) {
        ui::textInRect(font, label, pos, max, textColor);
    } else {
        const float h = ui::wrappedHeight(font, font->FontSize, label, width);
        ImGui::SetCursorScreenPos(ImVec2(pos.x, pos.y + (size.y - h) * 0.5f));
        ImGui::PushClipRect(pos, max, true);
        ImGui::BeginGroup();
        ImGui::PushTextWrapPos(pos.x + size.x - 12);
        ImGui::SetCursorScreenPos(ImVec2(pos.x + 12, pos.y + (size.y - h) * 0.5f));
        ImGui::EndGroup();
        ImGui::PopTextWrapPos();
        ImGui::PopClipRect();
        // Centre each wrapped line ourselves (ImGui wraps left-aligned).
        float y = pos.y + (size.y - h) * 0.5f;
        std::string line, rest = label;
        while (!rest.empty()) {
            const char* end = font->CalcWordWrapPositionA(1.0f, rest.c_str(), rest.c_str() + rest.size(), width);
            if (end == rest.c_str()) end = rest.c_str() + 1;
            line.assign(rest.c_str(), end);
            while (!line.empty() && line.back() == ' ') line.pop_back();
            rest.erase(0, static_cast<size_t>(end - rest.c_str()));
            while (!rest.empty() && rest.front() == ' ') rest.erase(0, 1);
            const float lw = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, line.c_str()).x;
            dl->AddText(font, font->FontSize, ImVec2(pos.x + (size.x - lw) * 0.5f, y), textColor, line.c_str());
            y += font->FontSize;
        }
    }
    return clicked;
}

/// "12 min" / "under a minute" for a wait in seconds.
std::string waitText(const ViewContext& ctx, int seconds) {
    if (seconds < 60) return ctx.tr("time.under_minute");
    return ctx.tr("time.minutes", {{"n", std::to_string((seconds + 59) / 60)}});
}

std::string officeName(const ViewContext& ctx) {
    const auto& office = ctx.model.office();
    if (office && !office->names.empty()) return localized(office->names, ctx.model.language());
    return ctx.tr("kiosk.title");
}

/// Header band: the office's name, the language switch and, in the top-left corner, the
/// hidden target staff tap to leave the kiosk.
void drawHeader(ViewContext& ctx, const std::string& title) {
    const float u = unit(ctx);
    const float h = headerHeight(ctx);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(ImVec2(0, 0), ImVec2(ctx.width, h), kHeader);
    ImGui::SetCursorScreenPos(ImVec2(0, 0));
    if (ImGui::InvisibleButton("corner", ImVec2(h, h))) ctx.model.cornerTap();

    const auto& langs = ctx.model.languages();
    const float bw = std::max(130 * u, minTargetPx(ctx)), bh = std::max(96 * u, minTargetPx(ctx)), gap = 20 * u;
    const float langsW = langs.size() * bw + (langs.size() - 1) * gap;
    float x = ctx.width - 48 * u - langsW;
    ImFont* large = ctx.fonts.large;
    const float titleW = x - 48 * u - 24 * u;
    float size = large->FontSize;
    if (large->CalcTextSizeA(size, FLT_MAX, 0, title.c_str()).x > titleW) size = ctx.fonts.body->FontSize;
    ImGui::PushClipRect(ImVec2(0, 0), ImVec2(x - 12 * u, h), true);
    dl->AddText(large, size, ImVec2(48 * u, (h - size) * 0.5f), kWhite, title.c_str());
    ImGui::PopClipRect();
    // The answer on its way comes in the language it was asked in.
    if (ctx.model.screen() == KioskScreen::Issuing) return;
    if (ctx.model.screen() == KioskScreen::Readings && (ctx.model.readings().step() == ReadingsStep::LookingUp ||
                                                        ctx.model.readings().step() == ReadingsStep::Sending)) {
        return;
    }
    if (ctx.model.screen() == KioskScreen::Appeal && ctx.model.appeals().waiting()) return;
    for (const auto& lang : langs) {
        std::string label = lang;
        std::transform(label.begin(), label.end(), label.begin(), ::toupper);
        const bool active = lang == ctx.model.language();
        if (bigButton(("lang-" + lang).c_str(), label, ImVec2(x, (h - bh) * 0.5f), ImVec2(bw, bh),
                      active ? kWhite : kHeaderButton, active ? kHeader : kWhite, large)) {
            ctx.model.setLanguage(lang);
        }
        x += bw + gap;
    }
}

float drawBackBar(ViewContext& ctx, const char* id) {
    const float u = unit(ctx);
    const ImVec2 size(std::min(ctx.width - 120 * u, 520 * u), std::max(130 * u, minTargetPx(ctx)));
    const ImVec2 pos((ctx.width - size.x) * 0.5f, ctx.height - size.y - 70 * u);
    if (bigButton(id, ctx.tr("kiosk.back"), pos, size, kSecondary, kWhite, ctx.fonts.large)) ctx.model.backToHome();
    return pos.y;
}

/// Title and body centred in the upper part of the screen.
void drawMessage(ViewContext& ctx, const std::string& title, const std::string& body, ImU32 titleColor,
                 float top) {
    const float u = unit(ctx);
    ImGui::SetCursorScreenPos(ImVec2(0, top));
    ui::centeredWrapped(ctx.fonts.large, title, ctx.width - 160 * u, titleColor);
    if (body.empty()) return;
    ImGui::Dummy(ImVec2(0, 30 * u));
    ui::centeredWrapped(ctx.fonts.body, body, ctx.width - 200 * u, kText);
}

void drawQr(const QrModules& qr, ImVec2 pos, float side) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(pos, ImVec2(pos.x + side, pos.y + side), kWhite);
    if (qr.size == 0) return;
    const int quiet = 2;
    const float m = std::floor(side / static_cast<float>(qr.size + 2 * quiet));
    const float off = std::floor((side - m * static_cast<float>(qr.size)) * 0.5f);
    for (int y = 0; y < qr.size; ++y) {
        for (int x = 0; x < qr.size; ++x) {
            if (!qr.at(x, y)) continue;
            const ImVec2 a(pos.x + off + x * m, pos.y + off + y * m);
            dl->AddRectFilled(a, ImVec2(a.x + m, a.y + m), IM_COL32(0, 0, 0, 255));
        }
    }
}

/// "Monday 08:00–20:00" lines of the office's week, with holidays; returns the height used.
float drawHours(ViewContext& ctx, ImVec2 pos, float width) {
    const float u = unit(ctx);
    const auto& office = ctx.model.office();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImFont* body = ctx.fonts.body;
    ImFont* large = ctx.fonts.large;
    float y = pos.y;
    dl->AddText(large, large->FontSize * 0.8f, ImVec2(pos.x, y), kHeader, ctx.tr("kiosk.hours").c_str());
    y += large->FontSize * 0.8f + 18 * u;
    if (!office) {
        dl->AddText(body, body->FontSize, ImVec2(pos.x, y), kMuted, ctx.tr("kiosk.loading").c_str());
        return y + body->FontSize - pos.y;
    }
    for (int day = 0; day < 7; ++day) {
        auto it = std::find_if(office->hours.begin(), office->hours.end(),
                               [day](const DayHours& h) { return h.weekday == day; });
        std::string when;
        if (it == office->hours.end()) {
            when = ctx.tr("kiosk.hours.closed");
        } else if (it->openMinute == 0 && it->closeMinute >= 24 * 60) {
            when = ctx.tr("kiosk.hours.all_day");
        } else {
            when = wire::clockText(it->openMinute) + "–" + wire::clockText(it->closeMinute);
        }
        const ImU32 color = it == office->hours.end() ? kWarn : kText;
        dl->AddText(body, body->FontSize, ImVec2(pos.x, y), kMuted, ctx.tr("day." + std::to_string(day)).c_str());
        const float w = body->CalcTextSizeA(body->FontSize, FLT_MAX, 0, when.c_str()).x;
        dl->AddText(body, body->FontSize, ImVec2(pos.x + width - w, y), color, when.c_str());
        y += body->FontSize + 12 * u;
    }
    if (!office->holidays.empty()) {
        std::string dates;
        for (size_t i = 0; i < office->holidays.size() && i < 4; ++i) {
            const std::string& d = office->holidays[i];  // YYYY-MM-DD → DD.MM
            dates += (i ? ", " : "") + (d.size() == 10 ? d.substr(8, 2) + "." + d.substr(5, 2) : d);
        }
        y += 8 * u;
        y += ui::wrappedText(body, body->FontSize, ctx.tr("kiosk.holidays", {{"dates", dates}}), ImVec2(pos.x, y),
                             width, kWarn);
    }
    return y - pos.y;
}

/// A home-bar button: its label on one line in the large font, scaled down as far as it must
/// be, or on two lines when one would be too small to read.
bool homeButton(ViewContext& ctx, const char* id, const std::string& label, ImVec2 pos, ImVec2 size, ImU32 fill) {
    const float u = unit(ctx);
    ImFont* font = ctx.fonts.large;
    const bool tapped = bigButton(id, "", pos, size, fill, kWhite, font);
    const float room = size.x - 40 * u;
    const float natural = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, label.c_str()).x;
    float fontSize = std::min(font->FontSize, font->FontSize * room / natural);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (fontSize >= font->FontSize * 0.8f || label.find(' ') == std::string::npos) {
        const ImVec2 t = font->CalcTextSizeA(fontSize, FLT_MAX, 0, label.c_str());
        dl->AddText(font, fontSize, ImVec2(pos.x + (size.x - t.x) * 0.5f, pos.y + (size.y - t.y) * 0.5f), kWhite,
                    label.c_str());
        return tapped;
    }
    // Two lines, split at the space nearest the middle.
    size_t best = std::string::npos;
    for (size_t i = label.find(' '); i != std::string::npos; i = label.find(' ', i + 1)) {
        if (best == std::string::npos || std::abs(static_cast<float>(i) - label.size() * 0.5f) <
                                             std::abs(static_cast<float>(best) - label.size() * 0.5f)) {
            best = i;
        }
    }
    const std::string lines[2] = {label.substr(0, best), label.substr(best + 1)};
    float widest = 0;
    for (const auto& l : lines) widest = std::max(widest, font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, l.c_str()).x);
    fontSize = std::min(font->FontSize * 0.85f, font->FontSize * room / widest);
    const float lineH = fontSize * 1.08f;
    float y = pos.y + (size.y - 2 * lineH) * 0.5f;
    for (const auto& l : lines) {
        const float w = font->CalcTextSizeA(fontSize, FLT_MAX, 0, l.c_str()).x;
        dl->AddText(font, fontSize, ImVec2(pos.x + (size.x - w) * 0.5f, y), kWhite, l.c_str());
        y += lineH;
    }
    return tapped;
}

/// The bottom of the home and closed screens: meter readings and appeals (they need no queue,
/// so they work while the office is closed too) and information.
void drawHomeBar(ViewContext& ctx, float y, float h) {
    const float u = unit(ctx);
    const float margin = 60 * u, gap = 24 * u;
    struct Entry {
        const char* id;
        std::string label;
        ImU32 fill;
        float weight;
    };
    std::vector<Entry> entries;
    if (ctx.model.readingsEnabled()) entries.push_back({"readings", ctx.tr("kiosk.readings"), kGood, 1.6f});
    if (ctx.model.appealsEnabled()) entries.push_back({"appeals", ctx.tr("kiosk.appeal"), kHeader, 1.4f});
    entries.push_back({"info", ctx.tr("kiosk.info"), kSecondary, 1.0f});
    const float w = entries.size() == 1 ? std::min(ctx.width - 2 * margin, 560 * u)
                                        : std::min(ctx.width - 2 * margin, 1400 * u);
    float total = 0;
    for (const auto& e : entries) total += e.weight;
    const float share = (w - (entries.size() - 1) * gap) / total;
    float x = (ctx.width - w) * 0.5f;
    for (const auto& e : entries) {
        const float bw = share * e.weight;
        if (homeButton(ctx, e.id, e.label, ImVec2(x, y), ImVec2(bw, h), e.fill)) {
            const std::string id = e.id;
            if (id == "readings") {
                ctx.model.openReadings();
            } else if (id == "appeals") {
                ctx.model.openAppeal();
            } else {
                ctx.model.openInfo();
            }
            return;
        }
        x += bw + gap;
    }
}

float margin(const ViewContext& ctx) { return 60 * unit(ctx); }
float columnWidth(const ViewContext& ctx) { return std::min(ctx.width - 2 * margin(ctx), 1000 * unit(ctx)); }
float buttonHeight(const ViewContext& ctx) { return std::max(130 * unit(ctx), minTargetPx(ctx)); }

BarTaps drawBottomBar(ViewContext& ctx, const std::string& left, const std::string& right, bool rightEnabled,
                      ImU32 rightFill) {
    const float u = unit(ctx);
    const float w = columnWidth(ctx), h = buttonHeight(ctx), gap = 28 * u;
    const float x = (ctx.width - w) * 0.5f, y = ctx.height - h - 60 * u;
    BarTaps taps;
    if (right.empty()) {
        taps.left = bigButton("bar-left", left, ImVec2(x + (w - std::min(w, 520 * u)) * 0.5f, y),
                              ImVec2(std::min(w, 520 * u), h), kSecondary, kWhite, ctx.fonts.large);
        return taps;
    }
    const float lw = (w - gap) * 0.4f, rw = w - gap - lw;
    taps.left = bigButton("bar-left", left, ImVec2(x, y), ImVec2(lw, h), kSecondary, kWhite, ctx.fonts.large);
    taps.right = bigButton("bar-right", right, ImVec2(x + lw + gap, y), ImVec2(rw, h), rightFill, kWhite,
                           ctx.fonts.large, rightEnabled);
    return taps;
}

float bottomBarTop(const ViewContext& ctx) { return ctx.height - buttonHeight(ctx) - 60 * unit(ctx); }

float drawReceiptState(ViewContext& ctx, PrintState state, ImFont* font, float size, ImVec2 pos, float width) {
    std::string line;
    ImU32 color = kMuted;
    switch (state) {
        case PrintState::None: return 0;
        case PrintState::Printing: line = ctx.tr("readings.printing"); break;
        case PrintState::Printed:
            line = ctx.tr("readings.printed");
            color = kGood;
            break;
        case PrintState::Failed:
            line = ctx.tr("readings.print_failed");
            color = kWarn;
            break;
    }
    return ui::wrappedText(font, size, line, pos, width, color) + 20 * unit(ctx);
}

float text(ImFont* font, float size, const std::string& s, ImVec2 pos, float width, ImU32 color) {
    return ui::wrappedText(font, size, s, pos, width, color);
}

float fittedLine(ImFont* font, float size, const std::string& s, ImVec2 pos, float width, ImU32 color) {
    const float natural = font->CalcTextSizeA(size, FLT_MAX, 0, s.c_str()).x;
    if (natural > width) size *= width / natural;
    ImGui::GetWindowDrawList()->AddText(font, size, pos, color, s.c_str());
    return size;
}

}  // namespace parts

using namespace parts;

float minTargetPx(const ViewContext& ctx) { return std::ceil(15.0f * ctx.pxPerMm); }

void drawKiosk(ViewContext& ctx) {
    ui::beginFullscreen("kiosk", kBackground);
    switch (ctx.model.screen()) {
        case KioskScreen::Loading: drawLoading(ctx); break;
        case KioskScreen::Home: drawHome(ctx); break;
        case KioskScreen::Priority: drawPriority(ctx); break;
        case KioskScreen::Issuing: drawIssuing(ctx); break;
        case KioskScreen::Ticket: drawTicket(ctx); break;
        case KioskScreen::IssueFailed: drawIssueFailed(ctx); break;
        case KioskScreen::Unreachable: drawUnreachable(ctx); break;
        case KioskScreen::Closed: drawClosed(ctx); break;
        case KioskScreen::Info: drawInfo(ctx); break;
        case KioskScreen::AdminPin: drawAdminPin(ctx); break;
        case KioskScreen::AdminMenu: drawAdminMenu(ctx); break;
        case KioskScreen::Readings: drawReadings(ctx); break;
        case KioskScreen::Appeal: drawAppeal(ctx); break;
    }
    ImGui::End();
}

void drawLoading(ViewContext& ctx) {
    drawHeader(ctx, ctx.tr("kiosk.title"));
    drawMessage(ctx, ctx.tr("kiosk.loading"), "", kText, ctx.height * 0.4f);
}

void drawHome(ViewContext& ctx) {
    const float u = unit(ctx);
    drawHeader(ctx, officeName(ctx));
    const float margin = 60 * u, gap = 28 * u;
    ImGui::SetCursorScreenPos(ImVec2(0, headerHeight(ctx) + 36 * u));
    ui::centeredText(ctx.fonts.large, ctx.tr("kiosk.choose_service"), kText);

    const float top = ImGui::GetCursorScreenPos().y + 20 * u;
    // The information entry sits at the bottom; services share the space above it.
    const float barH = std::max(120 * u, minTargetPx(ctx));
    const float barY = ctx.height - barH - 50 * u;
    drawHomeBar(ctx, barY, barH);

    const auto& services = ctx.model.services();
    if (services.empty()) {
        ImGui::SetCursorScreenPos(ImVec2(0, top + 40 * u));
        ui::centeredText(ctx.fonts.body, ctx.tr("kiosk.no_services"), kMuted);
        return;
    }
    const int columns = portrait(ctx) ? 1 : 2;
    const int rows = static_cast<int>((services.size() + columns - 1) / columns);
    const float cellW = (ctx.width - 2 * margin - (columns - 1) * gap) / columns;
    const float availH = barY - 40 * u - top;
    const float cellH = std::clamp((availH - (rows - 1) * gap) / rows, minTargetPx(ctx), 230 * u);
    const float gridH = rows * cellH + (rows - 1) * gap;
    const float y0 = top + std::max(0.0f, (availH - gridH) * 0.5f);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (size_t i = 0; i < services.size(); ++i) {
        const Service& s = services[i];
        const int row = static_cast<int>(i) / columns, col = static_cast<int>(i) % columns;
        const ImVec2 pos(margin + col * (cellW + gap), y0 + row * (cellH + gap));
        ImGui::SetCursorScreenPos(pos);
        const bool open = s.availability.open;
        const std::string id = "svc-" + s.letter;
        const bool clicked = ImGui::InvisibleButton(id.c_str(), ImVec2(cellW, cellH));
        const bool pressed = ImGui::IsItemActive() && open;
        const ImVec2 max(pos.x + cellW, pos.y + cellH);
        ui::touchTarget(id, pos, max);
        dl->AddRectFilled(ImVec2(pos.x + 4 * u, pos.y + 6 * u), ImVec2(max.x + 4 * u, max.y + 6 * u), kShadow,
                          24 * u);
        dl->AddRectFilled(pos, max, pressed ? kCardPressed : kCard, 24 * u);
        // Letter badge.
        const float badge = cellH - 40 * u;
        const ImVec2 bmin(pos.x + 20 * u, pos.y + 20 * u), bmax(bmin.x + badge, bmin.y + badge);
        dl->AddRectFilled(bmin, bmax, open ? kAccent : kDisabled, 18 * u);
        ui::textInRect(ctx.fonts.large, s.letter, bmin, bmax, kWhite);
        // Name (wrapped) and, when open, people waiting with the honest estimate; when
        // closed, why, in the visitor's words.
        const float textX = bmax.x + 30 * u;
        const float textW = max.x - textX - 24 * u;
        const std::string name = localized(s.names, ctx.model.language());
        ImFont* f = ctx.fonts.large;
        float fontSize = f->FontSize * 0.82f;
        float nameH = ui::wrappedHeight(f, fontSize, name, textW);
        if (nameH > cellH * 0.62f) {
            fontSize = f->FontSize * 0.62f;
            nameH = ui::wrappedHeight(f, fontSize, name, textW);
        }
        std::string line;
        if (open) {
            line = ctx.tr("kiosk.waiting", {{"n", std::to_string(s.waiting)}});
            if (s.ewtSeconds) line += (*s.ewtSeconds < 60 ? " · " : " · ~") + waitText(ctx, *s.ewtSeconds);
        } else {
            line = s.availability.message;
        }
        const float lineSize = ctx.fonts.body->FontSize;
        const float blockH = nameH + 12 * u + lineSize;
        const float ty = pos.y + (cellH - blockH) * 0.5f;
        ui::wrappedText(f, fontSize, name, ImVec2(textX, ty), textW, open ? kText : kMuted);
        ui::wrappedText(ctx.fonts.body, lineSize, line, ImVec2(textX, ty + nameH + 12 * u), textW,
                        open ? kMuted : kWarn);
        if (clicked) ctx.model.chooseService(s.letter);
    }
}

void drawPriority(ViewContext& ctx) {
    const float u = unit(ctx);
    drawHeader(ctx, officeName(ctx));
    const Service* s = ctx.model.pendingService();
    const float margin = 60 * u, gap = 28 * u;
    float y = headerHeight(ctx) + 40 * u;
    if (s) {
        // The chosen service, so the visitor sees the tap registered.
        const std::string chosen = s->letter + " · " + localized(s->names, ctx.model.language());
        ImGui::SetCursorScreenPos(ImVec2(0, y));
        ui::centeredWrapped(ctx.fonts.body, chosen, ctx.width - 2 * margin, kMuted);
        y = ImGui::GetCursorScreenPos().y + 20 * u;
    }
    ImGui::SetCursorScreenPos(ImVec2(0, y));
    ui::centeredWrapped(ctx.fonts.large, ctx.tr("kiosk.priority.title"), ctx.width - 2 * margin, kText);
    ImGui::Dummy(ImVec2(0, 16 * u));
    ui::centeredWrapped(ctx.fonts.body, ctx.tr("kiosk.priority.explain"), ctx.width - 2 * margin - 80 * u, kMuted);
    y = ImGui::GetCursorScreenPos().y + 40 * u;

    const float backTop = drawBackBar(ctx);
    const float noH = std::max(150 * u, minTargetPx(ctx));
    const float noY = backTop - noH - 40 * u;
    const ImVec2 noSize(ctx.width - 2 * margin, noH);
    if (bigButton("prio-none", ctx.tr("kiosk.priority.none"), ImVec2(margin, noY), noSize, kAccent, kWhite,
                  ctx.fonts.large)) {
        ctx.model.choosePriority(std::nullopt);
    }
    struct Option {
        const char* id;
        const char* key;
        PriorityReason reason;
    };
    const Option options[] = {{"prio-disabled", "kiosk.priority.disabled", PriorityReason::Disabled},
                              {"prio-elderly", "kiosk.priority.elderly", PriorityReason::Elderly},
                              {"prio-pregnant", "kiosk.priority.pregnant", PriorityReason::Pregnant}};
    const float availH = noY - 40 * u - y;
    if (portrait(ctx)) {
        const float h = std::clamp((availH - 2 * gap) / 3, minTargetPx(ctx), 170 * u);
        for (int i = 0; i < 3; ++i) {
            const ImVec2 pos(margin, y + i * (h + gap));
            if (bigButton(options[i].id, ctx.tr(options[i].key), pos, ImVec2(ctx.width - 2 * margin, h), kCard, kHeader,
                          ctx.fonts.large)) {
                ctx.model.choosePriority(options[i].reason);
            }
        }
    } else {
        const float w = (ctx.width - 2 * margin - 2 * gap) / 3;
        const float h = std::clamp(availH, minTargetPx(ctx), 200 * u);
        for (int i = 0; i < 3; ++i) {
            const ImVec2 pos(margin + i * (w + gap), y + (availH - h) * 0.5f);
            if (bigButton(options[i].id, ctx.tr(options[i].key), pos, ImVec2(w, h), kCard, kHeader, ctx.fonts.large)) {
                ctx.model.choosePriority(options[i].reason);
            }
        }
    }
}

void drawIssuing(ViewContext& ctx) {
    drawHeader(ctx, officeName(ctx));
    drawMessage(ctx, ctx.tr("kiosk.issuing"), "", kText, ctx.height * 0.4f);
}

void drawTicket(ViewContext& ctx) {
    const float u = unit(ctx);
    drawHeader(ctx, officeName(ctx));
    // A copy: the Done button below ends the session, and with it the model's ticket.
    const std::optional<Ticket> ticket = ctx.model.ticket();
    if (!ticket) return;
    const Service* s = ctx.model.serviceByLetter(ticket->service);
    const PrintState print = ctx.model.printState();
    const bool failed = print == PrintState::Failed;
    const float margin = 60 * u;
    ImDrawList* dl = ImGui::GetWindowDrawList();

    // The "Done" button first: everything else fits above it.
    const ImVec2 doneSize(std::min(ctx.width - 2 * margin, 520 * u), std::max(130 * u, minTargetPx(ctx)));
    const float doneY = ctx.height - doneSize.y - 70 * u;
    if (bigButton("done", ctx.tr("kiosk.done"), ImVec2((ctx.width - doneSize.x) * 0.5f, doneY), doneSize, kAccent,
                  kWhite, ctx.fonts.large)) {
        ctx.model.finishTicket();
        return;  // the next frame draws the home screen
    }

    // Status line: printing, take your ticket, or the printer failed (with what to do).
    float y = headerHeight(ctx) + 40 * u;
    if (failed) {
        const float bodyW = ctx.width - 2 * margin - 60 * u;
        const std::string body = ctx.tr("kiosk.print_failed.body");
        const float h = ctx.fonts.large->FontSize + 16 * u + ui::wrappedHeight(ctx.fonts.body, ctx.fonts.body->FontSize,
                                                                               body, bodyW) + 60 * u;
        dl->AddRectFilled(ImVec2(margin, y), ImVec2(ctx.width - margin, y + h), kWarnBack, 24 * u);
        dl->AddRect(ImVec2(margin, y), ImVec2(ctx.width - margin, y + h), kWarn, 24 * u, 0, 4 * u);
        dl->AddText(ctx.fonts.large, ctx.fonts.large->FontSize, ImVec2(margin + 30 * u, y + 30 * u), kWarn,
                    ctx.tr("kiosk.print_failed.title").c_str());
        ui::wrappedText(ctx.fonts.body, ctx.fonts.body->FontSize, body,
                        ImVec2(margin + 30 * u, y + 30 * u + ctx.fonts.large->FontSize + 16 * u), bodyW, kText);
        y += h + 30 * u;
    } else {
        const std::string line = print == PrintState::Printing ? ctx.tr("kiosk.printing") : ctx.tr("kiosk.take_ticket");
        ImGui::SetCursorScreenPos(ImVec2(0, y));
        ui::centeredWrapped(ctx.fonts.large, line, ctx.width - 2 * margin, print == PrintState::Printed ? kGood : kText);
        y = ImGui::GetCursorScreenPos().y + 30 * u;
    }

    // Number card (larger when it was not printed), then service, people ahead and the wait.
    const bool side = !portrait(ctx);
    const float cardW = side ? ctx.width * 0.42f : std::min(ctx.width - 2 * margin, 900 * u);
    const float cardH = failed ? 340 * u : 300 * u;
    const ImVec2 cmin(side ? margin : (ctx.width - cardW) * 0.5f, y);
    const ImVec2 cmax(cmin.x + cardW, cmin.y + cardH);
    dl->AddRectFilled(cmin, cmax, kCard, 28 * u);
    dl->AddRect(cmin, cmax, failed ? kWarn : kAccent, 28 * u, 0, 6 * u);
    dl->AddText(ctx.fonts.body, ctx.fonts.body->FontSize, ImVec2(cmin.x + 30 * u, cmin.y + 20 * u), kMuted,
                ctx.tr("kiosk.your_ticket").c_str());
    ui::textInRect(ctx.fonts.huge, ticket->number, ImVec2(cmin.x, cmin.y + 30 * u), cmax, kHeader);

    const float detailX = side ? cmax.x + 60 * u : margin;
    const float detailW = side ? ctx.width - detailX - margin : ctx.width - 2 * margin;
    float dy = side ? cmin.y : cmax.y + 36 * u;
    auto line = [&](ImFont* font, const std::string& text, ImU32 color) {
        if (side) {
            dy += ui::wrappedText(font, font->FontSize, text, ImVec2(detailX, dy), detailW, color) + 16 * u;
        } else {
            ImGui::SetCursorScreenPos(ImVec2(0, dy));
            ui::centeredWrapped(font, text, detailW, color);
            dy = ImGui::GetCursorScreenPos().y + 12 * u;
        }
    };
    if (s) line(ctx.fonts.large, localized(s->names, ctx.model.language()), kText);
    const int ahead = ticket->ahead.value_or(0);
    line(ctx.fonts.large,
         ahead == 0 ? ctx.tr("kiosk.ahead_none") : ctx.tr("kiosk.ahead", {{"n", std::to_string(ahead)}}), kAccent);
    if (ticket->ewtSeconds) {
        line(ctx.fonts.large, ctx.tr("kiosk.ewt", {{"time", waitText(ctx, *ticket->ewtSeconds)}}), kText);
    }
    line(ctx.fonts.body, ctx.tr("kiosk.watch_board"), kMuted);

    // Without paper the QR code goes on screen: a phone photo of it follows the queue.
    if (failed && ctx.model.statusQr().size > 0) {
        const std::string caption = ctx.tr("kiosk.scan_qr");
        if (side) {
            // Under the details, beside its caption.
            const float qrSide = std::min(260 * u, doneY - 30 * u - dy);
            if (qrSide > 150 * u) {
                drawQr(ctx.model.statusQr(), ImVec2(detailX, dy), qrSide);
                ui::wrappedText(ctx.fonts.body, ctx.fonts.body->FontSize, caption,
                                ImVec2(detailX + qrSide + 30 * u, dy + qrSide * 0.3f), detailW - qrSide - 30 * u,
                                kMuted);
            }
        } else {
            const float qrSide = std::min(300 * u, doneY - 60 * u - dy - ctx.fonts.body->FontSize);
            if (qrSide > 150 * u) {
                drawQr(ctx.model.statusQr(), ImVec2((ctx.width - qrSide) * 0.5f, dy + 10 * u), qrSide);
                ImGui::SetCursorScreenPos(ImVec2(0, dy + 10 * u + qrSide + 8 * u));
                ui::centeredWrapped(ctx.fonts.body, caption, detailW, kMuted);
            }
        }
    } else if (!failed && !side) {
        // The ticket comes out below the screen: point there.
        const float cx = ctx.width * 0.5f, top = dy + 40 * u, bottom = doneY - 50 * u;
        if (bottom - top > 160 * u) {
            const float mid = (top + bottom) * 0.5f, w = 70 * u;
            const ImU32 color = print == PrintState::Printed ? kGood : IM_COL32(190, 200, 214, 255);
            dl->AddRectFilled(ImVec2(cx - w * 0.35f, mid - 80 * u), ImVec2(cx + w * 0.35f, mid + 10 * u), color);
            dl->AddTriangleFilled(ImVec2(cx - w, mid + 10 * u), ImVec2(cx + w, mid + 10 * u), ImVec2(cx, mid + 80 * u),
                                  color);
        }
    }
}

void drawIssueFailed(ViewContext& ctx) {
    const float u = unit(ctx);
    drawHeader(ctx, officeName(ctx));
    const std::string body =
        ctx.model.errorMessage().empty() ? ctx.tr("kiosk.unreachable.body") : ctx.model.errorMessage();
    drawMessage(ctx, ctx.tr("kiosk.error.title"), body, kWarn, ctx.height * 0.3f);
    const ImVec2 size(std::min(440 * u, (ctx.width - 160 * u) * 0.5f), std::max(130 * u, minTargetPx(ctx)));
    const bool canRetry = ctx.model.errorUnreachable();
    const float total = canRetry ? size.x * 2 + 40 * u : size.x;
    float x = (ctx.width - total) * 0.5f;
    const float y = ctx.height - size.y - 100 * u;
    if (canRetry) {
        if (bigButton("retry", ctx.tr("kiosk.retry"), ImVec2(x, y), size, kAccent, kWhite, ctx.fonts.large)) {
            ctx.model.retry();
        }
        x += size.x + 40 * u;
    }
    if (bigButton("back", ctx.tr("kiosk.back"), ImVec2(x, y), size, kSecondary, kWhite, ctx.fonts.large)) {
        ctx.model.backToHome();
    }
}

void drawUnreachable(ViewContext& ctx) {
    drawHeader(ctx, officeName(ctx));
    drawMessage(ctx, ctx.tr("kiosk.unreachable.title"), ctx.tr("kiosk.unreachable.body"), kWarn, ctx.height * 0.3f);
}

void drawClosed(ViewContext& ctx) {
    const float u = unit(ctx);
    drawHeader(ctx, officeName(ctx));
    // Why, in the server's words for the first service ("Opens at 08:00", "Holiday today").
    std::string reason;
    for (const auto& s : ctx.model.services()) {
        if (!s.availability.message.empty()) {
            reason = s.availability.message;
            break;
        }
    }
    const float top = headerHeight(ctx) + (portrait(ctx) ? 120 * u : 60 * u);
    drawMessage(ctx, ctx.tr("kiosk.closed.title"), reason.empty() ? ctx.tr("kiosk.closed.body") : reason, kWarn, top);
    const float hoursW = std::min(ctx.width - 240 * u, 760 * u);
    const float y = ImGui::GetCursorScreenPos().y + 50 * u;
    const ImVec2 pos((ctx.width - hoursW) * 0.5f, y);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float pad = 36 * u;
    // Measure by drawing into a channel under the card.
    dl->ChannelsSplit(2);
    dl->ChannelsSetCurrent(1);
    const float h = drawHours(ctx, ImVec2(pos.x + pad, pos.y + pad), hoursW - 2 * pad);
    dl->ChannelsSetCurrent(0);
    dl->AddRectFilled(pos, ImVec2(pos.x + hoursW, pos.y + h + 2 * pad), kCard, 24 * u);
    dl->ChannelsMerge();

    const float barH = std::max(120 * u, minTargetPx(ctx));
    drawHomeBar(ctx, ctx.height - barH - 50 * u, barH);
}

void drawInfo(ViewContext& ctx) {
    const float u = unit(ctx);
    drawHeader(ctx, officeName(ctx));
    const float margin = 60 * u;
    const float top = headerHeight(ctx) + 40 * u;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const bool side = !portrait(ctx);
    const float hoursW = side ? ctx.width * 0.34f : ctx.width - 2 * margin;
    float backTop = ctx.height;
    if (side) {
        // Landscape: Back sits under the hours, so the questions get the whole right side.
        const ImVec2 size(hoursW, std::max(130 * u, minTargetPx(ctx)));
        const ImVec2 pos(margin, ctx.height - size.y - 50 * u);
        if (bigButton("back", ctx.tr("kiosk.back"), pos, size, kSecondary, kWhite, ctx.fonts.large)) {
            ctx.model.backToHome();
        }
    } else {
        backTop = drawBackBar(ctx);
    }

    // Hours card: left column in landscape, top in portrait.
    const float pad = 30 * u;
    dl->ChannelsSplit(2);
    dl->ChannelsSetCurrent(1);
    const float hoursH = drawHours(ctx, ImVec2(margin + pad, top + pad), hoursW - 2 * pad);
    dl->ChannelsSetCurrent(0);
    dl->AddRectFilled(ImVec2(margin, top), ImVec2(margin + hoursW, top + hoursH + 2 * pad), kCard, 24 * u);
    dl->ChannelsMerge();

    // Questions: tap one to read its answer; one open at a time keeps everything on screen.
    const float fx = side ? margin + hoursW + 40 * u : margin;
    const float fw = side ? ctx.width - fx - margin : ctx.width - 2 * margin;
    float y = side ? top : top + hoursH + 2 * pad + 40 * u;
    ImFont* large = ctx.fonts.large;
    dl->AddText(large, large->FontSize * 0.8f, ImVec2(fx, y), kHeader, ctx.tr("kiosk.faq").c_str());
    y += large->FontSize * 0.8f + 20 * u;
    const auto& faq = ctx.model.faq();
    const float rowGap = 14 * u;
    const float qSize = ctx.fonts.body->FontSize;
    for (size_t i = 0; i < faq.size(); ++i) {
        const bool open = ctx.model.openFaq() == static_cast<int>(i);
        const float textW = fw - 2 * pad - 50 * u;
        const float qH = ui::wrappedHeight(ctx.fonts.body, qSize, faq[i].question, textW);
        const float aH = open ? ui::wrappedHeight(ctx.fonts.body, qSize, faq[i].answer, textW) + 16 * u : 0;
        const float rowH = std::max(minTargetPx(ctx), qH + 2 * 22 * u) + aH;
        if (y + rowH > backTop - 30 * u) break;  // never draw over the Back button
        const ImVec2 pos(fx, y), max(fx + fw, y + rowH);
        ImGui::SetCursorScreenPos(pos);
        const std::string id = "faq-" + std::to_string(i);
        if (ImGui::InvisibleButton(id.c_str(), ImVec2(fw, rowH))) ctx.model.toggleFaq(static_cast<int>(i));
        ui::touchTarget(id, pos, max);
        dl->AddRectFilled(pos, max, ImGui::IsItemActive() ? kCardPressed : kCard, 18 * u);
        const float qTop = pos.y + (std::max(minTargetPx(ctx), qH + 44 * u) - qH) * 0.5f;
        ui::wrappedText(ctx.fonts.body, qSize, faq[i].question, ImVec2(pos.x + pad, qTop), textW,
                        open ? kAccent : kText);
        // A chevron: down when closed, up when open.
        const ImVec2 c(max.x - pad - 14 * u, qTop + qSize * 0.5f);
        const float r = 12 * u;
        if (open) {
            dl->AddTriangleFilled(ImVec2(c.x - r, c.y + r * 0.5f), ImVec2(c.x + r, c.y + r * 0.5f),
                                  ImVec2(c.x, c.y - r * 0.6f), kAccent);
            ui::wrappedText(ctx.fonts.body, qSize, faq[i].answer, ImVec2(pos.x + pad, qTop + qH + 16 * u), textW,
                            kMuted);
        } else {
            dl->AddTriangleFilled(ImVec2(c.x - r, c.y - r * 0.5f), ImVec2(c.x + r, c.y - r * 0.5f),
                                  ImVec2(c.x, c.y + r * 0.6f), kMuted);
        }
        y += rowH + rowGap;
    }
}

void drawAdminPin(ViewContext& ctx) {
    const float u = unit(ctx);
    drawHeader(ctx, ctx.tr("kiosk.admin.menu"));
    const float top = headerHeight(ctx) + 50 * u;
    ImGui::SetCursorScreenPos(ImVec2(0, top));
    ui::centeredText(ctx.fonts.large, ctx.tr("kiosk.admin.pin_title"), kText);
    const float fieldW = std::min(ctx.width - 200 * u, 600 * u);
    const float fieldH = std::max(120 * u, minTargetPx(ctx));
    float y = ImGui::GetCursorScreenPos().y + 30 * u;
    ui::EntryFieldStyle field;
    field.font = ctx.fonts.large;
    ui::entryField("pin-field", ctx.model.pinEntry(), ImVec2((ctx.width - fieldW) * 0.5f, y), ImVec2(fieldW, fieldH),
                   field);
    y += fieldH + 20 * u;
    if (ctx.model.pinRejected()) {
        ImGui::SetCursorScreenPos(ImVec2(0, y));
        ui::centeredText(ctx.fonts.body, ctx.tr("kiosk.admin.pin_wrong"), kWarn);
    }
    y += ctx.fonts.body->FontSize + 30 * u;
    const float backTop = drawBackBar(ctx);
    ui::KeypadStyle style;
    style.font = ctx.fonts.large;
    style.minKeyPx = minTargetPx(ctx);
    style.gapPx = 18 * u;
    style.doneLabel = ctx.tr("kiosk.key.done");
    const ImVec2 avail(std::min(ctx.width - 200 * u, 700 * u), backTop - 40 * u - y);
    const ImVec2 size = ui::numericKeypadSize(avail, style);
    auto result = ui::numericKeypad("pin", ctx.model.pinEntry(), ImVec2((ctx.width - size.x) * 0.5f, y), size, style);
    if (result.done()) ctx.model.submitPin();
}

void drawAdminMenu(ViewContext& ctx) {
    const float u = unit(ctx);
    drawHeader(ctx, ctx.tr("kiosk.admin.menu"));
    const float margin = 60 * u;
    const ImVec2 size(std::min(ctx.width - 2 * margin, 760 * u), std::max(140 * u, minTargetPx(ctx)));
    const float x = (ctx.width - size.x) * 0.5f;
    float y = headerHeight(ctx) + 100 * u;
    if (bigButton("admin-test", ctx.tr("kiosk.admin.test_page"), ImVec2(x, y), size, kAccent, kWhite, ctx.fonts.large,
                  !ctx.model.testPrinting())) {
        ctx.model.printTestPage();
    }
    y += size.y + 24 * u;
    std::string status;
    ImU32 color = kMuted;
    if (ctx.model.testPrinting()) {
        status = ctx.tr("kiosk.admin.printing");
    } else if (const auto& t = ctx.model.testPrint()) {
        if (t->ok()) {
            status = ctx.tr("kiosk.admin.test_ok");
            color = kGood;
        } else {
            status = ctx.tr("kiosk.admin.test_failed", {{"detail", ctx.tr("printer." + t->error().code)}});
            color = kWarn;
        }
    }
    ImGui::SetCursorScreenPos(ImVec2(0, y));
    if (!status.empty()) ui::centeredWrapped(ctx.fonts.body, status, ctx.width - 2 * margin, color);
    y += ctx.fonts.body->FontSize * 2 + 30 * u;
    // Readings the server has not taken yet (they go out by themselves once it answers).
    const OutboxState& outbox = ctx.model.outbox();
    std::vector<std::string> outboxLines;
    if (!outbox.available) outboxLines.push_back(ctx.tr("kiosk.admin.outbox_unavailable"));
    if (outbox.pending > 0) {
        outboxLines.push_back(ctx.tr("kiosk.admin.outbox", {{"n", std::to_string(outbox.pending)}}));
    }
    if (outbox.rejected > 0) {
        outboxLines.push_back(ctx.tr("kiosk.admin.outbox_rejected", {{"n", std::to_string(outbox.rejected)}}));
    }
    for (const std::string& line : outboxLines) {
        ImGui::SetCursorScreenPos(ImVec2(0, y));
        ui::centeredWrapped(ctx.fonts.body, line, ctx.width - 2 * margin, kWarn);
        y = ImGui::GetCursorScreenPos().y + 12 * u;
    }
    y += 30 * u;
    if (bigButton("admin-exit", ctx.tr("kiosk.admin.exit"), ImVec2(x, y), size, kWarn, kWhite, ctx.fonts.large)) {
        ctx.model.exitKiosk();
    }
    drawBackBar(ctx);
}

}  // namespace talon::kiosk
