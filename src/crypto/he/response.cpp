#include "snnipred/crypto/he/response.h"

#include <cmath>
#include <string>

#include "snnipred/core/error.h"

namespace snnipred::crypto::he {
namespace {

double log2_sum(double a, double b) { return std::log2(std::exp2(a) + std::exp2(b)); }

}  // namespace

double rerandomized_noise_bound_log2(const HeContext& context, std::uint64_t max_fan_in) {
    return log2_sum(product_noise_bound_log2(context, max_fan_in), public_zero_noise_bound_log2(context.n()));
}

double flooded_noise_bound_log2(const HeContext& context, std::uint64_t max_fan_in, int statistical_security) {
    const int b = flooding_bits(context.n(), product_noise_bound_log2(context, max_fan_in), statistical_security);
    return log2_sum(rerandomized_noise_bound_log2(context, max_fan_in), b + 0.01);
}

double switched_noise_bound_log2(const HeContext& context, double full_modulus_noise_log2) {
    const double dropped = context.level(context.max_primes()).log2_q - context.level(1).log2_q;
    return log2_sum(full_modulus_noise_log2 - dropped, mod_switch_rounding_bound_log2(context.n()) + 1);
}

double rerandomized_product_room_log2(const HeContext& context, double switched_room_log2) {
    const double dropped = context.level(context.max_primes()).log2_q - context.level(1).log2_q;
    const double switched = std::exp2(switched_room_log2) - std::exp2(mod_switch_rounding_bound_log2(context.n()) + 1);
    const double room = switched * std::exp2(dropped) - std::exp2(public_zero_noise_bound_log2(context.n()));
    SNNIPRED_CHECK(switched > 0 && room > 0, ConfigError, "he: no room is left for the products' noise");
    return std::log2(room);
}

ResponseProtector::ResponseProtector(std::shared_ptr<const HeContext> context, const PublicKey& client_key,
                                     std::uint64_t max_fan_in, int statistical_security)
    : context_(std::move(context)), encryptor_(context_, client_key) {
    const HeContext& ctx = *context_;
    SNNIPRED_CHECK(max_fan_in >= 1 && statistical_security >= 1, ConfigError, "he: bad flooding settings");
    flood_bits_ = flooding_bits(ctx.n(), product_noise_bound_log2(ctx, max_fan_in), statistical_security);
    // Products, the share mask (1/2), the encryption of zero, and the flooding itself.
    protected_log2_ = flooded_noise_bound_log2(ctx, max_fan_in, statistical_security);
    const double top_budget = ctx.level(ctx.max_primes()).log2_q - ctx.plain_bits() - 1;
    SNNIPRED_CHECK(flood_bits_ <= 120 && protected_log2_ < top_budget, ConfigError,
                   "he: noise flooding at 2^-" + std::to_string(statistical_security) + " needs 2^" +
                       std::to_string(flood_bits_) + " of noise but these parameters decrypt only below 2^" +
                       std::to_string(static_cast<int>(top_budget)) + "; use a larger ring (N = 8192)");
    SNNIPRED_CHECK(switched_noise_bound_log2(ctx, protected_log2_) < ctx.level(1).log2_q - ctx.plain_bits() - 1,
                   ConfigError,
                   "he: a flooded response would not survive switching to the first prime");
}

void ResponseProtector::protect(Ciphertext& ct, Prng& prng) const {
    const HeContext& ctx = *context_;
    SNNIPRED_CHECK(ct.n() == ctx.n() && ct.primes() == ctx.max_primes() && ct.c1().primes() == ct.primes(),
                   InvalidInput, "he: only a full-modulus ciphertext can be protected");
    if (ct.ntt_form()) {
        inverse_ntt(ct.mutable_c0(), ctx.tables());
        inverse_ntt(ct.mutable_c1(), ctx.tables());
        ct.set_ntt_form(false);
    }
    const Ciphertext zero = encryptor_.encrypt_zero(prng);
    add_inplace(ct.mutable_c0(), zero.c0(), ctx.moduli());
    add_inplace(ct.mutable_c1(), zero.c1(), ctx.moduli());
    // Uniform on [-2^b, 2^b): b + 1 random bits minus 2^b, as a signed 128-bit integer.
    const int b = flood_bits_;
    const u128 mask = (static_cast<u128>(1) << (b + 1)) - 1;
    const u128 offset = static_cast<u128>(1) << b;
    for (std::size_t j = 0; j < ctx.n(); ++j) {
        const u128 r = ((static_cast<u128>(prng.next_u64()) << 64) | prng.next_u64()) & mask;
        const bool negative = r < offset;
        const u128 magnitude = negative ? offset - r : r - offset;
        for (std::size_t i = 0; i < ct.primes(); ++i) {
            const Modulus& q = ctx.moduli()[i];
            const std::uint64_t residue = q.reduce128(magnitude);
            std::uint64_t& c = ct.mutable_c0().row(i)[j];
            c = negative ? q.sub(c, residue) : q.add(c, residue);
        }
    }
}

}  // namespace snnipred::crypto::he
