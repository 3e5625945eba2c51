// Micro-benchmarks of the RLWE layer (src/crypto/he), one thread, one fixture per parameter
// set. Arguments: N (4096 = Cheetah's set, 8192 = the set with room for flooding), the
// kernel (0 scalar, 1 AVX-512; kernel.h) and, for the NTTs, the prime's index (0 is a
// 60-bit prime, the last a 49-bit one). Scalar and vector side by side in one run:
// --benchmark_enable_random_interleaving=true --benchmark_repetitions=N interleaves them.
// Inputs are generated in SetUp, outside the timed loops.
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <utility>

#include "snnipred/crypto/he/decryptor.h"
#include "snnipred/crypto/he/encryptor.h"
#include "snnipred/crypto/he/evaluator.h"
#include "snnipred/crypto/he/kernel.h"
#include "snnipred/crypto/he/response.h"
#include "snnipred/crypto/he/rns_poly.h"

namespace snnipred::crypto::he {
namespace {

// The kernels this CPU runs: 0 (scalar), and 1 (AVX-512) where supported.
std::vector<std::int64_t> kernels() {
    if (kernel_supported(HeKernel::kAvx512)) return {0, 1};
    return {0};
}

std::shared_ptr<const HeContext> context_for(std::int64_t n, HeKernel kernel) {
    static std::map<std::pair<std::int64_t, HeKernel>, std::shared_ptr<const HeContext>> cache;
    auto& slot = cache[{n, kernel}];
    if (!slot) slot = HeContext::create(n == 4096 ? HeParams::cheetah_n4096() : HeParams::n8192(), kernel);
    return slot;
}

class HeFixture : public benchmark::Fixture {
public:
    void SetUp(const benchmark::State& state) override {
        const HeKernel kernel = state.range(1) == 0 ? HeKernel::kScalar : HeKernel::kAvx512;
        ctx = context_for(state.range(0), kernel);
        Seed seed{};
        prng = std::make_unique<Prng>(seed);
        const KeyGenerator keygen(ctx);
        sk = std::make_unique<SecretKey>(keygen.secret_key(*prng));
        pk = std::make_unique<PublicKey>(keygen.public_key(*sk, *prng));
        encryptor = std::make_unique<Encryptor>(ctx, *sk);
        decryptor = std::make_unique<Decryptor>(ctx, *sk);
        evaluator = std::make_unique<Evaluator>(ctx);
        plain = Plaintext{std::vector<std::uint64_t>(ctx->n())};
        weights = Plaintext{std::vector<std::uint64_t>(ctx->n())};
        for (std::size_t j = 0; j < ctx->n(); ++j) {
            plain.coeffs[j] = prng->next_u64() & ctx->plain_mask();
            weights.coeffs[j] = prng->next_u64() & ctx->plain_mask();
        }
        fresh = encryptor->encrypt(plain, *prng);
    }

    // Times `op(ct)` on a new copy of `fresh` in coefficient form each iteration; making
    // the copy is outside the timed region.
    template <typename Op>
    void time_on_coefficient_copy(benchmark::State& state, Op&& op) {
        Ciphertext input = fresh;
        evaluator->from_ntt(input);
        for (auto _ : state) {
            state.PauseTiming();
            Ciphertext ct = input;
            state.ResumeTiming();
            op(ct);
            benchmark::DoNotOptimize(ct);
        }
    }

