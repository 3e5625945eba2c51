#pragma once
// The homomorphic-encryption half of the linear layers (Cheetah's approach): key material of
// each party and the one round trip every HE linear layer shares.
//
//   client                                         server
//   encrypt its share x0, packed as polynomials  ->  add its share x1 (ct + pt),
//                                                     multiply by weight polynomials, sum,
//                                                     add a random mask r, protect,
//   decrypt, read its output coefficients       <-   switch to the first prime, send c1 and
//                                                     the c0 coefficients the client reads,
//                                                     rounded (crypto/he/response_wire.h)
//
// The server's output share is -r at the coefficients the layer reads. Which coefficients
// those are (ReadPositions), and how tensors become polynomials, is the layer's business
// (hom_conv.h, hom_fc.h, hom_bn.h); this file moves polynomials. Client and server are
// separate types.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "snnipred/crypto/he/ciphertext.h"
#include "snnipred/crypto/he/context.h"
#include "snnipred/crypto/he/decryptor.h"
#include "snnipred/crypto/he/encryptor.h"
#include "snnipred/crypto/he/evaluator.h"
#include "snnipred/crypto/he/params.h"
#include "snnipred/crypto/he/plaintext.h"
#include "snnipred/crypto/he/prng.h"
#include "snnipred/crypto/he/response.h"
#include "snnipred/crypto/he/response_wire.h"
#include "snnipred/engine/ring.h"
#include "snnipred/protocol/options.h"
#include "snnipred/net/channel.h"

namespace snnipred::engine {

/// How the server hides its weights in a response (docs/he-parameters.md).
enum class ResponseProtection {
    /// Fresh public-key encryption of zero plus noise flooding at 2^-40 statistical
    /// distance. Needs N = 8192 (the N = 4096 set has no room for the flooding noise).
    kFlooding,
    /// Fresh encryption of zero only, as OpenCheetah does at N = 4096: c1 is pseudorandom,
    /// but the noise sum_k e_k W_k is not hidden and may leak information on the weights.
    kRerandomizeOnly,
};

struct HomConfig {
    crypto::he::HeParams params = crypto::he::HeParams::n8192();
    ResponseProtection protection = ResponseProtection::kFlooding;
    /// How conv outputs fill responses (protocol/options.h); both parties must agree.
    protocol::ConvPacking conv_packing = protocol::ConvPacking::kCheetah;
    /// Low bits of each decrypted response value that may be wrong: a value decrypts within
    /// 2^(bits - 1) of the product, exactly when 0, and the responses are rounded that much
    /// further (crypto/he/response_wire.h). SecureOptions::hom_config() sets the ring's
    /// scale when the truncation after every HE step is approximate: its floor discards
    /// those bits anyway, at the cost of at most one more ulp (engine/truncation.h).
    int response_error_bits = 0;

    /// The engine's default: N = 8192, flooded responses (weights statistically hidden).
    static HomConfig secure() { return {}; }
    /// Cheetah's speed: N = 4096, responses re-randomized but not flooded.
    static HomConfig cheetah_n4096() {
        return {crypto::he::HeParams::cheetah_n4096(), ResponseProtection::kRerandomizeOnly};
    }
    /// The configuration of a named set.
    static HomConfig of(protocol::HeSet set) { return set == protocol::HeSet::kSecure ? secure() : cheetah_n4096(); }

    /// How responses are rounded (crypto/he/response_wire.h): as far as the switched noise
    /// bound of this protection leaves room in a margin that tolerates
    /// response_error_bits. `context` is built from params.
    crypto::he::ResponseRounding rounding(const crypto::he::HeContext& context) const;
    /// How much noise the client's inputs may carry (protocol::HeLayout::input_noise_room):
    /// with flooding, a fresh input's at the largest fan-in (the flooding is sized for it);
    /// without, whatever the responses' rounding leaves of the decryption margin.
    std::uint64_t input_noise_room(const crypto::he::HeContext& context) const;
    /// What the protocol plan needs of it: ring degree, prime sizes, flooding, fan-in bound,
    /// the response wire widths that rounding() gives, the conv packing and the input noise room.
    protocol::HeLayout layout() const;
};

/// Client side: owns the secret key. One per session, shared by every linear layer.
class HomClient {
public:
    /// Generates the keys from prng and sends the public key (seeded, one message) to the
    /// server, which runs HomServer::setup. `threads` workers encrypt and decrypt (with
    /// more than one, each input ciphertext draws from its own generator seeded from
    /// prng). Throws ConfigError when the ring is not the plaintext ring of the
    /// parameters (2^bits = t), NetworkError on the channel.
    static HomClient setup(const HomConfig& config, const RingConfig& ring, net::Channel& channel,
                           crypto::he::Prng& prng, int threads = 1);

    const std::shared_ptr<const crypto::he::HeContext>& context() const { return context_; }
    std::size_t n() const { return context_->n(); }
    const RingConfig& ring() const { return ring_; }
    int threads() const { return threads_; }
    const protocol::HeLayout& layout() const { return layout_; }

