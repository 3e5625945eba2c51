// snnipred netprobe: measures the bandwidth and RTT between two hosts (or network
// namespaces) over the same channel the engine uses, with or without link emulation.
#include <algorithm>
#include <optional>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "snnipred/core/error.h"
#include "snnipred/core/statistics.h"
#include "snnipred/net/channel.h"

namespace snnipred::cli {
namespace {

using Clock = std::chrono::steady_clock;

struct ProbeOptions {
    std::string listen;
    std::string connect;
    std::string net = "none";
    std::optional<double> bandwidth_mbit;
    std::optional<double> rtt_ms;
    int pings = 50;
    int megabytes = 64;
    bool json = false;
};

// "HOST:PORT" or "[v6]:PORT".
std::pair<std::string, std::uint16_t> split_address(const std::string& address) {
    const auto colon = address.rfind(':');
    SNNIPRED_CHECK(colon != std::string::npos && colon + 1 < address.size(), ConfigError,
                   "address '" + address + "' must be HOST:PORT");
    std::string host = address.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    int port = -1;
    try {
        port = std::stoi(address.substr(colon + 1));
    } catch (const std::exception&) {
    }
    SNNIPRED_CHECK(port >= 0 && port <= 65535, ConfigError, "address '" + address + "' has an invalid port");
    return {host, static_cast<std::uint16_t>(port)};
}

// The listening side echoes small messages and acknowledges bulk data; an empty
// message ends the session.
void serve(net::Channel& channel) {
    for (;;) {
        const std::vector<std::byte> message = channel.recv();
        if (message.empty()) return;
        channel.send(std::span(message.data(), std::min<std::size_t>(message.size(), 8)));
        channel.flush();
    }
}

void probe(net::Channel& channel, const ProbeOptions& options) {
    std::vector<double> rtts;
    const std::vector<std::byte> ping(8);
    for (int i = 0; i < options.pings; ++i) {
        const auto start = Clock::now();
        channel.send(ping);
        channel.recv();
        rtts.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    const double rtt_ms = median(std::move(rtts));

    // Bulk: 1 MiB frames the peer acknowledges only at the end (8 bytes per frame).
    const std::vector<std::byte> frame(1 << 20, std::byte{1});
    const auto start = Clock::now();
    for (int i = 0; i < options.megabytes; ++i) {
        channel.send(frame);
        channel.flush();
    }
    for (int i = 0; i < options.megabytes; ++i) channel.recv();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count() - rtt_ms / 2000;
    const double mbit_s = static_cast<double>(options.megabytes) * frame.size() * 8 / 1e6 / seconds;
    channel.send(std::span<const std::byte>{});
    channel.flush();

    const LinkProfile& link = channel.options().link;
    if (options.json) {
        fmt::print("{}\n", nlohmann::json{{"rtt_ms", rtt_ms},
                                          {"bandwidth_mbit_s", mbit_s},
                                          {"emulated", link.describe()}}
                               .dump());
        return;
    }
    fmt::print("emulation: {}\nmedian RTT: {:.3f} ms over {} pings\nbandwidth: {:.1f} Mbit/s over {} MiB\n",
               link.describe(), rtt_ms, options.pings, mbit_s, options.megabytes);
}

void run_netprobe(const ProbeOptions& options) {
    SNNIPRED_CHECK(options.listen.empty() != options.connect.empty(), ConfigError,
                   "give exactly one of --listen HOST:PORT or --connect HOST:PORT");
    SNNIPRED_CHECK(options.pings > 0 && options.megabytes > 0, ConfigError, "--pings and --megabytes must be positive");
    net::ChannelOptions channel_options;
    channel_options.link = custom_link(options.net, options.bandwidth_mbit, options.rtt_ms);
    if (!options.listen.empty()) {
        const auto [host, port] = split_address(options.listen);
        net::Listener listener(host, port);
        fmt::print(stderr, "netprobe: listening on {}:{}\n", host, listener.port());
        net::Channel channel = listener.accept(channel_options);
        serve(channel);
        return;
    }
    const auto [host, port] = split_address(options.connect);
    net::Channel channel = net::Channel::connect(host, port, channel_options);
    probe(channel, options);
}

}  // namespace

void register_netprobe(CLI::App& app) {
    auto options = std::make_shared<ProbeOptions>();
    CLI::App* command = app.add_subcommand("netprobe", "Measure bandwidth and RTT to a peer running netprobe --listen");
    command->add_option("--listen", options->listen, "Serve on HOST:PORT");
    command->add_option("--connect", options->connect, "Probe the peer at HOST:PORT");
    command->add_option("--net", options->net, "Built-in link emulation: none, lan or wan")->capture_default_str();
    command->add_option("--bandwidth", options->bandwidth_mbit, "Emulated bandwidth in Mbit/s (overrides --net)");
    command->add_option("--rtt", options->rtt_ms, "Emulated round-trip time in ms (overrides --net)");
    command->add_option("--pings", options->pings, "Ping-pong messages for the RTT")->capture_default_str();
    command->add_option("--megabytes", options->megabytes, "MiB sent for the bandwidth")->capture_default_str();
    command->add_flag("--json", options->json, "Print JSON");
    command->callback([options] { run_netprobe(*options); });
}

}  // namespace snnipred::cli
