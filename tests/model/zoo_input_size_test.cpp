#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "snnipred/model/load.h"
#include "snnipred/model/zoo.h"

namespace snnipred {
namespace {

TEST(ZooInputSize, AtSuffixResizesTheInputAndKeepsTheLayers) {
    const Network full = zoo_network("resnet50");
    const Network small = load_network("zoo:resnet50@32");
    EXPECT_EQ(small.name(), "resnet50@32");
    EXPECT_EQ(small.input().output, (Shape{3, 32, 32}));
    ASSERT_EQ(small.layers().size(), full.layers().size());
    for (std::size_t i = 0; i < full.layers().size(); ++i) {
        EXPECT_EQ(small.layers()[i].name, full.layers()[i].name);
        EXPECT_EQ(small.layers()[i].type, full.layers()[i].type);
    }
    EXPECT_EQ(small.output().output, full.output().output);  // 1000 classes either way
}

TEST(ZooInputSize, BadSizesAreRejected) {
    for (const char* name : {"resnet18@", "resnet18@x", "resnet18@0", "resnet18@32x", "nosuch@32"})
        EXPECT_THROW(zoo_network(name), InvalidInput) << name;
    EXPECT_THROW(zoo_network("squeezenet1_1@4"), InvalidInput);  // its pools no longer fit
}

}  // namespace
}  // namespace snnipred
