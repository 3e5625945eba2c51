#include "snnipred/crypto/he/rns_poly.h"

#include "avx512_kernels.h"

namespace snnipred::crypto::he {

void add_inplace(RnsPoly& a, const RnsPoly& b, std::span<const Modulus> moduli) {
    for (std::size_t i = 0; i < a.primes(); ++i) {
        std::uint64_t* x = a.row(i);
        const std::uint64_t* y = b.row(i);
        for (std::size_t j = 0; j < a.n(); ++j) x[j] = moduli[i].add(x[j], y[j]);
    }
}

void sub_inplace(RnsPoly& a, const RnsPoly& b, std::span<const Modulus> moduli) {
    for (std::size_t i = 0; i < a.primes(); ++i) {
        std::uint64_t* x = a.row(i);
        const std::uint64_t* y = b.row(i);
        for (std::size_t j = 0; j < a.n(); ++j) x[j] = moduli[i].sub(x[j], y[j]);
    }
}

void negate_inplace(RnsPoly& a, std::span<const Modulus> moduli) {
    for (std::size_t i = 0; i < a.primes(); ++i) {
        std::uint64_t* x = a.row(i);
        for (std::size_t j = 0; j < a.n(); ++j) x[j] = moduli[i].neg(x[j]);
    }
}

void multiply_shoup_inplace(RnsPoly& a, const RnsPoly& b, const RnsPoly& b_shoup, std::span<const Modulus> moduli) {
    for (std::size_t i = 0; i < a.primes(); ++i) {
        std::uint64_t* x = a.row(i);
        const std::uint64_t* w = b.row(i);
        const std::uint64_t* w_shoup = b_shoup.row(i);
        const Modulus& q = moduli[i];
        for (std::size_t j = 0; j < a.n(); ++j) x[j] = q.mul_shoup(x[j], w[j], w_shoup[j]);
    }
}

void multiply_accumulate_inplace(RnsPoly& acc, const RnsPoly& x, const RnsPoly& w, const RnsPoly& w_shoup,
                                 std::span<const Modulus> moduli, HeKernel kernel) {
    const std::size_t n = acc.n();
    for (std::size_t i = 0; i < acc.primes(); ++i) {
        const Modulus& q = moduli[i];
        if (kernel == HeKernel::kAvx512 && n % 16 == 0) {
            detail::multiply_accumulate_avx512(acc.row(i), x.row(i), w.row(i), w_shoup.row(i), n, q);
            continue;
        }
        std::uint64_t* a = acc.row(i);
        const std::uint64_t* xs = x.row(i);
        const std::uint64_t* ws = w.row(i);
        const std::uint64_t* shoup = w_shoup.row(i);
        for (std::size_t j = 0; j < n; ++j) a[j] = q.add(a[j], q.mul_shoup(xs[j], ws[j], shoup[j]));
    }
}

void multiply_inplace(RnsPoly& a, const RnsPoly& b, std::span<const Modulus> moduli) {
    for (std::size_t i = 0; i < a.primes(); ++i) {
        std::uint64_t* x = a.row(i);
        const std::uint64_t* y = b.row(i);
        for (std::size_t j = 0; j < a.n(); ++j) x[j] = moduli[i].mul(x[j], y[j]);
    }
}

void forward_ntt(RnsPoly& a, std::span<const NttTables> tables) {
    for (std::size_t i = 0; i < a.primes(); ++i) tables[i].forward(a.row(i));
}

void inverse_ntt(RnsPoly& a, std::span<const NttTables> tables) {
    for (std::size_t i = 0; i < a.primes(); ++i) tables[i].inverse(a.row(i));
}

RnsPoly shoup_constants(const RnsPoly& a, std::span<const Modulus> moduli) {
    RnsPoly result(a.n(), a.primes());
    for (std::size_t i = 0; i < a.primes(); ++i) {
        for (std::size_t j = 0; j < a.n(); ++j) result.row(i)[j] = moduli[i].shoup(a.row(i)[j]);
    }
    return result;
}

RnsPoly lift_signed(std::span<const std::int64_t> coeffs, std::span<const Modulus> moduli) {
    RnsPoly result(coeffs.size(), moduli.size());
    for (std::size_t i = 0; i < moduli.size(); ++i) {
        for (std::size_t j = 0; j < coeffs.size(); ++j) result.row(i)[j] = moduli[i].from_signed(coeffs[j]);
    }
    return result;
}

}  // namespace snnipred::crypto::he
