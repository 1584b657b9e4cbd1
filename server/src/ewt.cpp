// The EWT projection. Queues are kept as sorted lists per (assigned window, service, class);
// only their heads are ever candidates, exactly as in the store's call-next.
#include "talon/server/ewt.h"

#include <algorithm>
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

    // Queue key: assigned window (0: none), service, priority.
    std::map<std::tuple<int, std::string, int>, Queue> queues;
    auto add = [&](const QueuedTicket& t) {
        queues[{t.assignedWindow.value_or(0), t.assignedWindow ? std::string{} : t.service,
                static_cast<int>(t.priority)}]
            .items.push_back(&t);
    };
    for (const auto& t : in.waiting) add(t);
    for (const auto& t : virtuals) add(t);
    for (auto& [key, q] : queues) {
        std::stable_sort(q.items.begin(), q.items.end(), [](const QueuedTicket* a, const QueuedTicket* b) {
            const WallTime ka = a->appointmentAt.value_or(a->issuedAt), kb = b->appointmentAt.value_or(b->issuedAt);
            if (ka != kb) return ka < kb;
            // Virtual tickets (negative ids) go after real ones issued at the same instant.
            if ((a->id < 0) != (b->id < 0)) return b->id < 0;
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
    while (!heap.empty()) {
        const size_t wi = heap.top();
        heap.pop();
        Win& win = wins[wi];
        const WallTime at = in.now + std::chrono::milliseconds(static_cast<int64_t>(win.freeAt * 1000));
        candidates.clear();
        from.clear();
        for (Queue* q : win.queues) {
            if (q->empty()) continue;
            const QueuedTicket* t = q->items[q->head];
            candidates.push_back({t->id, t->service, t->priority, t->issuedAt,
                                  t->assignedWindow.has_value(), t->appointmentAt});
            from.push_back(q);
        }
        auto pick = routing::pickNext(candidates, win.w->policies, at);
        if (!pick) continue;  // nothing left this window can take: it retires
        const QueuedTicket* t = from[*pick]->items[from[*pick]->head++];
        if (t->id < 0) {
            out.newTicketSeconds[t->service] = win.freeAt;
        } else {
            out.waitSeconds[t->id] = win.freeAt;
            auto st = in.serviceSeconds.find(t->service);
            win.freeAt += st == in.serviceSeconds.end() ? 300.0 : st->second;
        }
        heap.push(wi);
    }
    return out;
}

}  // namespace talon::ewt
