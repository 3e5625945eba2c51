#pragma once
// Emulated network links. The channel delays every frame as a link with this bandwidth
// and one-way latency would: a frame occupies the link for bytes*8/bandwidth after the
// previous one, then arrives `one_way_latency` later. Used where the kernel cannot shape
// traffic (no netem), and for reproducible LAN/WAN settings.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace snnipred {

struct LinkProfile {
    double bandwidth_bits_per_second = 0;          // 0: unlimited
    std::chrono::nanoseconds one_way_latency{0};  // added to every frame

    bool emulated() const { return bandwidth_bits_per_second > 0 || one_way_latency.count() > 0; }
    /// Round-trip time of an empty message.
    std::chrono::nanoseconds rtt() const { return 2 * one_way_latency; }
    /// Time a frame of `bytes` occupies the link.
    std::chrono::nanoseconds transmit_time(std::size_t bytes) const;
    /// Milliseconds traffic holds the link: `bytes` at the bandwidth (the parties take
    /// turns, so one waits while the other transmits) plus one one-way latency per flight.
    double traffic_ms(double bytes, double flights) const;
    /// e.g. "3 Gbit/s, 0.25 ms one way" or "unlimited".
    std::string describe() const;
};

/// "none" (no emulation), "lan" (3 Gbit/s, 0.25 ms one way) or "wan" (400 Mbit/s, 5 ms
/// one way), in any case (the predictors' settings are "LAN" and "WAN"). Throws
/// ConfigError on other names.
LinkProfile named_link(std::string_view name);

/// Longest round-trip time a link may have: beyond it every wait of the channel times out.
inline constexpr double kMaxRttMs = 10'000;

/// A named link with explicit overrides: bandwidth in Mbit/s and round-trip time in ms
/// (absent: keep the named value). Throws ConfigError on a bandwidth that is not positive
/// and finite, or an RTT outside [0, kMaxRttMs].
LinkProfile custom_link(std::string_view base, std::optional<double> bandwidth_mbit, std::optional<double> rtt_ms);

/// The predictors' setting ("LAN" or "WAN") a prediction is made at: `named` if given (a
/// preset in any case as "LAN" or "WAN", another name as it is), else, for a query with its
/// own round-trip time, the preset whose RTT is nearest on a log scale (its prediction moves
/// the least to the asked link), else "LAN".
std::string prediction_setting(const std::optional<std::string>& named, std::optional<double> rtt_ms);

}  // namespace snnipred
