// The board: header with clock, current calls big (ticket → window), waiting per service,
// connection badge. Landscape puts the queue panel beside the calls, portrait below them.
#include "display_views.h"

#include <imgui.h>

#include <algorithm>
#include <ctime>

#include "talon/ui/widgets.h"

namespace talon::display {
namespace {

const ImU32 kBg = IM_COL32(10, 28, 58, 255);
const ImU32 kHeaderBg = IM_COL32(6, 18, 40, 255);
const ImU32 kRow = IM_COL32(20, 46, 88, 255);
const ImU32 kRowAlt = IM_COL32(16, 39, 76, 255);
const ImU32 kFlashOn = IM_COL32(255, 196, 0, 255);
const ImU32 kFlashText = IM_COL32(20, 24, 32, 255);
const ImU32 kNew = IM_COL32(0, 122, 204, 255);
const ImU32 kWhite = IM_COL32(255, 255, 255, 255);
const ImU32 kMuted = IM_COL32(160, 180, 210, 255);
const ImU32 kDoneText = IM_COL32(120, 140, 170, 255);
const ImU32 kPanel = IM_COL32(14, 36, 72, 255);
const ImU32 kAlert = IM_COL32(200, 40, 40, 255);

std::string dateText(WallTime t) {
    const std::time_t tt = static_cast<std::time_t>(toMillis(t) / 1000);
    std::tm tm{};
    localtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%d.%m.%Y", &tm);  // the form read in both languages here
    return buf;
}

void text(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 color, const std::string& s) {
    dl->AddText(font, size, pos, color, s.c_str());
}

float textWidth(ImFont* font, float size, const std::string& s) {
    return font->CalcTextSizeA(size, FLT_MAX, 0, s.c_str()).x;
}

void drawCalls(const BoardView& v, ImDrawList* dl, ImVec2 min, ImVec2 max, float u) {
    const auto& calls = v.model.calls();
    // Column captions.
    text(dl, v.fonts.body, v.fonts.body->FontSize, ImVec2(min.x + 40 * u, min.y), kMuted, v.tr("board.ticket"));
    const std::string windowCaption = v.tr("board.window");
    text(dl, v.fonts.body, v.fonts.body->FontSize,
         ImVec2(max.x - 40 * u - textWidth(v.fonts.body, v.fonts.body->FontSize, windowCaption), min.y), kMuted,
         windowCaption);
    const float top = min.y + v.fonts.body->FontSize + 16 * u;
    if (calls.empty()) {
        ui::textInRect(v.fonts.large, v.tr("board.no_calls"), ImVec2(min.x, top), max, kMuted);
        return;
    }
    const float rowH = 150 * u, gap = 14 * u;
    const int rows = std::max(1, static_cast<int>((max.y - top + gap) / (rowH + gap)));
    ImFont* big = v.fonts.big;
    for (int i = 0; i < rows && i < static_cast<int>(calls.size()); ++i) {
        const BoardCall& c = calls[static_cast<size_t>(i)];
        const ImVec2 rmin(min.x, top + i * (rowH + gap)), rmax(max.x, rmin.y + rowH);
        const bool flashing = v.model.flashing(c.ticketId);
        const bool on = v.model.flashOn(c.ticketId);
        ImU32 bg = i % 2 ? kRowAlt : kRow;
        if (flashing) bg = on ? kFlashOn : kNew;
        dl->AddRectFilled(rmin, rmax, bg, 18 * u);
        const bool finished = c.status != TicketStatus::Called && c.status != TicketStatus::Serving;
        const ImU32 fg = flashing && on ? kFlashText : (finished ? kDoneText : kWhite);
        const float size = (i == 0 ? 1.0f : 0.8f) * big->FontSize;
        const float y = rmin.y + (rowH - size) * 0.5f;
        text(dl, big, size, ImVec2(rmin.x + 40 * u, y), fg, c.number);
        const std::string window = std::to_string(c.window);
        const float ww = textWidth(big, size, window);
        text(dl, big, size, ImVec2(rmax.x - 40 * u - ww, y), fg, window);
        // The arrow between, centred.
        const float aw = textWidth(big, size * 0.8f, "→");
        text(dl, big, size * 0.8f, ImVec2((rmin.x + rmax.x - aw) * 0.5f, rmin.y + (rowH - size * 0.8f) * 0.5f), fg, "→");
    }
}

void drawQueuePanel(const BoardView& v, ImDrawList* dl, ImVec2 min, ImVec2 max, float u) {
    dl->AddRectFilled(min, max, kPanel, 18 * u);
    ImFont* large = v.fonts.large;
    text(dl, large, large->FontSize * 0.8f, ImVec2(min.x + 30 * u, min.y + 24 * u), kWhite, v.tr("board.waiting"));
    float y = min.y + 24 * u + large->FontSize + 10 * u;
    const float rowH = std::min(96 * u, (max.y - y - 20 * u) / std::max<size_t>(1, v.model.services().size()));
    for (const auto& s : v.model.services()) {
        if (y + rowH > max.y) break;
        const ImVec2 bmin(min.x + 30 * u, y + 8 * u), bmax(bmin.x + rowH - 16 * u, y + rowH - 8 * u);
        dl->AddRectFilled(bmin, bmax, kNew, 10 * u);
        ui::textInRect(large, s.letter, bmin, bmax, kWhite);
        const std::string count = std::to_string(s.waiting);
        const float cw = textWidth(large, large->FontSize, count);
        text(dl, large, large->FontSize, ImVec2(max.x - 30 * u - cw, y + (rowH - large->FontSize) * 0.5f), kWhite, count);
        // Estimated wait for a ticket taken now, in whole minutes, left of the count.
        float ewtW = 0;
        if (s.ewtSeconds && s.waiting > 0) {
            const std::string ewt = "~" + v.tr("time.minutes", {{"n", std::to_string((*s.ewtSeconds + 59) / 60)}});
            ImFont* body = v.fonts.body;
            ewtW = textWidth(body, body->FontSize, ewt) + 24 * u;
            text(dl, body, body->FontSize,
                 ImVec2(max.x - 30 * u - cw - ewtW, y + (rowH - body->FontSize) * 0.5f), kFlashOn, ewt);
        }
        const float nameX = bmax.x + 20 * u;
        const float nameW = max.x - 30 * u - cw - ewtW - 20 * u - nameX;
        ImFont* body = v.fonts.body;
        const std::string name = localized(s.names, v.language);
        dl->PushClipRect(ImVec2(nameX, y), ImVec2(nameX + nameW, y + rowH), true);
        text(dl, body, body->FontSize, ImVec2(nameX, y + (rowH - body->FontSize) * 0.5f), kMuted, name);
        dl->PopClipRect();
        y += rowH;
    }
}

}  // namespace

void drawBoard(const BoardView& v) {
    ui::beginFullscreen("board", kBg);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float u = std::min(v.width, v.height) / 1080.0f;
    const bool portrait = v.height > v.width;

    // Header: title, clock and date.
    const float headerH = 130 * u;
    dl->AddRectFilled(ImVec2(0, 0), ImVec2(v.width, headerH), kHeaderBg);
    ImFont* large = v.fonts.large;
    text(dl, large, large->FontSize, ImVec2(48 * u, (headerH - large->FontSize) * 0.5f), kWhite, v.tr("board.title"));
    const std::string clock = formatLocalClock(v.now);
    const float cw = textWidth(v.fonts.big, v.fonts.big->FontSize * 0.7f, clock);
    text(dl, v.fonts.big, v.fonts.big->FontSize * 0.7f,
         ImVec2(v.width - 48 * u - cw, (headerH - v.fonts.big->FontSize * 0.7f) * 0.5f), kWhite, clock);
    const std::string date = dateText(v.now);
    const float dw = textWidth(v.fonts.body, v.fonts.body->FontSize, date);
    text(dl, v.fonts.body, v.fonts.body->FontSize,
         ImVec2(v.width - 48 * u - cw - 30 * u - dw, (headerH - v.fonts.body->FontSize) * 0.5f), kMuted, date);

    const float margin = 40 * u;
    const float footer = 70 * u;
    const ImVec2 areaMin(margin, headerH + margin), areaMax(v.width - margin, v.height - footer);
    if (portrait) {
        const float split = areaMin.y + (areaMax.y - areaMin.y) * 0.62f;
        drawCalls(v, dl, areaMin, ImVec2(areaMax.x, split), u);
        drawQueuePanel(v, dl, ImVec2(areaMin.x, split + margin), areaMax, u);
    } else {
        const float split = areaMin.x + (areaMax.x - areaMin.x) * 0.64f;
        drawCalls(v, dl, areaMin, ImVec2(split, areaMax.y), u);
        drawQueuePanel(v, dl, ImVec2(split + margin, areaMin.y), areaMax, u);
    }

    // Connection state: the last known board stays, with a clear badge over its foot.
    if (v.model.connection() != Connection::Live) {
        const std::string msg = v.model.connection() == Connection::Lost ? v.tr("board.connection_lost")
                                                                         : v.tr("board.connecting");
        ImFont* body = v.fonts.body;
        const float w = textWidth(body, body->FontSize, msg) + 60 * u;
        const ImVec2 bmin((v.width - w) * 0.5f, v.height - footer + 8 * u), bmax(bmin.x + w, v.height - 8 * u);
        dl->AddRectFilled(bmin, bmax, v.model.connection() == Connection::Lost ? kAlert : kNew, 27 * u);
        ui::textInRect(body, msg, bmin, bmax, kWhite);
    }
    ImGui::End();
}

}  // namespace talon::display
