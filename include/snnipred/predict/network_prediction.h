#pragma once
// Whole-network prediction: sum a per-step predictor over a network's protocol steps
// (lowering.h), for the client and the server of one network setting.

#include <string>
#include <vector>

#include "snnipred/predict/lowering.h"
#include "snnipred/predict/predictor.h"

namespace snnipred::predict {

struct StepPrediction {
    double client_ms = 0;
    double server_ms = 0;
};

struct NetworkPrediction {
    std::vector<StepPrediction> steps;  // parallel to the lowered steps
    double client_ms = 0;               // sum over steps
    double server_ms = 0;
};

/// Predicts every step for both parties in `setting` and sums them; a predictor other than
/// the analytical one gets all steps of one party in one Predictor::predict_many call,
/// the client's first. The steps are taken by value because their records are re-used in
/// place (party and setting set per call) rather than copied: move them in when they are
/// not needed afterwards. Throws whatever the predictor throws (InvalidInput when it has
/// no model for a step's kind, party or setting).
NetworkPrediction predict_network(std::vector<ProtocolStep> steps, const Predictor& predictor,
                                  const std::string& setting);

}  // namespace snnipred::predict
