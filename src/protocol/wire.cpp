#include "wire.h"

#include <algorithm>

namespace snnipred::protocol::detail {
namespace {

// crypto/ot/wire.h: a flavour's message travels in frames of at most this many bytes.
constexpr std::uint64_t kPieceBytes = std::uint64_t{1} << 26;
// engine/bit_triples.cpp: up to this size both parties send an exchange at once.
constexpr std::uint64_t kSimultaneousBytes = std::uint64_t{1} << 16;

}  // namespace

void Wire::begin(StepKind kind, Phase phase, std::size_t layer, std::int64_t elements) {
    PlanStep& step = steps_.emplace_back();
    step.kind = kind;
    step.phase = phase;
    step.layer = layer;
    step.elements = elements;
    clock_ = {};
}

void Wire::send(Party party, std::uint64_t bytes) {
    CommStats& comm = steps_.back().of(party).comm;
    bool& received = received_since_send_[party_index(party)];
    if (received) ++comm.rounds;
    received = false;
    comm.bytes_sent += bytes;
    ++comm.messages_sent;
}

void Wire::receive(Party party, std::uint64_t bytes) {
    CommStats& comm = steps_.back().of(party).comm;
    received_since_send_[party_index(party)] = true;
    comm.bytes_received += bytes;
    ++comm.messages_received;
}

void Wire::arrive(Party party, std::uint64_t departed) {
    std::uint64_t& clock = clock_[party_index(party)];
    clock = std::max(clock, departed + 1);
    steps_.back().hops = std::max(steps_.back().hops, clock);
}

void Wire::message(Party from, std::uint64_t bytes) {
    send(from, bytes);
    receive(other_party(from), bytes);
    arrive(other_party(from), clock_[party_index(from)]);
}

void Wire::messages(Party from, std::uint64_t count, std::uint64_t bytes) {
    if (count == 0) return;
    message(from, bytes);
    // The rest continue the flight: no round, only bytes and frames.
    for (const Party party : kParties) {
        CommStats& comm = steps_.back().of(party).comm;
        (party == from ? comm.bytes_sent : comm.bytes_received) += (count - 1) * bytes;
        (party == from ? comm.messages_sent : comm.messages_received) += count - 1;
    }
}

void Wire::pieces(Party from, std::uint64_t bytes) {
    messages(from, std::max<std::uint64_t>(bytes / kPieceBytes, 1), bytes < kPieceBytes ? bytes : kPieceBytes);
    if (bytes > kPieceBytes && bytes % kPieceBytes != 0) message(from, bytes % kPieceBytes);
}

void Wire::exchange(std::uint64_t bytes) {
    if (bytes > kSimultaneousBytes) {
        message(Party::kServer, bytes);
        message(Party::kClient, bytes);
        return;
    }
    const std::array<std::uint64_t, 2> departed = clock_;
    for (const Party party : kParties) send(party, bytes);
    for (const Party party : kParties) receive(party, bytes);
    for (const Party party : kParties) arrive(party, departed[party_index(other_party(party))]);
}

void Wire::both(std::uint64_t PrimitiveCounts::*field, std::uint64_t count) {
    for (const Party party : kParties) primitives(party).*field += count;
}

}  // namespace snnipred::protocol::detail
