#include "snnipred/predict/mlp_predictor.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <set>
#include <unordered_map>

#include "snnipred/core/error.h"
#include "snnipred/predict/feature_sets.h"

namespace snnipred::predict {
namespace {

std::string key_name(const MlpPredictor::Key& key) {
    return std::string(layer_kind_name(std::get<0>(key))) + "/" + std::string(party_name(std::get<1>(key))) + "/" +
           std::get<2>(key);
}

// FNV-1a.
constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

// Each group gets its own seed, stable under adding or removing other groups.
std::uint64_t group_seed(std::uint64_t seed, const std::string& name) {
    std::uint64_t hash = kFnvOffset;
    for (unsigned char c : name) hash = (hash ^ c) * kFnvPrime;
    return seed ^ hash;
}

// Clamps a row of inputs to [min / f, max * f] of the model's training range (see
// MlpPredictor::kExtrapolationFactor).
void clamp_to_training_range(const MlpPredictor::Model& model, std::span<double> x) {
    constexpr double f = MlpPredictor::kExtrapolationFactor;
    for (std::size_t j = 0; j < x.size(); ++j) {
        const double lo = model.input_min[j] >= 0 ? model.input_min[j] / f : model.input_min[j] * f;
        const double hi = model.input_max[j] >= 0 ? model.input_max[j] * f : model.input_max[j] / f;
        x[j] = std::clamp(x[j], lo, hi);
    }
}

// MlpPredictor::base_ms of `record`, given the analytical model of its group (whose lookup
// is then not repeated per record) and the protocol features of the record's MLP inputs
// (reused when the analytical model reads those, else empty): the arithmetic of
// AnalyticalPredictor::predict.
double group_base_ms(const LinearModel& model, FeatureSet features, const LayerRecord& record,
                     const FeatureVector& protocol) {
    const FeatureVector values =
        features == FeatureSet::kProtocol && protocol.size > 0 ? protocol : compute_features(features, record);
    return std::max(model.evaluate(values.view()), kMinLogTimeMs);
}

// The distinct input rows of one model's records: networks repeat layer shapes
// (DenseNet-121 has 66 distinct convolutions among its 120), and the MLP's matrix products
// are most of a whole-network prediction, so each distinct row goes through it once.
class DistinctRows {
public:
    explicit DistinctRows(std::size_t width) : width_(width) {}

