#include "snnipred/crypto/ot/iknp.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

#include "loopback.h"
#include "snnipred/core/error.h"
#include "snnipred/crypto/ot/base_ot.h"

namespace snnipred::crypto::ot {
namespace {

using testing::connect_loopback;
using testing::run_parties;

// Setup runs base OTs with the roles reversed: the IKNP receiver is the base-OT sender.
constexpr std::uint64_t kSetupReceiverBytes = kBaseOtSenderBytes;
constexpr std::uint64_t kSetupSenderBytes = kIknpBaseOts * kBaseOtReceiverBytesPerOt;

void expect_correlated(const std::vector<Block>& q, const std::vector<Block>& t,
                       const std::vector<std::uint8_t>& bits, const Block& delta) {
    ASSERT_EQ(q.size(), t.size());
    for (std::size_t j = 0; j < q.size(); ++j) ASSERT_EQ(t[j], q[j] ^ (Block::select(bits[j] != 0) & delta)) << j;
}

TEST(Iknp, RandomCotHoldsTheCorrelationAndCosts128BitsPerOt) {
    const std::size_t n = 3 * kIknpChunk + 8 * 37;  // several chunks, a multiple of 8
    auto link = connect_loopback();
    IknpSender sender;
    IknpReceiver receiver;
    std::vector<Block> q(n);
    std::vector<Block> t(n);
    std::vector<std::uint8_t> bits(n);
    run_parties([&] { Prg prg; sender.random_cot(link.sender, prg, q); },
                [&] { Prg prg; receiver.random_cot(link.receiver, prg, bits, t); });
    const Block delta = sender.delta();
    EXPECT_NE(delta, Block{});
    expect_correlated(q, t, bits, delta);
    const auto ones = std::accumulate(bits.begin(), bits.end(), std::size_t{0});
    EXPECT_NEAR(static_cast<double>(ones), n / 2.0, 6 * std::sqrt(n / 4.0));
    EXPECT_EQ(sender.produced(), n);
    EXPECT_EQ(receiver.produced(), n);

    // Receiver → sender: A, then 16 bytes per OT; sender → receiver: the 128 base-OT points.
    EXPECT_EQ(link.receiver.stats().bytes_sent, kSetupReceiverBytes + 16 * n);
    EXPECT_EQ(link.sender.stats().bytes_sent, kSetupSenderBytes);
    EXPECT_EQ(link.receiver.stats().messages_sent, 1 + 4U);  // base OT + one per chunk
}

TEST(Iknp, ChosenCotUsesTheGivenBitsAcrossCalls) {
    auto link = connect_loopback();
    IknpSender sender;
    IknpReceiver receiver;
    for (const std::size_t n : {1U, 13U, 1000U}) {
        std::vector<Block> q(n);
        std::vector<Block> t(n);
        std::vector<std::uint8_t> bits(n);
        Prg(Block{n, 0}).random_bits(bits);
        const auto before = link.receiver.stats();
        run_parties([&] { Prg prg; sender.chosen_cot(link.sender, prg, q); },
                    [&] { Prg prg; receiver.chosen_cot(link.receiver, prg, bits, t); });
        expect_correlated(q, t, bits, sender.delta());
        const auto cost = link.receiver.stats() - before;
        EXPECT_EQ(cost.bytes_sent, 128 * ((n + 7) / 8) + (n == 1 ? kSetupReceiverBytes : 0));
    }
    EXPECT_EQ(sender.produced(), 1014U);
}

// A COT that only offers random bits, as a silent OT would: exercises the default
// derandomisation in CotSender/CotReceiver.
class RandomOnlySender final : public CotSender {
    IknpSender inner_;
    Block do_setup(net::Channel& channel, Prg& prg) override {
        inner_.setup(channel, prg);
        return inner_.delta();
    }
    void do_random_cot(net::Channel& channel, Prg& prg, std::span<Block> q) override {
        inner_.random_cot(channel, prg, q);
    }
};

class RandomOnlyReceiver final : public CotReceiver {
    IknpReceiver inner_;
    void do_setup(net::Channel& channel, Prg& prg) override { inner_.setup(channel, prg); }
    void do_random_cot(net::Channel& channel, Prg& prg, std::span<std::uint8_t> bits,
                       std::span<Block> t) override {
        inner_.random_cot(channel, prg, bits, t);
    }
};

TEST(CotInterface, DefaultDerandomisationCostsOneBitPerOt) {
    constexpr std::size_t n = 4096;
    auto link = connect_loopback();
    RandomOnlySender sender;
    RandomOnlyReceiver receiver;
    run_parties([&] { Prg prg; sender.setup(link.sender, prg); },
                [&] { Prg prg; receiver.setup(link.receiver, prg); });
    std::vector<Block> q(n);
    std::vector<Block> t(n);
    std::vector<std::uint8_t> bits(n);
    Prg(Block{4, 4}).random_bits(bits);
    const auto before = link.receiver.stats();
    run_parties([&] { Prg prg; sender.chosen_cot(link.sender, prg, q); },
                [&] { Prg prg; receiver.chosen_cot(link.receiver, prg, bits, t); });
    expect_correlated(q, t, bits, sender.delta());
    EXPECT_EQ((link.receiver.stats() - before).bytes_sent, 16 * n + n / 8);
}

TEST(CotInterface, ChecksInputs) {
    IknpSender sender;
    EXPECT_THROW(sender.delta(), ConfigError);
    auto link = connect_loopback();
    IknpReceiver receiver;
    Prg prg;
    std::vector<Block> t(4);
    std::vector<std::uint8_t> bits = {0, 1, 3, 0};
    EXPECT_THROW(receiver.chosen_cot(link.receiver, prg, bits, t), InvalidInput);
    std::vector<std::uint8_t> short_bits(3);
    EXPECT_THROW(receiver.random_cot(link.receiver, prg, short_bits, t), InvalidInput);
}

}  // namespace
}  // namespace snnipred::crypto::ot
