#include "snnipred/predict/lstm_predictor.h"

#include <utility>

#include "lstm_features.h"
#include "snnipred/core/error.h"
#include "training_util.h"

namespace snnipred::predict {
namespace {

std::uint64_t setting_seed(std::uint64_t seed, const std::string& setting) {
    std::uint64_t hash = splitmix64(seed);
    for (unsigned char c : setting) hash = splitmix64(hash ^ c);
    return hash;
}

}  // namespace

LstmPredictor::LstmPredictor(LstmPredictorOptions options, std::string backend, LstmFitProgressCallback progress)
    : options_(options), backend_(std::move(backend)), lowering_(lowering_for_backend(backend_)),
      progress_(std::move(progress)) {}

LstmPredictor::LstmPredictor(LstmPredictorOptions options, std::string backend,
                             std::map<std::string, LstmRegressor> models)
    : options_(options), backend_(std::move(backend)), lowering_(lowering_for_backend(backend_)),
      models_(std::move(models)) {
    for (const auto& [setting, model] : models_)
        SNNIPRED_CHECK(model.feature_count() == step_feature_count(), InvalidInput,
                       "LSTM model for setting '" + setting + "' reads " + std::to_string(model.feature_count()) +
                           " step features, this snnipred produces " + std::to_string(step_feature_count()));
}

std::string LstmPredictor::name() const { return "lstm"; }

Eigen::MatrixXd LstmPredictor::features(const Network& network) const {
    const std::vector<ProtocolStep> steps = lower_network(network, lowering_);
    SNNIPRED_CHECK(!steps.empty(), InvalidInput, "network '" + network.name() + "' has no protocol step to time");
    return step_features(steps);
}

void LstmPredictor::fit(std::span<const NetworkSample> samples) {
    SNNIPRED_CHECK(!samples.empty(), InvalidInput, "LSTM: no network samples to fit");
    std::map<std::string, std::vector<const NetworkSample*>> by_setting;
    for (const NetworkSample& s : samples) by_setting[s.setting].push_back(&s);
    std::map<std::string, LstmRegressor> models;
    int index = 0;
    for (const auto& [setting, group] : by_setting) {
        LstmTrainingData data;
        data.times.resize(static_cast<Eigen::Index>(group.size()), 2);
        for (std::size_t i = 0; i < group.size(); ++i) {
            const NetworkSample& s = *group[i];
            SNNIPRED_CHECK(s.client_ms > 0 && s.server_ms > 0, InvalidInput,
                           "LSTM: sample '" + s.name + "' (" + setting + ") has a time <= 0");
            data.sequences.push_back(features(s.network));
            data.times.row(static_cast<Eigen::Index>(i)) << s.client_ms, s.server_ms;
        }
        const int setting_index = index++;
        const int settings = static_cast<int>(by_setting.size());
        const LstmProgressCallback report = [&](const LstmTrialResult& trial) {
            if (progress_) progress_(LstmFitProgress{setting, setting_index, settings, trial});
        };
        models.emplace(setting, tune_lstm(data, options_.head, options_.trials, options_.max_epochs, options_.patience,
                                          setting_seed(options_.seed, setting), report));
    }
    models_ = std::move(models);
}

PartyTimes LstmPredictor::predict(const Network& network, const std::string& setting) const {
    const auto it = models_.find(setting);
    if (it == models_.end()) {
        std::string known;
        for (const auto& [name, model] : models_) known += (known.empty() ? "" : ", ") + name;
        throw InvalidInput("LSTM: no model for setting '" + setting + "' (trained: " + known + ")");
    }
    const std::array<double, 2> times = it->second.predict(features(network));
    return PartyTimes{times[0], times[1]};
}

}  // namespace snnipred::predict
