// Every kiosk screen rendered headless (software renderer) in both languages, portrait and
// landscape, against golden images in docs/screenshots/kiosk/ with a small tolerance; and every
// touch target on every screen is at least 15 mm on the configured screen.
// TALON_UPDATE_GOLDEN=1 rewrites the goldens (look at them before committing).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <functional>

#include "../support/fake_clock.h"
#include "../support/golden.h"
#include "../support/png.h"
#include "kiosk_fakes.h"
#include "kiosk_views.h"
#include "talon/common/paths.h"
#include "talon/kiosk/kiosk_config.h"
#include "talon/ui/widgets.h"

namespace talon::kiosk {
namespace {

namespace fs = std::filesystem;
using test::FakeBackend;
using test::FakePrinter;

const fs::path kGoldenDir = fs::path(TALON_SOURCE_DIR) / "docs" / "screenshots" / "kiosk";
const fs::path kOutDir = fs::path(TALON_BUILD_DIR) / "screenshots" / "kiosk";

using Image = talon::test::Png;
Image load(const fs::path& path) { return talon::test::loadPng(path); }

std::vector<Service> services(const std::string& lang) {
    const bool ru = lang == "ru";
    std::vector<Service> list = {
        {1, "A", {{"ru", "Оплата и счета"}, {"en", "Payments and bills"}}, 7},
        {2, "B", {{"ru", "Счётчики: показания, замена, поверка"}, {"en", "Meters: readings, replacement, check"}}, 3},
        {3, "C", {{"ru", "Консультации и состояние счёта"}, {"en", "Consultation and account status"}}, 0},
        {4, "D", {{"ru", "Договоры и подключение"}, {"en", "Contracts and connection"}}, 12},
        {5, "E", {{"ru", "Жалобы и претензии"}, {"en", "Complaints and claims"}}, 1},
        {6, "V", {{"ru", "Юридические лица"}, {"en", "Legal entities"}}, 0},
    };
    list[0].ewtSeconds = 9 * 60;
    list[1].ewtSeconds = 4 * 60;
    list[2].ewtSeconds = 30;
    list[3].ewtSeconds = 47 * 60;
    list[4].ewtSeconds = 6 * 60;
    list[5].availability = {false, "closed", ru ? "Приём закрыт, откроется завтра в 09:00." :
                                                  "Closed now; opens tomorrow at 09:00."};
    return list;
}

std::vector<Service> closedServices(const std::string& lang) {
    auto list = services(lang);
    for (auto& s : list) {
        s.availability = {false, "closed", lang == "ru" ? "Офис откроется в понедельник в 08:00." :
                                                          "The office opens on Monday at 08:00."};
    }
    return list;
}

OfficeInfo office() {
    OfficeInfo o;
    o.names = {{"ru", "Энергосбыт · Центр обслуживания"}, {"en", "Energosbyt · Service center"}};
    for (int d = 0; d < 5; ++d) o.hours.push_back({d, 8 * 60, 20 * 60});
    o.hours.push_back({5, 9 * 60, 16 * 60});
    o.holidays = {"2026-12-31", "2027-01-01", "2027-01-07"};
    return o;
}

Ticket ticket() {
    Ticket t;
    t.id = 1042;
    t.number = "A012";
    t.service = "A";
    t.ahead = 3;
    t.ewtSeconds = 9 * 60;
    return t;
}

/// An account with a day/night meter and a single-rate one whose calibration is overdue.
MeterAccount meterAccount() {
    MeterAccount a;
    a.number = "1000123456";
    a.holder = "И. П. С.";
    a.address = "г. Тула, ул. Ленина, д. 5";
    a.status = "active";
    a.today = "2026-11-23";
    a.period = "2026-11";
    MeterInfo m1;
    m1.number = 1;
    m1.serial = "\xE2\x80\xA6" "1234";
    m1.tariff = "day_night";
    m1.wholeDigits = 6;
    m1.decimalDigits = 1;
    m1.zones = {{"day", "12345.6", "2026-10-20"}, {"night", "04321.0", "2026-10-20"}};
    m1.usualPerDay = 7.5;
    MeterInfo m2;
    m2.number = 2;
    m2.serial = "\xE2\x80\xA6" "9876";
    m2.tariff = "single";
    m2.wholeDigits = 5;
    m2.decimalDigits = 0;
    m2.zones = {{"total", "07310", "2026-10-21"}};
    m2.usualPerDay = 2.0;
    m2.calibrationDue = "2026-01-01";
    m2.calibrationOverdue = true;
    a.meters = {m1, m2};
    return a;
}

ReadingReceipt receipt(int meter, const std::string& confirmation) {
    ReadingReceipt r;
    r.confirmation = confirmation;
    r.account = "1000123456";
    r.meter = meter;
    r.period = "2026-11";
    if (meter == 1) {
        r.serial = "\xE2\x80\xA6" "1234";
        r.readings = {{"day", "12480.2", "12345.6", "134.6", false}, {"night", "04390.5", "04321.0", "69.5", false}};
    } else {
        r.serial = "\xE2\x80\xA6" "9876";
        r.readings = {{"total", "07368", "07310", "58", false}};
    }
    return r;
}

FaqCatalog faq() {
    auto loaded = loadFaqDir(assetsDir("") / "kiosk" / "faq");
    return loaded ? loaded.value() : FaqCatalog{};
}

/// The kiosk's views over a model the test has driven to one screen.
class ScreenApp final : public ui::App {
public:
    ScreenApp(KioskModel& model, const Catalog& catalog, float pxPerMm)
        : m_model(model), m_catalog(catalog), m_pxPerMm(pxPerMm) {}
    void attach(ui::AppShell& shell) { m_shell = &shell; }
    void drawFrame(int width, int height) override {
        ViewContext ctx{m_model, m_catalog, m_shell->fonts(), static_cast<float>(width), static_cast<float>(height),
                        m_pxPerMm};
        drawKiosk(ctx);
        m_minTarget = minTargetPx(ctx);
    }
    std::optional<Instant> nextWake() const override { return std::nullopt; }
    void tick(Instant) override {}
    void onInput(Instant) override {}
    float minTarget() const { return m_minTarget; }

private:
    KioskModel& m_model;
    const Catalog& m_catalog;
    float m_pxPerMm;
    ui::AppShell* m_shell = nullptr;
    float m_minTarget = 0;
};

/// Drives a model to a screen.
struct Scene {
    talon::test::FakeClock clock;
    FakeBackend backend;
    FakePrinter printer;
    std::unique_ptr<KioskModel> model;
    std::string lang;

