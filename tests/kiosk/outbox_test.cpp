// The kiosk outbox on real SQLite files: what was added stays until delivered, across restarts
// and a process that dies without closing; foreign or newer files are errors, never a crash.
#include "talon/kiosk/outbox.h"

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <set>
#include <thread>
#include <tuple>

#include "server_process.h"

namespace talon::kiosk {
namespace {

using namespace std::chrono_literals;

const WallTime kT0 = fromMillis(1'790'000'000'000);  // 2026-09-21, a Monday morning

std::string readBytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string body(int n) {
    return R"({"serial":"0123456","readings":[{"zone":"total","value":)" + std::to_string(n) +
           "}]}";
}

class OutboxTest : public ::testing::Test {
protected:
    void SetUp() override { reopen(); }

    void reopen() {
        m_outbox.reset();
        auto opened = Outbox::open(file());
        ASSERT_TRUE(opened) << opened.error().message;
        m_outbox = std::move(opened).value();
    }

    std::filesystem::path file() const { return m_dir.path() / "outbox.sqlite"; }

    OutboxItem add(const std::string& key, WallTime at = kT0) {
        auto item =
            m_outbox->add("reading", key, newLocalCode(), body(static_cast<int>(key.size())), at);
        EXPECT_TRUE(item) << item.error().message;
        return item ? item.value() : OutboxItem{};
    }

    std::vector<std::string> pendingKeys(size_t limit = 100) {
        auto items = m_outbox->pending(limit);
        EXPECT_TRUE(items) << items.error().message;
        std::vector<std::string> keys;
        if (items) {
            for (const auto& i : items.value()) keys.push_back(i.idempotencyKey);
        }
        return keys;
    }

    size_t pendingCount() {
        auto n = m_outbox->pendingCount();
        EXPECT_TRUE(n) << n.error().message;
        return n ? n.value() : 0;
    }

    OutboxItem get(int64_t id) {
        auto found = m_outbox->find(id);
        EXPECT_TRUE(found) << found.error().message;
        if (!found || !found.value()) {
            ADD_FAILURE() << "no outbox item " << id;
            return {};
        }
        return *found.value();
    }

