#include "snnipred/model/json_format.h"

#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "snnipred/model/zoo.h"
#include "support/expect_error.h"

namespace snnipred {
namespace {

// A network using every layer type and attribute the format carries.
Network every_layer_type() {
    Network net("every", Shape{3, 17, 17}, "image");
    net.add(conv_layer("conv", "image", 8, 3, 2, 1, 1, true));
    Layer same = conv_layer("same", "conv", 8, 4, 2, 0, 2);
    same.window.padding = Padding::kSame;
    net.add(same);
    net.add(simple_layer(LayerType::kBatchNorm, "bn", {"same"}));
    Layer relu6 = simple_layer(LayerType::kRelu6, "relu6", {"bn"});
    relu6.clip_max = 4.5;
    net.add(relu6);
    Layer pad = simple_layer(LayerType::kPad, "pad", {"relu6"});
    pad.window.pad_bottom = 1;
    pad.window.pad_right = 2;
    net.add(pad);
    net.add(pool_layer(LayerType::kMaxPool, "max", "pad", 2, 1, 0, true));
    net.add(pool_layer(LayerType::kAvgPool, "avg", "pad", 2, 1));
    net.add(simple_layer(LayerType::kAdd, "add", {"max", "avg"}));
    net.add(simple_layer(LayerType::kConcat, "cat", {"add", "max"}));
    net.add(simple_layer(LayerType::kRelu, "relu", {"cat"}));
    net.add(simple_layer(LayerType::kIdentity, "id", {"relu"}));
    net.add(simple_layer(LayerType::kShiftedRelu, "shifted", {"id"}));
    net.add(simple_layer(LayerType::kGlobalAvgPool, "gap", {"shifted"}));
    net.add(simple_layer(LayerType::kFlatten, "flat", {"gap"}));
    net.add(fc_layer("fc", "flat", 10, false));
    return net;
}

// Expects reading `text` to throw InvalidInput naming the file and containing `fragment`.
void expect_error(const std::string& text, const std::string& fragment) {
    const auto message = test_support::thrown_message<InvalidInput>([&] { network_from_json(text, "net.json"); });
    if (!message) return;
    EXPECT_EQ(message->rfind("net.json: ", 0), 0u) << *message;
    EXPECT_NE(message->find(fragment), std::string::npos) << *message;
}

std::string with_layers(const std::string& layers) {
    return R"({"format":"snnipred-network","version":1,"name":"n","input":{"name":"in","shape":[3,8,8]},"layers":[)" +
           layers + "]}";
}

TEST(JsonFormat, RoundTripsEveryLayerType) {
    const Network original = every_layer_type();
    const Network back = network_from_json(network_to_json(original), "roundtrip");
    EXPECT_EQ(back, original);
}

TEST(JsonFormat, RoundTripsTheZoo) {
    for (const ZooEntry& entry : zoo_entries()) {
        const Network original = zoo_network(entry.name);
        EXPECT_EQ(network_from_json(network_to_json(original), entry.name), original) << entry.name;
    }
}

TEST(JsonFormat, MalformedInputNamesTheProblem) {
    expect_error("{\"format\": ", "invalid JSON at byte");
    expect_error("{\"format\": 11e308}", "invalid JSON: [json.exception.out_of_range.406] number overflow");
    expect_error("[]", "top level must be an object");
    expect_error(with_layers(R"({"name":"c","type":"conv","inputs":["in"],"kernel":3})"),
                 "layers[0] 'c': missing field 'out_channels'");
    expect_error(with_layers(R"({"name":"c","type":"warp","inputs":["in"]})"), "unknown layer type 'warp'");
    expect_error(with_layers(R"({"name":"r","type":"relu","inputs":["in"],"kernal":3})"), "unknown field 'kernal'");
    expect_error(with_layers(R"({"name":"c","type":"conv","inputs":["in"],"out_channels":-4,"kernel":3})"),
                 "out_channels must be positive");
    expect_error(with_layers(R"({"name":"c","type":"conv","inputs":["in"],"out_channels":4,"kernel":[3]})"),
                 "array of 2");
    expect_error(with_layers(R"({"name":"a","type":"conv","inputs":["in"],"out_channels":4,"kernel":3,"stride":2},
                                {"name":"cat","type":"concat","inputs":["a","in"]})"),
                 "layer 'cat' (concat)");
    expect_error(R"({"format":"snnipred-network","version":1,"name":"n","input":{"name":"in","shape":[3,0,8]},"layers":[]})",
                 "non-positive dimension");
    expect_error(R"({"format":"other","version":1})", "field 'format'");
}

}  // namespace
}  // namespace snnipred
