#include "snnipred/crypto/ot/base_ot.h"

#include <gtest/gtest.h>

#include <set>
#include <utility>
#include <vector>

#include "loopback.h"
#include "snnipred/core/error.h"

namespace snnipred::crypto::ot {
namespace {

using testing::connect_loopback;
using testing::run_parties;

TEST(BaseOt, ReceiverGetsTheChosenKeyOnly) {
    constexpr std::size_t n = 128;
    auto link = connect_loopback();
    std::vector<std::array<Block, 2>> sender_keys(n);
    std::vector<std::uint8_t> choices(n);
    std::vector<Block> receiver_keys(n);
    Prg(Block{1, 1}).random_bits(choices);
    run_parties(
        [&] {
            Prg prg;
            BaseOtSender().send(link.sender, prg, sender_keys);
        },
        [&] {
            Prg prg;
            BaseOtReceiver().receive(link.receiver, prg, choices, receiver_keys);
        });
    std::set<std::pair<std::uint64_t, std::uint64_t>> distinct;
    for (std::size_t j = 0; j < n; ++j) {
        EXPECT_EQ(receiver_keys[j], sender_keys[j][choices[j]]) << j;
        EXPECT_NE(receiver_keys[j], sender_keys[j][1 - choices[j]]) << j;
        for (const Block& key : sender_keys[j]) distinct.insert({key.lo, key.hi});
    }
    EXPECT_EQ(distinct.size(), 2 * n);  // all keys independent-looking

    // Wire cost: A one way, one point per OT the other; each side sends once.
    EXPECT_EQ(link.sender.stats(), (net::CommStats{kBaseOtSenderBytes, n * kBaseOtReceiverBytesPerOt, 1, 1, 1}));
    EXPECT_EQ(link.receiver.stats(), (net::CommStats{n * kBaseOtReceiverBytesPerOt, kBaseOtSenderBytes, 1, 1, 1}));
}

TEST(BaseOt, RejectsInvalidPointsAndBadInput) {
    auto link = connect_loopback();
    Prg prg;
    std::vector<std::uint8_t> choices = {0, 1};
    std::vector<Block> keys(2);
    // 0xff… does not decode to a Ristretto255 point.
    link.sender.send(std::vector<std::uint8_t>(32, 0xff));
    link.sender.flush();
    EXPECT_THROW(BaseOtReceiver().receive(link.receiver, prg, choices, keys), NetworkError);
    // The identity (all zeros) decodes but is rejected.
    link.sender.send(std::vector<std::uint8_t>(32, 0));
    link.sender.flush();
    EXPECT_THROW(BaseOtReceiver().receive(link.receiver, prg, choices, keys), NetworkError);
    std::vector<std::uint8_t> bad_choice = {0, 2};
    EXPECT_THROW(BaseOtReceiver().receive(link.receiver, prg, bad_choice, keys), InvalidInput);
    std::vector<Block> wrong_size(3);
    EXPECT_THROW(BaseOtReceiver().receive(link.receiver, prg, choices, wrong_size), InvalidInput);
}

}  // namespace
}  // namespace snnipred::crypto::ot
