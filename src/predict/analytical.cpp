#include "snnipred/predict/analytical.h"

#include <algorithm>
#include <cmath>

#include "snnipred/core/error.h"
#include "snnipred/predict/nnls.h"

namespace snnipred::predict {
namespace {

double normalise(double value, double lo, double hi) { return hi > lo ? (value - lo) / (hi - lo) : 0.0; }

std::string key_name(const AnalyticalPredictor::Key& key) {
    return std::string(layer_kind_name(std::get<0>(key))) + "/" + std::string(party_name(std::get<1>(key))) + "/" +
           std::get<2>(key);
}

}  // namespace

double LinearModel::evaluate(const std::vector<double>& features) const {
    return evaluate(std::span<const double>(features));
}

double LinearModel::evaluate(std::span<const double> features) const {
    double t = intercept;
    for (std::size_t i = 0; i < coef.size(); ++i) t += coef[i] * normalise(features[i], min[i], max[i]);
    return t;
}

LinearModel fit_linear_model(const std::vector<std::vector<double>>& x, const std::vector<double>& y,
                             const std::vector<std::string>& feature_names, InterceptMode intercept, FitLoss loss) {
    SNNIPRED_CHECK(!x.empty() && x.size() == y.size(), InvalidInput,
                   "fit_linear_model: need as many feature rows as times, and at least one");
    const std::size_t k = feature_names.size();
    for (const auto& row : x)
        SNNIPRED_CHECK(row.size() == k, InvalidInput, "fit_linear_model: feature row of the wrong length");
    const Eigen::Index n = static_cast<Eigen::Index>(x.size());

    LinearModel model;
    model.feature_names = feature_names;
    model.train_rows = x.size();
    model.min.assign(k, 0);
    model.max.assign(k, 0);
    for (std::size_t j = 0; j < k; ++j) {
        model.min[j] = model.max[j] = x.front()[j];
        for (const auto& row : x) {
            model.min[j] = std::min(model.min[j], row[j]);
            model.max[j] = std::max(model.max[j], row[j]);
        }
    }

    double mean_y = 0;
    for (double t : y) mean_y += t / static_cast<double>(n);
    // Row weights: relative loss divides each residual by its time (floored so that a
    // zero time cannot dominate).
    Eigen::VectorXd weight = Eigen::VectorXd::Ones(n);
    if (loss == FitLoss::kRelative)
        for (Eigen::Index i = 0; i < n; ++i) weight(i) = 1.0 / std::max(y[i], 1e-3 * std::max(mean_y, 1e-9));

    Eigen::MatrixXd a(n, static_cast<Eigen::Index>(k) + (intercept == InterceptMode::kNonNegative ? 1 : 0));
    Eigen::VectorXd b(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < k; ++j)
            a(i, static_cast<Eigen::Index>(j)) = normalise(x[i][j], model.min[j], model.max[j]);
        if (intercept == InterceptMode::kNonNegative) a(i, static_cast<Eigen::Index>(k)) = 1.0;
        b(i) = y[i];
    }
    Eigen::RowVectorXd column_mean = Eigen::RowVectorXd::Zero(static_cast<Eigen::Index>(k));
    double target_mean = 0;
    if (intercept == InterceptMode::kFree) {
        // A free intercept is eliminated by centring on the weighted means (squared weights:
        // they multiply residuals).
        const Eigen::VectorXd w2 = weight.cwiseProduct(weight);
        column_mean = (w2.transpose() * a.leftCols(static_cast<Eigen::Index>(k))) / w2.sum();
        target_mean = w2.dot(b) / w2.sum();
        a.rowwise() -= column_mean;
        b.array() -= target_mean;
    }
    a = weight.asDiagonal() * a;
    b = weight.asDiagonal() * b;

    const NnlsResult solution = nnls(a, b);
    model.coef.assign(k, 0);
    for (std::size_t j = 0; j < k; ++j) model.coef[j] = solution.x(static_cast<Eigen::Index>(j));
    if (intercept == InterceptMode::kNonNegative) {
        model.intercept = solution.x(static_cast<Eigen::Index>(k));
    } else {
        model.intercept = target_mean;
        for (std::size_t j = 0; j < k; ++j) model.intercept -= column_mean(static_cast<Eigen::Index>(j)) * model.coef[j];
    }
    return model;
}

AnalyticalPredictor::AnalyticalPredictor(AnalyticalOptions options) : options_(options) {}

std::string AnalyticalPredictor::name() const {
    return "analytical/" + std::string(feature_set_name(options_.features));
}

void AnalyticalPredictor::fit(std::span<const LayerRecord> records) {
    SNNIPRED_CHECK(!records.empty(), InvalidInput, "analytical predictor: no training records");
    struct Rows {
        std::vector<std::vector<double>> x;
        std::vector<double> y;
    };
    std::map<Key, Rows> groups;
    for (const LayerRecord& record : records) {
        Rows& rows = groups[Key{record.kind, record.party, record.setting}];
        rows.x.push_back(feature_values(options_.features, record));
        rows.y.push_back(record.time_ms);
    }
    models_.clear();
    for (const auto& [key, rows] : groups) {
        LinearModel model = fit_linear_model(rows.x, rows.y, feature_names(options_.features, std::get<0>(key)),
                                             options_.intercept, options_.loss);
        std::vector<CorrectionEnvelope::Point> points;
        for (std::size_t i = 0; i < rows.y.size(); ++i) {
            const double log_prediction = std::log(std::max(model.evaluate(rows.x[i]), kMinLogTimeMs));
            points.push_back({log_prediction, std::log(std::max(rows.y[i], kMinLogTimeMs)) - log_prediction});
        }
        model.envelope = CorrectionEnvelope(std::move(points));
        models_.emplace(key, std::move(model));
    }
}

double AnalyticalPredictor::predict(const LayerRecord& record) const {
    const LinearModel* model = find_model(record.kind, record.party, record.setting);
    SNNIPRED_CHECK(model != nullptr, InvalidInput,
                   "analytical predictor: no model for " + key_name(Key{record.kind, record.party, record.setting}));
    return model->evaluate(compute_features(options_.features, record).view());
}

const LinearModel* AnalyticalPredictor::find_model(LayerKind kind, Party party, const std::string& setting) const {
    const auto it = models_.find(Key{kind, party, setting});
    return it == models_.end() ? nullptr : &it->second;
}

}  // namespace snnipred::predict
