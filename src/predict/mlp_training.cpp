// Training side of the MLP regressor: libtorch autograd + Adam on double tensors, then
// the weights are copied into Eigen matrices (mlp.cpp evaluates them).
//
// Determinism: all randomness (weight init, row shuffles, train/validation split, the
// random search) comes from generators seeded by the caller's seed, never from torch's
// global generator; the matrix products run in Eigen (not the system BLAS) and torch runs
// on one thread while training (restored afterwards), so the summation order and thus
// every bit of the result depend only on the seed and the data.

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <iterator>
#include <numeric>
#include <random>
#include <vector>

#include "snnipred/core/error.h"
#include "snnipred/predict/mlp.h"
#include "training_util.h"

namespace snnipred::predict {
namespace {

constexpr double kValidationFraction = 0.2;
constexpr Eigen::Index kMinRowsForValidation = 5;
// Estimated cost of one optimiser step, in ns, measured single-threaded: a fixed ~0.1 ms
// of op dispatch, Adam's ~10 ns per parameter and ~0.6 ns per parameter and row for the
// forward and backward products. Tuning trials get epochs for about kTrialBudgetNs, so
// their cost stays bounded from 50 rows x 1 feature to 7000 rows x 13 features.
constexpr double kStepOverheadNs = 1e5;
constexpr double kNsPerParameter = 10;
constexpr double kNsPerParameterRow = 0.6;
constexpr double kTrialBudgetNs = 1.5e9;
constexpr long kMinTrialEpochs = 4;
constexpr long kMaxTrialEpochs = 1000;

using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

void validate(const MlpTrainingData& data) {
    SNNIPRED_CHECK(data.x.rows() > 0 && data.x.cols() > 0, InvalidInput, "MLP training: no rows or no features");
    SNNIPRED_CHECK(data.x.cols() <= 1024, InvalidInput, "MLP training: more than 1024 features");
    SNNIPRED_CHECK(data.x.rows() == data.y.size(), InvalidInput,
                   "MLP training: " + std::to_string(data.x.rows()) + " feature rows but " +
                       std::to_string(data.y.size()) + " targets");
    SNNIPRED_CHECK(data.x.allFinite() && data.y.allFinite(), InvalidInput, "MLP training: non-finite value");
    SNNIPRED_CHECK((data.y.array() >= 0).all(), InvalidInput, "MLP training: negative target time");
}

void validate(const MlpConfig& c) {
    SNNIPRED_CHECK(c.hidden_layers >= 1 && c.hidden_layers <= 5, ConfigError, "MLP: hidden_layers must be in 1..5");
    SNNIPRED_CHECK(c.width >= 1 && c.width <= 1024, ConfigError, "MLP: width must be in 1..1024");
    SNNIPRED_CHECK(std::isfinite(c.learning_rate) && c.learning_rate > 0, ConfigError,
                   "MLP: learning_rate must be positive");
    SNNIPRED_CHECK(c.batch_size >= 1, ConfigError, "MLP: batch_size must be positive");
    SNNIPRED_CHECK(c.max_epochs >= 1, ConfigError, "MLP: max_epochs must be positive");
}

// Seeded split of row indices into (train, validation).
std::pair<std::vector<Eigen::Index>, std::vector<Eigen::Index>> split_rows(Eigen::Index rows, std::uint64_t seed) {
    std::vector<Eigen::Index> order(static_cast<std::size_t>(rows));
    std::iota(order.begin(), order.end(), Eigen::Index{0});
    // Own Fisher-Yates: std::shuffle's sequence differs between standard libraries.
    std::mt19937_64 rng(seed);
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
    const auto validation = static_cast<std::size_t>(std::ceil(kValidationFraction * static_cast<double>(rows)));
    std::vector<Eigen::Index> val(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(validation));
    std::vector<Eigen::Index> train(order.begin() + static_cast<std::ptrdiff_t>(validation), order.end());
    std::sort(train.begin(), train.end());
    std::sort(val.begin(), val.end());
    return {train, val};
}

// The log-transformed rows, before standardisation.
struct LogRows {
    RowMajor x;
    Eigen::VectorXd y;
};

LogRows log_rows(const MlpTrainingData& data, const std::vector<Eigen::Index>& rows) {
    LogRows out{RowMajor(static_cast<Eigen::Index>(rows.size()), data.x.cols()),
                Eigen::VectorXd(static_cast<Eigen::Index>(rows.size()))};
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto r = static_cast<Eigen::Index>(i);
        for (Eigen::Index j = 0; j < data.x.cols(); ++j) {
            const double v = data.x(rows[i], j);
            out.x(r, j) = std::copysign(std::log1p(std::abs(v)), v);
        }
        out.y(r) = std::log1p(data.y(rows[i]));
    }
    return out;
}

// Mean and standard deviation per column; constant columns get scale 1.
struct Transforms {
    MlpStandardizer input;
    double target_mean = 0;
    double target_scale = 1;
};

double safe_scale(double variance) {
    const double s = std::sqrt(std::max(variance, 0.0));
    return s > 1e-12 ? s : 1.0;
}

Transforms fit_transforms(const LogRows& rows) {
    Transforms t;
    t.input.mean = rows.x.colwise().mean().transpose();
    t.input.scale.resize(rows.x.cols());
    for (Eigen::Index j = 0; j < rows.x.cols(); ++j)
        t.input.scale(j) = safe_scale((rows.x.col(j).array() - t.input.mean(j)).square().mean());
    t.target_mean = rows.y.mean();
    t.target_scale = safe_scale((rows.y.array() - t.target_mean).square().mean());
    return t;
}

// Standardised rows as (n x d) and (n x 1) double tensors.
std::pair<torch::Tensor, torch::Tensor> to_tensors(const LogRows& rows, const Transforms& t) {
    RowMajor x = (rows.x.rowwise() - t.input.mean.transpose()).array().rowwise() / t.input.scale.transpose().array();
    Eigen::VectorXd y = (rows.y.array() - t.target_mean) / t.target_scale;
    const auto options = torch::TensorOptions().dtype(torch::kFloat64);
    torch::Tensor xt = torch::from_blob(x.data(), {x.rows(), x.cols()}, options).clone();
    torch::Tensor yt = torch::from_blob(y.data(), {y.size(), 1}, options).clone();
    return {xt, yt};
}

Eigen::Map<RowMajor> as_matrix(const torch::Tensor& t) {
    return {t.data_ptr<double>(), t.size(0), t.dim() == 2 ? t.size(1) : 1};
}

// y = x w^T + b with the matrix products in Eigen. Debian's libtorch multiplies through
// the system BLAS, which is netlib's reference implementation unless OpenBLAS is
// installed (about 4x slower than Eigen on these shapes); Eigen is fast everywhere and
// makes the trained bits independent of which BLAS the machine has.
class EigenLinear : public torch::autograd::Function<EigenLinear> {
public:
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x,
                                 const torch::Tensor& w, const torch::Tensor& b) {
        const torch::Tensor xc = x.contiguous();
        const torch::Tensor wc = w.contiguous();
        ctx->save_for_backward({xc, wc});
        torch::Tensor y = torch::empty({xc.size(0), wc.size(0)}, xc.options());
        auto out = as_matrix(y);
        out.noalias() = as_matrix(xc) * as_matrix(wc).transpose();
        out.rowwise() += as_matrix(b.contiguous()).transpose().row(0);
        return y;
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                   torch::autograd::variable_list grad_outputs) {
        const torch::autograd::variable_list saved = ctx->get_saved_variables();
        const torch::Tensor grad = grad_outputs[0].contiguous();
        const auto g = as_matrix(grad);
        torch::Tensor grad_x;
        if (ctx->needs_input_grad(0)) {  // not for the first layer: inputs are data
            grad_x = torch::empty_like(saved[0]);
            as_matrix(grad_x).noalias() = g * as_matrix(saved[1]);
        }
        torch::Tensor grad_w = torch::empty_like(saved[1]);
        as_matrix(grad_w).noalias() = g.transpose() * as_matrix(saved[0]);
        torch::Tensor grad_b = torch::empty({g.cols()}, grad.options());
        as_matrix(grad_b) = g.colwise().sum().transpose();
        return {grad_x, grad_w, grad_b};
    }
};