    /// Encrypts the polynomials (N coefficients in [0, 2^bits) each) and sends them as one
    /// message of seeded ciphertexts whose c0 drops `drop_bits` (crypto/he/input_wire.h;
    /// protocol::input_drop_bits of the layer's fan-in). Throws InvalidInput on a bad
    /// polynomial.
    void send_inputs(std::span<const crypto::he::Plaintext> polys, int drop_bits, net::Channel& channel,
                     crypto::he::Prng& prng) const;
    /// Receives one message of responses (crypto/he/response_wire.h), one per list of
    /// read positions, and decrypts them: only the coefficients at `positions` are
    /// meaningful. Throws NetworkError / InvalidInput when the message does not fit them.
    std::vector<crypto::he::Plaintext> receive_outputs(const crypto::he::ReadPositions& positions,
                                                       net::Channel& channel) const;

private:
    HomClient(std::shared_ptr<const crypto::he::HeContext> context, const HomConfig& config, const RingConfig& ring,
              const crypto::he::SecretKey& sk, int threads);

    std::shared_ptr<const crypto::he::HeContext> context_;
    protocol::HeLayout layout_;
    RingConfig ring_;
    int threads_;
    crypto::he::Encryptor encryptor_;
    crypto::he::Decryptor decryptor_;
    crypto::he::ResponseCodec codec_;
};

/// Server side: holds the client's public key, never a secret.
class HomServer {
public:
    /// Receives the client's public key (HomClient::setup). Throws ConfigError as
    /// HomClient::setup does, or when kFlooding is asked of parameters that cannot hold
    /// the flooding noise (N = 4096); NetworkError / InvalidInput on a bad message.
    /// `threads` workers run the layers' products and the responses (with more than one,
    /// each response draws from its own generator seeded from the prng send_outputs gets).
    static HomServer setup(const HomConfig& config, const RingConfig& ring, net::Channel& channel, int threads = 1);

    const std::shared_ptr<const crypto::he::HeContext>& context() const { return context_; }
    std::size_t n() const { return context_->n(); }
    const RingConfig& ring() const { return ring_; }
    const crypto::he::Evaluator& evaluator() const { return evaluator_; }
    ResponseProtection protection() const { return protection_; }
    int threads() const { return threads_; }
    const protocol::HeLayout& layout() const { return layout_; }

    /// Lifts a weight polynomial (signed values, reduced mod 2^bits) for products. Throws
    /// InvalidInput on a weight beyond ±2^weight_bits (crypto/he/noise_bound.h).
    crypto::he::NttPlaintext prepare(std::span<const std::int64_t> coeffs) const;

    /// Receives one message of `own_share.size()` seeded ciphertexts Enc(x0_k), their c0
    /// dropping `drop_bits` as send_inputs sent them, and returns Enc(x0_k + x1_k) in NTT
    /// form, x1_k = own_share[k]. Throws NetworkError / InvalidInput when the message is not
    /// that many valid inputs.
    std::vector<crypto::he::Ciphertext> receive_inputs(std::span<const crypto::he::Plaintext> own_share,
                                                       int drop_bits, net::Channel& channel) const;
    /// acc += input * weight (acc empty: starts the sum), inputs from receive_inputs. The
    /// caller bounds the fan-in (kMaxFanIn, crypto/he/noise_bound.h). Throws InvalidInput
    /// on operands at different levels or not in NTT form.
    void multiply_accumulate(crypto::he::Ciphertext& acc, const crypto::he::Ciphertext& input,
                             const crypto::he::NttPlaintext& weight) const;

    /// Masks every result with a fresh uniform r_k from prng, protects it, switches it to the
    /// first prime and sends all of them as one compact message: c1 and the c0 coefficients
    /// at `positions[k]`, rounded. Returns -r_k, the server's share of every coefficient.
    /// Throws InvalidInput on a result not at the full modulus or positions that do not match.
    std::vector<crypto::he::Plaintext> send_outputs(std::vector<crypto::he::Ciphertext>& results,
                                                    const crypto::he::ReadPositions& positions,
                                                    net::Channel& channel, crypto::he::Prng& prng) const;

private:
    HomServer(std::shared_ptr<const crypto::he::HeContext> context, const HomConfig& config, const RingConfig& ring,
              const crypto::he::PublicKey& pk, int threads);

    /// Masks and protects one result; returns -r. Draws from prng.
    crypto::he::Plaintext mask_and_protect(crypto::he::Ciphertext& ct, crypto::he::Prng& prng) const;

    std::shared_ptr<const crypto::he::HeContext> context_;
    protocol::HeLayout layout_;
    RingConfig ring_;
    int threads_;
    crypto::he::Evaluator evaluator_;
    ResponseProtection protection_;
    crypto::he::PublicEncryptor rerandomizer_;
    std::unique_ptr<crypto::he::ResponseProtector> protector_;  // kFlooding only
    crypto::he::ResponseCodec codec_;
};

}  // namespace snnipred::engine