    test::TempDir m_dir;
    std::unique_ptr<Outbox> m_outbox;
};

TEST_F(OutboxTest, AddStoresAPendingItem) {
    auto added = m_outbox->add("reading", "key-1", "K7F3-A9C2", body(1), kT0);
    ASSERT_TRUE(added) << added.error().message;
    const auto& item = added.value();
    EXPECT_GT(item.id, 0);
    EXPECT_EQ(item.kind, "reading");
    EXPECT_EQ(item.idempotencyKey, "key-1");
    EXPECT_EQ(item.localCode, "K7F3-A9C2");
    EXPECT_EQ(item.body, body(1));
    EXPECT_EQ(item.createdAt, kT0);
    EXPECT_EQ(item.state, "pending");
    EXPECT_EQ(item.attempts, 0);
    EXPECT_TRUE(item.result.empty());
    EXPECT_FALSE(item.lastAttemptAt);
    EXPECT_FALSE(item.finishedAt);
    EXPECT_EQ(pendingCount(), 1u);

    const auto stored = get(item.id);
    EXPECT_EQ(stored.body, body(1));
    EXPECT_EQ(stored.createdAt, kT0);
    auto missing = m_outbox->find(item.id + 1000);
    ASSERT_TRUE(missing);
    EXPECT_FALSE(missing.value());
}

TEST_F(OutboxTest, PendingListsOldestFirstUpToTheLimit) {
    add("a", kT0);
    add("b", kT0 + 1min);
    // The kiosk booted offline and NTP then set its clock back: still the order of submission.
    add("c", kT0 - 2h);
    add("d", kT0 + 3min);
    EXPECT_EQ(pendingKeys(), (std::vector<std::string>{"a", "b", "c", "d"}));
    EXPECT_EQ(pendingKeys(2), (std::vector<std::string>{"a", "b"}));
    EXPECT_TRUE(pendingKeys(0).empty());

    const auto first = m_outbox->pending(1).value().front();
    ASSERT_TRUE(m_outbox->markDelivered(first.id, "{}", kT0 + 5min));
    EXPECT_EQ(pendingKeys(), (std::vector<std::string>{"b", "c", "d"}));
    EXPECT_EQ(pendingCount(), 3u);
}

TEST_F(OutboxTest, TheSameIdempotencyKeyTwiceGivesTheExistingItem) {
    auto first = m_outbox->add("reading", "key-1", "AAAA-BBBB", body(1), kT0);
    ASSERT_TRUE(first) << first.error().message;
    // The UI retried the same submission, even with another code and body: the first one stands.
    auto again = m_outbox->add("reading", "key-1", "AAAA-BBBB", body(1), kT0 + 1s);
    ASSERT_TRUE(again) << again.error().message;
    auto other = m_outbox->add("reading", "key-1", "CCCC-DDDD", body(2), kT0 + 2s);
    ASSERT_TRUE(other) << other.error().message;
    EXPECT_EQ(again.value().id, first.value().id);
    EXPECT_EQ(other.value().id, first.value().id);
    EXPECT_EQ(other.value().localCode, "AAAA-BBBB");
    EXPECT_EQ(other.value().body, body(1));
    EXPECT_EQ(other.value().createdAt, kT0);
    EXPECT_EQ(pendingCount(), 1u);
    auto byOtherCode = m_outbox->findByLocalCode("CCCC-DDDD");
    ASSERT_TRUE(byOtherCode);
    EXPECT_FALSE(byOtherCode.value());

    ASSERT_TRUE(m_outbox->markDelivered(first.value().id, R"({"confirmation":"R-1"})", kT0 + 1min));
    auto afterDelivery = m_outbox->add("reading", "key-1", "AAAA-BBBB", body(1), kT0 + 2min);
    ASSERT_TRUE(afterDelivery) << afterDelivery.error().message;
    EXPECT_EQ(afterDelivery.value().state, "delivered");
    EXPECT_EQ(pendingCount(), 0u);
}

TEST_F(OutboxTest, ALocalCodeOfAnotherItemIsAConflict) {
    ASSERT_TRUE(m_outbox->add("reading", "key-1", "AAAA-BBBB", body(1), kT0));
    auto clash = m_outbox->add("reading", "key-2", "AAAA-BBBB", body(2), kT0);
    ASSERT_FALSE(clash);
    EXPECT_EQ(clash.error().kind, ErrorKind::Conflict);
    EXPECT_EQ(pendingCount(), 1u);
}

TEST_F(OutboxTest, AnIncompleteItemIsInvalid) {
    for (auto [kind, key, code] :
         {std::tuple{"", "k", "AAAA-BBBB"}, std::tuple{"reading", "", "AAAA-BBBB"},
          std::tuple{"reading", "k", ""}}) {
        auto r = m_outbox->add(kind, key, code, body(1), kT0);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().kind, ErrorKind::Invalid);
    }
    EXPECT_EQ(pendingCount(), 0u);
}

TEST_F(OutboxTest, MarkDeliveredEndsTheItem) {
    const auto item = add("key-1");
    ASSERT_TRUE(
        m_outbox->markDelivered(item.id, R"({"confirmation":"R-2026-000042"})", kT0 + 10min));
    const auto done = get(item.id);
    EXPECT_EQ(done.state, "delivered");
    EXPECT_EQ(done.result, R"({"confirmation":"R-2026-000042"})");
    EXPECT_EQ(done.attempts, 1);
    EXPECT_EQ(done.lastAttemptAt, kT0 + 10min);
    EXPECT_EQ(done.finishedAt, kT0 + 10min);
    EXPECT_EQ(pendingCount(), 0u);

    auto twice = m_outbox->markDelivered(item.id, "{}", kT0 + 11min);
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().kind, ErrorKind::Conflict);
    auto rejectedLater = m_outbox->markRejected(item.id, "bad: no", kT0 + 11min);
    ASSERT_FALSE(rejectedLater);
    EXPECT_EQ(rejectedLater.error().kind, ErrorKind::Conflict);
    auto failedLater = m_outbox->noteFailedAttempt(item.id, "timeout", kT0 + 11min);
    ASSERT_FALSE(failedLater);
    EXPECT_EQ(failedLater.error().kind, ErrorKind::Conflict);
    const auto unchanged = get(item.id);
    EXPECT_EQ(unchanged.result, R"({"confirmation":"R-2026-000042"})");
    EXPECT_EQ(unchanged.attempts, 1);
}

