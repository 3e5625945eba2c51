#include "snnipred/crypto/ot/ferret.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "loopback.h"
#include "snnipred/core/error.h"
#include "snnipred/crypto/ot/ot.h"

namespace snnipred::crypto::ot {
namespace {

using testing::connect_loopback;
using testing::run_parties;

const FerretParams kSmall = FerretParams::insecure_for_tests();

// Both parties of one Ferret session over loopback TCP.
struct FerretPair {
    explicit FerretPair(const FerretParams& params = kSmall) : sender(params), receiver(params) {}

    void setup() {
        run_parties([&] { sender.setup(link.sender, sender_prg); },
                    [&] { receiver.setup(link.receiver, receiver_prg); });
    }
    /// n random COTs, checked against t = q ⊕ b·Δ; returns the bits.
    std::vector<std::uint8_t> random_cots(std::size_t n) {
        std::vector<Block> q(n);
        std::vector<Block> t(n);
        std::vector<std::uint8_t> bits(n, 7);
        run_parties([&] { sender.random_cot(link.sender, sender_prg, q); },
                    [&] { receiver.random_cot(link.receiver, receiver_prg, bits, t); });
        expect_correlated(q, t, bits);
        sender_outputs.insert(sender_outputs.end(), q.begin(), q.end());
        return bits;
    }
    /// n chosen COTs with `bits`, checked against t = q ⊕ b·Δ.
    void chosen_cots(const std::vector<std::uint8_t>& bits) {
        std::vector<Block> q(bits.size());
        std::vector<Block> t(bits.size());
        run_parties([&] { sender.chosen_cot(link.sender, sender_prg, q); },
                    [&] { receiver.chosen_cot(link.receiver, receiver_prg, bits, t); });
        expect_correlated(q, t, bits);
    }
    void expect_correlated(const std::vector<Block>& q, const std::vector<Block>& t,
                           const std::vector<std::uint8_t>& bits) const {
        const Block delta = sender.delta();
        for (std::size_t j = 0; j < q.size(); ++j) {
            ASSERT_LE(bits[j], 1U) << j;
            ASSERT_EQ(t[j], q[j] ^ (Block::select(bits[j] != 0) & delta)) << j;
        }
    }
    std::uint64_t bytes_both_ways() const { return link.sender.stats().bytes_sent + link.receiver.stats().bytes_sent; }

