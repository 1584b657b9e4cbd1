// Keypad, keyboard and entry field: keys are ImGui items (InvisibleButton) painted on the draw
// list, icons drawn by hand because the shell's fonts have no ⌫ ⇧ ↵ glyphs.
#include "talon/ui/keyboard.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string_view>

namespace talon::ui {
namespace {

float width(const KeyRect& r) {
    return r.max.x - r.min.x;
}
float height(const KeyRect& r) {
    return r.max.y - r.min.y;
}

ImU32 darker(ImU32 color, float factor) {
    ImVec4 c = ImGui::ColorConvertU32ToFloat4(color);
    return ImGui::ColorConvertFloat4ToU32(ImVec4(c.x * factor, c.y * factor, c.z * factor, c.w));
}

ImU32 faded(ImU32 color, float alpha) {
    ImVec4 c = ImGui::ColorConvertU32ToFloat4(color);
    return ImGui::ColorConvertFloat4ToU32(ImVec4(c.x, c.y, c.z, c.w * alpha));
}

/// Text centred in `r`, shrunk (never enlarged) to fit the key with a margin.
void fittedText(ImFont* font, std::string_view text, const KeyRect& r, ImU32 color,
                float maxHeightFrac = 0.62f) {
    if (text.empty()) return;
    const char* b = text.data();
    const char* e = b + text.size();
    float size = font->FontSize;
    ImVec2 ts = font->CalcTextSizeA(size, FLT_MAX, 0, b, e);
    float scale = 1;
    if (ts.x > width(r) * 0.8f) scale = width(r) * 0.8f / ts.x;
    if (ts.y * scale > height(r) * maxHeightFrac) scale = height(r) * maxHeightFrac / ts.y;
    size *= scale;
    ts = ImVec2(ts.x * scale, ts.y * scale);
    const ImVec2 c = r.center();
    const ImVec2 pos(std::floor(c.x - ts.x * 0.5f), std::floor(c.y - ts.y * 0.5f));
    ImGui::GetWindowDrawList()->AddText(font, size, pos, color, b, e);
}

// ---- Hand-drawn icons, each centred on `c` and about `s` pixels tall. ----

float stroke(float s) {
    return std::max(2.0f, s * 0.09f);
}

void backspaceIcon(ImDrawList* dl, ImVec2 c, float s, ImU32 col) {
    const float w = s * 1.45f, h = s, t = stroke(s);
    const float left = c.x - w * 0.5f, right = c.x + w * 0.5f, neck = left + h * 0.5f;
    const ImVec2 outline[] = {{left, c.y},
                              {neck, c.y - h * 0.5f},
                              {right, c.y - h * 0.5f},
                              {right, c.y + h * 0.5f},
                              {neck, c.y + h * 0.5f}};
    dl->AddPolyline(outline, 5, col, ImDrawFlags_Closed, t);
    const float bx = (neck + right) * 0.5f, x = h * 0.2f;
    dl->AddLine(ImVec2(bx - x, c.y - x), ImVec2(bx + x, c.y + x), col, t);
    dl->AddLine(ImVec2(bx - x, c.y + x), ImVec2(bx + x, c.y - x), col, t);
}

void shiftIcon(ImDrawList* dl, ImVec2 c, float s, ImU32 col, ShiftMode mode) {
    c.y += s * 0.05f;
    const float tip = c.y - s * 0.55f, stemTop = c.y, stemBottom = c.y + s * 0.4f, half = s * 0.5f,
                stem = s * 0.21f;
    if (mode == ShiftMode::Off) {
        const ImVec2 outline[] = {{c.x, tip},
                                  {c.x + half, stemTop},
                                  {c.x + stem, stemTop},
                                  {c.x + stem, stemBottom},
                                  {c.x - stem, stemBottom},
                                  {c.x - stem, stemTop},
                                  {c.x - half, stemTop}};
        dl->AddPolyline(outline, 7, col, ImDrawFlags_Closed, stroke(s));
        return;
    }
    dl->AddTriangleFilled(ImVec2(c.x, tip), ImVec2(c.x + half, stemTop + 0.5f),
                          ImVec2(c.x - half, stemTop + 0.5f), col);
    dl->AddRectFilled(ImVec2(c.x - stem, stemTop), ImVec2(c.x + stem, stemBottom), col);
    if (mode == ShiftMode::Locked) {
        dl->AddRectFilled(ImVec2(c.x - stem, stemBottom + s * 0.13f),
                          ImVec2(c.x + stem, stemBottom + s * 0.25f), col);
    }
}

void enterIcon(ImDrawList* dl, ImVec2 c, float s, ImU32 col) {
    const float t = stroke(s), base = c.y + s * 0.15f, right = c.x + s * 0.5f, head = s * 0.28f;
    const ImVec2 line[] = {{right, c.y - s * 0.45f}, {right, base}, {c.x - s * 0.3f, base}};
    dl->AddPolyline(line, 3, col, ImDrawFlags_None, t);
    dl->AddTriangleFilled(ImVec2(c.x - s * 0.58f, base),
                          ImVec2(c.x - s * 0.58f + head, base - head),
                          ImVec2(c.x - s * 0.58f + head, base + head), col);
}

void globeIcon(ImDrawList* dl, ImVec2 c, float s, ImU32 col) {
    const float r = s * 0.5f, t = std::max(1.5f, s * 0.07f);
    dl->AddCircle(c, r, col, 32, t);
    ImVec2 meridian[24];
    for (int i = 0; i < 24; ++i) {
        const float a = static_cast<float>(i) / 24 * 2 * 3.14159265f;
        meridian[i] = ImVec2(c.x + r * 0.45f * std::cos(a), c.y + r * std::sin(a));
    }
    dl->AddPolyline(meridian, 24, col, ImDrawFlags_Closed, t);
    dl->AddLine(ImVec2(c.x, c.y - r), ImVec2(c.x, c.y + r), col, t);
    dl->AddLine(ImVec2(c.x - r, c.y), ImVec2(c.x + r, c.y), col, t);
    const float lat = r * 0.5f, chord = r * 0.84f;
    dl->AddLine(ImVec2(c.x - chord, c.y - lat), ImVec2(c.x + chord, c.y - lat), col, t);
    dl->AddLine(ImVec2(c.x - chord, c.y + lat), ImVec2(c.x + chord, c.y + lat), col, t);
}

void checkIcon(ImDrawList* dl, ImVec2 c, float s, ImU32 col) {
    const ImVec2 pts[] = {{c.x - s * 0.45f, c.y},
                          {c.x - s * 0.12f, c.y + s * 0.33f},
                          {c.x + s * 0.5f, c.y - s * 0.35f}};
    dl->AddPolyline(pts, 3, col, ImDrawFlags_None, std::max(3.0f, s * 0.13f));
}

// ---- Keys ----

struct KeyHit {
    bool clicked = false;
    bool held = false;
    KeyRect face;  // where the key's top is drawn this frame (lower while held)
};

/// One key: an InvisibleButton over its cell (widened to the middle of the gaps, so a tap
/// between keys still lands somewhere) and a rounded face resting on a shadow. While held the
/// face sinks onto the shadow and darkens: the feedback shows around the finger.
KeyHit keyButton(int index, const KeyRect& cell, const KeyRect& bounds, ImU32 fill,
                 const KeyStyle& style) {
    const float halfGap = style.gapPx * 0.5f;
    const ImVec2 hitMin(std::max(bounds.min.x, cell.min.x - halfGap),
                        std::max(bounds.min.y, cell.min.y - halfGap));
    const ImVec2 hitMax(std::min(bounds.max.x, cell.max.x + halfGap),
                        std::min(bounds.max.y, cell.max.y + halfGap));
    ImGui::SetCursorScreenPos(hitMin);
    ImGui::PushID(index);
    KeyHit hit;
    hit.clicked = ImGui::InvisibleButton(
        "##key", ImVec2(std::max(1.0f, hitMax.x - hitMin.x), std::max(1.0f, hitMax.y - hitMin.y)));
    hit.held = ImGui::IsItemActive();
    ImGui::PopID();

    const float depth = std::max(2.0f, height(cell) * 0.05f);
    const float rounding = std::min(width(cell), height(cell)) * 0.16f;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(ImVec2(cell.min.x, cell.min.y + depth), cell.max, style.shadow, rounding);
    hit.face = KeyRect{cell.min, ImVec2(cell.max.x, cell.max.y - depth)};
    if (hit.held) {
        hit.face.min.y += depth * 0.8f;
        hit.face.max.y += depth * 0.8f;
    }
    dl->AddRectFilled(hit.face.min, hit.face.max, hit.held ? darker(fill, 0.78f) : fill, rounding);
    return hit;
}

float iconSize(const KeyRect& face) {
    return std::min(width(face), height(face)) * 0.42f;
}

KeyColors colorsFor(const Key& key, const KeyStyle& style, ShiftMode shift) {
    switch (key.action) {
        case KeyAction::Char:
        case KeyAction::Space:
            return style.key;
        case KeyAction::Done:
            return style.done;
        case KeyAction::Shift:
            return shift == ShiftMode::Off ? style.special : style.key;
        case KeyAction::Backspace:
        case KeyAction::Enter:
        case KeyAction::Language:
        case KeyAction::Page:
            return style.special;
    }
    return style.key;
}

struct KeyContext {
    ImFont* font;
    ImFont* labelFont;
    const KeyStyle& style;
    const KeyboardState* state;  // nullptr on the keypad
    std::string_view spaceLabel;
};

void drawKeyFace(const Key& key, const KeyRect& face, ImU32 color, const KeyContext& ctx) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 c = face.center();
    const float s = iconSize(face);
    switch (key.action) {
        case KeyAction::Char:
            fittedText(ctx.font, ctx.state ? ctx.state->label(key) : key.text, face, color);
            break;
        case KeyAction::Space:
            fittedText(ctx.labelFont, ctx.spaceLabel, face, faded(color, 0.55f), 0.4f);
            break;
        case KeyAction::Page:
            fittedText(ctx.labelFont, key.text, face, color, 0.45f);
            break;
        case KeyAction::Done:
            if (ctx.style.doneLabel.empty()) {
                checkIcon(dl, c, s, color);
            } else {
                fittedText(ctx.labelFont, ctx.style.doneLabel, face, color, 0.5f);
            }
            break;
        case KeyAction::Backspace:
            if (ctx.style.backspaceLabel.empty()) {
                backspaceIcon(dl, c, s, color);
            } else {
                fittedText(ctx.labelFont, ctx.style.backspaceLabel, face, color, 0.45f);
            }
            break;
        case KeyAction::Shift:
            shiftIcon(dl, c, s, color, ctx.state ? ctx.state->shift() : ShiftMode::Off);
            break;
        case KeyAction::Enter:
            enterIcon(dl, c, s, color);
            break;
        case KeyAction::Language: {
            const std::string code =
                ctx.state ? upperCase(ctx.state->nextLanguage()) : std::string();
            if (width(face) > height(face) * 1.25f) {
                // Globe and the language it switches to, side by side.
                const float half = width(face) * 0.5f;
                globeIcon(dl, ImVec2(face.min.x + half * 0.62f, c.y), s * 0.95f, color);
                fittedText(ctx.labelFont, code,
                           KeyRect{ImVec2(c.x - half * 0.1f, face.min.y), face.max}, color, 0.42f);
            } else {
                fittedText(ctx.labelFont, code, face, color, 0.42f);
            }
            break;
        }
    }
}

/// The enlarged letter above a held key, so the visitor sees what the finger covers.
void keyPreview(const std::string& label, const KeyRect& face, ImFont* font,
                const KeyStyle& style) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float w = std::max(width(face) * 1.5f, height(face)), h = height(face) * 1.35f;
    const ImVec2 c = face.center();
    const ImVec2 min(c.x - w * 0.5f, face.min.y - h - style.gapPx * 0.5f);
    const ImVec2 max(c.x + w * 0.5f, face.min.y - style.gapPx * 0.5f);
    const float rounding = std::min(w, h) * 0.16f;
    dl->AddRectFilled(ImVec2(min.x, min.y + 6), ImVec2(max.x, max.y + 6), style.shadow, rounding);
    dl->AddRectFilled(min, max, style.key.fill, rounding);
    dl->AddRect(min, max, faded(style.key.text, 0.15f), rounding, 0, 2);
    fittedText(font, label, KeyRect{min, max}, style.key.text, 0.8f);
}

