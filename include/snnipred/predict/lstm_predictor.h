#pragma once
// The LSTM whole-network predictor (the paper's third method): a network is lowered to
// its backend's protocol steps (lowering.h), each step becomes a feature row
// (lstm_features.h), and one LstmRegressor per setting predicts both parties' times.
//
// One model with two outputs per setting, not one per party: both parties run the same
// protocol in lockstep, so their times share almost all structure; one shared sequence
// encoder halves training and inference time and cannot disagree about the network.

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "snnipred/predict/lowering.h"
#include "snnipred/predict/lstm.h"
#include "snnipred/predict/network_predictor.h"

namespace snnipred::predict {

struct LstmPredictorOptions {
    int trials = 8;          // random-search trials per setting
    std::uint64_t seed = 1;  // base seed; each setting derives its own
    LstmHead head = LstmHead::kStepSum;
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
    /// `backend` selects the lowering (lowering_for_backend: "cheetah" or "snnipred").
    /// Throws InvalidInput on an unknown backend.
    explicit LstmPredictor(LstmPredictorOptions options = {}, std::string backend = "cheetah",
                           LstmFitProgressCallback progress = {});
    /// A fitted predictor rebuilt from saved models (bundle loading). Throws InvalidInput on
    /// an unknown backend or a model whose feature count is not step_feature_count().
    LstmPredictor(LstmPredictorOptions options, std::string backend, std::map<std::string, LstmRegressor> models);

    /// "lstm".
    std::string name() const override;
    /// Tunes one regressor per setting of `samples` (settings in sorted order, seeds derived
    /// from options.seed and the setting). Throws InvalidInput on no samples, a time <= 0 or
    /// a network that lowers to no step, and as tune_lstm.
    void fit(std::span<const NetworkSample> samples) override;
    /// Throws InvalidInput if there is no model for `setting` or the network lowers to no
    /// step; Unsupported if a layer cannot be lowered.
    PartyTimes predict(const Network& network, const std::string& setting) const override;

    const LstmPredictorOptions& options() const { return options_; }
    const std::string& backend() const { return backend_; }
    const std::map<std::string, LstmRegressor>& models() const { return models_; }

    /// The (steps x features) rows the regressor reads for `network` under this backend.
    Eigen::MatrixXd features(const Network& network) const;

private:
    LstmPredictorOptions options_;
    std::string backend_;
    LoweringOptions lowering_;
    LstmFitProgressCallback progress_;
    std::map<std::string, LstmRegressor> models_;
};

}  // namespace snnipred::predict
