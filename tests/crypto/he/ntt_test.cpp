#include "snnipred/crypto/he/ntt.h"

#include <gtest/gtest.h>

#include "he_test_util.h"
#include "snnipred/core/error.h"

namespace snnipred::crypto::he {
namespace {

std::vector<std::uint64_t> random_poly(std::size_t n, const Modulus& q, Prng& prng) {
    std::vector<std::uint64_t> p(n);
    for (auto& c : p) c = q.reduce(prng.next_u64());
    return p;
}

std::vector<std::uint64_t> schoolbook(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b,
                                      const Modulus& q) {
    const std::size_t n = a.size();
    std::vector<std::uint64_t> out(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < n; ++j) {
            const std::uint64_t p = q.mul(a[i], b[j]);
            if (i + j < n) {
                out[i + j] = q.add(out[i + j], p);
            } else {
                out[i + j - n] = q.sub(out[i + j - n], p);  // X^N = -1
            }
        }
    }
    return out;
}

void check_tables(const NttTables& tables, Prng& prng) {
    const Modulus& q = tables.modulus();
    const std::size_t n = tables.n();
    const auto a = random_poly(n, q, prng), b = random_poly(n, q, prng);
    auto fa = a, fb = b;
    tables.forward(fa.data());
    tables.forward(fb.data());
    for (auto v : fa) ASSERT_LT(v, q.value());
    auto back = fa;
    tables.inverse(back.data());
    EXPECT_EQ(back, a) << "inverse(forward(a)) != a mod " << q.value();
    for (std::size_t i = 0; i < n; ++i) fa[i] = q.mul(fa[i], fb[i]);
    tables.inverse(fa.data());
    EXPECT_EQ(fa, schoolbook(a, b, q)) << "NTT product != schoolbook mod " << q.value();
}

TEST(Ntt, MatchesSchoolbookForEveryPrimeOfTheParameterSets) {
    Prng prng = testing::seeded_prng(2);
    for (const auto& context : {testing::cheetah_context(), testing::n8192_context()}) {
        for (const NttTables& tables : context->tables()) check_tables(tables, prng);
    }
}

TEST(Ntt, SmallSizesAndEdgeValues) {
    Prng prng = testing::seeded_prng(3);
    for (std::size_t n : {2u, 8u, 64u, 1024u}) {
        const Modulus q(ntt_primes(n, 60, 1)[0]);
        const NttTables tables(n, q);
        check_tables(tables, prng);
        std::vector<std::uint64_t> top(n, q.value() - 1);  // all coefficients at q - 1
        auto copy = top;
        tables.forward(copy.data());
        tables.inverse(copy.data());
        EXPECT_EQ(copy, top);
    }
}

TEST(Ntt, RejectsUnsuitableModuli) {
    EXPECT_THROW(NttTables(4096, Modulus(1000003)), ConfigError);  // prime, but not 1 mod 8192
    EXPECT_THROW(NttTables(4096, Modulus(1000001)), ConfigError);  // 101 * 9901
    EXPECT_THROW(NttTables(3000, Modulus(ntt_primes(4096, 50, 1)[0])), ConfigError);
}

}  // namespace
}  // namespace snnipred::crypto::he