struct DrawnKeys {
    const Key* clicked = nullptr;
    ImVec2 size;
};

DrawnKeys drawKeys(const char* id, const KeyboardLayout& layout, ImVec2 topLeft, ImVec2 size,
                   const KeyStyle& style, const KeyboardState* state, std::string_view spaceLabel,
                   bool preview) {
    const KeyGrid grid = keyGrid(layout, topLeft, size, style);
    const KeyRect bounds{topLeft, ImVec2(topLeft.x + grid.size.x, topLeft.y + grid.size.y)};
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (style.panel) dl->AddRectFilled(bounds.min, bounds.max, style.panel);
    ImFont* font = style.font ? style.font : ImGui::GetFont();
    const KeyContext ctx{font, style.labelFont ? style.labelFont : font, style, state, spaceLabel};
    DrawnKeys drawn;
    drawn.size = grid.size;
    const Key* heldChar = nullptr;
    KeyRect heldFace;
    ImGui::PushID(id);
    for (size_t r = 0; r < layout.rows.size(); ++r) {
        for (size_t k = 0; k < layout.rows[r].size(); ++k) {
            const Key& key = layout.rows[r][k];
            const KeyColors colors = colorsFor(key, style, state ? state->shift() : ShiftMode::Off);
            const KeyHit hit = keyButton(static_cast<int>(r * 100 + k), grid.rows[r][k], bounds,
                                         colors.fill, style);
            drawKeyFace(key, hit.face, colors.text, ctx);
            if (hit.clicked) drawn.clicked = &key;
            if (hit.held && key.action == KeyAction::Char) {
                heldChar = &key;
                heldFace = hit.face;
            }
        }
    }
    ImGui::PopID();
    if (preview && heldChar)
        keyPreview(state ? state->label(*heldChar) : heldChar->text, heldFace, font, style);
    // Leave the layout cursor below the keys, as an ordinary widget would.
    ImGui::SetCursorScreenPos(topLeft);
    ImGui::Dummy(grid.size);
    return drawn;
}

