#include "snnipred/protocol/comparison.h"

#include <algorithm>
#include <string>

namespace snnipred::protocol {

NonlinearProtocols nonlinear_protocols(OtExtension extension) {
    return extension == OtExtension::kFerret ? NonlinearProtocols::kLean : NonlinearProtocols::kClassic;
}

int ComparisonDigits::leaf_log_n(std::size_t j) const {
    return protocols == NonlinearProtocols::kLean ? width[j] : digit_bits;
}

bool ComparisonDigits::has_eq(std::size_t j) const { return protocols == NonlinearProtocols::kClassic || j > 0; }

int comparison_digit_bits(NonlinearProtocols protocols) { return protocols == NonlinearProtocols::kLean ? 3 : 4; }

ComparisonDigits comparison_digits(int bits, int low_bits, NonlinearProtocols protocols, int digit_bits) {
    SNNIPRED_CHECK(digit_bits >= 1 && digit_bits <= 16, InvalidInput,
                   "comparison: digit width must be in [1, 16], got " + std::to_string(digit_bits));
    ComparisonDigits digits;
    digits.protocols = protocols;
    digits.digit_bits = std::min(digit_bits, bits);
    auto cover = [&](int from, int to) {
        for (int s = from; s < to; s += digits.digit_bits) {
            digits.start.push_back(s);
            digits.width.push_back(std::min(digits.digit_bits, to - s));
        }
    };
    cover(0, low_bits);
    digits.low_digits = digits.size();
    cover(low_bits, bits);
    return digits;
}

ComparisonDigits comparison_digits(int bits, int low_bits, NonlinearProtocols protocols) {
    return comparison_digits(bits, low_bits, protocols, comparison_digit_bits(protocols));
}

int sign_bits(const RingConfig& ring, NonlinearProtocols protocols) {
    return protocols == NonlinearProtocols::kLean ? std::min(ring.bits, ring.bits - ring.scale + 1) : ring.bits;
}

int truncation_wrap_bits(const RingConfig& ring, int shift, NonlinearProtocols protocols) {
    return protocols == NonlinearProtocols::kLean ? shift : ring.bits;
}

}  // namespace snnipred::protocol
