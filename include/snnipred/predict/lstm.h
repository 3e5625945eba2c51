#pragma once
// The sequence regressor behind the LSTM whole-network predictor: LSTM layers read a
// network's protocol steps (one feature row per step) and FC+ReLU layers map their states
// to the client's and the server's time. Training uses libtorch (lstm_training.cpp);
// prediction uses only Eigen (lstm.cpp), in binary32 as the weights are kept: twice the
// SIMD lanes of binary64 and vectorised tanh/exp (bench/lstm_bench.cpp).
//
// Transforms: a step feature v is standardised to (v - mean) / scale, a NaN (the feature
// does not apply to this step kind) becomes 0; targets are natural logs of the times, so
// squared error is a squared relative error.
//
// Heads:
//   step-sum:   every step's state, concatenated with the step's own features, goes through
//               the FC layers to a per-step log contribution z_t; the time is sum_t exp(z_t).
//               Longer networks then add up instead of saturating the bounded LSTM state,
//               which is what extrapolating to ResNet-50 needs. The LSTM reads the
//               standardised features clamped to their training range (it supplies context;
//               an unseen size would push its gates into untrained states); the FC layers
//               read them unclamped, so a bigger layer costs more. For the same reason the
//               state restarts every LstmInputRange::max_steps steps (the longest training
//               network), so a 400-step network is read as blocks of trained length.
//   last-state: the paper's head: the FC layers read the last step's state only.
//
// Base (step-sum head only): with LstmBase::kAnalytical the last two step features are the
// natural logs of the analytical model's time of that step for the client and the server
// (analytical.h), and z_t is a log correction of it: the time is sum_t exp(base_t + z_t).
// A zero correction reproduces the analytical sum, which extrapolates to layers larger
// than any in training; the LSTM only learns how the network context bends it. With
// LstmBase::kNn the base times are the per-layer MLP's (mlp_predictor.h) instead.

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Dense>

#include "snnipred/predict/mlp.h"

namespace snnipred::predict {

enum class LstmHead { kStepSum, kLastState };

/// "step-sum" / "last-state".
std::string_view lstm_head_name(LstmHead head);
/// Inverse of lstm_head_name; throws InvalidInput on an unknown name.
LstmHead parse_lstm_head(std::string_view name);

/// What the step-sum head's per-step outputs are relative to (see above).
enum class LstmBase {
    kNone,        // z_t is the step's log time
    kAnalytical,  // z_t corrects the step's analytical log time, the last two step features
    kNn,          // z_t corrects the step's log time from the per-layer MLP, likewise
};

/// "none" / "analytical" / "nn".
std::string_view lstm_base_name(LstmBase base);
/// Inverse of lstm_base_name; throws InvalidInput on an unknown name.
LstmBase parse_lstm_base(std::string_view name);

/// Architecture and optimiser settings of one training run.
struct LstmConfig {
    int hidden = 32;     // LSTM state size, 1..256
    int layers = 1;      // stacked LSTM layers, 1..3
    int fc_layers = 1;   // FC+ReLU layers of the head, 0..4
    int fc_width = 32;   // their width, 1..512
    double learning_rate = 3e-3;  // Adam step size
    int batch_size = 16;
    int max_epochs = 150;
    int patience = 15;   // epochs without validation improvement before stopping; <= 0: none
};

/// Per-step limits of the log corrections z_t of a base: row 0 the client's, row 1 the
/// server's, one column per step (lstm_predictor.h takes them from the correction envelopes
/// of the analytical models).
struct LstmCorrectionBounds {
    Eigen::MatrixXd low, high;
};

/// Raw training data: one (steps x features) matrix per network, NaN where a feature does
/// not apply, and each network's (client, server) time in ms (rows of `times`). With a base
/// the last two columns are every step's log base times (finite), and
/// `bounds` may hold each network's correction bounds, which training then clamps to as
/// prediction does (empty: none).
///
/// `step_times` (step-sum head; empty: none) holds each network's measured per-step times,
/// 2 x steps (client, server) in ms, or 2 x 0 for a network without them. Training then also
/// fits every step's log time, weighted by the step's share of its network's time: a whole
/// network's time alone cannot tell a conv's correction from the ReLU's that always follows it.
struct LstmTrainingData {
    std::vector<Eigen::MatrixXd> sequences;
    Eigen::MatrixXd times;  // samples x 2
    LstmBase base = LstmBase::kNone;
    std::vector<LstmCorrectionBounds> bounds;
    std::vector<Eigen::MatrixXd> step_times;
};

/// Per-feature range of the standardised training steps; the LSTM's input is clamped to it.
/// With the step-sum head the LSTM's state is also reset every max_steps steps (the longest
/// training network; 0: never): over a network many times longer than any in training an
/// unreset cell state drifts into values training never produced.
struct LstmInputRange {
    Eigen::VectorXd low, high;
    Eigen::Index max_steps = 0;
};

/// One LSTM layer in PyTorch's gate order (input, forget, cell, output):
/// gates = w_input * x_t + w_hidden * h_{t-1} + bias.
struct LstmLayerWeights {
    Eigen::MatrixXd w_input;   // 4H x inputs
    Eigen::MatrixXd w_hidden;  // 4H x H
    Eigen::VectorXd bias;      // 4H
};

/// Outcome of one random-search trial.
struct LstmTrialResult {
    int trial = 0;  // 0-based
    int trials = 0;
    LstmConfig config;
    double validation_loss = 0;  // MSE of the log times of the validation networks
    int best_epoch = 0;
};
using LstmProgressCallback = std::function<void(const LstmTrialResult&)>;

class LstmRegressor {
public:
    /// Assembles a model from parts. Throws ConfigError if the dimensions do not chain,
    /// the head does not end in 2 outputs, a scale is not positive, a value not finite, or
    /// `base` is not kNone with the last-state head or fewer than 3 features.
    LstmRegressor(LstmHead head, LstmConfig config, MlpStandardizer features, LstmInputRange range,
                  std::vector<LstmLayerWeights> lstm, std::vector<MlpDenseLayer> head_layers,
                  LstmBase base = LstmBase::kNone);

