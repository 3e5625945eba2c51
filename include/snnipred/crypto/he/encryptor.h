#pragma once
// Encryption. The client encrypts its input share with the secret key (smaller noise than
// public-key encryption, and the uniform half is a seed). The server encrypts zeros with
// the client's public key to re-randomize its response; sender and receiver roles are
// separate types.

#include <memory>

#include "snnipred/crypto/he/ciphertext.h"
#include "snnipred/crypto/he/context.h"
#include "snnipred/crypto/he/keys.h"
#include "snnipred/crypto/he/plaintext.h"
#include "snnipred/crypto/he/prng.h"

namespace snnipred::crypto::he {

/// Client side: secret-key encryption.
class Encryptor {
public:
    Encryptor(std::shared_ptr<const HeContext> context, SecretKey sk)
        : context_(std::move(context)), sk_(std::move(sk)) {}

    /// (c0, c1) = (-a s + NTT(round(Q m / t) + e), a) in NTT form at the full modulus, where
    /// a is expanded from a seed drawn from prng and e is a fresh error; the ciphertext keeps
    /// the seed (seeded wire form). Noise: |e| <= 21. Throws InvalidInput on a bad plaintext.
    Ciphertext encrypt(const Plaintext& pt, Prng& prng) const;
    Ciphertext encrypt(const Plaintext& pt) const {
        Prng prng = Prng::fresh();
        return encrypt(pt, prng);
    }
    /// A seeded encryption of the zero polynomial.
    Ciphertext encrypt_zero(Prng& prng) const;

private:
    std::shared_ptr<const HeContext> context_;
    SecretKey sk_;
};

/// Server side: encryptions of zero under the client's public key.
class PublicEncryptor {
public:
    /// Throws InvalidInput when the key does not match the parameters.
    PublicEncryptor(std::shared_ptr<const HeContext> context, const PublicKey& pk);

    /// (p0 u + e1, p1 u + e2) with u ternary and e1, e2 fresh errors: coefficient form, full
    /// modulus. Noise e u + e1 + e2 s, at most 21 (2N + 1) in magnitude.
    Ciphertext encrypt_zero(Prng& prng) const;

private:
    std::shared_ptr<const HeContext> context_;
    RnsPoly p0_, p0_shoup_, p1_, p1_shoup_;  // NTT form
};

}  // namespace snnipred::crypto::he
