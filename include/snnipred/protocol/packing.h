#pragma once
// How the HE linear layers lay tensors out in polynomials: the packing plans of conv
// (engine/hom_conv.h explains the scheme), fully connected (hom_fc.h) and batch norm
// (hom_bn.h) layers. Pure arithmetic on shapes, shared by the engine (which packs by them)
// and the protocol plan (which counts their ciphertexts, bytes and products).

#include <cstdint>

#include "snnipred/model/layer.h"
#include "snnipred/protocol/options.h"

namespace snnipred::protocol {

struct ConvShape {
    std::int64_t in_channels = 0, in_h = 0, in_w = 0;
    std::int64_t out_channels = 0;
    std::int64_t groups = 1;
    Window window;  // explicit pads (kValid means none); kSame must be resolved first

    /// Throws InvalidInput when the shape is not a valid convolution (sizes <= 0, groups
    /// not dividing both channel counts, unresolved SAME padding, kernel larger than the
    /// padded input).
    void validate() const;
    std::int64_t out_h() const;
    std::int64_t out_w() const;
    /// Weight count: out_channels * (in_channels / groups) * kernel_h * kernel_w.
    std::int64_t weight_count() const;
    /// From a conv layer added to a Network (input shape filled). Throws InvalidInput.
    static ConvShape from_layer(const Layer& conv);
};

/// How one conv layer is laid out in polynomials (identical for both parties).
struct ConvPlan {
    ConvShape shape;
    std::int64_t n = 0;                                       // ring degree
    std::int64_t channels = 0, filters = 0;                   // per group
    // Strides. A dimension's padded input is read in phases: phase r with step s holds rows
    // r, r + s, r + 2s, ... A kernel dimension of 1 reads one phase (the input subsampled).
    // A larger one either slides the whole kernel at step 1 and keeps every stride-th
    // output (Cheetah's), or, with dense packing where that sends fewer bytes, splits into
    // min(k, s) phases that each slide ceil(k / s) of the kernel's taps at step s: each
    // phase of each channel is a channel of a stride-1 conv with exactly the wanted outputs.
    std::int64_t phases_h = 1, phases_w = 1;                    // phases per input channel
    std::int64_t sub_h = 1, sub_w = 1;                          // padded rows between a phase's rows
    std::int64_t kernel_h = 0, kernel_w = 0;                    // the kernel a phase slides
    std::int64_t keep_h = 1, keep_w = 1;                        // stride-1 outputs per output kept
    std::int64_t packed_channels = 0;                           // channels * phases_h * phases_w
    std::int64_t eff_h = 0, eff_w = 0;                          // rows (columns) of a phase
    std::int64_t full_h = 0, full_w = 0;                        // stride-1 outputs computed
    std::int64_t block_c = 0, block_h = 0, block_w = 0;         // block_c of the packed channels
    std::int64_t blocks_c = 0, blocks_h = 0, blocks_w = 0;
    std::int64_t block_o = 1;       // filters per response (1: Cheetah's packing)
    std::int64_t blocks_o = 0;      // filter blocks per group
    std::int64_t first_output = 0;  // coefficient of a filter's first output in its product (O)
    std::int64_t filter_span = 0;   // coefficients between two filters' outputs in a response
    std::int64_t input_cts = 0;   // groups * blocks_c * blocks_h * blocks_w
    std::int64_t output_cts = 0;  // groups * blocks_o * blocks_h * blocks_w
    std::int64_t products = 0;    // output_cts * blocks_c
    std::int64_t kernel_polys = 0;  // groups * blocks_o * blocks_c (prepared once per run)
    std::int64_t fan_in = 0;      // weight coefficients of the kernel polynomials one response sums
};

/// Plans a conv for ring degree n, weighing a client ciphertext at `input_ct_bytes` and a
/// response at `output_ct_bytes`, packed as `packing` says. Throws InvalidInput on a bad
/// shape or a kernel that does not fit in n coefficients, ConfigError when the fan-in
/// exceeds max_fan_in.
ConvPlan plan_conv(const ConvShape& shape, std::int64_t n, std::int64_t input_ct_bytes, std::int64_t output_ct_bytes,
                   std::uint64_t max_fan_in = HeLayout{}.max_fan_in, ConvPacking packing = ConvPacking::kCheetah);
/// The same for an HE layout: its ring degree and response size, and each candidate's
/// input ciphertexts at the size its fan-in allows (input_drop_bits).
ConvPlan plan_conv(const ConvShape& shape, const HeLayout& he);

struct FcPlan {
    std::int64_t n = 0;
    std::int64_t inputs = 0, outputs = 0;
    std::int64_t block_in = 0, block_out = 0;  // n_i, n_o
    std::int64_t input_cts = 0;                // ceil(inputs / n_i)
    std::int64_t output_cts = 0;               // ceil(outputs / n_o)
    std::int64_t products = 0;                 // input_cts * output_cts
    std::int64_t fan_in = 0;                   // input_cts * block_in * block_out: every weight a response sums
};

/// Throws InvalidInput unless both sizes are positive, ConfigError when even one output per
/// response would exceed max_fan_in (inputs rounded up to whole input blocks).
FcPlan plan_fc(std::int64_t inputs, std::int64_t outputs, std::int64_t n, std::int64_t input_ct_bytes,
               std::int64_t output_ct_bytes, std::uint64_t max_fan_in = HeLayout{}.max_fan_in);
/// The same for an HE layout's ring degree and ciphertext sizes.
FcPlan plan_fc(std::int64_t inputs, std::int64_t outputs, const HeLayout& he);

struct BnPlan {
    std::int64_t n = 0;
    std::int64_t channels = 0, h = 0, w = 0;
    std::int64_t block_c = 0;     // channels per ciphertext (Cb)
    std::int64_t blocks_c = 0;    // ceil(C / Cb)
    std::int64_t chunk = 0;       // values of one channel per ciphertext
    std::int64_t chunks = 0;      // chunks per channel
    std::int64_t input_cts = 0;   // blocks_c * chunks = output_cts = products
    std::int64_t fan_in = 0;      // block_c: the scales one product's polynomial holds
};

/// Channels per ciphertext and chunks per channel for ring degree n. Throws InvalidInput
/// unless all sizes are positive.
BnPlan plan_bn(std::int64_t channels, std::int64_t h, std::int64_t w, std::int64_t n);

}  // namespace snnipred::protocol
