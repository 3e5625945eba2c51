// The LSTM regressor as libtorch tensors (lstm_torch_model.h).
#include "lstm_torch_model.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "snnipred/core/error.h"

namespace snnipred::predict {
namespace {

using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

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

}  // namespace

Batch make_batch(const std::vector<Eigen::MatrixXd>& sequences, const Eigen::MatrixXd* times,
                 const std::vector<std::size_t>& rows, const MlpStandardizer& standardizer, LstmBase base,
                 double padding_value, const std::vector<LstmCorrectionBounds>* bounds,
                 const std::vector<Eigen::MatrixXd>* step_times) {
    const auto n = static_cast<std::int64_t>(rows.size());
    const Eigen::Index f = standardizer.mean.size();
    Eigen::Index longest = 0;
    for (std::size_t r : rows) longest = std::max(longest, sequences[r].rows());
    Batch b{torch::full({n, longest, f}, padding_value, kDouble), torch::zeros({n, longest}, torch::kBool),
            torch::empty({n}, torch::kInt64), torch::zeros({n, 2}, kDouble), torch::Tensor(), torch::Tensor(),
            torch::Tensor()};
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
    if (base != LstmBase::kNone) {
        b.base = torch::full({n, longest, 2}, padding_value, kDouble);
        auto log_base = b.base.accessor<double, 3>();
        for (std::int64_t i = 0; i < n; ++i) {
            const Eigen::MatrixXd& s = sequences[rows[static_cast<std::size_t>(i)]];
            for (Eigen::Index t = 0; t < s.rows(); ++t)
                for (int p = 0; p < 2; ++p) log_base[i][t][p] = s(t, f - 2 + p);
        }
    }
    if (bounds != nullptr) {
        // Padded steps get [0, 0]: their contribution is masked out anyway.
        b.low = torch::zeros({n, longest, 2}, kDouble);
        b.high = torch::zeros({n, longest, 2}, kDouble);
        auto low = b.low.accessor<double, 3>();
        auto high = b.high.accessor<double, 3>();
        for (std::int64_t i = 0; i < n; ++i) {
            const LstmCorrectionBounds& limits = (*bounds)[rows[static_cast<std::size_t>(i)]];
            for (Eigen::Index t = 0; t < limits.low.cols(); ++t)
                for (int p = 0; p < 2; ++p) {
                    low[i][t][p] = limits.low(p, t);
                    high[i][t][p] = limits.high(p, t);
                }
        }
    }
    if (step_times != nullptr) {
        b.step_y = torch::zeros({n, longest, 2}, kDouble);
        b.step_weight = torch::zeros({n, longest, 2}, kDouble);
        auto log_time = b.step_y.accessor<double, 3>();
        auto weight = b.step_weight.accessor<double, 3>();
        for (std::int64_t i = 0; i < n; ++i) {
            const Eigen::MatrixXd& t = (*step_times)[rows[static_cast<std::size_t>(i)]];
            for (int p = 0; p < 2 && t.cols() > 0; ++p) {
                const double total = t.row(p).sum();
                for (Eigen::Index s = 0; s < t.cols(); ++s) {
                    log_time[i][s][p] = std::log(t(p, s));
                    weight[i][s][p] = t(p, s) / total;
                }
            }
        }
    }
    return b;
}

std::vector<torch::Tensor> TorchModel::parameters() const {
    std::vector<torch::Tensor> p;
    for (const auto* group : {&w_input, &w_hidden, &bias, &fc_weight, &fc_bias}) p.insert(p.end(), group->begin(), group->end());
    return p;
}

torch::Tensor TorchModel::encode(const torch::Tensor& x) const {
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
    return seq;
}

torch::Tensor TorchModel::dense_head(torch::Tensor z) const {
    for (std::size_t l = 0; l < fc_weight.size(); ++l) {
        z = torch::matmul(z, fc_weight[l].t()) + fc_bias[l];
        if (l + 1 < fc_weight.size()) z = torch::relu(z);
    }
    return z;
}

torch::Tensor TorchModel::step_log_times(const torch::Tensor& x, const torch::Tensor& mask,
                                         const torch::Tensor& log_base, const torch::Tensor& correction_low,
                                         const torch::Tensor& correction_high) const {
    SNNIPRED_CHECK(head == LstmHead::kStepSum, InvalidInput, "LSTM: per-step times need the step-sum head");
    torch::Tensor z = dense_head(torch::cat({encode(x), x}, 2));
    if (correction_low.defined()) z = torch::max(torch::min(z, correction_high), correction_low);
    if (base != LstmBase::kNone) z = z + log_base;
    return z.masked_fill(mask.logical_not().unsqueeze(2), -std::numeric_limits<double>::infinity());
}

torch::Tensor TorchModel::forward(const torch::Tensor& x, const torch::Tensor& mask, const torch::Tensor& lengths,
                                  const torch::Tensor& log_base, const torch::Tensor& correction_low,
                                  const torch::Tensor& correction_high) const {
    if (head == LstmHead::kStepSum)
        return torch::logsumexp(step_log_times(x, mask, log_base, correction_low, correction_high), 1);
    return dense_head(encode(x).index({torch::arange(x.size(0)), lengths - 1}));
}

TorchModel init_model(int features, const LstmConfig& config, LstmHead head, LstmBase base,
                      const LstmInputRange& range, const torch::Tensor& output_bias, at::Generator& gen) {
    auto uniform = [&gen](std::int64_t rows, std::int64_t cols, double bound) {
        return ((torch::rand({rows, cols}, gen, kDouble) * 2 - 1) * bound).requires_grad_();
    };
    TorchModel m;
    m.head = head;
    m.base = base;
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
        m.fc_weight.push_back(output && base != LstmBase::kNone
                                  ? torch::zeros({out, in}, kDouble).requires_grad_()
                                  : uniform(out, in, std::sqrt((output ? 3.0 : 6.0) / in)));
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
        return LstmRegressor(m.head, config, standardizer, range, std::move(lstm), std::move(head), m.base);
    } catch (const ConfigError&) {
        throw Error("LSTM training diverged (non-finite weights); try a smaller learning rate");
    }
}

TorchModel to_torch(const LstmRegressor& r) {
    TorchModel m;
    m.head = r.head();
    m.base = r.base();
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

}  // namespace snnipred::predict