TEST_F(OutboxTest, MarkRejectedKeepsTheReasonAndTheItem) {
    const auto item = add("key-1");
    ASSERT_TRUE(m_outbox->markRejected(item.id, "unknown_meter: no such meter", kT0 + 1min));
    const auto done = get(item.id);
    EXPECT_EQ(done.state, "rejected");
    EXPECT_EQ(done.result, "unknown_meter: no such meter");
    EXPECT_EQ(done.attempts, 1);
    EXPECT_EQ(done.finishedAt, kT0 + 1min);
    EXPECT_EQ(pendingCount(), 0u);
    EXPECT_TRUE(pendingKeys().empty());
    auto again = m_outbox->markDelivered(item.id, "{}", kT0 + 2min);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().kind, ErrorKind::Conflict);
}

TEST_F(OutboxTest, FailedAttemptsAreCountedAndTheItemStaysPending) {
    const auto item = add("key-1");
    ASSERT_TRUE(m_outbox->noteFailedAttempt(item.id, "connection refused", kT0 + 1min));
    ASSERT_TRUE(m_outbox->noteFailedAttempt(item.id, "timed out after 10 s", kT0 + 3min));
    auto waiting = get(item.id);
    EXPECT_EQ(waiting.state, "pending");
    EXPECT_EQ(waiting.attempts, 2);
    EXPECT_EQ(waiting.lastError, "timed out after 10 s");
    EXPECT_EQ(waiting.lastAttemptAt, kT0 + 3min);
    EXPECT_FALSE(waiting.finishedAt);
    EXPECT_EQ(pendingKeys(), std::vector<std::string>{"key-1"});

    ASSERT_TRUE(m_outbox->markDelivered(item.id, "{}", kT0 + 7min));
    EXPECT_EQ(get(item.id).attempts, 3);
}

TEST_F(OutboxTest, UnknownIdsAreNotFound) {
    for (const auto& status :
         {m_outbox->markDelivered(99, "{}", kT0), m_outbox->markRejected(99, "x: y", kT0),
          m_outbox->noteFailedAttempt(99, "refused", kT0)}) {
        ASSERT_FALSE(status);
        EXPECT_EQ(status.error().kind, ErrorKind::NotFound);
    }
}

TEST_F(OutboxTest, FindsAnItemByTheCodeAsStaffTypeIt) {
    add("key-0");
    ASSERT_TRUE(m_outbox->add("reading", "key-1", "K7F3-A9C1", body(1), kT0));
    add("key-2");
    for (const char* typed : {"K7F3-A9C1", "k7f3a9c1", "K7F3 A9CL", "k7f3-a9ci"}) {
        auto found = m_outbox->findByLocalCode(typed);
        ASSERT_TRUE(found) << found.error().message;
        ASSERT_TRUE(found.value()) << typed;
        EXPECT_EQ(found.value()->idempotencyKey, "key-1") << typed;
    }
    for (const char* typed : {"K7F3-A9C2", "", "K7F3-A9C", "not a code"}) {
        auto found = m_outbox->findByLocalCode(typed);
        ASSERT_TRUE(found) << found.error().message;
        EXPECT_FALSE(found.value()) << typed;
    }
    // 0 and O are one symbol in Crockford base32.
    ASSERT_TRUE(m_outbox->add("reading", "key-3", "00Z0-1234", body(3), kT0));
    auto withO = m_outbox->findByLocalCode("OOZO-1234");
    ASSERT_TRUE(withO);
    ASSERT_TRUE(withO.value());
    EXPECT_EQ(withO.value()->idempotencyKey, "key-3");
}

