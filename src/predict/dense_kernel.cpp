#include "dense_kernel.h"

#include <cstring>

namespace snnipred::predict::detail {
namespace {

// One lane of kDenseLane floats as a GCC vector: a single register with AVX-512, split
// into narrower operations by the other clones.
using Lane = float __attribute__((vector_size(kDenseLane * sizeof(float))));

// Rows of a block share every weight load: the weights are read once per block, not per row.
constexpr std::size_t kBlockRows = 4;

template <std::size_t R>
[[gnu::always_inline]] inline void block(const float* in, std::size_t inputs, const float* weight_t,
                                         const float* bias, std::size_t outputs, bool relu, float* out) {
    for (std::size_t o = 0; o < outputs; o += kDenseLane) {
        Lane acc[R];
        // memcpy: unaligned lane loads and stores (a Lane is not passed by value outside
        // the clones, whose calling conventions for it differ).
        for (std::size_t r = 0; r < R; ++r) std::memcpy(&acc[r], bias + o, sizeof(Lane));
        for (std::size_t i = 0; i < inputs; ++i) {
            Lane w;
            std::memcpy(&w, weight_t + i * outputs + o, sizeof w);
            for (std::size_t r = 0; r < R; ++r) acc[r] += in[r * inputs + i] * w;
        }
        for (std::size_t r = 0; r < R; ++r) {
            if (relu) acc[r] = acc[r] > 0 ? acc[r] : Lane{};
            std::memcpy(out + r * outputs + o, &acc[r], sizeof(Lane));
        }
    }
}

}  // namespace

__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
void dense_forward(const float* in, std::size_t rows, std::size_t inputs, const float* weight_t, const float* bias,
                   std::size_t outputs, bool relu, float* out) {
    std::size_t r = 0;
    for (; r + kBlockRows <= rows; r += kBlockRows)
        block<kBlockRows>(in + r * inputs, inputs, weight_t, bias, outputs, relu, out + r * outputs);
    switch (rows - r) {
        case 3: block<3>(in + r * inputs, inputs, weight_t, bias, outputs, relu, out + r * outputs); break;
        case 2: block<2>(in + r * inputs, inputs, weight_t, bias, outputs, relu, out + r * outputs); break;
        case 1: block<1>(in + r * inputs, inputs, weight_t, bias, outputs, relu, out + r * outputs); break;
        default: break;
    }
}

}  // namespace snnipred::predict::detail
