#include "snnipred/engine/heap_warmup.h"

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <vector>

namespace snnipred::engine::detail {
namespace {

constexpr std::size_t kBytesPerCot = 192;
// glibc's largest mmap threshold on 64-bit (HEAP_MAX_SIZE / 2).
constexpr std::size_t kHeapAllocationLimit = std::size_t{32} << 20;
// Small enough to come from the heap, large enough to be few.
constexpr std::size_t kChunkBytes = std::size_t{1} << 20;

}  // namespace

std::size_t online_heap_bytes(const protocol::ProtocolPlan& plan) {
    std::uint64_t most_cots = 0;
    for (const protocol::PlanStep& step : plan.steps) {
        if (step.phase != protocol::Phase::kOnline) continue;
        most_cots = std::max(most_cots, step.ots_in_either_role(&protocol::OtCounts::random_cots) +
                                            step.ots_in_either_role(&protocol::OtCounts::chosen_cots));
    }
    return static_cast<std::size_t>(std::min<std::uint64_t>(most_cots * kBytesPerCot, kMaxWarmHeapBytes));
}

void warm_heap(std::size_t bytes) {
    if (bytes == 0) return;
    mallopt(M_MMAP_THRESHOLD, static_cast<int>(kHeapAllocationLimit));
    mallopt(M_TRIM_THRESHOLD, static_cast<int>(std::min(2 * bytes + kHeapAllocationLimit, std::size_t{1} << 30)));
    const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    std::vector<void*> chunks;
    chunks.reserve(bytes / kChunkBytes + 1);
    for (std::size_t done = 0; done < bytes; done += kChunkBytes) {
        void* chunk = std::malloc(kChunkBytes);
        if (chunk == nullptr) break;  // an optimisation only: keep what the system gave
        chunks.push_back(chunk);
        // volatile: the stores must happen although the memory is freed unread.
        auto* touch = static_cast<volatile unsigned char*>(chunk);
        for (std::size_t offset = 0; offset < kChunkBytes; offset += page) touch[offset] = 0;
    }
    for (void* chunk : chunks) std::free(chunk);
}

}  // namespace snnipred::engine::detail
