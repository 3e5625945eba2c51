#pragma once
// The measured time of every protocol step of a whole-network sample, from the layer
// records its profiling run stored next to it: per-step supervision of the LSTM
// (LstmTrainingData::step_times).

#include <span>
#include <vector>

#include <Eigen/Dense>

#include "snnipred/predict/dataset.h"
#include "snnipred/predict/lowering.h"
#include "snnipred/predict/network_dataset.h"

namespace snnipred::predict {

/// For each sample, a 2 x steps matrix (client, server; ms, at least kMinLogTimeMs) of the
/// records whose network, setting and run are the sample's, in record order, when for both
/// parties they line up one to one, kind by kind, with the sample's steps under `lowering`;
/// otherwise 2 x 0 (e.g. a sample profiled without layer records).
std::vector<Eigen::MatrixXd> measured_step_times(std::span<const NetworkSample> samples,
                                                 std::span<const LayerRecord> records,
                                                 const LoweringOptions& lowering);

}  // namespace snnipred::predict