struct Network {
    std::vector<torch::Tensor> weights;  // (out x in)
    std::vector<torch::Tensor> biases;   // (out)

    torch::Tensor forward(torch::Tensor h) const {
        for (std::size_t l = 0; l < weights.size(); ++l) {
            h = EigenLinear::apply(h, weights[l], biases[l]);
            if (l + 1 < weights.size()) h = torch::relu(h);
        }
        return h;
    }
    std::vector<torch::Tensor> parameters() const {
        std::vector<torch::Tensor> p;
        for (std::size_t l = 0; l < weights.size(); ++l) {
            p.push_back(weights[l]);
            p.push_back(biases[l]);
        }
        return p;
    }
};

// He-uniform weights for the ReLU layers, LeCun-uniform for the linear output, zero biases.
Network init_network(int inputs, const MlpConfig& config, at::Generator& gen) {
    const auto options = torch::TensorOptions().dtype(torch::kFloat64);
    Network net;
    int in = inputs;
    for (int l = 0; l <= config.hidden_layers; ++l) {
        const bool output = l == config.hidden_layers;
        const int out = output ? 1 : config.width;
        const double bound = std::sqrt((output ? 3.0 : 6.0) / in);
        torch::Tensor w = (torch::rand({out, in}, gen, options) * 2 - 1) * bound;
        net.weights.push_back(w.requires_grad_());
        net.biases.push_back(torch::zeros({out}, options).requires_grad_());
        in = out;
    }
    return net;
}

