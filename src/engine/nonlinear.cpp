#include "snnipred/engine/nonlinear.h"

#include <algorithm>
#include <string>
#include <vector>

#include "snnipred/core/error.h"
#include "snnipred/protocol/comparison.h"

namespace snnipred::engine {

BitShares drelu(OtSession& session, std::span<const std::uint64_t> x) {
    const int low_bits = protocol::sign_bits(session.ring(), session.nonlinear()) - 1;
    const std::uint64_t low_mask = (std::uint64_t{1} << low_bits) - 1;
    std::vector<std::uint64_t> operand(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
        const std::uint64_t low = x[i] & low_mask;
        operand[i] = session.is_server() ? low_mask - low : low;
    }
    BitShares out = less_than(session, operand, low_bits);
    for (std::size_t i = 0; i < x.size(); ++i) {
        const std::uint8_t msb = (x[i] >> low_bits) & 1U;
        out[i] ^= msb ^ (session.is_server() ? 1 : 0);
    }
    return out;
}

ShareVector multiplex(OtSession& session, std::span<const std::uint8_t> b, std::span<const std::uint64_t> x) {
    SNNIPRED_CHECK(b.size() == x.size(), InvalidInput,
                   "multiplexer: " + std::to_string(b.size()) + " bits for " + std::to_string(x.size()) + " values");
    const RingConfig& ring = session.ring();
    const std::size_t n = x.size();
    ShareVector out(n);
    if (n == 0) return out;
    // As sender: corr = (1 − 2b)·x, keep b·x − s. As receiver: choose b, get s' + b·corr'.
    std::vector<std::uint64_t> corr(n);
    for (std::size_t i = 0; i < n; ++i) corr[i] = ring.reduce(b[i] ? 0 - x[i] : x[i]);
    std::vector<std::uint8_t> choices(b.begin(), b.end());
    std::vector<std::uint64_t> sent(n), received(n);
    auto as_sender = [&] { session.sender().correlated_ot(session.channel(), session.prg(), corr, ring.bits, sent); };
    auto as_receiver = [&] {
        session.receiver().correlated_ot(session.channel(), session.prg(), choices, ring.bits, received);
    };
    if (session.is_server()) {
        as_sender();
        as_receiver();
    } else {
        as_receiver();
        as_sender();
    }
    for (std::size_t i = 0; i < n; ++i) out[i] = ring.reduce((b[i] ? x[i] : 0) - sent[i] + received[i]);
    return out;
}

ShareVector relu(OtSession& session, std::span<const std::uint64_t> x) {
    const BitShares positive = drelu(session, x);
    return multiplex(session, positive, x);
}

ShareVector relu6(OtSession& session, std::span<const std::uint64_t> x) {
    const RingConfig& ring = session.ring();
    const std::size_t n = x.size();
    const std::uint64_t six = ring.reduce(std::uint64_t{6} << ring.scale);
    // Both comparisons in one batch: [x, x − 6]; only the server shifts its share.
    std::vector<std::uint64_t> both(2 * n);
    for (std::size_t i = 0; i < n; ++i) {
        both[i] = x[i];
        both[n + i] = session.is_server() ? ring.reduce(x[i] - six) : x[i];
    }
    BitShares bits = drelu(session, both);
    const std::span<const std::uint8_t> nonneg(bits.data(), n);
    const std::span<const std::uint8_t> above(bits.data() + n, n);
    const BitShares clipped = and_bits(session, nonneg, above);
    std::copy(clipped.begin(), clipped.end(), bits.begin() + static_cast<std::ptrdiff_t>(n));
    const ShareVector products = multiplex(session, bits, both);
    ShareVector out(n);
    for (std::size_t i = 0; i < n; ++i) out[i] = ring.reduce(products[i] - products[n + i]);
    return out;
}

void PoolShape::validate() const {
    SNNIPRED_CHECK(channels > 0 && height > 0 && width > 0 && kernel > 0 && stride > 0 && padding >= 0 &&
                       padding < kernel && height + 2 * padding >= kernel && width + 2 * padding >= kernel,
                   InvalidInput,
                   "max pool: bad shape " + std::to_string(channels) + "x" + std::to_string(height) + "x" +
                       std::to_string(width) + " kernel " + std::to_string(kernel) + " stride " +
                       std::to_string(stride) + " padding " + std::to_string(padding));
}

ShareVector max_pool(OtSession& session, std::span<const std::uint64_t> x, const PoolShape& shape) {
    shape.validate();
    const auto plane = static_cast<std::size_t>(shape.height) * static_cast<std::size_t>(shape.width);
    SNNIPRED_CHECK(x.size() == static_cast<std::size_t>(shape.channels) * plane, InvalidInput,
                   "max pool: input has " + std::to_string(x.size()) + " values, shape needs " +
                       std::to_string(static_cast<std::size_t>(shape.channels) * plane));
    const int oh = shape.out_height();
    const int ow = shape.out_width();
    // Candidates of every window (clipped to the input).
    std::vector<std::vector<std::uint64_t>> windows;
    windows.reserve(static_cast<std::size_t>(shape.channels) * static_cast<std::size_t>(oh * ow));
    for (int c = 0; c < shape.channels; ++c)
        for (int oy = 0; oy < oh; ++oy)
            for (int ox = 0; ox < ow; ++ox) {
                std::vector<std::uint64_t> window;
                for (int ky = 0; ky < shape.kernel; ++ky)
                    for (int kx = 0; kx < shape.kernel; ++kx) {
                        const int y = oy * shape.stride - shape.padding + ky;
                        const int xx = ox * shape.stride - shape.padding + kx;
                        if (y < 0 || y >= shape.height || xx < 0 || xx >= shape.width) continue;
                        window.push_back(x[static_cast<std::size_t>(c) * plane +
                                           static_cast<std::size_t>(y) * static_cast<std::size_t>(shape.width) +
                                           static_cast<std::size_t>(xx)]);
                    }
                windows.push_back(std::move(window));
            }
    return max_of_windows(session, std::move(windows));
}

ShareVector max_of_windows(OtSession& session, std::vector<std::vector<std::uint64_t>> windows) {
    const RingConfig& ring = session.ring();
    // Each level halves every window: max(a, b) = b + ReLU(a − b), one ReLU batch per level.
    for (;;) {
        std::vector<std::uint64_t> differences;
        for (const auto& window : windows)
            for (std::size_t p = 0; p + 1 < window.size(); p += 2)
                differences.push_back(ring.reduce(window[p] - window[p + 1]));
        if (differences.empty()) break;
        const ShareVector gains = relu(session, differences);
        std::size_t k = 0;
        for (auto& window : windows) {
            std::vector<std::uint64_t> next;
            for (std::size_t p = 0; p + 1 < window.size(); p += 2)
                next.push_back(ring.reduce(window[p + 1] + gains[k++]));
            if (window.size() % 2 == 1) next.push_back(window.back());
            window = std::move(next);
        }
    }
    ShareVector out(windows.size());
    for (std::size_t w = 0; w < windows.size(); ++w) out[w] = windows[w].front();
    return out;
}

}  // namespace snnipred::engine
