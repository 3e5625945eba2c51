#pragma once
// Step features of the LSTM predictor: what one protocol step looks like to the sequence
// model. Columns: a one-hot of the step kind, then log1p of every raw dimension in a fixed
// slot per dimension name (NaN where the step's kind has no such dimension), then log1p of
// the step's composite features (input size, parameters, operations, output size).

#include <vector>

#include <Eigen/Dense>

#include "snnipred/predict/lowering.h"

namespace snnipred::predict {

/// Number of columns step_features produces.
Eigen::Index step_feature_count();

/// One row per step, in order. Throws InvalidInput if a step lacks a required raw feature.
Eigen::MatrixXd step_features(const std::vector<ProtocolStep>& steps);

}  // namespace snnipred::predict
