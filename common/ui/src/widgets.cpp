// Drawing helpers for views.
#include "talon/ui/widgets.h"

#include <cfloat>
#include <string>
#include <vector>

namespace talon::ui {

ImU32 rgb(int r, int g, int b, int a) { return IM_COL32(r, g, b, a); }

void beginFullscreen(const char* id, ImU32 background) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->Pos);
    ImGui::SetNextWindowSize(vp->Size);
    ImGui::PushStyleColor(ImGuiCol_WindowBg, background);
    // No padding: views place things themselves and may draw edge to edge (header bands).
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::Begin(id, nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
}

void centeredText(ImFont* font, std::string_view text, ImU32 color) {
    ImGui::PushFont(font);
    const ImVec2 size = ImGui::CalcTextSize(text.data(), text.data() + text.size());
    const float avail = ImGui::GetContentRegionAvail().x;
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, (avail - size.x) * 0.5f));
    ImGui::PushStyleColor(ImGuiCol_Text, color);
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
    ImGui::PopStyleColor();
    ImGui::PopFont();
}

void textInRect(ImFont* font, std::string_view text, ImVec2 min, ImVec2 max, ImU32 color) {
    const ImVec2 size = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, text.data(), text.data() + text.size());
    const ImVec2 pos(min.x + (max.x - min.x - size.x) * 0.5f, min.y + (max.y - min.y - size.y) * 0.5f);
    ImGui::GetWindowDrawList()->AddText(font, font->FontSize, pos, color, text.data(),
                                        text.data() + text.size());
}

void centeredWrapped(ImFont* font, std::string_view text, float width, ImU32 color) {
    // Greedy word wrap so every line can be centred on its own.
    std::vector<std::string> lines;
    std::string line;
    size_t i = 0;
    while (i < text.size()) {
        size_t sp = text.find(' ', i);
        if (sp == std::string_view::npos) sp = text.size();
        std::string word(text.substr(i, sp - i));
        std::string candidate = line.empty() ? word : line + " " + word;
        if (!line.empty() && font->CalcTextSizeA(font->FontSize, FLT_MAX, 0, candidate.c_str()).x > width) {
            lines.push_back(line);
            line = word;
        } else {
            line = candidate;
        }
        i = sp + 1;
    }
    if (!line.empty()) lines.push_back(line);
    for (const auto& l : lines) centeredText(font, l, color);
}

float wrappedText(ImFont* font, float size, std::string_view text, ImVec2 pos, float width, ImU32 color) {
    ImGui::GetWindowDrawList()->AddText(font, size, pos, color, text.data(), text.data() + text.size(), width);
    return wrappedHeight(font, size, text, width);
}

float wrappedHeight(ImFont* font, float size, std::string_view text, float width) {
    return font->CalcTextSizeA(size, FLT_MAX, width, text.data(), text.data() + text.size()).y;
}

namespace {
// One list per process: there is one UI thread and one ImGui context at a time.
std::vector<TouchTarget>& targets() {
    static std::vector<TouchTarget> list;
    return list;
}
}  // namespace

void touchTarget(std::string_view id, ImVec2 min, ImVec2 max) { targets().push_back({std::string(id), min, max}); }
const std::vector<TouchTarget>& touchTargets() { return targets(); }
void clearTouchTargets() { targets().clear(); }

}  // namespace talon::ui
