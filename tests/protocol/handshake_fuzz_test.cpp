// Seeded mutation fuzzing of the handshake parser (support/mutation_fuzz.h): handshakes of
// zoo networks under both HE sets, and a refusal, damaged at random, must parse or end in a
// snnipred::Error.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "snnipred/model/network_digest.h"
#include "snnipred/model/zoo.h"
#include "snnipred/protocol/plan.h"
#include "support/mutation_fuzz.h"

namespace snnipred::protocol {
namespace {

TEST(HandshakeFuzz, MutatedHandshakesParseOrFailCleanly) {
    std::vector<std::string> seeds{std::string(kRefusalMagic) + "\nbusy with 4 clients"};
    for (const char* name : {"lenet5", "resnet50"})
        for (const HeSet set : {HeSet::kSecure, HeSet::kCheetah}) {
            const Network network = zoo_network(name);
            const PlanOptions options{RingConfig{}, he_layout(set, TruncationMode::kApproximate), TruncationMode::kApproximate};
            seeds.push_back(handshake_message(network, options, network_digest(network)));
        }
    const auto stats = test_support::fuzz("handshake", seeds, [](const std::string& text) { parse_handshake(text); });
    EXPECT_EQ(stats.failures, 0u);
    EXPECT_GT(stats.rejected, 0u);
}

}  // namespace
}  // namespace snnipred::protocol