// ---- Entry field ----

/// Splits `text` into lines no wider than `wrapWidth` (at spaces where possible, never inside
/// a character), breaking at newlines too.
std::vector<std::string_view> wrapLines(ImFont* font, std::string_view text, float wrapWidth) {
    std::vector<std::string_view> lines;
    size_t start = 0;
    for (;;) {
        const size_t nl = text.find('\n', start);
        const std::string_view para =
            text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
        const char* p = para.data();
        const char* end = p + para.size();
        if (p == end) lines.emplace_back(p, 0);
        while (p < end) {
            const char* brk = font->CalcWordWrapPositionA(1.0f, p, end, wrapWidth);
            if (brk <= p) brk = p + 1;
            while (brk < end && (static_cast<unsigned char>(*brk) & 0xC0) == 0x80)
                ++brk;  // whole characters
            lines.emplace_back(p, static_cast<size_t>(brk - p));
            p = brk;
            while (p < end && *p == ' ') ++p;
        }
        if (nl == std::string_view::npos) break;
        start = nl + 1;
    }
    return lines;
}

float textWidth(ImFont* font, std::string_view text) {
    return font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, text.data(), text.data() + text.size())
        .x;
}

void pinDots(ImDrawList* dl, const TextEntry& entry, ImVec2 min, ImVec2 max, ImU32 color,
             float lineH) {
    const size_t typed = entry.length();
    const size_t slots =
        entry.maxLength() > 0 && entry.maxLength() <= 12 ? entry.maxLength() : typed;
    if (slots == 0) return;
    float r = std::min(lineH * 0.3f, (max.y - min.y) * 0.4f);
    float step = r * 3.2f;
    if (step * slots > max.x - min.x) {
        step = (max.x - min.x) / slots;
        r = step / 3.2f;
    }
    const float cy = (min.y + max.y) * 0.5f;
    float x = (min.x + max.x) * 0.5f - step * (slots - 1) * 0.5f;
    for (size_t i = 0; i < slots; ++i, x += step) {
        if (i < typed) {
            dl->AddCircleFilled(ImVec2(x, cy), r, color, 24);
        } else {
            dl->AddCircle(ImVec2(x, cy), r, faded(color, 0.45f), 24, std::max(2.0f, r * 0.22f));
        }
    }
}

}  // namespace

