#include "snnipred/engine/hom_session.h"

#include <gtest/gtest.h>

#include "hom_test_util.h"
#include "snnipred/core/error.h"
#include "snnipred/crypto/he/response_wire.h"

namespace snnipred::engine {
namespace {

namespace he = crypto::he;

// The protocol plan's view of each set (response wire widths included) is what the
// engine's sessions use, or the plan's byte counts would drift from the wire.
TEST(HomSession, LayoutOfEachSetIsThePlans) {
    for (const protocol::HeSet set : {protocol::HeSet::kSecure, protocol::HeSet::kCheetah})
        for (const auto truncation : {protocol::TruncationMode::kFaithful, protocol::TruncationMode::kApproximate}) {
            HomConfig config = HomConfig::of(set);
            config.response_error_bits = protocol::response_error_bits(truncation, RingConfig{});
            testing::HomPair pair(config);
            const protocol::HeLayout planned = protocol::he_layout(set, truncation);
            const std::string label =
                std::string(protocol::he_set_name(set)) + " " + std::string(protocol::truncation_mode_name(truncation));
            EXPECT_EQ(pair.server().layout(), planned) << label;
            EXPECT_EQ(pair.client().layout(), planned) << label;
            EXPECT_EQ(config.layout(), planned) << label;
        }
}

// A deviating server that sends one byte too few, or responses for another layer, gets a
// clear InvalidInput at the client, not a crash.
TEST(HomSession, ClientRejectsResponsesOfTheWrongLength) {
    testing::HomPair pair(HomConfig::cheetah_n4096());
    const he::ReadPositions positions{{0, 1, 2}, {7}};
    const std::size_t size = he::ResponseCodec(pair.client().context(), HomConfig::cheetah_n4096().rounding(
                                                                             *pair.client().context()))
                                 .size(positions.size(), 4);
    for (const std::size_t sent : {size - 1, size + 1, std::size_t{0}}) {
        auto [unused, error] = pair.run(
            [&](net::Channel& channel, he::Prng&) {
                channel.send(std::vector<std::byte>(sent));
                channel.flush();
                return 0;
            },
            [&](net::Channel& channel, he::Prng&) {
                try {
                    pair.client().receive_outputs(positions, channel);
                } catch (const InvalidInput& e) {
                    return std::string(e.what());
                }
                return std::string("no error");
            });
        EXPECT_NE(error.find("response message"), std::string::npos) << sent << " bytes: " << error;
    }
}

}  // namespace
}  // namespace snnipred::engine
