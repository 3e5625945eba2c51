#include "snnipred/crypto/he/input_wire.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

#include "bit_packing.h"
#include "mp_uint.h"
#include "sampling.h"
#include "snnipred/core/error.h"
#include "snnipred/core/parallel.h"

namespace snnipred::crypto::he {
namespace {

using detail::BitReader;
using detail::BitWriter;

constexpr std::uint8_t kMagic[4] = {'S', 'N', 'H', 'I'};
constexpr std::uint8_t kVersion = 1;
constexpr std::size_t kHeaderSize = 14;
constexpr std::size_t kMaxWords = 16;
constexpr int kChunkBits = 32;      // a word's half: any bit offset stays within two words
constexpr int kWideChunkBits = 61;  // the most BitWriter takes at once
constexpr int kNarrowModulusBits = 122;  // Q + 2^(d-1) still fits in 128 bits

using Words = std::array<std::uint64_t, kMaxWords>;

// v = v * q + k over `words` words (the caller knows it does not overflow).
void multiply_add(Words& v, std::size_t words, std::uint64_t q, std::uint64_t k) {
    std::uint64_t carry = k;
    for (std::size_t w = 0; w < words; ++w) {
        const u128 t = static_cast<u128>(v[w]) * q + carry;
        v[w] = static_cast<std::uint64_t>(t);
        carry = static_cast<std::uint64_t>(t >> 64);
    }
}

void add_power_of_two(Words& v, std::size_t words, int bit) {
    std::size_t w = static_cast<std::size_t>(bit) / 64;
    std::uint64_t add = std::uint64_t{1} << (bit % 64);
    for (; w < words && add != 0; ++w) {
        v[w] += add;
        add = v[w] < add ? 1 : 0;
    }
}

void shift_right(Words& v, std::size_t words, int bits) {
    const std::size_t skip = static_cast<std::size_t>(bits) / 64;
    const int s = bits % 64;
    for (std::size_t w = 0; w < words; ++w) {
        const std::uint64_t lo = w + skip < words ? v[w + skip] : 0;
        const std::uint64_t hi = w + skip + 1 < words ? v[w + skip + 1] : 0;
        v[w] = s == 0 ? lo : (lo >> s) | (hi << (64 - s));
    }
}

void shift_left(Words& v, std::size_t words, int bits) {
    const std::size_t skip = static_cast<std::size_t>(bits) / 64;
    const int s = bits % 64;
    for (std::size_t w = words; w-- > 0;) {
        const std::uint64_t hi = w >= skip ? v[w - skip] : 0;
        const std::uint64_t lo = w >= skip + 1 ? v[w - skip - 1] : 0;
        v[w] = s == 0 ? hi : (hi << s) | (lo >> (64 - s));
    }
}

bool less_than(const Words& v, const std::vector<std::uint64_t>& limit) {
    for (std::size_t w = limit.size(); w-- > 0;) {
        if (v[w] != limit[w]) return v[w] < limit[w];
    }
    return false;
}

std::uint64_t bits_at(const Words& v, int first, int count) {
    const std::size_t w = static_cast<std::size_t>(first) / 64;
    const int s = first % 64;
    std::uint64_t value = v[w] >> s;
    if (s + count > 64) value |= v[w + 1] << (64 - s);
    return value & ((std::uint64_t{1} << count) - 1);
}

void set_bits_at(Words& v, int first, int count, std::uint64_t value) {
    const std::size_t w = static_cast<std::size_t>(first) / 64;
    const int s = first % 64;
    v[w] |= value << s;
    if (s + count > 64) v[w + 1] |= value >> (64 - s);
}

}  // namespace

InputCodec::InputCodec(std::shared_ptr<const HeContext> context, int drop_bits)
    : context_(std::move(context)), drop_bits_(drop_bits) {
    const std::span<const Modulus> moduli = context_->moduli();
    int modulus_bits = 0;
    std::vector<std::uint64_t> primes;
    for (const Modulus& q : moduli) {
        modulus_bits += q.bits();
        primes.push_back(q.value());
    }
    coefficient_bits_ = modulus_bits - drop_bits;
    SNNIPRED_CHECK(drop_bits >= 0 && coefficient_bits_ >= 2, ConfigError,
                   "he: an input may drop 0 to " + std::to_string(modulus_bits - 2) + " bits, not " +
                       std::to_string(drop_bits));
    // A word more than Q needs when its bits fill words: rounding up may carry past them.
    words_ = static_cast<std::size_t>(modulus_bits) / 64 + 1;
    SNNIPRED_CHECK(words_ <= kMaxWords, ConfigError, "he: the ciphertext modulus is too wide for the input wire form");
    // ceil(Q / 2^d) = floor((Q - 1) / 2^d) + 1.
    detail::Limbs q_minus_one = detail::product(primes);
    detail::sub_inplace(q_minus_one, detail::Limbs{1});
    limit_ = detail::shift_right(q_minus_one, drop_bits);
    detail::add_inplace(limit_, detail::Limbs{1});
    limit_.resize(words_, 0);
    narrow_ = moduli.size() <= 2 && modulus_bits <= kNarrowModulusBits;
    garner_.resize(moduli.size());
    for (std::size_t i = 0; i < moduli.size(); ++i) {
        for (std::size_t m = 0; m < i; ++m) garner_[i].push_back(moduli[i].inverse(moduli[i].reduce(primes[m])));
    }
}

std::size_t InputCodec::size(std::size_t count) const {
    const std::size_t c0_bytes = (context_->n() * static_cast<std::size_t>(coefficient_bits_) + 7) / 8;
    return kHeaderSize + count * (sizeof(Seed) + c0_bytes);
}

std::vector<std::byte> InputCodec::header(std::size_t count) const {
    std::vector<std::byte> out;
    for (std::uint8_t m : kMagic) out.push_back(std::byte{m});
    out.push_back(std::byte{kVersion});
    out.push_back(static_cast<std::byte>(drop_bits_));
    for (const auto value : {static_cast<std::uint32_t>(context_->n()), static_cast<std::uint32_t>(count)}) {
        for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::byte>(value >> (8 * i)));
    }
    return out;
}

