// Training side of the LSTM regressor (lstm.h): libtorch autograd + Adam on padded,
// masked mini-batches of double tensors; the weights are then copied into Eigen.
//
// Masking: sequences are padded at the end and the LSTM runs forwards, so a real step's
// state never sees padding; the step-sum head sets padded steps' contributions to
// exp(-inf) = 0 and the last-state head reads the state at each sequence's own length.
// Determinism: all randomness comes from generators seeded by the caller, torch runs on
// one thread (training_util.h).

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "snnipred/core/error.h"
#include "snnipred/predict/lstm.h"
#include "training_util.h"

namespace snnipred::predict {
namespace {

constexpr double kValidationFraction = 0.2;
constexpr std::size_t kMinNetworksForValidation = 5;
constexpr double kGradientClipNorm = 1.0;

using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
const auto kDouble = torch::TensorOptions().dtype(torch::kFloat64);

void validate(const LstmTrainingData& data) {
    SNNIPRED_CHECK(!data.sequences.empty(), InvalidInput, "LSTM training: no networks");
    SNNIPRED_CHECK(data.times.rows() == static_cast<Eigen::Index>(data.sequences.size()) && data.times.cols() == 2,
                   InvalidInput, "LSTM training: expected one (client, server) time per network");
    SNNIPRED_CHECK(data.times.allFinite() && (data.times.array() > 0).all(), InvalidInput,
                   "LSTM training: every time must be finite and > 0");
    const Eigen::Index features = data.sequences.front().cols();
    for (const Eigen::MatrixXd& s : data.sequences) {
        SNNIPRED_CHECK(s.rows() > 0 && s.cols() == features && features > 0, InvalidInput,
                       "LSTM training: every network needs steps with the same feature count");
        SNNIPRED_CHECK(!s.array().isInf().any(), InvalidInput, "LSTM training: infinite feature");
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
// feature that does not apply becomes).
LstmInputRange fit_range(const LstmTrainingData& data, const std::vector<std::size_t>& rows, const MlpStandardizer& st) {
    const Eigen::Index f = st.mean.size();
    LstmInputRange range{Eigen::VectorXd::Zero(f), Eigen::VectorXd::Zero(f)};
    for (std::size_t r : rows) {
        const Eigen::MatrixXd& s = data.sequences[r];
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

// Standardised, zero-padded (n x T x F) features, (n x T) mask, lengths and log times.
struct Batch {
    torch::Tensor x, mask, lengths, y;
};

Batch make_batch(const std::vector<Eigen::MatrixXd>& sequences, const Eigen::MatrixXd* times,
                 const std::vector<std::size_t>& rows, const MlpStandardizer& standardizer, double padding_value) {
    const auto n = static_cast<std::int64_t>(rows.size());
    const Eigen::Index f = standardizer.mean.size();
    Eigen::Index longest = 0;
    for (std::size_t r : rows) longest = std::max(longest, sequences[r].rows());
    Batch b{torch::full({n, longest, f}, padding_value, kDouble), torch::zeros({n, longest}, torch::kBool),
            torch::empty({n}, torch::kInt64), torch::zeros({n, 2}, kDouble)};
    auto x = b.x.accessor<double, 3>();
    auto mask = b.mask.accessor<bool, 2>();
    auto lengths = b.lengths.accessor<std::int64_t, 1>();
    auto y = b.y.accessor<double, 2>();
    for (std::int64_t i = 0; i < n; ++i) {
        const Eigen::MatrixXd& s = sequences[rows[static_cast<std::size_t>(i)]];
        lengths[i] = s.rows();
        for (Eigen::Index t = 0; t < s.rows(); ++t) {
            mask[i][t] = true;
            for (Eigen::Index j = 0; j < f; ++j)
                x[i][t][j] = std::isnan(s(t, j)) ? 0.0 : (s(t, j) - standardizer.mean(j)) / standardizer.scale(j);
        }
        if (times)
            for (int p = 0; p < 2; ++p) y[i][p] = std::log((*times)(static_cast<Eigen::Index>(rows[static_cast<std::size_t>(i)]), p));
    }
    return b;
}

struct TorchModel {
    LstmHead head = LstmHead::kStepSum;
    torch::Tensor low, high;                             // the LSTM's input clamp, (F)
    std::vector<torch::Tensor> w_input, w_hidden, bias;  // per LSTM layer
    std::vector<torch::Tensor> fc_weight, fc_bias;       // head, the last maps to 2 outputs

    std::vector<torch::Tensor> parameters() const {
        std::vector<torch::Tensor> p;
        for (const auto* group : {&w_input, &w_hidden, &bias, &fc_weight, &fc_bias}) p.insert(p.end(), group->begin(), group->end());
        return p;
    }

    // (B x T x F) standardised steps -> (B x 2) log times.
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& mask, const torch::Tensor& lengths) const {
        torch::Tensor seq = torch::max(torch::min(x, high), low);
        for (std::size_t l = 0; l < w_input.size(); ++l) {
            const std::int64_t hidden = w_hidden[l].size(1);
            const torch::Tensor projected = torch::matmul(seq, w_input[l].t()) + bias[l];
            torch::Tensor h = torch::zeros({x.size(0), hidden}, kDouble);
            torch::Tensor c = torch::zeros({x.size(0), hidden}, kDouble);
            std::vector<torch::Tensor> states;
            for (std::int64_t t = 0; t < x.size(1); ++t) {
                const auto g = (projected.select(1, t) + torch::matmul(h, w_hidden[l].t())).chunk(4, 1);
                c = torch::sigmoid(g[1]) * c + torch::sigmoid(g[0]) * torch::tanh(g[2]);
                h = torch::sigmoid(g[3]) * torch::tanh(c);
                states.push_back(h);
            }
            seq = torch::stack(states, 1);
        }
        torch::Tensor z = head == LstmHead::kStepSum
                              ? torch::cat({seq, x}, 2)
                              : seq.index({torch::arange(x.size(0)), lengths - 1});
        for (std::size_t l = 0; l < fc_weight.size(); ++l) {
            z = torch::matmul(z, fc_weight[l].t()) + fc_bias[l];
            if (l + 1 < fc_weight.size()) z = torch::relu(z);
        }
        if (head == LstmHead::kLastState) return z;
        z = z.masked_fill(mask.logical_not().unsqueeze(2), -std::numeric_limits<double>::infinity());
        return torch::logsumexp(z, 1);
    }
};

Eigen::MatrixXd to_matrix(const torch::Tensor& t) {
    const torch::Tensor c = t.detach().contiguous();
    return Eigen::Map<const RowMajor>(c.data_ptr<double>(), c.size(0), c.size(1));
}
Eigen::VectorXd to_vector(const torch::Tensor& t) {
    const torch::Tensor c = t.detach().contiguous();
    return Eigen::Map<const Eigen::VectorXd>(c.data_ptr<double>(), c.size(0));
}
torch::Tensor to_tensor(const Eigen::MatrixXd& m) {
    const RowMajor r = m;
    return torch::from_blob(const_cast<double*>(r.data()), {r.rows(), r.cols()}, kDouble).clone();
}
torch::Tensor to_tensor(const Eigen::VectorXd& v) {
    return torch::from_blob(const_cast<double*>(v.data()), {v.size()}, kDouble).clone();
}

// PyTorch's LSTM init (uniform in +-1/sqrt(H)) with forget-gate bias 1, He-uniform FC
// layers, and an output bias that starts the prediction at the mean training time.
TorchModel init_model(int features, const LstmConfig& config, LstmHead head, const LstmInputRange& range,
                      const torch::Tensor& output_bias, at::Generator& gen) {
    auto uniform = [&gen](std::int64_t rows, std::int64_t cols, double bound) {
        return ((torch::rand({rows, cols}, gen, kDouble) * 2 - 1) * bound).requires_grad_();
    };
    TorchModel m;
    m.head = head;
    m.low = to_tensor(range.low);
    m.high = to_tensor(range.high);
    int in = features;
    const double bound = 1.0 / std::sqrt(config.hidden);
    for (int l = 0; l < config.layers; ++l) {
        m.w_input.push_back(uniform(4 * config.hidden, in, bound));
        m.w_hidden.push_back(uniform(4 * config.hidden, config.hidden, bound));
        torch::Tensor b = torch::zeros({4 * config.hidden}, kDouble);
        b.slice(0, config.hidden, 2 * config.hidden).fill_(1.0);
        m.bias.push_back(b.requires_grad_());
        in = config.hidden;
    }
    if (head == LstmHead::kStepSum) in += features;
    for (int l = 0; l <= config.fc_layers; ++l) {
        const bool output = l == config.fc_layers;
        const int out = output ? 2 : config.fc_width;
        m.fc_weight.push_back(uniform(out, in, std::sqrt((output ? 3.0 : 6.0) / in)));
        m.fc_bias.push_back((output ? output_bias.clone() : torch::zeros({out}, kDouble)).requires_grad_());
        in = out;
    }
    return m;
}

LstmRegressor to_regressor(const TorchModel& m, const LstmConfig& config, const MlpStandardizer& standardizer,
                           const LstmInputRange& range) {
    std::vector<LstmLayerWeights> lstm;
    for (std::size_t l = 0; l < m.w_input.size(); ++l)
        lstm.push_back({to_matrix(m.w_input[l]), to_matrix(m.w_hidden[l]), to_vector(m.bias[l])});
    std::vector<MlpDenseLayer> head;
    for (std::size_t l = 0; l < m.fc_weight.size(); ++l) head.push_back({to_matrix(m.fc_weight[l]), to_vector(m.fc_bias[l])});
    try {
        return LstmRegressor(m.head, config, standardizer, range, std::move(lstm), std::move(head));
    } catch (const ConfigError&) {
        throw Error("LSTM training diverged (non-finite weights); try a smaller learning rate");
    }
}

TorchModel to_torch(const LstmRegressor& r) {
    TorchModel m;
    m.head = r.head();
    m.low = to_tensor(r.input_range().low);
    m.high = to_tensor(r.input_range().high);
    for (const LstmLayerWeights& w : r.lstm_layers()) {
        m.w_input.push_back(to_tensor(w.w_input));
        m.w_hidden.push_back(to_tensor(w.w_hidden));
        m.bias.push_back(to_tensor(w.bias));
    }
    for (const MlpDenseLayer& layer : r.head_layers()) {
        m.fc_weight.push_back(to_tensor(layer.weight));
        m.fc_bias.push_back(to_tensor(layer.bias));
    }
    return m;
}

double mean_length(const LstmTrainingData& data, const std::vector<std::size_t>& rows) {
    double total = 0;
    for (std::size_t r : rows) total += static_cast<double>(data.sequences[r].rows());
    return total / static_cast<double>(rows.size());
}

struct FitResult {
    TorchModel model;
    double validation_loss = std::numeric_limits<double>::quiet_NaN();
    int best_epoch = 0;
};

// Trains on `train`; with a non-empty `val` and patience > 0 stops early on it and keeps the
// best epoch's weights.
FitResult fit(const Batch& train, const Batch& val, const LstmInputRange& range, double train_mean_length,
              const LstmConfig& config, LstmHead head, std::uint64_t seed) {
    at::Generator gen = at::detail::createCPUGenerator(splitmix64(seed));
    torch::Tensor output_bias = train.y.mean(0);
    if (head == LstmHead::kStepSum) output_bias = output_bias - std::log(train_mean_length);
    FitResult result{init_model(static_cast<int>(range.low.size()), config, head, range, output_bias, gen)};
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
            const torch::Tensor idx = order.slice(0, start, std::min(start + batch, rows));
            const torch::Tensor lengths = train.lengths.index_select(0, idx);
            const std::int64_t longest = lengths.max().item<std::int64_t>();  // trim shared padding
            optimizer.zero_grad();
            const torch::Tensor prediction = result.model.forward(train.x.index_select(0, idx).slice(1, 0, longest),
                                                                  train.mask.index_select(0, idx).slice(1, 0, longest), lengths);
            torch::mse_loss(prediction, train.y.index_select(0, idx)).backward();
            torch::nn::utils::clip_grad_norm_(params, kGradientClipNorm);
            optimizer.step();
        }
        if (!early_stopping) continue;
        double loss;
        {
            torch::NoGradGuard no_grad;
            loss = torch::mse_loss(result.model.forward(val.x, val.mask, val.lengths), val.y).item<double>();
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
    validate(data);
    validate(config);
    SingleThreadGuard single_thread;
    const bool hold_out = config.patience > 0 && data.sequences.size() >= kMinNetworksForValidation;
    const auto [train_rows, val_rows] =
        hold_out ? split(data.sequences.size(), splitmix64(seed ^ 0x5eedULL))
                 : std::pair{all_rows(data.sequences.size()), std::vector<std::size_t>{}};
    const MlpStandardizer standardizer = fit_standardizer(data, train_rows);
    const LstmInputRange range = fit_range(data, train_rows, standardizer);
    const Batch train = make_batch(data.sequences, &data.times, train_rows, standardizer, 0.0);
    const Batch val = hold_out ? make_batch(data.sequences, &data.times, val_rows, standardizer, 0.0) : Batch{};
    LstmConfig used = config;
    if (!hold_out) used.patience = 0;
    const FitResult fitted = fit(train, val, range, mean_length(data, train_rows), used, head, seed);
    return to_regressor(fitted.model, config, standardizer, range);
}

LstmRegressor tune_lstm(const LstmTrainingData& data, LstmHead head, int trials, int max_epochs, int patience,
                        std::uint64_t seed, const LstmProgressCallback& progress) {
    validate(data);
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
    const Batch train = make_batch(data.sequences, &data.times, train_rows, standardizer, 0.0);
    const Batch val = make_batch(data.sequences, &data.times, val_rows, standardizer, 0.0);
    const double length = mean_length(data, train_rows);

    std::mt19937_64 rng(splitmix64(seed ^ 0x7e57ULL));
    const auto run_trial = [&](int trial) {
        LstmTrialResult result;
        result.config = sample_config(rng, max_epochs, patience > 0 ? patience : max_epochs);
        const FitResult fitted = fit(train, val, range, length, result.config, head,
                                     seed + static_cast<std::uint64_t>(trial) + 1);
        result.validation_loss = fitted.validation_loss;
        result.best_epoch = fitted.best_epoch;
        return result;
    };
    const LstmTrialResult best = best_trial<LstmTrialResult>(trials, run_trial, progress, "tune_lstm");
    // Retrain the winner on every network for as many epochs as it needed on 80% of them.
    LstmConfig final_config = best.config;
    final_config.max_epochs = best.best_epoch;
    final_config.patience = 0;
    return LstmRegressor::train(data, final_config, head, seed);
}

std::vector<std::array<double, 2>> padded_batch_predict(const LstmRegressor& model,
                                                         const std::vector<Eigen::MatrixXd>& sequences,
                                                         double padding_value) {
    SNNIPRED_CHECK(!sequences.empty(), InvalidInput, "padded_batch_predict: no sequences");
    torch::NoGradGuard no_grad;
    const Batch batch = make_batch(sequences, nullptr, all_rows(sequences.size()), model.feature_standardizer(), padding_value);
    const torch::Tensor log_times = to_torch(model).forward(batch.x, batch.mask, batch.lengths).contiguous();
    std::vector<std::array<double, 2>> out(sequences.size());
    auto a = log_times.accessor<double, 2>();
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = {std::exp(a[static_cast<std::int64_t>(i)][0]), std::exp(a[static_cast<std::int64_t>(i)][1])};
    return out;
}

}  // namespace snnipred::predict
