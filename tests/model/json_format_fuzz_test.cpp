// Seeded mutation fuzzing of the JSON network reader (support/mutation_fuzz.h): zoo networks
// written as JSON, damaged at random (bytes, and the numbers of shapes, attributes and
// counts), must read or end in a snnipred::Error.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "snnipred/model/json_format.h"
#include "snnipred/model/zoo.h"
#include "support/mutation_fuzz.h"

namespace snnipred {
namespace {

TEST(JsonFormatFuzz, MutatedNetworksReadOrFailCleanly) {
    std::vector<std::string> seeds;
    for (const char* name : {"lenet5", "minionn", "squeezenet1_1", "mobilenet_v2"})
        seeds.push_back(network_to_json(zoo_network(name)));
    const auto stats =
        test_support::fuzz("json", seeds, [](const std::string& text) { network_from_json(text, "fuzz.json"); });
    EXPECT_EQ(stats.failures, 0u);
    EXPECT_GT(stats.rejected, 0u);
}

}  // namespace
}  // namespace snnipred