void InputCodec::encode(const Ciphertext& input, std::span<std::byte> out) const {
    const HeContext& ctx = *context_;
    SNNIPRED_CHECK(input.n() == ctx.n() && input.primes() == ctx.max_primes() && input.ntt_form() &&
                       input.seed().has_value(),
                   InvalidInput, "he: an input must be a fresh seeded ciphertext at the full modulus");
    SNNIPRED_CHECK(out.size() == size(1) - kHeaderSize, InvalidInput, "he: wrong room for an input ciphertext");
    std::memcpy(out.data(), input.seed()->data(), sizeof(Seed));
    RnsPoly c0 = input.c0();
    inverse_ntt(c0, ctx.tables());
    std::vector<std::byte> bytes;
    bytes.reserve(out.size() - sizeof(Seed));
    BitWriter writer(bytes);
    if (narrow_) {
        encode_narrow(c0, writer);
    } else {
        encode_wide(c0, writer);
    }
    writer.flush();
    SNNIPRED_CHECK(bytes.size() + sizeof(Seed) == out.size(), InvalidInput, "he: input ciphertext size mismatch");
    std::memcpy(out.data() + sizeof(Seed), bytes.data(), bytes.size());
}

// One or two primes, Q below 2^122: the same arithmetic in one 128-bit word, which the
// engine's N = 4096 set takes for every input.
void InputCodec::encode_narrow(const RnsPoly& c0, detail::BitWriter& writer) const {
    const std::span<const Modulus> moduli = context_->moduli();
    const u128 limit = static_cast<u128>(limit_[1]) << 64 | limit_[0];
    const int low = std::min(coefficient_bits_, kWideChunkBits);
    const std::uint64_t low_mask = (std::uint64_t{1} << low) - 1;
    for (std::size_t j = 0; j < context_->n(); ++j) {
        u128 v = c0.row(0)[j];
        if (moduli.size() == 2) {
            const Modulus& q1 = moduli[1];
            const std::uint64_t k1 = q1.mul(q1.sub(c0.row(1)[j], q1.reduce(c0.row(0)[j])), garner_[1][0]);
            v += static_cast<u128>(k1) * moduli[0].value();
        }
        if (drop_bits_ > 0) {
            v = (v + (static_cast<u128>(1) << (drop_bits_ - 1))) >> drop_bits_;
            if (v >= limit) v = 0;  // rounded up to Q / 2^d itself: 0 mod Q, as close
        }
        writer.write(static_cast<std::uint64_t>(v) & low_mask, low);
        if (coefficient_bits_ > low) writer.write(static_cast<std::uint64_t>(v >> low), coefficient_bits_ - low);
    }
}

void InputCodec::encode_wide(const RnsPoly& c0, detail::BitWriter& writer) const {
    const std::span<const Modulus> moduli = context_->moduli();
    const std::size_t primes = moduli.size();
    std::array<std::uint64_t, kMaxWords> digits{};
    for (std::size_t j = 0; j < context_->n(); ++j) {
        // Garner: c0_j = k_0 + q_0 (k_1 + q_1 (k_2 + ...)), each k_i < q_i, so below Q.
        for (std::size_t i = 0; i < primes; ++i) {
            std::uint64_t k = c0.row(i)[j];
            for (std::size_t m = 0; m < i; ++m) k = moduli[i].mul(moduli[i].sub(k, moduli[i].reduce(digits[m])), garner_[i][m]);
            digits[i] = k;
        }
        Words v{};
        v[0] = digits[primes - 1];
        for (std::size_t i = primes - 1; i-- > 0;) multiply_add(v, words_, moduli[i].value(), digits[i]);
        if (drop_bits_ > 0) {
            add_power_of_two(v, words_, drop_bits_ - 1);
            shift_right(v, words_, drop_bits_);
            // Rounded up to Q / 2^d itself: that is 0 mod Q, as close.
            if (!less_than(v, limit_)) v.fill(0);
        }
        for (int b = 0; b < coefficient_bits_; b += kChunkBits) {
            const int count = std::min(kChunkBits, coefficient_bits_ - b);
            writer.write(bits_at(v, b, count), count);
        }
    }
}

