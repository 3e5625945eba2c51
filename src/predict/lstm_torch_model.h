#pragma once
// The LSTM regressor (lstm.h) as libtorch tensors: padded, masked batches of standardised
// steps, the forward pass training differentiates, and the conversions to and from the
// Eigen model. Internal to lstm_training.cpp and lstm_torch_model.cpp.
//
// Masking: sequences are padded at the end and the LSTM runs forwards, so a real step's
// state never sees padding; the step-sum head sets padded steps' contributions to
// exp(-inf) = 0 and the last-state head reads the state at each sequence's own length.
// With an analytical base the step-sum head adds each step's raw log base times to its
// outputs before the sum, exactly as LstmRegressor::predict does.

#include <torch/torch.h>

#include <vector>

#include "snnipred/predict/lstm.h"

namespace snnipred::predict {

inline const torch::TensorOptions kDouble = torch::TensorOptions().dtype(torch::kFloat64);

/// Standardised, padded (n x T x F) features, (n x T) mask, lengths and log times; with an
/// analytical base also the raw (n x T x 2) log base times, and with correction bounds
/// their (n x T x 2) low and high ends (each undefined otherwise).
/// With per-step times also their (n x T x 2) logs and (n x T x 2) weights: each step's
/// share of its network's time, 0 for padding and for networks without per-step times.
struct Batch {
    torch::Tensor x, mask, lengths, y, base, low, high, step_y, step_weight;
};

/// The batch of `sequences[rows]` padded with `padding_value`; log times from `times`,
/// correction bounds from `bounds` (one per sequence) and per-step times from `step_times`
/// (LstmTrainingData) when they are not null.
Batch make_batch(const std::vector<Eigen::MatrixXd>& sequences, const Eigen::MatrixXd* times,
                 const std::vector<std::size_t>& rows, const MlpStandardizer& standardizer, LstmBase base,
                 double padding_value, const std::vector<LstmCorrectionBounds>* bounds = nullptr,
                 const std::vector<Eigen::MatrixXd>* step_times = nullptr);

struct TorchModel {
    LstmHead head = LstmHead::kStepSum;
    LstmBase base = LstmBase::kNone;
    torch::Tensor low, high;                             // the LSTM's input clamp, (F)
    std::vector<torch::Tensor> w_input, w_hidden, bias;  // per LSTM layer
    std::vector<torch::Tensor> fc_weight, fc_bias;       // head, the last maps to 2 outputs

    std::vector<torch::Tensor> parameters() const;
    /// (B x T x F) standardised steps (and, with an analytical base, (B x T x 2) log base
    /// times and, if defined, the bounds each step's correction is clamped to) -> (B x 2)
    /// log times.
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& mask, const torch::Tensor& lengths,
                          const torch::Tensor& log_base, const torch::Tensor& correction_low = {},
                          const torch::Tensor& correction_high = {}) const;
    /// The step-sum head's (B x T x 2) per-step log times that forward sums (-inf on padding).
    torch::Tensor step_log_times(const torch::Tensor& x, const torch::Tensor& mask, const torch::Tensor& log_base,
                                 const torch::Tensor& correction_low = {},
                                 const torch::Tensor& correction_high = {}) const;

private:
    torch::Tensor encode(const torch::Tensor& x) const;  // the last LSTM layer's (B x T x H) states
    torch::Tensor dense_head(torch::Tensor z) const;     // the FC layers, ReLU between them
};

/// PyTorch's LSTM init (uniform in +-1/sqrt(H)) with forget-gate bias 1, He-uniform FC
/// layers, and `output_bias` as the output layer's bias. With an analytical base the output
/// layer's weights start at zero: the prediction starts at the analytical sum (with a zero
/// bias) and training learns the correction from there.
TorchModel init_model(int features, const LstmConfig& config, LstmHead head, LstmBase base,
                      const LstmInputRange& range, const torch::Tensor& output_bias, at::Generator& gen);

/// The Eigen model of trained tensors. Throws Error if training diverged (non-finite weights).
LstmRegressor to_regressor(const TorchModel& m, const LstmConfig& config, const MlpStandardizer& standardizer,
                           const LstmInputRange& range);
/// The tensors of an Eigen model.
TorchModel to_torch(const LstmRegressor& r);

}  // namespace snnipred::predict
