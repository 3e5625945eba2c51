#include "snnipred/predict/lstm_predictor.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "lstm_features.h"
#include "snnipred/core/error.h"
#include "snnipred/predict/measured_step_times.h"
#include "snnipred/predict/network_prediction.h"
#include "training_util.h"

namespace snnipred::predict {
namespace {

std::uint64_t setting_seed(std::uint64_t seed, const std::string& setting) {
    std::uint64_t hash = splitmix64(seed);
    for (unsigned char c : setting) hash = splitmix64(hash ^ c);
    return hash;
}

void check_members(const LstmPredictorOptions& options) {
    SNNIPRED_CHECK(options.members >= 1 && options.members <= kMaxLstmMembers, InvalidInput,
                   "LSTM: members must be in 1.." + std::to_string(kMaxLstmMembers));
}

// The analytical model under the LSTM: with base nn the MLP's own base, which supplies the
// correction envelopes.
std::shared_ptr<const AnalyticalPredictor> analytical_under(const LstmPredictorOptions& options,
                                                            std::shared_ptr<const AnalyticalPredictor> base,
                                                            const MlpPredictor* nn) {
    if (options.base == LstmBase::kNone) return nullptr;
    const std::string name(lstm_base_name(options.base));
    SNNIPRED_CHECK(options.head == LstmHead::kStepSum, InvalidInput,
                   "LSTM: base " + name + " is corrected per step, which only the step-sum head does "
                   "(use --lstm-base none with --lstm-head last-state)");
    if (options.base == LstmBase::kAnalytical) {
        SNNIPRED_CHECK(base != nullptr, InvalidInput, "LSTM: base analytical needs the fitted analytical model");
        return base;
    }
    SNNIPRED_CHECK(nn != nullptr && nn->base() != nullptr, InvalidInput,
                   "LSTM: base nn needs the fitted per-layer MLP with target residual");
    SNNIPRED_CHECK(base == nullptr || base == nn->base(), InvalidInput,
                   "LSTM: base nn needs the analytical model its MLP corrects");
    return nn->base();
}

}  // namespace

LstmPredictor::LstmPredictor(LstmPredictorOptions options, std::string backend, LstmFitProgressCallback progress,
                             std::shared_ptr<const AnalyticalPredictor> base, std::shared_ptr<const MlpPredictor> nn,
                             protocol::OtExtension ot)
    : options_(options), backend_(std::move(backend)), lowering_(lowering_for_backend(backend_, ot)),
      progress_(std::move(progress)), base_(analytical_under(options_, std::move(base), nn.get())),
      nn_(options_.base == LstmBase::kNn ? std::move(nn) : nullptr) {
    check_members(options_);
}

LstmPredictor::LstmPredictor(LstmPredictorOptions options, std::string backend,
                             std::map<std::string, std::vector<LstmRegressor>> models,
                             std::shared_ptr<const AnalyticalPredictor> base,
                             std::shared_ptr<const MlpPredictor> nn, protocol::OtExtension ot)
    : options_(options), backend_(std::move(backend)), lowering_(lowering_for_backend(backend_, ot)),
      base_(analytical_under(options_, std::move(base), nn.get())),
      nn_(options_.base == LstmBase::kNn ? std::move(nn) : nullptr), models_(std::move(models)) {
    check_members(options_);
    for (const auto& [setting, members] : models_) {
        SNNIPRED_CHECK(!members.empty(), InvalidInput, "LSTM: no model for setting '" + setting + "'");
        for (const LstmRegressor& model : members) {
            SNNIPRED_CHECK(model.feature_count() == feature_count(), InvalidInput,
                           "LSTM model for setting '" + setting + "' reads " + std::to_string(model.feature_count()) +
                               " step features, this snnipred produces " + std::to_string(feature_count()));
            SNNIPRED_CHECK(model.base() == options_.base, InvalidInput,
                           "LSTM model for setting '" + setting + "' has base " +
                               std::string(lstm_base_name(model.base())) + ", the recipe says " +
                               std::string(lstm_base_name(options_.base)));
        }
    }
}

std::string LstmPredictor::name() const { return "lstm"; }

Eigen::Index LstmPredictor::feature_count() const {
    return step_feature_count() + (options_.base != LstmBase::kNone ? 2 : 0);
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
    const auto log_times = [&](const NetworkPrediction& p) {
        Eigen::MatrixXd logs(count, 2);
        for (Eigen::Index row = 0; row < count; ++row) {
            const auto& step = p.steps[static_cast<std::size_t>(row)];
            logs.row(row) << std::log(std::max(step.client_ms, kMinLogTimeMs)),
                std::log(std::max(step.server_ms, kMinLogTimeMs));
        }
        return logs;
    };
    const Eigen::MatrixXd log_analytical = log_times(predict_network(nn_ ? steps : std::move(steps), *base_, setting));
    rows.rightCols(2) = nn_ ? log_times(predict_network(std::move(steps), *nn_, setting)) : log_analytical;
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
            const auto [low, high] = model->envelope.range(log_analytical(row, party));
            // The envelope bounds the total correction of the analytical time; with base nn
            // the MLP has already made part of it.
            const double made = rows(row, rows.cols() - 2 + party) - log_analytical(row, party);
            bounds->low(party, row) = low - made;
            bounds->high(party, row) = high - made;
        }
    }
    return rows;
}