TEST_F(OutboxTest, PruneRemovesOnlyOldDeliveredItems) {
    const auto oldDelivered = add("old-delivered", kT0);
    const auto newDelivered = add("new-delivered", kT0);
    const auto oldRejected = add("old-rejected", kT0);
    const auto oldPending = add("old-pending", kT0);
    ASSERT_TRUE(m_outbox->markDelivered(oldDelivered.id, "{}", kT0 + 1h));
    // Submitted long ago but delivered only yesterday: its age counts from delivery.
    ASSERT_TRUE(m_outbox->markDelivered(newDelivered.id, "{}", kT0 + 30 * 24h));
    ASSERT_TRUE(m_outbox->markRejected(oldRejected.id, "closed_account: closed", kT0 + 1h));
    ASSERT_TRUE(m_outbox->noteFailedAttempt(oldPending.id, "refused", kT0 + 1h));

    const WallTime now = kT0 + 31 * 24h;
    auto removed = m_outbox->prune(now, std::chrono::hours(14 * 24));
    ASSERT_TRUE(removed) << removed.error().message;
    EXPECT_EQ(removed.value(), 1u);
    EXPECT_FALSE(m_outbox->find(oldDelivered.id).value());
    EXPECT_TRUE(m_outbox->find(newDelivered.id).value());
    EXPECT_TRUE(m_outbox->find(oldRejected.id).value());
    EXPECT_TRUE(m_outbox->find(oldPending.id).value());
    EXPECT_EQ(m_outbox->prune(now, std::chrono::hours(14 * 24)).value(), 0u);

    auto negative = m_outbox->prune(now, std::chrono::hours(-1));
    ASSERT_FALSE(negative);
    EXPECT_EQ(negative.error().kind, ErrorKind::Invalid);
}

TEST_F(OutboxTest, AnIdIsNeverReusedAfterPrune) {
    add("a");
    const auto last = add("b");
    ASSERT_TRUE(m_outbox->markDelivered(last.id, "{}", kT0));
    ASSERT_EQ(m_outbox->prune(kT0 + 48h, 24h).value(), 1u);
    reopen();
    EXPECT_GT(add("c").id, last.id);
}

TEST_F(OutboxTest, EverythingSurvivesAKioskRestart) {
    const auto delivered = add("delivered");
    const auto retried = add("retried", kT0 + 1min);
    const auto fresh = add("fresh", kT0 + 2min);
    ASSERT_TRUE(m_outbox->markDelivered(delivered.id, R"({"confirmation":"R-7"})", kT0 + 3min));
    ASSERT_TRUE(m_outbox->noteFailedAttempt(retried.id, "connection refused", kT0 + 4min));

    reopen();
    EXPECT_EQ(pendingKeys(), (std::vector<std::string>{"retried", "fresh"}));
    const auto d = get(delivered.id);
    EXPECT_EQ(d.state, "delivered");
    EXPECT_EQ(d.result, R"({"confirmation":"R-7"})");
    const auto r = get(retried.id);
    EXPECT_EQ(r.attempts, 1);
    EXPECT_EQ(r.lastError, "connection refused");
    EXPECT_EQ(r.lastAttemptAt, kT0 + 4min);
    const auto f = get(fresh.id);
    EXPECT_EQ(f.localCode, fresh.localCode);
    EXPECT_EQ(f.body, fresh.body);
    EXPECT_EQ(f.createdAt, kT0 + 2min);
    auto byCode = m_outbox->findByLocalCode(fresh.localCode);
    ASSERT_TRUE(byCode);
    ASSERT_TRUE(byCode.value());
    EXPECT_EQ(byCode.value()->id, fresh.id);
}

// A kiosk process that dies right after add() returned: by _exit (no destructor, no close) or
// by SIGKILL. The WAL is left behind, not checkpointed; the next open must recover it.
class OutboxCrashTest : public OutboxTest, public ::testing::WithParamInterface<bool> {};

TEST_P(OutboxCrashTest, AnAddThatReturnedSurvivesTheProcessDying) {
    const bool sigkill = GetParam();
    m_outbox.reset();  // the child gets no SQLite connection of ours
    const std::string code = newLocalCode();
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        auto outbox = Outbox::open(file());
        if (!outbox) ::_exit(2);
        auto added = outbox.value()->add("reading", "crash-key", code, body(7), kT0);
        if (!added) ::_exit(3);
        if (sigkill) ::kill(::getpid(), SIGKILL);
        ::_exit(0);  // the Outbox is never destroyed
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    if (sigkill) {
        ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
        EXPECT_EQ(WTERMSIG(status), SIGKILL);
    } else {
        ASSERT_TRUE(WIFEXITED(status));
        ASSERT_EQ(WEXITSTATUS(status), 0);
    }
    EXPECT_TRUE(std::filesystem::exists(file().string() + "-wal"))
        << "the child closed the database after all";

    reopen();
    auto found = m_outbox->findByLocalCode(code);
    ASSERT_TRUE(found) << found.error().message;
    ASSERT_TRUE(found.value());
    EXPECT_EQ(found.value()->idempotencyKey, "crash-key");
    EXPECT_EQ(found.value()->body, body(7));
    EXPECT_EQ(pendingKeys(), std::vector<std::string>{"crash-key"});
}

