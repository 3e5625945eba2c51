#include "snnipred/predict/mlp_predictor.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "snnipred/core/error.h"
#include "snnipred/predict/feature_sets.h"

namespace snnipred::predict {
namespace {

std::string key_name(const MlpPredictor::Key& key) {
    return std::string(layer_kind_name(std::get<0>(key))) + "/" + std::string(party_name(std::get<1>(key))) + "/" +
           std::get<2>(key);
}

// Each group gets its own seed, stable under adding or removing other groups.
std::uint64_t group_seed(std::uint64_t seed, const std::string& name) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (unsigned char c : name) hash = (hash ^ c) * 0x100000001b3ULL;
    return seed ^ hash;
}

}  // namespace

std::string_view mlp_inputs_name(MlpInputs inputs) { return inputs == MlpInputs::kRaw ? "raw" : "raw+protocol"; }

MlpInputs parse_mlp_inputs(std::string_view name) {
    if (name == "raw") return MlpInputs::kRaw;
    if (name == "raw+protocol") return MlpInputs::kRawProtocol;
    throw InvalidInput("unknown MLP inputs '" + std::string(name) + "' (expected raw or raw+protocol)");
}

std::string_view mlp_target_name(MlpTarget target) { return target == MlpTarget::kTime ? "time" : "residual"; }

MlpTarget parse_mlp_target(std::string_view name) {
    if (name == "time") return MlpTarget::kTime;
    if (name == "residual") return MlpTarget::kResidual;
    throw InvalidInput("unknown MLP target '" + std::string(name) + "' (expected time or residual)");
}

MlpPredictor::MlpPredictor(MlpPredictorOptions options, MlpFitProgressCallback progress,
                           AnalyticalOptions base_options, std::shared_ptr<const AnalyticalPredictor> fitted_base)
    : options_(options), progress_(std::move(progress)), base_options_(base_options),
      fitted_base_(std::move(fitted_base)) {}

MlpPredictor::MlpPredictor(MlpPredictorOptions options, std::map<Key, Model> models,
                           std::shared_ptr<const AnalyticalPredictor> base)
    : options_(options), base_(std::move(base)), models_(std::move(models)) {
    SNNIPRED_CHECK(options_.target == MlpTarget::kTime || base_ != nullptr, InvalidInput,
                   "MLP predictor: the residual target needs the analytical model it corrects");
    if (base_) base_options_ = base_->options();
    for (const auto& [key, model] : models_) {
        SNNIPRED_CHECK(model.min_time_ms >= 0 && model.min_time_ms <= model.max_time_ms, InvalidInput,
                       "MLP model " + key_name(key) + " has an invalid training time range");
        SNNIPRED_CHECK(model.min_correction <= model.max_correction, InvalidInput,
                       "MLP model " + key_name(key) + " has an invalid correction range");
        const std::size_t expected = model_input_count(std::get<0>(key), model.variants.size());
        SNNIPRED_CHECK(static_cast<std::size_t>(model.regressor.input_count()) == expected, InvalidInput,
                       "MLP model " + key_name(key) + " has " + std::to_string(model.regressor.input_count()) +
                           " inputs, expected " + std::to_string(expected));
        SNNIPRED_CHECK(model.input_min.size() == expected && model.input_max.size() == expected, InvalidInput,
                       "MLP model " + key_name(key) + " has input ranges of the wrong length");
        for (std::size_t j = 0; j < expected; ++j)
            SNNIPRED_CHECK(model.input_min[j] <= model.input_max[j], InvalidInput,
                           "MLP model " + key_name(key) + " has an invalid input range");
    }
}

std::string MlpPredictor::name() const {
    return "mlp/" + std::string(mlp_inputs_name(options_.inputs)) +
           (options_.target == MlpTarget::kResidual ? "/residual" : "");
}

std::size_t MlpPredictor::model_input_count(LayerKind kind, std::size_t variant_count) const {
    return input_count(options_.inputs, kind, variant_count) + (options_.target == MlpTarget::kResidual ? 1 : 0);
}

double MlpPredictor::base_ms(const LayerRecord& record) const {
    return std::max(base_->predict(record), kMinLogTimeMs);
}

std::size_t MlpPredictor::input_count(MlpInputs inputs, LayerKind kind, std::size_t variant_count) {
    std::size_t n = required_raw_features(kind).size();
    if (inputs == MlpInputs::kRawProtocol) n += feature_names(FeatureSet::kProtocol, kind).size();
    return n + (variant_count > 1 ? variant_count : 0);
}

std::vector<double> MlpPredictor::inputs(MlpInputs inputs, const LayerRecord& record,
                                         const std::vector<std::string>& variants) {
    std::vector<double> x;
    for (const std::string& name : required_raw_features(record.kind)) x.push_back(record.raw_value(name));
    if (inputs == MlpInputs::kRawProtocol) {
        const std::vector<double> protocol = feature_values(FeatureSet::kProtocol, record);
        x.insert(x.end(), protocol.begin(), protocol.end());
    }
    const auto it = std::find(variants.begin(), variants.end(), record.variant);
    SNNIPRED_CHECK(it != variants.end(), InvalidInput,
                   "MLP predictor: variant '" + record.variant + "' of " + std::string(layer_kind_name(record.kind)) +
                       " was not in the training data");
    if (variants.size() > 1)
        for (const std::string& v : variants) x.push_back(v == record.variant ? 1.0 : 0.0);
    return x;
}

