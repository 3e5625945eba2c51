// 1-out-of-N OT with bit entries (OtSender::send_one_of_n_bits) against the plain table
// lookup, on IKNP and on Ferret (small test parameters, so batches cross refills).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "loopback.h"
#include "snnipred/core/error.h"
#include "snnipred/crypto/ot/ferret.h"
#include "snnipred/crypto/ot/iknp.h"
#include "snnipred/crypto/ot/ot.h"

namespace snnipred::crypto::ot {
namespace {

enum class Extension { kIknp, kFerret };

class OneOfNBits : public ::testing::TestWithParam<Extension> {
protected:
    void SetUp() override {
        if (GetParam() == Extension::kIknp) {
            cot_sender_ = std::make_unique<IknpSender>();
            cot_receiver_ = std::make_unique<IknpReceiver>();
        } else {
            cot_sender_ = std::make_unique<FerretSender>(FerretParams::insecure_for_tests());
            cot_receiver_ = std::make_unique<FerretReceiver>(FerretParams::insecure_for_tests());
        }
        sender_ = std::make_unique<OtSender>(*cot_sender_);
        receiver_ = std::make_unique<OtReceiver>(*cot_receiver_);
        testing::run_parties([&] { cot_sender_->setup(link_.sender, sender_prg_); },
                             [&] { cot_receiver_->setup(link_.receiver, receiver_prg_); });
    }

    // Random entries of each shape's width; returns them with the choices' entries.
    std::vector<std::uint8_t> random_entries(const std::vector<BitTableShape>& shapes) {
        std::vector<std::uint8_t> entries;
        for (const BitTableShape& shape : shapes)
            for (std::size_t x = 0; x < (std::size_t{1} << shape.log_n); ++x)
                entries.push_back(static_cast<std::uint8_t>(data_prg_.random_u64() & ((1U << shape.entry_bits) - 1)));
        return entries;
    }

    // Runs the OT and checks every instance got its chosen entry; returns the sender's bytes.
    std::uint64_t transfer_and_check(const std::vector<BitTableShape>& shapes,
                                     const std::vector<std::uint32_t>& choices) {
        const std::vector<std::uint8_t> entries = random_entries(shapes);
        std::vector<std::uint8_t> out(shapes.size(), 0xFF);
        const std::uint64_t before = link_.sender.stats().bytes_sent;
        testing::run_parties([&] { sender_->send_one_of_n_bits(link_.sender, sender_prg_, shapes, entries); },
                             [&] { receiver_->receive_one_of_n_bits(link_.receiver, receiver_prg_, shapes, choices, out); });
        std::size_t first = 0;
        for (std::size_t j = 0; j < shapes.size(); ++j) {
            EXPECT_EQ(out[j], entries[first + choices[j]]) << "instance " << j << " log N " << shapes[j].log_n;
            first += std::size_t{1} << shapes[j].log_n;
        }
        return link_.sender.stats().bytes_sent - before;
    }

    // The sender's bytes of a batch are its table, plus with Ferret the level sums of every
    // refill the batch triggered.
    void expect_table_bytes(std::uint64_t sent, std::uint64_t table) const {
        if (GetParam() == Extension::kIknp) {
            EXPECT_EQ(sent, table);
            return;
        }
        const LpnParams& main = FerretParams::insecure_for_tests().main;
        const std::uint64_t refill = main.t * (2 * static_cast<std::uint64_t>(main.depth()) + 1) * sizeof(Block);
        ASSERT_GE(sent, table);
        EXPECT_EQ((sent - table) % refill, 0U) << sent << " bytes for a table of " << table;
    }

