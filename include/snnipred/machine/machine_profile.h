#pragma once
// A machine profile: what one machine takes for each primitive the protocol plan counts
// (protocol::PrimitiveCounts) and for its local channel, measured by `snnipred calibrate`
// (calibrate/calibration.h) and read by the physical model (predict/physical_model.h).
// Pure data: no crypto, no I/O (machine_profile_io.h reads and writes it).

#include <array>
#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "snnipred/protocol/options.h"
#include "snnipred/protocol/step.h"

namespace snnipred::machine {

/// What one unit cost is the cost of. COT kinds are per OT extension, HE kinds per HE
/// set, the 1-of-N OT per N and message size; the rest have no variant.
enum class UnitKind {
    kBaseOt,          // one Ristretto255 base OT (IKNP's setup: 128 per direction)
    kFerretSetup,     // Ferret's whole setup of one direction (base OTs, IKNP bootstrap, bootstrap and first main iteration)
    kRandomCot,       // one COT with random choice bits, served by the extension
    kChosenCot,       // one COT with chosen bits
    kCotRefill,       // one Ferret main iteration (a buffer refill)
    kRandomOt,        // hashing one random OT, beyond its COT
    kCorrelatedOt,    // one additive correlated OT over the ring, beyond its COT
    kOneOfN,          // one 1-of-N OT instance, beyond its log N chosen COTs
    kAndGate,         // one AND opened with a triple, with its share of the ReLU's local work beyond its
                      // OTs: the classic protocols' (no variant), or the lean ones' (variant ferret)
    kShareOp,         // one ring element a local step writes
    kHeKeygen,        // the client's keys and the server's reading of the public key
    kHeEncryption,    // client: one fresh seeded ciphertext, serialised
    kHeInputLift,     // server: one received ciphertext plus its share, lifted to NTT form
    kHeDecryption,    // client: one response
    kHePlainPrepare,  // server: one weight polynomial lifted to NTT form
    kHeProduct,       // server: one ciphertext x plaintext multiply-accumulate
    kHeResponse,      // server: one response masked, re-randomised, switched, serialised
    kHeFlooding,      // server: flooding one response, beyond the response (secure set)
    kChannelMessage,  // one flight over the local channel (loopback TCP), one way
    kChannelByte,     // one payload byte over the local channel
};

/// "base_ot", "ferret_setup", "random_cot", ... as in the profile's keys.
std::string_view unit_kind_name(UnitKind kind);
/// What a cost is per, e.g. "s per COT".
std::string_view unit_kind_unit(UnitKind kind);

/// One unit cost's key: a kind and, where it has one, its variant.
struct UnitKey {
    UnitKind kind = UnitKind::kShareOp;
    std::optional<protocol::OtExtension> ot;  // kRandomCot, kChosenCot, kCotRefill (ferret), kFerretSetup;
                                              // kAndGate: ferret for the lean protocols' ReLU
    std::optional<protocol::HeSet> he;        // the kHe* kinds
    int log_n = 0;                            // kOneOfN
    std::int64_t msg_bits = 0;                // kOneOfN: bits per entry

    auto operator<=>(const UnitKey&) const = default;

    static UnitKey plain(UnitKind kind) { return {kind, {}, {}, 0, 0}; }
    static UnitKey cot(UnitKind kind, protocol::OtExtension ot) { return {kind, ot, {}, 0, 0}; }
    static UnitKey he_op(UnitKind kind, protocol::HeSet he) { return {kind, {}, he, 0, 0}; }
    static UnitKey one_of_n(int log_n, std::int64_t msg_bits) { return {UnitKind::kOneOfN, {}, {}, log_n, msg_bits}; }
    /// and_gate.ferret: the lean protocols' AND, which older profiles lack.
    static UnitKey lean_and_gate() { return cot(UnitKind::kAndGate, protocol::OtExtension::kFerret); }
};

/// The key as the profile's JSON names it: "random_cot.iknp", "he_product.cheetah",
/// "one_of_n.16x8b", "and_gate", "and_gate.ferret".
std::string unit_key_name(const UnitKey& key);
/// Inverse of unit_key_name. Throws InvalidInput naming the key.
UnitKey parse_unit_key(std::string_view name);

/// Whether a kind's cost depends on the party's role in the OT (has_roles) or is one
/// party's own (HE, local work) or the same for both (the channel, the setups, measured whole).
bool has_roles(UnitKind kind);

/// One measured unit cost: the median over `repeats` interleaved repeats. A kind with roles
/// has the sender's and the receiver's (by protocol::ot_role_index) and `seconds` is their
/// mean; a profile calibrated before roles were measured has the mean only.
struct UnitCost {
    double seconds = 0;
    int repeats = 0;
    std::optional<std::array<double, 2>> by_role;

