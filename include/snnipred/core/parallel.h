#pragma once
// Data parallelism for the local work of the protocols (engine SecureOptions::threads):
// an index range is cut into one contiguous chunk per thread, run by the calling thread
// and the process's persistent workers (core/thread_pool.h). Messages stay on the
// caller's thread, so what crosses a channel and in which order never depends on the
// thread count.

#include <algorithm>
#include <cstddef>

#include "snnipred/core/thread_pool.h"

namespace snnipred {

/// Calls body(begin, end) once per chunk of [0, count), min(threads, count) chunks of
/// (nearly) equal size, on as many threads (the caller among them). With threads <= 1,
/// count <= 1, or when called from a pool worker (a nested call), one call body(0, count)
/// on the calling thread. Chunks must only touch state of their own indices (or their own
/// scratch); if chunks throw, the exception of the first such chunk is rethrown here once
/// every chunk has finished.
template <typename Body>
void parallel_chunks(int threads, std::size_t count, Body&& body) {
    const std::size_t workers = std::min<std::size_t>(threads < 1 ? 1 : static_cast<std::size_t>(threads), count);
    if (workers <= 1 || ThreadPool::on_worker()) {
        body(std::size_t{0}, count);
        return;
    }
    ThreadPool::shared().run(workers, [&](std::size_t w) { body(count * w / workers, count * (w + 1) / workers); });
}

/// Calls body(i) for every i in [0, count), chunked as parallel_chunks does; with
/// threads <= 1 a plain loop on the calling thread.
template <typename Body>
void parallel_for(int threads, std::size_t count, Body&& body) {
    parallel_chunks(threads, count, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) body(i);
    });
}

}  // namespace snnipred
