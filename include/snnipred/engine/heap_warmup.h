#pragma once
// The first online step of a fresh process used to pay the kernel for the first touch of
// every heap page its working memory needed: on this machine kind, the first ReLU of 4,096
// values took 26–33 ms of CPU and the later ones 3.5–5 (docs/RESULTS.md, 2026-12-06,
// tenth). Later steps reuse those pages, and the calibration's probes run in a warm
// process, so the predictors could not see that cost. Setup now maps the largest online
// step's working memory once, where it is input-independent and the plan's setup holds it.

#include <cstddef>

#include "snnipred/protocol/plan.h"

namespace snnipred::engine::detail {

/// Heap bytes the largest online OT step of `plan` works in: 192 bytes per correlated OT
/// of the step, at most kMaxWarmHeapBytes; 0 for a plan without online OTs. The heap grew
/// by 33–65 bytes per COT in a fresh process's first ReLU, but in a long-lived caller (a
/// profiling campaign) the step still spent up to 150 ms of system time on page faults with
/// 64 and 128 per COT, and none to speak of with 192. Not more: a fresh page costs about
/// 3 ms per MiB to map on this machine kind, in setup or online.
std::size_t online_heap_bytes(const protocol::ProtocolPlan& plan);

/// Larger steps allocate most of their memory above the heap's 32 MiB limit, where each
/// allocation is mapped anew anyway.
inline constexpr std::size_t kMaxWarmHeapBytes = std::size_t{256} << 20;

/// Maps and touches `bytes` of heap, then frees it, and from now on keeps this process's
/// freed heap memory: allocations below 32 MiB come from the heap (glibc's mallopt: the
/// mmap threshold at its 32 MiB maximum, the trim threshold above `bytes`). Process-wide:
/// the engine's processes hold their largest step's memory until they exit.
void warm_heap(std::size_t bytes);

}  // namespace snnipred::engine::detail