INSTANTIATE_TEST_SUITE_P(ExitAndKill, OutboxCrashTest, ::testing::Values(false, true),
                         [](const auto& info) {
                             return info.param ? std::string("Sigkill") : std::string("Exit");
                         });

TEST_F(OutboxTest, TheFileIsInWalMode) {
    SQLite::Database db(file().string(), SQLite::OPEN_READONLY);
    EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "wal");
}

TEST_F(OutboxTest, TwoOpenOutboxesOnOneFileSeeEachOther) {
    auto second = Outbox::open(file());
    ASSERT_TRUE(second) << second.error().message;
    const auto item = add("key-1");
    auto seen = second.value()->find(item.id);
    ASSERT_TRUE(seen);
    EXPECT_TRUE(seen.value());
}

TEST_F(OutboxTest, AddsFromFourThreadsAreAllKept) {
    constexpr int kThreads = 4;
    constexpr int kEach = 50;
    std::atomic<int> failures{0};
    std::atomic<bool> adding{true};
    std::thread reader([&] {  // the delivery worker reading while the UI adds
        while (adding) {
            if (!m_outbox->pending(10) || !m_outbox->pendingCount()) ++failures;
        }
    });
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kEach; ++i) {
                const std::string key = "t" + std::to_string(t) + "-" + std::to_string(i);
                if (!m_outbox->add("reading", key, newLocalCode(), body(i), kT0)) ++failures;
                // Every thread also retries one shared key: it must stay one row.
                if (!m_outbox->add("reading", "shared-" + std::to_string(i % 5),
                                   "SHRD-000" + std::to_string(i % 5), body(i), kT0)) {
                    ++failures;
                }
            }
        });
    }
    for (auto& th : threads) th.join();
    adding = false;
    reader.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(pendingCount(), static_cast<size_t>(kThreads * kEach + 5));
    const auto keys = pendingKeys(1000);
    const std::set<std::string> unique(keys.begin(), keys.end());
    EXPECT_EQ(unique.size(), static_cast<size_t>(kThreads * kEach + 5));
    for (int t = 0; t < kThreads; ++t) {
        for (int i = 0; i < kEach; ++i)
            EXPECT_TRUE(unique.count("t" + std::to_string(t) + "-" + std::to_string(i)));
    }
}

// Files that are not an outbox.
class OutboxFileTest : public ::testing::Test {
protected:
    std::filesystem::path path(const char* name) const { return m_dir.path() / name; }
    test::TempDir m_dir;
};

TEST_F(OutboxFileTest, GarbageIsAnErrorAndIsLeftAlone) {
    const auto file = path("garbage.sqlite");
    std::string garbage;
    for (int i = 0; i < 8192; ++i) garbage.push_back(static_cast<char>((i * 7919 + 13) % 256));
    std::ofstream(file, std::ios::binary) << garbage;
    auto opened = Outbox::open(file);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().kind, ErrorKind::Storage);
    EXPECT_EQ(opened.error().code, "not_database");
    EXPECT_NE(opened.error().message.find(file.string()), std::string::npos)
        << opened.error().message;
    EXPECT_EQ(readBytes(file), garbage);
}

TEST_F(OutboxFileTest, AShortTextFileIsAnError) {
    const auto file = path("notes.txt");
    std::ofstream(file) << "kiosk notes\n";
    auto opened = Outbox::open(file);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().kind, ErrorKind::Storage);
    EXPECT_EQ(readBytes(file), "kiosk notes\n");
}

TEST_F(OutboxFileTest, AnEmptyFileBecomesANewOutbox) {
    const auto file = path("empty.sqlite");
    std::ofstream{file};
    auto opened = Outbox::open(file);
    ASSERT_TRUE(opened) << opened.error().message;
    ASSERT_TRUE(opened.value()->add("reading", "k", "AAAA-BBBB", "{}", kT0));
    EXPECT_EQ(opened.value()->pendingCount().value(), 1u);
}

