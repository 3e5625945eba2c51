#include "bit_triples.h"

#include <array>
#include <cstring>
#include <string>

#include "snnipred/core/error.h"

namespace snnipred::engine::detail {
namespace {

// Below this size both parties may send at once: the message fits the kernel's socket
// buffers, so each send returns before the peer reads.
constexpr std::size_t kSimultaneousBytes = std::size_t{1} << 16;

}  // namespace

BitTriplePairs make_triple_pairs(OtSession& session, std::size_t n, const std::function<void()>& between) {
    BitTriplePairs t;
    for (auto* v : {&t.a, &t.b, &t.c, &t.b2, &t.c2}) v->assign(n, 0);
    // own: this party's OT sender side gives its b, b2 and shares (bit 0, bit 1 of m0) of
    // a_peer·b, a_peer·b2; chosen: its receiver side gives its a and shares of a·b_peer, a·b2_peer.
    const std::span<std::array<crypto::ot::Block, 2>> own = session.scratch().sent_pairs.take(n);
    const std::span<crypto::ot::Block> chosen = session.scratch().received_blocks.take(n);
    auto as_sender = [&] {
        if (n > 0) session.sender().random_ot(session.channel(), session.prg(), own);
    };
    auto as_receiver = [&] {
        if (n > 0) session.receiver().random_ot(session.channel(), session.prg(), t.a, chosen);
    };
    if (session.is_server()) {
        as_sender();
        if (between) between();
        as_receiver();
    } else {
        as_receiver();
        if (between) between();
        as_sender();
    }
    for (std::size_t i = 0; i < n; ++i) {
        const crypto::ot::Block difference = own[i][0] ^ own[i][1];
        t.b[i] = difference.lo & 1U;
        t.b2[i] = (difference.lo >> 1) & 1U;
        const std::uint8_t a = t.a[i];
        t.c[i] = (a & t.b[i]) ^ (own[i][0].lo & 1U) ^ (chosen[i].lo & 1U);
        t.c2[i] = (a & t.b2[i]) ^ ((own[i][0].lo >> 1) & 1U) ^ ((chosen[i].lo >> 1) & 1U);
    }
    return t;
}

AndResult and_with_pairs(OtSession& session, std::span<const std::uint8_t> x, std::span<const std::uint8_t> y,
                         std::span<const std::uint8_t> y2, const BitTriplePairs& triples, std::size_t first) {
    const std::size_t n = x.size();
    const std::size_t n2 = y2.size();
    SNNIPRED_CHECK(y.size() == n && n2 <= n && first + n <= triples.size(), InvalidInput,
                   "AND of shared bits: operand sizes differ or too few triples");
    std::vector<std::uint8_t> opened(2 * n + n2);  // d = x ⊕ a, e = y ⊕ b, e2 = y2 ⊕ b2
    for (std::size_t i = 0; i < n; ++i) {
        opened[i] = x[i] ^ triples.a[first + i];
        opened[n + i] = y[i] ^ triples.b[first + i];
        if (i < n2) opened[2 * n + i] = y2[i] ^ triples.b2[first + i];
    }
    std::vector<std::uint8_t> theirs(opened.size());
    unpack_bits(exchange(session, pack_bits(opened), "AND of shared bits"), theirs);
    const std::uint8_t server = session.is_server() ? 1 : 0;
    AndResult out{std::vector<std::uint8_t>(n), std::vector<std::uint8_t>(n2)};
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t k = first + i;
        const std::uint8_t d = opened[i] ^ theirs[i];
        const std::uint8_t e = opened[n + i] ^ theirs[n + i];
        out.z[i] = triples.c[k] ^ (d & triples.b[k]) ^ (e & triples.a[k]) ^ (server & d & e);
        if (i < n2) {
            const std::uint8_t e2 = opened[2 * n + i] ^ theirs[2 * n + i];
            out.z2[i] = triples.c2[k] ^ (d & triples.b2[k]) ^ (e2 & triples.a[k]) ^ (server & d & e2);
        }
    }
    return out;
}

std::vector<std::uint8_t> exchange(OtSession& session, std::span<const std::uint8_t> mine, const char* what) {
    if (mine.size() <= kSimultaneousBytes || session.is_server()) {
        send_bytes(session, mine);
        return recv_bytes(session, mine.size(), what);
    }
    std::vector<std::uint8_t> theirs = recv_bytes(session, mine.size(), what);
    send_bytes(session, mine);
    return theirs;
}

void send_bytes(OtSession& session, std::span<const std::uint8_t> data) {
    session.channel().send(data);
    session.channel().flush();
}

std::vector<std::uint8_t> recv_bytes(OtSession& session, std::size_t size, const char* what) {
    const std::vector<std::byte> message = session.channel().recv();
    SNNIPRED_CHECK(message.size() == size, NetworkError,
                   std::string(what) + ": expected " + std::to_string(size) + " bytes from the peer, got " +
                       std::to_string(message.size()));
    std::vector<std::uint8_t> out(size);
    if (size > 0) std::memcpy(out.data(), message.data(), size);
    return out;
}

std::vector<std::uint8_t> pack_bits(std::span<const std::uint8_t> bits) {
    std::vector<std::uint8_t> out((bits.size() + 7) / 8);
    for (std::size_t j = 0; j < bits.size(); ++j) out[j / 8] |= static_cast<std::uint8_t>((bits[j] & 1U) << (j % 8));
    return out;
}

void unpack_bits(std::span<const std::uint8_t> packed, std::span<std::uint8_t> bits) {
    for (std::size_t j = 0; j < bits.size(); ++j) bits[j] = (packed[j / 8] >> (j % 8)) & 1U;
}

}  // namespace snnipred::engine::detail
