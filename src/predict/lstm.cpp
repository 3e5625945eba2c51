// Eigen inference and the JSON model format of the LSTM regressor (lstm.h).
#include "snnipred/predict/lstm.h"

#include <array>
#include <charconv>
#include <cmath>

#include <nlohmann/json.hpp>

#include "snnipred/core/error.h"

namespace snnipred::predict {
namespace {

using nlohmann::json;

constexpr int kModelVersion = 1;
constexpr Eigen::Index kMaxDimension = 4096;

json matrix_json(const Eigen::MatrixXd& m) {
    json rows = json::array();
    for (Eigen::Index r = 0; r < m.rows(); ++r) {
        std::vector<double> row(static_cast<std::size_t>(m.cols()));
        for (Eigen::Index c = 0; c < m.cols(); ++c) row[static_cast<std::size_t>(c)] = m(r, c);
        rows.push_back(row);
    }
    return rows;
}

json vector_json(const Eigen::VectorXd& v) { return std::vector<double>(v.data(), v.data() + v.size()); }

// The double nearest the shortest text of the binary32 value `weight`: JSON then carries at
// most 9 digits per weight instead of 17, and rounding it back to binary32 on load gives
// the weight again.
double shortest_single_text(double weight) {
    std::array<char, 32> text{};
    const auto end = std::to_chars(text.data(), text.data() + text.size(), static_cast<float>(weight)).ptr;
    double parsed = 0;
    std::from_chars(text.data(), end, parsed);
    return parsed;
}

json weights_json(const Eigen::MatrixXd& weights) { return matrix_json(weights.unaryExpr(&shortest_single_text)); }
json bias_json(const Eigen::VectorXd& bias) { return vector_json(bias.unaryExpr(&shortest_single_text)); }

Eigen::MatrixXd matrix_from(const json& j) {
    const auto rows = j.get<std::vector<std::vector<double>>>();
    SNNIPRED_CHECK(!rows.empty() && !rows.front().empty() && static_cast<Eigen::Index>(rows.size()) <= kMaxDimension &&
                       static_cast<Eigen::Index>(rows.front().size()) <= kMaxDimension,
                   InvalidInput, "matrix of implausible size");
    Eigen::MatrixXd m(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows.front().size()));
    for (std::size_t r = 0; r < rows.size(); ++r) {
        SNNIPRED_CHECK(rows[r].size() == rows.front().size(), InvalidInput, "ragged matrix");
        for (std::size_t c = 0; c < rows[r].size(); ++c)
            m(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = rows[r][c];
    }
    return m;
}

Eigen::VectorXd vector_from(const json& j) {
    const auto v = j.get<std::vector<double>>();
    SNNIPRED_CHECK(static_cast<Eigen::Index>(v.size()) <= kMaxDimension, InvalidInput, "vector of implausible size");
    return Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size()));
}

bool finite(const Eigen::MatrixXd& m) { return m.allFinite(); }

}  // namespace

std::string_view lstm_head_name(LstmHead head) { return head == LstmHead::kStepSum ? "step-sum" : "last-state"; }

LstmHead parse_lstm_head(std::string_view name) {
    if (name == "step-sum") return LstmHead::kStepSum;
    if (name == "last-state") return LstmHead::kLastState;
    throw InvalidInput("unknown LSTM head '" + std::string(name) + "' (expected step-sum or last-state)");
}

std::string_view lstm_base_name(LstmBase base) {
    switch (base) {
        case LstmBase::kNone: return "none";
        case LstmBase::kAnalytical: return "analytical";
        case LstmBase::kNn: return "nn";
    }
    return "?";
}

LstmBase parse_lstm_base(std::string_view name) {
    if (name == "none") return LstmBase::kNone;
    if (name == "analytical") return LstmBase::kAnalytical;
    if (name == "nn") return LstmBase::kNn;
    throw InvalidInput("unknown LSTM base '" + std::string(name) + "' (expected none, analytical or nn)");
}

