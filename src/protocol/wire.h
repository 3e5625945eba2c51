#pragma once
// Internal: replays the engine's messages of one run, in order, onto the plan's steps.
// Each party's endpoint is simulated as net::Channel counts it: bytes and frames per
// message, and a round whenever a party sends after it has received (or first sends).
// The engine's protocols run their messages in the same order on both parties, except
// the AND openings, which both send at once when small (exchange()). Each step also gets
// its critical path in one-way latencies (PlanStep::hops): a party's clock is the most
// latencies any chain of messages took to reach it in this step, and a message arrives one
// latency after its sender's clock.

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "snnipred/protocol/step.h"

namespace snnipred::protocol::detail {

class Wire {
public:
    explicit Wire(std::vector<PlanStep>& steps) : steps_(steps) {}

    /// Starts a step; later messages and primitives count towards it.
    void begin(StepKind kind, Phase phase, std::size_t layer, std::int64_t elements);

    /// One frame of `bytes` from `from` to the other party.
    void message(Party from, std::uint64_t bytes);
    /// `count` such frames back to back (one flight: at most one round).
    void messages(Party from, std::uint64_t count, std::uint64_t bytes);
    /// A flavour's message as the OT layer sends it: frames of at most 64 MiB, at least one.
    void pieces(Party from, std::uint64_t bytes);
    /// Both parties send `bytes` and receive the peer's (the AND openings): at once up to
    /// 64 KiB, server first above.
    void exchange(std::uint64_t bytes);

    PrimitiveCounts& primitives(Party party) { return steps_.back().of(party).primitives; }
    /// Adds the same count to both parties.
    void both(std::uint64_t PrimitiveCounts::*field, std::uint64_t count);
    /// The OTs `sender` sends in this step (the peer receives them).
    OtCounts& sent(Party sender) { return primitives(sender).sent; }
    /// Adds `count` OTs sent by `sender`.
    void ot(Party sender, std::uint64_t OtCounts::*field, std::uint64_t count) { sent(sender).*field += count; }

private:
    void send(Party party, std::uint64_t bytes);
    void receive(Party party, std::uint64_t bytes);
    /// A message sent at the sender's clock `departed` reaches `party`.
    void arrive(Party party, std::uint64_t departed);

    std::vector<PlanStep>& steps_;
    std::array<bool, 2> received_since_send_{true, true};
    std::array<std::uint64_t, 2> clock_{};  // one-way latencies since the step began
};

constexpr std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) { return (a + b - 1) / b; }

}  // namespace snnipred::protocol::detail
