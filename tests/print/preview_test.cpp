// The PNG preview: the paper's width, real ink, a QR that scans, the printer's line breaks.
// The tickets are saved under build/screenshots/print/ for people to look at.
#include "talon/print/preview.h"

#include <gtest/gtest.h>
#include <stb_image.h>

#include <filesystem>
#include <fstream>

#include "print_test_support.h"

namespace talon::print {
namespace {

struct Loaded {
    int width = 0;
    int height = 0;
    int black = 0;
    int white = 0;
};

Loaded loadPng(const std::string& path) {
    Loaded l;
    int channels = 0;
    unsigned char* data = stbi_load(path.c_str(), &l.width, &l.height, &channels, 1);
    if (!data) {
        ADD_FAILURE() << "cannot read " << path;
        return l;
    }
    for (int i = 0; i < l.width * l.height; ++i) {
        l.black += data[i] < 64;
        l.white += data[i] > 250;
    }
    stbi_image_free(data);
    return l;
}

std::string screenshotPath(const std::string& name) {
    const std::filesystem::path dir = std::filesystem::path(TALON_BUILD_DIR) / "screenshots/print";
    std::filesystem::create_directories(dir);
    return (dir / name).string();
}

void checkTicketPreview(const TicketPrint& ticket, const std::string& name) {
    const std::string path = screenshotPath(name);
    std::filesystem::remove(path);
    const Status written = writePreviewPng(ticketLayout(ticket), path);
    ASSERT_TRUE(written.ok()) << written.error().message;
    const Loaded png = loadPng(path);
    EXPECT_EQ(png.width, 576);
    EXPECT_GT(png.height, 576);  // a ticket with a QR code is taller than wide
    EXPECT_GT(png.black, 5000);
    EXPECT_GT(png.white, png.black);  // white paper, black print
    EXPECT_EQ(test::zbarDecode(path), test::kStatusUrl);
}

TEST(Preview, RussianTicket) {
    checkTicketPreview(test::russianTicket(), "ticket_ru.png");
}

TEST(Preview, EnglishTicket) {
    checkTicketPreview(test::englishTicket(), "ticket_en.png");
}

TEST(Preview, NarrowPaperTicket) {
    test::TempDir dir;
    const std::string path = dir.file("ticket_58.png");
    ASSERT_TRUE(writePreviewPng(ticketLayout(test::russianTicket(), Paper::mm58()), path).ok());
    EXPECT_EQ(loadPng(path).width, 384);
    EXPECT_EQ(test::zbarDecode(path), test::kStatusUrl);
}

TEST(Preview, BreaksLinesWhereThePrinterDoes) {
    // 48 characters fill one line of 80 mm paper; the 49th starts a second line.
    const auto heightOf = [](const std::string& text) {
        PrintLayout layout;
        layout.text(text);
        auto image = renderPreview(layout);
        EXPECT_TRUE(image.ok());
        return image.ok() ? image.value().height : 0;
    };
    const int one = heightOf(std::string(48, 'M'));
    const int two = heightOf(std::string(49, 'M'));
    EXPECT_EQ(two - one, 30);  // one line of font A plus its spacing

    PrintLayout full;
    full.text(std::string(48, 'M'));
    auto image = renderPreview(full);
    ASSERT_TRUE(image.ok());
    const GrayImage& img = image.value();
    int leftmost = img.width, rightmost = -1;
    for (int y = 0; y < img.height; ++y) {
        for (int x = 0; x < img.width; ++x) {
            if (img.pixels[static_cast<std::size_t>(y * img.width + x)] >= 128) continue;
            leftmost = std::min(leftmost, x);
            rightmost = std::max(rightmost, x);
        }
    }
    EXPECT_LT(leftmost, 6);  // the line spans the whole paper, as on the printer
    EXPECT_GT(rightmost, 570);
}

TEST(Preview, DoubleSizeIsTwiceAsTall) {
    const auto heightOf = [](int size) {
        PrintLayout layout;
        layout.text("А012", {Align::Center, size, true});
        auto image = renderPreview(layout);
        EXPECT_TRUE(image.ok());
        return image.ok() ? image.value().height : 0;
    };
    EXPECT_EQ(heightOf(2) - heightOf(1), 24);
}

TEST(Preview, PngBytesArePng) {
    auto png = previewPng(ticketLayout(test::englishTicket()));
    ASSERT_TRUE(png.ok());
    ASSERT_GT(png.value().size(), 8u);
    EXPECT_EQ(std::string(png.value().begin(), png.value().begin() + 4), "\x89PNG");
}

TEST(Preview, MissingOrBrokenFontIsAnError) {
    test::TempDir dir;
    std::ofstream(dir.file("junk.ttf")) << "not a font";
    for (const std::string& font :
         {std::string("/nonexistent/DejaVuSansMono.ttf"), dir.file("junk.ttf"), std::string()}) {
        PreviewOptions options;
        options.boldFont = font;
        auto image = renderPreview(ticketLayout(test::russianTicket()), options);
        ASSERT_FALSE(image.ok()) << font;
        EXPECT_EQ(image.error().kind, ErrorKind::Config);
        EXPECT_EQ(image.error().code, "font_missing");
    }
}

TEST(Preview, UnwritablePathIsAnError) {
    const Status written =
        writePreviewPng(ticketLayout(test::englishTicket()), "/nonexistent/dir/ticket.png");
    ASSERT_FALSE(written.ok());
    EXPECT_EQ(written.error().code, "preview_write_failed");
}

}  // namespace
}  // namespace talon::print
