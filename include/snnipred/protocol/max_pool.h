#pragma once
// How a max pool takes its maxima, read by the engine and the plan alike. Each pass is a
// tree of max(a, b) = b + ReLU(a − b) over groups of cells, one ReLU batch per level.

#include <cstdint>
#include <map>
#include <vector>

#include "snnipred/model/layer.h"
#include "snnipred/model/pool_windows.h"
#include "snnipred/protocol/comparison.h"

namespace snnipred::protocol {

enum class MaxPoolOrder {
    /// One pass over each window's cells: what the bundled predictor was profiled on.
    kWindows,
    /// Two passes: the maximum of every read input row's cells under each output column's
    /// span, then of those row maxima under each output row's span. The maximum over a
    /// rectangle is the maximum of its rows' maxima, and overlapping windows (3×3 stride 2)
    /// share their row maxima: 6 comparisons an output instead of 8.
    kSeparable,
};

/// kSeparable for the lean protocols when it compares fewer pairs, else kWindows.
MaxPoolOrder max_pool_order(const Layer& layer, NonlinearProtocols protocols);

/// The input rows some window reads, ascending: the rows of the separable order's first pass.
std::vector<std::int64_t> pooled_rows(const PoolSpans& spans);

/// How many groups of each cell count every pass of `order` takes the maximum of, in pass
/// order (one map per pass, all channels). Throws InvalidInput for a window with no input cell.
std::vector<std::map<std::uint64_t, std::uint64_t>> max_pool_passes(const Layer& layer, MaxPoolOrder order);

}  // namespace snnipred::protocol
