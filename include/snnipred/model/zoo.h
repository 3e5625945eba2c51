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

/// Builds the named zoo network. Throws InvalidInput listing the valid names when unknown.
Network zoo_network(std::string_view name);

}  // namespace snnipred
