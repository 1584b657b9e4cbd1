// The SDL2 + Dear ImGui app shell shared by kiosk and display: window, renderer, fonts with
// Cyrillic glyphs, theme, a frame loop that sleeps until input, posted work or a deadline
// needs a frame, and a headless mode that renders real frames and writes a PNG.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "talon/common/result.h"
#include "talon/common/run_queue.h"
#include "talon/common/time.h"

struct ImFont;

namespace talon::ui {

struct ShellOptions {
    std::string title = "Talon";
    int width = 1920;
    int height = 1080;
    bool fullscreen = true;      // false: a normal resizable window (--windowed)
    bool headless = false;       // render offscreen with the software renderer
    bool gpu = false;            // try the GPU renderer (OpenGL); default: SDL's software one
    /// The window's close button and Alt+F4 do nothing: a kiosk leaves only through its own
    /// staff menu (AppShell::quit) or a signal from the service manager.
    bool lockExit = false;
    int frames = 3;              // headless: how many frames to render
    std::string screenshot;      // headless: PNG written after the last frame
    /// Headless taps: at frame `frame` press at (x, y), release on the next frame.
    struct Tap {
        int frame = 0;
        float x = 0, y = 0;
    };
    std::vector<Tap> taps;
    /// If set, each frame's render time (layout, drawing, present) in milliseconds is written
    /// there, one per line, when run() returns: benchmarks compute percentiles from it.
    std::string frameTimes;
};

struct Fonts {
    ImFont* body = nullptr;   // running text
    ImFont* large = nullptr;  // buttons, headings
    ImFont* big = nullptr;    // board rows: ticket → window (digits and capitals only)
    ImFont* huge = nullptr;   // the ticket number on the kiosk (digits and capitals only)
};

/// What an application plugs into the shell. Called on the main thread only.
class App {
public:
    virtual ~App() = default;
    /// Draws one frame into the full-window area (ImGui calls only, via the app's views).
    virtual void drawFrame(int width, int height) = 0;
    /// When the app needs its next frame without any input (animation, clock, timeout).
    virtual std::optional<Instant> nextWake() const = 0;
    /// Advances timers (idle timeouts, flashing) before each frame.
    virtual void tick(Instant now) = 0;
    /// Any touch, click or key: resets idle timers.
    virtual void onInput(Instant now) = 0;
    /// Headless mode waits while this is true (background network work in flight).
    virtual bool busy() const { return false; }
};

class AppShell {
public:
    /// Opens the window (or the offscreen surface) and loads fonts. Errors: no video device,
    /// no font file.
    static Result<std::unique_ptr<AppShell>> create(const ShellOptions& options, RunQueue& queue);
    ~AppShell();
    AppShell(const AppShell&) = delete;
    AppShell& operator=(const AppShell&) = delete;

    /// Runs until the window closes or quit() (interactive), or for N frames (headless).
    /// Returns the process exit code.
    int run(App& app);
    void quit();
    const Fonts& fonts() const;
    int framesRendered() const;

    /// An image (PNG or JPEG bytes) as a texture views can draw with ImDrawList::AddImage.
    /// Errors: bytes that are not an image, or larger than 4096×4096. The shell frees it.
    struct Texture {
        void* id = nullptr;  // ImTextureID
        int width = 0, height = 0;
    };
    Result<Texture> createTexture(const std::vector<unsigned char>& encoded);
    void destroyTexture(const Texture& texture);

private:
    struct Impl;
    explicit AppShell(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

/// Parses "FRAME:X,Y" for --tap; nullopt when malformed.
std::optional<ShellOptions::Tap> parseTap(const std::string& text);

}  // namespace talon::ui
