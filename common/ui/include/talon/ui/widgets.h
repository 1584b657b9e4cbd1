// Small drawing helpers shared by kiosk and display views (ImGui only; no state, no I/O).
#pragma once

#include <imgui.h>

#include <string>
#include <string_view>
#include <vector>

namespace talon::ui {

/// Begins a borderless window covering the whole display; pair with ImGui::End().
void beginFullscreen(const char* id, ImU32 background);
/// Text centred horizontally in the current window at the cursor's height.
void centeredText(ImFont* font, std::string_view text, ImU32 color);
/// Text centred in a rectangle (on the window's draw list).
void textInRect(ImFont* font, std::string_view text, ImVec2 min, ImVec2 max, ImU32 color);
/// Wraps text to `width` centred lines.
void centeredWrapped(ImFont* font, std::string_view text, float width, ImU32 color);
ImU32 rgb(int r, int g, int b, int a = 255);
/// Left-aligned text wrapped at `width` on the window's draw list at `pos`, at `size` pixels;
/// returns its height.
float wrappedText(ImFont* font, float size, std::string_view text, ImVec2 pos, float width, ImU32 color);
/// The height wrappedText() would take.
float wrappedHeight(ImFont* font, float size, std::string_view text, float width);

/// Every touchable rectangle drawn this frame, so tests can check each is big enough for a
/// finger. The shell clears the list before each frame; views add to it through touchTarget().
struct TouchTarget {
    std::string id;
    ImVec2 min, max;
};
void touchTarget(std::string_view id, ImVec2 min, ImVec2 max);
const std::vector<TouchTarget>& touchTargets();
void clearTouchTargets();

}  // namespace talon::ui
