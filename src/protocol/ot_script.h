#pragma once
// Internal: the messages of the OT layer (crypto/ot) and of the nonlinear protocols built
// on it (engine/millionaire.h, nonlinear.h, truncation.h), replayed onto a Wire. Each
// function mirrors the engine function of the same name; `sender` is the OT sender.

#include <cstdint>
#include <map>

#include "snnipred/protocol/options.h"
#include "wire.h"

namespace snnipred::protocol::detail {

/// Base OTs of both IKNP extensions (engine OtSession::setup).
void ot_setup(Wire& wire);

/// n hashed random OTs / additive correlated OTs over `bits` bits / 1-of-2^log_n OTs of
/// msg_bytes-byte entries, with `sender` as OT sender.
void random_ot(Wire& wire, Party sender, std::uint64_t n);
void correlated_ot(Wire& wire, Party sender, std::uint64_t n, int bits);
void one_of_n(Wire& wire, Party sender, std::uint64_t n, int log_n, std::uint64_t msg_bytes);

/// The nonlinear protocols on n elements of the ring.
void relu(Wire& wire, const RingConfig& ring, std::uint64_t n);
void relu6(Wire& wire, const RingConfig& ring, std::uint64_t n);
/// Max of windows: `windows` maps a window size to how many windows have it.
void max_of_windows(Wire& wire, const RingConfig& ring, std::map<std::uint64_t, std::uint64_t> windows);
void truncate(Wire& wire, const RingConfig& ring, std::uint64_t n, TruncationMode mode);

}  // namespace snnipred::protocol::detail
