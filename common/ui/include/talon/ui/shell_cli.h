// Command-line options every SDL program shares (window, headless rendering, screenshot),
// so kiosk and display parse them the same way.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "talon/ui/app_shell.h"

namespace talon::ui {

struct ShellCli {
    ShellOptions options;
    std::string size;
    std::vector<std::string> taps;
    bool windowed = false;

    void addTo(CLI::App& cli) {
        cli.add_option("--size", size, "window size WIDTHxHEIGHT, e.g. 1080x1920 for a portrait kiosk");
        cli.add_flag("--windowed", windowed, "a normal window instead of full screen");
        cli.add_flag("--gpu", options.gpu, "draw with the GPU (OpenGL) instead of SDL's software renderer");
        cli.add_flag("--headless", options.headless, "render offscreen (software renderer), no window");
        cli.add_option("--frames", options.frames, "headless: frames to render")->check(CLI::Range(1, 100000));
        cli.add_option("--screenshot", options.screenshot, "headless: write the last frame to this PNG");
        cli.add_option("--tap", taps, "headless: tap FRAME:X,Y (repeatable)");
        cli.add_option("--frame-times", options.frameTimes, "write each frame's render time (ms) to this file");
    }

    /// Applies the parsed strings; returns an error message or empty.
    std::string finish() {
        options.fullscreen = !windowed;
        if (!size.empty()) {
            int w = 0, h = 0;
            char extra = 0;
            if (std::sscanf(size.c_str(), "%dx%d%c", &w, &h, &extra) != 2 || w < 320 || h < 240 || w > 8192 ||
                h > 8192) {
                return "--size must be WIDTHxHEIGHT between 320x240 and 8192x8192, e.g. 1920x1080";
            }
            options.width = w;
            options.height = h;
        }
        for (const auto& t : taps) {
            auto tap = parseTap(t);
            if (!tap) return "--tap must be FRAME:X,Y, e.g. 2:540,900";
            options.taps.push_back(*tap);
        }
        return {};
    }
};

}  // namespace talon::ui
