#pragma once
// The methods `evaluate --split network` compares, by name: the per-layer methods of a
// bundle recipe summed over lowered steps ("analytical", "nn"), the whole-network LSTM
// ("lstm") and the one-scale baselines ("relu-count", "flops", "params"; "baselines"
// names all three).

#include <string>
#include <string_view>
#include <vector>

#include "snnipred/predict/bundle.h"
#include "snnipred/predict/network_evaluation.h"

namespace snnipred::predict {

/// Splits a comma-separated list, expanding "baselines". Throws InvalidInput on an unknown
/// or repeated name or an empty list.
std::vector<std::string> parse_network_method_names(std::string_view list);

/// Methods re-trained per setting on the training networks, configured by `recipe`
/// (whatever its own method list says): analytical and nn on layer records, summed over
/// steps lowered for `backend`; lstm (lowering for `backend`) and the baselines on
/// samples, an lstm with an analytical base on top of an analytical model fitted on the
/// layer records. Throws InvalidInput on an unknown name or backend.
std::vector<NetworkMethod> retrained_network_methods(const std::vector<std::string>& names, const BundleRecipe& recipe,
                                                     const std::string& backend, const BundleProgress& progress = {},
                                                     protocol::OtExtension ot = protocol::OtExtension::kIknp);

/// The bundle's fitted models evaluated as they are, per-layer ones lowered for `backend`;
/// `bundle` must outlive the methods. Throws InvalidInput for a method the bundle lacks
/// and for baselines, which a bundle does not hold.
std::vector<NetworkMethod> bundle_network_methods(const std::vector<std::string>& names, const Bundle& bundle,
                                                  const std::string& backend);

}  // namespace snnipred::predict
