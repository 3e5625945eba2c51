#pragma once
// A ReLU that only feeds a max pool is applied after the pool instead: max and ReLU commute
// (max(ReLU(a), ReLU(b)) = ReLU(max(a, b)), exactly, on ring values too), so the output is
// the same while a 3×3 stride-2 pool leaves a quarter of the ReLUs to compute. SqueezeNet's
// pools read a concat of two ReLUs, which commute with the concat as well.

#include "snnipred/model/network_rewrites.h"

namespace snnipred {

/// Moves the ReLU before every max pool whose input is a ReLU read by nothing else, or a
/// concat read by nothing else of ReLUs read by nothing else, to after the pool: the pool
/// (or the concat) reads what the ReLUs read, and one ReLU, named after the first one moved,
/// reads the pool and takes its place for the pool's readers.
RewrittenNetwork relus_after_max_pools(const RewrittenNetwork& network);

}  // namespace snnipred
