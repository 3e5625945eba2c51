#pragma once
// A per-layer predictor used as a whole-network predictor: the network is lowered to the
// backend's protocol steps (lowering.h) and the per-step predictions are summed
// (network_prediction.h). Whole-network samples carry no per-step times, so the per-layer
// model is fitted on layer records before it is wrapped, not by NetworkPredictor::fit.

#include <memory>
#include <span>
#include <string>

#include "snnipred/predict/lowering.h"
#include "snnipred/predict/network_predictor.h"
#include "snnipred/predict/predictor.h"

namespace snnipred::predict {

class PerLayerSum : public NetworkPredictor {
public:
    /// Wraps `fitted` (shared so that a bundle's predictor can be wrapped without a copy;
    /// pass a non-owning shared_ptr for one whose owner outlives this object). `name` is
    /// what reports show, e.g. "nn".
    PerLayerSum(std::shared_ptr<const Predictor> fitted, LoweringOptions lowering, std::string name);

    std::string name() const override { return name_; }
    /// Always throws Unsupported: the wrapped model is fitted on layer records
    /// (fit_per_layer_sum), which whole-network samples do not contain.
    void fit(std::span<const NetworkSample> samples) override;
    /// Sum of the per-step predictions of both parties. Throws Unsupported for a layer the
    /// lowering cannot handle and InvalidInput when the per-layer model lacks a step's
    /// kind, party or setting.
    PartyTimes predict(const Network& network, const std::string& setting) const override;

    const Predictor& per_layer() const { return *predictor_; }

private:
    std::shared_ptr<const Predictor> predictor_;
    LoweringOptions lowering_;
    std::string name_;
};

/// Fits a fresh predictor made by `factory` on `records` and wraps it. Throws whatever
/// the predictor's fit throws (InvalidInput on no records).
std::unique_ptr<PerLayerSum> fit_per_layer_sum(const PredictorFactory& factory, std::span<const LayerRecord> records,
                                               LoweringOptions lowering, std::string name);

}  // namespace snnipred::predict
