#pragma once
// Keys of the scheme. The client (the key owner) holds the SecretKey; the server only ever
// sees the PublicKey, which it needs for one thing: re-randomizing its response with a
// fresh encryption of zero (ResponseProtector).

#include <cstdint>
#include <memory>
#include <vector>

#include "snnipred/crypto/he/ciphertext.h"
#include "snnipred/crypto/he/context.h"
#include "snnipred/crypto/he/prng.h"
#include "snnipred/crypto/he/rns_poly.h"

namespace snnipred::crypto::he {

/// A uniform ternary secret s, kept in NTT form with Shoup constants for every prime.
class SecretKey {
public:
    SecretKey(std::vector<std::int64_t> coeffs, RnsPoly ntt, RnsPoly ntt_shoup)
        : coeffs_(std::move(coeffs)), ntt_(std::move(ntt)), ntt_shoup_(std::move(ntt_shoup)) {}
    /// Coefficients in {-1, 0, 1}.
    const std::vector<std::int64_t>& coeffs() const { return coeffs_; }
    const RnsPoly& ntt() const { return ntt_; }
    const RnsPoly& ntt_shoup() const { return ntt_shoup_; }

private:
    std::vector<std::int64_t> coeffs_;
    RnsPoly ntt_, ntt_shoup_;
};

/// pk = (-a s + e, a): a seeded secret-key encryption of zero, so it serializes (with
/// serialize(ciphertext())) at half size like any fresh ciphertext.
class PublicKey {
public:
    explicit PublicKey(Ciphertext encryption_of_zero) : ct_(std::move(encryption_of_zero)) {}
    const Ciphertext& ciphertext() const { return ct_; }

private:
    Ciphertext ct_;
};

/// Client side.
class KeyGenerator {
public:
    explicit KeyGenerator(std::shared_ptr<const HeContext> context) : context_(std::move(context)) {}

    /// A fresh ternary secret drawn from prng.
    SecretKey secret_key(Prng& prng) const;
    SecretKey secret_key() const {
        Prng prng = Prng::fresh();
        return secret_key(prng);
    }
    /// A public key for sk; what crosses the wire is serialize(pk.ciphertext(), context).
    PublicKey public_key(const SecretKey& sk, Prng& prng) const;
    PublicKey public_key(const SecretKey& sk) const {
        Prng prng = Prng::fresh();
        return public_key(sk, prng);
    }

private:
    std::shared_ptr<const HeContext> context_;
};

}  // namespace snnipred::crypto::he
