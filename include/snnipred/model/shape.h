#pragma once
// Activation shapes of batch-1 tensors in channel-major order (C, H, W), the order
// ONNX and PyTorch use. A flat vector of n values is (n, 1, 1).

#include <cstdint>
#include <string>

namespace snnipred {

struct Shape {
    std::int64_t c = 0;
    std::int64_t h = 1;
    std::int64_t w = 1;

    std::int64_t elements() const { return c * h * w; }
    bool valid() const { return c > 0 && h > 0 && w > 0; }
    bool operator==(const Shape&) const = default;
    /// "CxHxW", e.g. "64x56x56".
    std::string str() const;
};

}  // namespace snnipred
