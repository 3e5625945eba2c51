#pragma once
// A fingerprint of a network's structure, so two parties can tell cheaply whether they
// loaded the same model: every layer's name, type, inputs, attributes and shapes enter
// it, the weights do not (only the server has them).

#include <string>

#include "snnipred/model/network.h"

namespace snnipred {

/// Canonical text of the structure: one line per layer, fixed field order.
std::string network_structure(const Network& network);

/// 64-bit FNV-1a of network_structure(), as 16 hex digits.
std::string network_digest(const Network& network);

}  // namespace snnipred
