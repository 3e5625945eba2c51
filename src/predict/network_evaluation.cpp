// Training per setting on the non-held-out networks, predicting the held-out ones, and
// scoring them.
#include "snnipred/predict/network_evaluation.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>

#include "snnipred/core/error.h"
#include "snnipred/core/statistics.h"

namespace snnipred::predict {
namespace {

// The measured runs of one held-out network in one setting. Their median, not their mean:
// a run slowed by other load on the machine (up to 3x on a 20 ms network) must not move
// the reference a prediction is scored against.
struct Measured {
    const Network* network = nullptr;
    std::size_t repeats = 0;
    double client_ms = 0, server_ms = 0;  // medians
};

Measured measured_runs(std::span<const NetworkSample> samples, const std::string& setting, const std::string& name) {
    Measured m;
    std::vector<double> client, server;
    for (const NetworkSample& s : samples) {
        if (s.setting != setting || s.name != name) continue;
        if (m.network == nullptr) m.network = &s.network;
        client.push_back(s.client_ms);
        server.push_back(s.server_ms);
    }
    SNNIPRED_CHECK(!client.empty(), ConfigError, "network evaluation: no samples of '" + name + "' in setting " + setting);
    m.repeats = client.size();
    m.client_ms = median(std::move(client));
    m.server_ms = median(std::move(server));
    return m;
}

std::unique_ptr<NetworkPredictor> train_method(const NetworkMethod& method, const NetworkTrainingData& data,
                                               const std::string& setting) {
    try {
        return method.train(data);
    } catch (const InvalidInput& e) {
        throw InvalidInput("setting " + setting + ", method " + method.name + ": " + e.what());
    }
}

// Times `repeats` whole-network predictions; returns the first one and the median time.
std::pair<PartyTimes, double> timed_prediction(const NetworkPredictor& predictor, const Network& network,
                                               const std::string& setting, int repeats) {
    PartyTimes first;
    std::vector<double> micros;
    for (int i = 0; i < repeats; ++i) {
        const auto start = std::chrono::steady_clock::now();
        const PartyTimes p = predictor.predict(network, setting);
        const auto stop = std::chrono::steady_clock::now();
        if (i == 0) first = p;
        micros.push_back(std::chrono::duration<double, std::micro>(stop - start).count());
    }
    return {first, median(std::move(micros))};
}

}  // namespace

MethodOutcome score_prediction(double predicted_ms, double measured_ms, double t_pred_us) {
    MethodOutcome o;
    o.predicted_ms = predicted_ms;
    o.error_ms = std::abs(predicted_ms - measured_ms);
    o.error_pct = 100 * o.error_ms / measured_ms;
    o.t_pred_us = t_pred_us;
    return o;
}

std::vector<MethodAccuracy> summarize_accuracy(const std::vector<std::string>& methods,
                                               std::span<const HeldOutResult> results) {
    std::map<std::pair<std::string, Party>, std::vector<const HeldOutResult*>> groups;
    for (const HeldOutResult& r : results) groups[{r.setting, r.party}].push_back(&r);
    std::vector<MethodAccuracy> out;
    for (const auto& [key, members] : groups) {
        for (std::size_t m = 0; m < methods.size(); ++m) {
            MethodAccuracy a{methods[m], key.first, key.second, members.size(), 0, 0, 0, 0};
            std::vector<double> t_pred;
            for (const HeldOutResult* r : members) {
                const MethodOutcome& o = r->methods.at(m);
                if (o.error_pct <= 100 * kAccuracyBand) ++a.within_band;
                a.mape_pct += o.error_pct / static_cast<double>(members.size());
                t_pred.push_back(o.t_pred_us);
            }
            a.within_band_pct = 100.0 * static_cast<double>(a.within_band) / static_cast<double>(members.size());
            a.median_t_pred_us = median(std::move(t_pred));
            out.push_back(std::move(a));
        }
    }
    return out;
}

NetworkEvaluationReport evaluate_networks(const Dataset& records, std::span<const NetworkSample> samples,
                                          std::span<const NetworkMethod> methods, const HeldOutNetworks& held_out,
                                          const NetworkEvaluationOptions& options) {
    SNNIPRED_CHECK(options.timing_repeats >= 1, ConfigError, "network evaluation: timing repeats must be at least 1");
    NetworkEvaluationReport report;
    for (const NetworkMethod& m : methods) report.methods.push_back(m.name);
    report.held_out = held_out;

    for (const auto& [setting, names] : held_out) {
        const std::set<std::string> excluded(names.begin(), names.end());
        std::vector<LayerRecord> train_records;
        for (const LayerRecord& r : records.records) {
            if (r.setting != setting || excluded.contains(r.source.network)) continue;
            if (r.source.network.empty()) ++report.records_without_network;
            train_records.push_back(r);
        }
        std::vector<NetworkSample> train_samples;
        for (const NetworkSample& s : samples)
            if (s.setting == setting && !excluded.contains(s.name)) train_samples.push_back(s);
        const NetworkTrainingData data{train_records, train_samples};

        std::vector<std::unique_ptr<NetworkPredictor>> predictors;
        for (const NetworkMethod& m : methods) predictors.push_back(train_method(m, data, setting));

        for (const std::string& name : names) {
            const Measured measured = measured_runs(samples, setting, name);
            HeldOutResult client{name, setting, Party::kClient, measured.repeats, measured.client_ms, {}};
            HeldOutResult server{name, setting, Party::kServer, measured.repeats, measured.server_ms, {}};
            for (const auto& predictor : predictors) {
                const auto [p, t_pred_us] = timed_prediction(*predictor, *measured.network, setting,
                                                             options.timing_repeats);
                client.methods.push_back(score_prediction(p.client_ms, measured.client_ms, t_pred_us));
                server.methods.push_back(score_prediction(p.server_ms, measured.server_ms, t_pred_us));
            }
            report.results.push_back(std::move(client));
            report.results.push_back(std::move(server));
        }
    }
    report.accuracy = summarize_accuracy(report.methods, report.results);
    return report;
}

}  // namespace snnipred::predict
