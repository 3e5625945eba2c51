#pragma once
// Internal: the AVX-512 versions of the NTT and of the fused product-accumulate. Only call
// them where kernel_supported(HeKernel::kAvx512) holds. n must be a multiple of 16.
// Outputs equal the scalar code's bit for bit (every output is fully reduced).

#include <cstddef>
#include <cstdint>

#include "snnipred/crypto/he/modulus.h"

namespace snnipred::crypto::he::detail {

/// NttTables::forward on a[0..n), with roots psi^bitrev(i) and their Shoup constants.
void forward_ntt_avx512(std::uint64_t* a, std::size_t n, const std::uint64_t* roots, const std::uint64_t* roots_shoup,
                        const Modulus& q);
/// NttTables::inverse on a[0..n), with the inverse roots in Gentleman-Sande order.
void inverse_ntt_avx512(std::uint64_t* a, std::size_t n, const std::uint64_t* inv_roots,
                        const std::uint64_t* inv_roots_shoup, std::uint64_t n_inv, std::uint64_t n_inv_shoup,
                        const Modulus& q);
/// acc[j] = acc[j] + x[j] * w[j] mod q, all inputs in [0, q), w with its Shoup constants.
void multiply_accumulate_avx512(std::uint64_t* acc, const std::uint64_t* x, const std::uint64_t* w,
                                const std::uint64_t* w_shoup, std::size_t n, const Modulus& q);

}  // namespace snnipred::crypto::he::detail
