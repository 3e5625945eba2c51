#include "snnipred/engine/bn_plan.h"

#include <algorithm>

#include "snnipred/core/error.h"

namespace snnipred::engine {
namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

}  // namespace

BnPlan plan_bn(std::int64_t channels, std::int64_t h, std::int64_t w, std::int64_t n) {
    SNNIPRED_CHECK(channels > 0 && h > 0 && w > 0 && n > 0, InvalidInput, "engine/bn: sizes must be positive");
    BnPlan p{n, channels, h, w};
    const std::int64_t plane = h * w;
    if (plane <= n) {
        std::int64_t cb = 1;
        while ((cb + 1) * (cb + 1) * plane <= n) ++cb;
        p.blocks_c = ceil_div(channels, std::min(cb, channels));
        p.block_c = ceil_div(channels, p.blocks_c);
        p.chunks = 1;
        p.chunk = plane;
    } else {
        p.block_c = 1;
        p.blocks_c = channels;
        p.chunks = ceil_div(plane, n);
        p.chunk = ceil_div(plane, p.chunks);
    }
    p.input_cts = p.blocks_c * p.chunks;
    return p;
}

}  // namespace snnipred::engine
