#pragma once
// Internal: the coefficient layout of a conv layer (see hom_conv.h for the scheme). Both
// parties call these with the same ConvPlan, so their polynomials line up.

#include <cstdint>
#include <span>
#include <vector>

#include "snnipred/crypto/he/plaintext.h"
#include "snnipred/crypto/he/response_wire.h"
#include "snnipred/engine/hom_conv.h"
#include "snnipred/engine/ring.h"

namespace snnipred::engine::detail {

/// One party's share of the input (CHW), as plan.input_cts polynomials in the order
/// [group][channel block][block row][block column]; padding and unused slots are 0.
std::vector<crypto::he::Plaintext> pack_conv_input(const ConvPlan& plan, const RingConfig& ring,
                                                   std::span<const std::uint64_t> x);

/// The kernel polynomial of filter block `filter_block` (0 <= filter_block < groups *
/// blocks_o, in the order [group][block]) for channel block `channel_block` of its group:
/// N signed coefficients, filter f of the block f * filter_span coefficients up.
std::vector<std::int64_t> conv_kernel_poly(const ConvPlan& plan, std::span<const std::int64_t> weights,
                                           std::int64_t filter_block, std::int64_t channel_block);

/// Reads the outputs from plan.output_cts decrypted (or mask) polynomials in the order
/// [group][filter block][block row][block column] into a C_O x out_h x out_w tensor.
ShareVector unpack_conv_output(const ConvPlan& plan, const RingConfig& ring,
                               std::span<const crypto::he::Plaintext> polys);

/// The coefficients unpack_conv_output reads from each of the plan.output_cts responses.
crypto::he::ReadPositions conv_read_positions(const ConvPlan& plan);

}  // namespace snnipred::engine::detail