LstmRegressor::LstmRegressor(LstmHead head, LstmConfig config, MlpStandardizer features, LstmInputRange range,
                             std::vector<LstmLayerWeights> lstm, std::vector<MlpDenseLayer> head_layers, LstmBase base)
    : head_(head), base_(base), config_(config), features_(std::move(features)), range_(std::move(range)),
      lstm_(std::move(lstm)), head_layers_(std::move(head_layers)) {
    for (LstmLayerWeights& w : lstm_) {
        w.w_input = single_precision(w.w_input);
        w.w_hidden = single_precision(w.w_hidden);
        w.bias = single_precision(w.bias);
        lstm_inference_.push_back({w.w_input.cast<float>(), w.w_hidden.cast<float>(), w.bias.cast<float>()});
    }
    for (MlpDenseLayer& layer : head_layers_) {
        round_to_single_precision(layer);
        head_inference_.push_back({layer.weight.cast<float>(), {}, layer.bias.cast<float>()});
    }
    const Eigen::Index inputs = features_.mean.size();
    SNNIPRED_CHECK(base_ == LstmBase::kNone || (head_ == LstmHead::kStepSum && inputs > 2), ConfigError,
                   "LstmRegressor: an analytical base needs the step-sum head and its two base features");
    SNNIPRED_CHECK(inputs > 0 && features_.scale.size() == inputs && finite(features_.mean) &&
                       finite(features_.scale) && (features_.scale.array() > 0).all(),
                   ConfigError, "LstmRegressor: feature transform must be finite with positive scales");
    SNNIPRED_CHECK(range_.low.size() == inputs && range_.high.size() == inputs && finite(range_.low) &&
                       finite(range_.high) && (range_.low.array() <= range_.high.array()).all() && range_.max_steps >= 0,
                   ConfigError, "LstmRegressor: input range must be finite with low <= high per feature");
    SNNIPRED_CHECK(!lstm_.empty() && !head_layers_.empty(), ConfigError, "LstmRegressor: no layers");
    Eigen::Index in = inputs;
    for (std::size_t l = 0; l < lstm_.size(); ++l) {
        const LstmLayerWeights& w = lstm_[l];
        const Eigen::Index hidden = w.w_hidden.cols();
        SNNIPRED_CHECK(hidden > 0 && w.w_hidden.rows() == 4 * hidden && w.w_input.rows() == 4 * hidden &&
                           w.w_input.cols() == in && w.bias.size() == 4 * hidden,
                       ConfigError, "LstmRegressor: LSTM layer " + std::to_string(l) + " dimensions do not chain");
        SNNIPRED_CHECK(finite(w.w_input) && finite(w.w_hidden) && finite(w.bias), ConfigError,
                       "LstmRegressor: LSTM layer " + std::to_string(l) + " has a non-finite value");
        in = hidden;
    }
    if (head_ == LstmHead::kStepSum) in += inputs;  // the head also reads the step's features
    for (std::size_t l = 0; l < head_layers_.size(); ++l) {
        const MlpDenseLayer& layer = head_layers_[l];
        SNNIPRED_CHECK(layer.weight.cols() == in && layer.weight.rows() == layer.bias.size() && layer.bias.size() > 0,
                       ConfigError, "LstmRegressor: head layer " + std::to_string(l) + " dimensions do not chain");
        SNNIPRED_CHECK(finite(layer.weight) && finite(layer.bias), ConfigError,
                       "LstmRegressor: head layer " + std::to_string(l) + " has a non-finite value");
        in = layer.weight.rows();
    }
    SNNIPRED_CHECK(in == 2, ConfigError, "LstmRegressor: the head must end in 2 outputs (client, server)");
}

