#pragma once
// Internal: the messages of the OT layer (crypto/ot) and of the nonlinear protocols built
// on it (engine/millionaire.h, nonlinear.h, truncation.h), replayed onto a Wire. Each
// function mirrors the engine function of the same name; `sender` is the OT sender. The
// CotWire carries the OT extensions' state (Ferret's buffers) from step to step.

#include <cstdint>
#include <map>
#include <vector>

#include "snnipred/protocol/options.h"
#include "cot_wire.h"

namespace snnipred::protocol::detail {

/// n hashed random OTs / additive correlated OTs over `bits` bits / 1-of-2^log_n OTs of
/// msg_bytes-byte entries, with `sender` as OT sender.
void random_ot(CotWire& ot, Party sender, std::uint64_t n);
void correlated_ot(CotWire& ot, Party sender, std::uint64_t n, int bits);
void one_of_n(CotWire& ot, Party sender, std::uint64_t n, int log_n, std::uint64_t msg_bytes);
/// One batch of 1-of-N OTs with bit entries (OtSender::send_one_of_n_bits), by shape.
void one_of_n_bits(CotWire& ot, Party sender, const std::vector<OneOfNCount>& shapes);

/// The nonlinear protocols on n elements of the ring.
void relu(CotWire& ot, const RingConfig& ring, std::uint64_t n);
void relu6(CotWire& ot, const RingConfig& ring, std::uint64_t n);
/// Max of windows: `windows` maps a window size to how many windows have it.
void max_of_windows(CotWire& ot, const RingConfig& ring, std::map<std::uint64_t, std::uint64_t> windows);
void truncate(CotWire& ot, const RingConfig& ring, std::uint64_t n, TruncationMode mode);

}  // namespace snnipred::protocol::detail
