#pragma once
// Cost features of layers and networks: the paper's raw features (its Table 1), its
// composite features S_in, S_par, N_op, S_out (Table 2, extended to the added layer
// types), and network totals. Predictors consume these; `describe` prints them.

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "snnipred/model/network.h"

namespace snnipred {

/// Named raw dimensions of one layer, in a fixed order per layer type
/// (e.g. conv: C_I, H_I, W_I, C_O, H_O, W_O, H_F, W_F, S_H, S_W, P_H, P_W, G).
using RawFeatures = std::vector<std::pair<std::string, double>>;

struct CompositeFeatures {
    double s_in = 0;   // input size (elements)
    double s_par = 0;  // parameter count as in the paper's Table 2
    double n_op = 0;   // operations of the plaintext evaluation
    double s_out = 0;  // output size (elements)
};

/// What the composite features read of a layer, as plain values. A caller that knows a
/// layer's dimensions without an IR Layer (a predictor's record, once per step of every
/// whole-network prediction) computes its features from these without allocating.
struct LayerDimensions {
    LayerType type = LayerType::kIdentity;
    Shape input;                      // the first input's; c = 0 when there is none
    std::int64_t input_elements = 0;  // over all inputs
    Shape output;
    Window window;
    std::int64_t out_channels = 0;
    std::int64_t groups = 1;
};

/// The dimensions of an IR layer (shape-inferred, as a Network holds it).
LayerDimensions layer_dimensions(const Layer& layer);

/// Raw features from (name, value) pairs, copying each name once: a braced list of
/// RawFeatures' own pairs builds every name twice (in the list, then in the vector).
/// `spare` reserves room for that many more features a caller appends (no reallocation).
RawFeatures make_raw_features(std::initializer_list<std::pair<std::string_view, double>> values,
                              std::size_t spare = 0);

/// A layer's raw features, with room for `spare` more (see make_raw_features).
RawFeatures raw_features(const Layer& layer, std::size_t spare = 0);
CompositeFeatures composite_features(const Layer& layer);
CompositeFeatures composite_features(const LayerDimensions& layer);

/// Trainable parameters of the layer counted from its weight shapes, as PyTorch counts
/// them (BN: scale and shift; running statistics are buffers, not parameters).
std::int64_t parameter_count(const Layer& layer);
/// Multiply-accumulates of conv and FC layers; 0 for other types.
std::int64_t mac_count(const Layer& layer);
/// Elements passed through ReLU or ReLU6 (each needs a secure comparison).
std::int64_t relu_count(const Layer& layer);
/// Secure comparisons: 1 per ReLU element, 2 per ReLU6 element, k*k-1 per max-pool output.
std::int64_t comparison_count(const Layer& layer);

struct NetworkTotals {
    std::int64_t params = 0;
    std::int64_t macs = 0;
    std::int64_t relus = 0;
    std::int64_t comparisons = 0;
    std::int64_t layers = 0;  // excluding the input
    std::map<std::string, std::int64_t> layers_by_type;
};

NetworkTotals network_totals(const Network& network);

}  // namespace snnipred
