#include "snnipred/calibrate/cpu_share.h"

#include <cstdint>
#include <latch>
#include <thread>
#include <vector>

#include "party_pair.h"
#include "snnipred/core/error.h"
#include "snnipred/core/statistics.h"

namespace snnipred::calibrate {
namespace {

using Clock = std::chrono::steady_clock;

// A fixed CPU-bound kernel (a multiply-xorshift chain in registers, no memory traffic)
// run until `window` of wall time has passed; returns this thread's CPU seconds per wall
// second over it.
double busy_share(std::chrono::milliseconds window) {
    const auto start = Clock::now();
    const double cpu_start = detail::thread_cpu_seconds();
    std::uint64_t state = 0x9e3779b97f4a7c15ULL;
    auto now = start;
    while (now - start < window) {
        for (int i = 0; i < 20000; ++i) {
            state ^= state >> 29;
            state *= 0xbf58476d1ce4e5b9ULL;
        }
        now = Clock::now();
    }
    // Keep the chain: its result is read.
    volatile std::uint64_t sink = state;
    static_cast<void>(sink);
    return (detail::thread_cpu_seconds() - cpu_start) / std::chrono::duration<double>(now - start).count();
}

// Two threads busy over the same window: the CPU seconds per wall second they got together.
double pair_share(std::chrono::milliseconds window) {
    std::latch both_ready(2);
    double other = 0;
    std::jthread second([&] {
        both_ready.arrive_and_wait();
        other = busy_share(window);
    });
    both_ready.arrive_and_wait();
    const double mine = busy_share(window);
    second.join();
    return mine + other;
}

}  // namespace

machine::CpuShare measure_cpu_share(int windows, std::chrono::milliseconds window) {
    SNNIPRED_CHECK(windows >= 1 && window.count() > 0, InvalidInput,
                   "CPU share: needs at least one window of positive length");
    std::vector<double> single, pair;
    // Alternating, so a burst of neighbours' load lands in both medians alike.
    for (int i = 0; i < windows; ++i) {
        single.push_back(busy_share(window));
        pair.push_back(pair_share(window));
    }
    return {median(single), median(pair), windows};
}

}  // namespace snnipred::calibrate
