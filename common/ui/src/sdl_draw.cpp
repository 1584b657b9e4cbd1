// ImGui draw lists → SDL_Renderer. ImGui textures every triangle (solid fills sample the font
// atlas's white pixel), and SDL's software renderer samples and blends per pixel for those:
// ~40 ms for a full-HD kiosk frame. Here solid axis-aligned rectangles become SDL_RenderFillRect,
// other solid triangles go untextured, and opaque ones skip blending.
#include "sdl_draw.h"

#include <SDL.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace talon::ui {
namespace {

enum class Kind { Textured, Solid, SolidOpaque };

struct Batch {
    Kind kind = Kind::Textured;
    std::vector<SDL_Vertex> vertices;
};

SDL_Vertex toSdl(const ImDrawVert& v, ImVec2 offset) {
    SDL_Vertex out;
    out.position = {v.pos.x - offset.x, v.pos.y - offset.y};
    out.color = {static_cast<Uint8>(v.col >> IM_COL32_R_SHIFT), static_cast<Uint8>(v.col >> IM_COL32_G_SHIFT),
                 static_cast<Uint8>(v.col >> IM_COL32_B_SHIFT), static_cast<Uint8>(v.col >> IM_COL32_A_SHIFT)};
    out.tex_coord = {v.uv.x, v.uv.y};
    return out;
}

class Drawer {
public:
    Drawer(SDL_Renderer* renderer, SDL_Texture* font, ImVec2 clipMin, ImVec2 clipMax)
        : m_renderer(renderer), m_font(font), m_clipMin(clipMin), m_clipMax(clipMax) {
        m_white = ImGui::GetIO().Fonts->TexUvWhitePixel;
    }

    bool solid(const ImDrawVert& v) const { return v.uv.x == m_white.x && v.uv.y == m_white.y; }

