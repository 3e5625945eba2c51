#pragma once
// Test helper: how many layers of a type a network has.

#include <cstddef>

#include "snnipred/model/network.h"

namespace snnipred::test_support {

inline std::size_t layers_of_type(const Network& network, LayerType type) {
    std::size_t n = 0;
    for (const Layer& layer : network.layers()) n += layer.type == type;
    return n;
}

}  // namespace snnipred::test_support
