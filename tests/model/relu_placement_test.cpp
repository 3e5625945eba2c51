// ReLUs moved after the max pools they feed: which move, what the rewritten graph reads,
// and that folding and moving compose.
#include <gtest/gtest.h>

#include "snnipred/model/batchnorm_folding.h"
#include "snnipred/model/relu_placement.h"
#include "snnipred/model/zoo.h"

namespace snnipred {
namespace {

std::int64_t relu_elements(const Network& network) {
    std::int64_t n = 0;
    for (const Layer& layer : network.layers())
        if (layer.type == LayerType::kRelu) n += layer.output.elements();
    return n;
}

TEST(ReluPlacement, SqueezenetsPoolsTakeTheirReluAfterThem) {
    const Network original = zoo_network("squeezenet1_1");
    const RewrittenNetwork moved = relus_after_max_pools(as_loaded(original));
    // The stem's ReLU, and the two expand ReLUs of fire modules 4 and 7 (their concat feeds a pool).
    EXPECT_EQ(moved.relus_moved, 5u);
    EXPECT_EQ(moved.describe_relus(), "5 ReLU layers applied after the max pool they fed");
    EXPECT_EQ(moved.network.layers().size(), original.layers().size() - 2);  // two ReLUs merged away
    EXPECT_EQ(moved.network.output().output, original.output().output);
    // 64×111×111 → 64×55×55, 2 × 64×55×55 → 128×27×27, 2 × 128×27×27 → 256×13×13.
    EXPECT_EQ(relu_elements(original) - relu_elements(moved.network),
              64 * (111 * 111 - 55 * 55) + 128 * (55 * 55 - 27 * 27) + 256 * (27 * 27 - 13 * 13));
    const Layer& stem_pool = *moved.network.find("features.2");
    EXPECT_EQ(stem_pool.inputs, std::vector<std::string>{"features.0"});
    EXPECT_EQ(moved.network.find("features.1")->inputs, std::vector<std::string>{"features.2"});
    for (std::size_t i = 0; i < moved.source.size(); ++i)
        EXPECT_EQ(moved.network.layers()[i].name, original.layers()[moved.source[i]].name);
}

TEST(ReluPlacement, AReluReadElsewhereOrAConcatOfOtherLayersStays) {
    Network net("n", Shape{2, 8, 8});
    net.add(conv_layer("c", "input", 2, 1));
    net.add(simple_layer(LayerType::kRelu, "shared", {"c"}));
    net.add(pool_layer(LayerType::kMaxPool, "p1", "shared", 2, 2));
    net.add(pool_layer(LayerType::kMaxPool, "side", "shared", 2, 2));  // a second reader
    net.add(simple_layer(LayerType::kRelu, "r", {"c"}));
    net.add(simple_layer(LayerType::kConcat, "cat", {"r", "c"}));  // c is no ReLU
    net.add(pool_layer(LayerType::kMaxPool, "p2", "cat", 2, 2));
    net.add(simple_layer(LayerType::kConcat, "both", {"p1", "side"}));
    net.add(simple_layer(LayerType::kAdd, "sum", {"p2", "both"}));
    const RewrittenNetwork moved = relus_after_max_pools(as_loaded(net));
    EXPECT_EQ(moved.relus_moved, 0u);
    EXPECT_EQ(moved.network, net);
}

TEST(ReluPlacement, APoolThatIsTheOutputEndsWithItsRelu) {
    Network net("n", Shape{2, 8, 8});
    net.add(conv_layer("c", "input", 2, 1));
    net.add(simple_layer(LayerType::kRelu, "r", {"c"}));
    net.add(pool_layer(LayerType::kMaxPool, "p", "r", 3, 2));
    const RewrittenNetwork moved = relus_after_max_pools(as_loaded(net));
    ASSERT_EQ(moved.network.layers().size(), 4u);
    EXPECT_EQ(moved.network.output().name, "r");
    EXPECT_EQ(moved.network.output().output, net.output().output);
    EXPECT_EQ(moved.network.find("p")->inputs, std::vector<std::string>{"c"});
    EXPECT_EQ(moved.source, (std::vector<std::size_t>{0, 1, 3, 2}));
}

TEST(ReluPlacement, FoldingThenMovingKeepsEveryLayersSourceAndNorm) {
    const Network original = zoo_network("resnet50");
    const RewrittenNetwork both = rewrite_network(original, {.fold_batchnorm = true, .relu_after_pool = true});
    EXPECT_EQ(both.folded_count(), 53u);
    EXPECT_EQ(both.relus_moved, 1u);  // the stem's; the blocks have no pools
    EXPECT_EQ(both.describe_relus(), "1 ReLU layer applied after the max pool it fed");
    EXPECT_EQ(both.describe_batchnorms(), "53 of 53 batch norms folded into the conv or fc before them");
    for (std::size_t i = 0; i < both.source.size(); ++i) {
        EXPECT_EQ(both.network.layers()[i].name, original.layers()[both.source[i]].name);
        if (both.absorbed[i])
            EXPECT_EQ(original.layers()[*both.absorbed[i]].inputs.front(), both.network.layers()[i].name);
    }
    const RewrittenNetwork neither = rewrite_network(original, {});
    EXPECT_EQ(neither.network, original);
    EXPECT_EQ(neither.describe_batchnorms(), kBatchNormsNotFolded);
    EXPECT_EQ(neither.describe_relus(), kReluWhereWritten);
}

}  // namespace
}  // namespace snnipred
