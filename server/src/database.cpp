// Schema migrations. Append a migration; never edit one that has shipped.
#include "talon/server/database.h"

#include <SQLiteCpp/Transaction.h>

#include <array>

namespace talon::server {
namespace {

constexpr std::array kMigrations = {
    // 1: services, windows, tickets, the event log.
    R"sql(
CREATE TABLE services (
    id INTEGER PRIMARY KEY,
    letter TEXT NOT NULL UNIQUE,
    names TEXT NOT NULL,                 -- JSON {"ru": "...", "en": "..."}
    position INTEGER NOT NULL,
    target_wait_minutes INTEGER NOT NULL DEFAULT 15,
    active INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE windows (
    number INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE window_services (
    window INTEGER NOT NULL REFERENCES windows(number),
    service_id INTEGER NOT NULL REFERENCES services(id),
    weight REAL NOT NULL DEFAULT 1,
    PRIMARY KEY (window, service_id)
);
CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    service_id INTEGER NOT NULL REFERENCES services(id),
    day TEXT NOT NULL,                   -- business day, local date YYYY-MM-DD
    seq INTEGER NOT NULL,                -- 1, 2, ... within service and day
    number TEXT NOT NULL,                -- "A001"
    status TEXT NOT NULL CHECK (status IN ('waiting', 'called', 'done')),
    priority TEXT NOT NULL DEFAULT 'normal',
    issued_at INTEGER NOT NULL,          -- ms since epoch, UTC
    called_at INTEGER,
    finished_at INTEGER,
    window INTEGER,
    idempotency_key TEXT UNIQUE,
    UNIQUE (service_id, day, seq)
);
CREATE INDEX tickets_waiting ON tickets(status, service_id, priority, issued_at, id);
CREATE INDEX tickets_window ON tickets(window, status);
CREATE INDEX tickets_called ON tickets(day, called_at);
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO meta(key, value) VALUES ('log_id', lower(hex(randomblob(8))));
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL,
    data TEXT NOT NULL,                  -- JSON, as sent on the stream
    created_at INTEGER NOT NULL
);
)sql",
    // 2: the full ticket lifecycle (serving, no-show, cancelled; recalls, transfers, outcome),
    // the transitions log and window pauses. The status CHECK changes, so tickets is rebuilt.
    R"sql(
CREATE TABLE tickets_v2 (
    id INTEGER PRIMARY KEY,
    service_id INTEGER NOT NULL REFERENCES services(id),        -- now (a transfer changes it)
    origin_service_id INTEGER NOT NULL REFERENCES services(id), -- whose numbering it took
    day TEXT NOT NULL,
    seq INTEGER NOT NULL,
    number TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('waiting', 'called', 'serving', 'done', 'no_show', 'cancelled')),
    priority TEXT NOT NULL DEFAULT 'normal',
    issued_at INTEGER NOT NULL,
    called_at INTEGER,                   -- first call
    last_called_at INTEGER,              -- latest call or recall
    started_at INTEGER,
    finished_at INTEGER,
    window INTEGER,
    recalls INTEGER NOT NULL DEFAULT 0,
    outcome TEXT,
    assigned_window INTEGER,             -- transferred to this window
    appointment_at INTEGER,
    ewt_seconds INTEGER,                 -- the wait estimated when it was issued
    idempotency_key TEXT UNIQUE,
    UNIQUE (origin_service_id, day, seq)
);
INSERT INTO tickets_v2(id, service_id, origin_service_id, day, seq, number, status, priority, issued_at, called_at, last_called_at,
                       finished_at, window, idempotency_key)
    SELECT id, service_id, service_id, day, seq, number, status, priority, issued_at, called_at, called_at, finished_at,
           window, idempotency_key FROM tickets;
DROP TABLE tickets;
ALTER TABLE tickets_v2 RENAME TO tickets;
CREATE INDEX tickets_open_number ON tickets(origin_service_id, number) WHERE status IN ('waiting', 'called', 'serving');
CREATE INDEX tickets_status ON tickets(status);
CREATE INDEX tickets_called ON tickets(day, called_at);
CREATE INDEX tickets_service_done ON tickets(service_id, finished_at) WHERE status = 'done';
CREATE TABLE ticket_transitions (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    at INTEGER NOT NULL,
    action TEXT NOT NULL,                -- issue, call, call_specific, recall, start, done, no_show,
                                         -- no_show_auto, return, transfer, cancel, expire
    from_status TEXT,
    to_status TEXT NOT NULL,
    window INTEGER,
    clerk TEXT,
    detail TEXT                          -- JSON: outcome, transfer target and note, ...
);
CREATE INDEX ticket_transitions_ticket ON ticket_transitions(ticket_id, at);
ALTER TABLE windows ADD COLUMN state TEXT NOT NULL DEFAULT 'open';
ALTER TABLE windows ADD COLUMN pause_reason TEXT;
)sql",
    // 3: kiosks report their printer so staff see a broken one.
    R"sql(
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    printer TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL
);
)sql",
    // 4: announcements for the waiting-room boards. Deleting one marks it, so the history of
    // what the boards showed stays (every version is also in the event log).
    R"sql(