std::vector<MlpDenseLayer> to_eigen(const Network& net) {
    std::vector<MlpDenseLayer> layers;
    for (std::size_t l = 0; l < net.weights.size(); ++l) {
        const torch::Tensor w = net.weights[l].detach().contiguous();
        const torch::Tensor b = net.biases[l].detach().contiguous();
        MlpDenseLayer layer;
        layer.weight = Eigen::Map<const RowMajor>(w.data_ptr<double>(), w.size(0), w.size(1));
        layer.bias = Eigen::Map<const Eigen::VectorXd>(b.data_ptr<double>(), b.size(0));
        layers.push_back(std::move(layer));
    }
    return layers;
}

struct FitResult {
    std::vector<MlpDenseLayer> layers;
    double validation_loss = std::numeric_limits<double>::quiet_NaN();  // NaN without validation rows
    int best_epoch = 0;
};

// Trains on (x, y); with a defined `xv` and patience > 0, stops early on (xv, yv) and
// returns the best epoch's weights.
FitResult fit(const torch::Tensor& x, const torch::Tensor& y, const torch::Tensor& xv, const torch::Tensor& yv,
              const MlpConfig& config, std::uint64_t seed) {
    at::Generator gen = at::detail::createCPUGenerator(splitmix64(seed));
    Network net = init_network(static_cast<int>(x.size(1)), config, gen);
    torch::optim::Adam optimizer(net.parameters(), torch::optim::AdamOptions(config.learning_rate));
    const bool early_stopping = xv.defined() && config.patience > 0;
    const std::int64_t rows = x.size(0);
    const std::int64_t batch = std::min<std::int64_t>(config.batch_size, rows);
    const auto index_options = torch::TensorOptions().dtype(torch::kInt64);

    auto loss_of = [&](const torch::Tensor& prediction, const torch::Tensor& target) {
        return config.loss == MlpLoss::kHuber ? torch::huber_loss(prediction, target)
                                              : torch::mse_loss(prediction, target);
    };

    FitResult result;
    double best = std::numeric_limits<double>::infinity();
    std::vector<torch::Tensor> snapshot;
    for (int epoch = 1; epoch <= config.max_epochs; ++epoch) {
        const torch::Tensor order = torch::randperm(rows, gen, index_options);
        for (std::int64_t start = 0; start < rows; start += batch) {
            const torch::Tensor idx = order.slice(0, start, std::min(start + batch, rows));
            optimizer.zero_grad();
            torch::Tensor loss = loss_of(net.forward(x.index_select(0, idx)), y.index_select(0, idx));
            loss.backward();
            optimizer.step();
        }
        if (!early_stopping) continue;
        double validation;
        {
            torch::NoGradGuard no_grad;
            validation = torch::mse_loss(net.forward(xv), yv).item<double>();
        }
        if (!std::isfinite(validation)) break;  // diverged: keep the last good snapshot
        if (validation < best) {
            best = validation;
            result.best_epoch = epoch;
            snapshot.clear();
            for (const torch::Tensor& p : net.parameters()) snapshot.push_back(p.detach().clone());
        } else if (epoch - result.best_epoch >= config.patience) {
            break;
        }
    }
    if (early_stopping) {
        result.validation_loss = best;
        if (!snapshot.empty()) {
            torch::NoGradGuard no_grad;
            const std::vector<torch::Tensor> params = net.parameters();
            for (std::size_t i = 0; i < params.size(); ++i) params[i].copy_(snapshot[i]);
        }
    } else {
        result.best_epoch = config.max_epochs;
    }
    result.layers = to_eigen(net);
    return result;
}

MlpRegressor assemble(const Transforms& t, FitResult fitted, const MlpConfig& config) {
    try {
        return MlpRegressor(t.input, t.target_mean, t.target_scale, std::move(fitted.layers), config);
    } catch (const ConfigError&) {
        throw Error("MLP training diverged (non-finite weights); try a smaller learning rate");
    }
}

