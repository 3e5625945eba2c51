#include "snnipred/machine/machine_profile.h"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>

#include "snnipred/core/error.h"

namespace snnipred::machine {
namespace {

struct KindInfo {
    UnitKind kind;
    std::string_view name;
    std::string_view unit;
};

constexpr std::array<KindInfo, 20> kKinds{{
    {UnitKind::kBaseOt, "base_ot", "s per base OT"},
    {UnitKind::kFerretSetup, "ferret_setup", "s per direction"},
    {UnitKind::kRandomCot, "random_cot", "s per COT"},
    {UnitKind::kChosenCot, "chosen_cot", "s per COT"},
    {UnitKind::kCotRefill, "cot_refill", "s per refill"},
    {UnitKind::kRandomOt, "random_ot", "s per OT"},
    {UnitKind::kCorrelatedOt, "correlated_ot", "s per OT"},
    {UnitKind::kOneOfN, "one_of_n", "s per instance"},
    {UnitKind::kAndGate, "and_gate", "s per AND"},
    {UnitKind::kShareOp, "share_op", "s per element"},
    {UnitKind::kHeKeygen, "he_keygen", "s per key pair"},
    {UnitKind::kHeEncryption, "he_encryption", "s per ciphertext"},
    {UnitKind::kHeInputLift, "he_input_lift", "s per ciphertext"},
    {UnitKind::kHeDecryption, "he_decryption", "s per ciphertext"},
    {UnitKind::kHePlainPrepare, "he_plain_prepare", "s per polynomial"},
    {UnitKind::kHeProduct, "he_product", "s per product"},
    {UnitKind::kHeResponse, "he_response", "s per ciphertext"},
    {UnitKind::kHeFlooding, "he_flooding", "s per ciphertext"},
    {UnitKind::kChannelMessage, "channel_message", "s per flight"},
    {UnitKind::kChannelByte, "channel_byte", "s per byte"},
}};

const KindInfo& info(UnitKind kind) {
    for (const KindInfo& k : kKinds)
        if (k.kind == kind) return k;
    throw InvalidInput("unknown unit kind");
}

bool is_he(UnitKind kind) {
    switch (kind) {
        case UnitKind::kHeKeygen:
        case UnitKind::kHeEncryption:
        case UnitKind::kHeInputLift:
        case UnitKind::kHeDecryption:
        case UnitKind::kHePlainPrepare:
        case UnitKind::kHeProduct:
        case UnitKind::kHeResponse:
        case UnitKind::kHeFlooding: return true;
        default: return false;
    }
}

bool is_cot(UnitKind kind) {
    return kind == UnitKind::kRandomCot || kind == UnitKind::kChosenCot || kind == UnitKind::kCotRefill ||
           kind == UnitKind::kFerretSetup;
}

// and_gate.ferret: the lean protocols run on Ferret only, so no other variant exists.
protocol::OtExtension lean_and_variant(std::string_view variant) {
    SNNIPRED_CHECK(variant == protocol::ot_extension_name(protocol::OtExtension::kFerret), InvalidInput,
                   "'and_gate' takes no variant (the classic protocols') or 'ferret' (the lean ones'), not '" +
                       std::string(variant) + "'");
    return protocol::OtExtension::kFerret;
}

template <typename Int>
Int parse_int(std::string_view text, std::string_view key) {
    Int value{};
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    SNNIPRED_CHECK(error == std::errc{} && end == text.data() + text.size() && value > 0, InvalidInput,
                   "unit cost key '" + std::string(key) + "': '" + std::string(text) + "' is not a positive number");
    return value;
}

}  // namespace

std::string_view unit_kind_name(UnitKind kind) { return info(kind).name; }
std::string_view unit_kind_unit(UnitKind kind) { return info(kind).unit; }

std::string unit_key_name(const UnitKey& key) {
    std::string name(unit_kind_name(key.kind));
    const auto variant = [&name](std::string_view part) {
        name += '.';
        name += part;
    };
    if (key.ot) variant(protocol::ot_extension_name(*key.ot));
    if (key.he) variant(protocol::he_set_name(*key.he));
    if (key.kind == UnitKind::kOneOfN)
        variant(std::to_string(std::int64_t{1} << key.log_n) + "x" + std::to_string(key.msg_bits) + "b");
    return name;
}

UnitKey parse_unit_key(std::string_view name) {
    const std::size_t dot = name.find('.');
    const std::string_view kind_name = name.substr(0, dot);
    const std::string_view variant = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
    for (const KindInfo& k : kKinds) {
        if (k.name != kind_name) continue;
        UnitKey key = UnitKey::plain(k.kind);
        try {
            if (is_cot(k.kind)) key.ot = protocol::parse_ot_extension(variant);
            else if (is_he(k.kind)) key.he = protocol::parse_he_set(variant);
            else if (k.kind == UnitKind::kAndGate && !variant.empty()) key.ot = lean_and_variant(variant);
        } catch (const InvalidInput& error) {
            throw InvalidInput("unit cost key '" + std::string(name) + "': " + error.what());
        }
        if (k.kind == UnitKind::kOneOfN) {
            const std::size_t x = variant.find('x');
            SNNIPRED_CHECK(x != std::string_view::npos && variant.ends_with("b"), InvalidInput,
                           "unit cost key '" + std::string(name) + "' is not one_of_n.<N>x<bits>b");
            const auto n = parse_int<std::int64_t>(variant.substr(0, x), name);
            SNNIPRED_CHECK((n & (n - 1)) == 0 && n >= 2, InvalidInput,
                           "unit cost key '" + std::string(name) + "': N must be a power of two");
            key.log_n = std::countr_zero(static_cast<std::uint64_t>(n));
            key.msg_bits = parse_int<std::int64_t>(variant.substr(x + 1, variant.size() - x - 2), name);
        } else {
            SNNIPRED_CHECK(is_cot(k.kind) || is_he(k.kind) || key.ot || variant.empty(), InvalidInput,
                           "unit cost key '" + std::string(name) + "': '" + std::string(kind_name) +
                               "' has no variant");
        }
        return key;
    }
    std::string known;
    for (const KindInfo& k : kKinds) known += (known.empty() ? "" : ", ") + std::string(k.name);
    throw InvalidInput("unknown unit cost '" + std::string(name) + "' (known kinds: " + known + ")");
}

CpuShare MachineProfile::cpu_share_or_free() const {
    if (cpu_share) return *cpu_share;
    return {1.0, static_cast<double>(std::clamp(cores, 1, 2)), 1.0, 0};
}

bool has_roles(UnitKind kind) {
    switch (kind) {
        case UnitKind::kRandomCot:
        case UnitKind::kChosenCot:
        case UnitKind::kCotRefill:
        case UnitKind::kRandomOt:
        case UnitKind::kCorrelatedOt:
        case UnitKind::kOneOfN:
        case UnitKind::kAndGate: return true;
        default: return false;
    }
}

const UnitCost& MachineProfile::cost(const UnitKey& key) const {
    const auto it = costs.find(key);
    SNNIPRED_CHECK(it != costs.end(), ConfigError,
                   "machine profile " + source + " has no unit cost '" + unit_key_name(key) +
                       "'; run `snnipred calibrate` again");
    return it->second;
}

double MachineProfile::seconds(const UnitKey& key) const { return cost(key).seconds; }

double MachineProfile::seconds(const UnitKey& key, protocol::OtRole role) const { return cost(key).of(role); }

bool MachineProfile::has_role_costs() const {
    return std::all_of(costs.begin(), costs.end(),
                       [](const auto& entry) { return !has_roles(entry.first.kind) || entry.second.by_role; });
}

MachineProfile MachineProfile::without_role_costs() const {
    MachineProfile out = *this;
    for (auto& entry : out.costs) entry.second.by_role.reset();
    return out;
}

MachineProfile MachineProfile::without_cost(const UnitKey& key) const {
    MachineProfile out = *this;
    out.costs.erase(key);
    return out;
}

double MachineProfile::one_of_n_seconds(int log_n, std::int64_t msg_bits, protocol::OtRole role) const {
    const UnitKey exact = UnitKey::one_of_n(log_n, msg_bits);
    if (const auto it = costs.find(exact); it != costs.end()) return it->second.of(role);
    const auto distance = [&](const UnitKey& key) {
        return std::pair(std::abs(key.log_n - log_n), std::llabs(key.msg_bits - msg_bits));
    };
    const std::pair<const UnitKey, UnitCost>* nearest = nullptr;
    for (const auto& entry : costs)
        if (entry.first.kind == UnitKind::kOneOfN && (nearest == nullptr || distance(entry.first) < distance(nearest->first)))
            nearest = &entry;
    SNNIPRED_CHECK(nearest != nullptr, ConfigError,
                   "machine profile " + source + " has no 1-of-N OT cost (wanted '" + unit_key_name(exact) +
                       "'); run `snnipred calibrate` again");
    const UnitCost& measured = nearest->second;
    if (measured.by_role && role == protocol::OtRole::kReceiver)
        return measured.of(role) * log_n / nearest->first.log_n;
    return std::ldexp(measured.of(role), log_n - nearest->first.log_n);
}

std::vector<UnitKey> required_unit_keys() {
    using protocol::HeSet;
    using protocol::OtExtension;
    std::vector<UnitKey> keys;
    for (const UnitKind kind : {UnitKind::kBaseOt, UnitKind::kRandomOt, UnitKind::kCorrelatedOt, UnitKind::kAndGate,
                                UnitKind::kShareOp, UnitKind::kChannelMessage, UnitKind::kChannelByte})
        keys.push_back(UnitKey::plain(kind));
    // The millionaires' digits (protocol/comparison.h): classic 1-of-16 OTs of byte entries,
    // lean 1-of-8 OTs of 2-bit entries.
    keys.push_back(UnitKey::one_of_n(4, 8));
    keys.push_back(UnitKey::one_of_n(3, 2));
    for (const OtExtension ot : {OtExtension::kIknp, OtExtension::kFerret})
        for (const UnitKind kind : {UnitKind::kRandomCot, UnitKind::kChosenCot}) keys.push_back(UnitKey::cot(kind, ot));
    keys.push_back(UnitKey::cot(UnitKind::kCotRefill, OtExtension::kFerret));
    keys.push_back(UnitKey::cot(UnitKind::kFerretSetup, OtExtension::kFerret));
    for (const HeSet he : {HeSet::kCheetah, HeSet::kSecure})
        for (const UnitKind kind : {UnitKind::kHeKeygen, UnitKind::kHeEncryption, UnitKind::kHeInputLift,
                                    UnitKind::kHeDecryption, UnitKind::kHePlainPrepare, UnitKind::kHeProduct,
                                    UnitKind::kHeResponse})
            keys.push_back(UnitKey::he_op(kind, he));
    keys.push_back(UnitKey::he_op(UnitKind::kHeFlooding, HeSet::kSecure));
    return keys;
}

}  // namespace snnipred::machine