    testing::Loopback link = connect_loopback();
    Prg sender_prg;
    Prg receiver_prg;
    FerretSender sender;
    FerretReceiver receiver;
    std::vector<Block> sender_outputs;  // every q of random_cots, in order
};

// Bytes of one main iteration: the receiver's packed GGM choice bits, the sender's level sums.
std::uint64_t iteration_bytes(const LpnParams& p) {
    const auto h = static_cast<std::uint64_t>(p.depth());
    return (p.t * h + 7) / 8 + p.t * (2 * h + 1) * sizeof(Block);
}

// What the bootstrap iteration leaves in the buffer after the main reserve is kept back.
// COTs the buffer holds after setup (its first main iteration): a whole batch.
std::size_t left_after_setup(const FerretParams& p) { return p.batch(); }

TEST(FerretParams, StandardSetsAreFerretsAndValid) {
    const FerretParams p = FerretParams::standard();
    EXPECT_NO_THROW(p.validate());
    EXPECT_EQ(p.main.block(), 7680U);
    EXPECT_EQ(p.main.depth(), 13);
    EXPECT_EQ(p.main.reserve(), 588'160U + 1'324U * 13);
    EXPECT_EQ(p.bootstrap.block(), 512U);
    EXPECT_EQ(p.bootstrap.depth(), 9);
    EXPECT_EQ(p.batch(), 9'562'948U);
    EXPECT_EQ(iteration_bytes(p.main), 574'120U);
    EXPECT_LT(8.0 * static_cast<double>(iteration_bytes(p.main)) / static_cast<double>(p.batch()), 1.0);
}

TEST(FerretParams, RejectsInconsistentSets) {
    FerretParams p = kSmall;
    p.main.t = 15;  // does not divide 4096
    EXPECT_THROW(p.validate(), ConfigError);
    p = kSmall;
    p.main.k = 4000;  // reserve ≥ n
    EXPECT_THROW(p.validate(), ConfigError);
    p = kSmall;
    p.bootstrap.n = 1024;  // cannot feed the main reserve of 1152
    p.bootstrap.t = 4;
    EXPECT_THROW(p.validate(), ConfigError);
    p = kSmall;
    p.main.k = 9;
    EXPECT_THROW(FerretSender{p}, ConfigError);
}

TEST(Ferret, RandomCotsHoldAcrossCallsBatchesAndIterations) {
    FerretPair pair;
    pair.setup();
    const std::size_t batch = kSmall.batch();
    std::size_t total = 0;
    std::vector<std::uint8_t> all_bits;
    // Empty and single calls, one that ends exactly at the buffer's end, and calls that
    // cross one or several refills.
    for (const std::size_t n : {std::size_t{0}, std::size_t{1}, left_after_setup(kSmall) - 1, batch, std::size_t{1},
                                3 * batch + 17, std::size_t{0}, std::size_t{999}}) {
        const auto bits = pair.random_cots(n);
        all_bits.insert(all_bits.end(), bits.begin(), bits.end());
        total += n;
    }
    EXPECT_EQ(pair.sender.produced(), total);
    EXPECT_EQ(pair.receiver.produced(), total);
    const std::size_t refills = (total - left_after_setup(kSmall) + batch - 1) / batch;
    EXPECT_EQ(pair.sender.iterations(), refills);
    EXPECT_EQ(pair.receiver.iterations(), refills);
    const auto ones = std::accumulate(all_bits.begin(), all_bits.end(), std::size_t{0});
    const double n = static_cast<double>(all_bits.size());
    EXPECT_NEAR(static_cast<double>(ones), n / 2, 6 * std::sqrt(n / 4));
    // No output repeats: every iteration consumed a fresh reserve and fresh trees.
    std::set<std::pair<std::uint64_t, std::uint64_t>> distinct;
    for (const Block& q : pair.sender_outputs) distinct.insert({q.lo, q.hi});
    EXPECT_EQ(distinct.size(), total);
}

TEST(Ferret, ChosenCotsWithZeroOnesAndMixedBitsAcrossARefill) {
    FerretPair pair;
    pair.setup();
    const std::size_t across = kSmall.batch() + 100;  // at least one refill inside the call
    pair.chosen_cots(std::vector<std::uint8_t>(across, 0));
    pair.chosen_cots(std::vector<std::uint8_t>(across, 1));
    std::vector<std::uint8_t> mixed(across);
    Prg(Block{18, 1}).random_bits(mixed);
    pair.chosen_cots(mixed);
    pair.chosen_cots({});
    pair.chosen_cots({1});
    pair.chosen_cots({0});
    EXPECT_GE(pair.sender.iterations(), 3U);
}

TEST(Ferret, SetupAndIterationsCostWhatTheHeaderSays) {
    FerretPair pair;
    pair.setup();
    const std::uint64_t after_setup = pair.bytes_both_ways();
    // Use up setup's batch, then exactly two refills.
    pair.random_cots(left_after_setup(kSmall));
    EXPECT_EQ(pair.bytes_both_ways(), after_setup);
    pair.random_cots(2 * kSmall.batch());
    EXPECT_EQ(pair.bytes_both_ways() - after_setup, 2 * iteration_bytes(kSmall.main));
}

// The real parameters: setup (IKNP, bootstrap, the first main iteration) and one refill.
TEST(Ferret, StandardParametersOneIteration) {
    const FerretParams params = FerretParams::standard();
    FerretPair pair(params);
    pair.setup();
    const std::uint64_t after_setup = pair.bytes_both_ways();
    const auto bits = pair.random_cots(left_after_setup(params) + 1000);
    EXPECT_EQ(pair.sender.iterations(), 1U);
    EXPECT_EQ(pair.bytes_both_ways() - after_setup, iteration_bytes(params.main));
    const auto ones = std::accumulate(bits.begin(), bits.end(), std::size_t{0});
    const double n = static_cast<double>(bits.size());
    EXPECT_NEAR(static_cast<double>(ones), n / 2, 6 * std::sqrt(n / 4));
}

// The flavours of ot.h on the silent COT: they only see the CotSender/CotReceiver interface.
TEST(Ferret, OtFlavoursWorkOnTheSilentCot) {
    FerretPair pair;
    OtSender sender(pair.sender);
    OtReceiver receiver(pair.receiver);
    auto& link = pair.link;
    Prg data(Block{18, 2});
    constexpr std::size_t n = 3000;  // each flavour crosses a refill

    std::vector<std::array<Block, 2>> pairs(n);
    std::vector<std::uint8_t> bits(n);
    std::vector<Block> chosen(n);
    run_parties([&] { sender.random_ot(link.sender, pair.sender_prg, pairs); },
                [&] { receiver.random_ot(link.receiver, pair.receiver_prg, bits, chosen); });
    for (std::size_t j = 0; j < n; ++j) ASSERT_EQ(chosen[j], pairs[j][bits[j]]) << j;

    std::vector<std::uint64_t> corr(n);
    for (auto& c : corr) c = data.random_u64();
    std::vector<std::uint8_t> choices(n);
    data.random_bits(choices);
    std::vector<std::uint64_t> x0(n);
    std::vector<std::uint64_t> x(n);
    run_parties([&] { sender.correlated_ot(link.sender, pair.sender_prg, corr, 37, x0); },
                [&] { receiver.correlated_ot(link.receiver, pair.receiver_prg, choices, 37, x); });
    for (std::size_t j = 0; j < n; ++j) ASSERT_EQ(x[j], (x0[j] + choices[j] * corr[j]) & ((1ULL << 37) - 1)) << j;

    constexpr std::size_t kLength = 20;
    std::vector<std::uint8_t> m0(n * kLength);
    std::vector<std::uint8_t> m1(n * kLength);
    data.random_bytes(m0);
    data.random_bytes(m1);
    std::vector<std::uint8_t> out(n * kLength);
    run_parties([&] { sender.send(link.sender, pair.sender_prg, m0, m1, kLength); },
                [&] { receiver.receive(link.receiver, pair.receiver_prg, choices, kLength, out); });
    for (std::size_t j = 0; j < n; ++j) {
        const auto& m = choices[j] ? m1 : m0;
        ASSERT_TRUE(std::equal(out.begin() + j * kLength, out.begin() + (j + 1) * kLength, m.begin() + j * kLength));
    }

    constexpr int kLogN = 4;
    constexpr std::size_t kInstances = 800;  // 3,200 COTs
    std::vector<std::uint8_t> table(kInstances * 16 * kLength);
    data.random_bytes(table);
    std::vector<std::uint32_t> picks(kInstances);
    for (auto& p : picks) p = static_cast<std::uint32_t>(data.random_u64() % 16);
    std::vector<std::uint8_t> picked(kInstances * kLength);
    run_parties([&] { sender.send_one_of_n(link.sender, pair.sender_prg, table, kLogN, kLength); },
                [&] { receiver.receive_one_of_n(link.receiver, pair.receiver_prg, picks, kLogN, kLength, picked); });
    for (std::size_t j = 0; j < kInstances; ++j) {
        const auto entry = table.begin() + static_cast<std::ptrdiff_t>((j * 16 + picks[j]) * kLength);
        ASSERT_TRUE(std::equal(picked.begin() + j * kLength, picked.begin() + (j + 1) * kLength, entry)) << j;
    }
    EXPECT_GE(pair.sender.iterations(), 4U);
}

TEST(Ferret, APeerThatClosesEarlyIsANetworkError) {
    // During setup: the receiver's peer is gone before the base OTs.
    {
        FerretPair pair;
        { net::Channel gone = std::move(pair.link.sender); }
        EXPECT_THROW(pair.receiver.setup(pair.link.receiver, pair.receiver_prg), NetworkError);
    }
    // At a refill: both set up, then the receiver leaves; the sender's refill fails cleanly.
    FerretPair pair;
    pair.setup();
    pair.random_cots(left_after_setup(kSmall));
    { net::Channel gone = std::move(pair.link.receiver); }
    std::vector<Block> q(10);
    EXPECT_THROW(pair.sender.random_cot(pair.link.sender, pair.sender_prg, q), NetworkError);
}

TEST(Ferret, WrongLengthsFromThePeerAreNetworkErrors) {
    // A sender whose LPN seed is one byte short.
    {
        FerretPair pair;
        IknpSender iknp;
        std::optional<NetworkError> error;
        run_parties(
            [&] {
                iknp.setup(pair.link.sender, pair.sender_prg);
                const std::vector<std::uint8_t> short_seed(15);
                pair.link.sender.send(short_seed);
                pair.link.sender.flush();
            },
            [&] {
                try {
                    pair.receiver.setup(pair.link.receiver, pair.receiver_prg);
                } catch (const NetworkError& e) {
                    error = e;
                }
            });
        ASSERT_TRUE(error.has_value());
        EXPECT_NE(std::string(error->what()).find("LPN seed"), std::string::npos) << error->what();
    }
    // A receiver that answers a refill with too few GGM choice bits.
    FerretPair pair;
    pair.setup();
    pair.random_cots(left_after_setup(kSmall));
    const std::vector<std::uint8_t> wrong(3);
    pair.link.receiver.send(wrong);
    pair.link.receiver.flush();
    std::vector<Block> q(10);
    EXPECT_THROW(pair.sender.random_cot(pair.link.sender, pair.sender_prg, q), NetworkError);
}

}  // namespace
}  // namespace snnipred::crypto::ot
