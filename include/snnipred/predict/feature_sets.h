#pragma once
// The feature vectors linear predictors regress layer time on. Three sets:
//  - paper:    the composite features of the paper's Table 2, S_in, S_par, N_op, S_out;
//  - protocol: counts that follow how Cheetah evaluates each layer (ciphertexts sent and
//              received, ciphertext products, OT-based comparisons, sequential rounds),
//              so a fit on some shapes carries over to shapes it never saw;
//  - plan:     protocol and two fixed costs the engine's protocol plan places in a step
//              (lowering.h): its Ferret COT refills and whether it is the run's first
//              comparison.

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "snnipred/predict/dataset.h"

namespace snnipred::predict {

enum class FeatureSet { kPaper, kProtocol, kPlan };

/// "paper" / "protocol" / "plan".
std::string_view feature_set_name(FeatureSet set);
/// Inverse of feature_set_name; throws InvalidInput on an unknown name.
FeatureSet parse_feature_set(std::string_view name);

/// Names of the features `set` computes for records of `kind` (no intercept).
const std::vector<std::string>& feature_names(FeatureSet set, LayerKind kind);

/// The most features any set computes for one kind (plan conv).
inline constexpr std::size_t kMaxFeatureCount = 11;

/// Feature values held inline, so that computing them allocates nothing (whole-network
/// prediction computes one per protocol step).
struct FeatureVector {
    std::array<double, kMaxFeatureCount> values{};
    std::size_t size = 0;

    std::span<const double> view() const { return {values.data(), size}; }
};

/// Feature values of a record, in the order of feature_names(set, record.kind).
/// Throws InvalidInput if the record lacks a raw feature its kind needs (for plan, its
/// refills and first comparison: a step of the cheetah backend's lowering, a record
/// exported before they were).
std::vector<double> feature_values(FeatureSet set, const LayerRecord& record);
/// The same values as feature_values, without allocating. Throws likewise.
FeatureVector compute_features(FeatureSet set, const LayerRecord& record);

}  // namespace snnipred::predict