void MlpPredictor::fit(std::span<const LayerRecord> records) {
    SNNIPRED_CHECK(!records.empty(), InvalidInput, "MLP predictor: no training records");
    const bool residual = options_.target == MlpTarget::kResidual;
    if (residual && fitted_base_) {
        base_ = fitted_base_;
    } else if (residual) {
        auto base = std::make_shared<AnalyticalPredictor>(base_options_);
        base->fit(records);
        base_ = std::move(base);
    }
    std::map<Key, std::vector<const LayerRecord*>> groups;
    for (const LayerRecord& record : records) groups[Key{record.kind, record.party, record.setting}].push_back(&record);

    models_.clear();
    int index = 0;
    for (const auto& [key, rows] : groups) {
        std::set<std::string> seen;
        for (const LayerRecord* r : rows) seen.insert(r->variant);
        std::vector<std::string> variants(seen.begin(), seen.end());

        const auto columns = static_cast<Eigen::Index>(model_input_count(std::get<0>(key), variants.size()));
        MlpTrainingData data{Eigen::MatrixXd(static_cast<Eigen::Index>(rows.size()), columns),
                             Eigen::VectorXd(static_cast<Eigen::Index>(rows.size()))};
        Eigen::VectorXd times(static_cast<Eigen::Index>(rows.size()));
        for (std::size_t i = 0; i < rows.size(); ++i) {
            std::vector<double> x = inputs(options_.inputs, *rows[i], variants);
            const auto row = static_cast<Eigen::Index>(i);
            times(row) = rows[i]->time_ms;
            data.y(row) = rows[i]->time_ms;
            if (residual) {
                const double base = base_ms(*rows[i]);
                x.push_back(std::log(base));
                data.y(row) = std::log(std::max(rows[i]->time_ms, kMinLogTimeMs)) - std::log(base);
            }
            for (Eigen::Index j = 0; j < columns; ++j) data.x(row, j) = x[static_cast<std::size_t>(j)];
        }
        double min_correction = 0, max_correction = 0, correction_offset = 0;
        if (residual) {
            // The regressor learns log1p of a non-negative target: expm1(offset + correction)
            // makes that the correction plus a constant (which its standardisation removes),
            // and the offset keeps it >= 1.
            min_correction = data.y.minCoeff();
            max_correction = data.y.maxCoeff();
            correction_offset = 1 - min_correction;
            data.y = (data.y.array() + correction_offset).unaryExpr([](double v) { return std::expm1(v); });
        }
        const std::string name = key_name(key);
        MlpProgressCallback callback;
        if (progress_) {
            callback = [&, index](const MlpTrialResult& trial) {
                progress_(MlpFitProgress{name, index, static_cast<int>(groups.size()), trial});
            };
        }
        Model model{std::move(variants),
                    tune_mlp(data, options_.trials, group_seed(options_.seed, name), callback),
                    times.minCoeff(),
                    times.maxCoeff(),
                    {},
                    {},
                    min_correction,
                    max_correction,
                    correction_offset};
        for (Eigen::Index j = 0; j < columns; ++j) {
            model.input_min.push_back(data.x.col(j).minCoeff());
            model.input_max.push_back(data.x.col(j).maxCoeff());
        }
        models_.emplace(key, std::move(model));
        ++index;
    }
}

double MlpPredictor::predict(const LayerRecord& record) const {
    const Key key{record.kind, record.party, record.setting};
    const auto it = models_.find(key);
    SNNIPRED_CHECK(it != models_.end(), InvalidInput, "MLP predictor: no model for " + key_name(key));
    const Model& model = it->second;
    std::vector<double> x = inputs(options_.inputs, record, model.variants);
    const bool residual = options_.target == MlpTarget::kResidual;
    const double base = residual ? base_ms(record) : 0;
    if (residual) x.push_back(std::log(base));
    constexpr double f = kExtrapolationFactor;
    for (std::size_t j = 0; j < x.size(); ++j) {
        const double lo = model.input_min[j] >= 0 ? model.input_min[j] / f : model.input_min[j] * f;
        const double hi = model.input_max[j] >= 0 ? model.input_max[j] * f : model.input_max[j] / f;
        x[j] = std::clamp(x[j], lo, hi);
    }
    if (!residual)
        return std::clamp(model.regressor.predict(x.data()), model.min_time_ms / kExtrapolationFactor,
                          model.max_time_ms * kExtrapolationFactor);
    const double correction = std::log1p(model.regressor.predict(x.data())) - model.correction_offset;
    return base * std::exp(std::clamp(correction, model.min_correction - kCorrectionMargin,
                                      model.max_correction + kCorrectionMargin));
}

}  // namespace snnipred::predict