KeyGrid keyGrid(const KeyboardLayout& layout, ImVec2 topLeft, ImVec2 size, const KeyStyle& style) {
    KeyGrid grid;
    const float units = std::max(1.0f, layout.units());
    const float rows = static_cast<float>(std::max<size_t>(1, layout.rows.size()));
    const float gap = style.gapPx, pad = style.paddingPx;
    const float smallest = std::max(1.0f, style.minKeyPx);
    const float unitW = std::max(smallest, (size.x - 2 * pad - (units - 1) * gap) / units);
    float rowH = (size.y - 2 * pad - (rows - 1) * gap) / rows;
    if (style.maxKeyAspect > 0) rowH = std::min(rowH, unitW * style.maxKeyAspect);
    rowH = std::max(smallest, rowH);
    grid.size = ImVec2(units * unitW + (units - 1) * gap + 2 * pad,
                       rows * rowH + (rows - 1) * gap + 2 * pad);
    for (size_t r = 0; r < layout.rows.size(); ++r) {
        const auto& row = layout.rows[r];
        float rowUnits = 0;
        for (const auto& key : row) rowUnits += key.width;
        float x = topLeft.x + pad + (units - rowUnits) * 0.5f * (unitW + gap);
        const float y = topLeft.y + pad + r * (rowH + gap);
        std::vector<KeyRect>& rects = grid.rows.emplace_back();
        for (const auto& key : row) {
            // A key of width w spans w unit keys and the gaps between them, so columns line up.
            const float w = key.width * unitW + (key.width - 1) * gap;
            rects.push_back(KeyRect{ImVec2(x, y), ImVec2(x + w, y + rowH)});
            x += w + gap;
        }
    }
    return grid;
}

