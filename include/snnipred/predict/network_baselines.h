#pragma once
// One-number baselines for whole-network time: time = scale x proxy, one scale per
// (setting, party), the proxies NAS work uses in place of a time prediction.
//   relu-count  secure comparisons (model/features.h comparison_count): 1 per element
//               through ReLU, 2 per ReLU6 element (max and min), k_h*k_w - 1 per max-pool
//               output. Max pooling runs the same comparison protocol as ReLU, so it is
//               counted; the proxy is CryptoNAS' "ReLU count" extended to it.
//   flops       multiply-accumulates of conv and FC layers (mac_count).
//   params      trainable parameters (parameter_count).
//
// The scale minimises the squared *relative* error, sum_i ((a x_i - y_i) / y_i)^2, so
//   a = sum(x_i / y_i) / sum((x_i / y_i)^2).
// Network times span orders of magnitude: plain least squares through the origin would
// fit the largest networks only, while the relative fit matches what is scored (error %
// and the share within +-10 %). Samples with a zero time have no relative error and are
// skipped.

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "snnipred/predict/dataset.h"
#include "snnipred/predict/network_predictor.h"

namespace snnipred::predict {

enum class BaselineProxy { kReluCount, kFlops, kParams };

inline constexpr BaselineProxy kAllBaselineProxies[] = {BaselineProxy::kReluCount, BaselineProxy::kFlops,
                                                        BaselineProxy::kParams};

/// "relu-count", "flops", "params".
std::string_view baseline_proxy_name(BaselineProxy proxy);
/// Inverse of baseline_proxy_name; throws InvalidInput on another name.
BaselineProxy parse_baseline_proxy(std::string_view name);
/// The proxy's value for `network` (see the definitions above).
double baseline_proxy_value(BaselineProxy proxy, const Network& network);

class ScaleBaseline : public NetworkPredictor {
public:
    explicit ScaleBaseline(BaselineProxy proxy) : proxy_(proxy) {}

    /// "baseline/<proxy name>".
    std::string name() const override;
    /// Fits one scale per (setting, party) present in `samples`, replacing any earlier fit.
    /// Throws InvalidInput if `samples` is empty or a setting has no sample with a
    /// positive time and a positive proxy.
    void fit(std::span<const NetworkSample> samples) override;
    /// scale x proxy for each party. Throws InvalidInput if `setting` was not fitted.
    PartyTimes predict(const Network& network, const std::string& setting) const override;

    /// The fitted scale in ms per proxy unit; throws InvalidInput if not fitted.
    double scale(const std::string& setting, Party party) const;

private:
    BaselineProxy proxy_;
    std::map<std::pair<std::string, Party>, double> scales_;
};

}  // namespace snnipred::predict
