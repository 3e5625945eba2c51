#pragma once
// The network IR: a DAG of named layers kept in topological order (every layer is added
// after the layers it reads). Adding a layer validates it and infers its output shape, so
// a Network that exists is always well formed.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "snnipred/model/layer.h"

namespace snnipred {

class Network {
public:
    /// Creates a network whose first layer is an input of `input_shape` named `input_name`.
    /// Throws InvalidInput if the shape has a non-positive dimension.
    Network(std::string name, Shape input_shape, std::string input_name = "input");

    /// Validates `layer` against the layers already present, infers its output shape and
    /// appends it. Returns the stored layer. Throws InvalidInput naming the layer and the
    /// mismatch (unknown input, duplicate name, wrong arity, shapes that do not fit).
    const Layer& add(Layer layer);

    const std::string& name() const { return name_; }
    void set_name(std::string name) { name_ = std::move(name); }
    /// All layers, the input first, in topological order.
    const std::vector<Layer>& layers() const { return layers_; }
    const Layer& input() const { return layers_.front(); }
    /// The last layer added: the network's output.
    const Layer& output() const { return layers_.back(); }
    /// Null when absent.
    const Layer* find(std::string_view name) const;
    /// Positions in layers() of the layers that layers()[i] reads, in the order of its
    /// inputs (resolved once when the layer was added, so walking the graph hashes no name).
    std::span<const std::size_t> input_positions(std::size_t i) const {
        return {input_positions_.data() + first_input_[i], first_input_[i + 1] - first_input_[i]};
    }

    bool operator==(const Network& other) const { return name_ == other.name_ && layers_ == other.layers_; }

private:
    std::string name_;
    std::vector<Layer> layers_;
    std::unordered_map<std::string, std::size_t> index_;
    // Inputs of layer i are input_positions_[first_input_[i] .. first_input_[i + 1]).
    std::vector<std::size_t> input_positions_;
    std::vector<std::size_t> first_input_{0};
};

}  // namespace snnipred
