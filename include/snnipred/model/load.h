#pragma once

#include <string_view>

#include "snnipred/model/network.h"

namespace snnipred {

/// Loads a network from a model spec: "zoo:NAME", a path ending in .onnx, or a path
/// ending in .json. Throws InvalidInput for anything else.
Network load_network(std::string_view spec);

}  // namespace snnipred