CREATE TABLE announcements (
    id INTEGER PRIMARY KEY,
    texts TEXT NOT NULL,                 -- JSON {"ru": "...", "en": "..."}
    image TEXT NOT NULL DEFAULT '',      -- file name under assets/announcements/; '' none
    starts_at INTEGER,                   -- ms since epoch, UTC; NULL: at once
    ends_at INTEGER,                     -- NULL: until deleted
    priority TEXT NOT NULL CHECK (priority IN ('normal', 'urgent')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted_at INTEGER                   -- set when deleted; such rows are never shown
);
CREATE INDEX announcements_live ON announcements(ends_at) WHERE deleted_at IS NULL;
)sql",
    // 5: clerk and administrator logins. Passwords are kept only as Argon2id hashes and
    // session tokens only as BLAKE2b hashes, so a copy of the file opens no console.
    R"sql(
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL UNIQUE COLLATE NOCASE,  -- lower case Latin letters, digits, . _ -
    name TEXT NOT NULL,                  -- as shown, e.g. "Иванова А."
    password_hash TEXT NOT NULL,         -- crypto_pwhash_str: algorithm, cost and salt inside
    role TEXT NOT NULL CHECK (role IN ('clerk', 'admin')),
    windows TEXT NOT NULL DEFAULT '[]',  -- JSON list of the window numbers the user may take
    active INTEGER NOT NULL DEFAULT 1,
    demo INTEGER NOT NULL DEFAULT 0,     -- a seeded demo account still on its public password
    created_at INTEGER NOT NULL
);
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,     -- hex BLAKE2b-256 of the token the client holds
    user_id INTEGER NOT NULL REFERENCES users(id),
    window INTEGER,                      -- the window chosen; NULL: none yet (or taken over)
    services TEXT NOT NULL DEFAULT '[]', -- JSON list of the service letters chosen
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,       -- refreshed at most once a minute
    expires_at INTEGER NOT NULL          -- the absolute end, however active
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_window ON sessions(window) WHERE window IS NOT NULL;
CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL,                 -- as typed, lower case (also logins that do not exist)
    address TEXT NOT NULL,               -- the client's IP address
    at INTEGER NOT NULL,
    ok INTEGER NOT NULL
);
CREATE INDEX login_attempts_login ON login_attempts(login, at);
CREATE INDEX login_attempts_address ON login_attempts(address, at);
)sql",
    // 6: a clerk's figures for the day (GET /api/v1/me/stats) read only that clerk's steps
    // since the day began, however long the transitions log grows.
    R"sql(
CREATE INDEX ticket_transitions_clerk ON ticket_transitions(clerk, at) WHERE clerk IS NOT NULL;
)sql",
    // 7: accounts and meters from the billing system (`talon-server import-accounts`, which
    // replaces all three tables' contents at once) and each meter zone's last reading.
    R"sql(
