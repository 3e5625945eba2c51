#pragma once
// The protocol plan of a secure run: every step the engine executes for a network under
// given options, in the engine's order, with each party's exact bytes, frames and rounds
// and the primitives it performs. Pure arithmetic on shapes — no crypto, no I/O — so the
// engine walks it, the profiler matches its spans to it, and the predictors cost it.
//
//   setup    handshake, he_keygen, base_ot (ending with both parties' ready byte)
//   online   per layer in topological order (the input layer has no step):
//              conv | fc | batchnorm   then trunc
//              avgpool | globalavgpool then trunc
//              relu | relu6 | maxpool
//              add, concat, flatten, pad, identity: local
//            then reveal on the output layer
//
// Wire sizes follow the engine's messages: IKNP chunks of 2^14 OTs, Ferret's refills,
// Naor–Pinkas leaf OTs of the comparison's digits (protocol/comparison.h: byte tables of
// 1-of-16 with IKNP, bit tables with Ferret), triple pairs, the millionaires' tree in chunks
// of 2^16 comparisons, AND openings sent simultaneously up to 64 KiB, OT messages cut into
// 64 MiB frames.
// A test runs the engine and asserts bytes and rounds equal the plan's, step by step. Each
// step also carries its critical path in one-way latencies (PlanStep::hops), which the
// physical model charges for an OT step instead of one latency per flight.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "snnipred/model/network.h"
#include "snnipred/protocol/options.h"
#include "snnipred/protocol/step.h"

namespace snnipred::protocol {

/// Bytes each party sends at the end of setup, at once, and waits for from the peer before
/// its online phase starts: no party's online time then holds the other's setup work.
inline constexpr std::uint64_t kReadyBytes = 1;

struct ProtocolPlan {
    PlanOptions options;
    std::vector<PlanStep> steps;

    /// Sum over the steps of one phase for one party.
    PartyCost total(Party party, Phase phase) const;
    /// The most payload bytes one party sends in one step: no frame of the run is larger.
    std::uint64_t largest_step_bytes() const;
};

/// Plans a run of `network`. Throws Unsupported for a layer the engine cannot run (a clip
/// other than [0, 6], a second input), InvalidInput / ConfigError from the packing plans.
ProtocolPlan plan_protocol(const Network& network, const PlanOptions& options);

/// The steps plan_protocol builds, as outlines: the sequence does not depend on the
/// options. What lowering for the predictors needs, without a PlanStep's counters to
/// zero and free for every step of every prediction.
std::vector<StepOutline> plan_outline(const Network& network);

/// First line of the handshake message.
inline constexpr std::string_view kHandshakeMagic = "snnipred-secure/2";

/// First line of what a server sends instead of its handshake when it will not run (busy);
/// the second line says why.
inline constexpr std::string_view kRefusalMagic = "snnipred-refused/1";

/// The handshake message both parties send (magic, then key=value lines): network
/// summary and `digest` (network_digest(), 16 hex digits), ring, N, flooding, truncation, OT extension.
std::string handshake_message(const Network& network, const PlanOptions& options, const std::string& digest);

/// The key=value fields of a handshake message, in order.
using HandshakeFields = std::vector<std::pair<std::string, std::string>>;
/// Parses what a peer sent as its handshake. Throws NetworkError "the server refused the
/// run: REASON" for a refusal (kRefusalMagic), ConfigError when `text` is not a snnipred
/// handshake or has a line without '=' (quoting a printable excerpt of it).
HandshakeFields parse_handshake(std::string_view text);

}  // namespace snnipred::protocol
