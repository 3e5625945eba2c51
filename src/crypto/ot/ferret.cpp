#include "snnipred/crypto/ot/ferret.h"

#include <algorithm>

#include "lpn_encoder.h"
#include "mpcot.h"
#include "wire.h"

namespace snnipred::crypto::ot {
namespace {

/// Serves `wanted` outputs from buffer[next, buffer.size()), calling refill() (which
/// refills the buffer and resets next) whenever it runs dry; copy(from, to, count).
template <typename Refill, typename Copy>
void serve(std::size_t wanted, std::size_t& next, const auto& buffer, Refill&& refill, Copy&& copy) {
    for (std::size_t done = 0; done < wanted;) {
        if (next == buffer.size()) refill();
        const std::size_t count = std::min(wanted - done, buffer.size() - next);
        copy(next, done, count);
        next += count;
        done += count;
    }
}

}  // namespace

FerretSender::FerretSender(const FerretParams& params) : params_(params) { params_.validate(); }
FerretSender::~FerretSender() = default;

Block FerretSender::do_setup(net::Channel& channel, Prg& prg) {
    iknp_.setup(channel, prg);
    const Block delta = iknp_.delta();
    // The public code's seed; the sender draws it, which a semi-honest receiver accepts.
    const Block seed = prg.random_block();
    detail::send_message(channel, bytes_of({&seed, 1}));
    const LpnParams& boot = params_.bootstrap;
    reserve_ = reserve_memory_.take(boot.reserve());
    iknp_.random_cot(channel, prg, reserve_);
    // Bootstrap and main codes share the seed: their secrets and noises are independent.
    detail::MpcotSender boot_mpcot(boot.t, boot.block());
    detail::LpnEncoder boot_code(boot.n, boot.k, seed);
    iterate(channel, prg, delta, boot, boot_mpcot, boot_code);
    main_mpcot_ = std::make_unique<detail::MpcotSender>(params_.main.t, params_.main.block());
    main_code_ = std::make_unique<detail::LpnEncoder>(params_.main.n, params_.main.k, seed);
    // The bootstrap's few outputs beyond the main reserve are dropped for a full buffer.
    iterate(channel, prg, delta, params_.main, *main_mpcot_, *main_code_);
    return delta;
}

void FerretSender::iterate(net::Channel& channel, Prg& prg, const Block& delta, const LpnParams& params,
                           detail::MpcotSender& mpcot, detail::LpnEncoder& code) {
    const std::span<const Block> reserve(reserve_);
    buffer_ = buffer_memory_.take(params.n);
    // q = v ⊕ A·q_reserve, so t ⊕ q = (e ⊕ u·A)·Δ.
    mpcot.send(channel, prg, delta, reserve.subspan(params.k), ggm_ots_, buffer_);
    ggm_ots_ += mpcot.reserve_needed();
    code.encode(reserve.first(params.k), buffer_);
    next_ = params_.main.reserve();
    reserve_ = reserve_memory_.take(next_);
    std::copy_n(buffer_.begin(), next_, reserve_.begin());
}

void FerretSender::do_random_cot(net::Channel& channel, Prg& prg, std::span<Block> q) {
    serve(
        q.size(), next_, buffer_,
        [&] {
            iterate(channel, prg, delta(), params_.main, *main_mpcot_, *main_code_);
            ++iterations_;
        },
        [&](std::size_t from, std::size_t to, std::size_t count) {
            std::copy_n(buffer_.begin() + static_cast<std::ptrdiff_t>(from), count, q.begin() + static_cast<std::ptrdiff_t>(to));
        });
}

FerretReceiver::FerretReceiver(const FerretParams& params) : params_(params) { params_.validate(); }
FerretReceiver::~FerretReceiver() = default;

void FerretReceiver::do_setup(net::Channel& channel, Prg& prg) {
    iknp_.setup(channel, prg);
    const Block seed = Block::from_bytes(detail::recv_message(channel, sizeof(Block), "silent OT: LPN seed").data());
    const LpnParams& boot = params_.bootstrap;
    reserve_ = reserve_memory_.take(boot.reserve());
    reserve_bits_ = reserve_bits_memory_.take(boot.reserve());
    iknp_.random_cot(channel, prg, reserve_bits_, reserve_);
    detail::MpcotReceiver boot_mpcot(boot.t, boot.block());
    detail::LpnEncoder boot_code(boot.n, boot.k, seed);
    iterate(channel, prg, boot, boot_mpcot, boot_code);
    main_mpcot_ = std::make_unique<detail::MpcotReceiver>(params_.main.t, params_.main.block());
    main_code_ = std::make_unique<detail::LpnEncoder>(params_.main.n, params_.main.k, seed);
    iterate(channel, prg, params_.main, *main_mpcot_, *main_code_);
}

void FerretReceiver::iterate(net::Channel& channel, Prg& prg, const LpnParams& params,
                             detail::MpcotReceiver& mpcot, detail::LpnEncoder& code) {
    const std::span<const Block> reserve(reserve_);
    const std::span<const std::uint8_t> reserve_bits(reserve_bits_);
    buffer_ = buffer_memory_.take(params.n);
    buffer_bits_ = buffer_bits_memory_.take(params.n);
    // t = w ⊕ A·t_reserve with bits e ⊕ u·A.
    mpcot.receive(channel, prg, reserve_bits.subspan(params.k), reserve.subspan(params.k), ggm_ots_, buffer_,
                  buffer_bits_);
    ggm_ots_ += mpcot.reserve_needed();
    code.encode(reserve.first(params.k), reserve_bits.first(params.k), buffer_, buffer_bits_);
    next_ = params_.main.reserve();
    reserve_ = reserve_memory_.take(next_);
    reserve_bits_ = reserve_bits_memory_.take(next_);
    std::copy_n(buffer_.begin(), next_, reserve_.begin());
    std::copy_n(buffer_bits_.begin(), next_, reserve_bits_.begin());
}

void FerretReceiver::do_random_cot(net::Channel& channel, Prg& prg, std::span<std::uint8_t> bits,
                                   std::span<Block> t) {
    serve(
        t.size(), next_, buffer_,
        [&] {
            iterate(channel, prg, params_.main, *main_mpcot_, *main_code_);
            ++iterations_;
        },
        [&](std::size_t from, std::size_t to, std::size_t count) {
            const auto f = static_cast<std::ptrdiff_t>(from);
            const auto o = static_cast<std::ptrdiff_t>(to);
            std::copy_n(buffer_.begin() + f, count, t.begin() + o);
            std::copy_n(buffer_bits_.begin() + f, count, bits.begin() + o);
        });
}

}  // namespace snnipred::crypto::ot