CREATE TABLE accounts (
    number TEXT PRIMARY KEY CHECK (length(number) BETWEEN 6 AND 20 AND number NOT GLOB '*[^0-9]*'),
    holder_name TEXT NOT NULL,
    address TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'closed'))
);
CREATE TABLE meters (
    serial TEXT PRIMARY KEY,
    account_number TEXT NOT NULL REFERENCES accounts(number),
    tariff TEXT NOT NULL CHECK (tariff IN ('single', 'day_night', 'three_zone')),
    whole_digits INTEGER NOT NULL CHECK (whole_digits BETWEEN 1 AND 9),
    decimal_digits INTEGER NOT NULL CHECK (decimal_digits BETWEEN 0 AND 3),
    calibration_due TEXT CHECK (calibration_due IS NULL OR calibration_due GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    usual_kwh_per_day REAL                -- NULL: not known
);
CREATE INDEX meters_account ON meters(account_number);
CREATE TABLE meter_last_readings (
    serial TEXT NOT NULL REFERENCES meters(serial),
    zone TEXT NOT NULL,                   -- as talon::meter::zonesOf names it: total, day, night, ...
    value INTEGER NOT NULL CHECK (value >= 0),  -- in the register's smallest step (meter_reading.h)
    read_on TEXT NOT NULL CHECK (read_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    PRIMARY KEY (serial, zone)
) WITHOUT ROWID;
)sql",
    // 8: meter readings handed in at the kiosk (POST /api/v1/readings). One submission is one
    // meter with every zone of its tariff under one confirmation number. No foreign keys to
    // accounts or meters: an import replaces those, and what was accepted must stay for billing.
    R"sql(
CREATE TABLE reading_submissions (
    id INTEGER PRIMARY KEY,
    confirmation TEXT NOT NULL UNIQUE,    -- "R-2026-000123"
    year INTEGER NOT NULL,                -- of acceptance, office-local
    seq INTEGER NOT NULL,                 -- 1, 2, ... within the year
    idempotency_key TEXT NOT NULL UNIQUE,
    fingerprint TEXT NOT NULL,            -- account, meter and values as sent: a reused key must match
    account_number TEXT NOT NULL,
    meter INTEGER NOT NULL,               -- the meter's 1-based place in the account's list then
    serial TEXT NOT NULL,                 -- in full (billing needs it)
    period TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),  -- of taken_on
    taken_at INTEGER NOT NULL,            -- ms since epoch, UTC: when the visitor typed it
    taken_on TEXT NOT NULL CHECK (taken_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),  -- office-local
    accepted_at INTEGER NOT NULL,         -- ms since epoch, UTC: when the server took it
    outside_window INTEGER NOT NULL,
    confirmed INTEGER NOT NULL,           -- the visitor confirmed an implausible consumption
    kiosk TEXT,                           -- X-Talon-Kiosk
    local_code TEXT,                      -- the kiosk's outbox code on its receipt
    UNIQUE (year, seq)
);
CREATE INDEX reading_submissions_taken ON reading_submissions(taken_on);
CREATE INDEX reading_submissions_meter ON reading_submissions(serial, period);
CREATE TABLE submitted_readings (
    submission_id INTEGER NOT NULL,       -- reading_submissions.id
    serial TEXT NOT NULL,
    zone TEXT NOT NULL,
    period TEXT NOT NULL,
    position INTEGER NOT NULL,            -- the zone's place in the tariff (meter::zonesOf)
    value INTEGER NOT NULL CHECK (value >= 0),   -- in the register's smallest step
    previous INTEGER,                     -- the last reading it was checked against; NULL: none
    consumption INTEGER NOT NULL,         -- units since previous (0 without one)
    rollover INTEGER NOT NULL,
    decimal_digits INTEGER NOT NULL CHECK (decimal_digits BETWEEN 0 AND 3),
    UNIQUE (serial, zone, period),        -- one accepted reading per meter zone and month
    PRIMARY KEY (submission_id, position)
);
)sql",
    // 9: a reading the kiosk's outbox delivered after the visitor left that would have been
    // refused at the kiosk (below the previous one, implausibly high, taken over 31 days
    // before): accepted for billing to review rather than lost.
    R"sql(
ALTER TABLE submitted_readings ADD COLUMN review INTEGER NOT NULL DEFAULT 0;
)sql",
    // 10: appeals (issue 8): complaints, requests, questions and suggestions with a registration
    // number per year, a deadline in working days, their lifecycle and every change in a history.
    // Categories are configurable, so no CHECK on them. Personal data (name, contacts, text,
    // answer, notes) becomes NULL after the retention period; the rest stays for statistics.
    R"sql(
