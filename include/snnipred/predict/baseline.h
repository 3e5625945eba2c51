#pragma once
// A memorising baseline: predicts the mean measured time of the record's exact
// configuration (kind, variant, raw features, party, setting). Evaluated in-sample
// (SplitKind::kNone) it gives the noise ceiling, the best MAE/MAPE/R2 any function of
// the raw features can reach on repeated measurements; under a config split it cannot
// predict at all, which is what the analytical models are for.

#include <map>
#include <string>
#include <utility>

#include "snnipred/predict/predictor.h"

namespace snnipred::predict {

class ConfigMeanPredictor : public Predictor {
public:
    std::string name() const override { return "config-mean"; }
    /// Throws InvalidInput if `records` is empty.
    void fit(std::span<const LayerRecord> records) override;
    /// Throws InvalidInput if the record's configuration was not in the training rows.
    double predict(const LayerRecord& record) const override;

private:
    std::map<std::string, std::pair<double, std::size_t>> means_;  // key -> (sum, count)
};

}  // namespace snnipred::predict
