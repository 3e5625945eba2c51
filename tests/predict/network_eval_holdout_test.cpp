// Choosing held-out networks: explicit names, a seeded random draw per setting, errors.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "snnipred/predict/network_evaluation.h"
#include "support/expect_error.h"

namespace snnipred::predict {
namespace {

std::vector<NetworkSample> samples_of(const std::vector<std::string>& names, const std::vector<std::string>& settings) {
    std::vector<NetworkSample> samples;
    const Network net("x", Shape{1, 1, 1});
    for (const std::string& setting : settings)
        for (const std::string& name : names) samples.push_back({name, setting, "", net, 1, 1});
    return samples;
}

const std::vector<std::string> kNames{"resnet50", "gen-0", "gen-1", "gen-2", "gen-3", "gen-4", "gen-5"};

TEST(NetworkHoldout, ExplicitNamesAndRandomDrawsPerSetting) {
    const auto samples = samples_of(kNames, {"LAN", "WAN"});
    const HeldOutNetworks held = select_holdout(samples, {{"resnet50"}, 2, 3});
    ASSERT_EQ(held.size(), 2u);
    for (const auto& [setting, names] : held) {
        EXPECT_EQ(names.size(), 3u) << setting;
        EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
        EXPECT_EQ(std::count(names.begin(), names.end(), "resnet50"), 1);
    }
    EXPECT_EQ(select_holdout(samples, {{"resnet50"}, 2, 3}), held);  // reproducible
    bool differs = false;
    for (std::uint64_t seed = 4; seed < 12; ++seed)
        differs = differs || select_holdout(samples, {{"resnet50"}, 2, seed}) != held;
    EXPECT_TRUE(differs);
    EXPECT_EQ(all_networks(samples).at("LAN").size(), kNames.size());
}

TEST(NetworkHoldout, NamesOnlyHeldOutWhereTheyWereMeasured) {
    auto samples = samples_of(kNames, {"LAN"});
    const auto wan = samples_of({"gen-0"}, {"WAN"});
    samples.insert(samples.end(), wan.begin(), wan.end());
    const HeldOutNetworks held = select_holdout(samples, {{"resnet50"}, 0, 1});
    ASSERT_EQ(held.size(), 1u);
    EXPECT_EQ(held.at("LAN"), std::vector<std::string>{"resnet50"});
}

TEST(NetworkHoldout, RejectsUnknownNamesAndImpossibleDraws) {
    const auto samples = samples_of(kNames, {"LAN"});
    test_support::expect_error_containing<InvalidInput>([&] { select_holdout(samples, {{"densenet121"}, 0, 1}); },
                                                        "'densenet121' (known: gen-0, gen-1");
    test_support::expect_error_containing<ConfigError>([&] { select_holdout(samples, {{"resnet50"}, 7, 1}); },
                                                       "only 6 are not held out");
    test_support::expect_error_containing<ConfigError>([&] { select_holdout(samples, {{}, 0, 1}); },
                                                       "nothing held out");
    test_support::expect_error_containing<ConfigError>([&] { select_holdout(samples, {{}, -1, 1}); }, "negative");
}

}  // namespace
}  // namespace snnipred::predict