void LstmPredictor::fit(std::span<const NetworkSample> samples) { fit(samples, {}); }

void LstmPredictor::fit(std::span<const NetworkSample> samples, std::span<const LayerRecord> step_records) {
    SNNIPRED_CHECK(!samples.empty(), InvalidInput, "LSTM: no network samples to fit");
    const bool supervise_steps = options_.head == LstmHead::kStepSum && !step_records.empty();
    const std::vector<Eigen::MatrixXd> step_times =
        supervise_steps ? measured_step_times(samples, step_records, lowering_) : std::vector<Eigen::MatrixXd>{};
    std::map<std::string, std::vector<std::size_t>> by_setting;
    for (std::size_t i = 0; i < samples.size(); ++i) by_setting[samples[i].setting].push_back(i);
    steps_supervised_ = 0;
    for (const Eigen::MatrixXd& t : step_times) steps_supervised_ += t.cols() > 0;
    std::map<std::string, std::vector<LstmRegressor>> models;
    int index = 0;
    for (const auto& [setting, group] : by_setting) {
        LstmTrainingData data;
        data.base = options_.base;
        data.times.resize(static_cast<Eigen::Index>(group.size()), 2);
        for (std::size_t i = 0; i < group.size(); ++i) {
            const NetworkSample& s = samples[group[i]];
            if (supervise_steps) data.step_times.push_back(step_times[group[i]]);
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
        std::vector<LstmRegressor>& members = models[setting];
        for (int member = 0; member < options_.members; ++member) {
            const LstmProgressCallback report = [&](const LstmTrialResult& trial) {
                if (progress_) progress_(LstmFitProgress{setting, setting_index, settings, member, options_.members, trial});
            };
            const std::uint64_t seed = setting_seed(options_.seed, setting);
            members.push_back(tune_lstm(data, options_.head, options_.trials, options_.max_epochs, options_.patience,
                                        member == 0 ? seed : splitmix64(seed + static_cast<std::uint64_t>(member)),
                                        report));
        }
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
    PartyTimes mean;
    for (const LstmRegressor& member : it->second) {
        const std::array<double, 2> times = member.predict(rows, base_ ? &bounds : nullptr);
        mean.client_ms += times[0] / static_cast<double>(it->second.size());
        mean.server_ms += times[1] / static_cast<double>(it->second.size());
    }
    return mean;
}

}  // namespace snnipred::predict
