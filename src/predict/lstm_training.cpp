// Training side of the LSTM regressor (lstm.h): libtorch autograd + Adam on padded,
// masked mini-batches of double tensors; the weights are then copied into Eigen.
// The tensors, batches and forward pass are in lstm_torch_model.h.
//
// Determinism: all randomness comes from generators seeded by the caller, torch runs on
// one thread (training_util.h).

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <random>

#include "lstm_torch_model.h"
#include "snnipred/core/error.h"
#include "snnipred/predict/lstm.h"
#include "training_util.h"

namespace snnipred::predict {
namespace {

constexpr double kValidationFraction = 0.2;
constexpr std::size_t kMinNetworksForValidation = 5;
constexpr double kGradientClipNorm = 1.0;

void validate(const LstmTrainingData& data, LstmHead head) {
    SNNIPRED_CHECK(!data.sequences.empty(), InvalidInput, "LSTM training: no networks");
    SNNIPRED_CHECK(data.base == LstmBase::kNone || head == LstmHead::kStepSum, InvalidInput,
                   "LSTM training: an analytical base corrects per-step times, which only the step-sum head has");
    SNNIPRED_CHECK(data.times.rows() == static_cast<Eigen::Index>(data.sequences.size()) && data.times.cols() == 2,
                   InvalidInput, "LSTM training: expected one (client, server) time per network");
    SNNIPRED_CHECK(data.times.allFinite() && (data.times.array() > 0).all(), InvalidInput,
                   "LSTM training: every time must be finite and > 0");
    const Eigen::Index features = data.sequences.front().cols();
    for (const Eigen::MatrixXd& s : data.sequences) {
        SNNIPRED_CHECK(s.rows() > 0 && s.cols() == features && features > 0, InvalidInput,
                       "LSTM training: every network needs steps with the same feature count");
        SNNIPRED_CHECK(!s.array().isInf().any(), InvalidInput, "LSTM training: infinite feature");
        SNNIPRED_CHECK(data.base == LstmBase::kNone || (features > 2 && s.rightCols(2).allFinite()), InvalidInput,
                       "LSTM training: the analytical base columns must be finite");
    }
    SNNIPRED_CHECK(data.bounds.empty() || (data.base != LstmBase::kNone && data.bounds.size() == data.sequences.size()),
                   InvalidInput, "LSTM training: correction bounds need a base and one per network");
    SNNIPRED_CHECK(data.step_times.empty() || (head == LstmHead::kStepSum && data.step_times.size() == data.sequences.size()),
                   InvalidInput, "LSTM training: per-step times need the step-sum head and one matrix per network");
    for (std::size_t i = 0; i < data.step_times.size(); ++i) {
        const Eigen::MatrixXd& t = data.step_times[i];
        SNNIPRED_CHECK(t.rows() == 2 && (t.cols() == 0 || t.cols() == data.sequences[i].rows()) && t.allFinite() &&
                           (t.array() > 0).all(),
                       InvalidInput, "LSTM training: per-step times must be 2 x steps (or 2 x 0), finite and > 0");
    }
    for (std::size_t i = 0; i < data.bounds.size(); ++i) {
        const LstmCorrectionBounds& b = data.bounds[i];
        const Eigen::Index steps = data.sequences[i].rows();
        SNNIPRED_CHECK(b.low.rows() == 2 && b.high.rows() == 2 && b.low.cols() == steps && b.high.cols() == steps &&
                           (b.low.array() <= b.high.array()).all(),
                       InvalidInput, "LSTM training: correction bounds must be 2 x steps with low <= high");
    }
}

void validate(const LstmConfig& c) {
    SNNIPRED_CHECK(c.hidden >= 1 && c.hidden <= 256, ConfigError, "LSTM: hidden must be in 1..256");
    SNNIPRED_CHECK(c.layers >= 1 && c.layers <= 3, ConfigError, "LSTM: layers must be in 1..3");
    SNNIPRED_CHECK(c.fc_layers >= 0 && c.fc_layers <= 4, ConfigError, "LSTM: fc_layers must be in 0..4");
    SNNIPRED_CHECK(c.fc_width >= 1 && c.fc_width <= 512, ConfigError, "LSTM: fc_width must be in 1..512");
    SNNIPRED_CHECK(std::isfinite(c.learning_rate) && c.learning_rate > 0, ConfigError,
                   "LSTM: learning_rate must be positive");
    SNNIPRED_CHECK(c.batch_size >= 1 && c.max_epochs >= 1, ConfigError, "LSTM: batch_size and max_epochs must be positive");
}

// The correction bounds of `data` for make_batch, null when it has none.
const std::vector<LstmCorrectionBounds>* bounds_of(const LstmTrainingData& data) {
    return data.bounds.empty() ? nullptr : &data.bounds;
}

// The per-step times of `data` for make_batch, null when it has none.
const std::vector<Eigen::MatrixXd>* step_times_of(const LstmTrainingData& data) {
    return data.step_times.empty() ? nullptr : &data.step_times;
}

// Seeded split of network indices into (train, validation).
std::pair<std::vector<std::size_t>, std::vector<std::size_t>> split(std::size_t n, std::uint64_t seed) {
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::mt19937_64 rng(seed);  // own Fisher-Yates: std::shuffle differs between libraries
    for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
    const auto validation = static_cast<std::size_t>(std::ceil(kValidationFraction * static_cast<double>(n)));
    std::vector<std::size_t> val(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(validation));
    std::vector<std::size_t> train(order.begin() + static_cast<std::ptrdiff_t>(validation), order.end());
    std::sort(train.begin(), train.end());
    std::sort(val.begin(), val.end());
    return {train, val};
}

// Mean and standard deviation per feature over the steps where it applies (not NaN).
MlpStandardizer fit_standardizer(const LstmTrainingData& data, const std::vector<std::size_t>& rows) {
    const Eigen::Index f = data.sequences.front().cols();
    Eigen::VectorXd sum = Eigen::VectorXd::Zero(f), square = Eigen::VectorXd::Zero(f), count = Eigen::VectorXd::Zero(f);
    for (std::size_t r : rows) {
        const Eigen::MatrixXd& s = data.sequences[r];
        for (Eigen::Index t = 0; t < s.rows(); ++t)
            for (Eigen::Index j = 0; j < f; ++j)
                if (!std::isnan(s(t, j))) {
                    sum(j) += s(t, j);
                    square(j) += s(t, j) * s(t, j);
                    count(j) += 1;
                }
    }
    MlpStandardizer out{Eigen::VectorXd::Zero(f), Eigen::VectorXd::Ones(f)};
    for (Eigen::Index j = 0; j < f; ++j) {
        if (count(j) == 0) continue;
        out.mean(j) = sum(j) / count(j);
        const double sd = std::sqrt(std::max(square(j) / count(j) - out.mean(j) * out.mean(j), 0.0));
        out.scale(j) = sd > 1e-9 ? sd : 1.0;
    }
    return out;
}

// Range of the standardised features over the steps of `rows` (0 included: what a
// feature that does not apply becomes), and their longest sequence.
LstmInputRange fit_range(const LstmTrainingData& data, const std::vector<std::size_t>& rows, const MlpStandardizer& st) {
    const Eigen::Index f = st.mean.size();
    LstmInputRange range{Eigen::VectorXd::Zero(f), Eigen::VectorXd::Zero(f)};
    for (std::size_t r : rows) {
        const Eigen::MatrixXd& s = data.sequences[r];
        range.max_steps = std::max(range.max_steps, s.rows());
        for (Eigen::Index t = 0; t < s.rows(); ++t)
            for (Eigen::Index j = 0; j < f; ++j)
                if (!std::isnan(s(t, j))) {
                    const double v = (s(t, j) - st.mean(j)) / st.scale(j);
                    range.low(j) = std::min(range.low(j), v);
                    range.high(j) = std::max(range.high(j), v);
                }
    }
    return range;
}


double mean_length(const LstmTrainingData& data, const std::vector<std::size_t>& rows) {
    double total = 0;
    for (std::size_t r : rows) total += static_cast<double>(data.sequences[r].rows());
    return total / static_cast<double>(rows.size());
}

// Mean squared log error of the network times, plus with per-step times their mean squared
// log error weighted by each step's share of its network's time (same scale per network).
torch::Tensor batch_loss(const TorchModel& model, const Batch& b) {
    if (!b.step_y.defined())
        return torch::mse_loss(model.forward(b.x, b.mask, b.lengths, b.base, b.low, b.high), b.y);
    const torch::Tensor steps = model.step_log_times(b.x, b.mask, b.base, b.low, b.high);
    // where(), not a product: padded steps are -inf, and 0 * inf would be NaN.
    const torch::Tensor error = torch::where(b.step_weight > 0, steps - b.step_y, torch::zeros_like(steps));
    return torch::mse_loss(torch::logsumexp(steps, 1), b.y) + (b.step_weight * error * error).sum() / b.y.numel();
}

// The networks `idx` of `b`, trimmed to their longest sequence.
Batch select(const Batch& b, const torch::Tensor& idx) {
    const torch::Tensor lengths = b.lengths.index_select(0, idx);
    const std::int64_t longest = lengths.max().item<std::int64_t>();
    const auto steps_of = [&](const torch::Tensor& t) {
        return t.defined() ? t.index_select(0, idx).slice(1, 0, longest) : torch::Tensor{};
    };
    return Batch{steps_of(b.x),   steps_of(b.mask),   lengths,           b.y.index_select(0, idx), steps_of(b.base),
                 steps_of(b.low), steps_of(b.high), steps_of(b.step_y), steps_of(b.step_weight)};
}

struct FitResult {
    TorchModel model;
    double validation_loss = std::numeric_limits<double>::quiet_NaN();
    int best_epoch = 0;
};

// Trains on `train`; with a non-empty `val` and patience > 0 stops early on it and keeps the
// best epoch's weights.
FitResult fit(const Batch& train, const Batch& val, const LstmInputRange& range, double train_mean_length,
              const LstmConfig& config, LstmHead head, LstmBase base, std::uint64_t seed) {
    at::Generator gen = at::detail::createCPUGenerator(splitmix64(seed));
    torch::Tensor output_bias = train.y.mean(0);
    if (head == LstmHead::kStepSum) output_bias = output_bias - std::log(train_mean_length);
    if (base != LstmBase::kNone) output_bias = torch::zeros({2}, kDouble);
    FitResult result{init_model(static_cast<int>(range.low.size()), config, head, base, range, output_bias, gen)};
    const std::vector<torch::Tensor> params = result.model.parameters();
    torch::optim::Adam optimizer(params, torch::optim::AdamOptions(config.learning_rate));
    const bool early_stopping = val.x.defined() && val.x.size(0) > 0 && config.patience > 0;
    const std::int64_t rows = train.x.size(0);
    const std::int64_t batch = std::min<std::int64_t>(config.batch_size, rows);

    double best = std::numeric_limits<double>::infinity();
    std::vector<torch::Tensor> snapshot;
    for (int epoch = 1; epoch <= config.max_epochs; ++epoch) {
        const torch::Tensor order = torch::randperm(rows, gen, torch::TensorOptions().dtype(torch::kInt64));
        for (std::int64_t start = 0; start < rows; start += batch) {
            optimizer.zero_grad();
            batch_loss(result.model, select(train, order.slice(0, start, std::min(start + batch, rows)))).backward();
            torch::nn::utils::clip_grad_norm_(params, kGradientClipNorm);
            optimizer.step();
        }
        if (!early_stopping) continue;
        double loss;
        {
            torch::NoGradGuard no_grad;
            loss = batch_loss(result.model, val).item<double>();
        }
        if (!std::isfinite(loss)) break;
        if (loss < best) {
            best = loss;
            result.best_epoch = epoch;
            snapshot.clear();
            for (const torch::Tensor& p : params) snapshot.push_back(p.detach().clone());
        } else if (epoch - result.best_epoch >= config.patience) {
            break;
        }
    }
    if (early_stopping) {
        result.validation_loss = best;
        torch::NoGradGuard no_grad;
        for (std::size_t i = 0; i < snapshot.size(); ++i) params[i].copy_(snapshot[i]);
    } else {
        result.best_epoch = config.max_epochs;
    }
    return result;
}

LstmConfig sample_config(std::mt19937_64& rng, int max_epochs, int patience) {
    static constexpr int kHidden[] = {16, 24, 32, 48, 64};
    static constexpr int kWidths[] = {16, 32, 64, 128};
    static constexpr int kBatches[] = {8, 16, 32};
    auto uniform01 = [&rng] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
    LstmConfig c;
    c.hidden = kHidden[rng() % std::size(kHidden)];
    c.layers = 1 + static_cast<int>(rng() % 2);
    c.fc_layers = static_cast<int>(rng() % 4);
    c.fc_width = kWidths[rng() % std::size(kWidths)];
    c.learning_rate = std::exp(std::log(1e-3) + uniform01() * (std::log(2e-2) - std::log(1e-3)));
    c.batch_size = kBatches[rng() % std::size(kBatches)];
    c.max_epochs = max_epochs;
    c.patience = patience;
    return c;
}

std::vector<std::size_t> all_rows(std::size_t n) {
    std::vector<std::size_t> rows(n);
    std::iota(rows.begin(), rows.end(), std::size_t{0});
    return rows;
}

}  // namespace

LstmRegressor LstmRegressor::train(const LstmTrainingData& data, const LstmConfig& config, LstmHead head,
                                   std::uint64_t seed) {
    validate(data, head);
    validate(config);
    SingleThreadGuard single_thread;
    const bool hold_out = config.patience > 0 && data.sequences.size() >= kMinNetworksForValidation;
    const auto [train_rows, val_rows] =
        hold_out ? split(data.sequences.size(), splitmix64(seed ^ 0x5eedULL))
                 : std::pair{all_rows(data.sequences.size()), std::vector<std::size_t>{}};
    const MlpStandardizer standardizer = fit_standardizer(data, train_rows);
    const LstmInputRange range = fit_range(data, train_rows, standardizer);
    const Batch train = make_batch(data.sequences, &data.times, train_rows, standardizer, data.base, 0.0, bounds_of(data),
                                   step_times_of(data));
    const Batch val = hold_out ? make_batch(data.sequences, &data.times, val_rows, standardizer, data.base, 0.0,
                                            bounds_of(data), step_times_of(data))
                               : Batch{};
    LstmConfig used = config;
    if (!hold_out) used.patience = 0;
    const FitResult fitted = fit(train, val, range, mean_length(data, train_rows), used, head, data.base, seed);
    return to_regressor(fitted.model, config, standardizer, range);
}

LstmRegressor tune_lstm(const LstmTrainingData& data, LstmHead head, int trials, int max_epochs, int patience,
                        std::uint64_t seed, const LstmProgressCallback& progress) {
    validate(data, head);
    SNNIPRED_CHECK(trials >= 1, ConfigError, "tune_lstm: trials must be at least 1");
    SNNIPRED_CHECK(max_epochs >= 1, ConfigError, "tune_lstm: max_epochs must be at least 1");
    if (data.sequences.size() < kMinNetworksForValidation) {
        LstmConfig config;
        config.max_epochs = max_epochs;
        config.patience = 0;
        return LstmRegressor::train(data, config, head, seed);
    }
    SingleThreadGuard single_thread;
    const auto [train_rows, val_rows] = split(data.sequences.size(), splitmix64(seed ^ 0x5eedULL));
    const MlpStandardizer standardizer = fit_standardizer(data, train_rows);
    const LstmInputRange range = fit_range(data, train_rows, standardizer);
    const Batch train = make_batch(data.sequences, &data.times, train_rows, standardizer, data.base, 0.0, bounds_of(data),
                                   step_times_of(data));
    const Batch val = make_batch(data.sequences, &data.times, val_rows, standardizer, data.base, 0.0, bounds_of(data),
                                 step_times_of(data));
    const double length = mean_length(data, train_rows);

    std::mt19937_64 rng(splitmix64(seed ^ 0x7e57ULL));
    std::optional<LstmRegressor> best_model;  // of the trial best_trial picks: same criterion
    double best_loss = std::numeric_limits<double>::infinity();
    const auto run_trial = [&](int trial) {
        LstmTrialResult result;
        result.config = sample_config(rng, max_epochs, patience > 0 ? patience : max_epochs);
        const FitResult fitted = fit(train, val, range, length, result.config, head, data.base,
                                     seed + static_cast<std::uint64_t>(trial) + 1);
        result.validation_loss = fitted.validation_loss;
        result.best_epoch = fitted.best_epoch;
        if (result.best_epoch > 0 && result.validation_loss < best_loss) {
            best_loss = result.validation_loss;
            best_model = to_regressor(fitted.model, result.config, standardizer, range);
        }
        return result;
    };
    best_trial<LstmTrialResult>(trials, run_trial, progress, "tune_lstm");
    return *std::move(best_model);
}

std::vector<std::array<double, 2>> padded_batch_predict(const LstmRegressor& model,
                                                         const std::vector<Eigen::MatrixXd>& sequences,
                                                         double padding_value,
                                                         const std::vector<LstmCorrectionBounds>* bounds) {
    SNNIPRED_CHECK(!sequences.empty(), InvalidInput, "padded_batch_predict: no sequences");
    SNNIPRED_CHECK(bounds == nullptr || bounds->size() == sequences.size(), InvalidInput,
                   "padded_batch_predict: one set of correction bounds per sequence");
    torch::NoGradGuard no_grad;
    const Batch batch = make_batch(sequences, nullptr, all_rows(sequences.size()), model.feature_standardizer(),
                                   model.base(), padding_value, bounds);
    const torch::Tensor log_times =
        to_torch(model).forward(batch.x, batch.mask, batch.lengths, batch.base, batch.low, batch.high).contiguous();
    std::vector<std::array<double, 2>> out(sequences.size());
    auto a = log_times.accessor<double, 2>();
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = {std::exp(a[static_cast<std::int64_t>(i)][0]), std::exp(a[static_cast<std::int64_t>(i)][1])};
    return out;
}

}  // namespace snnipred::predict
