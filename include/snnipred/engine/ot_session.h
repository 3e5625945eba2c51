#pragma once
// The OT side of a two-party engine session: the channel, this party's PRG, the ring, and
// correlated OT in both directions (this party as OT sender on one extension, as OT
// receiver on the other), set up once: IKNP, or Ferret's silent OT (crypto/ot/ferret.h),
// as the options say. The nonlinear protocols (millionaire.h, nonlinear.h, truncation.h)
// take a session instead of loose channel/PRG arguments, and run the variant that goes
// with its extension (protocol/comparison.h: classic with IKNP, lean with Ferret).
//
// Direction convention: where a protocol is asymmetric, the server is the OT sender and the
// client the OT receiver (the "straight" extension); the reverse extension is used only
// where both parties must send (the multiplexer).

#include <array>
#include <cstdint>
#include <memory>

#include "snnipred/core/party.h"
#include "snnipred/core/scratch_buffer.h"
#include "snnipred/crypto/ot/cot.h"
#include "snnipred/crypto/ot/ot.h"
#include "snnipred/crypto/ot/prg.h"
#include "snnipred/engine/ring.h"
#include "snnipred/protocol/comparison.h"
#include "snnipred/net/channel.h"

namespace snnipred::engine {

class OtSession {
public:
    /// Keeps references to `channel` and `prg`; both must outlive the session. `threads`
    /// workers run the local work of the OT extensions, the OT flavours and the
    /// protocols built on them; no output depends on it. Throws ConfigError if the ring is
    /// invalid or threads < 1. Ferret's work is single-threaded (its IKNP bootstrap too).
    OtSession(Party party, net::Channel& channel, crypto::ot::Prg& prg, const RingConfig& ring, int threads = 1,
              protocol::OtExtension extension = protocol::OtExtension::kIknp);
    OtSession(const OtSession&) = delete;
    OtSession& operator=(const OtSession&) = delete;

    /// Sets up both extensions (the server's sending side first, so the two parties never
    /// wait on each other). Both parties must call it before any protocol. Wire: IKNP
    /// 2 × (32 + 128·32) bytes; Ferret about 2 × 1.73 MB (ferret.h). Throws NetworkError.
    void setup();

    Party party() const { return party_; }
    bool is_server() const { return party_ == Party::kServer; }
    net::Channel& channel() { return channel_; }
    crypto::ot::Prg& prg() { return prg_; }
    const RingConfig& ring() const { return ring_; }
    int threads() const { return threads_; }
    protocol::NonlinearProtocols nonlinear() const { return nonlinear_; }

    /// This party as OT sender / receiver. Throws ConfigError before setup().
    crypto::ot::OtSender& sender();
    crypto::ot::OtReceiver& receiver();
    /// Ferret main iterations (buffer refills) this party's sending extension has run since
    /// setup; 0 with IKNP.
    std::uint64_t sent_cot_refills() const;

    /// Memory the nonlinear protocols reuse from call to call instead of allocating it
    /// (core/scratch_buffer.h); the comment of each names its one user, and no user keeps
    /// a view past its call.
    struct Scratch {
        ScratchBuffer<std::array<crypto::ot::Block, 2>> sent_pairs;  // make_triple_pairs
        ScratchBuffer<crypto::ot::Block> received_blocks;            // make_triple_pairs
        ScratchBuffer<std::uint64_t> digit_values;                   // compare_digits
        ScratchBuffer<crypto::ot::BitTableShape> leaf_shapes;        // lean_leaves
        ScratchBuffer<std::size_t> leaf_first;                       // lean_leaves
        ScratchBuffer<std::uint8_t> leaf_entries;                    // lean_leaves, classic_leaves
    };
    Scratch& scratch() { return scratch_; }

private:
    Party party_;
    net::Channel& channel_;
    crypto::ot::Prg& prg_;
    RingConfig ring_;
    int threads_;
    protocol::NonlinearProtocols nonlinear_;
    bool set_up_ = false;
    // Owned here, so Ferret's buffers (about 170 MB per direction once refilled) go with
    // the session.
    std::unique_ptr<crypto::ot::CotSender> cot_sender_;
    std::unique_ptr<crypto::ot::CotReceiver> cot_receiver_;
    crypto::ot::OtSender sender_;
    crypto::ot::OtReceiver receiver_;
    Scratch scratch_;
};

}  // namespace snnipred::engine
