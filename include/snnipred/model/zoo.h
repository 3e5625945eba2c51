#pragma once
// Built-in model zoo: published architectures as the torchvision definitions build them
// (224x224x3 input), plus the small private-inference benchmarks MiniONN (CIFAR-10) and
// LeNet-5 (MNIST).

#include <string>
#include <string_view>
#include <vector>

#include "snnipred/model/network.h"

namespace snnipred {

struct ZooEntry {
    std::string name;
    std::string description;
};

/// Every zoo network, sorted by name.
const std::vector<ZooEntry>& zoo_entries();

/// Builds the named zoo network. "NAME@SIZE" builds it on a SIZExSIZE input (same
/// channels and layers, shapes re-inferred; e.g. "resnet50@32" for fast tests), named
/// so. Throws InvalidInput listing the valid names when unknown, or naming the layer
/// whose shape no longer fits when SIZE is too small.
Network zoo_network(std::string_view name);

}  // namespace snnipred
