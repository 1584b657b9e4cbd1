// AppShell: SDL2 window + SDL_Renderer + Dear ImGui 1.86, on-demand frame loop, headless PNG.
#include "talon/ui/app_shell.h"
#include "talon/ui/widgets.h"
#include "sdl_draw.h"

#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_sdl.h>
#include <imgui_impl_sdlrenderer.h>
#include <stb_image.h>
#include <stb_image_write.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

namespace talon::ui {
namespace {

constexpr std::array kRegularFonts = {
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
};
constexpr std::array kBoldFonts = {
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
};

template <size_t N>
const char* findFont(const std::array<const char*, N>& candidates) {
    for (const char* path : candidates) {
        if (std::filesystem::exists(path)) return path;
    }
    return nullptr;
}

void applyStyle(float scale) {
    ImGuiStyle& style = ImGui::GetStyle();
    style = ImGuiStyle{};
    ImGui::StyleColorsLight(&style);
    style.WindowRounding = 0;
    style.WindowBorderSize = 0;
    style.FrameRounding = 14 * scale;
    style.FramePadding = ImVec2(24 * scale, 16 * scale);
    style.ItemSpacing = ImVec2(24 * scale, 24 * scale);
    style.WindowPadding = ImVec2(48 * scale, 40 * scale);
    style.ScrollbarSize = 28 * scale;
    style.TouchExtraPadding = ImVec2(4 * scale, 4 * scale);
    style.Colors[ImGuiCol_Button] = ImVec4(0.11f, 0.37f, 0.69f, 1.0f);
    style.Colors[ImGuiCol_ButtonHovered] = ImVec4(0.15f, 0.45f, 0.80f, 1.0f);
    style.Colors[ImGuiCol_ButtonActive] = ImVec4(0.06f, 0.25f, 0.50f, 1.0f);
    style.Colors[ImGuiCol_Text] = ImVec4(0.08f, 0.10f, 0.14f, 1.0f);
}

}  // namespace

struct AppShell::Impl {
    ShellOptions options;
    RunQueue* queue = nullptr;
    SDL_Window* window = nullptr;
    SDL_Renderer* renderer = nullptr;
    bool imguiReady = false;
    bool sdlReady = false;
    uint32_t wakeEvent = 0;
    bool running = true;
    int frames = 0;
    std::vector<double> frameMs;  // render time of each frame, when options.frameTimes is set
    Fonts fonts;
    ImVector<ImWchar> textRanges, hugeRanges;

    std::vector<SDL_Texture*> textures;  // images made by createTexture()

    ~Impl() {
        if (queue) queue->setWaker(nullptr);
        for (SDL_Texture* t : textures) SDL_DestroyTexture(t);
        if (imguiReady) {
            ImGui_ImplSDLRenderer_Shutdown();
            ImGui_ImplSDL2_Shutdown();
            ImGui::DestroyContext();
        }
        if (renderer) SDL_DestroyRenderer(renderer);
        if (window) SDL_DestroyWindow(window);
        if (sdlReady) SDL_Quit();
    }

    Status loadFonts(float scale) {
        const char* regular = findFont(kRegularFonts);
        const char* bold = findFont(kBoldFonts);
        if (!regular || !bold) {
            return makeError(ErrorKind::Config, "no_font",
                             "DejaVu fonts not found; install the Debian package fonts-dejavu-core.");
        }
        ImGuiIO& io = ImGui::GetIO();
        // Basic Latin, Latin-1 and the Cyrillic block (Russian, Ukrainian, Belarusian, Kazakh...);
        // the rarely used Cyrillic supplements would only lengthen the start-up.
        static const ImWchar kTextRanges[] = {0x0020, 0x00FF, 0x0400, 0x04FF, 0};
        ImFontGlyphRangesBuilder text;
        text.AddRanges(kTextRanges);
        // Not in the Cyrillic ranges, but on our screens: arrows, numero, dashes, quotes.
        text.AddText("→←№–—…«»“”„‘’•·°");
        text.BuildRanges(&textRanges);
        ImFontGlyphRangesBuilder huge;
        // Ticket numbers and window numbers: service letters are Latin capitals. Appeal numbers
        // start with the register's letter, Ж by default (other Cyrillic prefixes fall back to `large`).
        huge.AddText("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZЖ→ -:.");
        huge.BuildRanges(&hugeRanges);
        ImFontConfig cfg;
        cfg.OversampleH = 1;  // keeps the atlas small for the software renderer
        cfg.OversampleV = 1;
        fonts.body = io.Fonts->AddFontFromFileTTF(regular, std::round(34 * scale), &cfg, textRanges.Data);
        fonts.large = io.Fonts->AddFontFromFileTTF(bold, std::round(54 * scale), &cfg, textRanges.Data);
        fonts.big = io.Fonts->AddFontFromFileTTF(bold, std::round(120 * scale), &cfg, hugeRanges.Data);
        fonts.huge = io.Fonts->AddFontFromFileTTF(bold, std::round(190 * scale), &cfg, hugeRanges.Data);
        if (!fonts.body || !fonts.large || !fonts.big || !fonts.huge) {
            return makeError(ErrorKind::Config, "bad_font", std::string("cannot load ") + regular);
        }
        return okStatus();
    }

