#pragma once
// The input cells of every output of a pooling layer, in one place: the secure max pool,
// the plaintext reference and the protocol plan (which sizes the max pool's comparison
// tree from it) all read exactly the same cells.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "snnipred/model/layer.h"

namespace snnipred {

// One pooling window: the input cells [iy0, iy1) x [ix0, ix1) it covers and the area
// average pooling divides by (padding included, the part past a ceil-mode edge not).
struct PoolWindow {
    std::int64_t iy0, iy1, ix0, ix1;
    std::int64_t divisor;
};

/// The input cells [first, last) one output position reads along one axis, and the extent
/// of its window on the padded input (the part past a ceil-mode edge not counted).
struct PoolSpan {
    std::int64_t first, last, padded;
};

inline PoolSpan pool_span(std::int64_t out_index, std::int64_t kernel, std::int64_t stride, std::int64_t pad_before,
                          std::int64_t pad_after, std::int64_t in) {
    const std::int64_t start = out_index * stride - pad_before;
    const std::int64_t end = std::min(start + kernel, in + pad_after);
    return {std::max<std::int64_t>(start, 0), std::min(end, in), end - start};
}

/// The spans of a pooling layer's output rows and of its output columns, in order.
struct PoolSpans {
    std::vector<PoolSpan> rows, cols;
};

inline PoolSpans pool_spans(const Layer& layer) {
    const Shape in = layer.input_shapes.front();
    const Window& win = layer.window;
    PoolSpans spans;
    for (std::int64_t oy = 0; oy < layer.output.h; ++oy)
        spans.rows.push_back(pool_span(oy, win.kernel_h, win.stride_h, win.pad_top, win.pad_bottom, in.h));
    for (std::int64_t ox = 0; ox < layer.output.w; ++ox)
        spans.cols.push_back(pool_span(ox, win.kernel_w, win.stride_w, win.pad_left, win.pad_right, in.w));
    return spans;
}

/// Visits every output cell of a pooling layer in CHW order: visit(c, out_index, window).
/// Cells run over [iy0, iy1) x [ix0, ix1) of channel c; divisor counts the padded window.
template <class F>
void for_each_pool_window(const Layer& layer, F visit) {
    const Shape in = layer.input_shapes.front();
    const Shape out = layer.output;
    const Window& win = layer.window;
    for (std::int64_t c = 0; c < out.c; ++c)
        for (std::int64_t oy = 0; oy < out.h; ++oy) {
            const PoolSpan rows = pool_span(oy, win.kernel_h, win.stride_h, win.pad_top, win.pad_bottom, in.h);
            for (std::int64_t ox = 0; ox < out.w; ++ox) {
                const PoolSpan cols = pool_span(ox, win.kernel_w, win.stride_w, win.pad_left, win.pad_right, in.w);
                visit(c, (c * out.h + oy) * out.w + ox,
                      PoolWindow{rows.first, rows.last, cols.first, cols.last, rows.padded * cols.padded});
            }
        }
}

}  // namespace snnipred
