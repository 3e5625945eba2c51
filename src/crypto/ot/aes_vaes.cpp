#include "aes_vaes.h"

#include <immintrin.h>

namespace snnipred::crypto::ot::detail {
namespace {

// One step of the key schedule (Intel's AES-NI white paper, §5.2): `assist` is
// AESKEYGENASSIST of the previous round key with the round constant.
__attribute__((target("aes"))) __m128i next_round_key(__m128i key, __m128i assist) {
    assist = _mm_shuffle_epi32(assist, 0xff);
    key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
    key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
    key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
    return _mm_xor_si128(key, assist);
}

__m128i load(const Block& b) { return _mm_load_si128(reinterpret_cast<const __m128i*>(&b)); }

}  // namespace

bool cpu_has_vaes() {
    static const bool has = __builtin_cpu_supports("aes") && __builtin_cpu_supports("vaes") &&
                            __builtin_cpu_supports("avx512f");
    return has;
}

__attribute__((target("aes"))) AesRoundKeys aes128_round_keys(const Block& key) {
    __m128i k[11];
    k[0] = load(key);
    // The round constant must be an immediate, hence no loop.
    k[1] = next_round_key(k[0], _mm_aeskeygenassist_si128(k[0], 0x01));
    k[2] = next_round_key(k[1], _mm_aeskeygenassist_si128(k[1], 0x02));
    k[3] = next_round_key(k[2], _mm_aeskeygenassist_si128(k[2], 0x04));
    k[4] = next_round_key(k[3], _mm_aeskeygenassist_si128(k[3], 0x08));
    k[5] = next_round_key(k[4], _mm_aeskeygenassist_si128(k[4], 0x10));
    k[6] = next_round_key(k[5], _mm_aeskeygenassist_si128(k[5], 0x20));
    k[7] = next_round_key(k[6], _mm_aeskeygenassist_si128(k[6], 0x40));
    k[8] = next_round_key(k[7], _mm_aeskeygenassist_si128(k[7], 0x80));
    k[9] = next_round_key(k[8], _mm_aeskeygenassist_si128(k[8], 0x1b));
    k[10] = next_round_key(k[9], _mm_aeskeygenassist_si128(k[9], 0x36));
    AesRoundKeys keys;
    for (std::size_t r = 0; r < keys.size(); ++r) _mm_store_si128(reinterpret_cast<__m128i*>(&keys[r]), k[r]);
    return keys;
}

__attribute__((target("aes,vaes,avx512f"))) void aes128_encrypt_vaes(const AesRoundKeys& keys, Block* blocks,
                                                                    std::size_t count) {
    __m512i k[11];
    for (std::size_t r = 0; r < 11; ++r) k[r] = _mm512_maskz_broadcast_i32x4(0xffff, load(keys[r]));  // maskz: no undefined lanes
    std::size_t i = 0;
    // 16 blocks (four registers) at a time, so the AES units stay busy across rounds.
    for (; i + 16 <= count; i += 16) {
        auto* p = reinterpret_cast<__m512i*>(blocks + i);
        __m512i x0 = _mm512_xor_si512(_mm512_loadu_si512(p), k[0]);
        __m512i x1 = _mm512_xor_si512(_mm512_loadu_si512(p + 1), k[0]);
        __m512i x2 = _mm512_xor_si512(_mm512_loadu_si512(p + 2), k[0]);
        __m512i x3 = _mm512_xor_si512(_mm512_loadu_si512(p + 3), k[0]);
        for (std::size_t r = 1; r < 10; ++r) {
            x0 = _mm512_aesenc_epi128(x0, k[r]);
            x1 = _mm512_aesenc_epi128(x1, k[r]);
            x2 = _mm512_aesenc_epi128(x2, k[r]);
            x3 = _mm512_aesenc_epi128(x3, k[r]);
        }
        _mm512_storeu_si512(p, _mm512_aesenclast_epi128(x0, k[10]));
        _mm512_storeu_si512(p + 1, _mm512_aesenclast_epi128(x1, k[10]));
        _mm512_storeu_si512(p + 2, _mm512_aesenclast_epi128(x2, k[10]));
        _mm512_storeu_si512(p + 3, _mm512_aesenclast_epi128(x3, k[10]));
    }
    for (; i < count; ++i) {
        auto* p = reinterpret_cast<__m128i*>(blocks + i);
        __m128i x = _mm_xor_si128(_mm_loadu_si128(p), load(keys[0]));
        for (std::size_t r = 1; r < 10; ++r) x = _mm_aesenc_si128(x, load(keys[r]));
        _mm_storeu_si128(p, _mm_aesenclast_si128(x, load(keys[10])));
    }
}

}  // namespace snnipred::crypto::ot::detail
