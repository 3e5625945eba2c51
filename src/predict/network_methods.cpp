#include "snnipred/predict/network_methods.h"

#include <algorithm>

#include "snnipred/core/error.h"
#include "snnipred/predict/network_baselines.h"
#include "snnipred/predict/per_layer_sum.h"

namespace snnipred::predict {
namespace {

bool is_baseline(const std::string& name) {
    return std::any_of(std::begin(kAllBaselineProxies), std::end(kAllBaselineProxies),
                       [&](BaselineProxy p) { return baseline_proxy_name(p) == name; });
}

// The recipe's LSTM; with a base, the base (and for base nn the residual MLP on it) is
// first fitted on the training networks' layer records with the recipe's options (as
// train_bundle does).
NetworkMethod lstm_method(std::string name, const BundleRecipe& recipe, const std::string& backend,
                          const BundleProgress& progress, protocol::OtExtension ot) {
    if (recipe.lstm.base == LstmBase::kNone)
        return sample_method(std::move(name), recipe_network_factory(recipe, backend, progress.lstm, ot));
    lowering_for_backend(backend);  // fail now, not at the first setting
    return {std::move(name), [recipe, backend, progress, ot](const NetworkTrainingData& data) {
                auto base = std::make_shared<AnalyticalPredictor>(recipe.analytical);
                base->fit(data.records);
                std::shared_ptr<MlpPredictor> nn;
                if (recipe.lstm.base == LstmBase::kNn) {
                    MlpPredictorOptions options = recipe.mlp;
                    options.target = MlpTarget::kResidual;
                    nn = std::make_shared<MlpPredictor>(options, progress.mlp, recipe.analytical, base);
                    nn->fit(data.records);
                }
                auto lstm = std::make_unique<LstmPredictor>(recipe.lstm, backend, progress.lstm, base, nn, ot);
                lstm->fit(data.samples, data.records);
                return std::unique_ptr<NetworkPredictor>(std::move(lstm));
            }};
}

}  // namespace

std::vector<std::string> parse_network_method_names(std::string_view list) {
    std::vector<std::string> names;
    const auto add = [&](std::string name) {
        SNNIPRED_CHECK(std::find(names.begin(), names.end(), name) == names.end(), InvalidInput,
                       "method '" + name + "' given twice");
        names.push_back(std::move(name));
    };
    std::size_t start = 0;
    while (start <= list.size()) {
        const std::size_t comma = std::min(list.find(',', start), list.size());
        const std::string name(list.substr(start, comma - start));
        start = comma + 1;
        if (name == "baselines") {
            for (BaselineProxy p : kAllBaselineProxies) add(std::string(baseline_proxy_name(p)));
        } else if (name == "mlp") {
            add("nn");
        } else if (name == "analytical" || name == "nn" || name == "lstm" || is_baseline(name)) {
            add(name);
        } else {
            throw InvalidInput("unknown method '" + name +
                               "' (expected analytical, nn, lstm, relu-count, flops, params or baselines)");
        }
    }
    return names;
}

std::vector<NetworkMethod> retrained_network_methods(const std::vector<std::string>& names, const BundleRecipe& recipe,
                                                     const std::string& backend, const BundleProgress& progress,
                                                     protocol::OtExtension ot) {
    const LoweringOptions lowering = lowering_for_backend(backend, ot);
    std::vector<NetworkMethod> methods;
    for (const std::string& name : names) {
        if (is_baseline(name)) {
            const BaselineProxy proxy = parse_baseline_proxy(name);
            methods.push_back(sample_method(name, [proxy] { return std::make_unique<ScaleBaseline>(proxy); }));
        } else if (name == "lstm") {
            methods.push_back(lstm_method(name, recipe, backend, progress, ot));
        } else {
            const Method method = parse_methods(name).front();
            methods.push_back(per_layer_method(name, recipe_factory(recipe, method, progress.mlp), lowering));
        }
    }
    return methods;
}

std::vector<NetworkMethod> bundle_network_methods(const std::vector<std::string>& names, const Bundle& bundle,
                                                  const std::string& backend) {
    const LoweringOptions lowering = lowering_for_backend(backend, bundle.manifest.ot);
    std::vector<NetworkMethod> methods;
    for (const std::string& name : names) {
        SNNIPRED_CHECK(!is_baseline(name), InvalidInput,
                       "baseline '" + name +
                           "' is fitted on training networks; a bundle holds none (use --split network)");
        // Non-owning pointers: the bundle owns the models and outlives the evaluation.
        if (name == "lstm") {
            const LstmPredictor& lstm = bundle.lstm_predictor();
            methods.push_back(fixed_method(name, std::shared_ptr<const NetworkPredictor>(
                                                     std::shared_ptr<const NetworkPredictor>{}, &lstm)));
            continue;
        }
        const Predictor& fitted = bundle.predictor(parse_methods(name).front());
        const std::shared_ptr<const Predictor> shared(std::shared_ptr<const Predictor>{}, &fitted);
        methods.push_back(fixed_method(name, std::make_shared<PerLayerSum>(shared, lowering, name)));
    }
    return methods;
}

}  // namespace snnipred::predict
