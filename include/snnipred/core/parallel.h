#pragma once
// Data parallelism for the local work of the protocols (engine SecureOptions::threads):
// an index range is cut into one contiguous chunk per thread, the calling thread taking
// the first. Messages stay on the caller's thread, so what crosses a channel and in which
// order never depends on the thread count.

#include <algorithm>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace snnipred {

/// Calls body(begin, end) once per chunk of [0, count), on min(threads, count) threads.
/// With threads <= 1 (or count <= 1) one call body(0, count) on the calling thread.
/// Chunks must only touch state of their own indices (or their own scratch); the first
/// exception a chunk throws is rethrown here once every thread has finished.
template <typename Body>
void parallel_chunks(int threads, std::size_t count, Body&& body) {
    const std::size_t workers = std::min<std::size_t>(threads < 1 ? 1 : static_cast<std::size_t>(threads), count);
    if (workers <= 1) {
        body(std::size_t{0}, count);
        return;
    }
    std::vector<std::exception_ptr> errors(workers);
    const auto chunk = [&](std::size_t w) {
        try {
            body(count * w / workers, count * (w + 1) / workers);
        } catch (...) {
            errors[w] = std::current_exception();
        }
    };
    {
        std::vector<std::jthread> pool;
        for (std::size_t w = 1; w < workers; ++w) pool.emplace_back(chunk, w);
        chunk(0);
    }
    for (const std::exception_ptr& error : errors)
        if (error) std::rethrow_exception(error);
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
