#include "snnipred/model/json_format.h"

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "snnipred/core/error.h"

namespace snnipred {
namespace {

using nlohmann::json;

constexpr std::string_view kFormatName = "snnipred-network";
constexpr int kFormatVersion = 1;

// Parsing context: every error names the source and the layer being read.
struct Reader {
    const std::string& source;
    std::string where;

    [[noreturn]] void fail(const std::string& what) const {
        throw InvalidInput(source + ": " + where + (where.empty() ? "" : ": ") + what);
    }

    const json& field(const json& object, const char* key) const {
        const auto it = object.find(key);
        if (it == object.end()) fail(std::string("missing field '") + key + "'");
        return *it;
    }

    std::int64_t integer(const json& value, const char* key) const {
        if (!value.is_number_integer()) fail(std::string("field '") + key + "' must be an integer");
        return value.get<std::int64_t>();
    }

    std::string string(const json& value, const char* key) const {
        if (!value.is_string()) fail(std::string("field '") + key + "' must be a string");
        return value.get<std::string>();
    }

    // An int n means (n, n); an array must have exactly `count` integers.
    std::vector<std::int64_t> integers(const json& value, const char* key, std::size_t count) const {
        if (value.is_number_integer()) return std::vector<std::int64_t>(count, value.get<std::int64_t>());
        if (!value.is_array() || value.size() != count)
            fail(std::string("field '") + key + "' must be an integer or an array of " + std::to_string(count));
        std::vector<std::int64_t> out;
        for (const json& item : value) out.push_back(integer(item, key));
        return out;
    }

