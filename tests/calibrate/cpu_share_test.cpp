#include "snnipred/calibrate/cpu_share.h"

#include <sched.h>

#include <algorithm>
#include <thread>

#include <gtest/gtest.h>

#include "snnipred/core/error.h"

namespace snnipred::calibrate {
namespace {

using std::chrono::milliseconds;

// CPU time cannot exceed the wall time it was spent in: one thread gets at most a core, two
// at most the cores there are (a little slack for the clocks' granularity).
TEST(CpuShare, IsAtMostTheCoresThereAre) {
    const machine::CpuShare share = measure_cpu_share(3, milliseconds(100));
    const double cores = std::min(2u, std::max(1u, std::thread::hardware_concurrency()));
    EXPECT_GT(share.single_thread_share, 0.0);
    EXPECT_LE(share.single_thread_share, 1.05);
    EXPECT_GT(share.concurrent_cores, 0.0);
    EXPECT_LE(share.concurrent_cores, cores + 0.1);
    EXPECT_EQ(share.windows, 3);
    // Leaving out the stalls can only raise a window's share, and never above a core.
    EXPECT_GE(share.unthrottled_share, share.single_thread_share);
    EXPECT_LE(share.unthrottled_share, 1.05);
}

// Restricted to one CPU (as a quota of one core would), the two threads share it: together
// they get at most one core, whatever the machine has.
TEST(CpuShare, SeesTwoThreadsSharingOneCpu) {
    cpu_set_t all;
    ASSERT_EQ(sched_getaffinity(0, sizeof all, &all), 0);
    int first = 0;
    while (!CPU_ISSET(first, &all)) ++first;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(first, &one);
    ASSERT_EQ(sched_setaffinity(0, sizeof one, &one), 0);
    const machine::CpuShare share = measure_cpu_share(3, milliseconds(100));
    sched_setaffinity(0, sizeof all, &all);
    EXPECT_LE(share.concurrent_cores, 1.05);
    EXPECT_GT(share.concurrent_cores, 0.0);
    EXPECT_LE(share.single_thread_share, 1.05);
}

TEST(CpuShare, NeedsAWindow) {
    EXPECT_THROW(measure_cpu_share(0, milliseconds(100)), InvalidInput);
    EXPECT_THROW(measure_cpu_share(3, milliseconds(0)), InvalidInput);
}

}  // namespace
}  // namespace snnipred::calibrate
