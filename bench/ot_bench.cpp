// Oblivious transfer speed: base OTs, the IKNP extension and the silent (Ferret) COT, both
// parties in one process over loopback TCP, one thread each. Set-up (connection, base OTs,
// Ferret's bootstrap) stays outside the timed loop.
#include <benchmark/benchmark.h>

#include <ctime>
#include <future>
#include <vector>

#include "snnipred/crypto/ot/base_ot.h"
#include "snnipred/crypto/ot/bit_matrix.h"
#include "snnipred/crypto/ot/ferret.h"
#include "snnipred/crypto/ot/iknp.h"
#include "snnipred/crypto/ot/ot.h"
#include "snnipred/net/channel.h"

namespace snnipred::crypto::ot {
namespace {

struct OtLink {
    net::Listener listener{"127.0.0.1", 0};
    std::future<net::Channel> accepted{std::async(std::launch::async, [this] { return listener.accept(); })};
    net::Channel receiver{net::Channel::connect("127.0.0.1", listener.port())};
    net::Channel sender{accepted.get()};
};

// Runs the receiver on a second thread, the sender on this one.
template <typename S, typename R>
void both(S&& sender, R&& receiver) {
    auto other = std::async(std::launch::async, std::forward<R>(receiver));
    sender();
    other.get();
}

template <typename F>
double timed_on_this_thread(F&& work) {
    timespec start{};
    timespec end{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start);
    work();
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end);
    return static_cast<double>(end.tv_sec - start.tv_sec) + 1e-9 * static_cast<double>(end.tv_nsec - start.tv_nsec);
}

// Both parties of a COT extension with their setup done, outside any timed loop.
template <typename Sender, typename Receiver>
struct CotParties {
    OtLink link;
    Prg sender_prg;
    Prg receiver_prg;
    Sender sender;
    Receiver receiver;
    net::CommStats sender_setup;
    net::CommStats receiver_setup;
    double setup_bytes = 0;  // both directions
    double sender_cpu = 0;  // seconds
    double receiver_cpu = 0;

    CotParties() {
        both([&] { sender.setup(link.sender, sender_prg); }, [&] { receiver.setup(link.receiver, receiver_prg); });
        setup_bytes = static_cast<double>(link.sender.stats().bytes_sent + link.receiver.stats().bytes_sent);
        restart_counts();
    }

    // Bytes and CPU time count from here on.
    void restart_counts() {
        sender_setup = link.sender.stats();
        receiver_setup = link.receiver.stats();
        sender_cpu = 0;
        receiver_cpu = 0;
    }

    // Runs both parties as both() does and adds each one's thread CPU time: with both on a
    // shared 2-vCPU machine, OTs per CPU second of a party is the one-core figure.
    template <typename S, typename R>
    void run(S&& sender_work, R&& receiver_work) {
        both([&] { sender_cpu += timed_on_this_thread(sender_work); },
             [&] { receiver_cpu += timed_on_this_thread(receiver_work); });
    }

