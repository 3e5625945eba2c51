#include "snnipred/predict/lstm_predictor.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "lstm_features.h"
#include "snnipred/core/error.h"
#include "snnipred/predict/network_prediction.h"
#include "training_util.h"

namespace snnipred::predict {
namespace {

std::uint64_t setting_seed(std::uint64_t seed, const std::string& setting) {
    std::uint64_t hash = splitmix64(seed);
    for (unsigned char c : setting) hash = splitmix64(hash ^ c);
    return hash;
}

void check_base(const LstmPredictorOptions& options, const AnalyticalPredictor* base) {
    if (options.base == LstmBase::kNone) return;
    SNNIPRED_CHECK(options.head == LstmHead::kStepSum, InvalidInput,
                   "LSTM: base analytical corrects per-step times, which only the step-sum head has "
                   "(use --lstm-base none with --lstm-head last-state)");
    SNNIPRED_CHECK(base != nullptr, InvalidInput, "LSTM: base analytical needs the fitted analytical model");
}

}  // namespace

LstmPredictor::LstmPredictor(LstmPredictorOptions options, std::string backend, LstmFitProgressCallback progress,
                             std::shared_ptr<const AnalyticalPredictor> base)
    : options_(options), backend_(std::move(backend)), lowering_(lowering_for_backend(backend_)),
      progress_(std::move(progress)), base_(options_.base == LstmBase::kNone ? nullptr : std::move(base)) {
    check_base(options_, base_.get());
}

LstmPredictor::LstmPredictor(LstmPredictorOptions options, std::string backend,
                             std::map<std::string, LstmRegressor> models, std::shared_ptr<const AnalyticalPredictor> base)
    : options_(options), backend_(std::move(backend)), lowering_(lowering_for_backend(backend_)),
      base_(options_.base == LstmBase::kNone ? nullptr : std::move(base)), models_(std::move(models)) {
    check_base(options_, base_.get());
    for (const auto& [setting, model] : models_) {
        SNNIPRED_CHECK(model.feature_count() == feature_count(), InvalidInput,
                       "LSTM model for setting '" + setting + "' reads " + std::to_string(model.feature_count()) +
                           " step features, this snnipred produces " + std::to_string(feature_count()));
        SNNIPRED_CHECK(model.base() == options_.base, InvalidInput,
                       "LSTM model for setting '" + setting + "' has base " + std::string(lstm_base_name(model.base())) +
                           ", the recipe says " + std::string(lstm_base_name(options_.base)));
    }
}

std::string LstmPredictor::name() const { return "lstm"; }

Eigen::Index LstmPredictor::feature_count() const {
    return step_feature_count() + (options_.base == LstmBase::kAnalytical ? 2 : 0);
}

Eigen::MatrixXd LstmPredictor::features(const Network& network, const std::string& setting) const {
    return step_rows(network, setting, nullptr);
}

Eigen::MatrixXd LstmPredictor::step_rows(const Network& network, const std::string& setting,
                                         LstmCorrectionBounds* bounds) const {
    std::vector<ProtocolStep> steps = lower_network(network, lowering_);
    SNNIPRED_CHECK(!steps.empty(), InvalidInput, "network '" + network.name() + "' has no protocol step to time");
    if (!base_) return step_features(steps);
    const auto count = static_cast<Eigen::Index>(steps.size());
    Eigen::MatrixXd rows(count, feature_count());
    rows.leftCols(step_feature_count()) = step_features(steps);
    std::vector<LayerKind> kinds;
    for (const ProtocolStep& step : steps) kinds.push_back(step.record.kind);
    const NetworkPrediction analytical = predict_network(std::move(steps), *base_, setting);
    for (Eigen::Index row = 0; row < count; ++row) {
        const auto& step = analytical.steps[static_cast<std::size_t>(row)];
        rows(row, rows.cols() - 2) = std::log(std::max(step.client_ms, kMinLogTimeMs));
        rows(row, rows.cols() - 1) = std::log(std::max(step.server_ms, kMinLogTimeMs));
    }
    if (bounds == nullptr) return rows;
    bounds->low.setConstant(2, count, -std::numeric_limits<double>::infinity());
    bounds->high.setConstant(2, count, std::numeric_limits<double>::infinity());
    for (Eigen::Index party = 0; party < 2; ++party) {
        const LinearModel* model = nullptr;
        for (Eigen::Index row = 0; row < count; ++row) {
            const LayerKind kind = kinds[static_cast<std::size_t>(row)];
            if (row == 0 || kind != kinds[static_cast<std::size_t>(row) - 1])
                model = base_->find_model(kind, party == 0 ? Party::kClient : Party::kServer, setting);
            if (model == nullptr || model->envelope.empty()) continue;
            const auto [low, high] = model->envelope.range(rows(row, rows.cols() - 2 + party));
            bounds->low(party, row) = low;
            bounds->high(party, row) = high;
        }
    }
    return rows;
}

void LstmPredictor::fit(std::span<const NetworkSample> samples) {
    SNNIPRED_CHECK(!samples.empty(), InvalidInput, "LSTM: no network samples to fit");
    std::map<std::string, std::vector<const NetworkSample*>> by_setting;
    for (const NetworkSample& s : samples) by_setting[s.setting].push_back(&s);
    std::map<std::string, LstmRegressor> models;
    int index = 0;
    for (const auto& [setting, group] : by_setting) {
        LstmTrainingData data;
        data.base = options_.base;
        data.times.resize(static_cast<Eigen::Index>(group.size()), 2);
        for (std::size_t i = 0; i < group.size(); ++i) {
            const NetworkSample& s = *group[i];
            SNNIPRED_CHECK(s.client_ms > 0 && s.server_ms > 0, InvalidInput,
                           "LSTM: sample '" + s.name + "' (" + setting + ") has a time <= 0");
            if (base_) {
                // The bounds prediction clamps to, so that training fits the same model.
                data.bounds.emplace_back();
                data.sequences.push_back(step_rows(s.network, setting, &data.bounds.back()));
            } else {
                data.sequences.push_back(features(s.network, setting));
            }
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
    LstmCorrectionBounds bounds;
    const Eigen::MatrixXd rows = step_rows(network, setting, base_ ? &bounds : nullptr);
    const std::array<double, 2> times = it->second.predict(rows, base_ ? &bounds : nullptr);
    return PartyTimes{times[0], times[1]};
}

}  // namespace snnipred::predict
