#include "snnipred/link/link_profile.h"

#include <cmath>

#include <fmt/core.h>

#include "snnipred/core/error.h"
#include "snnipred/core/text.h"

namespace snnipred {
namespace {

std::chrono::nanoseconds from_ms(double ms) {
    return std::chrono::nanoseconds(static_cast<std::int64_t>(std::llround(ms * 1e6)));
}

}  // namespace

std::chrono::nanoseconds LinkProfile::transmit_time(std::size_t bytes) const {
    if (bandwidth_bits_per_second <= 0) return std::chrono::nanoseconds(0);
    return std::chrono::nanoseconds(
        static_cast<std::int64_t>(static_cast<double>(bytes) * 8e9 / bandwidth_bits_per_second));
}

double LinkProfile::traffic_ms(double bytes, double flights) const {
    const double transmit_ms = bandwidth_bits_per_second > 0 ? bytes * 8e3 / bandwidth_bits_per_second : 0.0;
    return transmit_ms + flights * static_cast<double>(one_way_latency.count()) * 1e-6;
}

std::string LinkProfile::describe() const {
    if (!emulated()) return "unlimited";
    const std::string bandwidth =
        bandwidth_bits_per_second > 0 ? fmt::format("{:g} Mbit/s", bandwidth_bits_per_second / 1e6) : "unlimited";
    return fmt::format("{}, {:g} ms one way", bandwidth, static_cast<double>(one_way_latency.count()) / 1e6);
}

LinkProfile named_link(std::string_view name) {
    const std::string key = to_lower(name);
    if (key == "none") return {};
    if (key == "lan") return {3e9, from_ms(0.25)};
    if (key == "wan") return {400e6, from_ms(5.0)};
    throw ConfigError("unknown network setting '" + std::string(name) + "' (known: none, lan, wan)");
}

LinkProfile custom_link(std::string_view base, std::optional<double> bandwidth_mbit, std::optional<double> rtt_ms) {
    LinkProfile link = named_link(base);
    if (bandwidth_mbit) {
        SNNIPRED_CHECK(std::isfinite(*bandwidth_mbit) && *bandwidth_mbit > 0, ConfigError,
                       fmt::format("bandwidth must be a positive number of Mbit/s, got {}", *bandwidth_mbit));
        link.bandwidth_bits_per_second = *bandwidth_mbit * 1e6;
    }
    if (rtt_ms) {
        SNNIPRED_CHECK(std::isfinite(*rtt_ms) && *rtt_ms >= 0 && *rtt_ms <= kMaxRttMs, ConfigError,
                       fmt::format("RTT must be a number of ms in [0, {}], got {}", kMaxRttMs, *rtt_ms));
        link.one_way_latency = from_ms(*rtt_ms / 2);
    }
    return link;
}

std::string prediction_setting(const std::optional<std::string>& named, std::optional<double> rtt_ms) {
    if (named) {
        // The presets in any case, as named_link reads them, are the predictors' LAN and WAN.
        const std::string key = to_lower(*named);
        if (key == "lan" || key == "wan") return key == "lan" ? "LAN" : "WAN";
        return *named;
    }
    if (!rtt_ms || !(*rtt_ms > 0)) return "LAN";
    const auto distance = [&](std::string_view preset) {
        const double preset_rtt_ms = static_cast<double>(named_link(preset).rtt().count()) * 1e-6;
        return std::abs(std::log(*rtt_ms / preset_rtt_ms));
    };
    return distance("LAN") <= distance("WAN") ? "LAN" : "WAN";
}

}  // namespace snnipred
