#include "snnipred/crypto/he/context.h"

#include "mp_uint.h"
#include "snnipred/core/error.h"

namespace snnipred::crypto::he {

HeContext::HeContext(HeParams params, HeKernel kernel) : params_(std::move(params)), kernel_(kernel) {
    const int t_bits = params_.plain_bits();
    for (std::uint64_t q : params_.primes()) {
        moduli_.emplace_back(q);
        tables_.emplace_back(params_.n(), moduli_.back(), kernel);
        // t = floor(t / q) * q + r; frac(t / q) = r / q as floor(r * 2^128 / q).
        const u128 t = static_cast<u128>(1) << t_bits;
        const auto r = static_cast<std::uint64_t>(t % q);
        t_div_q_.push_back(static_cast<std::uint64_t>(t / q));
        const u128 hi = (static_cast<u128>(r) << 64) / q;
        const u128 rem = (static_cast<u128>(r) << 64) % q;
        t_frac_hi_.push_back(static_cast<std::uint64_t>(hi));
        t_frac_lo_.push_back(static_cast<std::uint64_t>((rem << 64) / q));
    }
    for (std::size_t l = 1; l <= moduli_.size(); ++l) {
        LevelData level;
        level.primes = l;
        const std::span<const std::uint64_t> primes(params_.primes().data(), l);
        level.q_limbs = detail::product(primes);
        level.log2_q = detail::log2(level.q_limbs);
        const detail::Limbs delta = detail::shift_right(level.q_limbs, t_bits);
        level.q_mod_t = detail::low_bits(level.q_limbs, t_bits);
        for (std::size_t i = 0; i < l; ++i) {
            const Modulus& q = moduli_[i];
            std::vector<std::uint64_t> others;
            for (std::size_t j = 0; j < l; ++j) {
                if (j != i) others.push_back(primes[j]);
            }
            level.punctured.push_back(detail::product(others));
            level.delta.push_back(detail::mod_word(delta, q));
            level.delta_shoup.push_back(q.shoup(level.delta.back()));
            level.crt_inv.push_back(q.inverse(detail::mod_word(level.punctured.back(), q)));
            level.crt_inv_shoup.push_back(q.shoup(level.crt_inv.back()));
            if (i + 1 < l) {
                level.last_inv.push_back(q.inverse(q.reduce(primes[l - 1])));
                level.last_inv_shoup.push_back(q.shoup(level.last_inv.back()));
            }
        }
        levels_.push_back(std::move(level));
    }
}

const LevelData& HeContext::level(std::size_t primes) const {
    SNNIPRED_CHECK(primes >= 1 && primes <= levels_.size(), InvalidInput, "he: no such modulus level");
    return levels_[primes - 1];
}

}  // namespace snnipred::crypto::he
