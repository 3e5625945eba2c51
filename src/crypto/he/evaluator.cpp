#include "snnipred/crypto/he/evaluator.h"

#include "encoding.h"
#include "snnipred/core/error.h"

namespace snnipred::crypto::he {

void Evaluator::check(const Ciphertext& ct) const {
    SNNIPRED_CHECK(ct.n() == context_->n() && ct.primes() >= 1 && ct.primes() <= context_->max_primes() &&
                       ct.c1().primes() == ct.primes() && ct.c1().n() == ct.n(),
                   InvalidInput, "he: ciphertext does not match the parameters");
}

void Evaluator::to_ntt(Ciphertext& ct) const {
    check(ct);
    if (ct.ntt_form()) return;
    forward_ntt(ct.mutable_c0(), context_->tables());
    forward_ntt(ct.mutable_c1(), context_->tables());
    ct.set_ntt_form(true);
}

void Evaluator::from_ntt(Ciphertext& ct) const {
    check(ct);
    if (!ct.ntt_form()) return;
    inverse_ntt(ct.mutable_c0(), context_->tables());
    inverse_ntt(ct.mutable_c1(), context_->tables());
    ct.set_ntt_form(false);
}

void Evaluator::add(Ciphertext& a, const Ciphertext& b) const {
    check(a);
    check(b);
    SNNIPRED_CHECK(a.primes() == b.primes(), InvalidInput, "he: adding ciphertexts at different levels");
    if (a.ntt_form() == b.ntt_form()) {
        add_inplace(a.mutable_c0(), b.c0(), context_->moduli());
        add_inplace(a.mutable_c1(), b.c1(), context_->moduli());
        return;
    }
    Ciphertext converted = b;
    if (a.ntt_form()) {
        to_ntt(converted);
    } else {
        from_ntt(converted);
    }
    add_inplace(a.mutable_c0(), converted.c0(), context_->moduli());
    add_inplace(a.mutable_c1(), converted.c1(), context_->moduli());
}

void Evaluator::add_scaled(Ciphertext& ct, const Plaintext& pt) const {
    check(ct);
    RnsPoly scaled = detail::scale_plaintext(*context_, pt, ct.primes());
    if (ct.ntt_form()) forward_ntt(scaled, context_->tables());
    add_inplace(ct.mutable_c0(), scaled, context_->moduli());
}

void Evaluator::add_plain(Ciphertext& ct, const Plaintext& pt) const { add_scaled(ct, pt); }

void Evaluator::sub_plain(Ciphertext& ct, const Plaintext& pt) const {
    detail::check_plaintext(*context_, pt);
    Plaintext negated = pt;
    for (std::uint64_t& c : negated.coeffs) c = (0 - c) & context_->plain_mask();
    add_scaled(ct, negated);
}

NttPlaintext Evaluator::prepare(const Plaintext& pt) const {
    RnsPoly value = detail::lift_centered(*context_, pt, context_->max_primes());
    forward_ntt(value, context_->tables());
    RnsPoly shoup = shoup_constants(value, context_->moduli());
    return NttPlaintext(std::move(value), std::move(shoup));
}

void Evaluator::multiply_plain(Ciphertext& ct, const NttPlaintext& w) const {
    check(ct);
    SNNIPRED_CHECK(w.value().n() == context_->n() && w.value().primes() >= ct.primes(), InvalidInput,
                   "he: prepared plaintext does not match the parameters");
    to_ntt(ct);
    multiply_shoup_inplace(ct.mutable_c0(), w.value(), w.shoup(), context_->moduli());
    multiply_shoup_inplace(ct.mutable_c1(), w.value(), w.shoup(), context_->moduli());
}

void Evaluator::mod_switch_to_next(Ciphertext& ct) const {
    check(ct);
    SNNIPRED_CHECK(ct.primes() > 1, InvalidInput, "he: ciphertext is already at the last level");
    from_ntt(ct);
    const std::size_t last = ct.primes() - 1;
    const LevelData& level = context_->level(ct.primes());
    const Modulus& q_last = context_->moduli()[last];
    const std::uint64_t half = q_last.value() / 2;
    for (RnsPoly* poly : {&ct.mutable_c0(), &ct.mutable_c1()}) {
        const std::uint64_t* top = poly->row(last);
        for (std::size_t i = 0; i < last; ++i) {
            // Local copies: stores through row could alias the constants and force reloads.
            const Modulus q = context_->moduli()[i];
            const Modulus last_q = q_last;
            const std::uint64_t inv = level.last_inv[i], inv_shoup = level.last_inv_shoup[i];
            std::uint64_t* row = poly->row(i);
            const std::size_t n = ct.n();
            for (std::size_t j = 0; j < n; ++j) {
                // Subtract the centered remainder: r if r <= q_last/2, else r - q_last. Selects,
                // not branches: r is uniform, a branch would mispredict half the time.
                const std::uint64_t r = top[j];
                const bool high = r > half;
                const std::uint64_t reduced = q.reduce(high ? last_q.value() - r : r);
                const std::uint64_t centered = high ? q.neg(reduced) : reduced;
                row[j] = q.mul_shoup(q.sub(row[j], centered), inv, inv_shoup);
            }
        }
        poly->truncate(last);
    }
}

void Evaluator::mod_switch_to(Ciphertext& ct, std::size_t primes) const {
    check(ct);
    SNNIPRED_CHECK(primes >= 1 && primes <= ct.primes(), InvalidInput, "he: cannot switch to that level");
    while (ct.primes() > primes) mod_switch_to_next(ct);
}

}  // namespace snnipred::crypto::he
