#include "snnipred/calibrate/cpu_share.h"

#include <algorithm>
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

// A gap this long between two of the kernel's clock reads (tens of microseconds apart) is
// throttling: a CPU quota's budget spent for the rest of its period (50 ms of 100 under
// half a CPU). The waits of a fair share among neighbours are a few time slices, shorter.
// Only the part of the gap the thread's CPU clock did not count is a stall: under a busy
// host a virtual CPU can be taken away while the guest still counts the time as the
// thread's (a CPU share above 1 outside "stalls" otherwise, seen under a loaded test run).
constexpr std::chrono::milliseconds kStall{25};

struct BusyWindow {
    double cpu_s = 0;
    double wall_s = 0;
    double stalled_s = 0;  // in gaps of kStall or more
};

// A fixed CPU-bound kernel (a multiply-xorshift chain in registers, no memory traffic)
// run until `window` of wall time has passed, on this thread.
BusyWindow busy(std::chrono::milliseconds window) {
    const auto start = Clock::now();
    const double cpu_start = detail::thread_cpu_seconds();
    std::uint64_t state = 0x9e3779b97f4a7c15ULL;
    double stalled = 0;
    auto now = start;
    double cpu_now = cpu_start;
    while (now - start < window) {
        for (int i = 0; i < 20000; ++i) {
            state ^= state >> 29;
            state *= 0xbf58476d1ce4e5b9ULL;
        }
        const auto previous = now;
        const double cpu_previous = cpu_now;
        now = Clock::now();
        cpu_now = detail::thread_cpu_seconds();
        if (now - previous >= kStall)
            stalled += std::max(0.0, std::chrono::duration<double>(now - previous).count() - (cpu_now - cpu_previous));
    }
    // Keep the chain: its result is read.
    volatile std::uint64_t sink = state;
    static_cast<void>(sink);
    return {cpu_now - cpu_start, std::chrono::duration<double>(now - start).count(), stalled};
}

double busy_share(std::chrono::milliseconds window) {
    const BusyWindow w = busy(window);
    return w.cpu_s / w.wall_s;
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
    std::vector<double> single, unthrottled, pair;
    // Alternating, so a burst of neighbours' load lands in both medians alike.
    for (int i = 0; i < windows; ++i) {
        const BusyWindow alone = busy(window);
        single.push_back(alone.cpu_s / alone.wall_s);
        // A window stalled throughout has no unthrottled time: it says nothing of the speed.
        if (alone.wall_s > alone.stalled_s) unthrottled.push_back(alone.cpu_s / (alone.wall_s - alone.stalled_s));
        pair.push_back(pair_share(window));
    }
    const double single_share = median(single);
    return {single_share, median(pair), unthrottled.empty() ? single_share : median(unthrottled), windows};
}

}  // namespace snnipred::calibrate
