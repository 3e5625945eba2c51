#include "snnipred/crypto/he/params.h"

#include <algorithm>
#include <bit>
#include <map>
#include <string>

#include "mp_uint.h"
#include "snnipred/core/error.h"
#include "snnipred/crypto/he/modulus.h"

namespace snnipred::crypto::he {

int max_log_q_128(std::size_t n) {
    switch (n) {
        case 1024: return 27;
        case 2048: return 54;
        case 4096: return 109;
        case 8192: return 218;
        case 16384: return 438;
        case 32768: return 881;
        default: return 0;
    }
}

HeParams::HeParams(std::size_t n, std::vector<std::uint64_t> primes, int plain_bits)
    : n_(n), primes_(std::move(primes)), plain_bits_(plain_bits) {
    const int limit = max_log_q_128(n);
    SNNIPRED_CHECK(limit > 0, ConfigError,
                   "he: ring degree " + std::to_string(n) + " is not in the 128-bit security table");
    SNNIPRED_CHECK(!primes_.empty(), ConfigError, "he: at least one prime is needed");
    SNNIPRED_CHECK(plain_bits >= 2 && plain_bits <= 60, ConfigError, "he: plaintext modulus must be 2^2..2^60");
    for (std::size_t i = 0; i < primes_.size(); ++i) {
        const std::uint64_t q = primes_[i];
        SNNIPRED_CHECK(q < (std::uint64_t{1} << 61) && is_prime(q) && q % (2 * n) == 1, ConfigError,
                       "he: modulus " + std::to_string(q) + " is not an NTT-friendly prime below 2^61");
        SNNIPRED_CHECK(std::count(primes_.begin(), primes_.end(), q) == 1, ConfigError, "he: repeated prime");
    }
    q_bit_length_ = detail::bit_length(detail::product(primes_));
    SNNIPRED_CHECK(q_bit_length_ <= limit, ConfigError,
                   "he: log2 q = " + std::to_string(q_bit_length_) + " exceeds " + std::to_string(limit) +
                       ", the 128-bit security limit for N = " + std::to_string(n));
    // Per prime, the first must hold a switched-down response: it needs room above t.
    SNNIPRED_CHECK(static_cast<int>(std::bit_width(primes_.front())) >= plain_bits + 10, ConfigError,
                   "he: the first prime must exceed t by at least 10 bits");
}

HeParams HeParams::from_bit_sizes(std::size_t n, const std::vector<int>& prime_bits, int plain_bits) {
    SNNIPRED_CHECK(std::has_single_bit(n), ConfigError, "he: ring degree must be a power of two");
    std::map<int, std::size_t> needed;
    for (int bits : prime_bits) ++needed[bits];
    std::map<int, std::vector<std::uint64_t>> found;
    for (const auto& [bits, count] : needed) found[bits] = ntt_primes(n, bits, count);
    std::vector<std::uint64_t> primes;
    std::map<int, std::size_t> used;
    for (int bits : prime_bits) primes.push_back(found[bits][used[bits]++]);
    return HeParams(n, std::move(primes), plain_bits);
}

HeParams HeParams::cheetah_n4096() { return from_bit_sizes(4096, {60, 49}, 41); }

HeParams HeParams::n8192() { return from_bit_sizes(8192, {60, 60, 49, 49}, 41); }

}  // namespace snnipred::crypto::he