    testing::Loopback link_ = testing::connect_loopback();
    Prg sender_prg_;
    Prg receiver_prg_;
    Prg data_prg_{Block{2026, 12}};
    std::unique_ptr<CotSender> cot_sender_;
    std::unique_ptr<CotReceiver> cot_receiver_;
    std::unique_ptr<OtSender> sender_;
    std::unique_ptr<OtReceiver> receiver_;
};

TEST_P(OneOfNBits, EveryShapePicksTheChosenEntryAndSendsPackedBits) {
    for (int log_n = 1; log_n <= 8; ++log_n)
        for (int entry_bits = 1; entry_bits <= 8; ++entry_bits) {
            const std::size_t n = 37;  // not a multiple of 8: the last byte is partly used
            const std::vector<BitTableShape> shapes(n, BitTableShape{log_n, entry_bits});
            std::vector<std::uint32_t> choices(n);
            const std::uint32_t top = (std::uint32_t{1} << log_n) - 1;
            for (std::size_t j = 0; j < n; ++j)  // all-zero and all-one choices, then random ones
                choices[j] = j == 0 ? 0 : j == 1 ? top : static_cast<std::uint32_t>(data_prg_.random_u64() & top);
            SCOPED_TRACE("log N " + std::to_string(log_n) + ", " + std::to_string(entry_bits) + " bits");
            expect_table_bytes(transfer_and_check(shapes, choices),
                               (n * (std::size_t{1} << log_n) * static_cast<std::size_t>(entry_bits) + 7) / 8);
        }
}

TEST_P(OneOfNBits, MixedShapesInOneBatchAcrossRefillsAndThreads) {
    // What the lean comparison sends: 1-bit entries for the lowest digit, 2-bit ones above,
    // a narrower top digit. 6,000 instances use ~16,000 COTs: several refills of the small
    // Ferret set (4,096 COTs each).
    std::vector<BitTableShape> shapes;
    for (int i = 0; i < 2000; ++i)
        for (const BitTableShape shape : {BitTableShape{3, 1}, BitTableShape{3, 2}, BitTableShape{1, 2}})
            shapes.push_back(shape);
    for (const int threads : {1, 3}) {
        sender_->set_threads(threads);
        receiver_->set_threads(threads);
        std::vector<std::uint32_t> choices(shapes.size());
        for (std::size_t j = 0; j < shapes.size(); ++j)
            choices[j] = static_cast<std::uint32_t>(data_prg_.random_u64() & ((1U << shapes[j].log_n) - 1));
        expect_table_bytes(transfer_and_check(shapes, choices), (2000 * (8 + 16 + 4) + 7) / 8);
    }
}

TEST_P(OneOfNBits, RejectsBadInputBeforeTouchingTheChannel) {
    const std::vector<BitTableShape> bad_width{{2, 9}}, bad_n{{0, 1}}, too_big{{kMaxLogN + 1, 1}}, fine{{2, 2}};
    const std::vector<std::uint8_t> four(4, 1), three(3, 1), wide{0, 1, 2, 4};
    for (const auto* shapes : {&bad_width, &bad_n, &too_big})
        EXPECT_THROW(sender_->send_one_of_n_bits(link_.sender, sender_prg_, *shapes, four), InvalidInput);
    EXPECT_THROW(sender_->send_one_of_n_bits(link_.sender, sender_prg_, fine, three), InvalidInput);
    EXPECT_THROW(sender_->send_one_of_n_bits(link_.sender, sender_prg_, fine, wide), InvalidInput);  // 4 > 2 bits
    std::vector<std::uint8_t> out(1);
    const std::vector<std::uint32_t> above{4}, two{0, 1};
    EXPECT_THROW(receiver_->receive_one_of_n_bits(link_.receiver, receiver_prg_, fine, above, out), InvalidInput);
    EXPECT_THROW(receiver_->receive_one_of_n_bits(link_.receiver, receiver_prg_, fine, two, out), InvalidInput);
    EXPECT_EQ(cot_sender_->produced(), 0U);
    EXPECT_EQ(cot_receiver_->produced(), 0U);
}

TEST_P(OneOfNBits, APeerSendingTheWrongLengthOrLeavingIsANetworkError) {
    const std::vector<BitTableShape> shapes(10, BitTableShape{3, 2});
    const std::vector<std::uint32_t> choices(10, 5);
    std::vector<std::uint8_t> out(10);
    // The sender does its COTs, then sends one byte too few.
    EXPECT_THROW(testing::run_parties(
                     [&] {
                         std::vector<Block> q(30);
                         cot_sender_->chosen_cot(link_.sender, sender_prg_, q);
                         const std::vector<std::uint8_t> short_table(10 * 8 * 2 / 8 - 1);
                         link_.sender.send(std::span<const std::uint8_t>(short_table));
                         link_.sender.flush();
                     },
                     [&] { receiver_->receive_one_of_n_bits(link_.receiver, receiver_prg_, shapes, choices, out); }),
                 NetworkError);
    // The sender is gone.
    { net::Channel gone = std::move(link_.sender); }
    EXPECT_THROW(receiver_->receive_one_of_n_bits(link_.receiver, receiver_prg_, shapes, choices, out), NetworkError);
}

INSTANTIATE_TEST_SUITE_P(Extensions, OneOfNBits, ::testing::Values(Extension::kIknp, Extension::kFerret),
                         [](const ::testing::TestParamInfo<Extension>& info) {
                             return info.param == Extension::kIknp ? "iknp" : "ferret";
                         });

}  // namespace
}  // namespace snnipred::crypto::ot
