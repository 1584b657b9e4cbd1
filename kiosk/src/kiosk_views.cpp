// Kiosk screens. Sizes derive from the window so portrait and landscape both lay out well.
#include "kiosk_views.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "talon/ui/widgets.h"

namespace talon::kiosk {
namespace {

const ImU32 kBackground = IM_COL32(244, 246, 250, 255);
const ImU32 kHeader = IM_COL32(16, 62, 122, 255);
const ImU32 kCard = IM_COL32(255, 255, 255, 255);
const ImU32 kCardPressed = IM_COL32(214, 228, 247, 255);
const ImU32 kAccent = IM_COL32(0, 122, 204, 255);
const ImU32 kText = IM_COL32(20, 26, 36, 255);
const ImU32 kMuted = IM_COL32(90, 100, 115, 255);
const ImU32 kWhite = IM_COL32(255, 255, 255, 255);
const ImU32 kWarn = IM_COL32(176, 42, 42, 255);

float unit(const ViewContext& ctx) { return std::min(ctx.width, ctx.height) / 1080.0f; }

/// A large touch button drawn by hand; returns true when tapped. Pressed state is visible.
bool bigButton(const char* id, const std::string& label, ImVec2 size, ImU32 fill, ImU32 textColor, ImFont* font) {
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const bool clicked = ImGui::InvisibleButton(id, size);
    const bool pressed = ImGui::IsItemActive();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 max(pos.x + size.x, pos.y + size.y);
    ImU32 color = fill;
    if (pressed) {
        ImVec4 c = ImGui::ColorConvertU32ToFloat4(fill);
        color = ImGui::ColorConvertFloat4ToU32(ImVec4(c.x * 0.75f, c.y * 0.75f, c.z * 0.75f, 1));
    }
    dl->AddRectFilled(pos, max, color, size.y * 0.18f);
    ui::textInRect(font, label, pos, max, textColor);
    return clicked;
}

/// "12 min" / "under a minute" for a wait in seconds.
std::string waitText(const ViewContext& ctx, int seconds) {
    if (seconds < 60) return ctx.tr("time.under_minute");
    return ctx.tr("time.minutes", {{"n", std::to_string((seconds + 59) / 60)}});
}

/// Header band with the title and the language switch.
void drawHeader(ViewContext& ctx, const std::string& title) {
    const float u = unit(ctx);
    const float h = 150 * u;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(ImVec2(0, 0), ImVec2(ctx.width, h), kHeader);
    ImFont* large = ctx.fonts.large;
    dl->AddText(large, large->FontSize, ImVec2(48 * u, (h - large->FontSize) * 0.5f), kWhite, title.c_str());
    // Language buttons, right-aligned.
    const auto& langs = ctx.model.languages();
    const float bw = 130 * u, bh = 96 * u, gap = 20 * u;
    float x = ctx.width - 48 * u - langs.size() * bw - (langs.size() - 1) * gap;
    for (const auto& lang : langs) {
        ImGui::SetCursorScreenPos(ImVec2(x, (h - bh) * 0.5f));
        std::string label = lang;
        std::transform(label.begin(), label.end(), label.begin(), ::toupper);
        const bool active = lang == ctx.model.language();
        if (bigButton(("lang-" + lang).c_str(), label, ImVec2(bw, bh), active ? kWhite : IM_COL32(40, 92, 160, 255),
                      active ? kHeader : kWhite, ctx.fonts.large)) {
            ctx.model.setLanguage(lang);
        }
        x += bw + gap;
    }
    ImGui::SetCursorScreenPos(ImVec2(0, h + 40 * u));
}

void drawMessageScreen(ViewContext& ctx, const std::string& title, const std::string& body, ImU32 titleColor) {
    const float u = unit(ctx);
    drawHeader(ctx, ctx.tr("kiosk.title"));
    ImGui::SetCursorPosY(ctx.height * 0.3f);
    ui::centeredWrapped(ctx.fonts.large, title, ctx.width - 160 * u, titleColor);
    ImGui::Dummy(ImVec2(0, 30 * u));
    ui::centeredWrapped(ctx.fonts.body, body, ctx.width - 200 * u, kText);
}

}  // namespace

void drawKiosk(ViewContext& ctx) {
    ui::beginFullscreen("kiosk", kBackground);
    switch (ctx.model.screen()) {
        case KioskScreen::Loading: drawLoading(ctx); break;
        case KioskScreen::Home: drawHome(ctx); break;
        case KioskScreen::Issuing: drawIssuing(ctx); break;
        case KioskScreen::Ticket: drawTicket(ctx); break;
        case KioskScreen::IssueFailed: drawIssueFailed(ctx); break;
        case KioskScreen::Unreachable: drawUnreachable(ctx); break;
    }
    ImGui::End();
}

void drawLoading(ViewContext& ctx) {
    drawMessageScreen(ctx, ctx.tr("kiosk.loading"), "", kText);
}

void drawHome(ViewContext& ctx) {
    const float u = unit(ctx);
    drawHeader(ctx, ctx.tr("kiosk.title"));
    ui::centeredText(ctx.fonts.large, ctx.tr("kiosk.choose_service"), kText);
    ImGui::Dummy(ImVec2(0, 10 * u));

    const auto& services = ctx.model.services();
    if (services.empty()) {
        ui::centeredText(ctx.fonts.body, ctx.tr("kiosk.no_services"), kMuted);
        return;
    }
    const bool portrait = ctx.height > ctx.width;
    const int columns = portrait ? 1 : 2;
    const float margin = 60 * u, gap = 28 * u;
    const float top = ImGui::GetCursorScreenPos().y;
    const int rows = static_cast<int>((services.size() + columns - 1) / columns);
    const float cellW = (ctx.width - 2 * margin - (columns - 1) * gap) / columns;
    const float availH = ctx.height - top - margin;
    const float cellH = std::clamp((availH - (rows - 1) * gap) / rows, 120 * u, 230 * u);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (size_t i = 0; i < services.size(); ++i) {
        const Service& s = services[i];
        const int row = static_cast<int>(i) / columns, col = static_cast<int>(i) % columns;
        const ImVec2 pos(margin + col * (cellW + gap), top + row * (cellH + gap));
        ImGui::SetCursorScreenPos(pos);
        const bool open = s.availability.open;
        const bool clicked = ImGui::InvisibleButton(("svc-" + s.letter).c_str(), ImVec2(cellW, cellH));
        const bool pressed = ImGui::IsItemActive() && open;
        const ImVec2 max(pos.x + cellW, pos.y + cellH);
        dl->AddRectFilled(ImVec2(pos.x + 4 * u, pos.y + 6 * u), ImVec2(max.x + 4 * u, max.y + 6 * u),
                          IM_COL32(0, 0, 0, 28), 24 * u);
        dl->AddRectFilled(pos, max, pressed ? kCardPressed : kCard, 24 * u);
        // Letter badge.
        const float badge = cellH - 40 * u;
        const ImVec2 bmin(pos.x + 20 * u, pos.y + 20 * u), bmax(bmin.x + badge, bmin.y + badge);
        dl->AddRectFilled(bmin, bmax, open ? kAccent : IM_COL32(160, 168, 180, 255), 18 * u);
        ui::textInRect(ctx.fonts.large, s.letter, bmin, bmax, kWhite);
        // Name (wrapped) and waiting count.
        const float textX = bmax.x + 30 * u;
        const float textW = max.x - textX - 24 * u;
        const std::string name = localized(s.names, ctx.model.language());
        ImFont* f = ctx.fonts.large;
        float fontSize = f->FontSize * 0.82f;
        ImVec2 nameSize = f->CalcTextSizeA(fontSize, FLT_MAX, textW, name.c_str());
        if (nameSize.y > cellH * 0.62f) {
            fontSize = f->FontSize * 0.62f;
            nameSize = f->CalcTextSizeA(fontSize, FLT_MAX, textW, name.c_str());
        }
        const float blockH = nameSize.y + 12 * u + ctx.fonts.body->FontSize;
        const float y0 = pos.y + (cellH - blockH) * 0.5f;
        dl->AddText(f, fontSize, ImVec2(textX, y0), open ? kText : kMuted, name.c_str(), nullptr, textW);
        // Open: people waiting and the honest estimate. Closed: why, in the visitor's words.
        std::string line;
        if (open) {
            line = ctx.tr("kiosk.waiting", {{"n", std::to_string(s.waiting)}});
            if (s.ewtSeconds) line += (*s.ewtSeconds < 60 ? " · " : " · ~") + waitText(ctx, *s.ewtSeconds);
        } else {
            line = s.availability.message;
        }
        dl->AddText(ctx.fonts.body, ctx.fonts.body->FontSize, ImVec2(textX, y0 + nameSize.y + 12 * u),
                    open ? kMuted : kWarn, line.c_str(), nullptr, textW);
        if (clicked) ctx.model.chooseService(s.letter);
    }
}

void drawIssuing(ViewContext& ctx) {
    drawMessageScreen(ctx, ctx.tr("kiosk.issuing"), "", kText);
}

void drawTicket(ViewContext& ctx) {
    const float u = unit(ctx);
    const auto& ticket = ctx.model.ticket();
    drawHeader(ctx, ctx.tr("kiosk.title"));
    if (!ticket) return;
    const Service* s = ctx.model.serviceByLetter(ticket->service);
    ImGui::SetCursorPosY(ctx.height * (ctx.height > ctx.width ? 0.2f : 0.17f));
    ui::centeredText(ctx.fonts.large, ctx.tr("kiosk.your_ticket"), kMuted);
    // The number on a white card, like the printed ticket.
    const float cardW = std::min(ctx.width - 120 * u, 900 * u), cardH = 300 * u;
    const ImVec2 cmin((ctx.width - cardW) * 0.5f, ImGui::GetCursorScreenPos().y + 10 * u);
    const ImVec2 cmax(cmin.x + cardW, cmin.y + cardH);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(cmin, cmax, kCard, 28 * u);
    dl->AddRect(cmin, cmax, kAccent, 28 * u, 0, 6 * u);
    ui::textInRect(ctx.fonts.huge, ticket->number, cmin, cmax, kHeader);
    ImGui::SetCursorScreenPos(ImVec2(0, cmax.y + 36 * u));
    if (s) ui::centeredWrapped(ctx.fonts.large, localized(s->names, ctx.model.language()), ctx.width - 160 * u, kText);
    ImGui::Dummy(ImVec2(0, 10 * u));
    const int ahead = ticket->ahead.value_or(0);
    ui::centeredText(ctx.fonts.large,
                     ahead == 0 ? ctx.tr("kiosk.ahead_none") : ctx.tr("kiosk.ahead", {{"n", std::to_string(ahead)}}),
                     kAccent);
    if (ticket->ewtSeconds) {
        ImGui::Dummy(ImVec2(0, 4 * u));
        ui::centeredText(ctx.fonts.large, ctx.tr("kiosk.ewt", {{"time", waitText(ctx, *ticket->ewtSeconds)}}), kText);
    }
    ImGui::Dummy(ImVec2(0, 10 * u));
    ui::centeredWrapped(ctx.fonts.body, ctx.tr("kiosk.watch_board"), ctx.width - 200 * u, kMuted);
    const ImVec2 size(std::min(ctx.width - 240 * u, 520 * u), 130 * u);
    ImGui::SetCursorScreenPos(ImVec2((ctx.width - size.x) * 0.5f, ctx.height - size.y - 80 * u));
    if (bigButton("done", ctx.tr("kiosk.done"), size, kAccent, kWhite, ctx.fonts.large)) ctx.model.finishTicket();
}

void drawIssueFailed(ViewContext& ctx) {
    const float u = unit(ctx);
    const std::string body = ctx.model.errorMessage().empty() ? ctx.tr("kiosk.unreachable.body") : ctx.model.errorMessage();
    drawMessageScreen(ctx, ctx.tr("kiosk.error.title"), body, kWarn);
    const ImVec2 size(440 * u, 130 * u);
    const bool canRetry = ctx.model.errorUnreachable();
    const float total = canRetry ? size.x * 2 + 40 * u : size.x;
    ImGui::SetCursorScreenPos(ImVec2((ctx.width - total) * 0.5f, ctx.height - size.y - 100 * u));
    if (canRetry) {
        if (bigButton("retry", ctx.tr("kiosk.retry"), size, kAccent, kWhite, ctx.fonts.large)) ctx.model.retry();
        ImGui::SameLine(0, 40 * u);
    }
    if (bigButton("back", ctx.tr("kiosk.back"), size, IM_COL32(96, 106, 120, 255), kWhite, ctx.fonts.large)) {
        ctx.model.backToHome();
    }
}

void drawUnreachable(ViewContext& ctx) {
    drawMessageScreen(ctx, ctx.tr("kiosk.unreachable.title"), ctx.tr("kiosk.unreachable.body"), kWarn);
}

}  // namespace talon::kiosk
