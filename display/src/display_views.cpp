// The board: header with clock and date, current calls big (ticket → window, with the window's
// name), earlier calls smaller, waiting and estimated wait per service, announcements (a ticker
// line, slides when the room is calm, an urgent one over the whole screen) and the connection
// badge. Landscape puts the queue panel beside the calls, portrait below them.
#include "display_views.h"

#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <ctime>

#include "talon/ui/widgets.h"

namespace talon::display {
namespace {

ImU32 col(Rgba c) { return IM_COL32(c.r, c.g, c.b, c.a); }
ImU32 mix(Rgba a, Rgba b, float t) {
    auto m = [&](uint8_t x, uint8_t y) { return static_cast<int>(x + (y - x) * t); };
    return IM_COL32(m(a.r, b.r), m(a.g, b.g), m(a.b, b.b), 255);
}

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

/// Wrapped text centred line by line in [min.x, max.x] from y; returns the height used.
float centredLines(ImDrawList* dl, ImFont* font, float size, const std::string& s, ImVec2 min, float maxX, ImU32 color) {
    const float width = maxX - min.x;
    float y = min.y;
    const char* p = s.c_str();
    const char* end = p + s.size();
    while (p < end) {
        const char* cut = font->CalcWordWrapPositionA(size / font->FontSize, p, end, width);
        if (cut == p) cut = p + 1;
        std::string line(p, cut);
        while (!line.empty() && line.back() == ' ') line.pop_back();
        const float w = textWidth(font, size, line);
        dl->AddText(font, size, ImVec2(min.x + (width - w) * 0.5f, y), color, line.c_str());
        y += size * 1.15f;
        p = cut;
        while (p < end && *p == ' ') ++p;
    }
    return y - min.y;
}

std::string localizedText(const BoardView& v, const Announcement& a) { return localized(a.texts, v.language); }

/// One current call: "A012 → 3" with the window's name over its number.
void drawCallRow(const BoardView& v, ImDrawList* dl, const BoardCall& c, ImVec2 rmin, ImVec2 rmax, float scale,
                 bool stripe, float u) {
    const Theme& t = v.theme;
    const bool flashing = v.model.flashing(c.ticketId);
    const bool on = v.model.flashOn(c.ticketId);
    ImU32 bg = stripe ? mix(t.row, t.background, 0.3f) : col(t.row);
    if (flashing) bg = on ? col(t.highlight) : col(t.accent);
    dl->AddRectFilled(rmin, rmax, bg, 18 * u);
    const bool finished = c.status != TicketStatus::Called && c.status != TicketStatus::Serving;
    const ImU32 fg = flashing && on ? col(t.highlightText) : (finished ? col(t.muted) : col(t.text));
    const float rowH = rmax.y - rmin.y;
    ImFont* big = v.fonts.big;
    const float size = std::min(big->FontSize * scale, rowH * 0.86f);
    const float y = rmin.y + (rowH - size) * 0.5f;
    text(dl, big, size, ImVec2(rmin.x + 40 * u, y), fg, c.number);
    // Window: its number large, its name (when it has one) small above.
    const std::string number = std::to_string(c.window);
    const std::string name = v.model.windowName(c.window);
    ImFont* body = v.fonts.body;
    const float nameSize = body->FontSize * std::min(1.0f, scale);
    const float numSize = name.empty() ? size : std::min(size, rowH - nameSize - 16 * u);
    const float nw = textWidth(big, numSize, number);
    const float right = rmax.x - 40 * u;
    float numY = rmin.y + (rowH - numSize) * 0.5f;
    if (!name.empty()) {
        const float block = nameSize + numSize;
        const float top = rmin.y + (rowH - block) * 0.5f;
        const float namew = textWidth(body, nameSize, name);
        text(dl, body, nameSize, ImVec2(right - std::max(namew, nw) + (std::max(namew, nw) - namew), top),
             flashing && on ? fg : col(t.muted), name);
        numY = top + nameSize;
    }
    text(dl, big, numSize, ImVec2(right - nw, numY), fg, number);
    const float aw = textWidth(big, size * 0.8f, "→");
    text(dl, big, size * 0.8f, ImVec2((rmin.x + rmax.x - aw) * 0.5f, rmin.y + (rowH - size * 0.8f) * 0.5f), fg, "→");
}

/// An announcement slide: its image fitted into the area (kept in proportion) and its text.
void drawSlide(const BoardView& v, ImDrawList* dl, const Announcement& a, ImVec2 min, ImVec2 max, float u) {
    const Theme& t = v.theme;
    dl->AddRectFilled(min, max, col(t.panel), 18 * u);
    const std::string s = localizedText(v, a);
    ImFont* large = v.fonts.large;
    const float pad = 30 * u;
    const float textH = s.empty() ? 0 : std::min((max.y - min.y) * 0.4f, large->FontSize * 1.15f * 3 + pad);
    auto img = a.image.empty() ? v.images.end() : v.images.find(a.image);
    if (img != v.images.end() && img->second.width > 0) {
        const float availW = max.x - min.x - 2 * pad, availH = max.y - min.y - 2 * pad - textH;
        const float k = std::min(availW / img->second.width, availH / img->second.height);
        const float w = img->second.width * k, h = img->second.height * k;
        const ImVec2 p(min.x + (max.x - min.x - w) * 0.5f, min.y + pad + (availH - h) * 0.5f);
        dl->AddImage(img->second.id, p, ImVec2(p.x + w, p.y + h));
        centredLines(dl, large, large->FontSize, s, ImVec2(min.x + pad, max.y - pad - textH + 10 * u), max.x - pad,
                     col(t.text));
    } else {
        const float h = large->FontSize * 1.15f * 3;
        centredLines(dl, large, large->FontSize, s, ImVec2(min.x + pad, min.y + (max.y - min.y - h) * 0.5f),
                     max.x - pad, col(t.text));
    }
}

void drawCalls(const BoardView& v, ImDrawList* dl, ImVec2 min, ImVec2 max, float u, bool portrait) {
    const Theme& t = v.theme;
    const auto& calls = v.model.calls();
    const Announcement* slide = v.model.calm() ? v.model.rotating() : nullptr;
    // Column captions.
    text(dl, v.fonts.body, v.fonts.body->FontSize, ImVec2(min.x + 40 * u, min.y), col(t.muted), v.tr("board.ticket"));
    const std::string windowCaption = v.tr("board.window");
    text(dl, v.fonts.body, v.fonts.body->FontSize,
         ImVec2(max.x - 40 * u - textWidth(v.fonts.body, v.fonts.body->FontSize, windowCaption), min.y), col(t.muted),
         windowCaption);
    float top = min.y + v.fonts.body->FontSize + 16 * u;
    if (calls.empty()) {
        if (slide) {
            drawSlide(v, dl, *slide, ImVec2(min.x, top), max, u);
        } else {
            ui::textInRect(v.fonts.large, v.tr("board.no_calls"), ImVec2(min.x, top), max, col(t.muted));
        }
        return;
    }
    const float gap = 14 * u;
    // Current calls big; when the room is calm, only the latest stays and a slide takes the rest.
    const float rowH = 150 * u;
    const int fit = std::max(1, static_cast<int>((max.y - top + gap) / (rowH + gap)));
    const int current = slide ? 1 : std::min<int>(portrait ? 5 : 4, fit);
    const int shown = std::min<int>(current, static_cast<int>(calls.size()));
    for (int i = 0; i < shown; ++i) {
        const ImVec2 rmin(min.x, top + i * (rowH + gap)), rmax(max.x, rmin.y + rowH);
        drawCallRow(v, dl, calls[static_cast<size_t>(i)], rmin, rmax, i == 0 ? 1.0f : 0.82f, i % 2 == 1, u);
    }
    top += shown * (rowH + gap);
    if (slide) {
        drawSlide(v, dl, *slide, ImVec2(min.x, top), max, u);
        return;
    }
    // Earlier calls: compact "A011 → 2" chips, as many as fit.
    if (static_cast<int>(calls.size()) <= shown || max.y - top < 80 * u) return;
    text(dl, v.fonts.body, v.fonts.body->FontSize, ImVec2(min.x + 10 * u, top), col(t.muted), v.tr("board.earlier"));
    float y = top + v.fonts.body->FontSize + 12 * u;
    float x = min.x;
    ImFont* large = v.fonts.large;
    const float chipH = large->FontSize + 20 * u;
    for (size_t i = static_cast<size_t>(shown); i < calls.size(); ++i) {
        const BoardCall& c = calls[i];
        const std::string label = c.number + " → " + std::to_string(c.window);
        const float w = textWidth(large, large->FontSize, label) + 40 * u;
        if (x + w > max.x) {
            x = min.x;
            y += chipH + 10 * u;
        }
        if (y + chipH > max.y) break;
        dl->AddRectFilled(ImVec2(x, y), ImVec2(x + w, y + chipH), mix(t.row, t.background, 0.5f), 12 * u);
        text(dl, large, large->FontSize, ImVec2(x + 20 * u, y + 10 * u), col(t.muted), label);
        x += w + 12 * u;
    }
}

void drawQueuePanel(const BoardView& v, ImDrawList* dl, ImVec2 min, ImVec2 max, float u) {
    const Theme& t = v.theme;
    dl->AddRectFilled(min, max, col(t.panel), 18 * u);
    ImFont* large = v.fonts.large;
    text(dl, large, large->FontSize * 0.8f, ImVec2(min.x + 30 * u, min.y + 24 * u), col(t.text), v.tr("board.waiting"));
    float y = min.y + 24 * u + large->FontSize + 10 * u;
    const float rowH = std::min(96 * u, (max.y - y - 20 * u) / std::max<size_t>(1, v.model.services().size()));
    for (const auto& s : v.model.services()) {
        if (y + rowH > max.y) break;
        const ImVec2 bmin(min.x + 30 * u, y + 8 * u), bmax(bmin.x + rowH - 16 * u, y + rowH - 8 * u);
        dl->AddRectFilled(bmin, bmax, col(t.accent), 10 * u);
        ui::textInRect(large, s.letter, bmin, bmax, IM_COL32(255, 255, 255, 255));
        const std::string count = std::to_string(s.waiting);
        const float cw = textWidth(large, large->FontSize, count);
        text(dl, large, large->FontSize, ImVec2(max.x - 30 * u - cw, y + (rowH - large->FontSize) * 0.5f), col(t.text),
             count);
        // The service's name, and under it the estimated wait for a ticket taken now.
        ImFont* body = v.fonts.body;
        const float nameX = bmax.x + 20 * u;
        const float nameW = max.x - 30 * u - cw - 20 * u - nameX;
        const std::string name = localized(s.names, v.language);
        const bool withEwt = s.ewtSeconds && s.waiting > 0;
        const float small = body->FontSize * 0.82f;
        const float blockH = body->FontSize + (withEwt ? small + 4 * u : 0);
        const float ty = y + (rowH - blockH) * 0.5f;
        dl->PushClipRect(ImVec2(nameX, y), ImVec2(nameX + nameW, y + rowH), true);
        text(dl, body, body->FontSize, ImVec2(nameX, ty), col(t.muted), name);
        if (withEwt) {
            const std::string ewt = v.tr("board.ewt", {{"time", v.tr("time.minutes", {{"n", std::to_string((*s.ewtSeconds + 59) / 60)}})}});
            text(dl, body, small, ImVec2(nameX, ty + body->FontSize + 4 * u), col(t.estimate), ewt);
        }
        dl->PopClipRect();
        y += rowH;
    }
}

void drawHeader(const BoardView& v, ImDrawList* dl, float headerH, float u, const std::string& title, ImU32 band) {
    const Theme& t = v.theme;
    dl->AddRectFilled(ImVec2(0, 0), ImVec2(v.width, headerH), band);
    ImFont* large = v.fonts.large;
    const std::string clock = formatLocalClock(v.now);
    const float cw = textWidth(v.fonts.big, v.fonts.big->FontSize * 0.7f, clock);
    text(dl, v.fonts.big, v.fonts.big->FontSize * 0.7f,
         ImVec2(v.width - 48 * u - cw, (headerH - v.fonts.big->FontSize * 0.7f) * 0.5f), IM_COL32(255, 255, 255, 255),
         clock);
    const std::string date = dateText(v.now);
    const float dw = textWidth(v.fonts.body, v.fonts.body->FontSize, date);
    const float dateX = v.width - 48 * u - cw - 30 * u - dw;
    text(dl, v.fonts.body, v.fonts.body->FontSize, ImVec2(dateX, (headerH - v.fonts.body->FontSize) * 0.5f),
         mix(t.muted, Rgba{255, 255, 255}, 0.4f), date);
    // A title too wide for the space left of the date (portrait boards) drops to a smaller size.
    float size = large->FontSize;
    if (textWidth(large, size, title) > dateX - 68 * u) size = v.fonts.body->FontSize;
    dl->PushClipRect(ImVec2(0, 0), ImVec2(dateX - 20 * u, headerH), true);
    text(dl, large, size, ImVec2(48 * u, (headerH - size) * 0.5f), IM_COL32(255, 255, 255, 255), title);
    dl->PopClipRect();
}

/// The footer: the ticker line (an announcement) and, while disconnected, the badge.
void drawFooter(const BoardView& v, ImDrawList* dl, float footer, float u, bool showTicker) {
    const Theme& t = v.theme;
    const float y0 = v.height - footer;
    ImFont* body = v.fonts.body;
    float badgeW = 0;
    if (v.model.connection() != Connection::Live) {
        const std::string msg =
            v.model.connection() == Connection::Lost ? v.tr("board.connection_lost") : v.tr("board.connecting");
        badgeW = textWidth(body, body->FontSize, msg) + 60 * u;
        const ImVec2 bmin(v.width - 40 * u - badgeW, y0 + 8 * u), bmax(v.width - 40 * u, v.height - 8 * u);
        dl->AddRectFilled(bmin, bmax, v.model.connection() == Connection::Lost ? col(t.alert) : col(t.accent), 27 * u);
        ui::textInRect(body, msg, bmin, bmax, IM_COL32(255, 255, 255, 255));
    }
    const Announcement* a = showTicker ? v.model.rotating() : nullptr;
    if (!a) return;
    const std::string s = localizedText(v, *a);
    const float right = v.width - 40 * u - (badgeW > 0 ? badgeW + 30 * u : 0);
    dl->AddRectFilled(ImVec2(40 * u, y0 + 8 * u), ImVec2(right, v.height - 8 * u), col(t.panel), 27 * u);
    dl->PushClipRect(ImVec2(60 * u, y0), ImVec2(right - 20 * u, v.height), true);
    text(dl, body, body->FontSize, ImVec2(70 * u, y0 + (footer - body->FontSize) * 0.5f), col(t.text), s);
    dl->PopClipRect();
}

/// An urgent announcement over the whole screen; the latest call stays visible at the foot.
void drawUrgent(const BoardView& v, ImDrawList* dl, const Announcement& a, float u) {
    const Theme& t = v.theme;
    const float headerH = 130 * u;
    dl->AddRectFilled(ImVec2(0, 0), ImVec2(v.width, v.height), col(t.alert));
    drawHeader(v, dl, headerH, u, v.tr("board.urgent"), mix(t.alert, Rgba{0, 0, 0}, 0.35f));
    const float footer = 70 * u;
    const float stripH = v.model.calls().empty() ? 0 : 170 * u;
    const ImVec2 min(60 * u, headerH + 50 * u), max(v.width - 60 * u, v.height - footer - stripH - 30 * u);
    ImFont* large = v.fonts.large;
    const std::string s = localizedText(v, a);
    auto img = a.image.empty() ? v.images.end() : v.images.find(a.image);
    float textTop = min.y + (max.y - min.y) * 0.35f;
    if (img != v.images.end() && img->second.width > 0) {
        const float availH = (max.y - min.y) * 0.55f, availW = max.x - min.x;
        const float k = std::min(availW / img->second.width, availH / img->second.height);
        const float w = img->second.width * k, h = img->second.height * k;
        const ImVec2 p(min.x + (availW - w) * 0.5f, min.y);
        dl->AddImage(img->second.id, p, ImVec2(p.x + w, p.y + h));
        textTop = min.y + h + 40 * u;
    }
    centredLines(dl, large, large->FontSize, s, ImVec2(min.x, textTop), max.x, IM_COL32(255, 255, 255, 255));
    if (stripH > 0) {
        const ImVec2 rmin(60 * u, v.height - footer - stripH), rmax(v.width - 60 * u, v.height - footer - 20 * u);
        drawCallRow(v, dl, v.model.calls().front(), rmin, rmax, 1.0f, false, u);
    }
    drawFooter(v, dl, footer, u, false);
}

}  // namespace

void drawBoard(const BoardView& v) {
    const Theme& t = v.theme;
    ui::beginFullscreen("board", col(t.background));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float u = std::min(v.width, v.height) / 1080.0f;
    if (const Announcement* urgent = v.model.urgent()) {
        drawUrgent(v, dl, *urgent, u);
        ImGui::End();
        return;
    }
    const bool portrait = v.height > v.width;
    const float headerH = 130 * u;
    drawHeader(v, dl, headerH, u, v.tr("board.title"), col(t.header));

    const float margin = 40 * u;
    const float footer = 80 * u;
    const ImVec2 areaMin(margin, headerH + margin), areaMax(v.width - margin, v.height - footer);
    if (portrait) {
        const float split = areaMin.y + (areaMax.y - areaMin.y) * 0.62f;
        drawCalls(v, dl, areaMin, ImVec2(areaMax.x, split), u, true);
        drawQueuePanel(v, dl, ImVec2(areaMin.x, split + margin), areaMax, u);
    } else {
        const float split = areaMin.x + (areaMax.x - areaMin.x) * 0.64f;
        drawCalls(v, dl, areaMin, ImVec2(split, areaMax.y), u, false);
        drawQueuePanel(v, dl, ImVec2(split + margin, areaMin.y), areaMax, u);
    }
    // The ticker repeats what a calm board shows as a slide; on a busy board it is the only
    // place announcements appear.
    drawFooter(v, dl, footer, u, !v.model.calm());
    ImGui::End();
}

}  // namespace talon::display
