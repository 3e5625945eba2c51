#pragma once
// Internal: the dense layer of MLP prediction in binary32, for a batch of rows (a whole
// network's steps of one kind). The build targets baseline x86-64, where Eigen's product
// runs on 4-wide SSE; this kernel is compiled once per instruction set (AVX-512, AVX2,
// baseline) and picks the widest the CPU has at load time (docs/RESULTS.md, t_pred).

#include <cstddef>

namespace snnipred::predict::detail {

/// Floats per lane of the kernel: every output width it computes is a multiple of this.
inline constexpr std::size_t kDenseLane = 16;

/// The padded width of `outputs` values: the next multiple of kDenseLane.
constexpr std::size_t dense_padded(std::size_t outputs) {
    return (outputs + kDenseLane - 1) / kDenseLane * kDenseLane;
}

/// out = in * weight_t + bias, then max(., 0) if `relu`. Row-major: `in` is rows x inputs,
/// `weight_t` inputs x outputs, `bias` outputs, `out` rows x outputs; `outputs` is a
/// multiple of kDenseLane.
void dense_forward(const float* in, std::size_t rows, std::size_t inputs, const float* weight_t, const float* bias,
                   std::size_t outputs, bool relu, float* out);

}  // namespace snnipred::predict::detail
