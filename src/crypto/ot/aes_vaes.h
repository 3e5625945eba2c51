#pragma once
// Internal: AES-128 encryption with VAES (AVX-512), used by CrHash when the CPU has it.
// OpenSSL's ECB path encrypts one block per AES-NI instruction; VAES does four per
// instruction, and the silent OT spends most of its AES on fixed-key permutations of long
// arrays (GGM levels, LPN indices), where that is what limits throughput.

#include <array>
#include <cstddef>

#include "snnipred/crypto/ot/block.h"

namespace snnipred::crypto::ot::detail {

using AesRoundKeys = std::array<Block, 11>;

/// True when the CPU has AES-NI, VAES and AVX-512F (checked once).
bool cpu_has_vaes();

/// The AES-128 key schedule of `key` (FIPS-197 §5.2). Call only if cpu_has_vaes().
AesRoundKeys aes128_round_keys(const Block& key);

/// In place: blocks[i] ← AES-128_k(blocks[i]). Call only if cpu_has_vaes().
void aes128_encrypt_vaes(const AesRoundKeys& keys, Block* blocks, std::size_t count);

}  // namespace snnipred::crypto::ot::detail
