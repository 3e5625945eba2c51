#pragma once
// One protocol step of a secure run, as the engine executes it and the plan counts it:
// its kind, the layer it belongs to, its phase, and for each party what crossed the
// channel and which primitives it performed.

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "snnipred/core/comm_stats.h"
#include "snnipred/core/party.h"

namespace snnipred::protocol {

enum class StepKind {
    kHandshake,      // setup: both parties check they run the same network and options
    kHeKeygen,       // setup: the client's HE keys, its public key to the server
    kBaseOt,         // setup: both OT extensions (base OTs; Ferret: also its bootstrap)
    kConv,           // HE round trip of a convolution (output at twice the scale)
    kFc,             // HE round trip of a fully connected layer
    kBatchNorm,      // HE round trip of a batch norm
    kTruncate,       // truncation of a product or an average pool by the scale
    kRelu,           // comparison + multiplexer
    kRelu6,          // two comparisons, an AND and a multiplexer
    kMaxPool,        // a tree of ReLUs over every window
    kAvgPool,        // local window sum times 1/n (its truncation is the next step)
    kGlobalAvgPool,  // the same over the whole plane
    kLocal,          // add, concat, flatten, pad, identity: local on each share
    kReveal,         // the server's output share to the client
};

/// The names of trace spans and stores: handshake, he_keygen, base_ot, conv, fc,
/// batchnorm, trunc, relu, relu6, maxpool, avgpool, globalavgpool, local, reveal.
std::string_view step_kind_name(StepKind kind);
/// Inverse of step_kind_name; throws InvalidInput naming the known steps.
StepKind parse_step_kind(std::string_view name);

enum class Phase { kSetup, kOnline };
/// "setup" / "online".
std::string_view phase_name(Phase phase);
/// Inverse of phase_name; throws InvalidInput.
Phase parse_phase(std::string_view name);

/// A step the predictors time on its own: online, and neither local nor the reveal.
bool is_predicted_step(StepKind kind);

/// Instances of 1-out-of-2^log_n OT with messages of msg_bits bits (whole bytes for the
/// classic protocols' tables, 1 or 2 bits for the lean ones').
struct OneOfNCount {
    int log_n = 0;
    std::int64_t msg_bits = 0;
    std::uint64_t instances = 0;

    bool operator==(const OneOfNCount&) const = default;
};

/// Which end of an OT a party is: the sender holds the messages (or the correlation), the
/// receiver the choice bits. Their work differs (a 1-of-N sender hashes N entries, its
/// receiver one), and each of the engine's OTs sends from a fixed party, so the plan counts
/// a party's OTs by its role in them.
enum class OtRole { kSender, kReceiver };
inline constexpr std::array<OtRole, 2> kOtRoles{OtRole::kSender, OtRole::kReceiver};
constexpr std::size_t ot_role_index(OtRole role) { return role == OtRole::kSender ? 0 : 1; }
/// "sender" / "receiver".
std::string_view ot_role_name(OtRole role);

/// The OTs one party takes part in, in one role. The ANDs count here too: their side of the
/// comparison's local work around them differs the same way (the leaves' sender builds the
/// tables), so an AND counts under the party's role in its comparison's leaf OTs.
struct OtCounts {
    std::uint64_t random_cots = 0;      // correlated OTs with random choice bits (IKNP or Ferret)
    std::uint64_t chosen_cots = 0;      // correlated OTs with chosen bits (Ferret: one flip bit each)
    std::uint64_t cot_refills = 0;      // Ferret main iterations (one round trip) the step triggers
    std::uint64_t random_ots = 0;       // hashed random 1-of-2 OTs (bit triples)
    std::uint64_t correlated_ots = 0;   // additive correlated OTs over the ring
    std::vector<OneOfNCount> one_of_n;  // Naor–Pinkas 1-of-N OTs by N and message bits
    std::uint64_t and_gates = 0;        // ANDs of shared bits opened with a triple

    OtCounts& operator+=(const OtCounts& other);
    void add_one_of_n(int log_n, std::int64_t msg_bits, std::uint64_t instances);
    bool operator==(const OtCounts&) const = default;
};

/// The primitives one party performs in a step. Of the OTs it records those it sends:
/// every OT has the peer as its receiver, so a party's OTs as receiver are the peer's sent
/// ones (PlanStep::ots). HE counts are this party's own operations.
struct PrimitiveCounts {
    std::uint64_t base_ots = 0;         // Ristretto255 base OTs (setup; both roles alike)
    OtCounts sent;                      // the OTs this party sends
    std::uint64_t he_encryptions = 0;   // client: fresh seeded ciphertexts
    std::uint64_t he_decryptions = 0;   // client: responses
    std::uint64_t he_plain_prepares = 0;  // server: weight polynomials lifted to NTT form
    std::uint64_t he_products = 0;      // server: ciphertext x plaintext multiply-accumulates
    std::uint64_t he_responses = 0;     // server: masked, re-randomised, switched to one prime
    std::uint64_t he_floodings = 0;     // server: responses noise-flooded (secure set)
    std::uint64_t share_ops = 0;        // ring elements a local step writes

    PrimitiveCounts& operator+=(const PrimitiveCounts& other);
    bool operator==(const PrimitiveCounts&) const = default;
};

struct PartyCost {
    CommStats comm;  // payload bytes, frames and rounds as the channel counts them
    PrimitiveCounts primitives;

    PartyCost& operator+=(const PartyCost& other);
};

/// What a plan step is, without its costs (protocol/plan.h: plan_outline).
struct StepOutline {
    StepKind kind = StepKind::kLocal;
    Phase phase = Phase::kOnline;
    std::size_t layer = std::numeric_limits<std::size_t>::max();  // PlanStep::kNoLayer
    std::int64_t elements = 0;
};

struct PlanStep {
    static constexpr std::size_t kNoLayer = std::numeric_limits<std::size_t>::max();

    StepKind kind = StepKind::kLocal;
    Phase phase = Phase::kOnline;
    std::size_t layer = kNoLayer;  // position in Network::layers(); kNoLayer for setup steps
    std::int64_t elements = 0;     // values the step produces (0 for setup steps)
    std::array<PartyCost, 2> cost;
    /// One-way latencies on the step's critical path: the longest chain of its messages in
    /// which each is sent after the previous one arrived. At most the two parties' rounds
    /// together, fewer where both send at once (the AND openings).
    std::uint64_t hops = 0;

    StepOutline outline() const { return {kind, phase, layer, elements}; }
    const PartyCost& of(Party party) const { return cost[party_index(party)]; }
    PartyCost& of(Party party) { return cost[party_index(party)]; }
    /// The OTs `party` takes part in as `role`: those it sends, or those the peer sends.
    const OtCounts& ots(Party party, OtRole role) const {
        return of(role == OtRole::kSender ? party : other_party(party)).primitives.sent;
    }
    /// One OT count of `party` over both roles (every OT of the step).
    std::uint64_t ots_in_either_role(std::uint64_t OtCounts::*field) const {
        return of(Party::kClient).primitives.sent.*field + of(Party::kServer).primitives.sent.*field;
    }
};

}  // namespace snnipred::protocol
