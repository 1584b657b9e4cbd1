// Worker: one background thread that runs blocking jobs (HTTP calls) in order, off the UI thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace talon {

class Worker {
public:
    using Job = std::function<void()>;
    Worker() : m_thread([this] { run(); }) {}
    ~Worker() {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_cv.notify_all();
        m_thread.join();
    }
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    void submit(Job job) {
        {
            std::lock_guard lock(m_mutex);
            m_jobs.push_back(std::move(job));
        }
        m_cv.notify_all();
    }

    /// Forgets the jobs not started yet (a closing program need not wait for them).
    void dropPending() {
        std::lock_guard lock(m_mutex);
        m_jobs.clear();
    }

    /// True when no job is queued or running.
    bool idle() const {
        std::lock_guard lock(m_mutex);
        return m_jobs.empty() && !m_running;
    }

    /// Blocks until idle or the timeout passes; returns idle().
    bool waitIdle(std::chrono::milliseconds timeout) {
        std::unique_lock lock(m_mutex);
        return m_cv.wait_for(lock, timeout, [this] { return m_jobs.empty() && !m_running; });
    }

private:
    void run() {
        std::unique_lock lock(m_mutex);
        for (;;) {
            m_cv.wait(lock, [this] { return m_stop || !m_jobs.empty(); });
            if (m_jobs.empty()) return;  // stopping with nothing left
            Job job = std::move(m_jobs.front());
            m_jobs.pop_front();
            m_running = true;
            lock.unlock();
            job();
            lock.lock();
            m_running = false;
            m_cv.notify_all();
        }
    }

    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<Job> m_jobs;
    bool m_running = false;
    bool m_stop = false;
    std::thread m_thread;
};

}  // namespace talon
