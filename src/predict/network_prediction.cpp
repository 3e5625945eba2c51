#include "snnipred/predict/network_prediction.h"

#include <array>
#include <cstddef>
#include <iterator>
#include <utility>

#include "snnipred/predict/analytical.h"
#include "snnipred/predict/feature_sets.h"

namespace snnipred::predict {
namespace {

StepPrediction predict_step(LayerRecord& record, const Predictor& predictor) {
    StepPrediction p;
    record.party = Party::kClient;
    p.client_ms = predictor.predict(record);
    record.party = Party::kServer;
    p.server_ms = predictor.predict(record);
    return p;
}

// AnalyticalPredictor::predict computes a record's features and looks its model up by
// (kind, party, setting) on every call, so a network costs two feature computations and
// two string-keyed lookups per step. Here the models are looked up once per kind and the
// features computed once per step for both parties: the arithmetic predict() does, in
// the same order, so the results are the same bits.
NetworkPrediction predict_analytical(std::vector<ProtocolStep>& steps, const AnalyticalPredictor& predictor,
                                     const std::string& setting) {
    struct Models {
        bool looked_up = false;
        const LinearModel* client = nullptr;
        const LinearModel* server = nullptr;
    };
    std::array<Models, std::size(kAllLayerKinds)> by_kind{};

    NetworkPrediction out;
    out.steps.reserve(steps.size());
    for (ProtocolStep& step : steps) {
        LayerRecord& record = step.record;
        Models& models = by_kind[static_cast<std::size_t>(record.kind)];
        if (!models.looked_up) {
            models = {true, predictor.find_model(record.kind, Party::kClient, setting),
                      predictor.find_model(record.kind, Party::kServer, setting)};
        }
        StepPrediction p;
        if (models.client != nullptr && models.server != nullptr) {
            const FeatureVector features = compute_features(predictor.options().features, record);
            p.client_ms = models.client->evaluate(features.view());
            p.server_ms = models.server->evaluate(features.view());
        } else {
            record.setting = setting;
            p = predict_step(record, predictor);  // throws predict()'s error for the missing model
        }
        out.client_ms += p.client_ms;
        out.server_ms += p.server_ms;
        out.steps.push_back(p);
    }
    return out;
}

}  // namespace

NetworkPrediction predict_network(std::vector<ProtocolStep> steps, const Predictor& predictor,
                                  const std::string& setting) {
    if (const auto* analytical = dynamic_cast<const AnalyticalPredictor*>(&predictor))
        return predict_analytical(steps, *analytical, setting);
    // All steps of one party go to predict_many at once, so a batching predictor (the
    // MLP) sees the whole network; the records are moved out of the steps, not copied.
    std::vector<LayerRecord> records;
    records.reserve(steps.size());
    for (ProtocolStep& step : steps) {
        records.push_back(std::move(step.record));
        records.back().setting = setting;
    }
    NetworkPrediction out;
    out.steps.resize(records.size());
    for (const Party party : {Party::kClient, Party::kServer}) {
        for (LayerRecord& record : records) record.party = party;
        const std::vector<double> ms = predictor.predict_many(records);
        for (std::size_t i = 0; i < ms.size(); ++i)
            (party == Party::kClient ? out.steps[i].client_ms : out.steps[i].server_ms) = ms[i];
    }
    for (const StepPrediction& p : out.steps) {
        out.client_ms += p.client_ms;
        out.server_ms += p.server_ms;
    }
    return out;
}

}  // namespace snnipred::predict
