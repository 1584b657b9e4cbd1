// Small drawing helpers shared by kiosk and display views (ImGui only; no state, no I/O).
#pragma once

#include <imgui.h>

#include <string_view>

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

}  // namespace talon::ui
