#pragma once
// Real-valued parameters of one layer, before quantisation to the ring.

#include <vector>

namespace snnipred {

/// Layouts follow PyTorch/ONNX, as engine::LayerWeights does: conv weight
/// [C_O][C_I/G][K_H][K_W], fc weight [out][in], one bias per output channel (empty when
/// Layer::bias is false); batch-norm: per-channel scale as `weight`, shift as `bias`
/// (y = scale * x + shift); shifted ReLU: per-channel sign (+1 or -1) as `weight`, shift as
/// `bias`. Both empty for layers without parameters.
struct LayerParameters {
    std::vector<double> weight;
    std::vector<double> bias;

    bool operator==(const LayerParameters&) const = default;
};

}  // namespace snnipred