    /// The cost of one party in `role`: by_role's, else the mean.
    double of(protocol::OtRole role) const { return by_role ? (*by_role)[protocol::ot_role_index(role)] : seconds; }
};

/// How much CPU the engine's threads receive per wall second on this machine, measured by
/// `calibrate` with a fixed CPU-bound kernel. The unit costs are thread CPU time, which a
/// CPU quota or neighbours' load leave unchanged; this is what those take away. A quota is
/// a budget per period (a thread that waits keeps its budget and then runs at full speed),
/// a fair share among neighbours a rate: unthrottled_share tells them apart.
struct CpuShare {
    /// CPU seconds per wall second of one busy thread alone: 1.0 on a free core, 0.5
    /// under a half-CPU quota, below 1 under neighbours' load.
    double single_thread_share = 1.0;
    /// CPU seconds per wall second of two busy threads together (the two parties):
    /// about 2 on two free cores, 0.5 under a half-CPU quota.
    double concurrent_cores = 2.0;
    /// CPU seconds per wall second of one busy thread while it is not throttled (outside
    /// stalls of 25 ms or more without CPU, which a quota imposes once its period's budget is
    /// spent): the speed of a party computing briefly between waits. About 1 on a free core
    /// and under a quota on an otherwise free machine; near single_thread_share under
    /// neighbours' load, whose waits are shorter.
    double unthrottled_share = 1.0;
    int windows = 0;  // wall windows each median is over; 0: assumed, not measured

    bool measured() const { return windows > 0; }
};

struct MachineProfile {
    static constexpr int kFormatVersion = 1;

    std::string cpu_model;
    int cores = 0;
    std::string date;              // ISO 8601, UTC
    std::string snnipred_version;
    std::string load_average;      // /proc/loadavg's first three fields when it was measured
    std::string source;            // where it was read from (not stored)
    std::map<UnitKey, UnitCost> costs;
    /// Absent in a profile calibrated before snnipred measured it.
    std::optional<CpuShare> cpu_share;

    /// The measured CPU share, else what a free machine gives: a whole core per thread
    /// and, for the two parties' threads, min(cores, 2) cores (windows 0: assumed).
    CpuShare cpu_share_or_free() const;
    /// The seconds of `key`. Throws ConfigError naming the key and the profile's source
    /// when the profile has no such cost (calibrated by an older snnipred).
    double seconds(const UnitKey& key) const;
    /// The seconds of `key` for a party in `role` (UnitCost::of). Throws as seconds().
    double seconds(const UnitKey& key, protocol::OtRole role) const;
    /// Whether every cost of a kind with roles has both roles' (calibrated since roles
    /// were measured); else the physical model charges both roles the mean and says so.
    bool has_role_costs() const;
    /// This profile with each OT cost's mean alone, as a profile calibrated before roles.
    MachineProfile without_role_costs() const;
    /// The same profile without the cost of `key` (one that others stand in for when absent).
    MachineProfile without_cost(const UnitKey& key) const;
    /// The 1-of-N OT's cost for N, an entry size in bits and a role: the exact entry, else
    /// the nearest measured one (N first, then entry size) scaled by the ratio of N for the
    /// sender and of log N for the receiver. A Naor–Pinkas sender hashes each of its N
    /// entries, which dominates its cost for the engine's entries of at most a byte (the
    /// classic comparison's 1-of-16 × 8 bits, the lean one's 1-of-8 × 2 bits and narrower
    /// edge digits); its receiver combines log N keys into one. (Without role costs, the
    /// mean scales by N.) Throws ConfigError when the profile has no 1-of-N entry at all.
    double one_of_n_seconds(int log_n, std::int64_t msg_bits, protocol::OtRole role) const;

private:
    const UnitCost& cost(const UnitKey& key) const;
};

/// Every unit cost the physical model reads, so calibrate measures them all and a
/// profile missing one is refused when read.
std::vector<UnitKey> required_unit_keys();

}  // namespace snnipred::machine
