#pragma once
// The first message exchange of a secure run: each party describes what it is about to
// run (network structure digest, ring, HE parameters, truncation) and both compare, so a
// wrong model or option on either side stops both before any heavy work.

#include "snnipred/engine/secure_executor.h"

namespace snnipred::engine::detail {

/// The client sends its description, the server checks it and answers with its own, the
/// client checks that. Until both agree the channel accepts frames of at most 64 KiB, and
/// the whole exchange must end within the channel's timeout (a peer trickling bytes
/// cannot stretch it). Once they agree, frames may be up to `run_frame_bytes` (within the
/// channel's own limit) and the run must end by options.deadline from now. Throws
/// ConfigError naming every field that differs (e.g. "network digest differs: client resnet50 3x224x224 ... vs server resnet50 3x32x32 ..."), or
/// when the peer's message is not a snnipred handshake (the server then sends nothing);
/// NetworkError on the channel.
void handshake(Party party, net::Channel& channel, const Network& network, const SecureOptions& options,
               std::size_t run_frame_bytes);

}  // namespace snnipred::engine::detail