ImVec2 keyboardSize(const KeyboardState& state, const TextEntry& entry, ImVec2 available,
                    const KeyboardStyle& style) {
    return keyGrid(state.layout(entry), ImVec2(0, 0), available, style).size;
}

ImVec2 numericKeypadSize(ImVec2 available, const KeypadStyle& style) {
    return keyGrid(keypadLayout(), ImVec2(0, 0), available, style).size;
}

KeyboardResult numericKeypad(const char* id, TextEntry& entry, ImVec2 topLeft, ImVec2 size,
                             const KeypadStyle& style) {
    const KeyboardLayout layout = keypadLayout();
    const DrawnKeys drawn = drawKeys(id, layout, topLeft, size, style, nullptr, {}, false);
    KeyboardResult result;
    result.size = drawn.size;
    if (drawn.clicked) result.outcome = applyKey(*drawn.clicked, entry);
    return result;
}

KeyboardResult keyboard(const char* id, TextEntry& entry, KeyboardState& state, ImVec2 topLeft,
                        ImVec2 size, const KeyboardStyle& style) {
    // A copy: pressing Page or Language below changes the state's layout, not this frame's keys.
    const KeyboardLayout layout = state.layout(entry);
    const DrawnKeys drawn =
        drawKeys(id, layout, topLeft, size, style, &state, style.spaceLabel, style.keyPreview);
    KeyboardResult result;
    result.size = drawn.size;
    if (drawn.clicked) result.outcome = state.press(*drawn.clicked, entry);
    return result;
}

