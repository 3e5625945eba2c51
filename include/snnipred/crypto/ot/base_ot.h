#pragma once
// Base OTs: random 1-out-of-2 OT from Diffie–Hellman over Ristretto255 (libsodium), the
// "simplest OT" of Chou and Orlandi (LATINCRYPT 2015) in its batched form, used here for
// semi-honest security only:
//
//   sender:   a ← Z_ℓ, A = a·G                          ──A──▶
//   receiver: x_j ← Z_ℓ, B_j = x_j·G + c_j·A            ◀──B_j──
//   keys:     k_{j,0} = H(j, A, B_j, a·B_j),  k_{j,1} = H(j, A, B_j, a·(B_j − A)),
//             receiver: k_{j,c_j} = H(j, A, B_j, x_j·A)
//
// Known issues with simplest OT concern malicious parties: it is not UC-secure against a
// malicious receiver (Genç, Iovino, Rial 2018; Hauck, Loss 2017) and over curves with a
// cofactor a sender can pick A of small order. Against semi-honest parties B_j is uniform
// whatever c_j is, and k_{j,1−c_j} needs a²·G (computational DH). Ristretto255 is a
// prime-order group, so small-order points do not exist; both parties reject points that
// do not decode and the identity. H is BLAKE2b (crypto_generichash) to 16 bytes over a
// domain label, the index and the transcript, so keys of different OTs are independent.
//
// Wire cost: the sender sends 32 bytes, the receiver 32 bytes per OT; two messages.

#include <array>
#include <cstdint>
#include <span>

#include "snnipred/crypto/ot/block.h"
#include "snnipred/crypto/ot/prg.h"
#include "snnipred/net/channel.h"

namespace snnipred::crypto::ot {

/// Wire bytes of one base-OT batch of n OTs, per direction.
constexpr std::uint64_t kBaseOtSenderBytes = 32;
constexpr std::uint64_t kBaseOtReceiverBytesPerOt = 32;

class BaseOtSender {
public:
    /// Runs keys.size() random OTs; keys[j] = {k_{j,0}, k_{j,1}}. Sends A, receives the B_j.
    /// Throws NetworkError if the peer sends a malformed message or an invalid point.
    void send(net::Channel& channel, Prg& prg, std::span<std::array<Block, 2>> keys);
};

class BaseOtReceiver {
public:
    /// Runs choices.size() random OTs with choice bits `choices` (0 or 1); keys[j] = k_{j,c_j}.
    /// Receives A, sends the B_j. Throws InvalidInput on mismatched sizes or a choice not in
    /// {0,1}, NetworkError if the peer's message is malformed or A is not a valid point.
    void receive(net::Channel& channel, Prg& prg, std::span<const std::uint8_t> choices,
                 std::span<Block> keys);
};

}  // namespace snnipred::crypto::ot
