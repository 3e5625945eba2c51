#pragma once
// Internal: the correlated-OT extensions of both directions as the plan replays them
// (engine/ot_session.h holds the real ones). IKNP is stateless on the wire: every batch
// is its matrix. Ferret is not: each direction serves COTs from a buffer and refills it
// with one main iteration (one round trip) only when a call wants more than it holds, so
// this object counts, per direction, the COTs left, and books each refill to the step
// that triggers it.

#include <array>
#include <cstdint>

#include "snnipred/protocol/ferret_layout.h"
#include "snnipred/protocol/options.h"
#include "wire.h"

namespace snnipred::protocol::detail {

class CotWire {
public:
    CotWire(Wire& wire, OtExtension extension) : wire_(wire), extension_(extension) {}

    Wire& wire() { return wire_; }
    OtExtension extension() const { return extension_; }

    /// Setup of both extensions (engine OtSession::setup): the server's sending one first.
    void setup();
    /// n COTs with `sender` as COT sender; `chosen`: the receiver chose the bits.
    void cot(Party sender, std::uint64_t n, bool chosen);

private:
    void base_ots(Party iknp_sender);
    void iknp_cot(Party sender, std::uint64_t n, bool chosen);
    void ferret_setup(Party sender);
    void ferret_iteration(Party sender, const LpnShape& shape);
    void ferret_cot(Party sender, std::uint64_t n, bool chosen);

    Wire& wire_;
    OtExtension extension_;
    FerretLayout ferret_ = ferret_layout();
    std::array<std::uint64_t, 2> left_{};  // Ferret: COTs in the buffer, by the sender's party_index
};

}  // namespace snnipred::protocol::detail
