#include "snnipred/predict/baseline.h"

#include "snnipred/core/error.h"

namespace snnipred::predict {
namespace {

std::string config_key(const LayerRecord& r) {
    std::string key = std::string(layer_kind_name(r.kind)) + "/" + r.variant + "/" +
                      std::string(party_name(r.party)) + "/" + r.setting;
    for (const auto& [name, value] : r.raw) key += "|" + name + "=" + std::to_string(value);
    return key;
}

}  // namespace

void ConfigMeanPredictor::fit(std::span<const LayerRecord> records) {
    SNNIPRED_CHECK(!records.empty(), InvalidInput, "config-mean predictor: no training records");
    means_.clear();
    for (const LayerRecord& r : records) {
        auto& [sum, count] = means_[config_key(r)];
        sum += r.time_ms;
        ++count;
    }
}

double ConfigMeanPredictor::predict(const LayerRecord& record) const {
    const auto it = means_.find(config_key(record));
    SNNIPRED_CHECK(it != means_.end(), InvalidInput,
                   "config-mean predictor: configuration never seen in training (" + config_key(record) + ")");
    return it->second.first / static_cast<double>(it->second.second);
}

}  // namespace snnipred::predict
