#include "snnipred/model/onnx_import.h"

#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "snnipred/core/error.h"
#include "snnipred/model/features.h"
#include "support/expect_error.h"

namespace snnipred {
namespace {

std::string shared_model(const std::string& file) { return std::string(SNNIPRED_SHARED_DIR) + "/models/" + file; }

std::string read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void set_int(onnx::NodeProto& node, const std::string& name, std::int64_t value) {
    auto* attribute = node.add_attribute();
    attribute->set_name(name);
    attribute->set_type(onnx::AttributeProto::INT);
    attribute->set_i(value);
}

void set_ints(onnx::NodeProto& node, const std::string& name, const std::vector<std::int64_t>& values) {
    auto* attribute = node.add_attribute();
    attribute->set_name(name);
    attribute->set_type(onnx::AttributeProto::INTS);
    for (const std::int64_t value : values) attribute->add_ints(value);
}

void set_float(onnx::NodeProto& node, const std::string& name, float value) {
    auto* attribute = node.add_attribute();
    attribute->set_name(name);
    attribute->set_type(onnx::AttributeProto::FLOAT);
    attribute->set_f(value);
}

void set_string(onnx::NodeProto& node, const std::string& name, const std::string& value) {
    auto* attribute = node.add_attribute();
    attribute->set_name(name);
    attribute->set_type(onnx::AttributeProto::STRING);
    attribute->set_s(value);
}

// A ModelProto built in code. Weights carry dims only: the importer never reads their values.
class ModelBuilder {
public:
    explicit ModelBuilder(const std::vector<std::int64_t>& input_dims = {1, 3, 8, 8}) {
        model_.set_ir_version(7);
        model_.add_opset_import()->set_version(13);
        auto* input = graph().add_input();
        input->set_name("x");
        auto* tensor_type = input->mutable_type()->mutable_tensor_type();
        tensor_type->set_elem_type(onnx::TensorProto::FLOAT);
        for (const std::int64_t dim : input_dims) tensor_type->mutable_shape()->add_dim()->set_dim_value(dim);
    }

    onnx::GraphProto& graph() { return *model_.mutable_graph(); }

    std::string weight(const std::string& name, const std::vector<std::int64_t>& dims) {
        auto* tensor = graph().add_initializer();
        tensor->set_name(name);
        tensor->set_data_type(onnx::TensorProto::FLOAT);
        for (const std::int64_t dim : dims) tensor->add_dims(dim);
        return name;
    }

    std::string scalar(const std::string& name, float value) {
        auto* tensor = graph().add_initializer();
        tensor->set_name(name);
        tensor->set_data_type(onnx::TensorProto::FLOAT);
        tensor->add_float_data(value);
        return name;
    }

    std::string int64s(const std::string& name, const std::vector<std::int64_t>& values) {
        auto* tensor = graph().add_initializer();
        tensor->set_name(name);
        tensor->set_data_type(onnx::TensorProto::INT64);
        tensor->add_dims(static_cast<std::int64_t>(values.size()));
        for (const std::int64_t value : values) tensor->add_int64_data(value);
        return name;
    }

    /// A Constant node holding a float scalar in raw_data, as PyTorch writes it.
    std::string constant_scalar(const std::string& name, float value) {
        onnx::NodeProto& constant = node("Constant", {}, name);
        auto* attribute = constant.add_attribute();
        attribute->set_name("value");
        attribute->set_type(onnx::AttributeProto::TENSOR);
        attribute->mutable_t()->set_data_type(onnx::TensorProto::FLOAT);
        attribute->mutable_t()->set_raw_data(std::string(reinterpret_cast<const char*>(&value), sizeof value));
        return name;
    }

    /// Adds a node whose single output is `output`; named `name` (may be empty).
    onnx::NodeProto& node(const std::string& op, const std::vector<std::string>& inputs, const std::string& output,
                          const std::string& name = "") {
        auto* node = graph().add_node();
        node->set_op_type(op);
        node->set_name(name);
        for (const std::string& input : inputs) node->add_input(input);
        node->add_output(output);
        return *node;
    }

