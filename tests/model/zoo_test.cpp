#include "snnipred/model/zoo.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "snnipred/core/error.h"
#include "snnipred/model/features.h"

namespace snnipred {
namespace {

struct Expected {
    std::string name;
    std::int64_t params;  // sum(p.numel() for p in model.parameters()), torchvision 0.14
    Shape output;
};

class ZooNetworkTest : public ::testing::TestWithParam<Expected> {};

TEST_P(ZooNetworkTest, MatchesReferenceParametersAndOutput) {
    const Expected& expected = GetParam();
    const Network net = zoo_network(expected.name);
    EXPECT_EQ(net.name(), expected.name);
    EXPECT_EQ(network_totals(net).params, expected.params);
    EXPECT_EQ(net.output().output, expected.output);
}

INSTANTIATE_TEST_SUITE_P(
    Zoo, ZooNetworkTest,
    ::testing::Values(Expected{"resnet18", 11'689'512, {1000, 1, 1}}, Expected{"resnet50", 25'557'032, {1000, 1, 1}},
                      Expected{"densenet121", 7'978'856, {1000, 1, 1}},
                      Expected{"squeezenet1_0", 1'248'424, {1000, 1, 1}},
                      Expected{"squeezenet1_1", 1'235'496, {1000, 1, 1}},
                      Expected{"mobilenet_v2", 3'504'872, {1000, 1, 1}},
                      Expected{"vgg16", 138'357'544, {1000, 1, 1}},
                      // 3*9*64+64 + 4*(64*9*64+64) + 64*64+64 + 64*16+16 + 1024*10+10
                      Expected{"minionn", 164'954, {10, 1, 1}},
                      // 156 + 2'416 + 48'120 + 10'164 + 850, the classic LeNet-5 count
                      Expected{"lenet5", 61'706, {10, 1, 1}}),
    [](const ::testing::TestParamInfo<Expected>& info) { return info.param.name; });

TEST(ZooTest, EntriesAreSortedUniqueAndAllBuild) {
    const auto& entries = zoo_entries();
    ASSERT_EQ(entries.size(), 12u);
    EXPECT_TRUE(std::ranges::is_sorted(entries, {}, &ZooEntry::name));
    EXPECT_EQ(std::ranges::adjacent_find(entries, {}, &ZooEntry::name), entries.end());
    for (const ZooEntry& entry : entries) {
        EXPECT_FALSE(entry.description.empty()) << entry.name;
        EXPECT_EQ(zoo_network(entry.name).name(), entry.name);
    }
}

TEST(ZooTest, UnknownNameThrowsNamingItAndTheValidNames) {
    try {
        zoo_network("resnet19");
        FAIL() << "expected InvalidInput";
    } catch (const InvalidInput& error) {
        const std::string message = error.what();
        EXPECT_NE(message.find("'resnet19'"), std::string::npos) << message;
        for (const ZooEntry& entry : zoo_entries())
            EXPECT_NE(message.find(entry.name), std::string::npos) << message;
    }
}

TEST(ZooTest, Lenet5MacsAndRelus) {
    // conv1 6x28x28 outputs * 25 = 117'600; conv2 16x10x10 * 6*25 = 240'000;
    // fc 400*120 + 120*84 + 84*10 = 58'920. ReLUs 4'704 + 1'600 + 120 + 84.
    const NetworkTotals totals = network_totals(zoo_network("lenet5"));
    EXPECT_EQ(totals.macs, 416'520);
    EXPECT_EQ(totals.relus, 6'508);
    EXPECT_EQ(totals.comparisons, 6'508 + 3 * (6 * 14 * 14 + 16 * 5 * 5));
}

TEST(ZooTest, MinionnMacsAndRelus) {
    // 3x3 convs: 32x32 * (3 + 64) * 9 * 64, 16x16 * 2 * 64*9*64, 8x8 * 64*9*64;
    // 1x1 convs: 8x8 * (64*64 + 64*16); fc 1024*10.
    constexpr std::int64_t kMacs = 1024LL * 67 * 9 * 64 + 256LL * 2 * 64 * 9 * 64 + 64LL * 64 * 9 * 64 +
                                   64LL * (64 * 64 + 64 * 16) + 1024 * 10;
    static_assert(kMacs == 61'089'792);
    const NetworkTotals totals = network_totals(zoo_network("minionn"));
    EXPECT_EQ(totals.macs, kMacs);
    EXPECT_EQ(totals.relus, 2 * 64 * 1024 + 2 * 64 * 256 + 2 * 64 * 64 + 16 * 64);
    EXPECT_EQ(totals.comparisons, totals.relus);  // average pooling needs no comparison
}

TEST(ZooTest, Resnet18MacsMatchTheQuotedFigure) {
    // conv1 118'013'952 + layer1 4 * 115'605'504 + layers 2-4 3 * 411'041'792 + fc 512'000,
    // the 1.814 GMAC usually quoted for ResNet-18 (convs and FC, downsamples included).
    EXPECT_EQ(network_totals(zoo_network("resnet18")).macs, 1'814'073'344);
}

TEST(ZooTest, SqueezenetPoolsRoundUp) {
    // 1.0: 224 -7/2-> 109 -pool-> 54 -pool-> 27 (floor mode would give 26) -pool-> 13.
    const Network v10 = zoo_network("squeezenet1_0");
    EXPECT_EQ(v10.find("features.6")->output, (Shape{256, 27, 27}));
    EXPECT_EQ(v10.find("features.12.cat")->output, (Shape{512, 13, 13}));
    // 1.1: 224 -3/2-> 111 -pool-> 55 -pool-> 27 -pool-> 13.
    const Network v11 = zoo_network("squeezenet1_1");
    EXPECT_EQ(v11.find("features.2")->output, (Shape{64, 55, 55}));
    EXPECT_EQ(v11.find("features.12.cat")->output, (Shape{512, 13, 13}));
}

TEST(ZooTest, ResidualAndDenseStructure) {
    const NetworkTotals resnet50 = network_totals(zoo_network("resnet50"));
    EXPECT_EQ(resnet50.layers_by_type.at("add"), 16);
    EXPECT_EQ(resnet50.layers_by_type.at("conv"), 1 + 16 * 3 + 4);  // stem, blocks, downsamples

    const Network mobilenet = zoo_network("mobilenet_v2");
    const NetworkTotals mobile = network_totals(mobilenet);
    EXPECT_EQ(mobile.layers_by_type.at("add"), 10);  // stride-1 blocks that keep their width
    EXPECT_EQ(mobile.layers_by_type.at("relu6"), 35);
    EXPECT_EQ(mobilenet.find("features.2.conv.1.0")->groups, 96);  // depthwise

    const Network densenet = zoo_network("densenet121");
    EXPECT_EQ(network_totals(densenet).layers_by_type.at("conv"), 1 + 2 * 58 + 3);
    EXPECT_EQ(densenet.find("features.norm5")->output, (Shape{1024, 7, 7}));
}

}  // namespace
}  // namespace snnipred