// One random-search candidate; epochs and patience scale so the trial has a bounded cost.
MlpConfig sample_config(std::mt19937_64& rng, Eigen::Index train_rows, Eigen::Index inputs) {
    static constexpr int kWidths[] = {16, 24, 32, 48, 64, 96, 128, 192, 256};
    static constexpr int kBatches[] = {16, 32, 64, 128};
    auto uniform01 = [&rng] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
    MlpConfig c;
    c.hidden_layers = 1 + static_cast<int>(rng() % 5);
    c.width = kWidths[rng() % std::size(kWidths)];
    c.learning_rate = std::exp(std::log(1e-4) + uniform01() * (std::log(3e-2) - std::log(1e-4)));
    c.batch_size = kBatches[rng() % std::size(kBatches)];

    const double parameters = static_cast<double>((inputs + 1) * c.width) +
                              (c.hidden_layers - 1) * static_cast<double>((c.width + 1) * c.width) + (c.width + 1);
    const double batch = static_cast<double>(std::min<Eigen::Index>(c.batch_size, train_rows));
    const double step_ns = kStepOverheadNs + parameters * (kNsPerParameter + kNsPerParameterRow * batch);
    const double epoch_ns = step_ns * std::ceil(static_cast<double>(train_rows) / batch);
    const long affordable = static_cast<long>(kTrialBudgetNs / epoch_ns);
    c.max_epochs = static_cast<int>(std::clamp(affordable, kMinTrialEpochs, kMaxTrialEpochs));
    c.patience = std::max(4, c.max_epochs / 8);
    return c;
}

}  // namespace

MlpRegressor MlpRegressor::train(const MlpTrainingData& data, const MlpConfig& config, std::uint64_t seed) {
    validate(data);
    validate(config);
    SingleThreadGuard single_thread;
    std::vector<Eigen::Index> all(static_cast<std::size_t>(data.x.rows()));
    std::iota(all.begin(), all.end(), Eigen::Index{0});
    if (config.patience <= 0 || data.x.rows() < kMinRowsForValidation) {
        const LogRows rows = log_rows(data, all);
        const Transforms t = fit_transforms(rows);
        const auto [x, y] = to_tensors(rows, t);
        return assemble(t, fit(x, y, {}, {}, config, seed), config);
    }
    const auto [train_idx, val_idx] = split_rows(data.x.rows(), splitmix64(seed ^ 0x5eedULL));
    const LogRows train_rows = log_rows(data, train_idx);
    const Transforms t = fit_transforms(train_rows);
    const auto [x, y] = to_tensors(train_rows, t);
    const auto [xv, yv] = to_tensors(log_rows(data, val_idx), t);
    return assemble(t, fit(x, y, xv, yv, config, seed), config);
}

MlpRegressor tune_mlp(const MlpTrainingData& data, int trials, std::uint64_t seed,
                      const MlpProgressCallback& progress) {
    validate(data);
    SNNIPRED_CHECK(trials >= 1, ConfigError, "tune_mlp: trials must be at least 1");
    if (data.x.rows() < kMinRowsForValidation) {
        MlpConfig config;
        config.patience = 0;
        return MlpRegressor::train(data, config, seed);
    }
    SingleThreadGuard single_thread;
    const auto [train_idx, val_idx] = split_rows(data.x.rows(), splitmix64(seed ^ 0x5eedULL));
    const LogRows train_rows = log_rows(data, train_idx);
    const Transforms t = fit_transforms(train_rows);
    const auto [x, y] = to_tensors(train_rows, t);
    const auto [xv, yv] = to_tensors(log_rows(data, val_idx), t);

    std::mt19937_64 rng(splitmix64(seed ^ 0x7e57ULL));
    const auto run_trial = [&](int trial) {
        MlpTrialResult result;
        result.config = sample_config(rng, x.size(0), x.size(1));
        const FitResult fitted = fit(x, y, xv, yv, result.config, seed + static_cast<std::uint64_t>(trial) + 1);
        result.validation_loss = fitted.validation_loss;
        result.best_epoch = fitted.best_epoch;
        return result;
    };
    const MlpTrialResult best = best_trial<MlpTrialResult>(trials, run_trial, progress, "tune_mlp");
    // Retrain the winner on every row for as many epochs as it needed on 80% of them.
    MlpConfig final_config = best.config;
    final_config.max_epochs = best.best_epoch;
    final_config.patience = 0;
    return MlpRegressor::train(data, final_config, seed);
}

}  // namespace snnipred::predict