    /// Two triangles (a,b,c)(a,c,d) or similar covering an axis-aligned rectangle in one colour.
    bool tryRect(const ImDrawVert* v, const ImDrawIdx* idx, ImVec2 offset) {
        const ImDrawVert& a = v[idx[0]];
        for (int i = 1; i < 6; ++i) {
            const ImDrawVert& o = v[idx[i]];
            if (o.col != a.col || !solid(o)) return false;
        }
        if (!solid(a)) return false;
        float minX = a.pos.x, maxX = a.pos.x, minY = a.pos.y, maxY = a.pos.y;
        for (int i = 1; i < 6; ++i) {
            const ImVec2 p = v[idx[i]].pos;
            minX = std::min(minX, p.x), maxX = std::max(maxX, p.x);
            minY = std::min(minY, p.y), maxY = std::max(maxY, p.y);
        }
        // Every corner of the two triangles sits on a corner of the bounding box, each of the
        // four corners is used, and the two triangles share exactly one edge (the diagonal).
        unsigned cornersUsed = 0;
        for (int i = 0; i < 6; ++i) {
            const ImVec2 p = v[idx[i]].pos;
            if ((p.x != minX && p.x != maxX) || (p.y != minY && p.y != maxY)) return false;
            cornersUsed |= 1u << ((p.x == maxX ? 1 : 0) + (p.y == maxY ? 2 : 0));
        }
        if (cornersUsed != 0xF) return false;
        const auto area = [&](int i) {
            const ImVec2 p = v[idx[i]].pos, q = v[idx[i + 1]].pos, r = v[idx[i + 2]].pos;
            return std::fabs((q.x - p.x) * (r.y - p.y) - (r.x - p.x) * (q.y - p.y)) * 0.5f;
        };
        const float w = maxX - minX, h = maxY - minY;
        if (w <= 0 || h <= 0 || std::fabs(area(0) + area(3) - w * h) > 0.01f * w * h) return false;
        // Rectangles on whole pixels only: a fractional edge would be drawn one pixel off.
        if (minX != std::floor(minX) || maxX != std::floor(maxX) || minY != std::floor(minY) ||
            maxY != std::floor(maxY)) {
            return false;
        }
        flush();
        const SDL_Vertex s = toSdl(a, offset);
        SDL_SetRenderDrawColor(m_renderer, s.color.r, s.color.g, s.color.b, s.color.a);
        SDL_SetRenderDrawBlendMode(m_renderer, s.color.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
        const SDL_FRect rect{minX - offset.x, minY - offset.y, w, h};
        SDL_RenderFillRectF(m_renderer, &rect);
        return true;
    }

    /// A fan of triangles sharing their first index, in one solid colour (ImGui fills rounded
    /// rectangles and circles this way): filled as horizontal spans, so each pixel is touched
    /// once instead of once per triangle. Returns the number of indices consumed (0: not a fan).
    unsigned tryFan(const ImDrawVert* v, const ImDrawIdx* idx, unsigned count, ImVec2 offset) {
        const ImDrawIdx center = idx[0];
        const ImU32 col = v[center].col;
        if (!solid(v[center])) return 0;
        unsigned n = 0;
        m_polygon.clear();
        m_polygon.push_back(v[center].pos);
        m_polygon.push_back(v[idx[1]].pos);
        while (n + 2 < count && idx[n] == center) {
            const ImDrawVert& b = v[idx[n + 1]];
            const ImDrawVert& c = v[idx[n + 2]];
            if (b.col != col || c.col != col || !solid(b) || !solid(c)) break;
            if (n > 0 && idx[n + 1] != idx[n - 1]) break;  // not continuing the fan
            m_polygon.push_back(c.pos);
            n += 3;
        }
        if (n < 6) return 0;  // one or two triangles: the plain path is as quick
        if (!convex()) return 0;  // spans fill between the outermost edges: only right for convex shapes
        flush();
        const SDL_Vertex s = toSdl(v[center], offset);
        fillConvex(offset);
        if (m_spans.empty()) return n;
        SDL_SetRenderDrawColor(m_renderer, s.color.r, s.color.g, s.color.b, s.color.a);
        SDL_SetRenderDrawBlendMode(m_renderer, s.color.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
        SDL_RenderFillRects(m_renderer, m_spans.data(), static_cast<int>(m_spans.size()));
        return n;
    }

    /// True when every turn of m_polygon goes the same way (collinear points allowed).
    bool convex() const {
        const size_t k = m_polygon.size();
        int sign = 0;
        for (size_t i = 0; i < k; ++i) {
            const ImVec2 a = m_polygon[i], b = m_polygon[(i + 1) % k], c = m_polygon[(i + 2) % k];
            const float cross = (b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x);
            if (std::fabs(cross) < 1e-3f) continue;
            const int turn = cross > 0 ? 1 : -1;
            if (sign != 0 && turn != sign) return false;
            sign = turn;
        }
        return true;
    }

    /// Spans of m_polygon (convex) by pixel centres, half-open like SDL's rasteriser (a pixel
    /// whose centre lies on the right or bottom edge belongs to the neighbour), within the clip.
    void fillConvex(ImVec2 offset) {
        m_spans.clear();
        float minY = m_polygon[0].y, maxY = m_polygon[0].y;
        for (const ImVec2& p : m_polygon) minY = std::min(minY, p.y), maxY = std::max(maxY, p.y);
        minY = std::max(minY, m_clipMin.y);
        maxY = std::min(maxY, m_clipMax.y);
        const int y0 = static_cast<int>(std::ceil(minY - 0.5f)), y1 = static_cast<int>(std::ceil(maxY - 0.5f)) - 1;
        const size_t k = m_polygon.size();
        for (int y = y0; y <= y1; ++y) {
            const float cy = static_cast<float>(y) + 0.5f;
            float left = 1e9f, right = -1e9f;
            for (size_t i = 0; i < k; ++i) {
                const ImVec2 p = m_polygon[i], q = m_polygon[(i + 1) % k];
                if ((p.y <= cy && q.y > cy) || (q.y <= cy && p.y > cy)) {
                    const float x = p.x + (cy - p.y) * (q.x - p.x) / (q.y - p.y);
                    left = std::min(left, x), right = std::max(right, x);
                }
            }
            left = std::max(left, m_clipMin.x);
            right = std::min(right, m_clipMax.x);
            const int x0 = static_cast<int>(std::ceil(left - 0.5f)), x1 = static_cast<int>(std::ceil(right - 0.5f)) - 1;
            if (x1 < x0) continue;
            m_spans.push_back({x0 - static_cast<int>(offset.x), y - static_cast<int>(offset.y), x1 - x0 + 1, 1});
        }
    }

    void triangle(const ImDrawVert& a, const ImDrawVert& b, const ImDrawVert& c, ImVec2 offset) {
        Kind kind = Kind::Textured;
        if (solid(a) && solid(b) && solid(c)) {
            const bool opaque = (a.col >> IM_COL32_A_SHIFT & 0xff) == 255 && (b.col >> IM_COL32_A_SHIFT & 0xff) == 255 &&
                                (c.col >> IM_COL32_A_SHIFT & 0xff) == 255;
            kind = opaque ? Kind::SolidOpaque : Kind::Solid;
        }
        if (kind != m_batch.kind) flush();
        m_batch.kind = kind;
        m_batch.vertices.push_back(toSdl(a, offset));
        m_batch.vertices.push_back(toSdl(b, offset));
        m_batch.vertices.push_back(toSdl(c, offset));
    }

    void flush() {
        if (m_batch.vertices.empty()) return;
        const int n = static_cast<int>(m_batch.vertices.size());
        switch (m_batch.kind) {
            case Kind::Textured: SDL_RenderGeometry(m_renderer, m_font, m_batch.vertices.data(), n, nullptr, 0); break;
            case Kind::Solid:
                SDL_SetRenderDrawBlendMode(m_renderer, SDL_BLENDMODE_BLEND);
                SDL_RenderGeometry(m_renderer, nullptr, m_batch.vertices.data(), n, nullptr, 0);
                break;
            case Kind::SolidOpaque:
                SDL_SetRenderDrawBlendMode(m_renderer, SDL_BLENDMODE_NONE);
                SDL_RenderGeometry(m_renderer, nullptr, m_batch.vertices.data(), n, nullptr, 0);
                break;
        }
        m_batch.vertices.clear();
    }

private:
    SDL_Renderer* m_renderer;
    SDL_Texture* m_font;
    ImVec2 m_clipMin, m_clipMax;  // in ImGui coordinates
    ImVec2 m_white;
    Batch m_batch;
    std::vector<ImVec2> m_polygon;
    std::vector<SDL_Rect> m_spans;
};

}  // namespace

void renderDrawData(SDL_Renderer* renderer, ImDrawData* data) {
    if (!data || data->CmdListsCount == 0) return;
    const ImVec2 offset = data->DisplayPos;
    for (int n = 0; n < data->CmdListsCount; ++n) {
        const ImDrawList* list = data->CmdLists[n];
        for (const ImDrawCmd& cmd : list->CmdBuffer) {
            if (cmd.UserCallback) {
                if (cmd.UserCallback != ImDrawCallback_ResetRenderState) cmd.UserCallback(list, &cmd);
                continue;
            }
            const ImVec2 clipMin(std::max(cmd.ClipRect.x - offset.x, 0.0f), std::max(cmd.ClipRect.y - offset.y, 0.0f));
            const ImVec2 clipMax(cmd.ClipRect.z - offset.x, cmd.ClipRect.w - offset.y);
            if (clipMax.x <= clipMin.x || clipMax.y <= clipMin.y) continue;
            const SDL_Rect clip{static_cast<int>(clipMin.x), static_cast<int>(clipMin.y),
                                static_cast<int>(clipMax.x - clipMin.x), static_cast<int>(clipMax.y - clipMin.y)};
            SDL_RenderSetClipRect(renderer, &clip);
            Drawer drawer(renderer, static_cast<SDL_Texture*>(cmd.GetTexID()), ImVec2(cmd.ClipRect.x, cmd.ClipRect.y),
                          ImVec2(cmd.ClipRect.z, cmd.ClipRect.w));
            const ImDrawVert* vtx = list->VtxBuffer.Data + cmd.VtxOffset;
            const ImDrawIdx* idx = list->IdxBuffer.Data + cmd.IdxOffset;
            const unsigned count = cmd.ElemCount;
            for (unsigned i = 0; i + 2 < count;) {
                if (i + 5 < count && drawer.tryRect(vtx, idx + i, offset)) {
                    i += 6;
                    continue;
                }
                if (const unsigned used = drawer.tryFan(vtx, idx + i, count - i, offset)) {
                    i += used;
                    continue;
                }
                drawer.triangle(vtx[idx[i]], vtx[idx[i + 1]], vtx[idx[i + 2]], offset);
                i += 3;
            }
            drawer.flush();
        }
    }
    SDL_RenderSetClipRect(renderer, nullptr);
    SDL_SetRenderDrawBlendMode(renderer, SDL_BLENDMODE_BLEND);
}

}  // namespace talon::ui
