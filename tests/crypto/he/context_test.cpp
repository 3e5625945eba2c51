#include "snnipred/crypto/he/context.h"

#include <gtest/gtest.h>

#include "he_test_util.h"
#include "snnipred/core/error.h"

namespace snnipred::crypto::he {
namespace {

TEST(HeContext, LevelConstantsSatisfyTheirDefinitions) {
    for (const auto& ctx : {testing::cheetah_context(), testing::n8192_context()}) {
        const auto& primes = ctx->params().primes();
        const std::uint64_t t_mod = std::uint64_t{1} << ctx->plain_bits();
        for (std::size_t l = 1; l <= ctx->max_primes(); ++l) {
            const LevelData& level = ctx->level(l);
            EXPECT_EQ(level.primes, l);
            for (std::size_t i = 0; i < l; ++i) {
                const Modulus q(primes[i]);
                // Q_l mod q_i = 0 = Delta * t + (Q_l mod t) mod q_i.
                EXPECT_EQ(q.add(q.mul(level.delta[i], q.reduce(t_mod)), q.reduce(level.q_mod_t)), 0u);
                // (Q_l / q_i) * its inverse = 1 mod q_i.
                std::uint64_t punctured = 1;
                for (std::size_t k = 0; k < l; ++k) {
                    if (k != i) punctured = q.mul(punctured, q.reduce(primes[k]));
                }
                EXPECT_EQ(q.mul(punctured, level.crt_inv[i]), 1u);
                if (i + 1 < l) {
                    EXPECT_EQ(q.mul(q.reduce(primes[l - 1]), level.last_inv[i]), 1u);
                }
            }
        }
        EXPECT_THROW(ctx->level(0), InvalidInput);
        EXPECT_THROW(ctx->level(ctx->max_primes() + 1), InvalidInput);
    }
}

}  // namespace
}  // namespace snnipred::crypto::he
