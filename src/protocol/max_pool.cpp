#include "snnipred/protocol/max_pool.h"

#include <algorithm>
#include <string>
#include <utility>

#include "snnipred/core/error.h"

namespace snnipred::protocol {
namespace {

using Sizes = std::map<std::uint64_t, std::uint64_t>;

// How many spans of each cell count.
Sizes extents(const std::vector<PoolSpan>& spans, const Layer& layer) {
    Sizes counts;
    for (const PoolSpan& span : spans) {
        SNNIPRED_CHECK(span.last > span.first, InvalidInput,
                       "pooling layer '" + layer.name + "' has a window with no input cell");
        ++counts[static_cast<std::uint64_t>(span.last - span.first)];
    }
    return counts;
}

// Comparisons of a pass: a group of k cells takes k − 1.
std::uint64_t comparisons(const Sizes& sizes) {
    std::uint64_t total = 0;
    for (const auto& [size, count] : sizes) total += (size - 1) * count;
    return total;
}

}  // namespace

std::vector<std::int64_t> pooled_rows(const PoolSpans& spans) {
    std::vector<std::int64_t> rows;
    for (const PoolSpan& span : spans.rows)
        for (std::int64_t y = span.first; y < span.last; ++y) rows.push_back(y);
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    return rows;
}

namespace {

// A pool's spans and how many of each cell count, taken once for either order.
struct Extents {
    PoolSpans spans;
    Sizes rows, cols;
    std::uint64_t channels;
};

Extents extents_of(const Layer& layer) {
    PoolSpans spans = pool_spans(layer);
    Sizes rows = extents(spans.rows, layer), cols = extents(spans.cols, layer);
    return {std::move(spans), std::move(rows), std::move(cols), static_cast<std::uint64_t>(layer.output.c)};
}

std::vector<Sizes> passes(const Extents& e, MaxPoolOrder order) {
    if (order == MaxPoolOrder::kSeparable) {
        Sizes along_rows, along_cols;
        const auto read_rows = static_cast<std::uint64_t>(pooled_rows(e.spans).size());
        for (const auto& [width, count] : e.cols) along_rows[width] += count * read_rows * e.channels;
        for (const auto& [height, count] : e.rows) along_cols[height] += count * e.spans.cols.size() * e.channels;
        return {along_rows, along_cols};
    }
    Sizes windows;
    for (const auto& [height, row_count] : e.rows)
        for (const auto& [width, col_count] : e.cols) windows[height * width] += row_count * col_count * e.channels;
    return {windows};
}

}  // namespace

std::vector<Sizes> max_pool_passes(const Layer& layer, MaxPoolOrder order) { return passes(extents_of(layer), order); }

MaxPoolOrder max_pool_order(const Layer& layer, NonlinearProtocols protocols) {
    if (protocols != NonlinearProtocols::kLean) return MaxPoolOrder::kWindows;
    const Extents extents = extents_of(layer);
    std::uint64_t windows = 0, separable = 0;
    for (const Sizes& pass : passes(extents, MaxPoolOrder::kWindows)) windows += comparisons(pass);
    for (const Sizes& pass : passes(extents, MaxPoolOrder::kSeparable)) separable += comparisons(pass);
    return separable < windows ? MaxPoolOrder::kSeparable : MaxPoolOrder::kWindows;
}

}  // namespace snnipred::protocol
