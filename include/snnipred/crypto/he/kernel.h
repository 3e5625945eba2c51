#pragma once
// Which implementation runs the HE hot loops (NTT, ciphertext x plaintext products): the
// portable scalar code, or AVX-512 (F + DQ + IFMA, chosen at run time, never required at
// build time). Both give bit-identical results; the choice is a property of an HeContext.

#include <string_view>

namespace snnipred::crypto::he {

enum class HeKernel {
    kScalar,  // portable C++, 64-bit Shoup products
    kAvx512,  // 8 lanes; IFMA 52-bit products for primes below 2^50, emulated 64-bit above
};

/// "scalar" / "avx512".
std::string_view kernel_name(HeKernel kernel);
/// Whether this CPU can run the kernel (AVX-512F, DQ and IFMA for kAvx512).
bool kernel_supported(HeKernel kernel);
/// The environment variable SNNIPRED_HE_KERNEL ("scalar" or "avx512") when set (to compare
/// the two), else kAvx512 when supported, else kScalar. Throws ConfigError on another
/// value, or on "avx512" where the CPU lacks it.
HeKernel default_kernel();

}  // namespace snnipred::crypto::he
