#pragma once
// A `snnipred serve --listen 127.0.0.1:0` process for the two-host integration tests:
// started through the shell, its first output line read for the port, stopped (when it
// serves many clients) and reaped at the end.

#include <cstdio>
#include <stdexcept>
#include <string>

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>

namespace snnipred::testing {

class ServerProcess {
public:
    /// Starts `snnipred serve ARGS --listen 127.0.0.1:0` (stderr merged) and waits for the
    /// "serving ... on HOST:PORT" line.
    explicit ServerProcess(const std::string& args) {
        // The shell prints its pid, then becomes the server (same pid), so stop() can signal it.
        const std::string command =
            "echo $$; exec " + std::string(SNNIPRED_BINARY) + " serve " + args + " --listen 127.0.0.1:0 2>&1";
        pipe_ = popen(command.c_str(), "r");
        if (pipe_ == nullptr) throw std::runtime_error("cannot start " + command);
        char line[512];
        if (std::fgets(line, sizeof line, pipe_) == nullptr) throw std::runtime_error("the shell printed no pid");
        pid_ = static_cast<pid_t>(std::stol(line));
        if (std::fgets(line, sizeof line, pipe_) == nullptr) throw std::runtime_error("serve printed nothing");
        output_ = line;
        const std::string text = line;
        const std::size_t colon = text.rfind(':', text.find(" ("));
        if (text.rfind("serving ", 0) != 0 || colon == std::string::npos)
            throw std::runtime_error("unexpected first line of serve: " + text);
        port_ = std::stoi(text.substr(colon + 1));
    }
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;
    ~ServerProcess() {
        if (pipe_ != nullptr) finish();
    }

    int port() const { return port_; }
    std::string endpoint() const { return "127.0.0.1:" + std::to_string(port_); }

    /// Ends a server that would serve on (SIGTERM); finish() then reaps it.
    void stop() const { ::kill(pid_, SIGTERM); }

    /// Reads the rest of the output until the process exits; returns its exit status
    /// (-1 when it did not exit normally). output() then holds everything it printed.
    int finish() {
        char buffer[4096];
        while (std::fgets(buffer, sizeof buffer, pipe_) != nullptr) output_ += buffer;
        const int raw = pclose(pipe_);
        pipe_ = nullptr;
        return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    }
    const std::string& output() const { return output_; }

private:
    FILE* pipe_ = nullptr;
    pid_t pid_ = 0;
    int port_ = 0;
    std::string output_;
};

}  // namespace snnipred::testing