Eigen::MatrixXd LstmRegressor::log_outputs(const Eigen::MatrixXd& steps, const LstmCorrectionBounds* bounds) const {
    SNNIPRED_CHECK(steps.rows() > 0 && steps.cols() == feature_count(), InvalidInput,
                   "LSTM predict: expected a non-empty sequence of " + std::to_string(feature_count()) +
                       " features per step, got " + std::to_string(steps.rows()) + " x " + std::to_string(steps.cols()));
    SNNIPRED_CHECK(bounds == nullptr || (base_ != LstmBase::kNone && bounds->low.rows() == 2 &&
                                         bounds->high.rows() == 2 && bounds->low.cols() == steps.rows() &&
                                         bounds->high.cols() == steps.rows()),
                   InvalidInput, "LSTM predict: correction bounds need a base and 2 x steps values");
    // Steps as columns so each layer's input projection is one matrix product.
    Eigen::MatrixXd x = ((steps.rowwise() - features_.mean.transpose()).array().rowwise() /
                         features_.scale.transpose().array())
                            .matrix()
                            .transpose();
    x = x.unaryExpr([](double v) { return std::isnan(v) ? 0.0 : v; });
    const Eigen::MatrixXd standardized = x;
    x = x.cwiseMax(range_.low.replicate(1, x.cols())).cwiseMin(range_.high.replicate(1, x.cols()));
    const Eigen::Index length = x.cols();
    const Eigen::Index context = head_ == LstmHead::kStepSum && range_.max_steps > 0 ? range_.max_steps : length;
    Eigen::MatrixXf inputs = x.cast<float>();
    for (const InferenceLayer& layer : lstm_inference_) {
        const Eigen::Index hidden = layer.recurrent.cols();
        Eigen::MatrixXf states(hidden, length);
        Eigen::VectorXf h = Eigen::VectorXf::Zero(hidden);
        Eigen::ArrayXf c = Eigen::ArrayXf::Zero(hidden);
        Eigen::MatrixXf gates = layer.weight * inputs;
        gates.colwise() += layer.bias;
        Eigen::VectorXf g(4 * hidden);
        const auto sigmoid = [&](Eigen::Index gate) {
            return 1.0F / (1.0F + (-g.segment(gate * hidden, hidden).array()).exp());
        };
        for (Eigen::Index t = 0; t < length; ++t) {
            if (t % context == 0) {
                h.setZero();
                c.setZero();
            }
            g.noalias() = gates.col(t);
            g.noalias() += layer.recurrent * h;
            c = sigmoid(1) * c + sigmoid(0) * g.segment(2 * hidden, hidden).array().tanh();
            h = (sigmoid(3) * c.tanh()).matrix();
            states.col(t) = h;
        }
        inputs = std::move(states);
    }
    Eigen::MatrixXf z;
    if (head_ == LstmHead::kStepSum) {
        z.resize(inputs.rows() + standardized.rows(), length);
        z << inputs, standardized.cast<float>();
    } else {
        z = inputs.col(length - 1);
    }
    for (std::size_t l = 0; l < head_inference_.size(); ++l) {
        const InferenceLayer& layer = head_inference_[l];
        Eigen::MatrixXf next = layer.weight * z;
        next.colwise() += layer.bias;
        if (l + 1 < head_inference_.size()) next = next.cwiseMax(0.0F);
        z = std::move(next);
    }
    Eigen::MatrixXd log_times = z.cast<double>();
    if (bounds != nullptr) log_times = log_times.cwiseMax(bounds->low).cwiseMin(bounds->high);
    if (base_ != LstmBase::kNone) log_times += steps.rightCols(2).transpose();  // log base + log correction
    return log_times;
}

Eigen::MatrixXd LstmRegressor::predict_steps(const Eigen::MatrixXd& steps, const LstmCorrectionBounds* bounds) const {
    SNNIPRED_CHECK(head_ == LstmHead::kStepSum, InvalidInput, "LSTM: only the step-sum head predicts per-step times");
    return log_outputs(steps, bounds).array().exp();
}

