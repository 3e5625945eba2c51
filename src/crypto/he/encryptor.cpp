#include "snnipred/crypto/he/encryptor.h"

#include "encoding.h"
#include "sampling.h"
#include "snnipred/core/error.h"

namespace snnipred::crypto::he {

Ciphertext Encryptor::encrypt(const Plaintext& pt, Prng& prng) const {
    const HeContext& ctx = *context_;
    RnsPoly message = detail::scale_plaintext(ctx, pt, ctx.max_primes());
    const Seed seed = prng.next_seed();
    Prng expander(seed);
    RnsPoly a = detail::sample_uniform(expander, ctx.n(), ctx.moduli());  // read as NTT form
    const std::vector<std::int64_t> e = detail::sample_error(prng, ctx.n());
    RnsPoly c0 = lift_signed(e, ctx.moduli());
    add_inplace(c0, message, ctx.moduli());
    forward_ntt(c0, ctx.tables());
    RnsPoly as = a;
    multiply_shoup_inplace(as, sk_.ntt(), sk_.ntt_shoup(), ctx.moduli());
    sub_inplace(c0, as, ctx.moduli());
    return Ciphertext(std::move(c0), std::move(a), true, seed);
}

Ciphertext Encryptor::encrypt_zero(Prng& prng) const {
    return encrypt(Plaintext{std::vector<std::uint64_t>(context_->n(), 0)}, prng);
}

PublicEncryptor::PublicEncryptor(std::shared_ptr<const HeContext> context, const PublicKey& pk)
    : context_(std::move(context)) {
    const Ciphertext& ct = pk.ciphertext();
    SNNIPRED_CHECK(ct.n() == context_->n() && ct.primes() == context_->max_primes() && ct.ntt_form(), InvalidInput,
                   "he: public key does not match the parameters");
    p0_ = ct.c0();
    p1_ = ct.c1();
    p0_shoup_ = shoup_constants(p0_, context_->moduli());
    p1_shoup_ = shoup_constants(p1_, context_->moduli());
}

Ciphertext PublicEncryptor::encrypt_zero(Prng& prng) const {
    const HeContext& ctx = *context_;
    RnsPoly u = lift_signed(detail::sample_ternary(prng, ctx.n()), ctx.moduli());
    forward_ntt(u, ctx.tables());
    RnsPoly c0 = u;
    RnsPoly c1 = std::move(u);
    multiply_shoup_inplace(c0, p0_, p0_shoup_, ctx.moduli());
    multiply_shoup_inplace(c1, p1_, p1_shoup_, ctx.moduli());
    inverse_ntt(c0, ctx.tables());
    inverse_ntt(c1, ctx.tables());
    add_inplace(c0, lift_signed(detail::sample_error(prng, ctx.n()), ctx.moduli()), ctx.moduli());
    add_inplace(c1, lift_signed(detail::sample_error(prng, ctx.n()), ctx.moduli()), ctx.moduli());
    return Ciphertext(std::move(c0), std::move(c1), false);
}

}  // namespace snnipred::crypto::he
