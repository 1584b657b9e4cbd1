// AnnouncementStore: the notices the waiting-room boards show (docs/api.md, Announcements).
// Its table lives in QueueStore's database and every change is a QueueStore write step: durable
// before the answer, in the same event log, so boards replay it by Last-Event-ID.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "talon/common/domain.h"
#include "talon/common/result.h"
#include "talon/common/time.h"
#include "talon/server/queue_store.h"

namespace talon::server {

class AnnouncementStore {
public:
    static constexpr int kMaxLive = 100;          // not deleted and not ended
    static constexpr size_t kMaxTextBytes = 500;  // per language
    static constexpr size_t kMaxImageName = 100;
    static constexpr int kListAllLimit = 500;  // list(true) gives the newest this many

    /// `imagesDir`: the folder image names refer to (the assets' announcements/, served at
    /// /announcements/).
    AnnouncementStore(QueueStore& store, const Clock& clock, std::filesystem::path imagesDir);

    /// Not deleted and not yet ended (ones that start later included), newest first; with
    /// `includeEnded` the ended ones too (the newest kListAllLimit). Errors: storage.
    Result<std::vector<Announcement>> list(bool includeEnded = false) const;
    /// Stores a new announcement (id and createdAt are set here) and publishes
    /// `announcement.created`. Errors: bad_request (see validate()), too_many_announcements
    /// (409) when kMaxLive are live and this one would be too, storage.
    Result<Announcement> create(const Announcement& draft);
    /// Replaces the texts, image, times and priority of `id`, keeping its createdAt, and
    /// publishes `announcement.updated`. Errors: as create(); unknown_announcement (404, also
    /// for a deleted one).
    Result<Announcement> update(int64_t id, const Announcement& draft);
    /// Marks it deleted (the row stays for history) and publishes `announcement.deleted`.
    /// Errors: unknown_announcement (404, also when already deleted), storage.
    Status remove(int64_t id);

    /// Checks a draft: texts for at least one language (codes of 2–3 lowercase letters), each
    /// 1–500 bytes of valid UTF-8 with something visible and no control characters; image a
    /// plain file name ([A-Za-z0-9._-], 1–100, not starting with '.') of a file in imagesDir;
    /// ends after it starts; priority normal or urgent. Errors: bad_request whose `detail`
    /// parameter is the catalog key naming the field ("detail.announcement_*").
    Status validate(const Announcement& draft) const;

private:
    QueueStore& m_store;
    const Clock& m_clock;
    std::filesystem::path m_imagesDir;
};

}  // namespace talon::server
