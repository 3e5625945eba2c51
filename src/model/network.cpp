#include "snnipred/model/network.h"

#include "shape_inference.h"
#include "snnipred/core/error.h"

namespace snnipred {
namespace {

// Largest tensor the IR accepts; keeps element and cost products inside int64.
constexpr double kMaxElements = 1e12;
constexpr std::int64_t kMaxDimension = std::int64_t{1} << 24;

bool within_bounds(const Shape& shape) {
    return shape.c <= kMaxDimension && shape.h <= kMaxDimension && shape.w <= kMaxDimension &&
           static_cast<double>(shape.c) * static_cast<double>(shape.h) * static_cast<double>(shape.w) <= kMaxElements;
}

}  // namespace

Network::Network(std::string name, Shape input_shape, std::string input_name) : name_(std::move(name)) {
    SNNIPRED_CHECK(input_shape.valid(), InvalidInput,
                   "network '" + name_ + "': input shape " + input_shape.str() + " has a non-positive dimension");
    SNNIPRED_CHECK(within_bounds(input_shape), InvalidInput,
                   "network '" + name_ + "': input shape " + input_shape.str() + " is too large");
    SNNIPRED_CHECK(!input_name.empty(), InvalidInput, "network '" + name_ + "': the input needs a name");
    Layer input = simple_layer(LayerType::kInput, std::move(input_name), {});
    input.output = input_shape;
    index_.emplace(input.name, 0);
    layers_.push_back(std::move(input));
    first_input_.push_back(0);
}

const Layer& Network::add(Layer layer) {
    SNNIPRED_CHECK(!layer.name.empty(), InvalidInput,
                   "a " + std::string(layer_type_name(layer.type)) + " layer after '" + layers_.back().name +
                       "' has no name");
    SNNIPRED_CHECK(!index_.contains(layer.name), InvalidInput, "duplicate layer name '" + layer.name + "'");
    layer.input_shapes.clear();
    std::vector<std::size_t> positions;
    for (const std::string& input : layer.inputs) {
        const Layer* source = find(input);
        SNNIPRED_CHECK(source != nullptr, InvalidInput,
                       "layer '" + layer.name + "': input '" + input + "' is not an earlier layer");
        layer.input_shapes.push_back(source->output);
        positions.push_back(static_cast<std::size_t>(source - layers_.data()));
    }
    layer.output = detail::infer_output_shape(layer);
    SNNIPRED_CHECK(layer.output.valid(), InvalidInput,
                   "layer '" + layer.name + "': output shape " + layer.output.str() + " is empty");
    SNNIPRED_CHECK(within_bounds(layer.output), InvalidInput,
                   "layer '" + layer.name + "': output shape " + layer.output.str() + " is too large");
    index_.emplace(layer.name, layers_.size());
    layers_.push_back(std::move(layer));
    input_positions_.insert(input_positions_.end(), positions.begin(), positions.end());
    first_input_.push_back(input_positions_.size());
    return layers_.back();
}

const Layer* Network::find(std::string_view name) const {
    const auto it = index_.find(std::string(name));
    return it == index_.end() ? nullptr : &layers_[it->second];
}

}  // namespace snnipred
