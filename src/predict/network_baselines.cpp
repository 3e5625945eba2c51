#include "snnipred/predict/network_baselines.h"

#include <set>

#include "snnipred/core/error.h"
#include "snnipred/model/features.h"

namespace snnipred::predict {
namespace {

struct RelativeFit {
    double sum_ratio = 0;     // sum of x / y
    double sum_ratio_sq = 0;  // sum of (x / y)^2

    void add(double x, double y) {
        if (y <= 0) return;
        const double r = x / y;
        sum_ratio += r;
        sum_ratio_sq += r * r;
    }
};

}  // namespace

std::string_view baseline_proxy_name(BaselineProxy proxy) {
    switch (proxy) {
        case BaselineProxy::kReluCount: return "relu-count";
        case BaselineProxy::kFlops: return "flops";
        case BaselineProxy::kParams: return "params";
    }
    return "unknown";
}

BaselineProxy parse_baseline_proxy(std::string_view name) {
    for (BaselineProxy proxy : kAllBaselineProxies)
        if (baseline_proxy_name(proxy) == name) return proxy;
    throw InvalidInput("unknown baseline '" + std::string(name) + "' (expected relu-count, flops or params)");
}

double baseline_proxy_value(BaselineProxy proxy, const Network& network) {
    const NetworkTotals totals = network_totals(network);
    switch (proxy) {
        case BaselineProxy::kReluCount: return static_cast<double>(totals.comparisons);
        case BaselineProxy::kFlops: return static_cast<double>(totals.macs);
        case BaselineProxy::kParams: return static_cast<double>(totals.params);
    }
    return 0;
}

std::string ScaleBaseline::name() const { return "baseline/" + std::string(baseline_proxy_name(proxy_)); }

void ScaleBaseline::fit(std::span<const NetworkSample> samples) {
    SNNIPRED_CHECK(!samples.empty(), InvalidInput, name() + ": no samples to fit");
    std::map<std::pair<std::string, Party>, RelativeFit> fits;
    for (const NetworkSample& s : samples) {
        const double x = baseline_proxy_value(proxy_, s.network);
        fits[{s.setting, Party::kClient}].add(x, s.client_ms);
        fits[{s.setting, Party::kServer}].add(x, s.server_ms);
    }
    scales_.clear();
    for (const auto& [key, fit] : fits) {
        SNNIPRED_CHECK(fit.sum_ratio_sq > 0, InvalidInput,
                       name() + ": setting " + key.first + ", " + std::string(party_name(key.second)) +
                           ": no sample with a positive time and a positive " +
                           std::string(baseline_proxy_name(proxy_)));
        scales_[key] = fit.sum_ratio / fit.sum_ratio_sq;
    }
}

double ScaleBaseline::scale(const std::string& setting, Party party) const {
    const auto it = scales_.find({setting, party});
    if (it != scales_.end()) return it->second;
    std::set<std::string> settings;
    for (const auto& [key, value] : scales_) settings.insert(key.first);
    std::string known;
    for (const std::string& s : settings) known += (known.empty() ? "" : ", ") + s;
    throw InvalidInput(name() + ": no model for setting '" + setting + "' (fitted: " +
                       (known.empty() ? "none" : known) + ")");
}

PartyTimes ScaleBaseline::predict(const Network& network, const std::string& setting) const {
    const double client = scale(setting, Party::kClient), server = scale(setting, Party::kServer);
    const double x = baseline_proxy_value(proxy_, network);
    return {client * x, server * x};
}

}  // namespace snnipred::predict
