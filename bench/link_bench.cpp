// Does the built-in link emulation deliver the configured bandwidth and RTT? Each
// benchmark runs both parties over loopback TCP in one process (two threads).
#include <benchmark/benchmark.h>

#include <future>

#include "snnipred/net/channel.h"

namespace snnipred::net {
namespace {

struct Pair {
    Listener listener{"127.0.0.1", 0};
    std::future<Channel> server;
    Channel client;

    explicit Pair(const ChannelOptions& options)
        : server(std::async(std::launch::async, [this, options] { return listener.accept(options); })),
          client(Channel::connect("127.0.0.1", listener.port(), options)) {}
};

ChannelOptions options_for(const char* name) {
    ChannelOptions options;
    options.link = named_link(name);
    return options;
}

// One-way bulk transfer of 1 MiB frames, acknowledged at the end: measures bandwidth.
void BM_LinkBandwidth(benchmark::State& state, const char* name) {
    const ChannelOptions options = options_for(name);
    Pair pair(options);
    Channel server = pair.server.get();
    const std::size_t frames = static_cast<std::size_t>(state.range(0));
    const std::vector<std::byte> frame(1 << 20);
    for (auto _ : state) {
        auto sink = std::async(std::launch::async, [&] {
            for (std::size_t i = 0; i < frames; ++i) server.recv();
            server.send(std::vector<std::byte>(1));
            server.flush();
        });
        for (std::size_t i = 0; i < frames; ++i) {
            pair.client.send(frame);
            pair.client.flush();
        }
        pair.client.recv();
        sink.get();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * frames * frame.size()));
    state.counters["configured_Mbit_s"] = options.link.bandwidth_bits_per_second / 1e6;
    state.counters["measured_Mbit_s"] = benchmark::Counter(
        static_cast<double>(state.iterations() * frames * frame.size()) * 8 / 1e6, benchmark::Counter::kIsRate);
}

// Ping-pong of 8-byte messages: measures the round-trip time.
void BM_LinkRoundTrip(benchmark::State& state, const char* name) {
    const ChannelOptions options = options_for(name);
    Pair pair(options);
    Channel server = pair.server.get();
    auto echo = std::async(std::launch::async, [&] {
        for (;;) {
            auto message = server.recv();
            if (message.empty()) return;
            server.send(message);
            server.flush();
        }
    });
    const std::vector<std::byte> ping(8);
    for (auto _ : state) {
        pair.client.send(ping);
        pair.client.recv();
    }
    pair.client.send(std::vector<std::byte>{});
    pair.client.flush();
    echo.get();
    state.counters["configured_rtt_ms"] = static_cast<double>(options.link.rtt().count()) / 1e6;
}

BENCHMARK_CAPTURE(BM_LinkBandwidth, lan, "lan")->Arg(256)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_LinkBandwidth, wan, "wan")->Arg(64)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_LinkBandwidth, none, "none")->Arg(256)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_LinkRoundTrip, lan, "lan")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_LinkRoundTrip, wan, "wan")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_LinkRoundTrip, none, "none")->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace snnipred::net
