#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "probes.h"
#include "snnipred/protocol/options.h"

namespace snnipred::calibrate::detail {
namespace {

using machine::UnitKey;
using machine::UnitKind;

// Wall seconds of `exchanges` ping-pongs of `bytes`-byte messages: each is two flights.
double ping_pong_seconds(PartyPair& pair, std::size_t bytes, int exchanges) {
    const std::vector<std::byte> message(bytes);
    const auto start = std::chrono::steady_clock::now();
    pair.run(
        [&] {
            for (int i = 0; i < exchanges; ++i) {
                pair.server().send(message);
                pair.server().recv();
            }
        },
        [&] {
            for (int i = 0; i < exchanges; ++i) {
                pair.client().recv();
                pair.client().send(message);
                pair.client().flush();
            }
        });
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Flights are wall time (what a party waits), not CPU: a flight's cost is mostly the
// wake-up of the receiving thread.
Probe channel_probe(PartyPair& pair) {
    return {"local channel", [&pair](Samples& out) {
                constexpr int kSmall = 200, kLarge = 4;
                constexpr std::size_t kLargeBytes = std::size_t{4} << 20;
                const double flight = ping_pong_seconds(pair, 1, kSmall) / (2 * kSmall);
                const double large_flight = ping_pong_seconds(pair, kLargeBytes, kLarge) / (2 * kLarge);
                out.add(UnitKey::plain(UnitKind::kChannelMessage), flight);
                out.add(UnitKey::plain(UnitKind::kChannelByte),
                        std::max(0.0, large_flight - flight) / static_cast<double>(kLargeBytes));
            }};
}

// A local step writes each output share once: a ring addition (add, the pools' window
// sums) or a copy (concat, flatten, pad).
Probe share_op_probe(const Sizes& sizes) {
    return {"share ops", [sizes](Samples& out) {
                const protocol::RingConfig ring;
                std::vector<std::uint64_t> a(sizes.share_ops, 3), b(sizes.share_ops, 5), sum(sizes.share_ops);
                const double cpu = cpu_seconds_of([&] {
                    for (std::size_t i = 0; i < a.size(); ++i) sum[i] = ring.reduce(a[i] + b[i]);
                });
                // Keep the loop: its result is read.
                volatile std::uint64_t sink = sum.back();
                static_cast<void>(sink);
                out.add(UnitKey::plain(UnitKind::kShareOp), cpu / static_cast<double>(sizes.share_ops));
            }};
}

}  // namespace

std::vector<Probe> local_probes(PartyPair& pair, const Sizes& sizes) {
    return {channel_probe(pair), share_op_probe(sizes)};
}

}  // namespace snnipred::calibrate::detail
