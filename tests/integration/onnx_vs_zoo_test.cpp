// The ONNX files exported by PyTorch and the zoo's hand-built twins describe the same
// networks: equal MACs and ReLUs, and parameters that differ exactly by BN folding.
#include <gtest/gtest.h>

#include "snnipred/model/features.h"
#include "snnipred/model/onnx_import.h"
#include "snnipred/model/zoo.h"

namespace snnipred {
namespace {

Network shared_model(const std::string& file) {
    return import_onnx_file(std::string(SNNIPRED_SHARED_DIR) + "/models/" + file);
}

// Folding a BN into the bias-free conv before it removes the BN's 2C parameters and
// gives the conv a C-element bias: the total drops by C per folded BN.
std::int64_t folded_params(const Network& zoo) {
    std::int64_t params = network_totals(zoo).params;
    for (const Layer& layer : zoo.layers()) {
        if (layer.type != LayerType::kBatchNorm) continue;
        const Layer* producer = zoo.find(layer.inputs.front());
        if (producer->type == LayerType::kConv && !producer->bias) params -= layer.output.c;
    }
    return params;
}

TEST(OnnxVsZoo, SqueezeNetIsIdentical) {
    const NetworkTotals onnx = network_totals(shared_model("squeezenet1_1.onnx"));
    const NetworkTotals zoo = network_totals(zoo_network("squeezenet1_1"));
    EXPECT_EQ(onnx.params, zoo.params);
    EXPECT_EQ(onnx.macs, zoo.macs);
    EXPECT_EQ(onnx.relus, zoo.relus);
    EXPECT_EQ(onnx.comparisons, zoo.comparisons);
    EXPECT_EQ(onnx.layers_by_type, zoo.layers_by_type);
}

TEST(OnnxVsZoo, MobileNetDiffersExactlyByBatchNormFolding) {
    const Network zoo = zoo_network("mobilenet_v2");
    const NetworkTotals onnx = network_totals(shared_model("mobilenet_v2.onnx"));
    const NetworkTotals zoo_totals = network_totals(zoo);
    EXPECT_EQ(onnx.macs, zoo_totals.macs);
    EXPECT_EQ(onnx.relus, zoo_totals.relus);
    EXPECT_EQ(onnx.params, folded_params(zoo));
    EXPECT_EQ(onnx.layers_by_type.count("batchnorm"), 0u);
    EXPECT_EQ(onnx.layers_by_type.at("conv"), zoo_totals.layers_by_type.at("conv"));
}

}  // namespace
}  // namespace snnipred