CREATE TABLE appeals (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,          -- "Ж-2026-000123"
    year INTEGER NOT NULL,                -- of registration, office-local
    seq INTEGER NOT NULL,                 -- 1, 2, ... within the year, no gaps
    idempotency_key TEXT NOT NULL UNIQUE,
    fingerprint TEXT NOT NULL,            -- the request as sent: a reused key must match
    type TEXT NOT NULL CHECK (type IN ('complaint', 'request', 'question', 'suggestion')),
    category TEXT NOT NULL,
    urgent INTEGER NOT NULL CHECK (urgent IN (0, 1)),
    status TEXT NOT NULL CHECK (status IN ('registered', 'assigned', 'in_progress', 'answered', 'closed')),
    text TEXT,
    name TEXT,
    phone TEXT,                           -- normalised: '+' if given, digits
    phone_last4 TEXT,                     -- for the visitor's status check
    email TEXT,
    address TEXT,
    reply_channel TEXT NOT NULL CHECK (reply_channel IN ('phone', 'email', 'letter', 'sms')),
    consent_at INTEGER NOT NULL,          -- ms since epoch, UTC: consent given with the appeal
    account_number TEXT,
    registered_at INTEGER NOT NULL,       -- ms since epoch, UTC
    registered_on TEXT NOT NULL CHECK (registered_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    due_on TEXT NOT NULL CHECK (due_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    original_due_on TEXT NOT NULL,
    assigned_to TEXT,
    answer TEXT,
    answer_channel TEXT CHECK (answer_channel IN ('phone', 'email', 'letter', 'sms')),
    answered_at INTEGER,
    answered_on TEXT,                     -- office-local date, compared with due_on
    closed_at INTEGER,
    satisfaction INTEGER CHECK (satisfaction BETWEEN 1 AND 5),
    kiosk TEXT,
    local_code TEXT,                      -- the kiosk outbox's code on the visitor's receipt
    personal_data_removed_at INTEGER,
    UNIQUE (year, seq)
);
CREATE INDEX appeals_open_due ON appeals(status, due_on);
CREATE INDEX appeals_registered ON appeals(registered_on);
CREATE INDEX appeals_local_code ON appeals(local_code) WHERE local_code IS NOT NULL;
CREATE TABLE appeal_sequences (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL                 -- the last number given in that year
);
CREATE TABLE appeal_history (
    id INTEGER PRIMARY KEY,
    appeal_id INTEGER NOT NULL REFERENCES appeals(id),
    at INTEGER NOT NULL,                  -- ms since epoch, UTC
    author TEXT NOT NULL,                 -- staff login, or the kiosk that registered it
    action TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    note TEXT,
    detail TEXT NOT NULL DEFAULT '{}'     -- JSON: assignee, due dates, channel, satisfaction
);
CREATE INDEX appeal_history_appeal ON appeal_history(appeal_id, id);
)sql",
};

}  // namespace

int latestSchemaVersion() { return static_cast<int>(kMigrations.size()); }

Result<std::unique_ptr<SQLite::Database>> openDatabase(const std::string& path) {
    try {
        auto db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db->setBusyTimeout(5000);
        db->exec("PRAGMA journal_mode=WAL");
        db->exec("PRAGMA synchronous=FULL");
        int version = db->execAndGet("PRAGMA user_version").getInt();
        if (version > latestSchemaVersion()) {
            return makeError(ErrorKind::Storage, "schema_too_new",
                             path + " was written by a newer Talon (schema " + std::to_string(version) +
                                 ", this build knows " + std::to_string(latestSchemaVersion()) +
                                 "). Upgrade talon-server or restore a backup.");
        }
        // Foreign keys stay off while tables are rebuilt (SQLite's documented procedure).
        for (; version < latestSchemaVersion(); ++version) {
            SQLite::Transaction tx(*db, SQLite::TransactionBehavior::IMMEDIATE);
            db->exec(kMigrations[static_cast<size_t>(version)]);
            db->exec("PRAGMA user_version=" + std::to_string(version + 1));
            tx.commit();
        }
        db->exec("PRAGMA foreign_keys=ON");
        return db;
    } catch (const SQLite::Exception& e) {
        return makeError(ErrorKind::Storage, "db_open",
                         "cannot open the database " + path + ": " + e.what());
    }
}

}  // namespace talon::server
