// The AVX-512 kernels against the scalar code, bit for bit, for every prime in use.

#include <gtest/gtest.h>

#include "he_test_util.h"
#include "snnipred/crypto/he/kernel.h"
#include "snnipred/crypto/he/ntt.h"
#include "snnipred/crypto/he/rns_poly.h"

namespace snnipred::crypto::he {
namespace {

// Random residues with the edge values 0 and q - 1 at the front and the back.
std::vector<std::uint64_t> residues(std::size_t n, const Modulus& q, Prng& prng) {
    std::vector<std::uint64_t> v(n);
    for (auto& c : v) c = q.reduce(prng.next_u64());
    v[0] = 0;
    v[1] = q.value() - 1;
    v[n - 2] = q.value() - 1;
    v[n - 1] = 0;
    return v;
}

class Avx512Kernels : public ::testing::Test {
protected:
    void SetUp() override {
        if (!kernel_supported(HeKernel::kAvx512)) GTEST_SKIP() << "this CPU lacks AVX-512F/DQ/IFMA";
    }
};

TEST_F(Avx512Kernels, NttEqualsScalarBothDirectionsForEveryPrime) {
    Prng prng = testing::seeded_prng(70);
    for (const auto& params : {HeParams::cheetah_n4096(), HeParams::n8192()}) {
        for (const std::uint64_t prime : params.primes()) {
            const Modulus q(prime);
            const NttTables scalar(params.n(), q, HeKernel::kScalar), vector(params.n(), q, HeKernel::kAvx512);
            for (const bool all_extreme : {false, true}) {
                std::vector<std::uint64_t> a = residues(params.n(), q, prng);
                if (all_extreme) std::fill(a.begin(), a.end(), q.value() - 1);
                auto s = a, v = a;
                scalar.forward(s.data());
                vector.forward(v.data());
                ASSERT_EQ(v, s) << "forward mod " << prime;
                scalar.inverse(s.data());
                vector.inverse(v.data());
                ASSERT_EQ(v, s) << "inverse mod " << prime;
                ASSERT_EQ(v, a) << "inverse(forward(a)) mod " << prime;
                // The inverse alone, on values that are not a forward transform's output.
                auto s2 = a, v2 = a;
                scalar.inverse(s2.data());
                vector.inverse(v2.data());
                ASSERT_EQ(v2, s2) << "inverse of raw values mod " << prime;
            }
        }
    }
}

TEST_F(Avx512Kernels, SmallRingsFallBackToScalar) {
    const Modulus q(ntt_primes(8, 50, 1)[0]);
    EXPECT_EQ(NttTables(8, q, HeKernel::kAvx512).kernel(), HeKernel::kScalar);
    EXPECT_EQ(NttTables(16, Modulus(ntt_primes(16, 50, 1)[0]), HeKernel::kAvx512).kernel(), HeKernel::kAvx512);
    Prng prng = testing::seeded_prng(72);
    const Modulus q16(ntt_primes(16, 60, 1)[0]);
    const NttTables scalar(16, q16, HeKernel::kScalar), vector(16, q16, HeKernel::kAvx512);
    auto a = residues(16, q16, prng), b = a;
    scalar.forward(a.data());
    vector.forward(b.data());
    EXPECT_EQ(a, b);
}

TEST_F(Avx512Kernels, MultiplyAccumulateEqualsScalarForEveryPrime) {
    Prng prng = testing::seeded_prng(71);
    for (const auto& params : {HeParams::cheetah_n4096(), HeParams::n8192()}) {
        std::vector<Modulus> moduli;
        for (const std::uint64_t prime : params.primes()) moduli.emplace_back(prime);
        const std::size_t n = params.n(), k = moduli.size();
        RnsPoly acc(n, k), x(n, k), w(n, k);
        for (std::size_t i = 0; i < k; ++i) {
            const auto a = residues(n, moduli[i], prng), b = residues(n, moduli[i], prng);
            auto c = residues(n, moduli[i], prng);
            std::reverse(c.begin(), c.end());
            std::copy(a.begin(), a.end(), acc.row(i));
            std::copy(b.begin(), b.end(), x.row(i));
            std::copy(c.begin(), c.end(), w.row(i));
        }
        const RnsPoly w_shoup = shoup_constants(w, moduli);
        RnsPoly scalar = acc, vector = acc;
        for (int round = 0; round < 3; ++round) {
            multiply_accumulate_inplace(scalar, x, w, w_shoup, moduli, HeKernel::kScalar);
            multiply_accumulate_inplace(vector, x, w, w_shoup, moduli, HeKernel::kAvx512);
        }
        EXPECT_EQ(vector, scalar) << "N = " << n;
        // And the scalar result is the plain modular arithmetic.
        for (std::size_t i = 0; i < k; ++i) {
            const Modulus& q = moduli[i];
            for (std::size_t j = 0; j < n; ++j) {
                const std::uint64_t product = q.mul(x.row(i)[j], w.row(i)[j]);
                const std::uint64_t expected = q.add(acc.row(i)[j], q.add(product, q.add(product, product)));
                ASSERT_EQ(scalar.row(i)[j], expected) << "prime " << i << ", coefficient " << j;
            }
        }
    }
}

}  // namespace
}  // namespace snnipred::crypto::he
