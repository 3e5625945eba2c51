#pragma once
// Runs commands as a user would, for the CLI integration tests.

#include <array>
#include <cstdio>
#include <string>

#include <sys/wait.h>

namespace snnipred::testing {

struct CliResult {
    int status = -1;  // exit status; -1 if the command did not exit normally
    std::string out;
};

/// Runs `command` through the shell and captures its stdout.
inline CliResult run_shell(const std::string& command) {
    CliResult result;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return result;
    std::array<char, 4096> buffer{};
    while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) result.out += buffer.data();
    const int raw = pclose(pipe);
    result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    return result;
}

/// Runs `snnipred args`; stderr is merged into the output unless `merge_stderr` is false.
inline CliResult run_snnipred(const std::string& args, bool merge_stderr = true) {
    return run_shell(std::string(SNNIPRED_BINARY) + " " + args + (merge_stderr ? " 2>&1" : " 2>/dev/null"));
}

}  // namespace snnipred::testing
