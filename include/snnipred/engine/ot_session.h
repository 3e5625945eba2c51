#pragma once
// The OT side of a two-party engine session: the channel, this party's PRG, the ring, and
// IKNP correlated OT in both directions (this party as OT sender on one extension, as OT
// receiver on the other), set up once. The nonlinear protocols (millionaire.h,
// nonlinear.h, truncation.h) take a session instead of loose channel/PRG arguments.
//
// Direction convention: where a protocol is asymmetric, the server is the OT sender and the
// client the OT receiver (the "straight" extension); the reverse extension is used only
// where both parties must send (the multiplexer).

#include <cstdint>

#include "snnipred/core/party.h"
#include "snnipred/crypto/ot/iknp.h"
#include "snnipred/crypto/ot/ot.h"
#include "snnipred/crypto/ot/prg.h"
#include "snnipred/engine/ring.h"
#include "snnipred/net/channel.h"

namespace snnipred::engine {

class OtSession {
public:
    /// Keeps references to `channel` and `prg`; both must outlive the session. `threads`
    /// workers run the local work of the OT extensions, the OT flavours and the
    /// protocols built on them; no output depends on it. Throws ConfigError if the ring is
    /// invalid or threads < 1.
    OtSession(Party party, net::Channel& channel, crypto::ot::Prg& prg, const RingConfig& ring, int threads = 1);
    OtSession(const OtSession&) = delete;
    OtSession& operator=(const OtSession&) = delete;

    /// Runs the base OTs of both IKNP extensions (the server's sending side first, so the
    /// two parties never wait on each other). Both parties must call it before any protocol.
    /// Wire: 2 × (32 + 128·32) bytes. Throws NetworkError.
    void setup();

    Party party() const { return party_; }
    bool is_server() const { return party_ == Party::kServer; }
    net::Channel& channel() { return channel_; }
    crypto::ot::Prg& prg() { return prg_; }
    const RingConfig& ring() const { return ring_; }
    int threads() const { return threads_; }

    /// This party as OT sender / receiver. Throws ConfigError before setup().
    crypto::ot::OtSender& sender();
    crypto::ot::OtReceiver& receiver();

private:
    Party party_;
    net::Channel& channel_;
    crypto::ot::Prg& prg_;
    RingConfig ring_;
    int threads_;
    bool set_up_ = false;
    crypto::ot::IknpSender cot_sender_;
    crypto::ot::IknpReceiver cot_receiver_;
    crypto::ot::OtSender sender_{cot_sender_};
    crypto::ot::OtReceiver receiver_{cot_receiver_};
};

}  // namespace snnipred::engine
