#include "avx512_kernels.h"

// GCC 12 warns inside its own AVX-512 headers that the unused undefined vector behind
// each unmasked intrinsic "may be used uninitialized" (GCC bug 105593): a false positive.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

// Compiled for any x86-64: only these functions use AVX-512, and only once the caller has
// checked the CPU (kernel.h). Shoup products need the high half of a product:
//  - primes below 2^50 (the 49-bit ones): lazy values stay below 4q < 2^52, so IFMA's
//    52-bit multiplies give it directly, with the Shoup constant floor(w 2^52 / q), which
//    is the 64-bit constant shifted right by 12;
//  - the 60-bit primes: AVX-512 has no 64 x 64 -> 128 multiply, so the high half is built
//    from four 32 x 32 products. (A prime split into primes below 2^50 would need a third
//    prime and a switched-down response below 50 bits, whose margin over t = 2^41 is too
//    small for the response rounding; docs/he-parameters.md.)
#define SNNIPRED_AVX512 __attribute__((target("avx512f,avx512dq,avx512ifma")))

namespace snnipred::crypto::he::detail {
namespace {

struct Ifma52 {
    SNNIPRED_AVX512 static __m512i lazy(__m512i x, __m512i w, __m512i w_shoup, __m512i q) {
        const __m512i zero = _mm512_setzero_si512();
        const __m512i estimate = _mm512_madd52hi_epu64(zero, x, _mm512_srli_epi64(w_shoup, 12));
        const __m512i r = _mm512_sub_epi64(_mm512_madd52lo_epu64(zero, x, w), _mm512_madd52lo_epu64(zero, estimate, q));
        return _mm512_and_si512(r, _mm512_set1_epi64((std::int64_t{1} << 52) - 1));
    }
};

struct Emulated64 {
    SNNIPRED_AVX512 static __m512i high(__m512i a, __m512i b) {
        const __m512i low32 = _mm512_set1_epi64(0xffffffff);
        const __m512i a_hi = _mm512_srli_epi64(a, 32), b_hi = _mm512_srli_epi64(b, 32);
        const __m512i ll = _mm512_mul_epu32(a, b), lh = _mm512_mul_epu32(a, b_hi);
        const __m512i hl = _mm512_mul_epu32(a_hi, b), hh = _mm512_mul_epu32(a_hi, b_hi);
        __m512i mid = _mm512_add_epi64(_mm512_srli_epi64(ll, 32), _mm512_and_si512(lh, low32));
        mid = _mm512_add_epi64(mid, _mm512_and_si512(hl, low32));
        const __m512i hi = _mm512_add_epi64(hh, _mm512_add_epi64(_mm512_srli_epi64(lh, 32), _mm512_srli_epi64(hl, 32)));
        return _mm512_add_epi64(hi, _mm512_srli_epi64(mid, 32));
    }
    SNNIPRED_AVX512 static __m512i lazy(__m512i x, __m512i w, __m512i w_shoup, __m512i q) {
        const __m512i estimate = high(x, w_shoup);
        return _mm512_sub_epi64(_mm512_mullo_epi64(x, w), _mm512_mullo_epi64(estimate, q));
    }
};

// x - m where x >= m, else x: one subtraction and an unsigned minimum.
SNNIPRED_AVX512 inline __m512i reduce_once(__m512i x, __m512i m) { return _mm512_min_epu64(x, _mm512_sub_epi64(x, m)); }

// Lane k of a 16-value block for butterflies of half-size t < 8: group k / t, offset k % t;
// x at g 2t + j, y at g 2t + t + j. Also where each value goes back.
struct SmallStride {
    __m512i x_index, y_index, root_index, back_low, back_high;
};

SNNIPRED_AVX512 SmallStride small_stride(std::size_t t) {
    alignas(64) std::int64_t x[8], y[8], root[8], back[16];
    for (std::size_t k = 0; k < 8; ++k) {
        const std::size_t g = k / t, j = k % t;
        x[k] = static_cast<std::int64_t>(g * 2 * t + j);
        y[k] = static_cast<std::int64_t>(g * 2 * t + t + j);
        root[k] = static_cast<std::int64_t>(g);
    }
    for (std::size_t e = 0; e < 16; ++e) {
        const std::size_t g = e / (2 * t), r = e % (2 * t);
        back[e] = static_cast<std::int64_t>(r < t ? g * t + r : 8 + g * t + r - t);
    }
    return {_mm512_load_si512(x), _mm512_load_si512(y), _mm512_load_si512(root), _mm512_load_si512(back),
            _mm512_load_si512(back + 8)};
}

// Runs butterfly(x, y, w, w_shoup) on every (x, y) pair of one stage of half-size t, whose
// group g uses root index first_root + g.
template <typename Butterfly>
SNNIPRED_AVX512 void stage(std::uint64_t* a, std::size_t n, std::size_t t, std::size_t first_root,
                           const std::uint64_t* roots, const std::uint64_t* roots_shoup, Butterfly butterfly) {
    if (t >= 8) {
        for (std::size_t g = 0; g < n / (2 * t); ++g) {
            const __m512i w = _mm512_set1_epi64(static_cast<std::int64_t>(roots[first_root + g]));
            const __m512i ws = _mm512_set1_epi64(static_cast<std::int64_t>(roots_shoup[first_root + g]));
            std::uint64_t* x = a + 2 * g * t;
            for (std::size_t j = 0; j < t; j += 8) {
                __m512i vx = _mm512_loadu_si512(x + j), vy = _mm512_loadu_si512(x + t + j);
                butterfly(vx, vy, w, ws);
                _mm512_storeu_si512(x + j, vx);
                _mm512_storeu_si512(x + t + j, vy);
            }
        }
        return;
    }
    const SmallStride s = small_stride(t);
    for (std::size_t base = 0; base < n; base += 16) {
        const __m512i low = _mm512_loadu_si512(a + base), high = _mm512_loadu_si512(a + base + 8);
        __m512i vx = _mm512_permutex2var_epi64(low, s.x_index, high);
        __m512i vy = _mm512_permutex2var_epi64(low, s.y_index, high);
        const std::size_t root = first_root + base / (2 * t);
        const __m512i w = _mm512_permutexvar_epi64(s.root_index, _mm512_loadu_si512(roots + root));
        const __m512i ws = _mm512_permutexvar_epi64(s.root_index, _mm512_loadu_si512(roots_shoup + root));
        butterfly(vx, vy, w, ws);
        _mm512_storeu_si512(a + base, _mm512_permutex2var_epi64(vx, s.back_low, vy));
        _mm512_storeu_si512(a + base + 8, _mm512_permutex2var_epi64(vx, s.back_high, vy));
    }
}

template <typename Mul>
SNNIPRED_AVX512 void forward(std::uint64_t* a, std::size_t n, const std::uint64_t* roots,
                             const std::uint64_t* roots_shoup, const Modulus& modulus) {
    const __m512i q = _mm512_set1_epi64(static_cast<std::int64_t>(modulus.value()));
    const __m512i two_q = _mm512_add_epi64(q, q);
    // Cooley-Tukey, as NttTables::forward: inputs and outputs below 4q.
    const auto butterfly = [&](__m512i& x, __m512i& y, __m512i w, __m512i ws) SNNIPRED_AVX512 {
        const __m512i u = reduce_once(x, two_q);
        const __m512i v = Mul::lazy(y, w, ws, q);
        x = _mm512_add_epi64(u, v);
        y = _mm512_sub_epi64(_mm512_add_epi64(u, two_q), v);
    };
    for (std::size_t m = 1, t = n / 2; m < n; m <<= 1, t >>= 1) stage(a, n, t, m, roots, roots_shoup, butterfly);
    for (std::size_t i = 0; i < n; i += 8) {
        const __m512i v = _mm512_loadu_si512(a + i);
        _mm512_storeu_si512(a + i, reduce_once(reduce_once(v, two_q), q));
    }
}

template <typename Mul>
SNNIPRED_AVX512 void inverse(std::uint64_t* a, std::size_t n, const std::uint64_t* inv_roots,
                             const std::uint64_t* inv_roots_shoup, std::uint64_t n_inv, std::uint64_t n_inv_shoup,
                             const Modulus& modulus) {
    const __m512i q = _mm512_set1_epi64(static_cast<std::int64_t>(modulus.value()));
    const __m512i two_q = _mm512_add_epi64(q, q);
    // Gentleman-Sande, as NttTables::inverse: inputs and outputs below 2q.
    const auto butterfly = [&](__m512i& x, __m512i& y, __m512i w, __m512i ws) SNNIPRED_AVX512 {
        const __m512i difference = _mm512_sub_epi64(_mm512_add_epi64(x, two_q), y);
        x = reduce_once(_mm512_add_epi64(x, y), two_q);
        y = Mul::lazy(difference, w, ws, q);
    };
    for (std::size_t m = n, t = 1; m > 1; m >>= 1, t <<= 1) {
        stage(a, n, t, m / 2, inv_roots, inv_roots_shoup, butterfly);
    }
    const __m512i w = _mm512_set1_epi64(static_cast<std::int64_t>(n_inv));
    const __m512i ws = _mm512_set1_epi64(static_cast<std::int64_t>(n_inv_shoup));
    for (std::size_t i = 0; i < n; i += 8) {
        const __m512i v = _mm512_loadu_si512(a + i);
        _mm512_storeu_si512(a + i, reduce_once(Mul::lazy(v, w, ws, q), q));
    }
}

template <typename Mul>
SNNIPRED_AVX512 void multiply_accumulate(std::uint64_t* acc, const std::uint64_t* x, const std::uint64_t* w,
                                         const std::uint64_t* w_shoup, std::size_t n, const Modulus& modulus) {
    const __m512i q = _mm512_set1_epi64(static_cast<std::int64_t>(modulus.value()));
    for (std::size_t j = 0; j < n; j += 8) {
        const __m512i product = reduce_once(
            Mul::lazy(_mm512_loadu_si512(x + j), _mm512_loadu_si512(w + j), _mm512_loadu_si512(w_shoup + j), q), q);
        _mm512_storeu_si512(acc + j, reduce_once(_mm512_add_epi64(_mm512_loadu_si512(acc + j), product), q));
    }
}

// IFMA needs every lazy value (below 4q) to fit in 52 bits.
bool fits_ifma(const Modulus& q) { return q.value() < (std::uint64_t{1} << 50); }

}  // namespace

void forward_ntt_avx512(std::uint64_t* a, std::size_t n, const std::uint64_t* roots, const std::uint64_t* roots_shoup,
                        const Modulus& q) {
    if (fits_ifma(q)) {
        forward<Ifma52>(a, n, roots, roots_shoup, q);
    } else {
        forward<Emulated64>(a, n, roots, roots_shoup, q);
    }
}

void inverse_ntt_avx512(std::uint64_t* a, std::size_t n, const std::uint64_t* inv_roots,
                        const std::uint64_t* inv_roots_shoup, std::uint64_t n_inv, std::uint64_t n_inv_shoup,
                        const Modulus& q) {
    if (fits_ifma(q)) {
        inverse<Ifma52>(a, n, inv_roots, inv_roots_shoup, n_inv, n_inv_shoup, q);
    } else {
        inverse<Emulated64>(a, n, inv_roots, inv_roots_shoup, n_inv, n_inv_shoup, q);
    }
}

void multiply_accumulate_avx512(std::uint64_t* acc, const std::uint64_t* x, const std::uint64_t* w,
                                const std::uint64_t* w_shoup, std::size_t n, const Modulus& q) {
    if (fits_ifma(q)) {
        multiply_accumulate<Ifma52>(acc, x, w, w_shoup, n, q);
    } else {
        multiply_accumulate<Emulated64>(acc, x, w, w_shoup, n, q);
    }
}

}  // namespace snnipred::crypto::he::detail