    // Row-major storage a new row is appended to; keep_last() once it is complete.
    std::vector<double>& values() { return values_; }
    // Index of the row just appended, or of an identical earlier one (the new row is then
    // dropped). Rows are told apart by hash, then compared: a collision keeps both.
    std::size_t keep_last() {
        const std::size_t last = values_.size() / width_ - 1;
        const double* row = values_.data() + last * width_;
        std::uint64_t hash = kFnvOffset;
        for (std::size_t j = 0; j < width_; ++j) hash = (hash ^ std::bit_cast<std::uint64_t>(row[j])) * kFnvPrime;
        const auto [first, inserted] = first_by_hash_.try_emplace(hash, last);
        if (inserted || !std::equal(row, row + width_, values_.data() + first->second * width_)) return last;
        values_.resize(last * width_);
        return first->second;
    }
    // The distinct rows as a matrix, one row each.
    Eigen::MatrixXd matrix() const {
        using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
        const auto width = static_cast<Eigen::Index>(width_);
        return Eigen::Map<const RowMajor>(values_.data(), static_cast<Eigen::Index>(values_.size()) / width, width);
    }

private:
    std::size_t width_;
    std::vector<double> values_;
    std::unordered_map<std::uint64_t, std::size_t> first_by_hash_;  // row hash -> first row with it
};

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
    append_inputs(inputs, record, variants, x);
    return x;
}

FeatureVector MlpPredictor::append_inputs(MlpInputs inputs, const LayerRecord& record,
                                          const std::vector<std::string>& variants, std::vector<double>& out) {
    for (const std::string& name : required_raw_features(record.kind)) out.push_back(record.raw_value(name));
    FeatureVector protocol;
    if (inputs == MlpInputs::kRawProtocol) {
        protocol = compute_features(FeatureSet::kProtocol, record);
        out.insert(out.end(), protocol.view().begin(), protocol.view().end());
    }
    const auto it = std::find(variants.begin(), variants.end(), record.variant);
    SNNIPRED_CHECK(it != variants.end(), InvalidInput,
                   "MLP predictor: variant '" + record.variant + "' of " + std::string(layer_kind_name(record.kind)) +
                       " was not in the training data");
    if (variants.size() > 1)
        for (const std::string& v : variants) out.push_back(v == record.variant ? 1.0 : 0.0);
    return protocol;
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

double MlpPredictor::output_ms(const Model& model, double regressor_output, double base,
                               const CorrectionEnvelope* envelope) const {
    if (options_.target == MlpTarget::kTime)
        return std::clamp(regressor_output, model.min_time_ms / kExtrapolationFactor,
                          model.max_time_ms * kExtrapolationFactor);
    const double correction = std::log1p(regressor_output) - model.correction_offset;
    if (envelope != nullptr && !envelope->empty()) {
        const auto [low, high] = envelope->range(std::log(base));
        return base * std::exp(std::clamp(correction, low, high));
    }
    return base * std::exp(std::clamp(correction, model.min_correction - kCorrectionMargin,
                                      model.max_correction + kCorrectionMargin));
}

double MlpPredictor::predict(const LayerRecord& record) const {
    const Key key{record.kind, record.party, record.setting};
    const auto it = models_.find(key);
    SNNIPRED_CHECK(it != models_.end(), InvalidInput, "MLP predictor: no model for " + key_name(key));
    const Model& model = it->second;
    std::vector<double> x = inputs(options_.inputs, record, model.variants);
    const bool residual = options_.target == MlpTarget::kResidual;
    const double base = residual ? base_ms(record) : 0;
    const LinearModel* base_model = residual ? base_->find_model(record.kind, record.party, record.setting) : nullptr;
    if (residual) x.push_back(std::log(base));
    clamp_to_training_range(model, x);
    return output_ms(model, model.regressor.predict(x.data()), base, base_model ? &base_model->envelope : nullptr);
}

std::vector<double> MlpPredictor::predict_many(std::span<const LayerRecord> records) const {
    // Batches are filled in record order, so that the first bad record throws what
    // predict() would.
    struct Batch {
        std::map<Key, Model>::const_iterator model;
        const LinearModel* base = nullptr;  // residual target: the analytical model of the group
        DistinctRows rows;
    };
    struct Slot {
        std::size_t batch = 0, row = 0;
        double base_ms = 0;  // residual target only
    };
    const bool residual = options_.target == MlpTarget::kResidual;
    std::vector<Batch> batches;  // a handful (a network has few kinds), so searched linearly
    std::vector<Slot> slots;
    slots.reserve(records.size());
    for (const LayerRecord& record : records) {
        auto batch = std::find_if(batches.begin(), batches.end(), [&record](const Batch& b) {
            const auto& [kind, party, setting] = b.model->first;
            return kind == record.kind && party == record.party && setting == record.setting;
        });
        if (batch == batches.end()) {
            const Key key{record.kind, record.party, record.setting};
            const auto it = models_.find(key);
            SNNIPRED_CHECK(it != models_.end(), InvalidInput, "MLP predictor: no model for " + key_name(key));
            const LinearModel* base = residual ? base_->find_model(record.kind, record.party, record.setting) : nullptr;
            batch = batches.insert(batches.end(), Batch{it, base, DistinctRows(it->second.input_min.size())});
        }
        const Model& model = batch->model->second;
        std::vector<double>& values = batch->rows.values();
        const std::size_t start = values.size();
        const FeatureVector protocol = append_inputs(options_.inputs, record, model.variants, values);
        Slot slot{static_cast<std::size_t>(batch - batches.begin())};
        if (residual) {
            // Without a model base_ms() throws the analytical predictor's error.
            slot.base_ms = batch->base == nullptr
                               ? base_ms(record)
                               : group_base_ms(*batch->base, base_->options().features, record, protocol);
            values.push_back(std::log(slot.base_ms));
        }
        clamp_to_training_range(model, std::span(values).subspan(start));
        slot.row = batch->rows.keep_last();
        slots.push_back(slot);
    }

    std::vector<Eigen::VectorXd> outputs;
    outputs.reserve(batches.size());
    for (const Batch& batch : batches) outputs.push_back(batch.model->second.regressor.predict(batch.rows.matrix()));
    std::vector<double> out;
    out.reserve(records.size());
    for (const Slot& slot : slots) {
        const Batch& batch = batches[slot.batch];
        out.push_back(output_ms(batch.model->second, outputs[slot.batch](static_cast<Eigen::Index>(slot.row)),
                                slot.base_ms, batch.base ? &batch.base->envelope : nullptr));
    }
    return out;
}

}  // namespace snnipred::predict
