#pragma once
// A network as `describe --json` and the Python package's describe() show it: every
// layer's type, inputs, output shape, raw and composite features, and the totals.

#include <nlohmann/json.hpp>

#include "snnipred/model/network.h"

namespace snnipred {

/// {"name", "layers": [{name, type, inputs, output_shape, raw, composite}], "totals":
/// {params, macs, relus, comparisons, layers, layers_by_type}}.
nlohmann::json network_description(const Network& network);

}  // namespace snnipred
