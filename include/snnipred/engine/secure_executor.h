#pragma once
// Two-party secure inference of a whole Network, Cheetah style: the client holds the
// input, the server the weights; both walk the IR in topological order on additive
// shares of every tensor (ring and encoding of fixed_point.h).
//
//   conv, fc, batchnorm   HE round trip (hom_conv.h, hom_fc.h, hom_bn.h); the server adds
//                         the bias (at 2*scale) to its share; then a truncation by scale
//                         (truncation.h, faithful or approximate)
//   relu, relu6, maxpool  OT protocols (nonlinear.h); maxpool as a ReLU tree over the
//                         reference's windows (any kernel, stride, padding, ceil mode)
//   avgpool, globalavgpool  local window sum times the reference's encode(1/n), then
//                         a truncation by scale
//   add, concat, flatten, pad, identity   local on each share
//
// Setup (setup spans): a handshake that checks both parties run the same network and
// options, HE key generation (client) and transfer of the public key, setup of both OT
// extensions (IKNP's base OTs, or Ferret's bootstrap too), the heap warm-up of the largest
// online OT step (engine/heap_warmup.h: it changes this process's malloc thresholds) and
// both parties' ready byte. At the end the server sends
// its share of the output (one message), the client reconstructs. Every protocol step is
// one span of the caller's Trace.
//
// With faithful truncation the client's result equals run_reference() exactly. With
// approximate truncation each truncation may drop one ulp (kTruncationUlpError), and one
// after an HE step may be one ulp further off either way, since its responses may be wrong
// in the low bits it drops (SecureOptions::hom_config()); the errors propagate through later
// layers (amplified by their weights). Measured (tests/engine/secure_executor_test.cpp,
// random_weights, inputs in [-1, 1]) before that rounding: a 3x12x12 network with every
// layer type at most 3 ulps, zoo lenet5 3..6 ulps, zoo minionn 8..11 ulps at the output;
// with it, in the tests' own runs: 3, 4 and 7 ulps. The argmax was unchanged in every run;
// the zoo networks at 224x224: docs/RESULTS.md.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "snnipred/engine/hom_session.h"
#include "snnipred/engine/ring.h"
#include "snnipred/engine/trace.h"
#include "snnipred/engine/truncation.h"
#include "snnipred/engine/weights.h"
#include "snnipred/model/network.h"
#include "snnipred/net/channel.h"

namespace snnipred::engine {

/// Where one party's run stands after a protocol step, for progress reports. Byte counts
/// are the protocol plan's (both directions, setup included), known before the run.
struct RunProgress {
    std::size_t layer = 0;   // position in Network::layers() of the step just finished
    std::size_t layers = 0;  // Network::layers().size() - 1: the input layer has no step
    std::uint64_t planned_bytes_done = 0;
    std::uint64_t planned_bytes = 0;
};

/// Options both parties must agree on (the handshake checks them), and this party's local
/// ones (threads, deadline, on_step), which the handshake does not compare.
struct SecureOptions {
    RingConfig ring;
    HomConfig he = HomConfig::secure();
    TruncationMode truncation = TruncationMode::kFaithful;
    /// The correlated-OT extension under every OT (ot_session.h).
    protocol::OtExtension ot = protocol::OtExtension::kIknp;
    /// Seeds this party's PRGs (reproducible runs, tests). Absent: the OS CSPRNG.
    std::optional<std::uint64_t> seed;
    /// Worker threads of this party for the local work of the HE layers (products,
    /// encryption, responses) and of the OT protocols (extension, hashing, tables).
    /// Messages stay on one thread in one order; the output is the same for any count.
    /// Local to each party: the handshake does not compare it. Trace spans time the
    /// calling thread's CPU, so with more than one thread their cpu_seconds leave out
    /// the workers' (wall time and bytes are complete).
    int threads = 1;
    /// Bound on the rest of the run once the handshake has succeeded, on top of the channel's
    /// per-wait timeout (absent: none). Past it, the next wait throws NetworkError.
    std::optional<std::chrono::milliseconds> deadline;
    /// Called after every online step of this party (on the calling thread); absent: none.
    std::function<void(const RunProgress&)> on_step;

    /// `he` as the run uses it: with approximate truncation, responses may be wrong in the
    /// low ring.scale bits that the truncation after every HE step discards
    /// (HomConfig::response_error_bits).
    HomConfig hom_config() const {
        HomConfig config = he;
        config.response_error_bits = protocol::response_error_bits(truncation, ring);
        return config;
    }
    /// What fixes every message of the run: ring, HE layout, truncation, OT extension.
    protocol::PlanOptions plan_options() const { return {ring, hom_config().layout(), truncation, ot}; }
};

/// Once the handshake has succeeded, both sides accept frames no larger than the protocol
/// plan's largest step (ProtocolPlan::largest_step_bytes) until the run ends, and the run
/// must end by options.deadline.
///
/// Client side. `input` holds network.input() elements in CHW order, encoded at
/// ring.scale. Returns the output layer's ring values. The client never sees weights.
/// Throws ConfigError on an option mismatch with the server, an invalid ring or threads < 1,
/// InvalidInput on a bad input size, Unsupported for a layer it cannot run (e.g. a clip
/// other than [0, 6]), NetworkError when the server fails or disconnects.
std::vector<std::uint64_t> run_secure_client(net::Channel& channel, const Network& network,
                                             std::span<const std::uint64_t> input, const SecureOptions& options,
                                             Trace& trace);

/// Server side, with the weights (quantised for options.ring). Throws as the client does,
/// and InvalidInput when the weights do not fit the network.
void run_secure_server(net::Channel& channel, const Network& network, const NetworkWeights& weights,
                       const SecureOptions& options, Trace& trace);

/// Server side, instead of run_secure_server: answers the client's handshake with a
/// refusal naming `reason` (e.g. "busy"), so its run_secure_client throws NetworkError
/// "the server refused the run: REASON". Waits at most one second for the client's
/// handshake (so that closing does not reset the connection before the client reads the
/// refusal). Throws nothing: a client gone already needs no answer.
void refuse_run(net::Channel& channel, const std::string& reason) noexcept;

}  // namespace snnipred::engine
