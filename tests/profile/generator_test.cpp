#include "snnipred/profile/generator.h"

#include <algorithm>
#include <set>

#include <gtest/gtest.h>

#include "profile/profile_test_util.h"
#include "snnipred/core/error.h"
#include "snnipred/profile/cost.h"
#include "support/expect_error.h"

namespace snnipred::profile {
namespace {

GeneratorSpec paper_spec() {
    GeneratorSpec spec;  // 224x224x3 inputs
    spec.cost = CostModel{.relu_s = 1e-6, .trunc_s = 5e-7, .mac_s = 1e-9, .cap_s = 3.0};
    return spec;
}

bool has_type(const Network& network, LayerType type) {
    return std::any_of(network.layers().begin(), network.layers().end(),
                       [&](const Layer& layer) { return layer.type == type; });
}

TEST(Generator, IsDeterministicPerSeedFamilyAndIndex) {
    const GeneratorSpec spec = paper_spec();
    for (const std::string& family : generator_families()) {
        EXPECT_EQ(generate_network(family, 3, spec, 11), generate_network(family, 3, spec, 11)) << family;
        EXPECT_FALSE(generate_network(family, 3, spec, 11) == generate_network(family, 4, spec, 11)) << family;
    }
    EXPECT_FALSE(generate_network("conv", 0, spec, 11) == generate_network("conv", 0, spec, 12));
}

TEST(Generator, EveryFamilyHasItsLayersAndRespectsTheCap) {
    const GeneratorSpec spec = paper_spec();
    for (const std::string& family : generator_families())
        for (int k = 0; k < 10; ++k) {
            const Network net = generate_network(family, k, spec, 5);
            EXPECT_EQ(net.name().rfind("gen-" + family + "-", 0), 0u) << net.name();
            EXPECT_EQ(net.input().output, (Shape{3, 224, 224}));
            EXPECT_LE(estimated_cost_s(count_costs(net), spec.cost), spec.cost.cap_s) << net.name();
            EXPECT_TRUE(has_type(net, family == "fc" ? LayerType::kFullyConnected : LayerType::kConv)) << net.name();
            if (family == "conv_maxpool") EXPECT_TRUE(has_type(net, LayerType::kMaxPool)) << net.name();
            if (family == "conv_avgpool") EXPECT_TRUE(has_type(net, LayerType::kAvgPool)) << net.name();
            if (family == "bn") EXPECT_TRUE(has_type(net, LayerType::kBatchNorm)) << net.name();
            if (family == "residual") EXPECT_TRUE(has_type(net, LayerType::kAdd)) << net.name();
            if (family == "concat") EXPECT_TRUE(has_type(net, LayerType::kConcat)) << net.name();
        }
}

TEST(Generator, ConvsUseThePapersRanges) {
    const GeneratorSpec spec = paper_spec();
    std::set<std::int64_t> kernels, strides;
    std::set<Padding> paddings;
    for (int k = 0; k < 40; ++k)
        for (const Layer& layer : generate_network("conv", k, spec, 9).layers()) {
            if (layer.type != LayerType::kConv) continue;
            kernels.insert(layer.window.kernel_h);
            strides.insert(layer.window.stride_h);
            const std::int64_t f = layer.out_channels;
            EXPECT_TRUE(f >= 16 && f <= 1024 && (f & (f - 1)) == 0) << f;
        }
    EXPECT_EQ(kernels, (std::set<std::int64_t>{1, 3, 5, 7}));
    EXPECT_EQ(strides, (std::set<std::int64_t>{1, 2}));
}

TEST(Generator, TooLowACapIsAClearError) {
    GeneratorSpec spec = paper_spec();
    spec.cost.cap_s = 1e-9;
    test_support::expect_error_containing<ConfigError>([&] { generate_network("conv", 0, spec, 1); }, "cap_s");
    test_support::expect_error_containing<ConfigError>([&] { generate_network("lstm", 0, spec, 1); }, "lstm");
}

TEST(Sweep, CoversEachKindsSpaceLogUniformly) {
    CostModel cost;
    cost.cap_s = 1e9;  // uncapped: the draw itself is under test
    for (const std::string& kind : sweep_kinds()) {
        std::vector<double> sizes;
        for (int k = 0; k < 60; ++k) {
            const Network net = generate_sweep(kind, k, cost, 3);
            EXPECT_EQ(net.name().rfind("sweep-" + kind + "-", 0), 0u);
            EXPECT_EQ(net.layers().size(), 2u) << net.name();
            sizes.push_back(static_cast<double>(net.input().output.elements()));
        }
        std::sort(sizes.begin(), sizes.end());
        // Log-uniform: the smallest and largest inputs are orders of magnitude apart.
        EXPECT_GT(sizes.back() / sizes.front(), 100.0) << kind;
    }
}

TEST(Sweep, RespectsTheCap) {
    CostModel cost;
    cost.cap_s = 0.05;
    for (const std::string& kind : sweep_kinds())
        for (int k = 0; k < 10; ++k)
            EXPECT_LE(estimated_cost_s(count_costs(generate_sweep(kind, k, cost, 3)), cost), cost.cap_s) << kind;
}

TEST(Sweep, RespectsTheFloorAndTheCap) {
    CostModel cost;
    cost.floor_s = 0.5;
    cost.cap_s = 2.0;
    for (const std::string& kind : {std::string("relu"), std::string("maxpool"), std::string("conv")})
        for (int k = 0; k < 5; ++k) {
            const double cost_s = estimated_cost_s(count_costs(generate_sweep(kind, k, cost, 3)), cost);
            EXPECT_GE(cost_s, cost.floor_s) << kind;
            EXPECT_LE(cost_s, cost.cap_s) << kind;
        }
}

TEST(CampaignNetworks, ListsFamiliesThenSweepsThenModelsWithUniqueNames) {
    Campaign campaign = testing::tiny_campaign(2);
    campaign.sweeps = {{"relu", 2}, {"conv", 1}};
    campaign.models = {"zoo:lenet5"};
    const std::vector<CampaignNetwork> networks = campaign_networks(campaign);
    ASSERT_EQ(networks.size(), generator_families().size() * 2 + 3 + 1);
    EXPECT_EQ(networks[0].network.name(), "gen-conv-0000");
    EXPECT_EQ(networks[1].network.name(), "gen-conv-0001");
    EXPECT_EQ(networks[networks.size() - 4].network.name(), "sweep-conv-0000");
    EXPECT_EQ(networks[networks.size() - 3].family, "sweep-relu");
    EXPECT_EQ(networks.back().family, "model");
    for (std::size_t k = 0; k < networks.size(); ++k) EXPECT_EQ(networks[k].index, k);
}

}  // namespace
}  // namespace snnipred::profile
