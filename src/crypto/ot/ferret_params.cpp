#include <string>

#include "lpn_encoder.h"
#include "mpcot.h"
#include "snnipred/core/error.h"
#include "snnipred/crypto/ot/ferret.h"

namespace snnipred::crypto::ot {
namespace {

void validate_set(const LpnParams& p, const char* name) {
    const std::string where = std::string("Ferret ") + name + " parameters: ";
    SNNIPRED_CHECK(p.t >= 1 && p.n % p.t == 0, ConfigError,
                   where + "t must divide n, got n = " + std::to_string(p.n) + ", t = " + std::to_string(p.t));
    SNNIPRED_CHECK(p.block() >= 2 && p.block() <= (std::size_t{1} << detail::kMaxGgmDepth), ConfigError,
                   where + "blocks of n/t must hold 2 … 2^" + std::to_string(detail::kMaxGgmDepth) +
                       " outputs, got " + std::to_string(p.block()));
    SNNIPRED_CHECK(p.k >= detail::kLpnWeight && p.k < (std::size_t{1} << 32), ConfigError,
                   where + "need " + std::to_string(detail::kLpnWeight) + " ≤ k < 2^32, got " + std::to_string(p.k));
}

}  // namespace

int LpnParams::depth() const { return t == 0 ? 0 : detail::ggm_depth(block()); }

FerretParams FerretParams::standard() {
    return {.bootstrap = {.n = 649'728, .k = 36'288, .t = 1'269}, .main = {.n = 10'168'320, .k = 588'160, .t = 1'324}};
}

FerretParams FerretParams::insecure_for_tests() {
    return {.bootstrap = {.n = 2048, .k = 512, .t = 8}, .main = {.n = 4096, .k = 1024, .t = 16}};
}

void FerretParams::validate() const {
    validate_set(bootstrap, "bootstrap");
    validate_set(main, "main");
    SNNIPRED_CHECK(main.reserve() < main.n, ConfigError,
                   "Ferret parameters: a main iteration must yield more than its reserve of " +
                       std::to_string(main.reserve()) + " COTs");
    SNNIPRED_CHECK(bootstrap.n >= main.reserve(), ConfigError,
                   "Ferret parameters: the bootstrap iteration yields " + std::to_string(bootstrap.n) +
                       " COTs, fewer than the main reserve of " + std::to_string(main.reserve()));
}

}  // namespace snnipred::crypto::ot
