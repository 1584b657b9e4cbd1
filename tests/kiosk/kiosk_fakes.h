// Fakes for the kiosk model's two interfaces: they record calls, and the test decides when
// and how each completes (used by the model tests and the screen rendering tests).
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "talon/kiosk/kiosk_backend.h"
#include "talon/kiosk/ticket_printer.h"

namespace talon::kiosk::test {

class FakeBackend final : public KioskBackend {
public:
    struct IssueCall {
        std::string service;
        Priority priority = Priority::Normal;
        std::string key;
        Callback<Ticket> done;
    };
    struct Report {
        std::string state, detail;
        Callback<bool> done;
    };
    void loadServices(Callback<std::vector<Service>> done) override { loads.push_back(std::move(done)); }
    void loadOffice(Callback<OfficeInfo> done) override { offices.push_back(std::move(done)); }
    void issueTicket(const std::string& service, Priority priority, const std::string& key,
                     Callback<Ticket> done) override {
        issues.push_back({service, priority, key, std::move(done)});
    }
    void reportPrinter(const std::string& state, const std::string& detail, Callback<bool> done) override {
        reports.push_back({state, detail, std::move(done)});
    }
    struct SubmitCall {
        ReadingSubmission submission;
        std::string key;
        Callback<ReadingOutcome> done;
    };
    void lookupAccount(const std::string& number, Callback<MeterAccount> done) override {
        lookups.push_back({number, std::move(done)});
    }
    void submitReading(ReadingSubmission s, const std::string& key, Callback<ReadingOutcome> done) override {
        submits.push_back({std::move(s), key, std::move(done)});
    }
    struct AppealCall {
        AppealSubmission submission;
        std::string key;
        Callback<AppealOutcome> done;
    };
    struct CheckCall {
        std::string number, phone;
        Callback<AppealStatus> done;
    };
    void registerAppeal(AppealSubmission s, const std::string& key, Callback<AppealOutcome> done) override {
        appeals.push_back({std::move(s), key, std::move(done)});
    }
    void checkAppeal(const std::string& number, const std::string& phone, Callback<AppealStatus> done) override {
        checks.push_back({number, phone, std::move(done)});
    }
    void completeAppeal(Result<AppealOutcome> r) {
        auto cb = std::move(appeals.front().done);
        appeals.pop_front();
        cb(std::move(r));
    }
    void completeCheck(Result<AppealStatus> r) {
        auto cb = std::move(checks.front().done);
        checks.pop_front();
        cb(std::move(r));
    }
    void deliverOutbox(Callback<OutboxState> done) override { sweeps.push_back(std::move(done)); }
    void setLanguage(const std::string& l) override { language = l; }
    bool busy() const override {
        return !loads.empty() || !issues.empty() || !lookups.empty() || !submits.empty() || !appeals.empty() ||
               !checks.empty();
    }

    void completeLookup(Result<MeterAccount> r) {
        auto cb = std::move(lookups.front().second);
        lookups.pop_front();
        cb(std::move(r));
    }
    void completeSubmit(Result<ReadingOutcome> r) {
        auto cb = std::move(submits.front().done);
        submits.pop_front();
        cb(std::move(r));
    }
    void completeSweep(Result<OutboxState> r) {
        auto cb = std::move(sweeps.front());
        sweeps.pop_front();
        cb(std::move(r));
    }

    void completeLoad(Result<std::vector<Service>> r) {
        auto cb = std::move(loads.front());
        loads.pop_front();
        cb(std::move(r));
    }
    void completeOffice(Result<OfficeInfo> r) {
        auto cb = std::move(offices.front());
        offices.pop_front();
        cb(std::move(r));
    }
    void completeIssue(Result<Ticket> r) {
        auto cb = std::move(issues.front().done);
        issues.pop_front();
        cb(std::move(r));
    }
    void completeReport(Result<bool> r) {
        auto cb = std::move(reports.front().done);
        reports.pop_front();
        cb(std::move(r));
    }

    std::deque<Callback<std::vector<Service>>> loads;
    std::deque<Callback<OfficeInfo>> offices;
    std::deque<IssueCall> issues;
    std::deque<Report> reports;
    std::deque<std::pair<std::string, Callback<MeterAccount>>> lookups;
    std::deque<SubmitCall> submits;
    std::deque<Callback<OutboxState>> sweeps;
    std::deque<AppealCall> appeals;
    std::deque<CheckCall> checks;
    std::string language;
};

class FakePrinter final : public TicketPrinter {
public:
    void printTicket(const TicketPrintJob& job, Done done) override {
        jobs.push_back(job);
        pending.push_back(std::move(done));
    }
    void printReadings(const ReadingsPrintJob& job, Done done) override {
        readingsJobs.push_back(job);
        pending.push_back(std::move(done));
    }
    void printAppeal(const AppealPrintJob& job, Done done) override {
        appealJobs.push_back(job);
        pending.push_back(std::move(done));
    }
    void printTestPage(const std::string& language, Done done) override {
        testPages.push_back(language);
        pending.push_back(std::move(done));
    }
    bool busy() const override { return !pending.empty(); }
    void complete(Status st) {
        auto cb = std::move(pending.front());
        pending.pop_front();
        cb(std::move(st));
    }

    std::vector<TicketPrintJob> jobs;
    std::vector<ReadingsPrintJob> readingsJobs;
    std::vector<AppealPrintJob> appealJobs;
    std::vector<std::string> testPages;
    std::deque<Done> pending;
};

}  // namespace talon::kiosk::test
