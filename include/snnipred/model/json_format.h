#pragma once
// The project's JSON network format (docs/network-format.md). Export then import yields
// an equal Network.

#include <string>
#include <string_view>

#include "snnipred/model/network.h"

namespace snnipred {

/// Serializes `network` (pretty-printed JSON, explicit pads).
std::string network_to_json(const Network& network);

/// Parses the JSON format. Throws InvalidInput naming `source`, the layer and the field.
Network network_from_json(std::string_view text, const std::string& source);

/// Reads and parses a JSON network file.
Network load_network_json(const std::string& path);

}  // namespace snnipred
