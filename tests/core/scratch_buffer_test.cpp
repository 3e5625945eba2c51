// ScratchBuffer: spans of the asked size, memory kept across calls, large buffers aligned
// for huge pages.

#include "snnipred/core/scratch_buffer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>

namespace snnipred {
namespace {

TEST(ScratchBuffer, TakesTheAskedSizeAndHoldsWhatIsWritten) {
    ScratchBuffer<std::uint64_t> buffer;
    EXPECT_TRUE(buffer.take(0).empty());
    const std::span<std::uint64_t> values = buffer.take(1000);
    ASSERT_EQ(values.size(), 1000U);
    std::iota(values.begin(), values.end(), std::uint64_t{7});
    EXPECT_EQ(std::accumulate(values.begin(), values.end(), std::uint64_t{0}), 1000U * 7 + 999U * 1000 / 2);
    EXPECT_GE(buffer.capacity(), 1000U);
}

TEST(ScratchBuffer, ReusesItsMemoryForSmallerOrEqualRequests) {
    ScratchBuffer<std::uint8_t> buffer;
    std::uint8_t* const first = buffer.take(4096).data();
    EXPECT_EQ(buffer.take(10).data(), first);
    EXPECT_EQ(buffer.take(4096).data(), first);
    const std::size_t capacity = buffer.capacity();
    buffer.take(capacity + 1);
    EXPECT_GE(buffer.capacity(), capacity + capacity / 2);  // grows geometrically
}

TEST(ScratchBuffer, LargeBuffersStartOnAHugePageBoundary) {
    ScratchBuffer<std::uint64_t> buffer;
    const std::span<std::uint64_t> values = buffer.take(std::size_t{1} << 20);  // 8 MB
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(values.data()) % (std::size_t{2} << 20), 0U);
    values.back() = 42;
    EXPECT_EQ(values.back(), 42U);
}

}  // namespace
}  // namespace snnipred
