// The heap warm-up of the engine's setup (engine/heap_warmup.h): sized from the plan's
// largest online OT step, and the memory it maps stays mapped for the online steps.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include <unistd.h>

#include "snnipred/engine/heap_warmup.h"
#include "snnipred/model/zoo.h"

namespace snnipred::engine::detail {
namespace {

protocol::ProtocolPlan relu_plan(std::int64_t channels) {
    Network net("relu", Shape{channels, 32, 32});
    net.add(simple_layer(LayerType::kRelu, "r", {"input"}));
    const protocol::PlanOptions options{.ring = {},
                                        .he = protocol::he_layout(protocol::HeSet::kCheetah, protocol::TruncationMode::kApproximate),
                                        .truncation = protocol::TruncationMode::kApproximate,
                                        .ot = protocol::OtExtension::kFerret};
    return protocol::plan_protocol(net, options);
}

// Resident memory of this process (/proc/self/statm, pages → bytes).
std::size_t resident_bytes() {
    std::ifstream statm("/proc/self/statm");
    std::size_t size = 0, resident = 0;
    statm >> size >> resident;
    return resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

TEST(HeapWarmup, FollowsTheLargestOnlineStepUpToItsCap) {
    const std::size_t one = online_heap_bytes(relu_plan(1));
    EXPECT_GT(one, std::size_t{1} << 20);
    EXPECT_EQ(online_heap_bytes(relu_plan(4)), 4 * one);
    EXPECT_EQ(online_heap_bytes(relu_plan(1024)), kMaxWarmHeapBytes);
}

TEST(HeapWarmup, ThePlansWithoutOnlineOtsWarmNothing) {
    Network net("flatten", Shape{4, 8, 8});
    net.add(simple_layer(LayerType::kFlatten, "f", {"input"}));
    EXPECT_EQ(online_heap_bytes(protocol::plan_protocol(net, {})), 0u);
}

// The warmed pages stay resident after they are freed, and later allocations below the
// heap's limit take them instead of new ones.
TEST(HeapWarmup, KeepsTheWarmedMemoryForLaterAllocations) {
    constexpr std::size_t kWarm = std::size_t{64} << 20;
    warm_heap(kWarm);
    // At least the warmed bytes are resident (a process that ran other tests may have had
    // pages resident before, which the warm-up then reuses).
    const std::size_t warmed = resident_bytes();
    EXPECT_GE(warmed, kWarm);

    void* again = std::malloc(std::size_t{16} << 20);
    ASSERT_NE(again, nullptr);
    auto* touch = static_cast<volatile unsigned char*>(again);
    for (std::size_t offset = 0; offset < (std::size_t{16} << 20); offset += 4096) touch[offset] = 1;
    EXPECT_LT(resident_bytes(), warmed + (std::size_t{2} << 20));
    std::free(again);
}

}  // namespace
}  // namespace snnipred::engine::detail
