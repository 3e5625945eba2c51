#pragma once
// The per-layer-type neural predictor: one MLP (mlp.h) per (layer kind, party, setting),
// each found by seeded random-search tuning (tune_mlp). Inputs are the record's raw
// dimensions (required_raw_features order), optionally followed by the protocol features
// (feature_sets.h) and, when a group mixes sub-protocols (bn's BN1 / BN2_3D), a one-hot
// of the variant. The MLP's log/standardise transforms make them comparable in scale.
//
// With the residual target the MLP does not learn the time itself but a correction of
// the analytical model (analytical.h): log(measured) - log(analytical prediction), from
// its usual inputs plus log(analytical prediction), and predicts analytical * exp(output).
// The analytical model is linear in protocol counts and extrapolates to layers larger
// than any in training; the MLP then only has to learn a bounded correction.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "snnipred/predict/analytical.h"
#include "snnipred/predict/mlp.h"
#include "snnipred/predict/predictor.h"

namespace snnipred::predict {

enum class MlpInputs {
    kRaw,          // the raw dimensions only
    kRawProtocol,  // raw dimensions plus the protocol feature set
};

/// "raw" / "raw+protocol".
std::string_view mlp_inputs_name(MlpInputs inputs);
/// Inverse of mlp_inputs_name; throws InvalidInput on an unknown name.
MlpInputs parse_mlp_inputs(std::string_view name);

enum class MlpTarget {
    kTime,      // the measured time
    kResidual,  // log(measured time / analytical prediction), a correction of the analytical model
};

/// "time" / "residual".
std::string_view mlp_target_name(MlpTarget target);
/// Inverse of mlp_target_name; throws InvalidInput on an unknown name.
MlpTarget parse_mlp_target(std::string_view name);

struct MlpPredictorOptions {
    int trials = 8;          // random-search trials per group
    std::uint64_t seed = 1;  // base seed; each group derives its own
    MlpInputs inputs = MlpInputs::kRawProtocol;
    MlpTarget target = MlpTarget::kTime;
};

/// Progress of a fit: reported after every tuning trial of every group.
struct MlpFitProgress {
    std::string group;    // "kind/party/setting"
    int group_index = 0;  // 0-based
    int groups = 0;
    MlpTrialResult trial;
};
using MlpFitProgressCallback = std::function<void(const MlpFitProgress&)>;

class MlpPredictor : public Predictor {
public:
    using Key = std::tuple<LayerKind, Party, std::string>;  // kind, party, setting

    /// One fitted group: the variants seen in training (sorted; one-hot encoded when
    /// there are several), the regressor, and the ranges of its training inputs and times.
    /// With the residual target also the range of the training rows' log corrections and
    /// the offset added to them: the regressor's target is expm1(offset + correction),
    /// which must not be negative.
    struct Model {
        std::vector<std::string> variants;
        MlpRegressor regressor;
        double min_time_ms = 0, max_time_ms = 0;
        std::vector<double> input_min, input_max;  // per input
        double min_correction = 0, max_correction = 0, correction_offset = 0;
    };

    /// A ReLU network in log space extrapolates exponentially beyond its training shapes
    /// (a held-out fc configuration, the only one with N_O != ~1000, was predicted at
    /// 1e10 ms), so it is not trusted far outside them: every input is clamped to
    /// [min / f, max * f] of its training range and, with the time target, the prediction
    /// to [min_time_ms / f, max_time_ms * f].
    static constexpr double kExtrapolationFactor = 2.0;
    /// Residual target: the log correction is clamped to the envelope of the analytical
    /// model it corrects, the range of the corrections of training rows of about the same
    /// analytical time (correction_envelope.h). A base without one (saved before envelopes
    /// existed) clamps to the range of all the MLP's training rows widened by this much on
    /// each side (e^0.2 = 1.22x). Either way a correction can never explode; the time
    /// itself is not clamped, the analytical base carries the extrapolation.
    static constexpr double kCorrectionMargin = 0.2;

    /// `base_options` configure the analytical base a residual fit() fits first; given a
    /// `fitted_base` (fitted on the same records, e.g. the bundle's), fit() corrects that
    /// one instead of fitting its own.
    explicit MlpPredictor(MlpPredictorOptions options = {}, MlpFitProgressCallback progress = {},
                          AnalyticalOptions base_options = {},
                          std::shared_ptr<const AnalyticalPredictor> fitted_base = nullptr);
    /// A fitted predictor rebuilt from saved models (bundle loading); a residual one
    /// predicts on top of `base` (the bundle's analytical model). Throws InvalidInput if a
    /// regressor's input count does not match what `options` produce, or if the target is
    /// residual and `base` is null.
    MlpPredictor(MlpPredictorOptions options, std::map<Key, Model> models,
                 std::shared_ptr<const AnalyticalPredictor> base = nullptr);

    /// "mlp/raw" or "mlp/raw+protocol", with "/residual" appended for the residual target.
    std::string name() const override;
    /// Tunes one MLP per (kind, party, setting) in `records`, groups in key order, each
    /// with a seed derived from options.seed and the key; with the residual target and no
    /// fitted base given it first fits a fresh analytical base on the same records. Throws InvalidInput if `records`
    /// is empty, and as tune_mlp and AnalyticalPredictor::fit.
    void fit(std::span<const LayerRecord> records) override;
    /// Throws InvalidInput if there is no model for the record's group or its variant was
    /// not seen in training.
    double predict(const LayerRecord& record) const override;
    /// predict() of every record with one matrix product per model instead of one vector
    /// product per record, each distinct input row once (the same clamps; equal up to
    /// rounding). Throws what predict() throws for the first record it fails on.
    std::vector<double> predict_many(std::span<const LayerRecord> records) const override;

    const MlpPredictorOptions& options() const { return options_; }
    const std::map<Key, Model>& models() const { return models_; }
    /// The analytical base of the residual target; null for the time target.
    const std::shared_ptr<const AnalyticalPredictor>& base() const { return base_; }

    /// The input vector of `record` for a model trained on `variants` (a residual model
    /// reads one more: log of the analytical prediction). Throws InvalidInput if the
    /// record lacks a raw feature or has a variant not in `variants`.
    static std::vector<double> inputs(MlpInputs inputs, const LayerRecord& record,
                                      const std::vector<std::string>& variants);
    /// Number of inputs records of `kind` produce for a model trained on `variant_count`
    /// variants, without the residual target's extra input.
    static std::size_t input_count(MlpInputs inputs, LayerKind kind, std::size_t variant_count);

private:
    // The analytical prediction of `record`, at least kMinLogTimeMs.
    double base_ms(const LayerRecord& record) const;
    // Appends inputs() of `record` to `out`; returns the protocol features among them
    // (empty for raw inputs), for an analytical base on the same features to reuse.
    static FeatureVector append_inputs(MlpInputs inputs, const LayerRecord& record,
                                       const std::vector<std::string>& variants, std::vector<double>& out);
    // The prediction in ms from the regressor's output on a record's clamped inputs; `base`
    // is the record's base_ms and `envelope` that of its analytical model with the residual
    // target, both unused otherwise.
    double output_ms(const Model& model, double regressor_output, double base, const CorrectionEnvelope* envelope) const;
    std::size_t model_input_count(LayerKind kind, std::size_t variant_count) const;

    MlpPredictorOptions options_;
    MlpFitProgressCallback progress_;
    AnalyticalOptions base_options_;
    std::shared_ptr<const AnalyticalPredictor> fitted_base_;  // given at construction
    std::shared_ptr<const AnalyticalPredictor> base_;
    std::map<Key, Model> models_;
};

}  // namespace snnipred::predict