    explicit Scene(std::string language) : lang(std::move(language)) {
        KioskSettings s;
        s.adminPin = "4821";
        s.serverUrl = "http://10.0.0.5:8080";
        model = std::make_unique<KioskModel>(backend, printer, clock, s, faq());
        model->start();
        model->setLanguage(lang);
    }
    void loadOffice() {
        while (!backend.offices.empty()) backend.completeOffice(office());
    }
    void loadServices(const std::vector<Service>& list) {
        while (!backend.loads.empty()) backend.completeLoad(list);
    }
    void home() {
        loadOffice();
        loadServices(services(lang));
    }
    void issue() {
        home();
        model->chooseService("A");
        model->choosePriority(std::nullopt);
        backend.completeIssue(ticket());
    }
    ReadingsFlow& readings() { return model->readings(); }
    void type(const std::string& keys) {
        for (char c : keys) readings().entryKey(c);
    }
    /// On the readings' meters screen.
    void meters(MeterAccount account = meterAccount()) {
        home();
        model->openReadings();
        for (char c : account.number) readings().accountKey(c);
        readings().submitAccount();
        backend.completeLookup(std::move(account));
    }
    /// Every zone typed and checked: the summary.
    void summary() {
        meters();
        readings().confirmAccount();
        type("12480,2");
        readings().entryNext();
        type("4390,5");
        readings().entryNext();
        type("7368");
        readings().entryNext();
    }
    AppealFlow& appeals() { return model->appeals(); }
    /// Types `text` into the entry the keyboard is on, one character at a time.
    void keys(const std::string& text) {
        auto cps = decodeUtf8(text);
        ASSERT_TRUE(cps.has_value());
        for (char32_t c : *cps) {
            const Key key = c == U' ' ? Key{KeyAction::Space, {}, 1} : Key{KeyAction::Char, encodeUtf8(c), 1};
            EXPECT_EQ(appeals().keyboard().press(key, appeals().focusedEntry()), KeyOutcome::Typed);
        }
    }
    /// An appeal up to the text step.
    void appealText() {
        home();
        model->openAppeal();
        appeals().chooseType("complaint");
        appeals().chooseCategory("billing");
        keys(lang == "ru" ? "Второй месяц не приходит квитанция за электроэнергию по адресу ул. Ленина, д. 5, "
                            "кв. 12. Прошу прислать копию и проверить адрес доставки."
                          : "For the second month no electricity bill has come to 5 Lenin Street, flat 12. "
                            "Please send a copy and check the delivery address.");
    }
    /// Up to the contact step with the name and phone typed.
    void appealContact() {
        appealText();
        appeals().next();
        keys(lang == "ru" ? "Анна Петрова" : "Anna Petrova");
        appeals().focus(AppealField::Phone);
        keys("89161234567");
        appeals().chooseChannel("sms");
    }
    void appealReview() {
        appealContact();
        appeals().next();
        appeals().setConsent(true);
        appeals().next();
    }
    /// The status check with `number` and the phone digits typed, and Check tapped.
    void checkStatus(const std::string& number, const std::string& digits) {
        home();
        model->openAppealStatus();
        keys(number);
        appeals().focus(AppealField::StatusPhone);
        keys(digits);
        appeals().checkStatus();
    }
    void staff() {
        home();
        for (int i = 0; i < 5; ++i) model->cornerTap();
    }
};

using Setup = std::function<void(Scene&)>;

const std::vector<std::pair<std::string, Setup>>& scenes() {
    static const std::vector<std::pair<std::string, Setup>> list = {
        {"loading", [](Scene&) {}},
        {"home", [](Scene& s) { s.home(); }},
        {"priority",
         [](Scene& s) {
             s.home();
             s.model->chooseService("B");
         }},
        {"issuing",
         [](Scene& s) {
             s.home();
             s.model->chooseService("A");
             s.model->choosePriority(std::nullopt);
         }},
        {"ticket-printing", [](Scene& s) { s.issue(); }},
        {"ticket",
         [](Scene& s) {
             s.issue();
             s.printer.complete(okStatus());
         }},
        {"ticket-no-printer",
         [](Scene& s) {
             s.issue();
             s.printer.complete(makeError(ErrorKind::Transport, "printer_missing", "connection refused"));
         }},
        {"issue-refused",
         [](Scene& s) {
             s.home();
             s.model->chooseService("A");
             s.model->choosePriority(std::nullopt);
             s.backend.completeIssue(makeError(ErrorKind::Http, "service_closing",
                                               s.lang == "ru" ? "Талоны на «Оплата и счета» сегодня уже не выдаются: "
                                                                "очередь не успеют обслужить до 20:00."
                                                              : "No more tickets for “Payments and bills” today: the "
                                                                "queue cannot be served before 20:00.",
                                               409));
         }},
        {"issue-unreachable",
         [](Scene& s) {
             s.home();
             s.model->chooseService("A");
             s.model->choosePriority(std::nullopt);
             s.backend.completeIssue(makeError(ErrorKind::Timeout, "timeout", "timed out"));
         }},
        {"unreachable",
         [](Scene& s) {
             s.loadOffice();
             s.backend.completeLoad(makeError(ErrorKind::Transport, "unreachable", "refused"));
         }},
        {"closed",
         [](Scene& s) {
             s.loadOffice();
             s.loadServices(closedServices(s.lang));
         }},
        {"info",
         [](Scene& s) {
             s.home();
             s.model->openInfo();
             s.loadOffice();
             s.loadServices(services(s.lang));
             s.model->toggleFaq(1);
         }},
        {"admin-pin",
         [](Scene& s) {
             s.staff();
             s.model->pinEntry().assign("1111");
             s.model->submitPin();
             s.model->pinEntry().assign("48");
         }},
        {"readings-account",
         [](Scene& s) {
             s.home();
             s.model->openReadings();
             for (char c : std::string("10001")) s.readings().accountKey(c);
             s.readings().submitAccount();  // too short
         }},
        {"readings-unknown",
         [](Scene& s) {
             s.home();
             s.model->openReadings();
             for (char c : std::string("1000999999")) s.readings().accountKey(c);
             s.readings().submitAccount();
             s.backend.completeLookup(makeError(ErrorKind::Http, "unknown_account",
                                                s.lang == "ru" ? "Лицевой счёт 1000999999 не найден."
                                                               : "There is no account 1000999999.",
                                                404));
         }},
        {"readings-meters", [](Scene& s) { s.meters(); }},
        {"readings-meters-in",
         [](Scene& s) {
             MeterAccount a = meterAccount();
             a.meters[0].waitingCode = "7KQ4-M2XD";  // waits in this kiosk's outbox
             a.meters[1].submittedOn = "2026-11-18";  // accepted earlier this month
             s.meters(a);
         }},
        {"readings-entry",
         [](Scene& s) {
             s.meters();
             s.readings().confirmAccount();
             s.type("12480");
         }},
        {"readings-entry-limit",
         [](Scene& s) {
             s.meters();
             s.readings().confirmAccount();
             s.type("1234567");  // one digit more than the register has
         }},
        {"readings-high",
         [](Scene& s) {
             s.meters();
             s.readings().confirmAccount();
             s.type("19999,0");
             s.readings().entryNext();
         }},
        {"readings-below",
         [](Scene& s) {
             s.meters();
             s.readings().confirmAccount();
             s.type("12245,6");
             s.readings().entryNext();
         }},
        {"readings-summary", [](Scene& s) { s.summary(); }},
        {"readings-sending",
         [](Scene& s) {
             s.summary();
             s.readings().send();
         }},
        {"readings-done",
         [](Scene& s) {
             s.summary();
             s.readings().send();
             s.backend.completeSubmit(ReadingOutcome{receipt(1, "R-2026-000123"), "", false});
             s.backend.completeSubmit(ReadingOutcome{receipt(2, "R-2026-000124"), "", false});
             s.printer.complete(okStatus());
         }},
        {"readings-queued",
         [](Scene& s) {
             s.summary();
             s.readings().send();
             s.backend.completeSubmit(ReadingOutcome{std::nullopt, "7KQ4-M2XD", true});
             s.backend.completeSubmit(ReadingOutcome{std::nullopt, "H3ZP-8W1C", true});
             s.printer.complete(makeError(ErrorKind::Transport, "printer_missing", "connection refused"));
         }},
        {"appeal-type",
         [](Scene& s) {
             s.home();
             s.model->openAppeal();
         }},
        {"appeal-category",
         [](Scene& s) {
             s.home();
             s.model->openAppeal();
             s.appeals().chooseType("complaint");
         }},
        {"appeal-text", [](Scene& s) { s.appealText(); }},
        {"appeal-text-empty",
         [](Scene& s) {
             s.home();
             s.model->openAppeal();
             s.appeals().chooseType("request");
             s.appeals().chooseCategory("meters");
             s.appeals().next();  // nothing typed
         }},
        {"appeal-contact", [](Scene& s) { s.appealContact(); }},
        {"appeal-contact-email",
         [](Scene& s) {
             s.appealText();
             s.appeals().next();
             s.keys(s.lang == "ru" ? "Анна" : "Anna");
             s.appeals().chooseChannel("email");  // no address yet: the keyboard goes there
             s.keys("anna.petrova@");
             s.appeals().next();
         }},
        {"appeal-consent",
         [](Scene& s) {
             s.appealContact();
             s.appeals().next();
             s.appeals().next();  // not ticked
         }},
        {"appeal-review", [](Scene& s) { s.appealReview(); }},
        {"appeal-review-long",
         [](Scene& s) {
             // Everything at its longest, a safety hazard, and the server's refusal of the send.
             s.home();
             s.model->openAppeal();
             s.appeals().chooseType("complaint");
             s.appeals().chooseCategory("safety_hazard");
             std::string text;  // 1922 characters (ru), 1950 (en)
             for (int i = 0; i < (s.lang == "ru" ? 62 : 75); ++i) {
                 text += s.lang == "ru" ? "Оборван провод у дома, искрит. " : "A wire is down, sparking. ";
             }
             ASSERT_TRUE(s.appeals().text().assign(text));
             s.appeals().next();
             ASSERT_TRUE(s.appeals().name().assign(std::string(s.lang == "ru" ? "Константинопольская-Преображенская "
                                                                                "Александра Вячеславовна"
                                                                              : "Alexandra Konstantinopolskaya-"
                                                                                "Preobrazhenskaya")));
             ASSERT_TRUE(s.appeals().phone().assign("79161234567"));
             ASSERT_TRUE(s.appeals().email().assign("alexandra.konstantinopolskaya.preobrazhenskaya.2026@"
                                                    "very-long-mail-domain.example.ru"));
             std::string address;  // 217 characters (ru), 224 (en)
             for (int i = 0; i < (s.lang == "ru" ? 7 : 14); ++i) {
                 address += s.lang == "ru" ? "ул. Садовая-Кудринская, д. 14, " : "14 Long Street, ";
             }
             ASSERT_TRUE(s.appeals().address().assign(address));
             ASSERT_TRUE(s.appeals().account().assign("10000000012345678901"));
             s.appeals().chooseChannel("letter");
             s.appeals().next();
             s.appeals().setConsent(true);
             s.appeals().next();
             s.appeals().send();
             s.backend.completeAppeal(makeError(ErrorKind::Http, "too_many_lookups",
                                                s.lang == "ru" ? "С этого терминала отправлено слишком много "
                                                                 "обращений. Подождите минуту и попробуйте снова."
                                                               : "Too many appeals were sent from here. Please wait a "
                                                                 "minute and try again.",
                                                429));
         }},
        {"appeal-contact-problem",
         [](Scene& s) {
             s.appealText();
             s.appeals().next();
             s.keys(s.lang == "ru" ? "Анна" : "Anna");
             s.appeals().focus(AppealField::Phone);
             s.keys("7916");
             s.appeals().chooseChannel("phone");
             s.appeals().next();  // too short: the keypad stays on the phone
         }},
        {"appeal-status-waiting",
         [](Scene& s) {
             s.checkStatus("K7F3-A9C2", "4567");
             AppealStatus st;
             st.number = "K7F3-A9C2";
             st.status = "waiting";
             s.backend.completeCheck(st);
         }},
        {"appeal-sending",
         [](Scene& s) {
             s.appealReview();
             s.appeals().send();
         }},
        {"appeal-done",
         [](Scene& s) {
             s.appealReview();
             s.appeals().send();
             AppealReceipt r;
             r.number = "Ж-2026-000123";
             r.status = "registered";
             r.category = "billing";
             r.dueOn = "2026-12-07";
             r.dueOnText = "07.12.2026";
             s.backend.completeAppeal(AppealOutcome{r, "", false});
             s.printer.complete(okStatus());
         }},
        {"appeal-urgent",
         [](Scene& s) {
             s.home();
             s.model->openAppeal();
             s.appeals().chooseType("complaint");
             s.appeals().chooseCategory("safety_hazard");
             s.keys(s.lang == "ru" ? "Во дворе дома 7 оборван провод." : "A wire is down in the yard of house 7.");
             s.appeals().next();
             s.keys(s.lang == "ru" ? "Иван" : "Ivan");
             s.appeals().focus(AppealField::Phone);
             s.keys("89161234567");
             s.appeals().chooseChannel("phone");
             s.appeals().next();
             s.appeals().setConsent(true);
             s.appeals().next();
             s.appeals().send();
             AppealReceipt r;
             r.number = "Ж-2026-000124";
             r.status = "registered";
             r.category = "safety_hazard";
             r.dueOn = "2026-11-23";
             r.dueOnText = "23.11.2026";
             r.urgent = true;
             s.backend.completeAppeal(AppealOutcome{r, "", false});
         }},
        {"appeal-queued",
         [](Scene& s) {
             s.appealReview();
             s.appeals().send();
             s.backend.completeAppeal(AppealOutcome{std::nullopt, "K7F3-A9C2", true});
             s.printer.complete(makeError(ErrorKind::Transport, "printer_missing", "connection refused"));
         }},
        {"appeal-status-entry",
         [](Scene& s) {
             s.home();
             s.model->openAppealStatus();
             s.keys("2026000123");
             s.appeals().focus(AppealField::StatusPhone);
             s.keys("45");
         }},
        {"appeal-status-miss",
         [](Scene& s) {
             s.checkStatus("2026000123", "4567");
             s.backend.completeCheck(makeError(ErrorKind::Http, "appeal_status_not_found", "not found", 404));
         }},
        {"appeal-status",
         [](Scene& s) {
             s.checkStatus("2026000123", "4567");
             AppealStatus st;
             st.number = "Ж-2026-000123";
             st.status = "in_progress";
             st.statusText = s.lang == "ru" ? "в работе" : "in progress";
             st.dueOn = "2026-12-14";
             st.dueOnText = "14.12.2026";
             st.extended = true;
             s.backend.completeCheck(st);
         }},
        {"admin-menu",
         [](Scene& s) {
             s.staff();
             s.model->pinEntry().assign("4821");
             s.model->submitPin();
             s.model->printTestPage();
             s.printer.complete(makeError(ErrorKind::Transport, "printer_failed", "paper out"));
             s.backend.completeSweep(OutboxState{2, 1});  // two readings wait, one was refused
         }},
    };
    return list;
}

struct Shot {
    std::string scene;
    std::string lang;
    bool landscape = false;
    std::string name() const { return scene + "-" + lang + (landscape ? "-landscape" : ""); }
};

std::vector<Shot> shots() {
    std::vector<Shot> out;
    for (const auto& [name, setup] : scenes()) {
        for (const char* lang : {"ru", "en"}) {
            out.push_back({name, lang, false});
            if (name == "home" || name == "priority" || name == "ticket" || name == "ticket-no-printer" ||
                name == "closed" || name == "info" || name == "readings-entry" || name == "readings-summary" ||
                name == "readings-done" || name == "appeal-type" || name == "appeal-text" ||
                name == "appeal-contact" || name == "appeal-review" || name == "appeal-done" ||
                name == "appeal-status-entry" || name == "appeal-category" || name == "appeal-consent" ||
                name == "appeal-status" || name == "appeal-review-long" || name == "appeal-contact-problem") {
                out.push_back({name, lang, true});
            }
        }
    }
    return out;
}

class KioskScreensTest : public ::testing::TestWithParam<Shot> {};

TEST_P(KioskScreensTest, MatchesGoldenWithBigEnoughTargets) {
    const Shot shot = GetParam();
    auto catalog = Catalog::loadDir(assetsDir("") / "i18n");
    ASSERT_TRUE(catalog) << catalog.error().message;
    Scene scene(shot.lang);
    for (const auto& [name, setup] : scenes()) {
        if (name == shot.scene) setup(scene);
    }
    fs::create_directories(kOutDir);
    const fs::path out = kOutDir / (shot.name() + ".png");
    const int w = shot.landscape ? 1920 : 1080, h = shot.landscape ? 1080 : 1920;
    // A 32-inch portrait kiosk, or a 21.5-inch landscape one: the sizes sold for both shapes.
    const float pxPerMm = pixelsPerMm(w, h, shot.landscape ? 21.5 : 32);
    ScreenApp app(*scene.model, catalog.value(), pxPerMm);
    RunQueue queue;
    ui::ShellOptions options;
    options.headless = true;
    options.width = w;
    options.height = h;
    options.frames = 3;
    options.screenshot = out.string();
    auto shell = ui::AppShell::create(options, queue);
    ASSERT_TRUE(shell) << shell.error().message;
    app.attach(*shell.value());
    ASSERT_EQ(shell.value()->run(app), 0);

    // Touch targets: none under 15 mm.
    for (const auto& t : ui::touchTargets()) {
        EXPECT_GE(t.max.x - t.min.x + 0.5f, app.minTarget()) << shot.name() << ": " << t.id << " too narrow";
        EXPECT_GE(t.max.y - t.min.y + 0.5f, app.minTarget()) << shot.name() << ": " << t.id << " too low";
        EXPECT_GE(t.min.x, 0) << t.id;
        EXPECT_GE(t.min.y, 0) << t.id;
        EXPECT_LE(t.max.x, w + 0.5f) << t.id << " runs off the screen";
        EXPECT_LE(t.max.y, h + 0.5f) << t.id << " runs off the screen";
    }

    const Image actual = load(out);
    ASSERT_EQ(actual.width, w);
    ASSERT_EQ(actual.height, h);
    const fs::path golden = kGoldenDir / (shot.name() + ".png");
    if (talon::test::compareWithGolden(out, golden, kOutDir / (shot.name() + "-diff.png")) ==
        talon::test::GoldenResult::Updated) {
        GTEST_SKIP() << "golden written: " << golden;
    }
}

INSTANTIATE_TEST_SUITE_P(Screens, KioskScreensTest, ::testing::ValuesIn(shots()),
                         [](const ::testing::TestParamInfo<Shot>& info) {
                             std::string n = info.param.name();
                             for (char& c : n) {
                                 if (c == '-') c = '_';
                             }
                             return n;
                         });

}  // namespace
}  // namespace talon::kiosk
