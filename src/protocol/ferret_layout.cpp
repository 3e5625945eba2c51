#include "snnipred/protocol/ferret_layout.h"

#include <bit>

namespace snnipred::protocol {

int LpnShape::depth() const { return t == 0 ? 0 : static_cast<int>(std::bit_width(block() - 1)); }

FerretLayout ferret_layout() {
    return {.bootstrap = {.n = 649'728, .k = 36'288, .t = 1'269}, .main = {.n = 10'168'320, .k = 588'160, .t = 1'324}};
}

}  // namespace snnipred::protocol
