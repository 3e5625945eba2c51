#include "snnipred/crypto/ot/ot.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "loopback.h"
#include "snnipred/core/error.h"
#include "snnipred/crypto/ot/iknp.h"

namespace snnipred::crypto::ot {
namespace {

// Both parties of one session over loopback TCP, set up once; each test then checks what
// one flavour costs on top of the COTs it uses.
class OtFlavours : public ::testing::Test {
protected:
    void SetUp() override {
        testing::run_parties([&] { cot_sender_.setup(link_.sender, sender_prg_); },
                             [&] { cot_receiver_.setup(link_.receiver, receiver_prg_); });
    }

    template <typename S, typename R>
    void run(S&& sender, R&& receiver) {
        sent_before_ = link_.sender.stats();
        received_before_ = link_.receiver.stats();
        testing::run_parties(std::forward<S>(sender), std::forward<R>(receiver));
    }
    std::uint64_t sender_sent() const { return (link_.sender.stats() - sent_before_).bytes_sent; }
    std::uint64_t receiver_sent() const { return (link_.receiver.stats() - received_before_).bytes_sent; }

    testing::Loopback link_ = testing::connect_loopback();
    Prg sender_prg_;
    Prg receiver_prg_;
    Prg data_prg_{Block{2026, 11}};
    IknpSender cot_sender_;
    IknpReceiver cot_receiver_;
    OtSender sender_{cot_sender_};
    OtReceiver receiver_{cot_receiver_};
    net::CommStats sent_before_;
    net::CommStats received_before_;
};

TEST_F(OtFlavours, RandomOt) {
    constexpr std::size_t n = 10000;
    std::vector<std::array<Block, 2>> pairs(n);
    std::vector<std::uint8_t> bits(n);
    std::vector<Block> chosen(n);
    for (int repeat = 0; repeat < 2; ++repeat) {  // outputs of later calls are fresh
        run([&] { sender_.random_ot(link_.sender, sender_prg_, pairs); },
            [&] { receiver_.random_ot(link_.receiver, receiver_prg_, bits, chosen); });
        for (std::size_t j = 0; j < n; ++j) {
            ASSERT_EQ(chosen[j], pairs[j][bits[j]]) << j;
            ASSERT_NE(chosen[j], pairs[j][1 - bits[j]]) << j;
            // Hashing removed the Δ correlation.
            ASSERT_NE(pairs[j][0] ^ pairs[j][1], cot_sender_.delta()) << j;
        }
        EXPECT_EQ(receiver_sent(), 16 * n);
        EXPECT_EQ(sender_sent(), 0U);
    }
}

TEST_F(OtFlavours, CorrelatedOtHoldsExactlyOverTheRing) {
    constexpr std::size_t n = 5000;
    for (const int bits : {1, 7, 17, 32, 37, 64}) {
        const std::uint64_t mask = bits == 64 ? ~0ULL : (1ULL << bits) - 1;
        std::vector<std::uint64_t> corr(n);
        for (auto& c : corr) c = data_prg_.random_u64();  // high bits must not matter
        std::vector<std::uint8_t> choices(n);
        data_prg_.random_bits(choices);
        std::vector<std::uint64_t> x0(n);
        std::vector<std::uint64_t> out(n);
        run([&] { sender_.correlated_ot(link_.sender, sender_prg_, corr, bits, x0); },
            [&] { receiver_.correlated_ot(link_.receiver, receiver_prg_, choices, bits, out); });
        for (std::size_t j = 0; j < n; ++j) {
            ASSERT_EQ(x0[j] & ~mask, 0U);
            ASSERT_EQ(out[j], (x0[j] + choices[j] * corr[j]) & mask) << "bits " << bits << ", OT " << j;
        }
        EXPECT_EQ(sender_sent(), (n * bits + 7) / 8) << bits;
        EXPECT_EQ(receiver_sent(), 16 * n) << bits;
    }
}

TEST_F(OtFlavours, ChosenMessageOtOfAnyLength) {
    constexpr std::size_t n = 1003;
    for (const std::size_t length : {1U, 16U, 17U, 100U}) {
        std::vector<std::uint8_t> m0(n * length);
        std::vector<std::uint8_t> m1(n * length);
        data_prg_.random_bytes(m0);
        data_prg_.random_bytes(m1);
        m1[0] = static_cast<std::uint8_t>(m0[0] ^ 1);  // the two sides always differ
        std::vector<std::uint8_t> choices(n);
        data_prg_.random_bits(choices);
        std::vector<std::uint8_t> out(n * length);
        run([&] { sender_.send(link_.sender, sender_prg_, m0, m1, length); },
            [&] { receiver_.receive(link_.receiver, receiver_prg_, choices, length, out); });
        for (std::size_t j = 0; j < n; ++j) {
            const auto& chosen = choices[j] ? m1 : m0;
            ASSERT_TRUE(std::equal(out.begin() + j * length, out.begin() + (j + 1) * length,
                                   chosen.begin() + j * length))
                << "length " << length << ", OT " << j;
            if (length >= 16) {  // random messages this long never collide
                const auto& other = choices[j] ? m0 : m1;
                ASSERT_FALSE(std::equal(out.begin() + j * length, out.begin() + (j + 1) * length,
                                        other.begin() + j * length));
            }
        }
        EXPECT_EQ(sender_sent(), 2 * n * length);
        EXPECT_EQ(receiver_sent(), 128 * ((n + 7) / 8));
    }
}

TEST_F(OtFlavours, OneOutOfNPicksTheRightEntry) {
    constexpr std::size_t n = 300;
    for (const int log_n : {1, 4, 8}) {
        const std::size_t entries = std::size_t{1} << log_n;
        for (const std::size_t length : {4U, 40U}) {
            std::vector<std::uint8_t> table(n * entries * length);
            data_prg_.random_bytes(table);
            std::vector<std::uint32_t> choices(n);
            for (auto& c : choices) c = static_cast<std::uint32_t>(data_prg_.random_u64() % entries);
            std::vector<std::uint8_t> out(n * length);
            run([&] { sender_.send_one_of_n(link_.sender, sender_prg_, table, log_n, length); },
                [&] { receiver_.receive_one_of_n(link_.receiver, receiver_prg_, choices, log_n, length, out); });
            for (std::size_t j = 0; j < n; ++j) {
                const auto entry = table.begin() + static_cast<std::ptrdiff_t>((j * entries + choices[j]) * length);
                ASSERT_TRUE(std::equal(out.begin() + j * length, out.begin() + (j + 1) * length, entry))
                    << "log N " << log_n << ", instance " << j;
            }
            EXPECT_EQ(sender_sent(), n * entries * length);
            EXPECT_EQ(receiver_sent(), 128 * ((n * log_n + 7) / 8));
        }
    }
}

// The flavours keep their buffers from call to call (core/scratch_buffer.h): a smaller
// call reuses a larger one's memory, a larger one grows it; every call must be right.
TEST_F(OtFlavours, CallsOfChangingSizesReuseScratchCorrectly) {
    constexpr int kBits = 41;
    constexpr int kLogN = 3;
    const std::uint64_t mask = (std::uint64_t{1} << kBits) - 1;
    for (const std::size_t n : {std::size_t{4000}, std::size_t{3}, std::size_t{9000}, std::size_t{1}, std::size_t{500}}) {
        std::vector<std::uint64_t> corr(n), x0(n), out(n);
        for (auto& c : corr) c = data_prg_.random_u64();
        std::vector<std::uint8_t> choices(n);
        data_prg_.random_bits(choices);
        run([&] { sender_.correlated_ot(link_.sender, sender_prg_, corr, kBits, x0); },
            [&] { receiver_.correlated_ot(link_.receiver, receiver_prg_, choices, kBits, out); });
        for (std::size_t j = 0; j < n; ++j) ASSERT_EQ(out[j], (x0[j] + choices[j] * corr[j]) & mask) << n << ", " << j;

        std::vector<std::uint8_t> table(n << kLogN);
        data_prg_.random_bytes(table);
        std::vector<std::uint32_t> picks(n);
        for (auto& c : picks) c = static_cast<std::uint32_t>(data_prg_.random_u64() % (1U << kLogN));
        std::vector<std::uint8_t> picked(n);
        run([&] { sender_.send_one_of_n(link_.sender, sender_prg_, table, kLogN, 1); },
            [&] { receiver_.receive_one_of_n(link_.receiver, receiver_prg_, picks, kLogN, 1, picked); });
        for (std::size_t j = 0; j < n; ++j) ASSERT_EQ(picked[j], table[(j << kLogN) + picks[j]]) << n << ", " << j;
    }
}

// Several workers split the extension's rows, the transpose, the hashing and the
// 1-out-of-N masking; every flavour must still deliver the right messages.
TEST_F(OtFlavours, ThreadedFlavoursDeliverTheChosenMessages) {
    for (const int threads : {2, 3}) {
        cot_sender_.set_threads(threads);
        cot_receiver_.set_threads(threads);
        sender_.set_threads(threads);
        receiver_.set_threads(threads);
        constexpr std::size_t n = 20000;  // more than one IKNP chunk
        constexpr int log_n = 4;
        const std::size_t entries = std::size_t{1} << log_n;
        std::vector<std::uint8_t> table(n * entries);
        data_prg_.random_bytes(table);
        std::vector<std::uint32_t> choices(n);
        for (auto& c : choices) c = static_cast<std::uint32_t>(data_prg_.random_u64() % entries);
        std::vector<std::uint8_t> out(n);
        run([&] { sender_.send_one_of_n(link_.sender, sender_prg_, table, log_n, 1); },
            [&] { receiver_.receive_one_of_n(link_.receiver, receiver_prg_, choices, log_n, 1, out); });
        for (std::size_t j = 0; j < n; ++j) ASSERT_EQ(out[j], table[j * entries + choices[j]]) << threads << ", " << j;

        std::vector<std::uint64_t> corr(n), x0(n), received(n);
        for (auto& c : corr) c = data_prg_.random_u64() & 0xffffff;
        std::vector<std::uint8_t> bits(n);
        for (auto& b : bits) b = static_cast<std::uint8_t>(data_prg_.random_u64() & 1U);
        run([&] { sender_.correlated_ot(link_.sender, sender_prg_, corr, 24, x0); },
            [&] { receiver_.correlated_ot(link_.receiver, receiver_prg_, bits, 24, received); });
        for (std::size_t j = 0; j < n; ++j)
            ASSERT_EQ(received[j], (x0[j] + (bits[j] ? corr[j] : 0)) & 0xffffff) << threads << ", " << j;
    }
}

TEST_F(OtFlavours, LongMessagesTravelInPiecesAndEmptyBatchesWork) {
    constexpr std::size_t n = 2;
    constexpr std::size_t length = std::size_t{20} << 20;  // 80 MiB in all: two frames
    std::vector<std::uint8_t> m0(n * length);
    std::vector<std::uint8_t> m1(n * length);
    data_prg_.random_bytes(m0);
    data_prg_.random_bytes(m1);
    const std::vector<std::uint8_t> choices = {1, 0};
    std::vector<std::uint8_t> out(n * length);
    run([&] { sender_.send(link_.sender, sender_prg_, m0, m1, length); },
        [&] { receiver_.receive(link_.receiver, receiver_prg_, choices, length, out); });
    EXPECT_TRUE(std::equal(out.begin(), out.begin() + length, m1.begin()));
    EXPECT_TRUE(std::equal(out.begin() + length, out.end(), m0.begin() + length));
    EXPECT_EQ(sender_sent(), 2 * n * length);
    EXPECT_EQ((link_.sender.stats() - sent_before_).messages_sent, 2U);  // the COTs send nothing this way

    std::vector<std::uint8_t> none;
    run([&] { sender_.send(link_.sender, sender_prg_, none, none, 8); },
        [&] { receiver_.receive(link_.receiver, receiver_prg_, none, 8, none); });
    EXPECT_EQ(sender_sent(), 0U);
}

TEST_F(OtFlavours, RejectsBadInputBeforeTouchingTheChannel) {
    std::vector<std::uint64_t> corr(4);
    std::vector<std::uint64_t> x0(4);
    EXPECT_THROW(sender_.correlated_ot(link_.sender, sender_prg_, corr, 0, x0), InvalidInput);
    EXPECT_THROW(sender_.correlated_ot(link_.sender, sender_prg_, corr, 65, x0), InvalidInput);
    std::vector<std::uint8_t> m0(10);
    std::vector<std::uint8_t> m1(12);
    EXPECT_THROW(sender_.send(link_.sender, sender_prg_, m0, m1, 2), InvalidInput);
    EXPECT_THROW(sender_.send(link_.sender, sender_prg_, m0, m0, 3), InvalidInput);
    std::vector<std::uint32_t> choices = {0, 16};
    std::vector<std::uint8_t> out(2);
    EXPECT_THROW(receiver_.receive_one_of_n(link_.receiver, receiver_prg_, choices, 4, 1, out), InvalidInput);
    EXPECT_THROW(receiver_.receive_one_of_n(link_.receiver, receiver_prg_, choices, 17, 1, out), InvalidInput);
    std::vector<std::uint8_t> bad_bits = {0, 2};
    EXPECT_THROW(receiver_.receive(link_.receiver, receiver_prg_, bad_bits, 1, out), InvalidInput);
    EXPECT_EQ(cot_sender_.produced(), 0U);
    EXPECT_EQ(cot_receiver_.produced(), 0U);
}

}  // namespace
}  // namespace snnipred::crypto::ot
