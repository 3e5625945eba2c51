#pragma once
// The analytical predictor: per (layer kind, party, setting), a linear model
// T = c_1 f_1 + ... + c_k f_k + c_0 on min-max-normalised features with non-negative
// coefficients (the paper's c_1..c_5 >= 0), fitted by non-negative least squares.

#include <map>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "snnipred/predict/correction_envelope.h"
#include "snnipred/predict/feature_sets.h"
#include "snnipred/predict/predictor.h"

namespace snnipred::predict {

enum class InterceptMode {
    kNonNegative,  // c_0 >= 0 like the other coefficients (the paper's model)
    kFree,         // c_0 of any sign, as scikit-learn's LinearRegression(positive=True)
};

enum class FitLoss {
    kAbsolute,  // least squares on milliseconds: large layers dominate
    kRelative,  // least squares on relative error (rows weighted 1/time): timing noise
                // is roughly proportional to time, and small layers count as much as big
};

struct AnalyticalOptions {
    FeatureSet features = FeatureSet::kPaper;
    InterceptMode intercept = InterceptMode::kNonNegative;
    FitLoss loss = FitLoss::kAbsolute;
};

/// Predictors that correct the analytical model (mlp_predictor.h's residual target,
/// lstm_predictor.h's analytical base) work on logs of its predictions; NNLS may predict
/// 0 ms for the smallest layers, so a prediction (or time) below this is taken as this.
inline constexpr double kMinLogTimeMs = 1e-3;

/// One fitted linear model.
struct LinearModel {
    std::vector<std::string> feature_names;
    std::vector<double> min, max;  // per feature, over the training rows
    std::vector<double> coef;      // per normalised feature, all >= 0
    double intercept = 0;
    std::size_t train_rows = 0;
    /// How far the model was off on its training rows: log(max(prediction, kMinLogTimeMs))
    /// and the log correction to the measured time, for the predictors that correct it to
    /// clamp their corrections (correction_envelope.h). Empty in a model saved before.
    CorrectionEnvelope envelope;

    /// c_0 + sum c_i (x_i - min_i) / (max_i - min_i); a feature constant in training
    /// contributes nothing.
    double evaluate(const std::vector<double>& features) const;
    /// The same, on a span of at least coef.size() values (no copy into a vector).
    double evaluate(std::span<const double> features) const;
};

class AnalyticalPredictor : public Predictor {
public:
    using Key = std::tuple<LayerKind, Party, std::string>;  // kind, party, setting

    explicit AnalyticalPredictor(AnalyticalOptions options = {});

    std::string name() const override;
    /// Fits one model per (kind, party, setting) present in `records`. Throws
    /// InvalidInput if `records` is empty.
    void fit(std::span<const LayerRecord> records) override;
    double predict(const LayerRecord& record) const override;

    /// The model predict() uses for records of `kind` on `party` in `setting`, or null
    /// when there is none. Whole-network prediction looks each one up once, then
    /// evaluates it on features computed once per step (compute_features(options().features, ...)).
    const LinearModel* find_model(LayerKind kind, Party party, const std::string& setting) const;

    const AnalyticalOptions& options() const { return options_; }
    const std::map<Key, LinearModel>& models() const { return models_; }

    /// A fitted predictor rebuilt from saved models (bundle loading; analytical_io.cpp).
    /// Throws InvalidInput if a model's feature names differ from feature_names(
    /// options.features, kind) or its min/max/coef lengths disagree.
    static AnalyticalPredictor from_models(AnalyticalOptions options, std::map<Key, LinearModel> models);

private:
    AnalyticalOptions options_;
    std::map<Key, LinearModel> models_;
};

/// Fits one linear model to feature rows `x` (all of the same length) and times `y`.
/// Throws InvalidInput if there are no rows or their lengths differ.
LinearModel fit_linear_model(const std::vector<std::vector<double>>& x, const std::vector<double>& y,
                             const std::vector<std::string>& feature_names, InterceptMode intercept, FitLoss loss);

}  // namespace snnipred::predict
