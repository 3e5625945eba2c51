#include "snnipred/predict/per_layer_sum.h"

#include "snnipred/core/error.h"
#include "snnipred/predict/network_prediction.h"

namespace snnipred::predict {

PerLayerSum::PerLayerSum(std::shared_ptr<const Predictor> fitted, LoweringOptions lowering, std::string name)
    : predictor_(std::move(fitted)), lowering_(lowering), name_(std::move(name)) {
    SNNIPRED_CHECK(predictor_ != nullptr, ConfigError, "per-layer sum: no predictor given");
}

void PerLayerSum::fit(std::span<const NetworkSample>) {
    throw Unsupported("per-layer sum '" + name_ + "': fit the per-layer model on layer records (fit_per_layer_sum); "
                      "whole-network samples hold no per-step times");
}

PartyTimes PerLayerSum::predict(const Network& network, const std::string& setting) const {
    const NetworkPrediction p = predict_network(lower_network(network, lowering_), *predictor_, setting);
    return {p.client_ms, p.server_ms};
}

std::unique_ptr<PerLayerSum> fit_per_layer_sum(const PredictorFactory& factory, std::span<const LayerRecord> records,
                                               LoweringOptions lowering, std::string name) {
    std::unique_ptr<Predictor> predictor = factory();
    predictor->fit(records);
    return std::make_unique<PerLayerSum>(std::shared_ptr<const Predictor>(std::move(predictor)), lowering,
                                         std::move(name));
}

}  // namespace snnipred::predict