    void renderFrame(App& app, const ShellOptions::Tap* press, bool release,
                     const std::string& screenshotPath) {
        const auto started = std::chrono::steady_clock::now();
        ImGui_ImplSDLRenderer_NewFrame();
        // The backend has uploaded the font atlas into an SDL texture by now; ImGui's own
        // RGBA and alpha copies (about 20 MB at kiosk font sizes) are no longer needed.
        ImFontAtlas* atlas = ImGui::GetIO().Fonts;
        if (atlas->TexPixelsAlpha8 || atlas->TexPixelsRGBA32) atlas->ClearTexData();
        ImGui_ImplSDL2_NewFrame();
        ImGuiIO& io = ImGui::GetIO();
        if (press) {
            io.MousePos = ImVec2(press->x, press->y);
            io.MouseDown[0] = !release;
        }
        ImGui::NewFrame();
        clearTouchTargets();
        app.drawFrame(static_cast<int>(io.DisplaySize.x), static_cast<int>(io.DisplaySize.y));
        ImGui::Render();
        SDL_SetRenderDrawColor(renderer, 255, 255, 255, 255);
        SDL_RenderClear(renderer);
        renderDrawData(renderer, ImGui::GetDrawData());
        if (!screenshotPath.empty()) writeScreenshot(screenshotPath);
        SDL_RenderPresent(renderer);
        ++frames;
        if (!options.frameTimes.empty() && screenshotPath.empty()) {
            frameMs.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
        }
    }

    void writeFrameTimes() const {
        if (options.frameTimes.empty()) return;
        std::FILE* f = std::fopen(options.frameTimes.c_str(), "w");
        if (!f) {
            std::fprintf(stderr, "frame times: cannot write %s\n", options.frameTimes.c_str());
            return;
        }
        for (double ms : frameMs) std::fprintf(f, "%.3f\n", ms);
        std::fclose(f);
    }

    void writeScreenshot(const std::string& path) {
        int w = 0, h = 0;
        SDL_GetRendererOutputSize(renderer, &w, &h);
        std::vector<unsigned char> pixels(static_cast<size_t>(w) * h * 4);
        // ABGR8888 is R,G,B,A in memory on little-endian machines: what stb expects.
        if (SDL_RenderReadPixels(renderer, nullptr, SDL_PIXELFORMAT_ABGR8888, pixels.data(), w * 4) != 0) {
            std::fprintf(stderr, "screenshot: %s\n", SDL_GetError());
            return;
        }
        if (!stbi_write_png(path.c_str(), w, h, 4, pixels.data(), w * 4)) {
            std::fprintf(stderr, "screenshot: cannot write %s\n", path.c_str());
        }
    }

