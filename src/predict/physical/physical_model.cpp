#include "snnipred/predict/physical_model.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "snnipred/core/error.h"

namespace snnipred::predict {
namespace {

using machine::UnitKey;
using machine::UnitKind;
using protocol::StepKind;

protocol::HeSet he_set_of(const protocol::HeLayout& layout) {
    for (const protocol::HeSet set : {protocol::HeSet::kCheetah, protocol::HeSet::kSecure})
        if (protocol::he_layout(set) == layout) return set;
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
// run, each thread gets min(single share, concurrent cores / 2) of a CPU, and the one left
// running its single share; the pair needs at least its CPU sum / concurrent cores.
std::array<double, 2> concurrent_wall(const std::array<double, 2>& cpu, const machine::CpuShare& share) {
    const double single = share.single_thread_share;
    const double together = std::min(single, share.concurrent_cores / 2);
    const std::size_t shorter = cpu[0] <= cpu[1] ? 0 : 1, longer = 1 - shorter;
    std::array<double, 2> wall{};
    wall[shorter] = cpu[shorter] / together;
    wall[longer] = std::max(wall[shorter] + (cpu[longer] - cpu[shorter]) / single,
                            (cpu[0] + cpu[1]) / share.concurrent_cores);
    return wall;
}

}  // namespace

UnitCosts UnitCosts::of(const machine::MachineProfile& profile, const protocol::PlanOptions& options) {
    const protocol::HeSet he = he_set_of(options.he);
    const protocol::OtExtension ot = options.ot;
    const bool ferret = ot == protocol::OtExtension::kFerret;
    UnitCosts c;
    c.ot = ot;
    c.profile = &profile;
    // Costs a configuration does not use stay zero, so a profile needs none of them.
    const std::vector<std::pair<double UnitCosts::*, std::optional<UnitKey>>> table{
        {&UnitCosts::base_ot, UnitKey::plain(UnitKind::kBaseOt)},
        {&UnitCosts::ferret_setup, ferret ? std::optional(UnitKey::cot(UnitKind::kFerretSetup, ot)) : std::nullopt},
        {&UnitCosts::random_cot, UnitKey::cot(UnitKind::kRandomCot, ot)},
        {&UnitCosts::chosen_cot, UnitKey::cot(UnitKind::kChosenCot, ot)},
        {&UnitCosts::cot_refill, ferret ? std::optional(UnitKey::cot(UnitKind::kCotRefill, ot)) : std::nullopt},
        {&UnitCosts::random_ot, UnitKey::plain(UnitKind::kRandomOt)},
        {&UnitCosts::correlated_ot, UnitKey::plain(UnitKind::kCorrelatedOt)},
        {&UnitCosts::and_gate, UnitKey::plain(UnitKind::kAndGate)},
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
    return c;
}

double compute_seconds(const protocol::PlanStep& step, Party party, const UnitCosts& costs) {
    const protocol::PrimitiveCounts& p = step.of(party).primitives;
    auto times = [](std::uint64_t count, double unit) { return static_cast<double>(count) * unit; };
    // Ferret's setup (base OTs, its IKNP bootstrap, the first iteration) is measured whole,
    // one per direction; both parties take part in both.
    if (step.kind == StepKind::kBaseOt && costs.ot == protocol::OtExtension::kFerret) return 2 * costs.ferret_setup;
    double s = times(p.base_ots, costs.base_ot) + times(p.random_cots, costs.random_cot) +
               times(p.chosen_cots, costs.chosen_cot) + times(p.cot_refills, costs.cot_refill) +
               times(p.random_ots, costs.random_ot) + times(p.correlated_ots, costs.correlated_ot) +
               times(p.and_gates, costs.and_gate) + times(p.share_ops, costs.share_op) +
               times(p.he_encryptions, costs.he_encryption) + times(p.he_decryptions, costs.he_decryption) +
               times(p.he_plain_prepares, costs.he_plain_prepare) + times(p.he_products, costs.he_product) +
               times(p.he_responses, costs.he_response) + times(p.he_floodings, costs.he_flooding);
    for (const protocol::OneOfNCount& ot : p.one_of_n)
        s += times(ot.instances, costs.profile->one_of_n_seconds(ot.log_n, ot.msg_bits));
    if (party == Party::kServer)
        s += times(step.of(Party::kClient).primitives.he_encryptions, costs.he_input_lift);
    if (step.kind == StepKind::kHeKeygen && party == Party::kClient) s += costs.he_keygen;
    return s;
}

PhysicalPrediction predict_physical(const protocol::ProtocolPlan& plan, const machine::MachineProfile& profile,
                                    const LinkProfile& link) {
    const UnitCosts costs = UnitCosts::of(profile, plan.options);
    constexpr std::size_t kC = party_index(Party::kClient), kS = party_index(Party::kServer);
    PhysicalPrediction out;
    out.cpu_share = profile.cpu_share_or_free();
    // A party alone on the CPU gets its single-thread share: c CPU seconds take c / share.
    const auto wall = [share = out.cpu_share.single_thread_share](double cpu) { return cpu / share; };
    out.steps.resize(plan.steps.size());
    std::array<double, 2> clock{};  // each party's time, seconds
    for (std::size_t i = 0; i < plan.steps.size(); ++i) {
        const protocol::PlanStep& step = plan.steps[i];
        const CommStats& client_sent = step.of(Party::kClient).comm;
        const CommStats& server_sent = step.of(Party::kServer).comm;
        const std::array<double, 2> cpu{compute_seconds(step, Party::kClient, costs),
                                        compute_seconds(step, Party::kServer, costs)};
        const std::array<double, 2> start = clock;
        if (is_he_linear(step.kind)) {
            const double encrypt = static_cast<double>(step.of(Party::kClient).primitives.he_encryptions) *
                                   costs.he_encryption;
            const double inputs_arrive = start[kC] + wall(encrypt) + transfer_seconds(client_sent, costs, link);
            clock[kS] = std::max(start[kS], inputs_arrive) + wall(cpu[kS]);
            clock[kC] = clock[kS] + transfer_seconds(server_sent, costs, link) + wall(cpu[kC] - encrypt);
        } else if (step.kind == StepKind::kHeKeygen) {
            clock[kC] = start[kC] + wall(cpu[kC]);
            clock[kS] = std::max(start[kS], clock[kC] + transfer_seconds(client_sent, costs, link)) + wall(cpu[kS]);
        } else if (step.kind == StepKind::kReveal) {
            clock[kS] = start[kS] + wall(cpu[kS]);
            clock[kC] = std::max(start[kC], clock[kS] + transfer_seconds(server_sent, costs, link)) + wall(cpu[kC]);
        } else if (is_local(step.kind)) {
            // Both compute at once. Their starts differ by at most the previous step's
            // tail (e.g. the client's decryption), which the contention ignores.
            const std::array<double, 2> taken = concurrent_wall(cpu, out.cpu_share);
            clock[kC] += taken[kC];
            clock[kS] += taken[kS];
        } else {
            // The engine's OT protocols alternate: a party computes a batch, sends it and
            // waits while the other computes on it, so their compute adds up.
            const double end = std::max(start[kC], start[kS]) + wall(cpu[kC]) + wall(cpu[kS]) +
                               transfer_seconds(client_sent, costs, link) + transfer_seconds(server_sent, costs, link);
            clock = {end, end};
        }
        PhysicalStep& predicted = out.steps[i];
        for (const std::size_t p : {kC, kS}) {
            predicted.time_ms[p] = (clock[p] - start[p]) * 1e3;
            predicted.cpu_ms[p] = cpu[p] * 1e3;
            const bool setup = step.phase == protocol::Phase::kSetup;
            (setup ? out.setup_ms : out.online_ms)[p] += predicted.time_ms[p];
            (setup ? out.setup_cpu_ms : out.online_cpu_ms)[p] += predicted.cpu_ms[p];
        }
    }
    return out;
}

}  // namespace snnipred::predict
