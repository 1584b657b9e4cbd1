// Draws ImGui's draw lists with SDL_Renderer, tuned for the software renderer kiosks and
// boards run on: solid rectangles become SDL fills and solid triangles skip texture sampling,
// which keeps a full-HD frame within a few milliseconds on one CPU core.
#pragma once

struct SDL_Renderer;
struct ImDrawData;

namespace talon::ui {

/// Renders `data` (after ImGui::Render()) with the font texture the SDL_Renderer backend made.
void renderDrawData(SDL_Renderer* renderer, ImDrawData* data);

}  // namespace talon::ui
