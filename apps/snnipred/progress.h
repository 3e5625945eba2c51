#pragma once
// A progress line on stderr for MLP and LSTM tuning (train, and evaluate when it re-fits): trials
// done out of the total, rate and ETA. On a terminal the line is redrawn in place;
// otherwise (logs, pipes) each update is its own line.

#include <chrono>
#include <cstdio>
#include <string>

#include <unistd.h>

#include "snnipred/predict/lstm_predictor.h"
#include "snnipred/predict/mlp_predictor.h"

namespace snnipred::cli {

class TuningProgress {
public:
    explicit TuningProgress(std::string label) : label_(std::move(label)), tty_(isatty(fileno(stderr)) != 0) {}

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
        std::fprintf(stderr, "%s%s fit %d: %d/%d trials (%d%%), %.2f trials/s, ETA %dm%02ds, %s%s", tty_ ? "\r" : "",
                     label_.c_str(), fit_, done, total, 100 * done / total, rate, eta / 60, eta % 60, group.c_str(),
                     tty_ ? "\033[K" : "\n");
        if (tty_ && done == total) std::fputc('\n', stderr);
        std::fflush(stderr);
    }

    std::string label_;
    bool tty_;
    int fit_ = 0;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace snnipred::cli