std::vector<std::byte> InputCodec::encode(std::span<const Ciphertext> inputs) const {
    std::vector<std::byte> message = header(inputs.size());
    const std::size_t part = size(1) - kHeaderSize;
    message.resize(size(inputs.size()));
    for (std::size_t k = 0; k < inputs.size(); ++k) {
        encode(inputs[k], std::span(message).subspan(kHeaderSize + k * part, part));
    }
    return message;
}

std::vector<Ciphertext> InputCodec::decode(std::span<const std::byte> message, std::size_t count,
                                           int threads) const {
    SNNIPRED_CHECK(message.size() == size(count), InvalidInput,
                   "he: expected " + std::to_string(count) + " input ciphertexts in " + std::to_string(size(count)) +
                       " bytes, got a message of " + std::to_string(message.size()) + " bytes");
    const std::vector<std::byte> expected = header(count);
    SNNIPRED_CHECK(std::equal(expected.begin(), expected.end(), message.begin()), InvalidInput,
                   "he: the input message's header is not the expected one (magic, version, " +
                       std::to_string(drop_bits_) + " dropped bits, N, " + std::to_string(count) + " ciphertexts)");
    const std::size_t part = size(1) - kHeaderSize;
    std::vector<Ciphertext> out(count);
    parallel_for(threads, count, [&](std::size_t k) { out[k] = decode_one(message.subspan(kHeaderSize + k * part, part)); });
    return out;
}

Ciphertext InputCodec::decode_one(std::span<const std::byte> part) const {
    const HeContext& ctx = *context_;
    Seed seed;
    std::memcpy(seed.data(), part.data(), sizeof(Seed));
    BitReader reader(part.subspan(sizeof(Seed)));
    const std::span<const Modulus> moduli = ctx.moduli();
    RnsPoly c0(ctx.n(), moduli.size());
    if (narrow_) {
        decode_narrow(reader, c0);
    } else {
        decode_wide(reader, c0);
    }
    SNNIPRED_CHECK(reader.padding_is_zero(), InvalidInput, "he: input ciphertext padding bits are not zero");
    forward_ntt(c0, ctx.tables());
    Prng prng(seed);
    RnsPoly c1 = detail::sample_uniform(prng, ctx.n(), moduli);
    return Ciphertext(std::move(c0), std::move(c1), true, seed);
}

void InputCodec::decode_narrow(detail::BitReader& reader, RnsPoly& c0) const {
    const std::span<const Modulus> moduli = context_->moduli();
    const u128 limit = static_cast<u128>(limit_[1]) << 64 | limit_[0];
    const int low = std::min(coefficient_bits_, kWideChunkBits);
    for (std::size_t j = 0; j < context_->n(); ++j) {
        u128 v = reader.read(low);
        if (coefficient_bits_ > low) v |= static_cast<u128>(reader.read(coefficient_bits_ - low)) << low;
        SNNIPRED_CHECK(v < limit, InvalidInput, "he: an input coefficient is not a rounded value mod Q");
        v <<= drop_bits_;
        for (std::size_t i = 0; i < moduli.size(); ++i) c0.row(i)[j] = moduli[i].reduce128(v);
    }
}

void InputCodec::decode_wide(detail::BitReader& reader, RnsPoly& c0) const {
    const std::span<const Modulus> moduli = context_->moduli();
    for (std::size_t j = 0; j < context_->n(); ++j) {
        Words v{};
        for (int b = 0; b < coefficient_bits_; b += kChunkBits) {
            const int count = std::min(kChunkBits, coefficient_bits_ - b);
            set_bits_at(v, b, count, reader.read(count));
        }
        SNNIPRED_CHECK(less_than(v, limit_), InvalidInput, "he: an input coefficient is not a rounded value mod Q");
        shift_left(v, words_, drop_bits_);
        for (std::size_t i = 0; i < moduli.size(); ++i) {
            std::uint64_t r = 0;
            for (std::size_t w = words_; w-- > 0;) r = moduli[i].reduce128((static_cast<u128>(r) << 64) | v[w]);
            c0.row(i)[j] = r;
        }
    }
}

}  // namespace snnipred::crypto::he
