// Rebuilding an AnalyticalPredictor from saved models, kept apart from the fitting code.
#include "snnipred/core/error.h"
#include "snnipred/predict/analytical.h"

namespace snnipred::predict {

AnalyticalPredictor AnalyticalPredictor::from_models(AnalyticalOptions options, std::map<Key, LinearModel> models) {
    for (const auto& [key, model] : models) {
        const std::string name = std::string(layer_kind_name(std::get<0>(key))) + "/" +
                                 std::string(party_name(std::get<1>(key))) + "/" + std::get<2>(key);
        SNNIPRED_CHECK(model.feature_names == feature_names(options.features, std::get<0>(key)), InvalidInput,
                       "analytical model " + name + ": features do not match this snnipred's " +
                           std::string(feature_set_name(options.features)) +
                           " feature set (a bundle of an older version: retrain it)");
        const std::size_t k = model.feature_names.size();
        SNNIPRED_CHECK(model.min.size() == k && model.max.size() == k && model.coef.size() == k, InvalidInput,
                       "analytical model " + name + ": min/max/coef lengths differ from the feature count");
    }
    AnalyticalPredictor predictor(options);
    predictor.models_ = std::move(models);
    return predictor;
}

}  // namespace snnipred::predict
