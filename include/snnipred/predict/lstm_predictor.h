#pragma once
// The LSTM whole-network predictor (the paper's third method): a network is lowered to
// its backend's protocol steps (lowering.h), each step becomes a feature row
// (lstm_features.h), and one LstmRegressor per setting predicts both parties' times.
//
// One model with two outputs per setting, not one per party: both parties run the same
// protocol in lockstep, so their times share almost all structure; one shared sequence
// encoder halves training and inference time and cannot disagree about the network.
//
// With base analytical (step-sum head only) the LSTM corrects a fitted analytical model
// (lstm.h): each step's row gets the log of its analytical time for both parties.
// Whole-network samples carry no per-step times, so whoever trains the LSTM fits the
// base on layer records and hands it in (train_bundle, network evaluation). Those layer
// records also bound each step's correction, in training and in prediction alike: it is
// clamped to the range the base's training layers of about the same analytical time showed
// (correction_envelope.h). Trained on networks up to ~9 s, an unclamped LSTM corrected
// ResNet-50's and SqueezeNet's steps by up to -40 % (max pools) where their layer records
// show a few percent.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "snnipred/predict/analytical.h"
#include "snnipred/predict/lowering.h"
#include "snnipred/predict/lstm.h"
#include "snnipred/predict/network_predictor.h"

namespace snnipred::predict {

struct LstmPredictorOptions {
    int trials = 8;          // random-search trials per setting
    std::uint64_t seed = 1;  // base seed; each setting derives its own
    LstmHead head = LstmHead::kStepSum;
    LstmBase base = LstmBase::kNone;  // kAnalytical: correct an analytical model (step-sum only)
    int max_epochs = 200;    // per trial, with early stopping
    int patience = 20;
};

/// Progress of a fit: reported after every tuning trial of every setting.
struct LstmFitProgress {
    std::string setting;
    int setting_index = 0;  // 0-based
    int settings = 0;
    LstmTrialResult trial;
};
using LstmFitProgressCallback = std::function<void(const LstmFitProgress&)>;

class LstmPredictor : public NetworkPredictor {
public:
    /// `backend` selects the lowering (lowering_for_backend: "cheetah" or "snnipred");
    /// `base` is the fitted analytical model options.base analytical corrects. Throws
    /// InvalidInput on an unknown backend, and if options.base is analytical and `base` is
    /// null or the head is last-state.
    explicit LstmPredictor(LstmPredictorOptions options = {}, std::string backend = "cheetah",
                           LstmFitProgressCallback progress = {},
                           std::shared_ptr<const AnalyticalPredictor> base = nullptr);
    /// A fitted predictor rebuilt from saved models (bundle loading). Throws as above, and
    /// InvalidInput on a model whose feature count is not what features() produces or
    /// whose base differs from options.base.
    LstmPredictor(LstmPredictorOptions options, std::string backend, std::map<std::string, LstmRegressor> models,
                  std::shared_ptr<const AnalyticalPredictor> base = nullptr);

    /// "lstm".
    std::string name() const override;
    /// Tunes one regressor per setting of `samples` (settings in sorted order, seeds derived
    /// from options.seed and the setting). Throws InvalidInput on no samples, a time <= 0, a
    /// network that lowers to no step or a setting the analytical base has no model for,
    /// and as tune_lstm.
    void fit(std::span<const NetworkSample> samples) override;
    /// Throws InvalidInput if there is no model for `setting` or the network lowers to no
    /// step; Unsupported if a layer cannot be lowered.
    PartyTimes predict(const Network& network, const std::string& setting) const override;

    const LstmPredictorOptions& options() const { return options_; }
    const std::string& backend() const { return backend_; }
    const std::map<std::string, LstmRegressor>& models() const { return models_; }
    /// The analytical model the LSTM corrects; null with base none.
    const std::shared_ptr<const AnalyticalPredictor>& base() const { return base_; }

    /// The (steps x features) rows the regressor reads for `network` under this backend:
    /// step_features, plus with base analytical the log analytical times of each step in
    /// `setting` (client, server; at least kMinLogTimeMs). `setting` is read only then.
    /// Throws InvalidInput on a network without steps or (base analytical) a setting the
    /// base has no model for.
    Eigen::MatrixXd features(const Network& network, const std::string& setting = "") const;
    /// Number of columns features() produces.
    Eigen::Index feature_count() const;

private:
    // features(), and with base analytical the bounds of each step's corrections from the
    // envelopes of the base's models (unbounded for a model without one) into `bounds`.
    Eigen::MatrixXd step_rows(const Network& network, const std::string& setting, LstmCorrectionBounds* bounds) const;

    LstmPredictorOptions options_;
    std::string backend_;
    LoweringOptions lowering_;
    LstmFitProgressCallback progress_;
    std::shared_ptr<const AnalyticalPredictor> base_;
    std::map<std::string, LstmRegressor> models_;
};

}  // namespace snnipred::predict
