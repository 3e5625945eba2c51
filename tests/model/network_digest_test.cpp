#include "snnipred/model/network_digest.h"

#include <gtest/gtest.h>

#include "snnipred/model/zoo.h"

namespace snnipred {
namespace {

Network small(std::int64_t size, std::int64_t filters = 4) {
    Network net("small", Shape{3, size, size});
    net.add(conv_layer("c", "input", filters, 3, 1, 1));
    net.add(simple_layer(LayerType::kRelu, "r", {"c"}));
    return net;
}

TEST(NetworkDigest, SameStructureSameDigest) {
    EXPECT_EQ(network_digest(small(8)), network_digest(small(8)));
    EXPECT_EQ(network_digest(zoo_network("lenet5")), network_digest(zoo_network("lenet5")));
    EXPECT_EQ(network_digest(small(8)).size(), 16u);
}

TEST(NetworkDigest, ShapesAndAttributesChangeIt) {
    EXPECT_NE(network_digest(small(8)), network_digest(small(9)));
    EXPECT_NE(network_digest(small(8)), network_digest(small(8, 5)));
    Network strided("small", Shape{3, 8, 8});
    strided.add(conv_layer("c", "input", 4, 3, 2, 1));
    strided.add(simple_layer(LayerType::kRelu, "r", {"c"}));
    EXPECT_NE(network_digest(small(8)), network_digest(strided));
    EXPECT_NE(network_digest(zoo_network("resnet18")), network_digest(zoo_network("resnet18@32")));
}

TEST(NetworkDigest, LayerNamesChangeIt) {
    Network renamed("small", Shape{3, 8, 8});
    renamed.add(conv_layer("conv", "input", 4, 3, 1, 1));
    renamed.add(simple_layer(LayerType::kRelu, "r", {"conv"}));
    EXPECT_NE(network_digest(small(8)), network_digest(renamed));
}

}  // namespace
}  // namespace snnipred
