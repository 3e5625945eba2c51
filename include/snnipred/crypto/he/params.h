#pragma once
// Parameters of the RLWE scheme (BFV with coefficient encoding, as Cheetah uses for its
// linear layers): ring degree N, ciphertext modulus Q = product of NTT-friendly primes,
// plaintext modulus t = 2^plain_bits. A parameter set that the HomomorphicEncryption.org
// standard does not rate at 128-bit security is refused at construction.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace snnipred::crypto::he {

/// Largest log2(Q) rated at >= 128-bit classical security for ring degree n with a uniform
/// ternary secret and error of standard deviation 3.2, from the HomomorphicEncryption.org
/// Security Standard (Albrecht et al., 2018), Table 1: 1024 -> 27, 2048 -> 54,
/// 4096 -> 109, 8192 -> 218, 16384 -> 438, 32768 -> 881. Returns 0 for other n.
int max_log_q_128(std::size_t n);

class HeParams {
public:
    /// Explicit primes, in modulus-chain order: modulus switching drops them from the end,
    /// so primes.front() is the modulus a fully switched response is left with.
    /// Throws ConfigError when n is not in the standard table, a prime is not prime,
    /// repeated, >= 2^61 or != 1 mod 2n, plain_bits is outside [2, 60], Q leaves no room
    /// above t (log2 Q < plain_bits + 10), or the bit length of Q exceeds max_log_q_128(n).
    HeParams(std::size_t n, std::vector<std::uint64_t> primes, int plain_bits);

    /// The largest NTT-friendly primes of the given sizes (see ntt_primes). Same checks.
    static HeParams from_bit_sizes(std::size_t n, const std::vector<int>& prime_bits, int plain_bits);

    /// Cheetah's linear-layer set: N = 4096, Q = a 60-bit times a 49-bit prime (bit length
    /// 109 = the 128-bit limit), t = 2^41.
    static HeParams cheetah_n4096();
    /// N = 8192, Q = 60 + 60 + 49 + 49 bit primes (bit length 218 = the limit), t = 2^41:
    /// enough room for noise flooding at 40-bit statistical security (docs/he-parameters.md).
    static HeParams n8192();

    std::size_t n() const { return n_; }
    const std::vector<std::uint64_t>& primes() const { return primes_; }
    int plain_bits() const { return plain_bits_; }
    /// Bit length of Q, the quantity the standard's table bounds.
    int q_bit_length() const { return q_bit_length_; }

private:
    std::size_t n_;
    std::vector<std::uint64_t> primes_;
    int plain_bits_;
    int q_bit_length_ = 0;
};

}  // namespace snnipred::crypto::he
