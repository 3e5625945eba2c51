#include "snnipred/protocol/max_pool.h"

#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "snnipred/model/network.h"

namespace snnipred::protocol {
namespace {

constexpr auto kLean = NonlinearProtocols::kLean;
constexpr auto kClassic = NonlinearProtocols::kClassic;

// A max pool of `channels` × size × size by a square window, as the last layer of a network.
Layer max_pool(int channels, int size, int kernel, int stride, int padding = 0) {
    Network net("pool", Shape{channels, size, size});
    net.add(pool_layer(LayerType::kMaxPool, "mp", "input", kernel, stride, padding));
    return net.layers().back();
}

std::uint64_t comparisons(const Layer& layer, MaxPoolOrder order) {
    std::uint64_t total = 0;
    for (const auto& pass : max_pool_passes(layer, order))
        for (const auto& [size, count] : pass) total += (size - 1) * count;
    return total;
}

TEST(MaxPoolOrder, OverlappingWindowsAreSeparableUnderTheLeanProtocolsOnly) {
    const Layer squeezenet = max_pool(64, 111, 3, 2);  // 64 × 55 × 55
    EXPECT_EQ(max_pool_order(squeezenet, kLean), MaxPoolOrder::kSeparable);
    EXPECT_EQ(max_pool_order(squeezenet, kClassic), MaxPoolOrder::kWindows);
    EXPECT_EQ(comparisons(squeezenet, MaxPoolOrder::kWindows), 64u * 55 * 55 * 8);
    // 111 rows × 55 columns × 2, then 55 × 55 × 2.
    EXPECT_EQ(comparisons(squeezenet, MaxPoolOrder::kSeparable), 64u * (111 * 55 * 2 + 55 * 55 * 2));
}

TEST(MaxPoolOrder, PaddedWindowsCountTheirClippedCells) {
    const Layer resnet = max_pool(1, 8, 3, 2, 1);  // 4 × 4; the first row and column have 2 cells
    // Windows: 1 of 2 × 2, 6 of 2 × 3, 9 of 3 × 3.
    EXPECT_EQ(comparisons(resnet, MaxPoolOrder::kWindows), 3u + 6 * 5 + 9 * 8);
    // Rows: all 8 read, columns of 2, 3, 3, 3 cells: 8 × 7; then likewise down 4 columns.
    EXPECT_EQ(comparisons(resnet, MaxPoolOrder::kSeparable), 8u * 7 + 4 * 7);
    EXPECT_EQ(max_pool_order(resnet, kLean), MaxPoolOrder::kSeparable);
}

TEST(MaxPoolOrder, DisjointWindowsStayOnePass) {
    const Layer tiled = max_pool(3, 8, 2, 2);
    EXPECT_EQ(comparisons(tiled, MaxPoolOrder::kSeparable), comparisons(tiled, MaxPoolOrder::kWindows));
    EXPECT_EQ(max_pool_order(tiled, kLean), MaxPoolOrder::kWindows);
    EXPECT_EQ(max_pool_passes(tiled, MaxPoolOrder::kWindows).size(), 1u);
}

TEST(MaxPoolOrder, StridedPastRowsReadsOnlyTheRowsWindowsCover) {
    const Layer sparse = max_pool(1, 9, 2, 4);  // windows over rows {0, 1} and {4, 5}
    EXPECT_EQ(pooled_rows(pool_spans(sparse)), (std::vector<std::int64_t>{0, 1, 4, 5}));
}

TEST(MaxPoolOrder, AWindowWithNoInputCellIsRefused) {
    Layer layer = max_pool(1, 8, 3, 2);
    layer.output.h += 3;  // rows past the input
    EXPECT_THROW(max_pool_order(layer, kLean), InvalidInput);
}

}  // namespace
}  // namespace snnipred::protocol