TEST_F(OutboxFileTest, AnotherProgramsDatabaseIsAnErrorAndIsLeftAlone) {
    const auto file = path("other.sqlite");
    {
        SQLite::Database db(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec("CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('Kalinka')");
    }
    const auto before = readBytes(file);
    auto opened = Outbox::open(file);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, "not_outbox");
    EXPECT_NE(opened.error().message.find("kiosk.outbox"), std::string::npos)
        << opened.error().message;
    EXPECT_EQ(readBytes(file), before);
    SQLite::Database db(file.string(), SQLite::OPEN_READONLY);
    EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "delete");  // not switched to WAL
}

TEST_F(OutboxFileTest, AVersionedDatabaseWithoutTablesIsNotAnOutbox) {
    const auto file = path("versioned.sqlite");
    {
        SQLite::Database db(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec("PRAGMA user_version=1");
    }
    auto opened = Outbox::open(file);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, "not_outbox");
}

TEST_F(OutboxFileTest, ANewerOutboxIsAnErrorAndKeepsItsItems) {
    const auto file = path("newer.sqlite");
    {
        auto opened = Outbox::open(file);
        ASSERT_TRUE(opened) << opened.error().message;
        ASSERT_TRUE(opened.value()->add("reading", "k", "AAAA-BBBB", "{}", kT0));
    }
    {
        SQLite::Database db(file.string(), SQLite::OPEN_READWRITE);
        db.exec("PRAGMA user_version=" + std::to_string(outboxSchemaVersion() + 1));
    }
    auto opened = Outbox::open(file);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, "outbox_too_new");
    EXPECT_NE(opened.error().message.find("newer"), std::string::npos) << opened.error().message;

    SQLite::Database db(file.string(), SQLite::OPEN_READONLY);
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM outbox").getInt(), 1);
}

TEST_F(OutboxFileTest, ADirectoryOrNoPathIsAnError) {
    auto dir = Outbox::open(m_dir.path());
    ASSERT_FALSE(dir);
    EXPECT_EQ(dir.error().kind, ErrorKind::Storage);
    auto none = Outbox::open({});
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().kind, ErrorKind::Storage);
}

TEST_F(OutboxFileTest, AMissingFolderIsCreated) {
    const auto file = m_dir.path() / "var" / "lib" / "talon" / "outbox.sqlite";
    auto opened = Outbox::open(file);
    ASSERT_TRUE(opened) << opened.error().message;
    EXPECT_TRUE(std::filesystem::exists(file));
}

TEST(OutboxLocalCodeTest, IsEightCrockfordSymbolsWithADash) {
    const std::string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    std::set<std::string> codes;
    std::vector<std::set<char>> seenAt(8);
    for (int n = 0; n < 10000; ++n) {
        const auto code = newLocalCode();
        ASSERT_EQ(code.size(), 9u) << code;
        ASSERT_EQ(code[4], '-') << code;
        const std::string symbols = code.substr(0, 4) + code.substr(5);
        for (size_t i = 0; i < symbols.size(); ++i) {
            ASSERT_NE(alphabet.find(symbols[i]), std::string::npos) << code;
            seenAt[i].insert(symbols[i]);
        }
        EXPECT_EQ(normalizeLocalCode(code), code);
        codes.insert(code);
    }
    EXPECT_EQ(codes.size(), 10000u);
    // 40 random bits: every symbol turns up at every position (a missing one means lost bits).
    for (size_t i = 0; i < seenAt.size(); ++i) EXPECT_EQ(seenAt[i].size(), 32u) << "position " << i;
}

TEST(OutboxLocalCodeTest, ReadsWhatAPersonTyped) {
    EXPECT_EQ(normalizeLocalCode("k7f3-a9c2"), "K7F3-A9C2");
    EXPECT_EQ(normalizeLocalCode("K7F3A9C2"), "K7F3-A9C2");
    EXPECT_EQ(normalizeLocalCode(" K7F3 A9C2 "), "K7F3-A9C2");
    EXPECT_EQ(normalizeLocalCode("OIL0-0000"), "0110-0000");
    EXPECT_EQ(normalizeLocalCode("K7F3-A9CU"), std::nullopt);  // U is not a symbol
    EXPECT_EQ(normalizeLocalCode("K7F3-A9C"), std::nullopt);
    EXPECT_EQ(normalizeLocalCode("K7F3-A9C22"), std::nullopt);
    EXPECT_EQ(normalizeLocalCode("K7F3_A9C2"), std::nullopt);
    EXPECT_EQ(normalizeLocalCode(""), std::nullopt);
}

}  // namespace
}  // namespace talon::kiosk
