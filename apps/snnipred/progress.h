#pragma once
// Progress lines on stderr: for profile campaigns; for MLP and LSTM tuning (train, and
// evaluate when it re-fits), trials done out of the total, rate and ETA; for secure runs
// (run, serve, infer), the layer reached, elapsed time and an estimate of the time left.
// On a terminal the line is redrawn in place; otherwise (logs, pipes) each update is its
// own line.

#include <chrono>
#include <cstdio>
#include <string>

#include <fmt/core.h>
#include <unistd.h>

#include "snnipred/engine/secure_executor.h"
#include "snnipred/predict/lstm_predictor.h"
#include "snnipred/predict/mlp_predictor.h"

namespace snnipred::cli {

/// One progress line at a time on stderr.
class ProgressLine {
public:
    ProgressLine() : tty_(isatty(fileno(stderr)) != 0) {}
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;
    /// Ends a line left open on a terminal, so what follows starts on its own line.
    ~ProgressLine() { end(); }

    void show(const std::string& text) {
        std::fprintf(stderr, "%s%s%s", tty_ ? "\r" : "", text.c_str(), tty_ ? "\033[K" : "\n");
        open_ = tty_;
        std::fflush(stderr);
    }
    void end() {
        if (open_) std::fputc('\n', stderr);
        open_ = false;
    }

private:
    bool tty_;
    bool open_ = false;
};

class TuningProgress {
public:
    explicit TuningProgress(std::string label) : label_(std::move(label)) {}

    /// Marks the start of a fit (one per fold when evaluate re-fits).
    void begin() {
        start_ = std::chrono::steady_clock::now();
        ++fit_;
    }

    /// Called after each trial; a fit's groups * trials make up the total.
    void operator()(const predict::MlpFitProgress& p) {
        report(p.group_index * p.trial.trials + p.trial.trial + 1, p.groups * p.trial.trials, p.group);
    }
    /// The same for LSTM tuning, whose groups are settings (times their members).
    void operator()(const predict::LstmFitProgress& p) {
        const int group = p.setting_index * p.members + p.member;
        report(group * p.trial.trials + p.trial.trial + 1, p.settings * p.members * p.trial.trials,
               p.members > 1 ? p.setting + " member " + std::to_string(p.member + 1) : p.setting);
    }

private:
    void report(int done, int total, const std::string& group) {
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        const double rate = elapsed > 0 ? done / elapsed : 0;
        const int eta = rate > 0 ? static_cast<int>((total - done) / rate + 0.5) : 0;
        line_.show(fmt::format("{} fit {}: {}/{} trials ({}%), {:.2f} trials/s, ETA {}m{:02}s, {}", label_, fit_, done,
                               total, 100 * done / total, rate, eta / 60, eta % 60, group));
        if (done == total) line_.end();
    }

    std::string label_;
    ProgressLine line_;
    int fit_ = 0;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

/// The progress of one party's secure run (engine::SecureOptions::on_step): silent for the
/// first `after`, then at most one line a second, "LABEL: layer i of n, 12.3 s elapsed,
/// about 40 s left (elapsed scaled by the protocol plan's bytes still to send: 23% sent)".
/// The estimate assumes time follows the plan's bytes, which holds roughly on slow links and
/// for the HE layers; the line says what it rests on.
class SecureRunProgress {
public:
    SecureRunProgress(std::string label, std::chrono::duration<double> after)
        : label_(std::move(label)), after_(after) {}

    void operator()(const engine::RunProgress& p) {
        const auto now = std::chrono::steady_clock::now();
        const std::chrono::duration<double> elapsed = now - start_;
        if (elapsed < after_ || (shown_ && now - last_ < std::chrono::seconds(1))) return;
        shown_ = true;
        last_ = now;
        const double share = p.planned_bytes > 0 ? static_cast<double>(p.planned_bytes_done) / p.planned_bytes : 0;
        const std::string left =
            share > 0 ? fmt::format("about {:.0f} s left", elapsed.count() * (1 - share) / share) : "time left unknown";
        line_.show(fmt::format("{}: layer {} of {}, {:.1f} s elapsed, {} (elapsed scaled by the protocol plan's "
                               "bytes still to send: {:.0f}% sent)",
                               label_, p.layer, p.layers, elapsed.count(), left, 100 * share));
    }

private:
    std::string label_;
    std::chrono::duration<double> after_;
    ProgressLine line_;
    bool shown_ = false;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point last_;
};

}  // namespace snnipred::cli