    // Reports bytes per OT (set-up and warm-up excluded) and OTs per second, `n` OTs an iteration; per
    // CPU second of each party too when run() timed them.
    void report(benchmark::State& state, std::size_t n) const {
        const auto total = static_cast<double>(state.iterations() * n);
        if (sender_cpu > 0) {
            state.counters["sender_core_OTs_per_s"] = total / sender_cpu;
            state.counters["receiver_core_OTs_per_s"] = total / receiver_cpu;
        }
        const double bytes = static_cast<double>((link.sender.stats() - sender_setup).bytes_sent +
                                                 (link.receiver.stats() - receiver_setup).bytes_sent);
        state.counters["bytes_per_OT"] = bytes / static_cast<double>(state.iterations() * n);
        state.counters["bits_per_OT"] = 8 * bytes / static_cast<double>(state.iterations() * n);
        state.counters["setup_bytes"] = setup_bytes;
        state.counters["OTs_per_s"] =
            benchmark::Counter(static_cast<double>(state.iterations() * n), benchmark::Counter::kIsRate);
    }
};

using IknpParties = CotParties<IknpSender, IknpReceiver>;
using FerretParties = CotParties<FerretSender, FerretReceiver>;

void BM_BaseOt128(benchmark::State& state) {
    OtLink link;
    Prg sender_prg;
    Prg receiver_prg;
    std::vector<std::array<Block, 2>> keys(128);
    std::vector<std::uint8_t> choices(128);
    std::vector<Block> chosen(128);
    receiver_prg.random_bits(choices);
    for (auto _ : state) {
        both([&] { BaseOtSender().send(link.sender, sender_prg, keys); },
             [&] { BaseOtReceiver().receive(link.receiver, receiver_prg, choices, chosen); });
    }
    state.counters["bytes_per_batch"] =
        static_cast<double>(link.sender.stats().bytes_sent + link.receiver.stats().bytes_sent) /
        static_cast<double>(state.iterations());
}
BENCHMARK(BM_BaseOt128)->Unit(benchmark::kMillisecond)->UseRealTime();

// n random correlated OTs an iteration between the parties of one extension.
template <typename Parties>
void random_cots(benchmark::State& state, std::size_t n) {
    Parties p;
    std::vector<Block> q(n);
    std::vector<Block> t(n);
    std::vector<std::uint8_t> bits(n);
    const auto batch = [&] {
        p.run([&] { p.sender.random_cot(p.link.sender, p.sender_prg, q); },
              [&] { p.receiver.random_cot(p.link.receiver, p.receiver_prg, bits, t); });
    };
    // One untimed, uncounted batch first: it touches the outputs' and the extension's
    // buffers (Ferret's first refill allocates its ~170 MB), so the timed ones are steady use.
    batch();
    p.restart_counts();
    for (auto _ : state) batch();
    p.report(state, n);
}

// IKNP correlated OTs: the raw extension (matrix, PRG expansion, transpose).
void BM_IknpCot(benchmark::State& state) { random_cots<IknpParties>(state, static_cast<std::size_t>(state.range(0))); }
BENCHMARK(BM_IknpCot)->Arg(1 << 16)->Arg(1 << 20)->Arg(1 << 23)->Unit(benchmark::kMillisecond)->UseRealTime();

// Silent (Ferret) correlated OTs with the standard parameters. An iteration asks for one
// main iteration's worth (9,562,948), so each refills the buffer about once and the
// throughput and bytes are those of steady use; setup (IKNP, bootstrap) is excluded.
void BM_FerretCot(benchmark::State& state) { random_cots<FerretParties>(state, FerretParams::standard().batch()); }
BENCHMARK(BM_FerretCot)->Unit(benchmark::kMillisecond)->UseRealTime();

// IKNP random OTs (COT + tccr hashing of both sender outputs).
void BM_IknpRandomOt(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    IknpParties p;
    OtSender sender(p.sender);
    OtReceiver receiver(p.receiver);
    std::vector<std::array<Block, 2>> pairs(n);
    std::vector<Block> chosen(n);
    std::vector<std::uint8_t> bits(n);
    for (auto _ : state) {
        both([&] { sender.random_ot(p.link.sender, p.sender_prg, pairs); },
             [&] { receiver.random_ot(p.link.receiver, p.receiver_prg, bits, chosen); });
    }
    p.report(state, n);
}
BENCHMARK(BM_IknpRandomOt)->Arg(1 << 20)->Arg(1 << 23)->Unit(benchmark::kMillisecond)->UseRealTime();

// Chosen-message 1-out-of-2 OT of 16-byte messages (emp-ot's "IKNP OT").
void BM_IknpChosenOt16(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    IknpParties p;
    OtSender sender(p.sender);
    OtReceiver receiver(p.receiver);
    std::vector<std::uint8_t> m0(16 * n);
    std::vector<std::uint8_t> m1(16 * n);
    std::vector<std::uint8_t> out(16 * n);
    std::vector<std::uint8_t> choices(n);
    p.sender_prg.random_bytes(m0);
    p.sender_prg.random_bytes(m1);
    p.receiver_prg.random_bits(choices);
    for (auto _ : state) {
        both([&] { sender.send(p.link.sender, p.sender_prg, m0, m1, 16); },
             [&] { receiver.receive(p.link.receiver, p.receiver_prg, choices, 16, out); });
    }
    p.report(state, n);
}
BENCHMARK(BM_IknpChosenOt16)->Arg(1 << 20)->Unit(benchmark::kMillisecond)->UseRealTime();

// The 128 × n transpose alone (local, no network).
void BM_Transpose128(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    std::vector<std::uint8_t> rows(128 * bit_row_bytes(n));
    Prg(Block{1, 2}).random_bytes(rows);
    std::vector<Block> columns(n);
    for (auto _ : state) {
        transpose_128xn(rows, n, columns);
        benchmark::DoNotOptimize(columns.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}
BENCHMARK(BM_Transpose128)->Arg(1 << 14);

}  // namespace
}  // namespace snnipred::crypto::ot
