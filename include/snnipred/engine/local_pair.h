#pragma once
// Both parties of a secure inference on this machine: the server in a forked child
// process (holding the weights: seeded random or given), the client in the calling
// process, talking over loopback TCP with the channel's optional link emulation. The
// child reports its trace (or its error) on a pipe; a stalled child is killed, never
// waited for forever. Used by `snnipred run`; the profiler runs each run in a forked run
// process of its own (run_local_pair_isolated).
//
// The calling process must be single-threaded when it calls run_local_pair (fork).

#include <cstdint>
#include <span>
#include <vector>

#include "snnipred/engine/secure_executor.h"
#include "snnipred/engine/trace.h"
#include "snnipred/model/network.h"
#include "snnipred/net/channel.h"

namespace snnipred::engine {

struct LocalPairResult {
    Trace client{Party::kClient};
    Trace server{Party::kServer};
    std::vector<std::uint64_t> output;  // the client's reconstructed output (ring values)
    double client_end_to_end_s = 0;    // client: from connecting to holding the output
};

/// Runs `network` once: the server with random_weights(network, weights_seed,
/// options.ring), the client with `input` (network.input() elements at ring.scale).
/// options.on_step reports the client's steps; the server's child reports none.
/// Throws NetworkError naming the server's error (or how its process ended) when the
/// server fails, stalls past channel_options.timeout or disconnects; otherwise what
/// run_secure_client throws; Error when the process cannot fork.
LocalPairResult run_local_pair(const Network& network, std::uint64_t weights_seed,
                               std::span<const std::uint64_t> input, const SecureOptions& options,
                               const net::ChannelOptions& channel_options);

/// Same with the server holding `weights` (e.g. a model's trained parameters); the child
/// process inherits them. Throws like the above, and InvalidInput when `weights` do not
/// fit `network` or options.ring.
LocalPairResult run_local_pair(const Network& network, const NetworkWeights& weights,
                               std::span<const std::uint64_t> input, const SecureOptions& options,
                               const net::ChannelOptions& channel_options);

/// The first run_local_pair with both parties in fresh processes: this process forks a
/// run process, which runs the client and forks the server, then reports both traces,
/// the output and the end-to-end time. A long-lived caller (a profiling campaign) then
/// keeps nothing of a run's memory: run in the campaign process, Ferret runs after the
/// first two took up to 3.6x the ReLU CPU of the same run in `snnipred run`
/// (docs/RESULTS.md, 2026-12-07, twenty-second). The run process is forked, not exec'd: it
/// starts from the caller's heap, so a caller that ran the engine or its probes itself
/// (a calibration) must not call this afterwards, or the run pays for that heap (`profile`
/// calibrates in a child for that reason, docs/RESULTS.md, twenty-third). options.on_step
/// runs in the run process.
/// Throws Error naming the run's error (or how its process ended), or when the process
/// cannot fork; kills a run process that outlives its deadline (or 6 h) plus two timeouts.
LocalPairResult run_local_pair_isolated(const Network& network, std::uint64_t weights_seed,
                                        std::span<const std::uint64_t> input, const SecureOptions& options,
                                        const net::ChannelOptions& channel_options);

/// A seeded random input in [-1, 1) for `network`, encoded at ring.scale. Throws
/// InvalidInput as check_tensor_sizes.
std::vector<std::uint64_t> seeded_input(const Network& network, std::uint64_t seed, const RingConfig& ring);

}  // namespace snnipred::engine
