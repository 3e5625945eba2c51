#pragma once
// The ciphertext layout of a batch norm layer (hom_bn.h explains the packing). Apart from
// the HE code so that the predictors can count the engine's ciphertexts from a layer's
// shape alone.

#include <cstdint>

namespace snnipred::engine {

struct BnPlan {
    std::int64_t n = 0;
    std::int64_t channels = 0, h = 0, w = 0;
    std::int64_t block_c = 0;     // channels per ciphertext (Cb)
    std::int64_t blocks_c = 0;    // ceil(C / Cb)
    std::int64_t chunk = 0;       // values of one channel per ciphertext
    std::int64_t chunks = 0;      // chunks per channel
    std::int64_t input_cts = 0;   // blocks_c * chunks = output_cts = products
};

/// Throws InvalidInput unless all sizes are positive.
BnPlan plan_bn(std::int64_t channels, std::int64_t h, std::int64_t w, std::int64_t n);

}  // namespace snnipred::engine
