#pragma once
// How Cheetah (Huang et al., USENIX Security 2022; OpenCheetah) lays its homomorphic
// linear layers out in RLWE polynomials of N coefficients, reduced to the counts that
// drive its cost: ciphertexts the client encrypts and sends, ciphertext x plaintext
// products the server computes, ciphertexts it returns. Used by the protocol feature set.
//
// The partitions follow OpenCheetah's own rules (include/gemini/cheetah/shape_inference.cc
// Conv2D, sliced_3d_tensor.h Conv2DSliceHelper, hom_fc_ss.cc getSplit, hom_bn_ss.cc
// getSplitBN) rather than an idealised optimum, because the measured times follow them.

#include <cstdint>

#include "snnipred/model/features.h"
#include "snnipred/model/layer.h"

namespace snnipred::predict {

/// Cheetah's default polynomial degree for its linear layers.
inline constexpr std::int64_t kCheetahPolyDegree = 4096;

struct ConvPacking {
    std::int64_t block_c = 0, block_h = 0, block_w = 0;  // one ciphertext's input block, halo included
    std::int64_t blocks_c = 0, blocks_h = 0, blocks_w = 0;
    std::int64_t input_cts = 0;          // client -> server: blocks_c * blocks_h * blocks_w
    std::int64_t output_cts = 0;         // server -> client: C_O * blocks_h * blocks_w
    std::int64_t products = 0;           // ct x pt products: C_O * input_cts
    std::int64_t monomial_products = 0;  // of those, by a one-coefficient plaintext (no NTT)
    std::int64_t kernel_pts = 0;         // plaintexts the server encodes: C_O * blocks_c
};

/// HomConv2DSS's partition of a conv layer (input_shapes and output filled), per group:
///  - any zero padding becomes Cheetah's "SAME" padding, kernel-1 extra rows and columns;
///  - a 1x1 kernel subsamples its input by the stride first; larger kernels compute the
///    stride-1 convolution and keep every stride-th output;
///  - if the (padded, subsampled) H*W fits in N, a block is min(N/(H*W), C, N/(H_F*W_F))
///    whole channels; otherwise one channel of about sqrt(N) x sqrt(N) (aspect ratio
///    kept), and neighbouring blocks overlap by the kernel halo (H_F-1 rows);
///  - every filter multiplies every input ciphertext; a plaintext with one non-zero
///    coefficient (1x1 kernel, one channel in the block) is a cheap monomial product,
///    every other product costs NTTs.
/// Where Cheetah itself would reject the shape (a block narrower than the kernel) the
/// block is widened to the kernel so that a cost is still defined.
/// Throws InvalidInput if the layer is not a conv with a known input shape, or its
/// kernel alone exceeds poly_degree coefficients or the padded input.
ConvPacking cheetah_conv_packing(const Layer& conv, std::int64_t poly_degree = kCheetahPolyDegree);
/// The same from a conv's dimensions (no IR layer needed); errors name the layer by its
/// type. Throws likewise.
ConvPacking cheetah_conv_packing(const LayerDimensions& conv, std::int64_t poly_degree = kCheetahPolyDegree);

struct FcPacking {
    std::int64_t block_in = 0, block_out = 0;  // n_i x n_o weight block, n_i*n_o <= N
    std::int64_t input_cts = 0;                // ceil(N_I / n_i)
    std::int64_t output_cts = 0;               // ceil(N_O / n_o)
    std::int64_t products = 0;                 // input_cts * output_cts
};

/// HomFCSS's partition of an N_I -> N_O matrix-vector product: the vector is cut into
/// n_i chunks, the matrix into n_o x n_i blocks, one polynomial product per block. Like
/// Cheetah, the block minimises ciphertexts sent plus received, taking the smallest n_o
/// on ties. Throws InvalidInput unless both sizes are positive.
FcPacking cheetah_fc_packing(std::int64_t inputs, std::int64_t outputs,
                             std::int64_t poly_degree = kCheetahPolyDegree);

/// Ciphertexts of HomBNSS's direct (C, H, W) batch norm: one channel per ciphertext, H
/// and W cut into blocks of at most sqrt(N); each is multiplied by its channel's scale,
/// a one-coefficient plaintext. Throws InvalidInput unless all sizes are positive.
std::int64_t cheetah_bn_cts(std::int64_t c, std::int64_t h, std::int64_t w,
                            std::int64_t poly_degree = kCheetahPolyDegree);

}  // namespace snnipred::predict
