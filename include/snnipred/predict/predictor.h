#pragma once
// The interface every per-layer time predictor implements (analytical now; an MLP or an
// LSTM later), so training, evaluation and the CLI stay generic over the model.

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

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
    /// predict() of every record, in order. A predictor may batch the work (the MLP runs
    /// one matrix product per model instead of one vector product per record), so a
    /// result may differ from predict()'s in the last bits. Throws what predict() throws
    /// for the first record it fails on.
    virtual std::vector<double> predict_many(std::span<const LayerRecord> records) const {
        std::vector<double> out;
        out.reserve(records.size());
        for (const LayerRecord& record : records) out.push_back(predict(record));
        return out;
    }
};

/// Makes a fresh, unfitted predictor: evaluation fits one per fold.
using PredictorFactory = std::function<std::unique_ptr<Predictor>()>;

}  // namespace snnipred::predict