bool entryField(const char* id, const TextEntry& entry, ImVec2 topLeft, ImVec2 size,
                const EntryFieldStyle& style) {
    ImFont* font = style.font ? style.font : ImGui::GetFont();
    ImFont* counterFont = style.counterFont ? style.counterFont : font;
    ImGui::SetCursorScreenPos(topLeft);
    const bool tapped =
        ImGui::InvisibleButton(id, ImVec2(std::max(1.0f, size.x), std::max(1.0f, size.y)));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 boxMax(topLeft.x + size.x, topLeft.y + size.y);
    dl->AddRectFilled(topLeft, boxMax, style.fill, style.rounding);
    if (style.borderPx > 0)
        dl->AddRect(topLeft, boxMax, style.border, style.rounding, 0, style.borderPx);
    const float inset = style.paddingPx + style.borderPx;
    ImVec2 areaMin(topLeft.x + inset, topLeft.y + inset),
        areaMax(boxMax.x - inset, boxMax.y - inset);
    const float lineH = font->FontSize;
    const bool multiLine = areaMax.y - areaMin.y >= 2 * lineH && entry.kind() == EntryKind::Text;

    if (style.counter && entry.kind() == EntryKind::Text && entry.maxLength() > 0) {
        const std::string text =
            std::to_string(entry.length()) + " / " + std::to_string(entry.maxLength());
        const ImVec2 ts =
            counterFont->CalcTextSizeA(counterFont->FontSize, FLT_MAX, 0, text.c_str());
        const ImU32 color = entry.full() ? style.counterFullColor : style.counterColor;
        if (multiLine) {
            dl->AddText(counterFont, counterFont->FontSize,
                        ImVec2(areaMax.x - ts.x, areaMax.y - ts.y), color, text.c_str());
            areaMax.y -= ts.y;
        } else {
            dl->AddText(counterFont, counterFont->FontSize,
                        ImVec2(areaMax.x - ts.x, (areaMin.y + areaMax.y - ts.y) * 0.5f), color,
                        text.c_str());
            areaMax.x -= ts.x + style.paddingPx;
        }
    }
    if (entry.kind() == EntryKind::Pin) {
        pinDots(dl, entry, areaMin, areaMax, style.text, lineH);
        return tapped;
    }

    const float caretW = std::max(2.0f, lineH * 0.07f);
    const float areaW = std::max(1.0f, areaMax.x - areaMin.x - caretW);
    dl->PushClipRect(areaMin, areaMax, true);
    ImVec2 caret;
    if (entry.empty()) {
        const float y = multiLine ? areaMin.y : (areaMin.y + areaMax.y - lineH) * 0.5f;
        caret = ImVec2(areaMin.x, y);
        if (!style.placeholder.empty()) {
            dl->AddText(font, lineH, ImVec2(areaMin.x + caretW * 3, y), style.placeholderColor,
                        style.placeholder.c_str(), nullptr, multiLine ? areaW : 0);
        }
    } else if (multiLine) {
        // Wrap, and keep the last lines (where the caret is) in view.
        const auto lines = wrapLines(font, entry.value(), areaW);
        const size_t fit =
            std::max<size_t>(1, static_cast<size_t>((areaMax.y - areaMin.y) / lineH));
        const size_t first = lines.size() > fit ? lines.size() - fit : 0;
        float y = areaMin.y;
        for (size_t i = first; i < lines.size(); ++i, y += lineH) {
            dl->AddText(font, lineH, ImVec2(areaMin.x, y), style.text, lines[i].data(),
                        lines[i].data() + lines[i].size());
        }
        caret = ImVec2(areaMin.x + textWidth(font, lines.back()), y - lineH);
    } else {
        // One line: scroll left so the end of the text and the caret stay visible.
        const float w = textWidth(font, entry.value());
        const float x = areaMin.x - std::max(0.0f, w - areaW);
        const float y = (areaMin.y + areaMax.y - lineH) * 0.5f;
        dl->AddText(font, lineH, ImVec2(x, y), style.text, entry.value().c_str());
        caret = ImVec2(x + w, y);
    }
    if (style.caret) {
        dl->AddRectFilled(ImVec2(caret.x + 1, caret.y + lineH * 0.1f),
                          ImVec2(caret.x + 1 + caretW, caret.y + lineH * 0.95f), style.caretColor);
    }
    dl->PopClipRect();
    return tapped;
}

}  // namespace talon::ui
