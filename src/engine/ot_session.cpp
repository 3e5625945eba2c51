#include "snnipred/engine/ot_session.h"

#include "snnipred/core/error.h"

namespace snnipred::engine {

OtSession::OtSession(Party party, net::Channel& channel, crypto::ot::Prg& prg, const RingConfig& ring, int threads)
    : party_(party), channel_(channel), prg_(prg), ring_(ring), threads_(threads) {
    ring_.validate();
    SNNIPRED_CHECK(threads >= 1, ConfigError, "the OT session needs at least one thread");
    cot_sender_.set_threads(threads);
    cot_receiver_.set_threads(threads);
    sender_.set_threads(threads);
    receiver_.set_threads(threads);
}

void OtSession::setup() {
    // The server's sending extension is set up first on both sides, then the client's.
    if (is_server()) {
        cot_sender_.setup(channel_, prg_);
        cot_receiver_.setup(channel_, prg_);
    } else {
        cot_receiver_.setup(channel_, prg_);
        cot_sender_.setup(channel_, prg_);
    }
    set_up_ = true;
}

crypto::ot::OtSender& OtSession::sender() {
    SNNIPRED_CHECK(set_up_, ConfigError, "OT session used before setup()");
    return sender_;
}

crypto::ot::OtReceiver& OtSession::receiver() {
    SNNIPRED_CHECK(set_up_, ConfigError, "OT session used before setup()");
    return receiver_;
}

}  // namespace snnipred::engine
