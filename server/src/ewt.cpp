// The EWT projection. Queues are kept as sorted lists per (assigned window, service, class);
// only their heads are ever candidates, exactly as in the store's call-next.
#include "talon/server/ewt.h"

#include <algorithm>
#include <cmath>
#include <queue>

namespace talon::ewt {
namespace {

struct Queue {
    std::vector<const QueuedTicket*> items;  // in routing order
    size_t head = 0;
    bool empty() const { return head >= items.size(); }
};

}  // namespace

Output project(const Input& in) {
    Output out;
    // Virtual tickets (id < 0) for "a ticket taken now" join the end of their service's
    // normal queue and take no window time, so they do not delay one another.
    std::vector<QueuedTicket> virtuals;
    virtuals.reserve(in.newTicketServices.size());
    for (size_t i = 0; i < in.newTicketServices.size(); ++i) {
        virtuals.push_back({-static_cast<int64_t>(i) - 1, in.newTicketServices[i], Priority::Normal, in.now, {}, {}});
    }
    // Expected future arrivals, evenly spaced at each service's recent rate. Ids from
    // kFutureBase down: they take window time but are not estimated themselves.
    constexpr int64_t kFutureBase = -1'000'000;
    std::vector<QueuedTicket> future;
    int64_t nextFuture = kFutureBase;
    for (const auto& [service, rate] : in.arrivalsPerSecond) {
        if (rate <= 0) continue;
        const double gap = 1.0 / rate;
        for (double t = gap * 0.5; t < in.horizonSeconds && future.size() < 20000; t += gap) {
            future.push_back({nextFuture--, service, Priority::Normal,
                              in.now + std::chrono::milliseconds(static_cast<int64_t>(t * 1000)), {}, {}});
        }
    }
    size_t targets = in.waiting.size() + virtuals.size();

    // Queue key: assigned window (0: none), service, priority.
    std::map<std::tuple<int, std::string, int>, Queue> queues;
    auto add = [&](const QueuedTicket& t) {
        queues[{t.assignedWindow.value_or(0), t.assignedWindow ? std::string{} : t.service,
                static_cast<int>(t.priority)}]
            .items.push_back(&t);
    };
    for (const auto& t : in.waiting) add(t);
    for (const auto& t : virtuals) add(t);
    for (const auto& t : future) add(t);
    for (auto& [key, q] : queues) {
        std::stable_sort(q.items.begin(), q.items.end(), [&](const QueuedTicket* a, const QueuedTicket* b) {
            const WallTime ka = a->appointmentAt.value_or(a->issuedAt), kb = b->appointmentAt.value_or(b->issuedAt);
            if (ka != kb) return ka < kb;
            // At the same instant: real tickets, then "taken now", then imagined future ones.
            auto kind = [](const QueuedTicket* t) { return t->id >= 0 ? 0 : (t->id > kFutureBase ? 1 : 2); };
            if (kind(a) != kind(b)) return kind(a) < kind(b);
            return a->id < b->id;
        });
    }

    struct Win {
        const OpenWindow* w;
        double freeAt;
        std::vector<Queue*> queues;
    };
    std::vector<Win> wins;
    for (const auto& w : in.windows) {
        Win win{&w, std::max(0.0, w.busySeconds), {}};
        for (auto& [key, q] : queues) {
            const auto& [assigned, service, prio] = key;
            if ((assigned == w.number) || (assigned == 0 && w.policies.count(service))) win.queues.push_back(&q);
        }
        if (!win.queues.empty()) wins.push_back(std::move(win));
    }
    auto later = [&](size_t a, size_t b) { return wins[a].freeAt > wins[b].freeAt; };
    std::priority_queue<size_t, std::vector<size_t>, decltype(later)> heap(later);
    for (size_t i = 0; i < wins.size(); ++i) heap.push(i);

    std::vector<routing::Candidate> candidates;
    std::vector<Queue*> from;
    // Each step assigns a ticket or moves a window forward in time; the cap only guards
    // against a mistake here ever holding a request.
    size_t steps = 0;
    const size_t maxSteps = 8 * (in.waiting.size() + virtuals.size() + future.size() + wins.size()) + 1000;
    while (!heap.empty() && targets > 0 && ++steps < maxSteps) {
        const size_t wi = heap.top();
        heap.pop();
        Win& win = wins[wi];
        // A window free during a planned break takes its next visitor when the break ends.
        bool moved = false;
        for (const auto& [from, to] : win.w->breaks) {
            if (win.freeAt >= from && win.freeAt < to) {
                win.freeAt = to;
                moved = true;
            }
        }
        if (moved) {
            heap.push(wi);
            continue;
        }
        const WallTime at = in.now + std::chrono::milliseconds(static_cast<int64_t>(std::ceil(win.freeAt * 1000)));
        candidates.clear();
        from.clear();
        std::optional<WallTime> nextArrival;  // the earliest head not yet arrived
        for (Queue* q : win.queues) {
            if (q->empty()) continue;
            const QueuedTicket* t = q->items[q->head];
            if (t->issuedAt > at) {
                if (!nextArrival || t->issuedAt < *nextArrival) nextArrival = t->issuedAt;
                continue;
            }
            candidates.push_back({t->id, t->service, t->priority, t->issuedAt,
                                  t->assignedWindow.has_value(), t->appointmentAt});
            from.push_back(q);
        }
        auto pick = routing::pickNext(candidates, win.w->policies, at);
        if (!pick) {
            if (nextArrival) {  // idle until the next visitor it could serve walks in
                // Rounded up to the next millisecond, so that visitor has arrived by then.
                win.freeAt = std::max(win.freeAt, std::chrono::duration<double>(*nextArrival - in.now).count() + 0.001);
                heap.push(wi);
            }
            continue;  // otherwise nothing is left this window can take: it retires
        }
        const QueuedTicket* t = from[*pick]->items[from[*pick]->head++];
        if (t->id < 0 && t->id > kFutureBase) {
            out.newTicketSeconds[t->service] = win.freeAt;
            --targets;
        } else {
            if (t->id >= 0) {
                out.waitSeconds[t->id] = win.freeAt;
                --targets;
            }
            auto st = in.serviceSeconds.find(t->service);
            win.freeAt += st == in.serviceSeconds.end() ? 300.0 : st->second;
        }
        heap.push(wi);
    }
    return out;
}

}  // namespace talon::ewt