    std::shared_ptr<const HeContext> ctx;
    std::unique_ptr<Prng> prng;
    std::unique_ptr<SecretKey> sk;
    std::unique_ptr<PublicKey> pk;
    std::unique_ptr<Encryptor> encryptor;
    std::unique_ptr<Decryptor> decryptor;
    std::unique_ptr<Evaluator> evaluator;
    Plaintext plain, weights;
    Ciphertext fresh;
};

// One negacyclic NTT of N residues modulo prime range(2).
BENCHMARK_DEFINE_F(HeFixture, NttForward)(benchmark::State& state) {
    const auto prime = static_cast<std::size_t>(state.range(2));
    std::vector<std::uint64_t> values(fresh.c0().row(prime), fresh.c0().row(prime) + ctx->n());
    for (auto _ : state) {
        ctx->tables()[prime].forward(values.data());
        benchmark::DoNotOptimize(values.data());
    }
}

BENCHMARK_DEFINE_F(HeFixture, NttInverse)(benchmark::State& state) {
    const auto prime = static_cast<std::size_t>(state.range(2));
    std::vector<std::uint64_t> values(fresh.c0().row(prime), fresh.c0().row(prime) + ctx->n());
    for (auto _ : state) {
        ctx->tables()[prime].inverse(values.data());
        benchmark::DoNotOptimize(values.data());
    }
}

// acc += ct x prepared pt on both polynomials, all primes: the engine's inner loop
// (HomServer::multiply_accumulate).
BENCHMARK_DEFINE_F(HeFixture, MultiplyAccumulate)(benchmark::State& state) {
    const NttPlaintext w = evaluator->prepare(weights);
    Ciphertext acc = fresh;
    for (auto _ : state) {
        multiply_accumulate_inplace(acc.mutable_c0(), fresh.c0(), w.value(), w.shoup(), ctx->moduli(), ctx->kernel());
        multiply_accumulate_inplace(acc.mutable_c1(), fresh.c1(), w.value(), w.shoup(), ctx->moduli(), ctx->kernel());
        benchmark::ClobberMemory();
    }
}

// Secret-key, seeded encryption (the client's upload), including sampling.
BENCHMARK_DEFINE_F(HeFixture, EncryptSecret)(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(encryptor->encrypt(plain, *prng));
}

BENCHMARK_DEFINE_F(HeFixture, Decrypt)(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(decryptor->decrypt(fresh));
}

// Lift + NTT of a weight polynomial, done once per weight polynomial.
BENCHMARK_DEFINE_F(HeFixture, PreparePlain)(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(evaluator->prepare(weights));
}

// Ciphertext (NTT form) x prepared plaintext, in place: the server's inner loop.
BENCHMARK_DEFINE_F(HeFixture, MultiplyPlain)(benchmark::State& state) {
    const NttPlaintext w = evaluator->prepare(weights);
    Ciphertext ct = fresh;
    for (auto _ : state) {
        evaluator->multiply_plain(ct, w);
        benchmark::ClobberMemory();
    }
}

// Full-modulus coefficient-form ciphertext switched down to the first prime.
BENCHMARK_DEFINE_F(HeFixture, ModSwitchToFirstPrime)(benchmark::State& state) {
    time_on_coefficient_copy(state, [&](Ciphertext& ct) { evaluator->mod_switch_to(ct, 1); });
}

BENCHMARK_DEFINE_F(HeFixture, SerializeSeeded)(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(serialize(fresh, *ctx));
    state.counters["bytes"] = static_cast<double>(serialize(fresh, *ctx).size());
}

BENCHMARK_DEFINE_F(HeFixture, DeserializeSeeded)(benchmark::State& state) {
    const auto bytes = serialize(fresh, *ctx);
    for (auto _ : state) benchmark::DoNotOptimize(deserialize_ciphertext(bytes, *ctx));
}

// Re-randomization + flooding of a response (N = 8192 only: N = 4096 cannot flood).
BENCHMARK_DEFINE_F(HeFixture, ProtectResponse)(benchmark::State& state) {
    const ResponseProtector protector(ctx, *pk);
    time_on_coefficient_copy(state, [&](Ciphertext& ct) { protector.protect(ct, *prng); });
}

#define SNNIPRED_HE_BENCH(name)                                                            \
    BENCHMARK_REGISTER_F(HeFixture, name)                                                  \
        ->ArgsProduct({{4096, 8192}, kernels()})                                              \
        ->Unit(benchmark::kMicrosecond)
BENCHMARK_REGISTER_F(HeFixture, NttForward)->ArgsProduct({{4096}, kernels(), {0, 1}})->Unit(benchmark::kMicrosecond);
BENCHMARK_REGISTER_F(HeFixture, NttInverse)->ArgsProduct({{4096}, kernels(), {0, 1}})->Unit(benchmark::kMicrosecond);
SNNIPRED_HE_BENCH(MultiplyAccumulate);
SNNIPRED_HE_BENCH(EncryptSecret);
SNNIPRED_HE_BENCH(Decrypt);
SNNIPRED_HE_BENCH(PreparePlain);
SNNIPRED_HE_BENCH(MultiplyPlain);
SNNIPRED_HE_BENCH(ModSwitchToFirstPrime);
SNNIPRED_HE_BENCH(SerializeSeeded);
SNNIPRED_HE_BENCH(DeserializeSeeded);
BENCHMARK_REGISTER_F(HeFixture, ProtectResponse)->ArgsProduct({{8192}, kernels()})->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace snnipred::crypto::he
