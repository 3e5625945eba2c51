#include "snnipred/predict/physical_model.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <utility>
#include <vector>

#include "snnipred/core/error.h"
#include "snnipred/protocol/ferret_layout.h"

namespace snnipred::predict {
namespace {

using machine::UnitKey;
using machine::UnitKind;
using protocol::StepKind;

protocol::HeSet he_set_of(const protocol::HeLayout& layout) {
    // The conv packing changes how many primitives a step counts, not what one costs.
    protocol::HeLayout parameters = layout;
    parameters.conv_packing = protocol::HeLayout{}.conv_packing;
    for (const protocol::HeSet set : {protocol::HeSet::kCheetah, protocol::HeSet::kSecure})
        for (const auto truncation : {protocol::TruncationMode::kFaithful, protocol::TruncationMode::kApproximate})
            if (protocol::he_layout(set, truncation) == parameters) return set;
    throw ConfigError("the physical model has unit costs for the named HE sets only (cheetah, secure), not N=" +
                      std::to_string(layout.n));
}

// Seconds a one-way message costs: its flights and bytes on the local channel and the link.
double transfer_seconds(const CommStats& sent, const UnitCosts& costs, const LinkProfile& link) {
    const double channel = static_cast<double>(sent.rounds) * costs.channel_message +
                           static_cast<double>(sent.bytes_sent) * costs.channel_byte;
    return channel + link.traffic_ms(static_cast<double>(sent.bytes_sent), static_cast<double>(sent.rounds)) * 1e-3;
}

bool is_he_linear(StepKind kind) {
    return kind == StepKind::kConv || kind == StepKind::kFc || kind == StepKind::kBatchNorm;
}

bool is_local(StepKind kind) {
    return kind == StepKind::kLocal || kind == StepKind::kAvgPool || kind == StepKind::kGlobalAvgPool;
}

// Wall seconds of each party's compute when both compute from the same moment: while both
// run, each thread gets min(speed, concurrent cores / 2) of a CPU, and the one left
// running `speed`; the pair needs at least its CPU sum / concurrent cores.
std::array<double, 2> concurrent_wall(const std::array<double, 2>& cpu, double speed, double concurrent_cores) {
    const double together = std::min(speed, concurrent_cores / 2);
    const std::size_t shorter = cpu[0] <= cpu[1] ? 0 : 1, longer = 1 - shorter;
    std::array<double, 2> wall{};
    wall[shorter] = cpu[shorter] / together;
    wall[longer] = std::max(wall[shorter] + (cpu[longer] - cpu[shorter]) / speed, (cpu[0] + cpu[1]) / concurrent_cores);
    return wall;
}

constexpr std::size_t kC = party_index(Party::kClient), kS = party_index(Party::kServer);

// One step's compute and traffic, seconds, by party_index.
struct StepWork {
    std::array<double, 2> cpu{};
    double encrypt = 0;                 // the client's share of cpu before its ciphertexts leave (HE linear)
    std::array<double, 2> transfer{};  // each party's messages: local channel and link
    // The latencies transfer counts beyond the step's critical path (PlanStep::hops):
    // flights both parties sent at once wait out one latency together, not one each.
    double shared_latency = 0;
    // Ferret's refills in an OT step, included in cpu and transfer: each party's share of
    // the LPN expansions and the refills' round trips.
    std::array<double, 2> refill_cpu{};
    double refill_transfer = 0;
};

// Each party's end of a step of `kind` begun at `start`, the parties computing at `speed`
// CPU seconds per wall second alone and at most `pair_cores` together.
std::array<double, 2> sequence(StepKind kind, const std::array<double, 2>& start, const StepWork& work, double speed,
                               double pair_cores) {
    const auto wall = [speed](double cpu) { return cpu / speed; };
    const std::array<double, 2>& cpu = work.cpu;
    std::array<double, 2> end = start;
    if (is_he_linear(kind)) {
        const double inputs_arrive = start[kC] + wall(work.encrypt) + work.transfer[kC];
        end[kS] = std::max(start[kS], inputs_arrive) + wall(cpu[kS]);
        end[kC] = end[kS] + work.transfer[kS] + wall(cpu[kC] - work.encrypt);
    } else if (kind == StepKind::kHeKeygen) {
        end[kC] = start[kC] + wall(cpu[kC]);
        end[kS] = std::max(start[kS], end[kC] + work.transfer[kC]) + wall(cpu[kS]);
    } else if (kind == StepKind::kReveal) {
        end[kS] = start[kS] + wall(cpu[kS]);
        end[kC] = std::max(start[kC], end[kS] + work.transfer[kS]) + wall(cpu[kC]);
    } else if (is_local(kind)) {
        // Both compute at once. Their starts differ by at most the previous step's tail
        // (e.g. the client's decryption), which the contention ignores.
        const std::array<double, 2> taken = concurrent_wall(cpu, speed, pair_cores);
        end = {start[kC] + taken[kC], start[kS] + taken[kS]};
    } else if (kind == StepKind::kHandshake || kind == StepKind::kBaseOt) {
        // The setup's exchanges take turns: a party computes and sends, the other waits,
        // then computes on it, so their compute and traffic add up.
        const double both = std::max(start[kC], start[kS]) + wall(cpu[kC]) + wall(cpu[kS]) + work.transfer[kC] +
                            work.transfer[kS];
        end = {both, both};
    } else {
        // The engine's OT protocols stream their batches: while one party computes, the
        // other works on the previous batch and the link carries a third, so the step takes
        // about the longer of its compute and its traffic, plus the part of the shorter that
        // the pipeline does not hide (its fill and drain, the turns it waits on). Both
        // parties compute through the step, so together they get at most `pair_cores` CPU
        // seconds per wall second (a quota on both binds here; two free cores never do).
        // A Ferret refill stops that stream: the batch that needs it waits while both
        // parties expand their halves of the LPN code at once and exchange its round trip.
        const std::array<double, 2>& refill = work.refill_cpu;
        const double refilling = std::max({wall(refill[kC]), wall(refill[kS]), (refill[kC] + refill[kS]) / pair_cores}) +
                                 work.refill_transfer;
        const std::array<double, 2> streamed = {cpu[kC] - refill[kC], cpu[kS] - refill[kS]};
        const double busier = std::max(wall(streamed[kC]), wall(streamed[kS]));
        const double idler = std::min(wall(streamed[kC]), wall(streamed[kS]));
        const double compute = std::max(busier + kOtIdlePartyShare * idler, (streamed[kC] + streamed[kS]) / pair_cores);
        const double traffic =
            std::max(0.0, work.transfer[kC] + work.transfer[kS] - work.shared_latency - work.refill_transfer);
        const double both = std::max(start[kC], start[kS]) + refilling + std::max(compute, traffic) +
                            kOtUnhiddenShare * std::min(compute, traffic);
        end = {both, both};
    }
    return end;
}

// Seconds the OTs of one party in one role take.
double ot_seconds(const protocol::OtCounts& p, protocol::OtRole role, const UnitCosts& costs) {
    const std::size_t r = protocol::ot_role_index(role);
    auto times = [](std::uint64_t count, double unit) { return static_cast<double>(count) * unit; };
    double s = times(p.random_cots, costs.random_cot[r]) + times(p.chosen_cots, costs.chosen_cot[r]) +
               times(p.cot_refills, costs.cot_refill[r]) + times(p.random_ots, costs.random_ot[r]) +
               times(p.correlated_ots, costs.correlated_ot[r]) + times(p.and_gates, costs.and_gate[r]);
    for (const protocol::OneOfNCount& ot : p.one_of_n)
        s += times(ot.instances, costs.profile->one_of_n_seconds(ot.log_n, ot.msg_bits, role));
    return s;
}

}  // namespace

UnitCosts UnitCosts::of(const machine::MachineProfile& profile, const protocol::PlanOptions& options) {
    const protocol::HeSet he = he_set_of(options.he);
    const protocol::OtExtension ot = options.ot;
    const bool ferret = ot == protocol::OtExtension::kFerret;
    UnitCosts c;
    c.ot = ot;
    c.by_role = profile.has_role_costs();
    c.profile = &profile;
    const UnitKey lean_and = UnitKey::lean_and_gate();
    c.lean_and_from_classic = ferret && !profile.costs.contains(lean_and);
    // Costs a configuration does not use stay zero, so a profile needs none of them.
    const std::vector<std::pair<double UnitCosts::*, std::optional<UnitKey>>> table{
        {&UnitCosts::base_ot, UnitKey::plain(UnitKind::kBaseOt)},
        {&UnitCosts::ferret_setup, ferret ? std::optional(UnitKey::cot(UnitKind::kFerretSetup, ot)) : std::nullopt},
        {&UnitCosts::share_op, UnitKey::plain(UnitKind::kShareOp)},
        {&UnitCosts::he_keygen, UnitKey::he_op(UnitKind::kHeKeygen, he)},
        {&UnitCosts::he_encryption, UnitKey::he_op(UnitKind::kHeEncryption, he)},
        {&UnitCosts::he_input_lift, UnitKey::he_op(UnitKind::kHeInputLift, he)},
        {&UnitCosts::he_decryption, UnitKey::he_op(UnitKind::kHeDecryption, he)},
        {&UnitCosts::he_plain_prepare, UnitKey::he_op(UnitKind::kHePlainPrepare, he)},
        {&UnitCosts::he_product, UnitKey::he_op(UnitKind::kHeProduct, he)},
        {&UnitCosts::he_response, UnitKey::he_op(UnitKind::kHeResponse, he)},
        {&UnitCosts::he_flooding,
         options.he.flooding ? std::optional(UnitKey::he_op(UnitKind::kHeFlooding, he)) : std::nullopt},
        {&UnitCosts::channel_message, UnitKey::plain(UnitKind::kChannelMessage)},
        {&UnitCosts::channel_byte, UnitKey::plain(UnitKind::kChannelByte)},
    };
    for (const auto& [member, key] : table)
        if (key) c.*member = profile.seconds(*key);
    const std::vector<std::pair<ByRole UnitCosts::*, std::optional<UnitKey>>> by_role{
        {&UnitCosts::random_cot, UnitKey::cot(UnitKind::kRandomCot, ot)},
        {&UnitCosts::chosen_cot, UnitKey::cot(UnitKind::kChosenCot, ot)},
        {&UnitCosts::cot_refill, ferret ? std::optional(UnitKey::cot(UnitKind::kCotRefill, ot)) : std::nullopt},
        {&UnitCosts::random_ot, UnitKey::plain(UnitKind::kRandomOt)},
        {&UnitCosts::correlated_ot, UnitKey::plain(UnitKind::kCorrelatedOt)},
        {&UnitCosts::and_gate, ferret && !c.lean_and_from_classic ? lean_and : UnitKey::plain(UnitKind::kAndGate)},
    };
    for (const auto& [member, key] : by_role)
        if (key)
            for (const protocol::OtRole role : protocol::kOtRoles)
                (c.*member)[protocol::ot_role_index(role)] = profile.seconds(*key, role);
    return c;
}

// Seconds `party` spends on the Ferret refills of a step: as sender of the refills it
// triggers, as receiver of the peer's.
double refill_seconds(const protocol::PlanStep& step, Party party, const UnitCosts& costs) {
    double s = 0;
    for (const protocol::OtRole role : protocol::kOtRoles)
        s += static_cast<double>(step.ots(party, role).cot_refills) * costs.cot_refill[protocol::ot_role_index(role)];
    return s;
}

// Seconds the refills' messages take: per refill the receiver's GGM choice bits, then the
// sender's level sums (protocol/ferret_layout.h), one flight each.
double refill_transfer_seconds(const protocol::PlanStep& step, const UnitCosts& costs, const LinkProfile& link) {
    const std::uint64_t refills = step.of(Party::kClient).primitives.sent.cot_refills +
                                  step.of(Party::kServer).primitives.sent.cot_refills;
    if (refills == 0) return 0;
    const protocol::LpnShape main = protocol::ferret_layout().main;
    auto flight = [&](std::uint64_t bytes) { return transfer_seconds({.bytes_sent = bytes, .rounds = 1}, costs, link); };
    return static_cast<double>(refills) * (flight(main.receiver_bytes()) + flight(main.sender_bytes()));
}

double compute_seconds(const protocol::PlanStep& step, Party party, const UnitCosts& costs) {
    const protocol::PrimitiveCounts& p = step.of(party).primitives;
    auto times = [](std::uint64_t count, double unit) { return static_cast<double>(count) * unit; };
    // Ferret's setup (base OTs, its IKNP bootstrap, the bootstrap and first main iterations,
    // the buffers' first pages) is measured whole, one per direction; both parties take part
    // in both.
    if (step.kind == StepKind::kBaseOt && costs.ot == protocol::OtExtension::kFerret) return 2 * costs.ferret_setup;
    double s = times(p.base_ots, costs.base_ot) + times(p.share_ops, costs.share_op) +
               times(p.he_encryptions, costs.he_encryption) + times(p.he_decryptions, costs.he_decryption) +
               times(p.he_plain_prepares, costs.he_plain_prepare) + times(p.he_products, costs.he_product) +
               times(p.he_responses, costs.he_response) + times(p.he_floodings, costs.he_flooding);
    for (const protocol::OtRole role : protocol::kOtRoles) s += ot_seconds(step.ots(party, role), role, costs);
    if (party == Party::kServer)
        s += times(step.of(Party::kClient).primitives.he_encryptions, costs.he_input_lift);
    if (step.kind == StepKind::kHeKeygen && party == Party::kClient) s += costs.he_keygen;
    return s;
}

PhysicalPrediction predict_physical(const protocol::ProtocolPlan& plan, const machine::MachineProfile& profile,
                                    const LinkProfile& link) {
    const UnitCosts costs = UnitCosts::of(profile, plan.options);
    PhysicalPrediction out;
    out.cpu_share = profile.cpu_share_or_free();
    out.ot_costs_by_role = costs.by_role;
    out.lean_and_from_classic = costs.lean_and_from_classic;
    const machine::CpuShare& share = out.cpu_share;
    out.steps.resize(plan.steps.size());
    std::array<double, 2> clock{};  // each party's time, seconds
    for (std::size_t i = 0; i < plan.steps.size(); ++i) {
        const protocol::PlanStep& step = plan.steps[i];
        StepWork work;
        work.cpu = {compute_seconds(step, Party::kClient, costs), compute_seconds(step, Party::kServer, costs)};
        work.refill_cpu = {refill_seconds(step, Party::kClient, costs), refill_seconds(step, Party::kServer, costs)};
        work.refill_transfer = refill_transfer_seconds(step, costs, link);
        if (is_he_linear(step.kind))
            work.encrypt = static_cast<double>(step.of(Party::kClient).primitives.he_encryptions) * costs.he_encryption;
        for (const Party party : kParties)
            work.transfer[party_index(party)] = transfer_seconds(step.of(party).comm, costs, link);
        const std::uint64_t flights = step.of(Party::kClient).comm.rounds + step.of(Party::kServer).comm.rounds;
        if (flights > step.hops)
            work.shared_latency = static_cast<double>(flights - step.hops) *
                                  std::chrono::duration<double>(link.one_way_latency).count();
        const std::array<double, 2> start = clock;
        // Between its waits a party computes at its unthrottled speed (the pair at twice it),
        // but never faster than the sustained shares allow over the step: a quota's budget
        // refills while the parties wait on the link, a fair share among neighbours does not
        // (the two speeds are then equal and the first sequence is the longer).
        const std::array<double, 2> paced =
            sequence(step.kind, start, work, share.unthrottled_share, 2 * share.unthrottled_share);
        StepWork no_waits = work;
        no_waits.transfer = {};
        no_waits.shared_latency = 0;
        no_waits.refill_transfer = 0;
        const std::array<double, 2> budget =
            sequence(step.kind, start, no_waits, share.single_thread_share, share.concurrent_cores);
        clock = {std::max(paced[kC], budget[kC]), std::max(paced[kS], budget[kS])};
        PhysicalStep& predicted = out.steps[i];
        for (const std::size_t p : {kC, kS}) {
            predicted.time_ms[p] = (clock[p] - start[p]) * 1e3;
            predicted.cpu_ms[p] = work.cpu[p] * 1e3;
            const bool setup = step.phase == protocol::Phase::kSetup;
            (setup ? out.setup_ms : out.online_ms)[p] += predicted.time_ms[p];
            (setup ? out.setup_cpu_ms : out.online_cpu_ms)[p] += predicted.cpu_ms[p];
        }
    }
    return out;
}

}  // namespace snnipred::predict
