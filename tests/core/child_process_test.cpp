// fork_reporting / reap: a child's report reaches the parent whole, its error and how it
// ended are named, and a stalled child is killed after the grace period, not waited for.

#include "snnipred/core/child_process.h"

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

namespace snnipred::child_process {
namespace {

TEST(ChildProcess, ParentReadsTheWholeReportOfAChild) {
    // Larger than a pipe's buffer, so the parent must read while the child writes.
    const std::string expected(1 << 20, 'x');
    const auto [pid, fd] = fork_reporting("test", [&](int report_fd) {
        report_and_exit(report_fd, [&] { return expected; });
    });
    const ChildOutcome outcome = reap(pid, fd, std::chrono::seconds(60));
    EXPECT_TRUE(outcome.ok()) << outcome.how;
    EXPECT_EQ(outcome.how, "exit status 0");
    EXPECT_EQ(outcome.report, expected);
}

TEST(ChildProcess, AChildsErrorIsNamedWithItsProcess) {
    const auto [pid, fd] = fork_reporting("calibration", [](int report_fd) {
        report_and_exit(report_fd, []() -> std::string { throw std::runtime_error("no AES-NI"); });
    });
    const ChildOutcome outcome = reap(pid, fd, std::chrono::seconds(60));
    EXPECT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.how, "exit status 1");
    EXPECT_EQ(process_error(outcome, "calibration"), "calibration: no AES-NI");
}

TEST(ChildProcess, AChildThatEndsWithoutAReportIsNamedByHowItEnded) {
    const auto [pid, fd] = fork_reporting("run", [](int) { ::_exit(3); });
    const ChildOutcome outcome = reap(pid, fd, std::chrono::seconds(60));
    EXPECT_FALSE(outcome.ok());
    EXPECT_EQ(process_error(outcome, "run"), "run process ended with exit status 3 and no report");
}

TEST(ChildProcess, AStalledChildIsKilledAfterTheGracePeriod) {
    const auto started = std::chrono::steady_clock::now();
    const auto [pid, fd] = fork_reporting("run", [](int) {
        std::this_thread::sleep_for(std::chrono::hours(1));
        ::_exit(0);
    });
    const ChildOutcome outcome = reap(pid, fd, std::chrono::milliseconds(200));
    EXPECT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.how, "signal 9 (stalled, killed)");
    // Not a timing claim: only that reap returned instead of waiting out the child's hour.
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::minutes(10));
}

}  // namespace
}  // namespace snnipred::child_process
