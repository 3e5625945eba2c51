#pragma once
// Work done in a forked child process that reports one string back on a pipe: the engine's
// server and run processes, and a profiling campaign's calibration. A child keeps what it
// allocates out of its parent, and a stalled child is killed, never waited for forever.
//
// The calling process must be single-threaded when it forks.

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>

#include "snnipred/core/error.h"

namespace snnipred::child_process {

inline void write_all(int fd, const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        done += static_cast<std::size_t>(n);
    }
}

/// Ends a child process: reports what `make_report` returns, or "error:" and its error, on
/// `report_fd`, and exits with 0 or 1.
template <typename MakeReport>
[[noreturn]] void report_and_exit(int report_fd, MakeReport&& make_report) {
    std::string report;
    int status = 0;
    try {
        report = make_report();
    } catch (const std::exception& error) {
        report = std::string("error:") + error.what();
        status = 1;
    }
    write_all(report_fd, report);
    ::close(report_fd);
    ::_exit(status);
}

/// A child process with the write end of a fresh pipe, on which it reports.
struct ReportingChild {
    pid_t pid;
    int report_fd;  // the read end, the parent's
};

/// Forks a child that runs `child_main(report_fd)`, which must not return. Throws Error,
/// naming the `process`, when the pipe or the process cannot be made.
template <typename ChildMain>
ReportingChild fork_reporting(const std::string& process, ChildMain&& child_main) {
    int fds[2];
    SNNIPRED_CHECK(::pipe(fds) == 0, Error, "cannot create a pipe for the " + process + " process");
    std::fflush(stdout);
    std::fflush(stderr);
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        throw Error("cannot fork the " + process + " process");
    }
    if (pid == 0) {
        ::close(fds[0]);
        child_main(fds[1]);
    }
    ::close(fds[1]);
    return {pid, fds[0]};
}

struct ChildOutcome {
    std::string report;  // the child's report, or "error:" and its message
    std::string how;     // how the process ended, e.g. "exit status 1"
    bool ok() const { return how == "exit status 0" && report.rfind("error:", 0) != 0; }
};

/// Reads the child's report until EOF, killing the child if it is still running after
/// `grace` (so a stalled child never hangs the caller), then reaps it.
inline ChildOutcome reap(pid_t pid, int report_fd, std::chrono::milliseconds grace) {
    const auto deadline = std::chrono::steady_clock::now() + grace;
    ChildOutcome outcome;
    bool killed = false;
    char buffer[65536];
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        pollfd pfd{report_fd, POLLIN, 0};
        const int ready = ::poll(&pfd, 1, killed ? -1 : static_cast<int>(std::max<std::int64_t>(left.count(), 0)));
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) {
            ::kill(pid, SIGKILL);
            killed = true;
            continue;
        }
        const ssize_t n = ::read(report_fd, buffer, sizeof(buffer));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        outcome.report.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(report_fd);
    int raw = 0;
    while (::waitpid(pid, &raw, 0) < 0 && errno == EINTR) {
    }
    outcome.how = WIFEXITED(raw) ? "exit status " + std::to_string(WEXITSTATUS(raw))
                                 : "signal " + std::to_string(WTERMSIG(raw)) + (killed ? " (stalled, killed)" : "");
    return outcome;
}

/// "`process`: " and the child's error, or how its process ended when it reported none.
inline std::string process_error(const ChildOutcome& outcome, const std::string& process) {
    if (outcome.report.rfind("error:", 0) == 0) return process + ": " + outcome.report.substr(6);
    return process + " process ended with " + outcome.how + " and no report";
}

}  // namespace snnipred::child_process
