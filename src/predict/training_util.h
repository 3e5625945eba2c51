#pragma once
// Helpers shared by the libtorch training code of the MLP and the LSTM regressors.

#include <ATen/Parallel.h>

#include <cstdint>
#include <limits>
#include <string>

#include "snnipred/core/error.h"

namespace snnipred::predict {

/// A well-mixed 64-bit hash, used to derive independent seeds from one.
inline std::uint64_t splitmix64(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/// Sets torch's intra-op thread count to one for the guard's lifetime: one thread fixes the
/// summation order, so training is bit-for-bit deterministic.
class SingleThreadGuard {
public:
    SingleThreadGuard() : previous_(at::get_num_threads()) { at::set_num_threads(1); }
    ~SingleThreadGuard() { at::set_num_threads(previous_); }
    SingleThreadGuard(const SingleThreadGuard&) = delete;
    SingleThreadGuard& operator=(const SingleThreadGuard&) = delete;

private:
    int previous_;
};

/// Seeded random search: runs `trials` trials, `run_trial(trial)` filling a Result's
/// config, validation_loss and best_epoch, reports each to `progress` (may be empty) and
/// returns the best converged one (best_epoch > 0). Throws Error naming `what` when every
/// trial diverged.
template <class Result, class RunTrial, class Progress>
Result best_trial(int trials, RunTrial&& run_trial, const Progress& progress, const std::string& what) {
    Result best;
    best.validation_loss = std::numeric_limits<double>::infinity();
    for (int trial = 0; trial < trials; ++trial) {
        Result result = run_trial(trial);
        result.trial = trial;
        result.trials = trials;
        if (progress) progress(result);
        if (result.best_epoch > 0 && result.validation_loss < best.validation_loss) best = result;
    }
    SNNIPRED_CHECK(best.best_epoch > 0, Error, what + ": every trial diverged");
    return best;
}

}  // namespace snnipred::predict
