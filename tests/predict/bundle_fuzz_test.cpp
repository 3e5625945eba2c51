// Seeded mutation fuzzing of the bundle reader (support/mutation_fuzz.h): a small analytical
// bundle and the repository's cheetah-sec24 bundle, damaged at random, must parse or end in
// a snnipred::Error. Half the mutations hit the raw bytes (framing, lengths, checksums); the
// other half one section's body with its length and checksum recomputed, so that the
// manifest and model readers behind the checksum see the damage too.
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "snnipred/predict/bundle.h"
#include "support/bundle_sections.h"
#include "support/mutation_fuzz.h"

namespace snnipred::predict {
namespace {

std::string small_bundle_bytes() {
    const std::string lan = std::string(SNNIPRED_SHARED_DIR) + "/data/cheetah-sec24/LAN";
    Dataset data;
    data.records = read_cheetah_file(lan + "/FC_onlyTime_client.csv", "LAN");
    BundleRecipe recipe;
    recipe.methods = {Method::kAnalytical};
    return serialize_bundle(train_bundle(data, recipe, lan));
}

std::string read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

TEST(BundleFuzz, MutatedBundlesParseOrFailCleanly) {
    const std::vector<std::string> seeds{
        small_bundle_bytes(), read_bytes(std::string(SNNIPRED_SOURCE_DIR) + "/predictors/cheetah-sec24.bundle")};
    ASSERT_GT(seeds[1].size(), 100'000u);
    const auto stats = test_support::fuzz(
        "bundle", seeds, [](const std::string& bytes) { parse_bundle(bytes, "fuzz.bundle"); },
        [](test_support::Mutator& mutate, const std::string& seed) {
            if (mutate.below(2) == 0) return mutate(seed);
            const std::vector<std::string> names = test_support::section_names(seed);
            return test_support::with_rewritten_section(seed, names[mutate.below(names.size())],
                                                        [&](const std::string& body) { return mutate(body); });
        });
    EXPECT_EQ(stats.failures, 0u);
    EXPECT_GT(stats.rejected, 0u);
}

}  // namespace
}  // namespace snnipred::predict
