#include "snnipred/protocol/step.h"

#include <string>
#include <utility>

#include "snnipred/core/error.h"

namespace snnipred::protocol {
namespace {

constexpr std::pair<StepKind, std::string_view> kStepNames[] = {
    {StepKind::kHandshake, "handshake"}, {StepKind::kHeKeygen, "he_keygen"},
    {StepKind::kBaseOt, "base_ot"},      {StepKind::kConv, "conv"},
    {StepKind::kFc, "fc"},               {StepKind::kBatchNorm, "batchnorm"},
    {StepKind::kTruncate, "trunc"},      {StepKind::kRelu, "relu"},
    {StepKind::kRelu6, "relu6"},         {StepKind::kMaxPool, "maxpool"},
    {StepKind::kAvgPool, "avgpool"},     {StepKind::kGlobalAvgPool, "globalavgpool"},
    {StepKind::kLocal, "local"},         {StepKind::kReveal, "reveal"},
};

}  // namespace

std::string_view step_kind_name(StepKind kind) {
    for (const auto& [k, name] : kStepNames)
        if (k == kind) return name;
    return "?";
}

StepKind parse_step_kind(std::string_view name) {
    for (const auto& [kind, n] : kStepNames)
        if (n == name) return kind;
    std::string known;
    for (const auto& [kind, n] : kStepNames) known += (known.empty() ? "" : ", ") + std::string(n);
    throw InvalidInput("unknown protocol step '" + std::string(name) + "' (known: " + known + ")");
}

std::string_view phase_name(Phase phase) { return phase == Phase::kSetup ? "setup" : "online"; }

Phase parse_phase(std::string_view name) {
    if (name == "setup") return Phase::kSetup;
    if (name == "online") return Phase::kOnline;
    throw InvalidInput("unknown phase '" + std::string(name) + "' (known: setup, online)");
}

bool is_predicted_step(StepKind kind) {
    switch (kind) {
        case StepKind::kHandshake:
        case StepKind::kHeKeygen:
        case StepKind::kBaseOt:
        case StepKind::kLocal:
        case StepKind::kReveal: return false;
        default: return true;
    }
}

std::string_view ot_role_name(OtRole role) { return role == OtRole::kSender ? "sender" : "receiver"; }

void OtCounts::add_one_of_n(int log_n, std::int64_t msg_bits, std::uint64_t instances) {
    for (OneOfNCount& count : one_of_n)
        if (count.log_n == log_n && count.msg_bits == msg_bits) {
            count.instances += instances;
            return;
        }
    one_of_n.push_back({log_n, msg_bits, instances});
}

OtCounts& OtCounts::operator+=(const OtCounts& other) {
    for (auto field : {&OtCounts::random_cots, &OtCounts::chosen_cots, &OtCounts::cot_refills, &OtCounts::random_ots,
                       &OtCounts::correlated_ots, &OtCounts::and_gates})
        this->*field += other.*field;
    for (const OneOfNCount& count : other.one_of_n) add_one_of_n(count.log_n, count.msg_bits, count.instances);
    return *this;
}

PrimitiveCounts& PrimitiveCounts::operator+=(const PrimitiveCounts& other) {
    for (auto field : {&PrimitiveCounts::base_ots, &PrimitiveCounts::he_encryptions, &PrimitiveCounts::he_decryptions,
                       &PrimitiveCounts::he_plain_prepares, &PrimitiveCounts::he_products,
                       &PrimitiveCounts::he_responses, &PrimitiveCounts::he_floodings, &PrimitiveCounts::share_ops})
        this->*field += other.*field;
    sent += other.sent;
    return *this;
}

PartyCost& PartyCost::operator+=(const PartyCost& other) {
    comm += other.comm;
    primitives += other.primitives;
    return *this;
}

}  // namespace snnipred::protocol
