#include "../../../src/crypto/ot/mpcot.h"

#include <gtest/gtest.h>

#include <numeric>
#include <vector>

#include "loopback.h"
#include "snnipred/core/error.h"
#include "snnipred/crypto/ot/iknp.h"

namespace snnipred::crypto::ot::detail {
namespace {

using testing::connect_loopback;
using testing::run_parties;

// trees GGM single-point COTs of `block` outputs each, their OTs from IKNP COTs.
void expect_regular_noise_cot(std::size_t trees, std::size_t block) {
    auto link = connect_loopback();
    IknpSender iknp_sender;
    IknpReceiver iknp_receiver;
    MpcotSender sender(trees, block);
    MpcotReceiver receiver(trees, block);
    const std::size_t r = sender.reserve_needed();
    ASSERT_EQ(r, trees * static_cast<std::size_t>(ggm_depth(block)));
    std::vector<Block> q(r);
    std::vector<Block> t(r);
    std::vector<std::uint8_t> bits(r);
    std::vector<Block> v(trees * block);
    std::vector<Block> w(trees * block);
    std::vector<std::uint8_t> noise(trees * block, 7);
    run_parties([&] { Prg prg; iknp_sender.random_cot(link.sender, prg, q); },
                [&] { Prg prg; iknp_receiver.random_cot(link.receiver, prg, bits, t); });
    const Block delta = iknp_sender.delta();
    const auto sender_before = link.sender.stats();
    const auto receiver_before = link.receiver.stats();
    run_parties([&] { Prg prg; sender.send(link.sender, prg, delta, q, 5, v); },
                [&] { Prg prg; receiver.receive(link.receiver, prg, bits, t, 5, w, noise); });
    for (std::size_t tree = 0; tree < trees; ++tree) {
        std::size_t ones = 0;
        for (std::size_t j = tree * block; j < (tree + 1) * block; ++j) {
            ASSERT_LE(noise[j], 1U);
            ones += noise[j];
            // Equal except at the punctured point, where they differ by Δ.
            ASSERT_EQ(w[j], v[j] ^ (Block::select(noise[j] != 0) & delta)) << tree << " " << j;
        }
        EXPECT_EQ(ones, 1U) << tree;
    }
    const std::size_t depth = static_cast<std::size_t>(ggm_depth(block));
    EXPECT_EQ((link.receiver.stats() - receiver_before).bytes_sent, (r + 7) / 8);
    EXPECT_EQ((link.sender.stats() - sender_before).bytes_sent, trees * (2 * depth + 1) * sizeof(Block));
}

TEST(Mpcot, EachBlockDiffersByDeltaAtItsNoisePositionOnly) { expect_regular_noise_cot(9, 64); }

TEST(Mpcot, BlocksThatAreNotPowersOfTwoDropTheSurplusLeaves) {
    expect_regular_noise_cot(5, 100);
    expect_regular_noise_cot(3, 2);
}

TEST(Mpcot, ChecksParametersAndSizes) {
    EXPECT_THROW(MpcotSender(0, 16), ConfigError);
    EXPECT_THROW(MpcotSender(4, 1), ConfigError);
    EXPECT_THROW(MpcotReceiver(4, (std::size_t{1} << kMaxGgmDepth) + 1), ConfigError);
    EXPECT_EQ(ggm_depth(2), 1);
    EXPECT_EQ(ggm_depth(7680), 13);
    EXPECT_EQ(ggm_depth(8192), 13);
    EXPECT_EQ(ggm_depth(8193), 14);
    auto link = connect_loopback();
    MpcotSender sender(2, 8);
    Prg prg;
    std::vector<Block> reserve(5);  // needs 2·3
    std::vector<Block> out(16);
    EXPECT_THROW(sender.send(link.sender, prg, Block{1, 0}, reserve, 0, out), InvalidInput);
}

}  // namespace
}  // namespace snnipred::crypto::ot::detail
