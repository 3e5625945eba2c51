#pragma once
// Test helper: per-step layer records of synthetic networks (synthetic_networks.h), timed
// by the same known per-step cost formula, so an analytical base can be fitted for the
// LSTM and the per-layer methods of a bundle.

#include <memory>
#include <vector>

#include "snnipred/predict/analytical.h"
#include "support/synthetic_networks.h"

namespace snnipred::test_support {

/// One client and one server record (LAN) per cheetah-lowered step of every sample's
/// network, timed step_cost_ms (the server 5% slower, as synthetic_samples) times `scale`.
inline std::vector<predict::LayerRecord> synthetic_step_records(const std::vector<predict::NetworkSample>& samples,
                                                                double scale = 1.0) {
    std::vector<predict::LayerRecord> records;
    for (const predict::NetworkSample& s : samples) {
        for (const predict::ProtocolStep& step : predict::lower_network(s.network)) {
            for (snnipred::Party party : {snnipred::Party::kClient, snnipred::Party::kServer}) {
                predict::LayerRecord r = predict::step_record(step, party, "LAN");
                r.time_ms = scale * step_cost_ms(step) * (party == snnipred::Party::kServer ? 1.05 : 1.0);
                records.push_back(std::move(r));
            }
        }
    }
    return records;
}

/// synthetic_step_records as profiling exports them: each record names its sample's
/// network and run, so measured_step_times can line them up with the sample's steps.
inline std::vector<predict::LayerRecord> synthetic_run_records(const std::vector<predict::NetworkSample>& samples) {
    std::vector<predict::LayerRecord> records;
    for (const predict::NetworkSample& s : samples)
        for (predict::LayerRecord& r : synthetic_step_records({s})) {
            r.source.network = s.name;
            r.source.run = s.run;
            records.push_back(std::move(r));
        }
    return records;
}

/// An analytical model (protocol features) fitted on synthetic_step_records(samples, scale).
inline std::shared_ptr<const predict::AnalyticalPredictor> synthetic_analytical(
    const std::vector<predict::NetworkSample>& samples, double scale = 1.0) {
    auto analytical = std::make_shared<predict::AnalyticalPredictor>(predict::AnalyticalOptions{predict::FeatureSet::kProtocol});
    analytical->fit(synthetic_step_records(samples, scale));
    return analytical;
}

/// `base` as saved before analytical models had correction envelopes: nothing bounds the
/// corrections of the predictors on top of it.
inline predict::AnalyticalPredictor without_envelopes(const predict::AnalyticalPredictor& base) {
    std::map<predict::AnalyticalPredictor::Key, predict::LinearModel> models = base.models();
    for (auto& [key, model] : models) model.envelope = {};
    return predict::AnalyticalPredictor::from_models(base.options(), std::move(models));
}

}  // namespace snnipred::test_support