    /// Trains with Adam on padded, masked mini-batches (libtorch, one thread,
    /// deterministic for a given seed). With config.patience > 0 and at least 5 networks a
    /// seeded 20% is held out for early stopping and the best epoch's weights are kept.
    /// With a base the output layer starts at zero, so training starts from the base's sum.
    /// Throws InvalidInput on empty or mismatched data, a non-finite
    /// feature (or base column), a time <= 0, or a base with the last-state head;
    /// ConfigError on a config outside the documented ranges; Error if training diverged.
    static LstmRegressor train(const LstmTrainingData& data, const LstmConfig& config, LstmHead head,
                               std::uint64_t seed);

    /// Predicted (client, server) ms of one network's (steps x feature_count()) raw features.
    /// With a base and `bounds`, each step's log correction is first clamped to its
    /// bounds. Throws InvalidInput on a column count mismatch, no steps, or bounds that
    /// are not 2 x steps or given without a base.
    std::array<double, 2> predict(const Eigen::MatrixXd& steps, const LstmCorrectionBounds* bounds = nullptr) const;
    /// The step-sum head's per-step times, ms, 2 x steps (client, server): what predict sums.
    /// Throws as predict, and InvalidInput with the last-state head.
    Eigen::MatrixXd predict_steps(const Eigen::MatrixXd& steps, const LstmCorrectionBounds* bounds = nullptr) const;

    /// The model as one JSON document (weights as the shortest decimals of their binary32
    /// values).
    std::string save() const;
    /// Parses save's text; throws InvalidInput naming `source` on malformed or inconsistent
    /// content.
    static LstmRegressor load(const std::string& text, const std::string& source);

    int feature_count() const { return static_cast<int>(features_.mean.size()); }
    LstmHead head() const { return head_; }
    LstmBase base() const { return base_; }
    const LstmConfig& config() const { return config_; }
    const MlpStandardizer& feature_standardizer() const { return features_; }
    const LstmInputRange& input_range() const { return range_; }
    const std::vector<LstmLayerWeights>& lstm_layers() const { return lstm_; }
    const std::vector<MlpDenseLayer>& head_layers() const { return head_layers_; }

private:
    // The weights of one layer as prediction computes with them.
    struct InferenceLayer {
        Eigen::MatrixXf weight;
        Eigen::MatrixXf recurrent;  // LSTM layers only
        Eigen::VectorXf bias;
    };

    // The log times of the head: 2 x steps with step-sum, 2 x 1 with last-state.
    Eigen::MatrixXd log_outputs(const Eigen::MatrixXd& steps, const LstmCorrectionBounds* bounds) const;

    LstmHead head_;
    LstmBase base_;
    LstmConfig config_;
    MlpStandardizer features_;
    LstmInputRange range_;
    std::vector<LstmLayerWeights> lstm_;
    std::vector<MlpDenseLayer> head_layers_;
    std::vector<InferenceLayer> lstm_inference_;
    std::vector<InferenceLayer> head_inference_;
};

/// Seeded random search over LSTM hidden size {16, 24, 32, 48, 64}, 1..2 LSTM layers,
/// 0..3 FC layers of width {16, 32, 64, 128}, learning rate log-uniform in [1e-3, 2e-2] and
/// batch size {8, 16, 32}; each trial trains on the same seeded 80% of the networks with
/// early stopping (`max_epochs`, `patience`) on the rest. The best trial's model (its best
/// epoch's weights) is the result: a retrain on every network from another initialisation
/// was never validated, and it can extrapolate to networks far larger than any in training
/// quite differently (LAN zoo errors of -15 to -25 % where the validated trials gave a few
/// percent). Fewer than 5 networks: one default-config model.
/// Throws as LstmRegressor::train, ConfigError if trials < 1, Error if every trial diverged.
LstmRegressor tune_lstm(const LstmTrainingData& data, LstmHead head, int trials, int max_epochs, int patience,
                        std::uint64_t seed, const LstmProgressCallback& progress = {});

/// The training-time (libtorch) forward pass of `model` over all `sequences` at once,
/// padded to the longest with `padding_value` and masked, clamping to `bounds` (one per
/// sequence) when not null: equal to model.predict of each sequence (with its bounds)
/// whatever the padding. For tests of the masking and the clamp.
std::vector<std::array<double, 2>> padded_batch_predict(const LstmRegressor& model,
                                                         const std::vector<Eigen::MatrixXd>& sequences,
                                                         double padding_value,
                                                         const std::vector<LstmCorrectionBounds>* bounds = nullptr);

}  // namespace snnipred::predict
