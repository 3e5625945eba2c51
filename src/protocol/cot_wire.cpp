#include "cot_wire.h"

#include <algorithm>

namespace snnipred::protocol::detail {
namespace {

// crypto/ot/iknp.h and base_ot.h.
constexpr std::uint64_t kIknpChunk = std::uint64_t{1} << 14;
constexpr std::uint64_t kIknpBaseOts = 128;
constexpr std::uint64_t kPointBytes = 32;

}  // namespace

void CotWire::setup() {
    for (const Party sender : {Party::kServer, Party::kClient}) {
        if (extension_ == OtExtension::kIknp)
            base_ots(sender);
        else
            ferret_setup(sender);
    }
}

void CotWire::cot(Party sender, std::uint64_t n, bool chosen) {
    if (extension_ == OtExtension::kIknp)
        iknp_cot(sender, n, chosen);
    else
        ferret_cot(sender, n, chosen);
    wire_.ot(sender, chosen ? &OtCounts::chosen_cots : &OtCounts::random_cots, n);
}

// One extension's base OTs: the IKNP receiver is the base-OT sender.
void CotWire::base_ots(Party iknp_sender) {
    const Party base_sender = other_party(iknp_sender);
    wire_.message(base_sender, kPointBytes);
    wire_.message(iknp_sender, kIknpBaseOts * kPointBytes);
    wire_.both(&PrimitiveCounts::base_ots, kIknpBaseOts);
}

// The receiver sends a 128-row matrix per chunk. Chosen bits cost nothing extra: the
// matrix already carries them.
void CotWire::iknp_cot(Party sender, std::uint64_t n, bool) {
    const Party receiver = other_party(sender);
    wire_.messages(receiver, n / kIknpChunk, kIknpBaseOts * kIknpChunk / 8);
    if (n % kIknpChunk != 0) wire_.message(receiver, kIknpBaseOts * ceil_div(n % kIknpChunk, 8));
}

// crypto/ot/ferret.cpp do_setup: IKNP's base OTs, the code's seed, IKNP COTs for the
// bootstrap reserve, one bootstrap iteration, then the first main iteration, whose outputs
// beyond the next reserve are the first buffer.
void CotWire::ferret_setup(Party sender) {
    base_ots(sender);
    wire_.message(sender, kFerretSeedBytes);
    iknp_cot(sender, ferret_.bootstrap.reserve(), false);
    wire_.ot(sender, &OtCounts::random_cots, ferret_.bootstrap.reserve());
    ferret_iteration(sender, ferret_.bootstrap);
    ferret_iteration(sender, ferret_.main);
    left_[party_index(sender)] = ferret_.batch();
}

// mpcot.cpp: the receiver's GGM choice bits, then the sender's level sums.
void CotWire::ferret_iteration(Party sender, const LpnShape& shape) {
    wire_.message(other_party(sender), shape.receiver_bytes());
    wire_.message(sender, shape.sender_bytes());
}

// ferret.cpp serve(): a refill only when the buffer is empty and more are wanted; chosen
// bits then cost one frame of flips (cot.cpp do_chosen_cot), even for n = 0.
void CotWire::ferret_cot(Party sender, std::uint64_t n, bool chosen) {
    std::uint64_t& left = left_[party_index(sender)];
    for (std::uint64_t done = 0; done < n;) {
        if (left == 0) {
            ferret_iteration(sender, ferret_.main);
            wire_.ot(sender, &OtCounts::cot_refills, 1);
            left = ferret_.batch();
        }
        const std::uint64_t take = std::min(n - done, left);
        left -= take;
        done += take;
    }
    if (chosen) wire_.message(other_party(sender), ceil_div(n, 8));
}

}  // namespace snnipred::protocol::detail