    void only_fields(const json& object, const std::set<std::string>& allowed) const {
        for (const auto& [key, value] : object.items())
            if (!allowed.contains(key)) fail("unknown field '" + key + "'");
    }
};

void read_padding(const Reader& reader, const json& object, Window& window) {
    if (object.contains("padding")) {
        const std::string mode = reader.string(object["padding"], "padding");
        if (mode == "same") window.padding = Padding::kSame;
        else if (mode == "valid") window.padding = Padding::kValid;
        else reader.fail("field 'padding' must be \"same\" or \"valid\", got \"" + mode + "\"");
        if (object.contains("pads")) reader.fail("give either 'padding' or 'pads', not both");
        return;
    }
    if (!object.contains("pads")) return;
    const auto pads = reader.integers(object["pads"], "pads", 4);
    window.pad_top = pads[0];
    window.pad_bottom = pads[1];
    window.pad_left = pads[2];
    window.pad_right = pads[3];
}

void read_window(const Reader& reader, const json& object, Window& window) {
    const auto kernel = reader.integers(reader.field(object, "kernel"), "kernel", 2);
    window.kernel_h = kernel[0];
    window.kernel_w = kernel[1];
    const auto stride = object.contains("stride") ? reader.integers(object["stride"], "stride", 2)
                                                  : std::vector<std::int64_t>{1, 1};
    window.stride_h = stride[0];
    window.stride_w = stride[1];
    read_padding(reader, object, window);
}

bool read_bool(const Reader& reader, const json& object, const char* key, bool fallback) {
    if (!object.contains(key)) return fallback;
    if (!object[key].is_boolean()) reader.fail(std::string("field '") + key + "' must be true or false");
    return object[key].get<bool>();
}

double read_number(const Reader& reader, const json& object, const char* key, double fallback) {
    if (!object.contains(key)) return fallback;
    if (!object[key].is_number()) reader.fail(std::string("field '") + key + "' must be a number");
    return object[key].get<double>();
}

Layer read_layer(Reader& reader, const json& object, std::size_t index) {
    reader.where = "layers[" + std::to_string(index) + "]";
    if (!object.is_object()) reader.fail("must be an object");
    Layer layer;
    layer.name = reader.string(reader.field(object, "name"), "name");
    reader.where += " '" + layer.name + "'";
    layer.type = LayerType::kIdentity;
    try {
        layer.type = parse_layer_type(reader.string(reader.field(object, "type"), "type"));
    } catch (const InvalidInput& error) {
        reader.fail(error.what());
    }
    const json& inputs = reader.field(object, "inputs");
    if (!inputs.is_array()) reader.fail("field 'inputs' must be an array of layer names");
    for (const json& input : inputs) layer.inputs.push_back(reader.string(input, "inputs"));

    std::set<std::string> allowed{"name", "type", "inputs"};
    switch (layer.type) {
        case LayerType::kConv:
            allowed.insert({"out_channels", "kernel", "stride", "pads", "padding", "groups", "bias"});
            layer.out_channels = reader.integer(reader.field(object, "out_channels"), "out_channels");
            layer.groups = object.contains("groups") ? reader.integer(object["groups"], "groups") : 1;
            layer.bias = read_bool(reader, object, "bias", false);
            read_window(reader, object, layer.window);
            break;
        case LayerType::kFullyConnected:
            allowed.insert({"outputs", "bias"});
            layer.out_channels = reader.integer(reader.field(object, "outputs"), "outputs");
            layer.bias = read_bool(reader, object, "bias", true);
            break;
        case LayerType::kMaxPool:
        case LayerType::kAvgPool:
            allowed.insert({"kernel", "stride", "pads", "padding", "ceil_mode"});
            read_window(reader, object, layer.window);
            layer.window.ceil_mode = read_bool(reader, object, "ceil_mode", false);
            break;
        case LayerType::kRelu6:
            allowed.insert({"clip_min", "clip_max"});
            layer.clip_min = read_number(reader, object, "clip_min", 0.0);
            layer.clip_max = read_number(reader, object, "clip_max", 6.0);
            break;
        case LayerType::kPad:
            allowed.insert("pads");
            reader.field(object, "pads");
            read_padding(reader, object, layer.window);
            break;
        default: break;
    }
    reader.only_fields(object, allowed);
    return layer;
}

json pads_json(const Window& w) { return json::array({w.pad_top, w.pad_bottom, w.pad_left, w.pad_right}); }

json window_json(const Window& w) {
    return {{"kernel", json::array({w.kernel_h, w.kernel_w})},
            {"stride", json::array({w.stride_h, w.stride_w})},
            {"pads", pads_json(w)}};
}

json layer_json(const Layer& layer) {
    json out = {{"name", layer.name}, {"type", layer_type_name(layer.type)}, {"inputs", layer.inputs}};
    switch (layer.type) {
        case LayerType::kConv:
            out.update(window_json(layer.window));
            out["out_channels"] = layer.out_channels;
            out["groups"] = layer.groups;
            out["bias"] = layer.bias;
            break;
        case LayerType::kFullyConnected:
            out["outputs"] = layer.out_channels;
            out["bias"] = layer.bias;
            break;
        case LayerType::kMaxPool:
        case LayerType::kAvgPool:
            out.update(window_json(layer.window));
            out["ceil_mode"] = layer.window.ceil_mode;
            break;
        case LayerType::kRelu6:
            out["clip_min"] = layer.clip_min;
            out["clip_max"] = layer.clip_max;
            break;
        case LayerType::kPad: out["pads"] = pads_json(layer.window); break;
        default: break;
    }
    return out;
}

}  // namespace

std::string network_to_json(const Network& network) {
    const Layer& input = network.input();
    json layers = json::array();
    for (std::size_t i = 1; i < network.layers().size(); ++i) layers.push_back(layer_json(network.layers()[i]));
    const json document = {
        {"format", kFormatName},
        {"version", kFormatVersion},
        {"name", network.name()},
        {"input", {{"name", input.name}, {"shape", json::array({input.output.c, input.output.h, input.output.w})}}},
        {"layers", layers},
    };
    return document.dump(2) + "\n";
}

Network network_from_json(std::string_view text, const std::string& source) {
    json document;
    try {
        document = json::parse(text);
    } catch (const json::parse_error& error) {
        throw InvalidInput(source + ": invalid JSON at byte " + std::to_string(error.byte));
    } catch (const json::exception& error) {
        // Not a syntax error but still the parser's: a number too large for a double (found by
        // tests/model/json_format_fuzz_test.cpp).
        throw InvalidInput(source + ": invalid JSON: " + error.what());
    }
    Reader reader{source, ""};
    if (!document.is_object()) reader.fail("top level must be an object");
    reader.only_fields(document, {"format", "version", "name", "input", "layers"});
    if (reader.string(reader.field(document, "format"), "format") != kFormatName)
        reader.fail("field 'format' must be \"" + std::string(kFormatName) + "\"");
    if (reader.integer(reader.field(document, "version"), "version") != kFormatVersion)
        reader.fail("unsupported version (this build reads version " + std::to_string(kFormatVersion) + ")");

    reader.where = "input";
    const json& input = reader.field(document, "input");
    if (!input.is_object()) reader.fail("must be an object");
    reader.only_fields(input, {"name", "shape"});
    const auto dims = reader.integers(reader.field(input, "shape"), "shape", 3);
    const std::string input_name = reader.string(reader.field(input, "name"), "name");
    reader.where.clear();
    const std::string name = reader.string(reader.field(document, "name"), "name");

    const json& layers = reader.field(document, "layers");
    if (!layers.is_array()) reader.fail("field 'layers' must be an array");
    try {
        Network network(name, Shape{dims[0], dims[1], dims[2]}, input_name);
        for (std::size_t i = 0; i < layers.size(); ++i) network.add(read_layer(reader, layers[i], i));
        return network;
    } catch (const InvalidInput& error) {
        const std::string message = error.what();
        if (message.starts_with(source + ":")) throw;
        throw InvalidInput(source + ": " + message);
    }
}

Network load_network_json(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    SNNIPRED_CHECK(file, InvalidInput, path + ": cannot open file");
    std::ostringstream text;
    text << file.rdbuf();
    return network_from_json(text.str(), path);
}

}  // namespace snnipred
