#pragma once
// Fixed-point values in the ring Z_{2^ell} and their additive secret shares: the common
// currency of every layer protocol and of the plaintext reference executor.

#include <cstdint>
#include <vector>

#include "snnipred/protocol/options.h"

namespace snnipred::engine {

/// The ring is part of the options both parties agree on (protocol/options.h).
using protocol::RingConfig;

/// One party's additive share of a tensor: the value is the sum of both parties'
/// shares mod 2^bits, element by element (CHW order, batch 1).
using ShareVector = std::vector<std::uint64_t>;

}  // namespace snnipred::engine