    int runHeadless(App& app) {
        const int total = std::max(1, options.frames);
        const ShellOptions::Tap* held = nullptr;
        for (int f = 0; f < total; ++f) {
            // Let background work (HTTP calls) finish so every frame shows a settled state.
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
            for (;;) {
                queue->drain();
                if (!app.busy() && queue->empty()) break;
                if (std::chrono::steady_clock::now() > deadline) break;
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            }
            SDL_Event ev;
            while (SDL_PollEvent(&ev)) {
            }
            const ShellOptions::Tap* press = nullptr;
            bool release = false;
            for (const auto& tap : options.taps) {
                if (tap.frame == f) press = &tap;
            }
            if (!press && held) {
                press = held;
                release = true;
            }
            if (press && !release) app.onInput(std::chrono::steady_clock::now());
            app.tick(std::chrono::steady_clock::now());
            renderFrame(app, press, release, f == total - 1 ? options.screenshot : std::string{});
            held = (press && !release) ? press : nullptr;
        }
        return 0;
    }

    int runInteractive(App& app) {
        int pending = 2;  // ImGui settles layout over a couple of frames
        while (running) {
            const Instant before = std::chrono::steady_clock::now();
            const std::optional<Instant> wake = app.nextWake();
            int timeoutMs = 0;
            if (pending == 0) {
                timeoutMs = 60'000;
                if (wake) {
                    auto ms = std::chrono::ceil<std::chrono::milliseconds>(*wake - before).count();
                    timeoutMs = static_cast<int>(std::clamp<int64_t>(ms, 0, 60'000));
                }
            }
            SDL_Event ev;
            int got = timeoutMs == 0 ? SDL_PollEvent(&ev) : SDL_WaitEventTimeout(&ev, timeoutMs);
            bool input = false;
            while (got) {
                ImGui_ImplSDL2_ProcessEvent(&ev);
                switch (ev.type) {
                    case SDL_QUIT:
                        if (!options.lockExit) running = false;
                        break;
                    case SDL_MOUSEBUTTONDOWN:
                    case SDL_MOUSEBUTTONUP:
                    case SDL_MOUSEMOTION:
                    case SDL_MOUSEWHEEL:
                    case SDL_FINGERDOWN:
                    case SDL_FINGERUP:
                    case SDL_KEYDOWN:
                    case SDL_KEYUP:
                    case SDL_TEXTINPUT: input = true; break;
                    case SDL_WINDOWEVENT: pending = std::max(pending, 2); break;
                    default: break;
                }
                got = SDL_PollEvent(&ev);
            }
            const Instant now = std::chrono::steady_clock::now();
            if (input) {
                app.onInput(now);
                pending = std::max(pending, 3);  // press, release and the hover state after
            }
            if (queue->drain() > 0) pending = std::max(pending, 2);
            if (wake && *wake <= now) pending = std::max(pending, 1);
            app.tick(now);
            if (pending > 0) {
                renderFrame(app, nullptr, false, {});
                --pending;
            }
        }
        return 0;
    }
};

AppShell::AppShell(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
AppShell::~AppShell() = default;

Result<std::unique_ptr<AppShell>> AppShell::create(const ShellOptions& options, RunQueue& queue) {
    auto impl = std::make_unique<Impl>();
    impl->options = options;
    if (options.headless && !std::getenv("SDL_VIDEODRIVER")) setenv("SDL_VIDEODRIVER", "dummy", 1);
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
    // The software renderer draws our frames in a few milliseconds (sdl_draw.cpp). Without
    // this hint SDL would still back the window with OpenGL, loading Mesa and LLVM: 70 MB
    // of memory a kiosk does not need.
    if (!options.gpu) SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    // SIGTERM and SIGINT keep their default action (the service manager stops us), instead of
    // becoming an SDL_QUIT a locked kiosk would ignore.
    if (options.lockExit) SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS | SDL_INIT_TIMER) != 0) {
        return makeError(ErrorKind::Config, "no_video",
                         std::string("cannot open the screen: ") + SDL_GetError() +
                             ". Without a display, run with --headless.");
    }
    impl->sdlReady = true;
    Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
    if (options.headless) {
        flags |= SDL_WINDOW_HIDDEN;
    } else if (options.fullscreen) {
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    } else {
        flags |= SDL_WINDOW_RESIZABLE;
    }
    impl->window = SDL_CreateWindow(options.title.c_str(), SDL_WINDOWPOS_CENTERED,
                                    SDL_WINDOWPOS_CENTERED, options.width, options.height, flags);
    if (!impl->window) {
        return makeError(ErrorKind::Config, "no_window", std::string("cannot create a window: ") + SDL_GetError());
    }
    if (options.gpu && !options.headless) {
        impl->renderer = SDL_CreateRenderer(impl->window, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
    }
    if (!impl->renderer) impl->renderer = SDL_CreateRenderer(impl->window, -1, SDL_RENDERER_SOFTWARE);
    if (!impl->renderer) {
        return makeError(ErrorKind::Config, "no_renderer", std::string("cannot create a renderer: ") + SDL_GetError());
    }
    if (!options.headless && !options.fullscreen) SDL_ShowCursor(SDL_ENABLE);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // a kiosk keeps no layout file
    io.LogFilename = nullptr;
    ImGui_ImplSDL2_InitForSDLRenderer(impl->window);
    ImGui_ImplSDLRenderer_Init(impl->renderer);
    impl->imguiReady = true;

    int w = options.width, h = options.height;
    SDL_GetWindowSize(impl->window, &w, &h);
    const float scale = std::clamp(std::min(w, h) / 1080.0f, 0.5f, 2.0f);
    if (Status st = impl->loadFonts(scale); !st) return st.error();
    applyStyle(scale);

    impl->wakeEvent = SDL_RegisterEvents(1);
    impl->queue = &queue;
    const uint32_t wakeType = impl->wakeEvent;
    queue.setWaker([wakeType] {
        SDL_Event ev{};
        ev.type = wakeType;
        SDL_PushEvent(&ev);  // thread-safe in SDL2
    });
    return std::unique_ptr<AppShell>(new AppShell(std::move(impl)));
}

int AppShell::run(App& app) {
    const int rc = m_impl->options.headless ? m_impl->runHeadless(app) : m_impl->runInteractive(app);
    m_impl->writeFrameTimes();
    return rc;
}

void AppShell::quit() { m_impl->running = false; }
const Fonts& AppShell::fonts() const { return m_impl->fonts; }
int AppShell::framesRendered() const { return m_impl->frames; }

Result<AppShell::Texture> AppShell::createTexture(const std::vector<unsigned char>& encoded) {
    int w = 0, h = 0, channels = 0;
    if (encoded.empty() || encoded.size() > 64u * 1024 * 1024) {
        return makeError(ErrorKind::Invalid, "bad_image", "the image is empty or too large");
    }
    unsigned char* pixels =
        stbi_load_from_memory(encoded.data(), static_cast<int>(encoded.size()), &w, &h, &channels, 4);
    if (!pixels) return makeError(ErrorKind::Invalid, "bad_image", std::string("not an image: ") + stbi_failure_reason());
    if (w > 4096 || h > 4096) {
        stbi_image_free(pixels);
        return makeError(ErrorKind::Invalid, "bad_image", "the image is larger than 4096x4096");
    }
    SDL_Texture* tex = SDL_CreateTexture(m_impl->renderer, SDL_PIXELFORMAT_ABGR8888, SDL_TEXTUREACCESS_STATIC, w, h);
    if (!tex) {
        stbi_image_free(pixels);
        return makeError(ErrorKind::Internal, "no_texture", SDL_GetError());
    }
    SDL_UpdateTexture(tex, nullptr, pixels, w * 4);
    SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
    stbi_image_free(pixels);
    m_impl->textures.push_back(tex);
    return Texture{tex, w, h};
}

void AppShell::destroyTexture(const Texture& texture) {
    auto* tex = static_cast<SDL_Texture*>(texture.id);
    auto& list = m_impl->textures;
    if (auto it = std::find(list.begin(), list.end(), tex); it != list.end()) {
        SDL_DestroyTexture(tex);
        list.erase(it);
    }
}

std::optional<ShellOptions::Tap> parseTap(const std::string& text) {
    ShellOptions::Tap tap;
    char extra = 0;
    if (std::sscanf(text.c_str(), "%d:%f,%f%c", &tap.frame, &tap.x, &tap.y, &extra) != 3) {
        return std::nullopt;
    }
    if (tap.frame < 0 || tap.x < 0 || tap.y < 0) return std::nullopt;
    return tap;
}

}  // namespace talon::ui