    std::string bytes() const { return model_.SerializeAsString(); }
    Network import() const { return import_onnx_bytes(bytes(), "test.onnx"); }

private:
    onnx::ModelProto model_;
};

const Layer& layer(const Network& network, const std::string& name) {
    const Layer* found = network.find(name);
    if (found == nullptr) throw std::runtime_error("no layer '" + name + "'");
    return *found;
}

TEST(OnnxImport, SqueezeNetMatchesTorchvision) {
    const Network network = import_onnx_file(shared_model("squeezenet1_1.onnx"));
    EXPECT_EQ(network.name(), "squeezenet1_1");
    EXPECT_EQ(network.input().name, "input");
    EXPECT_EQ(network.input().output, (Shape{3, 224, 224}));
    EXPECT_EQ(network.output().output, (Shape{1000, 1, 1}));
    const NetworkTotals totals = network_totals(network);
    EXPECT_EQ(totals.params, 1'235'496);  // no BN: exactly torchvision's count
    EXPECT_EQ(totals.macs, 349'151'936);
    EXPECT_EQ(totals.relus, 2'589'352);
    EXPECT_EQ(totals.layers_by_type.at("conv"), 26);
    EXPECT_EQ(totals.layers_by_type.at("relu"), 26);
    EXPECT_EQ(totals.layers_by_type.at("maxpool"), 3);
    EXPECT_EQ(totals.layers_by_type.at("concat"), 8);
    EXPECT_FALSE(totals.layers_by_type.contains("identity"));  // the exporter's Identity nodes alias weights
    // Ceil-mode pooling: 111 -> 55 -> 27 -> 13.
    EXPECT_EQ(layer(network, "/features/features.2/MaxPool").output, (Shape{64, 55, 55}));
    EXPECT_EQ(layer(network, "/features/features.12/Concat").output, (Shape{512, 13, 13}));
}

TEST(OnnxImport, MobileNetV2HasBatchNormFolded) {
    const Network network = import_onnx_file(shared_model("mobilenet_v2.onnx"));
    EXPECT_EQ(network.output().output, (Shape{1000, 1, 1}));
    const NetworkTotals totals = network_totals(network);
    // torchvision's 3,504,872 with 52 BN layers (2C each, 17,056 channels in all) folded
    // into the 52 convs before them, each of which gains a C-value bias.
    EXPECT_EQ(totals.params, 3'504'872 - 17'056);
    EXPECT_EQ(totals.macs, 300'774'272);
    EXPECT_EQ(totals.relus, 6'105'792);
    EXPECT_EQ(totals.layers_by_type.at("conv"), 52);
    EXPECT_EQ(totals.layers_by_type.at("relu6"), 35);
    EXPECT_EQ(totals.layers_by_type.at("add"), 10);
    EXPECT_EQ(totals.layers_by_type.at("fc"), 1);
    EXPECT_FALSE(totals.layers_by_type.contains("batchnorm"));
    for (const Layer& l : network.layers()) {
        if (l.type == LayerType::kConv) EXPECT_TRUE(l.bias) << l.name;
        if (l.type == LayerType::kRelu6) EXPECT_EQ(l.clip_max, 6.0) << l.name;
    }
    EXPECT_EQ(layer(network, "/features/features.1/conv/conv.0/conv.0.0/Conv").groups, 32);
}

TEST(OnnxImport, PadConvBatchNormPoolMatMulChain) {
    ModelBuilder b;
    b.node("Pad", {"x", b.int64s("pads", {0, 0, 1, 1, 0, 0, 1, 1})}, "padded", "pad");
    auto& conv = b.node("Conv", {"padded", b.weight("w", {4, 3, 3, 3}), b.weight("b", {4})}, "c", "conv");
    set_ints(conv, "kernel_shape", {3, 3});
    b.node("BatchNormalization",
           {"c", b.weight("s", {4}), b.weight("o", {4}), b.weight("m", {4}), b.weight("v", {4})}, "bn_out", "bn");
    b.node("Relu", {"bn_out"}, "r", "relu");
    auto& pool = b.node("AveragePool", {"r"}, "p", "pool");
    set_ints(pool, "kernel_shape", {3, 3});
    set_ints(pool, "strides", {2, 2});
    set_int(pool, "ceil_mode", 1);
    set_int(pool, "count_include_pad", 1);
    b.node("Flatten", {"p"}, "f", "flatten");
    b.node("MatMul", {"f", b.weight("fc_w", {64, 10})}, "mm", "fc");
    b.node("Add", {"mm", b.weight("fc_b", {10})}, "y", "fc_bias");
    const Network network = b.import();
    EXPECT_EQ(network.layers().size(), 8u);  // input + 7: the bias Add is folded into the FC
    EXPECT_EQ(layer(network, "pad").output, (Shape{3, 10, 10}));
    EXPECT_EQ(layer(network, "pad").window.pad_left, 1);
    EXPECT_EQ(layer(network, "conv").output, (Shape{4, 8, 8}));
    EXPECT_TRUE(layer(network, "conv").bias);
    EXPECT_EQ(layer(network, "bn").type, LayerType::kBatchNorm);
    EXPECT_EQ(layer(network, "pool").output, (Shape{4, 4, 4}));  // 3x3 without ceil_mode
    const Layer& fc = network.output();
    EXPECT_EQ(fc.name, "fc");
    EXPECT_EQ(fc.type, LayerType::kFullyConnected);
    EXPECT_TRUE(fc.bias);
    EXPECT_EQ(fc.output, (Shape{10, 1, 1}));
    EXPECT_EQ(parameter_count(fc), 64 * 10 + 10);
}

TEST(OnnxImport, ClipFromAttributesAndInputs) {
    ModelBuilder b;
    auto& old_style = b.node("Clip", {"x"}, "a", "clip_attr");
    set_float(old_style, "min", 0.0f);
    set_float(old_style, "max", 6.0f);
    b.node("Clip", {"a", b.constant_scalar("lo", 0.0f), b.constant_scalar("hi", 6.0f)}, "b", "clip_inputs");
    b.node("Clip", {"b", b.scalar("neg", -1.0f), b.scalar("one", 1.0f)}, "c", "clip_unit");
    b.node("Clip", {"c", b.scalar("zero", 0.0f)}, "d", "clip_relu");
    const Network network = b.import();
    EXPECT_EQ(network.layers().size(), 5u);  // Constant nodes add no layer
    EXPECT_EQ(layer(network, "clip_attr").type, LayerType::kRelu6);
    EXPECT_EQ(layer(network, "clip_inputs").type, LayerType::kRelu6);
    EXPECT_EQ(layer(network, "clip_inputs").clip_min, 0.0);
    EXPECT_EQ(layer(network, "clip_inputs").clip_max, 6.0);
    EXPECT_EQ(layer(network, "clip_unit").clip_min, -1.0);
    EXPECT_EQ(layer(network, "clip_unit").clip_max, 1.0);
    EXPECT_EQ(layer(network, "clip_relu").type, LayerType::kRelu);
}

TEST(OnnxImport, ConcatAddDropoutIdentityGlobalPoolGemm) {
    ModelBuilder b;
    b.node("Identity", {b.weight("w1", {4, 3, 1, 1})}, "w1_alias");  // deduplicated weight
    b.node("Conv", {"x", "w1_alias"}, "c1", "left");
    auto& right = b.node("Conv", {"x", b.weight("w3", {6, 3, 3, 3})}, "c3", "right");
    set_string(right, "auto_pad", "SAME_UPPER");
    b.node("Dropout", {"c1"}, "d1", "drop");
    set_int(b.node("Concat", {"d1", "c3"}, "cat", "concat"), "axis", 1);
    b.node("Add", {"cat", "cat"}, "sum");  // unnamed: named after its output
    b.node("GlobalAveragePool", {"sum"}, "g", "gap");
    b.node("Flatten", {"g"}, "f", "flatten");
    auto& gemm = b.node("Gemm", {"f", b.weight("fc_w", {5, 10}), b.weight("fc_b", {5})}, "y", "fc");
    set_int(gemm, "transB", 1);
    const Network network = b.import();
    const Layer& concat = layer(network, "concat");
    EXPECT_EQ(concat.inputs, (std::vector<std::string>{"left", "right"}));  // Dropout elided
    EXPECT_EQ(concat.output, (Shape{10, 8, 8}));
    EXPECT_EQ(layer(network, "sum").type, LayerType::kAdd);
    EXPECT_EQ(layer(network, "gap").output, (Shape{10, 1, 1}));
    EXPECT_EQ(network.output().output, (Shape{5, 1, 1}));
    EXPECT_EQ(parameter_count(network.output()), 10 * 5 + 5);
    EXPECT_EQ(network.find("drop"), nullptr);
}

TEST(OnnxImport, ReshapeToFlatVector) {
    for (const std::vector<std::int64_t>& shape : {std::vector<std::int64_t>{1, -1}, {1, 192}, {192}, {0, -1}}) {
        ModelBuilder b;
        b.node("Reshape", {"x", b.int64s("shape", shape)}, "y", "reshape");
        const Network network = b.import();
        EXPECT_EQ(network.output().type, LayerType::kFlatten);
        EXPECT_EQ(network.output().output, (Shape{192, 1, 1}));
    }
    ModelBuilder bad;
    bad.node("Reshape", {"x", bad.int64s("shape", {1, 3, 64, 1})}, "y", "to_4d");
    test_support::expect_error_containing<Unsupported>([&] { bad.import(); }, "node 'to_4d' op 'Reshape'");
    ModelBuilder wrong_count;
    wrong_count.node("Reshape", {"x", wrong_count.int64s("shape", {1, 100})}, "y", "r");
    EXPECT_THROW(wrong_count.import(), InvalidInput);
}

TEST(OnnxImport, ConvAutoPadAndMaxPool) {
    ModelBuilder b;
    auto& same = b.node("Conv", {"x", b.weight("w", {8, 3, 3, 3})}, "a", "same");
    set_string(same, "auto_pad", "SAME_UPPER");
    set_ints(same, "strides", {2, 2});
    auto& valid = b.node("Conv", {"a", b.weight("dw", {8, 1, 3, 3})}, "b", "valid_dw");
    set_string(valid, "auto_pad", "VALID");
    set_int(valid, "group", 8);
    auto& pool = b.node("MaxPool", {"b"}, "c", "pool");
    set_ints(pool, "kernel_shape", {2, 2});
    const Network network = b.import();
    EXPECT_EQ(layer(network, "same").output, (Shape{8, 4, 4}));
    EXPECT_EQ(layer(network, "valid_dw").output, (Shape{8, 2, 2}));
    EXPECT_EQ(layer(network, "valid_dw").groups, 8);
    EXPECT_EQ(network.output().output, (Shape{8, 1, 1}));
}

TEST(OnnxImport, DuplicateNodeNamesAreMadeUnique) {
    ModelBuilder b;
    b.node("Relu", {"x"}, "a", "act");
    b.node("Relu", {"a"}, "b", "act");
    const Network network = b.import();
    EXPECT_EQ(network.output().name, "act_2");
    EXPECT_EQ(network.output().inputs, (std::vector<std::string>{"act"}));
}

TEST(OnnxImport, UnsupportedOpsAndAttributes) {
    ModelBuilder softmax;
    softmax.node("Softmax", {"x"}, "y", "sm");
    try {
        softmax.import();
        FAIL() << "expected Unsupported";
    } catch (const Unsupported& error) {
        EXPECT_STREQ(error.what(), "test.onnx: node 'sm' op 'Softmax' is not supported");
    }
    ModelBuilder dilated;
    set_ints(dilated.node("Conv", {"x", dilated.weight("w", {2, 3, 3, 3})}, "y", "c"), "dilations", {2, 2});
    EXPECT_THROW(dilated.import(), Unsupported);
    ModelBuilder trans_a;
    trans_a.node("Flatten", {"x"}, "f");
    set_int(trans_a.node("Gemm", {"f", trans_a.weight("w", {192, 2})}, "y", "g"), "transA", 1);
    EXPECT_THROW(trans_a.import(), Unsupported);
    ModelBuilder reflect;
    set_string(reflect.node("Pad", {"x", reflect.int64s("p", {0, 0, 1, 1, 0, 0, 1, 1})}, "y"), "mode", "reflect");
    EXPECT_THROW(reflect.import(), Unsupported);
    ModelBuilder add_constant;
    add_constant.node("Add", {"x", add_constant.weight("k", {3, 8, 8})}, "y");
    EXPECT_THROW(add_constant.import(), Unsupported);
}

TEST(OnnxImport, InvalidGraphsNameFileAndNode) {
    ModelBuilder concat;
    set_ints(concat.node("Conv", {"x", concat.weight("w", {2, 3, 3, 3})}, "a", "small"), "strides", {2, 2});
    set_int(concat.node("Concat", {"a", "x"}, "y", "cat"), "axis", 1);
    try {
        concat.import();
        FAIL() << "expected InvalidInput";
    } catch (const InvalidInput& error) {
        const std::string message = error.what();
        EXPECT_EQ(message.rfind("test.onnx: ", 0), 0u) << message;
        EXPECT_NE(message.find("cat"), std::string::npos) << message;
    }
    ModelBuilder unknown;
    unknown.node("Relu", {"nowhere"}, "y", "r");
    EXPECT_THROW(unknown.import(), InvalidInput);
    ModelBuilder wrong_channels;
    wrong_channels.node("Conv", {"x", wrong_channels.weight("w", {2, 4, 3, 3})}, "y", "c");
    EXPECT_THROW(wrong_channels.import(), InvalidInput);
    ModelBuilder bad_attribute;
    set_ints(bad_attribute.node("MaxPool", {"x"}, "y", "p"), "kernel_shape", {2, 2, 2});
    EXPECT_THROW(bad_attribute.import(), InvalidInput);
    ModelBuilder nothing;
    nothing.node("Identity", {"x"}, "y");
    EXPECT_THROW(nothing.import(), InvalidInput);
}

TEST(OnnxImport, RejectsBadInputShapes) {
    for (const std::vector<std::int64_t>& dims :
         {std::vector<std::int64_t>{1, 0, 8, 8}, {1, 3, -2, 8}, {2, 3, 8, 8}, {1, 3, 8, 8, 8}, {1}}) {
        ModelBuilder b(dims);
        b.node("Relu", {"x"}, "y");
        EXPECT_THROW(b.import(), InvalidInput);
    }
    ModelBuilder flat({1, 16});
    flat.node("Relu", {"x"}, "y");
    EXPECT_EQ(flat.import().input().output, (Shape{16, 1, 1}));
}

TEST(OnnxImport, RejectsUnreadableAndTruncatedFiles) {
    EXPECT_THROW(import_onnx_file(shared_model("no_such_model.onnx")), InvalidInput);
    const std::string bytes = read_bytes(shared_model("squeezenet1_1.onnx"));
    ASSERT_GT(bytes.size(), 1000u);
    EXPECT_THROW(import_onnx_bytes(std::string_view(bytes).substr(0, bytes.size() / 2), "half.onnx"), InvalidInput);
    EXPECT_THROW(import_onnx_bytes("definitely not a protobuf \xff\xff\xff", "garbage"), InvalidInput);
    EXPECT_THROW(import_onnx_bytes("", "empty"), InvalidInput);  // parses, but has no graph
}

}  // namespace
}  // namespace snnipred