std::array<double, 2> LstmRegressor::predict(const Eigen::MatrixXd& steps, const LstmCorrectionBounds* bounds) const {
    const Eigen::MatrixXd z = log_outputs(steps, bounds);
    std::array<double, 2> out{};
    for (Eigen::Index party = 0; party < 2; ++party) {
        // log-sum-exp of the per-step log contributions (one column for last-state).
        const double peak = z.row(party).maxCoeff();
        out[static_cast<std::size_t>(party)] = std::exp(peak) * (z.row(party).array() - peak).exp().sum();
    }
    return out;
}

std::string LstmRegressor::save() const {
    json lstm = json::array();
    for (const LstmLayerWeights& w : lstm_)
        lstm.push_back({{"w_input", weights_json(w.w_input)},
                        {"w_hidden", weights_json(w.w_hidden)},
                        {"bias", bias_json(w.bias)}});
    json head = json::array();
    for (const MlpDenseLayer& layer : head_layers_)
        head.push_back({{"weight", weights_json(layer.weight)}, {"bias", bias_json(layer.bias)}});
    const json config = {{"hidden", config_.hidden},       {"layers", config_.layers},
                         {"fc_layers", config_.fc_layers}, {"fc_width", config_.fc_width},
                         {"learning_rate", config_.learning_rate}, {"batch_size", config_.batch_size},
                         {"max_epochs", config_.max_epochs},       {"patience", config_.patience}};
    json j = {{"format", "snnipred-lstm"}, {"version", kModelVersion},
              {"head", lstm_head_name(head_)}, {"config", config},
              {"feature_mean", vector_json(features_.mean)}, {"feature_scale", vector_json(features_.scale)},
              {"input_low", vector_json(range_.low)}, {"input_high", vector_json(range_.high)},
              {"lstm", lstm}, {"head_layers", head}};
    // Written only when set, so models without a base keep their bytes.
    if (base_ != LstmBase::kNone) j["base"] = lstm_base_name(base_);
    if (range_.max_steps > 0) j["max_steps"] = range_.max_steps;
    return j.dump();
}

LstmRegressor LstmRegressor::load(const std::string& text, const std::string& source) {
    try {
        const json j = json::parse(text);
        SNNIPRED_CHECK(j.at("format").get<std::string>() == "snnipred-lstm", InvalidInput, "not an LSTM model");
        const int version = j.at("version").get<int>();
        SNNIPRED_CHECK(version == kModelVersion, InvalidInput, "unsupported LSTM model version " + std::to_string(version));
        const json& c = j.at("config");
        LstmConfig config{c.at("hidden").get<int>(),        c.at("layers").get<int>(),
                          c.at("fc_layers").get<int>(),     c.at("fc_width").get<int>(),
                          c.at("learning_rate").get<double>(), c.at("batch_size").get<int>(),
                          c.at("max_epochs").get<int>(),    c.at("patience").get<int>()};
        std::vector<LstmLayerWeights> lstm;
        for (const json& w : j.at("lstm"))
            lstm.push_back({matrix_from(w.at("w_input")), matrix_from(w.at("w_hidden")), vector_from(w.at("bias"))});
        std::vector<MlpDenseLayer> head;
        for (const json& layer : j.at("head_layers"))
            head.push_back({matrix_from(layer.at("weight")), vector_from(layer.at("bias"))});
        return LstmRegressor(parse_lstm_head(j.at("head").get<std::string>()), config,
                             MlpStandardizer{vector_from(j.at("feature_mean")), vector_from(j.at("feature_scale"))},
                             LstmInputRange{vector_from(j.at("input_low")), vector_from(j.at("input_high")),
                                            j.value("max_steps", Eigen::Index{0})},
                             std::move(lstm), std::move(head),
                             parse_lstm_base(j.value("base", std::string(lstm_base_name(LstmBase::kNone)))));
    } catch (const json::exception& error) {
        throw InvalidInput(source + ": invalid LSTM model: " + error.what());
    } catch (const Error& error) {
        throw InvalidInput(source + ": invalid LSTM model: " + error.what());
    }
}

}  // namespace snnipred::predict
