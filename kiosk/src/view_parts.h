// The pieces every kiosk screen is drawn with (kiosk_views.cpp defines them): colours, sizes
// relative to the screen, the big touch button, the header band and messages. Views only.
#pragma once

#include <imgui.h>

#include <string>

#include "kiosk_views.h"

namespace talon::kiosk::parts {

inline constexpr ImU32 kBackground = IM_COL32(244, 246, 250, 255);
inline constexpr ImU32 kHeader = IM_COL32(16, 62, 122, 255);
inline constexpr ImU32 kHeaderButton = IM_COL32(40, 92, 160, 255);
inline constexpr ImU32 kCard = IM_COL32(255, 255, 255, 255);
inline constexpr ImU32 kCardPressed = IM_COL32(214, 228, 247, 255);
inline constexpr ImU32 kAccent = IM_COL32(0, 122, 204, 255);
inline constexpr ImU32 kText = IM_COL32(20, 26, 36, 255);
inline constexpr ImU32 kMuted = IM_COL32(90, 100, 115, 255);
inline constexpr ImU32 kWhite = IM_COL32(255, 255, 255, 255);
inline constexpr ImU32 kWarn = IM_COL32(176, 42, 42, 255);
inline constexpr ImU32 kWarnBack = IM_COL32(253, 236, 234, 255);
inline constexpr ImU32 kSecondary = IM_COL32(96, 106, 120, 255);
inline constexpr ImU32 kGood = IM_COL32(10, 122, 50, 255);
inline constexpr ImU32 kGoodBack = IM_COL32(230, 245, 234, 255);
inline constexpr ImU32 kShadow = IM_COL32(0, 0, 0, 28);
inline constexpr ImU32 kDisabled = IM_COL32(160, 168, 180, 255);

/// One design unit: 1 px on a 1080-px-wide portrait screen.
float unit(const ViewContext& ctx);
bool portrait(const ViewContext& ctx);
float headerHeight(const ViewContext& ctx);
ImU32 darker(ImU32 color);
/// A large touch button drawn by hand at `pos`; true when tapped. Darkens while held.
bool bigButton(const char* id, const std::string& label, ImVec2 pos, ImVec2 size, ImU32 fill, ImU32 textColor,
               ImFont* font, bool enabled = true);
std::string officeName(const ViewContext& ctx);
/// Header band: the title, the language switch and the hidden staff corner.
void drawHeader(ViewContext& ctx, const std::string& title);
/// A bottom bar with the Back button (home); returns the bar's top.
float drawBackBar(ViewContext& ctx, const char* id = "back");
/// Title and body centred from `top`.
void drawMessage(ViewContext& ctx, const std::string& title, const std::string& body, ImU32 titleColor, float top);


// ---- Flow screens (readings, appeals) ----------------------------------------------------------

/// Side margin of the flow screens.
float margin(const ViewContext& ctx);
/// Width of the flow screens' column (centred).
float columnWidth(const ViewContext& ctx);
/// Height of their big buttons.
float buttonHeight(const ViewContext& ctx);
/// Two buttons side by side at the bottom: `left` (secondary) and `right` (accent; none when
/// empty, and the left one alone is centred); which was tapped.
struct BarTaps {
    bool left = false;
    bool right = false;
};
BarTaps drawBottomBar(ViewContext& ctx, const std::string& left, const std::string& right, bool rightEnabled = true,
                      ImU32 rightFill = kAccent);
float bottomBarTop(const ViewContext& ctx);
/// Where the receipt is (printing, take it, it failed: write down what is shown) as a line at
/// `pos`; returns the height used with the space after it (0 when nothing is printed).
float drawReceiptState(ViewContext& ctx, PrintState state, ImFont* font, float size, ImVec2 pos, float width);
/// Wrapped text at `pos`; returns its height.
float text(ImFont* font, float size, const std::string& s, ImVec2 pos, float width, ImU32 color);
/// One line of `font` at `size` or smaller, so it fits `width` unbroken (a number must not wrap);
/// returns the size used.
float fittedLine(ImFont* font, float size, const std::string& s, ImVec2 pos, float width, ImU32 color);

/// A white card behind what `draw` puts at (x, y) with width w; `draw` returns the height used.
template <class Draw>
float card(ViewContext& ctx, ImVec2 pos, float width, ImU32 fill, Draw&& draw) {
    const float u = unit(ctx);
    const float pad = 32 * u;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->ChannelsSplit(2);
    dl->ChannelsSetCurrent(1);
    const float h = draw(ImVec2(pos.x + pad, pos.y + pad), width - 2 * pad);
    dl->ChannelsSetCurrent(0);
    dl->AddRectFilled(ImVec2(pos.x + 4 * u, pos.y + 6 * u), ImVec2(pos.x + width + 4 * u, pos.y + h + 2 * pad + 6 * u),
                      kShadow, 24 * u);
    dl->AddRectFilled(pos, ImVec2(pos.x + width, pos.y + h + 2 * pad), fill, 24 * u);
    dl->ChannelsMerge();
    return h + 2 * pad;
}

}  // namespace talon::kiosk::parts
