// The ways a method of whole-network evaluation is trained.
#include "snnipred/core/error.h"
#include "snnipred/predict/network_evaluation.h"
#include "snnipred/predict/per_layer_sum.h"

namespace snnipred::predict {
namespace {

// Shares a fitted predictor with every setting's evaluation instead of re-training it.
class SharedPredictor : public NetworkPredictor {
public:
    explicit SharedPredictor(std::shared_ptr<const NetworkPredictor> inner) : inner_(std::move(inner)) {}

    std::string name() const override { return inner_->name(); }
    void fit(std::span<const NetworkSample>) override {
        throw Unsupported(inner_->name() + ": evaluated as it is, not re-fitted");
    }
    PartyTimes predict(const Network& network, const std::string& setting) const override {
        return inner_->predict(network, setting);
    }

private:
    std::shared_ptr<const NetworkPredictor> inner_;
};

}  // namespace

NetworkMethod per_layer_method(std::string name, PredictorFactory factory, LoweringOptions lowering) {
    std::string label = name;
    return {std::move(name), [factory = std::move(factory), lowering, label](const NetworkTrainingData& data) {
                return std::unique_ptr<NetworkPredictor>(fit_per_layer_sum(factory, data.records, lowering, label));
            }};
}

NetworkMethod sample_method(std::string name, NetworkPredictorFactory factory) {
    return {std::move(name), [factory = std::move(factory)](const NetworkTrainingData& data) {
                std::unique_ptr<NetworkPredictor> predictor = factory();
                predictor->fit(data.samples);
                return predictor;
            }};
}

NetworkMethod fixed_method(std::string name, std::shared_ptr<const NetworkPredictor> predictor) {
    SNNIPRED_CHECK(predictor != nullptr, ConfigError, "fixed method '" + name + "': no predictor given");
    return {std::move(name), [predictor = std::move(predictor)](const NetworkTrainingData&) {
                return std::unique_ptr<NetworkPredictor>(std::make_unique<SharedPredictor>(predictor));
            }};
}

}  // namespace snnipred::predict
