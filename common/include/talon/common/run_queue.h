// RunQueue: work posted from any thread and run later on the main (UI) thread, so results of
// network calls land in models on the thread that draws them (after Tracy's RunQueue).
#pragma once

#include <functional>
#include <mutex>
#include <vector>

namespace talon {

class RunQueue {
public:
    using Task = std::function<void()>;

    /// Thread-safe. Wakes the main loop through the waker, if one is set.
    void post(Task task) {
        std::function<void()> waker;
        {
            std::lock_guard lock(m_mutex);
            m_tasks.push_back(std::move(task));
            waker = m_waker;
        }
        if (waker) waker();
    }

    /// Runs every queued task on the calling thread; returns how many ran.
    size_t drain() {
        std::vector<Task> tasks;
        {
            std::lock_guard lock(m_mutex);
            tasks.swap(m_tasks);
        }
        for (auto& t : tasks) t();
        return tasks.size();
    }

    bool empty() const {
        std::lock_guard lock(m_mutex);
        return m_tasks.empty();
    }

    /// Called (from the posting thread) after each post; the app shell pushes an SDL event.
    void setWaker(std::function<void()> waker) {
        std::lock_guard lock(m_mutex);
        m_waker = std::move(waker);
    }

private:
    mutable std::mutex m_mutex;
    std::vector<Task> m_tasks;
    std::function<void()> m_waker;
};

}  // namespace talon
