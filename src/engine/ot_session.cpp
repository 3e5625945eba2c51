#include "snnipred/engine/ot_session.h"

#include "snnipred/core/error.h"
#include "snnipred/crypto/ot/ferret.h"
#include "snnipred/crypto/ot/iknp.h"

namespace snnipred::engine {
namespace {

std::unique_ptr<crypto::ot::CotSender> make_cot_sender(protocol::OtExtension extension, int threads) {
    if (extension == protocol::OtExtension::kFerret) return std::make_unique<crypto::ot::FerretSender>();
    auto iknp = std::make_unique<crypto::ot::IknpSender>();
    iknp->set_threads(threads);
    return iknp;
}

std::unique_ptr<crypto::ot::CotReceiver> make_cot_receiver(protocol::OtExtension extension, int threads) {
    if (extension == protocol::OtExtension::kFerret) return std::make_unique<crypto::ot::FerretReceiver>();
    auto iknp = std::make_unique<crypto::ot::IknpReceiver>();
    iknp->set_threads(threads);
    return iknp;
}

int checked_threads(int threads) {
    SNNIPRED_CHECK(threads >= 1, ConfigError, "the OT session needs at least one thread");
    return threads;
}

}  // namespace

OtSession::OtSession(Party party, net::Channel& channel, crypto::ot::Prg& prg, const RingConfig& ring, int threads,
                     protocol::OtExtension extension)
    : party_(party),
      channel_(channel),
      prg_(prg),
      ring_(ring),
      threads_(checked_threads(threads)),
      nonlinear_(protocol::nonlinear_protocols(extension)),
      cot_sender_(make_cot_sender(extension, threads)),
      cot_receiver_(make_cot_receiver(extension, threads)),
      sender_(*cot_sender_),
      receiver_(*cot_receiver_) {
    ring_.validate();
    sender_.set_threads(threads);
    receiver_.set_threads(threads);
}

void OtSession::setup() {
    // The server's sending extension is set up first on both sides, then the client's.
    if (is_server()) {
        cot_sender_->setup(channel_, prg_);
        cot_receiver_->setup(channel_, prg_);
    } else {
        cot_receiver_->setup(channel_, prg_);
        cot_sender_->setup(channel_, prg_);
    }
    set_up_ = true;
}

crypto::ot::OtSender& OtSession::sender() {
    SNNIPRED_CHECK(set_up_, ConfigError, "OT session used before setup()");
    return sender_;
}

std::uint64_t OtSession::sent_cot_refills() const {
    const auto* ferret = dynamic_cast<const crypto::ot::FerretSender*>(cot_sender_.get());
    return ferret != nullptr ? ferret->iterations() : 0;
}

crypto::ot::OtReceiver& OtSession::receiver() {
    SNNIPRED_CHECK(set_up_, ConfigError, "OT session used before setup()");
    return receiver_;
}

}  // namespace snnipred::engine
