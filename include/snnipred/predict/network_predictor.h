#pragma once
// The interface of whole-network time predictors: the LSTM (which reads a network as a
// sequence of step features), per-layer predictors summed over a network's lowered
// steps, and the one-scale-factor baselines (ReLU count, FLOPs, parameters). Whole-network
// evaluation (`evaluate --split network`) is generic over it.

#include <functional>
#include <memory>
#include <span>
#include <string>

#include "snnipred/model/network.h"
#include "snnipred/predict/network_dataset.h"

namespace snnipred::predict {

/// Predicted online time of each party, milliseconds.
struct PartyTimes {
    double client_ms = 0;
    double server_ms = 0;
};

class NetworkPredictor {
public:
    virtual ~NetworkPredictor() = default;
    /// Short name for reports, e.g. "lstm", "nn (per-layer sum)", "baseline/relu-count".
    virtual std::string name() const = 0;
    /// Fits to whole-network samples (any mix of settings; one model per setting it needs).
    /// Throws InvalidInput if the samples cannot be fitted.
    virtual void fit(std::span<const NetworkSample> samples) = 0;
    /// Throws InvalidInput if there is no model for `setting`.
    virtual PartyTimes predict(const Network& network, const std::string& setting) const = 0;
};

using NetworkPredictorFactory = std::function<std::unique_ptr<NetworkPredictor>()>;

}  // namespace snnipred::predict
