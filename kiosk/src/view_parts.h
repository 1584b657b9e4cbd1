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

}  // namespace talon::kiosk::parts
