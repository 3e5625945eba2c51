#pragma once
// The interface every per-layer time predictor implements (analytical now; an MLP or an
// LSTM later), so training, evaluation and the CLI stay generic over the model.

#include <functional>
#include <memory>
#include <span>
#include <string>

#include "snnipred/predict/dataset.h"

namespace snnipred::predict {

class Predictor {
public:
    virtual ~Predictor() = default;

    /// Short name for reports, e.g. "analytical/paper".
    virtual std::string name() const = 0;
    /// Fits the model to `records`, which may mix kinds, parties and settings; a
    /// predictor keeps one model per combination it needs. Replaces any earlier fit.
    /// Throws InvalidInput if the records cannot be fitted (e.g. none at all).
    virtual void fit(std::span<const LayerRecord> records) = 0;
    /// Predicted time in milliseconds of the layer `record` describes, for its party and
    /// setting (its time_ms is ignored). Throws InvalidInput if the predictor has no
    /// model for the record's kind, party and setting.
    virtual double predict(const LayerRecord& record) const = 0;
};

/// Makes a fresh, unfitted predictor: evaluation fits one per fold.
using PredictorFactory = std::function<std::unique_ptr<Predictor>()>;

}  // namespace snnipred::predict
