// Appeal screens: one function per AppealFlow step, each widget mapped to one intent. What the
// visitor typed shows only where it is typed and on the review; later screens show the number,
// the deadline and the status.
#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "kiosk_views.h"
#include "talon/common/text_entry.h"
#include "talon/ui/keyboard.h"
#include "talon/ui/widgets.h"
#include "view_parts.h"

namespace talon::kiosk {
namespace {

using namespace parts;

constexpr ImU32 kPanel = IM_COL32(222, 227, 236, 255);
constexpr ImU32 kFieldIdle = IM_COL32(190, 198, 210, 255);

/// Where a typing screen puts its form, its Back/Next bar and its keys. Portrait: the keys along
/// the bottom, the bar above them, the form above that. Landscape: the form on the left with the
/// Back/Next bar and the keys under it on the right.
struct TypingLayout {
    bool digits = false;  // laid out for the keypad
    ImVec2 form;     // top-left of the form
    float formW = 0;
    float formBottom = 0;  // the form must end above this
    ImVec2 bar;      // top-left of the Back/Next bar
    float barW = 0;
    ImVec2 keys;     // top-left of the keys' panel
    ImVec2 keysSize;
};

ui::KeyboardStyle keyboardStyle(const ViewContext& ctx) {
    ui::KeyboardStyle style;
    style.font = ctx.fonts.large;
    style.labelFont = ctx.fonts.body;
    style.minKeyPx = minTargetPx(ctx);
    style.gapPx = 12 * unit(ctx);
    style.doneLabel = ctx.tr("kiosk.key.done");
    style.spaceLabel = ctx.tr("kiosk.key.space");
    return style;
}

ui::KeypadStyle keypadStyle(const ViewContext& ctx) {
    ui::KeypadStyle style;
    style.font = ctx.fonts.big;
    style.labelFont = ctx.fonts.large;
    style.minKeyPx = minTargetPx(ctx);
    style.gapPx = 16 * unit(ctx);
    style.maxKeyAspect = 0.62f;
    style.doneLabel = ctx.tr("kiosk.key.done");
    return style;
}

TypingLayout typingLayout(const ViewContext& ctx, const TextEntry& entry, const KeyboardState& keyboard) {
    const float u = unit(ctx);
    const float m = margin(ctx);
    const bool digits = entry.kind() != EntryKind::Text;
    TypingLayout l;
    l.digits = digits;
    const float top = headerHeight(ctx) + 30 * u;
    if (portrait(ctx)) {
        const ImVec2 avail = digits ? ImVec2(std::min(ctx.width - 2 * m, 720 * u), ctx.height * 0.3f)
                                    : ImVec2(ctx.width - 2 * 24 * u, ctx.height * 0.3f);
        const ImVec2 size = digits ? ui::numericKeypadSize(avail, keypadStyle(ctx))
                                   : ui::keyboardSize(keyboard, entry, avail, keyboardStyle(ctx));
        l.keysSize = size;
        l.keys = ImVec2((ctx.width - size.x) * 0.5f, ctx.height - size.y - 24 * u);
        l.barW = columnWidth(ctx);
        l.bar = ImVec2((ctx.width - l.barW) * 0.5f, l.keys.y - 48 * u - buttonHeight(ctx));
        l.form = ImVec2((ctx.width - columnWidth(ctx)) * 0.5f, top);
        l.formW = columnWidth(ctx);
        l.formBottom = l.bar.y - 20 * u;
    } else {
        const float leftW = ctx.width * 0.46f - m;
        l.form = ImVec2(m, top);
        l.formW = leftW;
        l.formBottom = ctx.height - 30 * u;
        const float keysX = m + leftW + 40 * u;
        l.barW = ctx.width - keysX - 30 * u;
        l.bar = ImVec2(keysX, top);
        const float keysTop = top + buttonHeight(ctx) + 50 * u;
        const ImVec2 avail(ctx.width - keysX - 30 * u, ctx.height - keysTop - 40 * u);
        const ImVec2 size = digits ? ui::numericKeypadSize(ImVec2(std::min(avail.x, 620 * u), avail.y * 0.8f),
                                                           keypadStyle(ctx))
                                   : ui::keyboardSize(keyboard, entry, avail, keyboardStyle(ctx));
        l.keysSize = size;
        l.keys = ImVec2(keysX + (avail.x - size.x) * 0.5f, ctx.height - size.y - 40 * u);
    }
    return l;
}

/// How many lines of a problem box fit between `y` and the end of the typing layout's form.
int linesLeft(const ViewContext& ctx, const TypingLayout& l, float y) {
    return std::max(1, static_cast<int>((l.formBottom - y - 40 * unit(ctx)) / ctx.fonts.body->FontSize));
}

/// The keys for the flow's focused entry: the keypad for digits, else the keyboard. Done goes on.
void drawKeys(ViewContext& ctx, AppealFlow& flow, const TypingLayout& l) {
    const float u = unit(ctx);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (portrait(ctx)) {
        dl->AddRectFilled(ImVec2(0, l.keys.y - 24 * u), ImVec2(ctx.width, ctx.height), kPanel);
    } else {
        dl->AddRectFilled(ImVec2(l.keys.x - 20 * u, l.keys.y - 20 * u),
                          ImVec2(l.keys.x + l.keysSize.x + 20 * u, l.keys.y + l.keysSize.y + 20 * u), kPanel, 24 * u);
    }
    TextEntry& entry = flow.focusedEntry();
    // A field tapped this frame may want the other keys: they come with the next frame's layout.
    if ((entry.kind() != EntryKind::Text) != l.digits) return;
    ui::KeyboardResult result;
    if (entry.kind() != EntryKind::Text) {
        result = ui::numericKeypad("appeal-keypad", entry, l.keys, l.keysSize, keypadStyle(ctx));
    } else {
        result = ui::keyboard("appeal-keys", entry, flow.keyboard(), l.keys, l.keysSize, keyboardStyle(ctx));
    }
    if (result.done()) flow.keyboardDone();
}

/// The step's place in the filing ("Step 3 of 6") in small print above the title.
float drawStepLine(ViewContext& ctx, int n, ImVec2 pos, float width) {
    ImFont* body = ctx.fonts.body;
    return text(body, body->FontSize * 0.85f,
                ctx.tr("appeals.step", {{"n", std::to_string(n)}, {"total", "6"}}), pos, width, kMuted);
}

/// The current problem in the visitor's words: the server's sentence when it gave one.
std::string problemText(const ViewContext& ctx, const AppealFlow& flow) {
    if (flow.problem() == AppealProblem::None) return {};
    // The server's own sentence only where the kiosk has none of its own that says what to do.
    const bool serverWords = flow.problem() == AppealProblem::TooMany || flow.problem() == AppealProblem::Other;
    if (serverWords && !flow.message().empty()) return flow.message();
    return ctx.tr(std::string("appeals.problem.") + toString(flow.problem()));
}

/// A category's name: the server's for it, else the catalog's, else the id itself.
std::string categoryName(const ViewContext& ctx, const std::string& id) {
    if (const AppealCategory* c = ctx.model.appealCategory(id); c && !c->names.empty()) {
        return localized(c->names, ctx.model.language());
    }
    const std::string key = "appeals.category." + id;
    return ctx.catalog.has(ctx.model.language(), key) || ctx.catalog.has("en", key) ? ctx.tr(key) : id;
}

/// Whether appeals of this category are urgent: the server says; before it has, safety hazards.
bool urgentCategory(const ViewContext& ctx, const std::string& id) {
    if (const AppealCategory* c = ctx.model.appealCategory(id)) return c->urgent;
    return id == "safety_hazard";
}

/// A red box with `message` on at most `maxLines` lines (a longer one is set smaller, then cut);
/// returns its height (0 when empty).
float drawProblem(ViewContext& ctx, const std::string& message, ImVec2 pos, float width, int maxLines = 4) {
    if (message.empty()) return 0;
    const float u = unit(ctx);
    ImFont* body = ctx.fonts.body;
    const float pad = 20 * u;
    const float limit = maxLines * body->FontSize;
    float size = body->FontSize;
    float textH = ui::wrappedHeight(body, size, message, width - 2 * pad);
    if (textH > limit) {
        size = body->FontSize * 0.8f;
        textH = std::min(limit, ui::wrappedHeight(body, size, message, width - 2 * pad));
    }
    const float h = textH + 2 * pad;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(pos, ImVec2(pos.x + width, pos.y + h), kWarnBack, 16 * u);
    dl->AddRect(pos, ImVec2(pos.x + width, pos.y + h), kWarn, 16 * u, 0, 3 * u);
    ImGui::PushClipRect(pos, ImVec2(pos.x + width, pos.y + h - pad * 0.5f), true);
    ui::wrappedText(body, size, message, ImVec2(pos.x + pad, pos.y + pad), width - 2 * pad, kWarn);
    ImGui::PopClipRect();
    return h;
}

/// A labelled entry; tapping it focuses `field`. Returns the height used.
float drawField(ViewContext& ctx, AppealFlow& flow, AppealField field, TextEntry& entry, const std::string& label,
                const std::string& placeholder, ImVec2 pos, float width, bool optional) {
    const float u = unit(ctx);
    ImFont* body = ctx.fonts.body;
    const float labelSize = body->FontSize * 0.85f;
    std::string caption = label;
    if (optional) caption += " · " + ctx.tr("appeals.optional");
    fittedLine(body, labelSize, caption, pos, width, kMuted);
    const float h = std::max(minTargetPx(ctx), 84 * u);
    const bool focused = flow.focused() == field;
    ui::EntryFieldStyle style;
    style.font = body;
    style.border = focused ? kAccent : kFieldIdle;
    style.borderPx = focused ? 4 * u : 2 * u;
    style.rounding = 14 * u;
    style.paddingPx = 18 * u;
    style.placeholder = placeholder;
    style.caret = focused;
    const std::string id = std::string("field-") + std::to_string(static_cast<int>(field));
    const ImVec2 box(pos.x, pos.y + labelSize + 6 * u);
    if (ui::entryField(id.c_str(), entry, box, ImVec2(width, h), style)) flow.focus(field);
    ui::touchTarget(id, box, ImVec2(box.x + width, box.y + h));
    return labelSize + 6 * u + h;
}

// ---- Type and category ----------------------------------------------------------------------

/// A card with a title and a line under it; true when tapped.
bool choiceCard(ViewContext& ctx, const std::string& id, const std::string& title, const std::string& line, ImVec2 pos,
                ImVec2 size, ImU32 fill, ImU32 titleColor, ImU32 border, float titleScale = 0) {
    const float u = unit(ctx);
    ImGui::SetCursorScreenPos(pos);
    const bool tapped = ImGui::InvisibleButton(id.c_str(), size);
    const bool held = ImGui::IsItemActive();
    const ImVec2 max(pos.x + size.x, pos.y + size.y);
    ui::touchTarget(id, pos, max);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(ImVec2(pos.x + 4 * u, pos.y + 6 * u), ImVec2(max.x + 4 * u, max.y + 6 * u), kShadow, 22 * u);
    dl->AddRectFilled(pos, max, held ? kCardPressed : fill, 22 * u);
    if (border) dl->AddRect(pos, max, border, 22 * u, 0, 4 * u);
    ImFont* large = ctx.fonts.large;
    ImFont* body = ctx.fonts.body;
    const float pad = 30 * u;
    const float w = size.x - 2 * pad;
    float titleSize = large->FontSize * (titleScale > 0 ? titleScale : 0.8f);
    if (titleScale == 0 && large->CalcTextSizeA(titleSize, FLT_MAX, 0, title.c_str()).x > w) {
        titleSize = large->FontSize * 0.62f;
    }
    const float th = ui::wrappedHeight(large, titleSize, title, w);
    const float lh = line.empty() ? 0 : ui::wrappedHeight(body, body->FontSize * 0.9f, line, w);
    const float blockH = th + (line.empty() ? 0 : 8 * u + lh);
    const float y = pos.y + std::max(12 * u, (size.y - blockH) * 0.5f);
    ImGui::PushClipRect(pos, max, true);
    ui::wrappedText(large, titleSize, title, ImVec2(pos.x + pad, y), w, titleColor);
    if (!line.empty()) ui::wrappedText(body, body->FontSize * 0.9f, line, ImVec2(pos.x + pad, y + th + 8 * u), w, kMuted);
    ImGui::PopClipRect();
    return tapped;
}

void drawType(ViewContext& ctx, AppealFlow& flow) {
    const float u = unit(ctx);
    const float w = columnWidth(ctx), x = (ctx.width - w) * 0.5f;
    ImFont* large = ctx.fonts.large;
    float y = headerHeight(ctx) + 30 * u;
    y += drawStepLine(ctx, 1, ImVec2(x, y), w) + 8 * u;
    y += text(large, large->FontSize, ctx.tr("appeals.type_title"), ImVec2(x, y), w, kText) + 30 * u;

    // Back, and the status check of an earlier appeal; changing the kind from the review goes
    // back there instead, and a half-filled appeal is never left for a status check.
    const BarTaps bar = flow.editing() ? drawBottomBar(ctx, ctx.tr("kiosk.back"), "")
                                       : drawBottomBar(ctx, ctx.tr("kiosk.back"), ctx.tr("appeals.check_status"), true,
                                                       kHeader);
    if (bar.left) {
        if (flow.editing()) {
            flow.back();
        } else {
            ctx.model.backToHome();
        }
        return;
    }
    if (bar.right) {
        flow.beginStatus();
        return;
    }
    const float statusY = bottomBarTop(ctx);
    const auto& types = AppealFlow::types();
    const int columns = portrait(ctx) ? 1 : 2;
    const int rows = static_cast<int>((types.size() + columns - 1) / columns);
    const float gap = 24 * u;
    const float cellW = (w - (columns - 1) * gap) / columns;
    const float availH = statusY - 40 * u - y;
    const float cellH = std::max(minTargetPx(ctx), std::min((availH - (rows - 1) * gap) / rows, 220 * u));
    // One title size for all four: the large font unless a title would not fit on one line.
    float titleScale = 0.8f;
    for (const std::string& type : types) {
        const std::string title = ctx.tr("appeals.type." + type);
        if (large->CalcTextSizeA(large->FontSize * 0.8f, FLT_MAX, 0, title.c_str()).x > cellW - 60 * u) titleScale = 0.62f;
    }
    for (size_t i = 0; i < types.size(); ++i) {
        const std::string& type = types[i];
        const int row = static_cast<int>(i) / columns, col = static_cast<int>(i) % columns;
        const ImVec2 pos(x + col * (cellW + gap), y + row * (cellH + gap));
        const bool chosen = flow.type() == type;
        if (choiceCard(ctx, "type-" + type, ctx.tr("appeals.type." + type), ctx.tr("appeals.type_hint." + type), pos,
                       ImVec2(cellW, cellH), kCard, kHeader, chosen ? kAccent : 0, titleScale)) {
            flow.chooseType(type);
        }
    }
}

void drawCategory(ViewContext& ctx, AppealFlow& flow) {
    const float u = unit(ctx);
    const float w = columnWidth(ctx), x = (ctx.width - w) * 0.5f;
    ImFont* large = ctx.fonts.large;
    float y = headerHeight(ctx) + 30 * u;
    y += drawStepLine(ctx, 2, ImVec2(x, y), w) + 8 * u;
    y += text(large, large->FontSize, ctx.tr("appeals.category_title"), ImVec2(x, y), w, kText) + 8 * u;
    y += text(ctx.fonts.body, ctx.fonts.body->FontSize * 0.9f, ctx.tr("appeals.type." + flow.type()), ImVec2(x, y), w,
              kMuted) + 24 * u;

    const BarTaps bar = drawBottomBar(ctx, ctx.tr("kiosk.back"), "");
    if (bar.left) {
        flow.back();
        return;
    }
    const auto& categories = flow.categories();
    const int columns = portrait(ctx) ? 1 : 2;
    const int rows = static_cast<int>((categories.size() + columns - 1) / columns);
    const float gap = 18 * u;
    const float cellW = (w - (columns - 1) * gap) / columns;
    const float availH = bottomBarTop(ctx) - 30 * u - y;
    const float cellH =
        std::max(minTargetPx(ctx), std::min((availH - (rows - 1) * gap) / std::max(rows, 1), 170 * u));
    for (size_t i = 0; i < categories.size(); ++i) {
        const std::string& id = categories[i];
        const int row = static_cast<int>(i) / columns, col = static_cast<int>(i) % columns;
        const ImVec2 pos(x + col * (cellW + gap), y + row * (cellH + gap));
        const bool hazard = urgentCategory(ctx, id);
        const bool chosen = flow.category() == id;
        if (choiceCard(ctx, "category-" + id, categoryName(ctx, id),
                       hazard ? ctx.tr("appeals.urgent_note") : "", pos, ImVec2(cellW, cellH),
                       hazard ? kWarnBack : kCard, hazard ? kWarn : kHeader, chosen ? kAccent : (hazard ? kWarn : 0))) {
            flow.chooseCategory(id);
        }
    }
}

// ---- Text and contacts ----------------------------------------------------------------------

/// Back and Next in the typing layout's bar.
BarTaps typingBar(ViewContext& ctx, const TypingLayout& l, const std::string& next) {
    const float u = unit(ctx);
    const float gap = 28 * u, h = buttonHeight(ctx);
    const float lw = (l.barW - gap) * 0.4f, rw = l.barW - gap - lw;
    BarTaps taps;
    taps.left = bigButton("bar-left", ctx.tr("kiosk.back"), l.bar, ImVec2(lw, h), kSecondary, kWhite, ctx.fonts.large);
    taps.right = bigButton("bar-right", next, ImVec2(l.bar.x + lw + gap, l.bar.y), ImVec2(rw, h), kAccent, kWhite,
                           ctx.fonts.large);
    return taps;
}

/// The end of a typing screen: Back and `next` in the bar (each runs its action), else the keys.
template <class Back, class Next>
void typingControls(ViewContext& ctx, AppealFlow& flow, const TypingLayout& l, const std::string& next, Back&& onBack,
                    Next&& onNext) {
    const BarTaps bar = typingBar(ctx, l, next);
    if (bar.left) {
        onBack();
    } else if (bar.right) {
        onNext();
    } else {
        drawKeys(ctx, flow, l);
    }
}

void drawText(ViewContext& ctx, AppealFlow& flow) {
    const float u = unit(ctx);
    ImFont* large = ctx.fonts.large;
    ImFont* body = ctx.fonts.body;
    const TypingLayout l = typingLayout(ctx, flow.text(), flow.keyboard());
    float y = l.form.y;
    y += drawStepLine(ctx, 3, ImVec2(l.form.x, y), l.formW) + 8 * u;
    y += text(large, large->FontSize, ctx.tr("appeals.text_title"), ImVec2(l.form.x, y), l.formW, kText) + 10 * u;
    y += text(body, body->FontSize * 0.9f, ctx.tr("appeals.text_hint"), ImVec2(l.form.x, y), l.formW, kMuted) + 20 * u;

    const std::string problem = problemText(ctx, flow);
    const float problemH =
        problem.empty() ? 0 : ui::wrappedHeight(body, body->FontSize, problem, l.formW - 40 * u) + 40 * u + 16 * u;
    const float fieldH = std::max(minTargetPx(ctx), l.formBottom - y - problemH);
    ui::EntryFieldStyle style;
    style.font = body;
    style.counterFont = body;
    style.counter = true;
    style.rounding = 16 * u;
    style.placeholder = ctx.tr("appeals.text_placeholder");
    ui::entryField("appeal-text", flow.text(), ImVec2(l.form.x, y), ImVec2(l.formW, fieldH), style);
    y += fieldH + 16 * u;
    drawProblem(ctx, problem, ImVec2(l.form.x, y), l.formW);

    typingControls(ctx, flow, l, ctx.tr("appeals.next"), [&] { flow.back(); }, [&] { flow.next(); });
}

/// The reply channels as chips; one without its contact typed is drawn lighter.
float drawChannels(ViewContext& ctx, AppealFlow& flow, ImVec2 pos, float width) {
    const float u = unit(ctx);
    ImFont* body = ctx.fonts.body;
    const float labelSize = body->FontSize * 0.85f;
    ImGui::GetWindowDrawList()->AddText(body, labelSize, pos, kMuted, ctx.tr("appeals.reply_by").c_str());
    const auto& channels = AppealFlow::channels();
    const float gap = 14 * u;
    const float w = (width - (channels.size() - 1) * gap) / channels.size();
    const float h = std::max(minTargetPx(ctx), 84 * u);
    const float y = pos.y + labelSize + 6 * u;
    for (size_t i = 0; i < channels.size(); ++i) {
        const std::string& c = channels[i];
        const bool chosen = flow.channel() == c;
        const bool available = flow.channelAvailable(c);
        const ImU32 fill = chosen ? kAccent : kCard;
        const ImU32 color = chosen ? kWhite : available ? kHeader : kMuted;
        const ImVec2 p(pos.x + i * (w + gap), y);
        if (!chosen) {
            ImGui::GetWindowDrawList()->AddRect(ImVec2(p.x - 1, p.y - 1), ImVec2(p.x + w + 1, p.y + h + 1), kFieldIdle,
                                                18 * u, 0, 2 * u);
        }
        if (bigButton(("channel-" + c).c_str(), ctx.tr("appeals.channel_short." + c), p, ImVec2(w, h), fill, color,
                      body)) {
            flow.chooseChannel(c);
        }
    }
    return labelSize + 6 * u + h;
}

void drawContact(ViewContext& ctx, AppealFlow& flow) {
    const float u = unit(ctx);
    ImFont* large = ctx.fonts.large;
    ImFont* body = ctx.fonts.body;
    const TypingLayout l = typingLayout(ctx, flow.focusedEntry(), flow.keyboard());
    float y = l.form.y;
    y += drawStepLine(ctx, 4, ImVec2(l.form.x, y), l.formW) + 8 * u;
    y += text(large, large->FontSize * 0.9f, ctx.tr("appeals.contact_title"), ImVec2(l.form.x, y), l.formW, kText) +
         8 * u;
    y += text(body, body->FontSize * 0.85f, ctx.tr("appeals.contact_hint"), ImVec2(l.form.x, y), l.formW, kMuted) +
         16 * u;
    const float gap = 12 * u;
    const float x = l.form.x, w = l.formW;
    y += drawField(ctx, flow, AppealField::Name, flow.name(), ctx.tr("appeals.field.name"), "", ImVec2(x, y), w,
                   false) + gap;
    // Phone and e-mail side by side: one of them is needed.
    const float half = (w - 20 * u) * 0.5f;
    const float ph = drawField(ctx, flow, AppealField::Phone, flow.phone(), ctx.tr("appeals.field.phone"),
                               ctx.tr("appeals.placeholder.phone"), ImVec2(x, y), half, false);
    drawField(ctx, flow, AppealField::Email, flow.email(), ctx.tr("appeals.field.email"),
              ctx.tr("appeals.placeholder.email"), ImVec2(x + half + 20 * u, y), half, false);
    y += ph + gap;
    if (portrait(ctx)) {
        y += drawField(ctx, flow, AppealField::Address, flow.address(), ctx.tr("appeals.field.address"), "",
                       ImVec2(x, y), w, true) + gap;
        y += drawField(ctx, flow, AppealField::Account, flow.account(), ctx.tr("appeals.field.account"), "",
                       ImVec2(x, y), w, true) + gap + 6 * u;
    } else {
        // Landscape has the height for one row less.
        drawField(ctx, flow, AppealField::Address, flow.address(), ctx.tr("appeals.field.address"), "", ImVec2(x, y),
                  half, true);
        y += drawField(ctx, flow, AppealField::Account, flow.account(), ctx.tr("appeals.field.account"), "",
                       ImVec2(x + half + 20 * u, y), half, true) + gap + 6 * u;
    }
    y += drawChannels(ctx, flow, ImVec2(x, y), w) + 16 * u;
    drawProblem(ctx, problemText(ctx, flow), ImVec2(x, y), w, linesLeft(ctx, l, y));

    typingControls(ctx, flow, l, ctx.tr("appeals.next"), [&] { flow.back(); }, [&] { flow.next(); });
}

// ---- Consent and review ---------------------------------------------------------------------

void drawConsent(ViewContext& ctx, AppealFlow& flow) {
    const float u = unit(ctx);
    const float w = columnWidth(ctx), x = (ctx.width - w) * 0.5f;
    ImFont* large = ctx.fonts.large;
    ImFont* body = ctx.fonts.body;
    float y = headerHeight(ctx) + 30 * u;
    y += drawStepLine(ctx, 5, ImVec2(x, y), w) + 8 * u;
    y += text(large, large->FontSize * 0.9f, ctx.tr("appeals.consent_title"), ImVec2(x, y), w, kText) + 24 * u;
    y += card(ctx, ImVec2(x, y), w, kCard, [&](ImVec2 p, float cw) {
        return text(body, body->FontSize * 0.9f, ctx.tr("appeals.consent_text"), p, cw, kText);
    }) + 30 * u;

    // The check box: the whole row is the target.
    const std::string label = ctx.tr("appeals.consent_check");
    const float box = std::max(minTargetPx(ctx) * 0.7f, 64 * u);
    const float labelW = w - box - 3 * 30 * u;
    const float rowH = std::max(minTargetPx(ctx), ui::wrappedHeight(body, body->FontSize, label, labelW) + 60 * u);
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    if (ImGui::InvisibleButton("consent", ImVec2(w, rowH))) flow.setConsent(!flow.consent());
    ui::touchTarget("consent", ImVec2(x, y), ImVec2(x + w, y + rowH));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const bool on = flow.consent();
    dl->AddRectFilled(ImVec2(x, y), ImVec2(x + w, y + rowH), ImGui::IsItemActive() ? kCardPressed : kCard, 20 * u);
    dl->AddRect(ImVec2(x, y), ImVec2(x + w, y + rowH), on ? kGood : kAccent, 20 * u, 0, 4 * u);
    const ImVec2 b(x + 30 * u, y + (rowH - box) * 0.5f);
    dl->AddRectFilled(b, ImVec2(b.x + box, b.y + box), on ? kGood : kWhite, 10 * u);
    dl->AddRect(b, ImVec2(b.x + box, b.y + box), on ? kGood : kSecondary, 10 * u, 0, 4 * u);
    if (on) {
        // A drawn tick, so it does not depend on the font having one.
        const ImVec2 p1(b.x + box * 0.22f, b.y + box * 0.52f), p2(b.x + box * 0.42f, b.y + box * 0.72f),
            p3(b.x + box * 0.80f, b.y + box * 0.28f);
        dl->AddLine(p1, p2, kWhite, 8 * u);
        dl->AddLine(p2, p3, kWhite, 8 * u);
    }
    const float lh = ui::wrappedHeight(body, body->FontSize, label, labelW);
    ui::wrappedText(body, body->FontSize, label, ImVec2(b.x + box + 30 * u, y + (rowH - lh) * 0.5f), labelW, kText);
    y += rowH + 24 * u;
    drawProblem(ctx, problemText(ctx, flow), ImVec2(x, y), w);

    const BarTaps bar = drawBottomBar(ctx, ctx.tr("kiosk.back"), ctx.tr("appeals.next"));
    if (bar.left) flow.back();
    if (bar.right) flow.next();
}

/// One line of a review row, shown on at most `maxLines` lines (0: as many as it needs).
struct ReviewLine {
    std::string text;
    int maxLines = 0;
    ImU32 color = kText;
};

/// What a review row needs: its label and lines in the text column, or the Change button.
struct ReviewRow {
    AppealStep step;
    std::string label;
    std::vector<ReviewLine> lines;
};

float changeWidth(const ViewContext& ctx) { return std::max(minTargetPx(ctx), 230 * unit(ctx)); }
float changeHeight(const ViewContext& ctx) { return std::max(minTargetPx(ctx), 84 * unit(ctx)); }

float lineHeight(const ViewContext& ctx, const ReviewLine& line, float width) {
    ImFont* body = ctx.fonts.body;
    const float full = ui::wrappedHeight(body, body->FontSize, line.text, width);
    return line.maxLines > 0 ? std::min(full, line.maxLines * body->FontSize) : full;
}

float rowHeight(const ViewContext& ctx, const ReviewRow& row, float width) {
    const float u = unit(ctx);
    ImFont* body = ctx.fonts.body;
    const float textW = width - changeWidth(ctx) - 24 * u;
    float h = ui::wrappedHeight(body, body->FontSize * 0.85f, row.label, textW) + 4 * u;
    for (const ReviewLine& line : row.lines) {
        if (!line.text.empty()) h += lineHeight(ctx, line, textW) + 4 * u;
    }
    return std::max(h, changeHeight(ctx));
}

/// Draws `row` at `pos`: the label, each line clipped to its lines, a Change button on the right.
float drawReviewRow(ViewContext& ctx, AppealFlow& flow, const ReviewRow& row, ImVec2 pos, float width) {
    const float u = unit(ctx);
    ImFont* body = ctx.fonts.body;
    const float textW = width - changeWidth(ctx) - 24 * u;
    float h = text(body, body->FontSize * 0.85f, row.label, pos, textW, kMuted) + 4 * u;
    for (const ReviewLine& line : row.lines) {
        if (line.text.empty()) continue;
        const float lh = lineHeight(ctx, line, textW);
        const ImVec2 a(pos.x, pos.y + h), b(pos.x + textW, pos.y + h + lh);
        ImGui::PushClipRect(a, b, true);
        ui::wrappedText(body, body->FontSize, line.text, a, textW, line.color);
        ImGui::PopClipRect();
        h += lh + 4 * u;
    }
    h = std::max(h, changeHeight(ctx));
    const std::string id = std::string("change-") + toString(row.step);
    if (bigButton(id.c_str(), ctx.tr("appeals.change"),
                  ImVec2(pos.x + width - changeWidth(ctx), pos.y + (h - changeHeight(ctx)) * 0.5f),
                  ImVec2(changeWidth(ctx), changeHeight(ctx)), kCardPressed, kHeader, body)) {
        flow.edit(row.step);
    }
    return h;
}

/// A card of review rows with rules between them; returns its height.
float drawReviewCard(ViewContext& ctx, AppealFlow& flow, const std::vector<const ReviewRow*>& rows, ImVec2 pos,
                     float width) {
    const float u = unit(ctx);
    const float rowGap = 20 * u;
    return card(ctx, pos, width, kCard, [&](ImVec2 p, float cw) {
        float h = 0;
        ImDrawList* dl = ImGui::GetWindowDrawList();
        for (size_t i = 0; i < rows.size(); ++i) {
            if (i > 0) {
                dl->AddLine(ImVec2(p.x, p.y + h - rowGap * 0.5f), ImVec2(p.x + cw, p.y + h - rowGap * 0.5f), kPanel,
                            2 * u);
            }
            h += drawReviewRow(ctx, flow, *rows[i], ImVec2(p.x, p.y + h), cw) + (i + 1 < rows.size() ? rowGap : 0);
        }
        return h;
    });
}

void drawReview(ViewContext& ctx, AppealFlow& flow) {
    const float u = unit(ctx);
    // Landscape: kind, topic and text on the left, contacts on the right.
    const bool side = !portrait(ctx);
    const float w = side ? ctx.width - 2 * margin(ctx) : columnWidth(ctx), x = (ctx.width - w) * 0.5f;
    const float gap = 30 * u;
    const float leftW = side ? (w - gap) * 0.56f : w;
    ImFont* large = ctx.fonts.large;
    ImFont* body = ctx.fonts.body;
    float y = headerHeight(ctx) + 30 * u;
    y += drawStepLine(ctx, 6, ImVec2(x, y), w) + 8 * u;
    y += text(large, large->FontSize * 0.9f, ctx.tr("appeals.review_title"), ImVec2(x, y), w, kText) + 20 * u;
    // A refusal of the last send goes above the card, where nothing can cover it.
    const std::string problem = problemText(ctx, flow);
    if (!problem.empty()) y += drawProblem(ctx, problem, ImVec2(x, y), w, 3) + 20 * u;

    const AppealSubmission s = flow.submission();
    ReviewRow kind{AppealStep::Type, ctx.tr("appeals.review.kind"), {{ctx.tr("appeals.type." + s.type), 1}}};
    ReviewRow topic{AppealStep::Category, ctx.tr("appeals.review.topic"), {{categoryName(ctx, s.category), 2}}};
    if (urgentCategory(ctx, s.category)) topic.lines.push_back({ctx.tr("appeals.urgent_note"), 2, kWarn});
    // Contacts: each on at most two lines (the whole of each was on the contact step).
    ReviewRow contacts{AppealStep::Contact, ctx.tr("appeals.review.contacts"), {{s.name, 2}}};
    if (!s.phone.empty()) contacts.lines.push_back({ctx.tr("appeals.field.phone") + ": " + s.phone, 2});
    if (!s.email.empty()) contacts.lines.push_back({ctx.tr("appeals.field.email") + ": " + s.email, 2});
    if (!s.address.empty()) contacts.lines.push_back({ctx.tr("appeals.field.address") + ": " + s.address, 2});
    if (!s.account.empty()) contacts.lines.push_back({ctx.tr("appeals.field.account") + ": " + s.account, 2});
    if (!s.replyChannel.empty()) {
        contacts.lines.push_back(
            {ctx.tr("appeals.review.reply", {{"channel", ctx.tr("appeals.channel." + s.replyChannel)}}), 1});
    }
    // The text gets the lines left above the bar (at most eight); the rest is counted.
    const float pad = 32 * u, rowGap = 20 * u;
    const float cw = leftW - 2 * pad;
    const float textW = cw - changeWidth(ctx) - 24 * u;
    ReviewRow textRow{AppealStep::Text, ctx.tr("appeals.review.text"), {}};
    const std::string more = ctx.tr("appeals.review.more", {{"n", std::to_string(flow.textLength())}});
    const float others = rowHeight(ctx, kind, cw) + rowHeight(ctx, topic, cw) +
                         (side ? 0 : rowHeight(ctx, contacts, cw) + rowGap) + 2 * rowGap + 2 * pad +
                         ui::wrappedHeight(body, body->FontSize * 0.85f, textRow.label, textW) + 4 * u;
    const float room = bottomBarTop(ctx) - 30 * u - y - others;
    const int fullLines = static_cast<int>(std::ceil(ui::wrappedHeight(body, body->FontSize, s.text, textW) /
                                                     body->FontSize - 0.01f));
    int lines = std::clamp(static_cast<int>(std::floor(room / body->FontSize)), 0, 8);
    if (lines >= fullLines) {
        textRow.lines.push_back({s.text, 0});
    } else {
        lines = std::max(0, lines - 1);  // one line for the count
        if (lines > 0) textRow.lines.push_back({s.text, lines});
        textRow.lines.push_back({more, 1, kMuted});
    }
    if (side) {
        drawReviewCard(ctx, flow, {&kind, &topic, &textRow}, ImVec2(x, y), leftW);
        drawReviewCard(ctx, flow, {&contacts}, ImVec2(x + leftW + gap, y), w - leftW - gap);
    } else {
        drawReviewCard(ctx, flow, {&kind, &topic, &textRow, &contacts}, ImVec2(x, y), w);
    }

    const BarTaps bar = drawBottomBar(ctx, ctx.tr("kiosk.back"), ctx.tr("appeals.send"), true, kGood);
    if (bar.left) {
        flow.back();
        return;
    }
    if (bar.right) flow.send();
}

// ---- Done -----------------------------------------------------------------------------------

/// A framed card with a caption and one large line (a number, a code) that never wraps.
float numberCard(ViewContext& ctx, const std::string& caption, const std::string& value, ImVec2 pos, float width,
                 ImU32 frame) {
    const float u = unit(ctx);
    ImFont* huge = ctx.fonts.huge;
    ImFont* body = ctx.fonts.body;
    // The huge font has digits and capitals only: a number with another letter takes `large`.
    const auto cps = decodeUtf8(value);
    const bool hugeHasAll =
        cps && std::all_of(cps->begin(), cps->end(), [&](char32_t c) {
            return c <= 0xFFFF && huge->FindGlyphNoFallback(static_cast<ImWchar>(c)) != nullptr;
        });
    if (!hugeHasAll) huge = ctx.fonts.large;
    const float pad = 30 * u;
    const float valueSize = std::min(huge->FontSize * 0.62f, 150 * u);
    const float h = pad + body->FontSize + 12 * u + valueSize + pad;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(pos, ImVec2(pos.x + width, pos.y + h), kCard, 26 * u);
    dl->AddRect(pos, ImVec2(pos.x + width, pos.y + h), frame, 26 * u, 0, 6 * u);
    dl->AddText(body, body->FontSize, ImVec2(pos.x + pad, pos.y + pad), kMuted, caption.c_str());
    // Centred, shrunk to fit.
    const float natural = huge->CalcTextSizeA(valueSize, FLT_MAX, 0, value.c_str()).x;
    const float size = natural > width - 2 * pad ? valueSize * (width - 2 * pad) / natural : valueSize;
    const float vw = huge->CalcTextSizeA(size, FLT_MAX, 0, value.c_str()).x;
    dl->AddText(huge, size, ImVec2(pos.x + (width - vw) * 0.5f, pos.y + pad + body->FontSize + 12 * u), kHeader,
                value.c_str());
    return h;
}

void drawDone(ViewContext& ctx, AppealFlow& flow) {
    const float u = unit(ctx);
    const float w = columnWidth(ctx), x = (ctx.width - w) * 0.5f;
    ImFont* large = ctx.fonts.large;
    ImFont* body = ctx.fonts.body;
    const auto& outcome = flow.outcome();
    if (!outcome) return;
    float y = headerHeight(ctx) + 40 * u;
    if (outcome->receipt) {
        const AppealReceipt& r = *outcome->receipt;
        y += text(large, large->FontSize, ctx.tr("appeals.done_title"), ImVec2(x, y), w, kGood) + 30 * u;
        y += numberCard(ctx, ctx.tr("appeals.done_number_label"), r.number, ImVec2(x, y), w, kGood) + 30 * u;
        y += text(large, large->FontSize * 0.8f, ctx.tr("appeals.done_due", {{"date", r.dueOnText}}), ImVec2(x, y), w,
                  kText) + 20 * u;
        if (r.urgent) y += drawProblem(ctx, ctx.tr("appeals.done_urgent"), ImVec2(x, y), w) + 20 * u;
        if (flow.printState() != PrintState::Failed) {
            y += text(body, body->FontSize, ctx.tr("appeals.done_keep"), ImVec2(x, y), w, kMuted) + 24 * u;
        }
    } else {
        y += text(large, large->FontSize, ctx.tr("appeals.queued_title"), ImVec2(x, y), w, kGood) + 24 * u;
        y += text(body, body->FontSize, ctx.tr("appeals.queued_body"), ImVec2(x, y), w, kText) + 30 * u;
        y += numberCard(ctx, ctx.tr("appeals.local_code_label"), outcome->localCode, ImVec2(x, y), w, kAccent) +
             30 * u;
    }
    drawReceiptState(ctx, flow.printState(), large, large->FontSize * 0.7f, ImVec2(x, y), w);

    const bool reprint = flow.printState() == PrintState::Failed;
    const BarTaps bar = drawBottomBar(ctx, ctx.tr("kiosk.done"), reprint ? ctx.tr("readings.print_again") : "");
    if (bar.right) flow.printAgain();
    if (bar.left) ctx.model.backToHome();
}

// ---- Status check ---------------------------------------------------------------------------

std::string statusProblemText(const ViewContext& ctx, const AppealFlow& flow) {
    if (flow.statusProblem() == StatusProblem::None) return {};
    if (flow.statusProblem() == StatusProblem::TooMany && !flow.message().empty()) return flow.message();
    return ctx.tr(std::string("appeals.status_problem.") + toString(flow.statusProblem()));
}

void drawStatusEntry(ViewContext& ctx, AppealFlow& flow) {
    const float u = unit(ctx);
    ImFont* large = ctx.fonts.large;
    ImFont* body = ctx.fonts.body;
    const TypingLayout l = typingLayout(ctx, flow.focusedEntry(), flow.keyboard());
    float y = l.form.y + 10 * u;
    y += text(large, large->FontSize * 0.9f, ctx.tr("appeals.status_entry_title"), ImVec2(l.form.x, y), l.formW,
              kText) + 10 * u;
    y += text(body, body->FontSize * 0.85f, ctx.tr("appeals.status_hint"), ImVec2(l.form.x, y), l.formW, kMuted) +
         20 * u;
    y += drawField(ctx, flow, AppealField::StatusNumber, flow.statusNumber(), ctx.tr("appeals.field.number"),
                   ctx.tr("appeals.placeholder.number"), ImVec2(l.form.x, y), l.formW, false) + 16 * u;
    y += drawField(ctx, flow, AppealField::StatusPhone, flow.statusPhone(), ctx.tr("appeals.field.phone_last4"), "",
                   ImVec2(l.form.x, y), std::min(l.formW, 420 * u), false) + 20 * u;
    drawProblem(ctx, statusProblemText(ctx, flow), ImVec2(l.form.x, y), l.formW, linesLeft(ctx, l, y));

    typingControls(ctx, flow, l, ctx.tr("appeals.check"), [&] { ctx.model.backToHome(); },
                   [&] { flow.checkStatus(); });
}

void drawStatusShown(ViewContext& ctx, AppealFlow& flow) {
    const float u = unit(ctx);
    const float w = columnWidth(ctx), x = (ctx.width - w) * 0.5f;
    ImFont* large = ctx.fonts.large;
    ImFont* body = ctx.fonts.body;
    const auto& status = flow.status();
    if (!status) return;
    float y = headerHeight(ctx) + 40 * u;
    const bool waiting = status->status == "waiting";  // still in this kiosk's outbox
    y += numberCard(ctx, ctx.tr(waiting ? "appeals.local_code_label" : "appeals.done_number_label"), status->number,
                    ImVec2(x, y), w, kAccent) + 30 * u;
    // The kiosk's own word, in the language on screen now; the server's for a status it does not know.
    const std::string key = "appeal.status." + status->status;
    std::string word = ctx.catalog.has(ctx.model.language(), key) ? ctx.tr(key) : status->statusText;
    if (auto cps = decodeUtf8(word); cps && !cps->empty()) {
        (*cps)[0] = upperCase((*cps)[0]);
        word.clear();
        for (char32_t c : *cps) word += encodeUtf8(c);
    }
    const bool closed = status->status == "closed" || status->status == "answered";
    y += card(ctx, ImVec2(x, y), w, kCard, [&](ImVec2 p, float cw) {
        float h = text(body, body->FontSize * 0.85f, ctx.tr("appeals.status_label"), p, cw, kMuted) + 6 * u;
        h += text(large, large->FontSize, word, ImVec2(p.x, p.y + h), cw, closed ? kGood : kHeader) + 12 * u;
        h += text(body, body->FontSize, ctx.tr("appeals.status_explain." + status->status), ImVec2(p.x, p.y + h), cw,
                  kText) + 20 * u;
        if (!status->dueOnText.empty() && status->status != "closed") {
            h += text(large, large->FontSize * 0.8f, ctx.tr("appeals.status_due", {{"date", status->dueOnText}}),
                      ImVec2(p.x, p.y + h), cw, kText) + 8 * u;
        }
        if (status->extended) {
            h += text(body, body->FontSize, ctx.tr("appeals.status_extended"), ImVec2(p.x, p.y + h), cw, kWarn);
        }
        return h;
    });
    const BarTaps bar = drawBottomBar(ctx, ctx.tr("kiosk.done"), ctx.tr("appeals.check_another"));
    if (bar.left) {
        ctx.model.backToHome();
        return;
    }
    if (bar.right) flow.checkAnother();
}

}  // namespace

void drawAppeal(ViewContext& ctx) {
    AppealFlow& flow = ctx.model.appeals();
    const AppealStep step = flow.step();
    const bool status = step == AppealStep::StatusEntry || step == AppealStep::Checking ||
                        step == AppealStep::StatusShown;
    drawHeader(ctx, ctx.tr(status ? "appeals.status_title" : "appeals.title"));
    switch (step) {
        case AppealStep::Type: drawType(ctx, flow); break;
        case AppealStep::Category: drawCategory(ctx, flow); break;
        case AppealStep::Text: drawText(ctx, flow); break;
        case AppealStep::Contact: drawContact(ctx, flow); break;
        case AppealStep::Consent: drawConsent(ctx, flow); break;
        case AppealStep::Review: drawReview(ctx, flow); break;
        case AppealStep::Sending: drawMessage(ctx, ctx.tr("appeals.sending"), "", kText, ctx.height * 0.4f); break;
        case AppealStep::Done: drawDone(ctx, flow); break;
        case AppealStep::StatusEntry: drawStatusEntry(ctx, flow); break;
        case AppealStep::Checking: drawMessage(ctx, ctx.tr("appeals.checking"), "", kText, ctx.height * 0.4f); break;
        case AppealStep::StatusShown: drawStatusShown(ctx, flow); break;
    }
}

}  // namespace talon::kiosk
