#pragma once
// The process-wide worker threads behind parallel_chunks (core/parallel.h). Starting and
// joining threads on every call cost more than many of the OT layer's batches hold, so
// the threads are made once, on first use, and grown when a call asks for more; they
// are never shrunk.
//
// A call's tasks are claimed from one counter by the caller and by the workers, so the
// caller works instead of waiting while its tasks sit behind another caller's; a call
// made on a worker runs inline (the caller of parallel_chunks decides that), so nested
// parallelism can never wait on the threads it occupies. A forked child (the engine's
// server, `serve`'s children) does not inherit the parent's threads: it gets a pool of
// its own, and the parent's is never touched there.

#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

namespace snnipred {

class ThreadPool {
public:
    /// This process's pool. Never destroyed: at exit its idle workers end with the process
    /// (a child's inherited copy holds threads that do not exist and must not be joined).
    static ThreadPool& shared() {
        static std::atomic<ThreadPool*> pool{nullptr};
        static std::atomic<pid_t> owner{0};
        static std::mutex creating;
        const pid_t pid = ::getpid();
        if (owner.load(std::memory_order_acquire) != pid) {
            const std::lock_guard lock(creating);
            if (owner.load(std::memory_order_relaxed) != pid) {
                pool.store(new ThreadPool, std::memory_order_relaxed);
                owner.store(pid, std::memory_order_release);
            }
        }
        return *pool.load(std::memory_order_relaxed);
    }

    /// True on one of the pool's worker threads.
    static bool on_worker() { return worker_flag(); }

    /// Runs task(i) for every i in [0, tasks) on the calling thread and up to tasks − 1
    /// workers (created if the pool has fewer); returns once all have finished, then
    /// rethrows the exception of the lowest i that threw, if any.
    void run(std::size_t tasks, const std::function<void(std::size_t)>& task) {
        if (tasks == 0) return;
        const std::size_t helpers = tasks - 1;
        ensure_workers(helpers);
        const auto job = std::make_shared<Job>(task, tasks);
        {
            const std::lock_guard lock(mutex_);
            for (std::size_t h = 0; h < helpers; ++h) queue_.push_back(job);
        }
        wake_.notify_all();
        job->work();
        job->wait();
        for (const std::exception_ptr& error : job->errors)
            if (error) std::rethrow_exception(error);
    }

    /// Worker threads made so far.
    std::size_t workers() {
        const std::lock_guard lock(mutex_);
        return threads_.size();
    }

private:
    // One run(): its tasks, claimed by index; shared by the queue entries and the caller,
    // so a worker that pops it after the caller returned finds nothing left and drops it.
    struct Job {
        Job(const std::function<void(std::size_t)>& task, std::size_t tasks)
            : task(&task), tasks(tasks), errors(tasks) {}

        // Claims and runs tasks until none is left unclaimed.
        void work() {
            for (std::size_t i = next.fetch_add(1); i < tasks; i = next.fetch_add(1)) {
                try {
                    (*task)(i);
                } catch (...) {
                    errors[i] = std::current_exception();
                }
                const std::lock_guard lock(mutex);
                if (++done == tasks) finished.notify_all();
            }
        }

        void wait() {
            std::unique_lock lock(mutex);
            finished.wait(lock, [&] { return done == tasks; });
        }

        const std::function<void(std::size_t)>* task;  // read only while tasks are unclaimed
        const std::size_t tasks;
        std::vector<std::exception_ptr> errors;
        std::atomic<std::size_t> next{0};
        std::size_t done = 0;  // guarded by mutex
        std::mutex mutex;
        std::condition_variable finished;
    };

    ThreadPool() = default;

    static bool& worker_flag() {
        thread_local bool on_worker = false;
        return on_worker;
    }

    void ensure_workers(std::size_t count) {
        const std::lock_guard lock(mutex_);
        while (threads_.size() < count) threads_.emplace_back([this](std::stop_token stop) { serve(stop); });
    }

    void serve(std::stop_token stop) {
        worker_flag() = true;
        for (;;) {
            std::shared_ptr<Job> job;
            {
                std::unique_lock lock(mutex_);
                if (!wake_.wait(lock, stop, [&] { return !queue_.empty(); })) return;
                job = std::move(queue_.front());
                queue_.pop_front();
            }
            job->work();
        }
    }

    std::mutex mutex_;
    std::condition_variable_any wake_;
    std::deque<std::shared_ptr<Job>> queue_;
    std::vector<std::jthread> threads_;
};

}  // namespace snnipred
