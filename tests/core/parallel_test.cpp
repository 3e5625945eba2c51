// parallel_chunks / parallel_for on the persistent pool: every index once, chunks as
// documented, real concurrency, exceptions rethrown, nested calls and forked children.

#include "snnipred/core/parallel.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace snnipred {
namespace {

std::vector<int> visits(int threads, std::size_t count) {
    std::vector<int> seen(count, 0);
    parallel_for(threads, count, [&](std::size_t i) { ++seen[i]; });
    return seen;
}

TEST(Parallel, VisitsEveryIndexOnceForAnyCountAndThreads) {
    for (const int threads : {1, 2, 3, 8})
        for (const std::size_t count : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{1000003}}) {
            const std::vector<int> seen = visits(threads, count);
            EXPECT_EQ(std::count(seen.begin(), seen.end(), 1), static_cast<std::ptrdiff_t>(count))
                << threads << " threads, " << count << " indices";
        }
}

TEST(Parallel, CutsContiguousChunksOfNearlyEqualSize) {
    std::mutex mutex;
    std::vector<std::pair<std::size_t, std::size_t>> chunks;
    parallel_chunks(3, 10, [&](std::size_t begin, std::size_t end) {
        const std::lock_guard lock(mutex);
        chunks.emplace_back(begin, end);
    });
    std::sort(chunks.begin(), chunks.end());
    const std::vector<std::pair<std::size_t, std::size_t>> expected{{0, 3}, {3, 6}, {6, 10}};
    EXPECT_EQ(chunks, expected);
}

// True if `threads` chunks ran at the same time: each waits (at most 10 s) for all to start.
bool ran_concurrently(int threads) {
    std::mutex mutex;
    std::condition_variable all_started;
    int started = 0;
    std::atomic<int> met{0};
    parallel_chunks(threads, static_cast<std::size_t>(threads), [&](std::size_t, std::size_t) {
        std::unique_lock lock(mutex);
        ++started;
        all_started.notify_all();
        if (all_started.wait_for(lock, std::chrono::seconds(10), [&] { return started == threads; })) ++met;
    });
    return met == threads;
}

TEST(Parallel, RunsChunksConcurrentlyOnPersistentWorkers) {
    EXPECT_TRUE(ran_concurrently(2));
    EXPECT_TRUE(ran_concurrently(4));
    const std::size_t workers = ThreadPool::shared().workers();
    EXPECT_GE(workers, 3U);
    EXPECT_TRUE(ran_concurrently(4));
    EXPECT_EQ(ThreadPool::shared().workers(), workers);  // reused, not made anew
}

TEST(Parallel, RethrowsTheFirstFailingChunksExceptionAfterAllFinish) {
    std::atomic<int> finished{0};
    try {
        parallel_chunks(4, 4, [&](std::size_t begin, std::size_t) {
            ++finished;
            if (begin >= 1) throw std::runtime_error("chunk " + std::to_string(begin));
        });
        FAIL() << "no exception";
    } catch (const std::runtime_error& error) {
        EXPECT_STREQ(error.what(), "chunk 1");
    }
    EXPECT_EQ(finished, 4);
    EXPECT_EQ(visits(4, 100), std::vector<int>(100, 1));  // the pool still works
}

TEST(Parallel, NestedCallsRunInlineWithoutDeadlock) {
    std::vector<std::atomic<int>> seen(64 * 64);
    parallel_for(4, 64, [&](std::size_t i) {
        parallel_for(4, 64, [&](std::size_t j) { ++seen[i * 64 + j]; });
    });
    for (const auto& count : seen) EXPECT_EQ(count.load(), 1);
}

TEST(Parallel, AForkedChildGetsWorkersOfItsOwn) {
    ASSERT_TRUE(ran_concurrently(2));  // the parent's pool exists
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) _exit(ran_concurrently(2) && visits(3, 1000) == std::vector<int>(1000, 1) ? 0 : 1);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

}  // namespace
}  // namespace snnipred
