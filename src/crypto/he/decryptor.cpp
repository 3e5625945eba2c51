#include "snnipred/crypto/he/decryptor.h"

#include <algorithm>
#include <cmath>

#include "encoding.h"
#include "mp_uint.h"
#include "snnipred/core/error.h"

namespace snnipred::crypto::he {

RnsPoly Decryptor::phase(const Ciphertext& ct) const {
    const HeContext& ctx = *context_;
    SNNIPRED_CHECK(ct.n() == ctx.n() && ct.primes() >= 1 && ct.primes() <= ctx.max_primes() &&
                       ct.c1().primes() == ct.primes() && ct.c1().n() == ct.n(),
                   InvalidInput, "he: ciphertext does not match the parameters");
    RnsPoly v = ct.c1();
    if (!ct.ntt_form()) forward_ntt(v, ctx.tables());
    multiply_shoup_inplace(v, sk_.ntt(), sk_.ntt_shoup(), ctx.moduli());
    if (ct.ntt_form()) {
        add_inplace(v, ct.c0(), ctx.moduli());
        inverse_ntt(v, ctx.tables());
    } else {
        inverse_ntt(v, ctx.tables());
        add_inplace(v, ct.c0(), ctx.moduli());
    }
    return v;
}

Plaintext Decryptor::decrypt(const Ciphertext& ct) const {
    const HeContext& ctx = *context_;
    const RnsPoly v = phase(ct);
    const LevelData& level = ctx.level(ct.primes());
    Plaintext pt{std::vector<std::uint64_t>(ctx.n())};
    for (std::size_t j = 0; j < ctx.n(); ++j) {
        // Integer part mod 2^64 (t divides 2^64) and the fraction in 64-bit fixed point.
        std::uint64_t integer = 0;
        u128 fraction = 0;
        for (std::size_t i = 0; i < level.primes; ++i) {
            const Modulus& q = ctx.moduli()[i];
            const std::uint64_t x = q.mul_shoup(v.row(i)[j], level.crt_inv[i], level.crt_inv_shoup[i]);
            const u128 low = static_cast<u128>(x) * ctx.t_frac_lo(i);
            const u128 mid = static_cast<u128>(x) * ctx.t_frac_hi(i) + (low >> 64);
            integer += x * ctx.t_div_q(i) + static_cast<std::uint64_t>(mid >> 64);
            fraction += static_cast<std::uint64_t>(mid);
        }
        integer += static_cast<std::uint64_t>(fraction >> 64);
        integer += static_cast<std::uint64_t>(fraction) >> 63;  // round half up
        pt.coeffs[j] = integer & ctx.plain_mask();
    }
    return pt;
}

NoiseReport Decryptor::noise(const Ciphertext& ct) const {
    const HeContext& ctx = *context_;
    const Plaintext m = decrypt(ct);
    RnsPoly e = phase(ct);
    sub_inplace(e, detail::scale_plaintext(ctx, m, ct.primes()), ctx.moduli());
    const LevelData& level = ctx.level(ct.primes());
    double max_log = 0;
    for (std::size_t j = 0; j < ctx.n(); ++j) {
        detail::Limbs value;
        for (std::size_t i = 0; i < level.primes; ++i) {
            const Modulus& q = ctx.moduli()[i];
            const std::uint64_t y = q.mul_shoup(e.row(i)[j], level.crt_inv[i], level.crt_inv_shoup[i]);
            detail::add_inplace(value, detail::multiply(level.punctured[i], y));
        }
        while (detail::compare(value, level.q_limbs) >= 0) detail::sub_inplace(value, level.q_limbs);
        detail::Limbs other = level.q_limbs;  // Q - value: the magnitude if e is negative
        detail::sub_inplace(other, value);
        const detail::Limbs& magnitude = detail::compare(value, other) <= 0 ? value : other;
        max_log = std::max(max_log, detail::log2(magnitude));
    }
    NoiseReport report;
    report.noise_bits = max_log;
    report.budget_bits = std::max(0.0, level.log2_q - ctx.plain_bits() - 1 - max_log);
    return report;
}

}  // namespace snnipred::crypto::he
