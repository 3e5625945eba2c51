#include "snnipred/crypto/he/keys.h"

#include "sampling.h"
#include "snnipred/crypto/he/encryptor.h"

namespace snnipred::crypto::he {

SecretKey KeyGenerator::secret_key(Prng& prng) const {
    std::vector<std::int64_t> s = detail::sample_ternary(prng, context_->n());
    RnsPoly ntt = lift_signed(s, context_->moduli());
    forward_ntt(ntt, context_->tables());
    RnsPoly shoup = shoup_constants(ntt, context_->moduli());
    return SecretKey(std::move(s), std::move(ntt), std::move(shoup));
}

PublicKey KeyGenerator::public_key(const SecretKey& sk, Prng& prng) const {
    return PublicKey(Encryptor(context_, sk).encrypt_zero(prng));
}

}  // namespace snnipred::crypto::he
