#pragma once
// Protection of the server's inputs in its response (circuit privacy of the linear layer).
// After the server has computed ct = sum_k Enc(x_k) * W_k and subtracted its output share,
// the client could still learn about W from two places:
//  - c1 = sum_k a_k W_k: the client knows every a_k (it generated them), so c1 alone
//    reveals W. Adding a fresh public-key encryption of zero (fresh masking) makes c1
//    pseudorandom under RLWE.
//  - the noise sum_k (e_k + eps_k) W_k, which the key owner can compute exactly. Adding
//    uniform noise on [-2^b, 2^b) to c0 (noise flooding), b from flooding_bits() for the
//    worst-case product noise at the engine's fan-in, makes the response's noise within
//    statistical distance 2^-40 of a distribution independent of W.
// Then the server switches the modulus down (Evaluator::mod_switch_to) and sends.

#include <cstdint>
#include <memory>

#include "snnipred/crypto/he/ciphertext.h"
#include "snnipred/crypto/he/context.h"
#include "snnipred/crypto/he/encryptor.h"
#include "snnipred/crypto/he/keys.h"
#include "snnipred/crypto/he/noise_bound.h"
#include "snnipred/crypto/he/prng.h"

namespace snnipred::crypto::he {

/// Worst-case log2 noise of a response that is re-randomized but not flooded, at the full
/// modulus: products at `max_fan_in` plus the public-key encryption of zero.
double rerandomized_noise_bound_log2(const HeContext& context, std::uint64_t max_fan_in = kMaxFanIn);
/// Worst-case log2 noise of a protected (flooded) response at the full modulus: the
/// above plus the flooding noise sized for `max_fan_in` at `statistical_security`.
double flooded_noise_bound_log2(const HeContext& context, std::uint64_t max_fan_in = kMaxFanIn,
                                int statistical_security = kStatisticalSecurity);
/// A full-modulus noise bound carried to the first prime: scaled by q_0 / Q, plus the
/// switching rounding (counted twice, for c0 and for c1 s).
double switched_noise_bound_log2(const HeContext& context, double full_modulus_noise_log2);
/// The inverse: the largest product noise (log2) a re-randomized response may carry at the
/// full modulus so that, with the encryption of zero and the switching rounding, it stays
/// within a switched noise of 2^switched_room_log2 (response_wire.h
/// switched_noise_room_log2). Throws ConfigError when the rounding alone fills the room.
double rerandomized_product_room_log2(const HeContext& context, double switched_room_log2);

/// Server side.
class ResponseProtector {
public:
    /// Sizes the flooding for responses whose weight-dependent noise comes from at most
    /// `max_fan_in` weight coefficients per output coefficient. Throws ConfigError when the
    /// parameters cannot hold the flooded noise: at the full modulus, or after switching
    /// down to the first prime. (The N = 4096, 109-bit set cannot: flooding needs 2^112
    /// against a budget of 2^67. Use HeParams::n8192() when flooding is required.)
    ResponseProtector(std::shared_ptr<const HeContext> context, const PublicKey& client_key,
                      std::uint64_t max_fan_in = kMaxFanIn, int statistical_security = kStatisticalSecurity);

    int flood_bits() const { return flood_bits_; }
    /// Worst-case log2 noise of a protected response at the full modulus.
    double protected_noise_bound_log2() const { return protected_log2_; }

    /// Adds a fresh encryption of zero and the flooding noise. ct must be at the full
    /// modulus (throws InvalidInput otherwise); it is left in coefficient form.
    void protect(Ciphertext& ct, Prng& prng) const;
    void protect(Ciphertext& ct) const {
        Prng prng = Prng::fresh();
        protect(ct, prng);
    }

private:
    std::shared_ptr<const HeContext> context_;
    PublicEncryptor encryptor_;
    int flood_bits_;
    double protected_log2_;
};

}  // namespace snnipred::crypto::he
