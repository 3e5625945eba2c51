#pragma once
// The LSTM whole-network predictor (the paper's third method): a network is lowered to
// its backend's protocol steps (lowering.h), each step becomes a feature row
// (lstm_features.h), and per setting one LstmRegressor (or the mean of options.members
// independently tuned ones) predicts both parties' times.
//
// One model with two outputs per setting, not one per party: both parties run the same
// protocol in lockstep, so their times share almost all structure; one shared sequence
// encoder halves training and inference time and cannot disagree about the network.
//
// With base analytical (step-sum head only) the LSTM corrects a fitted analytical model
// (lstm.h): each step's row gets the log of its analytical time for both parties.
// Whoever trains the LSTM fits the base on layer records and hands it in (train_bundle,
// network evaluation); where those records include the samples' own runs, the LSTM also
// fits each step's measured time (fit with step records). The base's training records
// also bound each step's correction, in training and in prediction alike: it is
// clamped to the range the base's training layers of about the same analytical time showed
// (correction_envelope.h). Trained on networks up to ~9 s, an unclamped LSTM corrected
// ResNet-50's and SqueezeNet's steps by up to -40 % (max pools) where their layer records
// show a few percent.
//
// With base nn the rows get the per-layer MLP's step times instead (it corrects the same
// analytical model), and the clamp keeps the MLP's and the LSTM's corrections together
// within the envelope. Whole-network time is the sum of the steps' online spans, so what
// the LSTM adds on top of a per-layer model is what the step's context changes.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "snnipred/predict/analytical.h"
#include "snnipred/predict/lowering.h"
#include "snnipred/predict/lstm.h"
#include "snnipred/predict/mlp_predictor.h"
#include "snnipred/predict/network_predictor.h"

namespace snnipred::predict {

inline constexpr int kMaxLstmMembers = 16;
/// What train uses: on the held-out zoo networks single LSTMs of three seeds were off by
/// up to 4.7 %, their mean by up to 2.1 % (docs/RESULTS.md).
inline constexpr int kDefaultLstmMembers = 3;

struct LstmPredictorOptions {
    int trials = 8;          // random-search trials per setting
    std::uint64_t seed = 1;  // base seed; each setting derives its own
    LstmHead head = LstmHead::kStepSum;
    LstmBase base = LstmBase::kNone;  // kAnalytical: correct an analytical model (step-sum only)
    int max_epochs = 200;    // per trial, with early stopping
    int patience = 20;
    // Independently tuned models per setting (own seed and validation split), 1 to
    // kMaxLstmMembers, whose predictions are averaged: one model's corrections of steps
    // unlike any in training vary by a few percent from seed to seed.
    int members = 1;
};

/// Progress of a fit: reported after every tuning trial of every setting.
struct LstmFitProgress {
    std::string setting;
    int setting_index = 0;  // 0-based
    int settings = 0;
    int member = 0;  // 0-based, of options.members
    int members = 1;
    LstmTrialResult trial;
};
using LstmFitProgressCallback = std::function<void(const LstmFitProgress&)>;

class LstmPredictor : public NetworkPredictor {
public:
    /// `backend` and `ot` select the lowering (lowering_for_backend: "cheetah" or
    /// "snnipred", and the OT extension a snnipred backend's times were profiled with);
    /// `base` is the fitted analytical model options.base analytical corrects, `nn` the
    /// fitted residual MLP options.base nn corrects (`base` may then be null or must be the
    /// MLP's base). Throws InvalidInput on an unknown backend, a base the options name but
    /// not given (or an MLP without an analytical base), or a base with the last-state head.
    explicit LstmPredictor(LstmPredictorOptions options = {}, std::string backend = "cheetah",
                           LstmFitProgressCallback progress = {},
                           std::shared_ptr<const AnalyticalPredictor> base = nullptr,
                           std::shared_ptr<const MlpPredictor> nn = nullptr,
                           protocol::OtExtension ot = protocol::OtExtension::kIknp);
    /// A fitted predictor rebuilt from saved models (bundle loading). Throws as above, and
    /// InvalidInput on a model whose feature count is not what features() produces or
    /// whose base differs from options.base.
    LstmPredictor(LstmPredictorOptions options, std::string backend,
                  std::map<std::string, std::vector<LstmRegressor>> models,
                  std::shared_ptr<const AnalyticalPredictor> base = nullptr,
                  std::shared_ptr<const MlpPredictor> nn = nullptr,
                  protocol::OtExtension ot = protocol::OtExtension::kIknp);

    /// "lstm".
    std::string name() const override;
    /// Tunes one regressor per setting of `samples` (settings in sorted order, seeds derived
    /// from options.seed and the setting). Throws InvalidInput on no samples, a time <= 0, a
    /// network that lowers to no step or a setting the analytical base has no model for,
    /// and as tune_lstm.
    void fit(std::span<const NetworkSample> samples) override;
    /// fit, and with the step-sum head also fits every step's time where `step_records`
    /// (the layer records of the samples' profiling runs) hold them (LstmTrainingData).
    void fit(std::span<const NetworkSample> samples, std::span<const LayerRecord> step_records);
    /// How many samples the last fit had per-step times for.
    std::size_t steps_supervised() const { return steps_supervised_; }
    /// Throws InvalidInput if there is no model for `setting` or the network lowers to no
    /// step; Unsupported if a layer cannot be lowered.
    PartyTimes predict(const Network& network, const std::string& setting) const override;

    const LstmPredictorOptions& options() const { return options_; }
    const std::string& backend() const { return backend_; }
    /// The members of each setting (options.members of them after fit).
    const std::map<std::string, std::vector<LstmRegressor>>& models() const { return models_; }
    /// The analytical model the LSTM (base analytical) or its MLP (base nn) corrects; null
    /// with base none.
    const std::shared_ptr<const AnalyticalPredictor>& base() const { return base_; }
    /// The per-layer MLP the LSTM corrects; null unless base nn.
    const std::shared_ptr<const MlpPredictor>& nn_base() const { return nn_; }

    /// The (steps x features) rows the regressor reads for `network` under this backend:
    /// step_features, plus with a base the log base times (analytical or MLP) of each step in
    /// `setting` (client, server; at least kMinLogTimeMs). `setting` is read only then.
    /// Throws InvalidInput on a network without steps or (with a base) a setting the
    /// base has no model for.
    Eigen::MatrixXd features(const Network& network, const std::string& setting = "") const;
    /// Number of columns features() produces.
    Eigen::Index feature_count() const;

private:
    // features(), and with a base the bounds of each step's corrections from the
    // envelopes of the base's models (unbounded for a model without one) into `bounds`.
    Eigen::MatrixXd step_rows(const Network& network, const std::string& setting, LstmCorrectionBounds* bounds) const;

    LstmPredictorOptions options_;
    std::string backend_;
    LoweringOptions lowering_;
    LstmFitProgressCallback progress_;
    std::shared_ptr<const AnalyticalPredictor> base_;  // with base nn, the MLP's base
    std::shared_ptr<const MlpPredictor> nn_;           // base nn only
    std::map<std::string, std::vector<LstmRegressor>> models_;
    std::size_t steps_supervised_ = 0;
};

}  // namespace snnipred::predict
