// Methods, recipes and training of bundles; the file format lives in bundle.cpp.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <set>

#include "snnipred/core/error.h"
#include "snnipred/predict/bundle.h"

#ifndef SNNIPRED_VERSION
#define SNNIPRED_VERSION "unknown"
#endif

namespace snnipred::predict {
namespace {

std::string now_utc() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

std::string config_key(const LayerRecord& r) {
    std::string key = r.variant;
    for (const auto& [name, value] : r.raw) key += "|" + name + "=" + std::to_string(value);
    return key;
}

TrainingSummary summarise(const Dataset& data, const std::string& source) {
    struct Acc {
        std::size_t rows = 0;
        double sum = 0;
        std::set<std::string> configs;
    };
    std::map<std::tuple<std::string, LayerKind, Party>, Acc> groups;
    for (const LayerRecord& r : data.records) {
        Acc& a = groups[{r.setting, r.kind, r.party}];
        ++a.rows;
        a.sum += r.time_ms;
        a.configs.insert(config_key(r));
    }
    TrainingSummary summary;
    summary.source = source;
    summary.rows = data.size();
    for (const auto& [key, a] : groups)
        summary.groups.push_back(TrainingGroup{std::get<0>(key), std::get<1>(key), std::get<2>(key), a.rows,
                                               a.configs.size(), a.sum / static_cast<double>(a.rows)});
    return summary;
}

}  // namespace

std::string_view method_name(Method method) {
    switch (method) {
        case Method::kAnalytical: return "analytical";
        case Method::kNn: return "nn";
        case Method::kLstm: return "lstm";
    }
    return "unknown";
}

std::vector<Method> parse_methods(std::string_view list) {
    std::vector<Method> methods;
    std::size_t start = 0;
    while (start <= list.size()) {
        const std::size_t comma = std::min(list.find(',', start), list.size());
        const std::string_view name = list.substr(start, comma - start);
        Method method;
        if (name == "analytical") {
            method = Method::kAnalytical;
        } else if (name == "nn" || name == "mlp") {
            method = Method::kNn;
        } else if (name == "lstm") {
            method = Method::kLstm;
        } else {
            throw InvalidInput("unknown method '" + std::string(name) + "' (expected analytical, nn or lstm)");
        }
        SNNIPRED_CHECK(std::find(methods.begin(), methods.end(), method) == methods.end(), InvalidInput,
                       "method '" + std::string(name) + "' given twice");
        methods.push_back(method);
        start = comma + 1;
    }
    SNNIPRED_CHECK(!methods.empty(), InvalidInput, "no methods given");
    return methods;
}

namespace {

[[noreturn]] void missing_method(const BundleManifest& manifest, Method method) {
    std::string trained;
    for (Method m : manifest.recipe.methods) {
        if (!trained.empty()) trained += ',';
        trained += method_name(m);
    }
    throw InvalidInput("the bundle has no " + std::string(method_name(method)) +
                       " models (it was trained with --methods " + trained + ")");
}

}  // namespace

const Predictor& Bundle::predictor(Method method) const {
    SNNIPRED_CHECK(method != Method::kLstm, InvalidInput,
                   "lstm predicts whole networks, not layers (use the bundle's LSTM predictor)");
    const Predictor* p = method == Method::kAnalytical ? static_cast<const Predictor*>(analytical.get()) : mlp.get();
    if (p == nullptr) missing_method(manifest, method);
    return *p;
}

const LstmPredictor& Bundle::lstm_predictor() const {
    if (!lstm) missing_method(manifest, Method::kLstm);
    return *lstm;
}

PredictorFactory recipe_factory(const BundleRecipe& recipe, Method method, MlpFitProgressCallback progress) {
    SNNIPRED_CHECK(method != Method::kLstm, InvalidInput,
                   "lstm predicts whole networks, not layers (use recipe_network_factory)");
    if (method == Method::kAnalytical)
        return [options = recipe.analytical] { return std::make_unique<AnalyticalPredictor>(options); };
    return [options = recipe.mlp, progress, base = recipe.analytical] {
        return std::make_unique<MlpPredictor>(options, progress, base);
    };
}

NetworkPredictorFactory recipe_network_factory(const BundleRecipe& recipe, const std::string& backend,
                                               LstmFitProgressCallback progress, protocol::OtExtension ot) {
    lowering_for_backend(backend);  // fail now, not at the first fold
    SNNIPRED_CHECK(recipe.lstm.base == LstmBase::kNone, InvalidInput,
                   "lstm base " + std::string(lstm_base_name(recipe.lstm.base)) + " needs fitted per-layer models");
    return [options = recipe.lstm, backend, progress, ot] {
        return std::make_unique<LstmPredictor>(options, backend, progress, nullptr, nullptr, ot);
    };
}

bool recipe_has(const BundleRecipe& recipe, Method method) {
    return std::find(recipe.methods.begin(), recipe.methods.end(), method) != recipe.methods.end();
}

Bundle train_bundle(const Dataset& data, const BundleRecipe& recipe, const std::string& source,
                    MlpFitProgressCallback progress) {
    return train_bundle(BundleTrainingData{&data, source, {}, {}, "cheetah"}, recipe, BundleProgress{std::move(progress), {}});
}

Bundle train_bundle(const BundleTrainingData& data, const BundleRecipe& recipe, const BundleProgress& progress) {
    SNNIPRED_CHECK(!recipe.methods.empty(), InvalidInput, "train: no methods given");
    const auto wants = [&](Method m) { return recipe_has(recipe, m); };
    SNNIPRED_CHECK(!wants(Method::kNn) || recipe.mlp.target == MlpTarget::kTime || wants(Method::kAnalytical),
                   InvalidInput,
                   "train: nn target residual corrects the analytical model: add analytical to the methods "
                   "(or use nn target time)");
    SNNIPRED_CHECK(!wants(Method::kLstm) || recipe.lstm.base == LstmBase::kNone || wants(Method::kAnalytical),
                   InvalidInput,
                   "train: lstm base " + std::string(lstm_base_name(recipe.lstm.base)) +
                       " corrects the analytical model: add analytical to the methods (or use lstm base none)");
    SNNIPRED_CHECK(!wants(Method::kLstm) || recipe.lstm.base != LstmBase::kNn ||
                       (wants(Method::kNn) && recipe.mlp.target == MlpTarget::kResidual),
                   InvalidInput,
                   "train: lstm base nn corrects the residual per-layer MLP: add nn (target residual) to the methods");
    const bool per_layer = wants(Method::kAnalytical) || wants(Method::kNn);
    SNNIPRED_CHECK(!per_layer || (data.layers && !data.layers->empty()), InvalidInput, "train: no training records");
    SNNIPRED_CHECK(!wants(Method::kLstm) || !data.networks.empty(), InvalidInput,
                   "train: lstm needs whole-network samples (--networks FILE.jsonl)");
    lowering_for_backend(data.backend);
    Bundle bundle;
    bundle.manifest.backend = data.backend;
    bundle.manifest.ot = data.ot;
    bundle.profiled_machine = data.machine;
    bundle.manifest.recipe = recipe;
    bundle.manifest.training = data.layers ? summarise(*data.layers, data.layers_source) : TrainingSummary{};
    bundle.manifest.created = now_utc();
    bundle.manifest.snnipred_version = SNNIPRED_VERSION;
    std::set<std::string> settings;
    if (per_layer)
        for (const LayerRecord& r : data.layers->records) settings.insert(r.setting);
    if (wants(Method::kLstm)) {
        for (const NetworkSample& s : data.networks) settings.insert(s.setting);
        bundle.manifest.training.network_source = data.networks_source;
        bundle.manifest.training.network_samples = data.networks.size();
    }
    bundle.manifest.settings.assign(settings.begin(), settings.end());
    // Analytical first: the residual nn and the LSTM's base build on it.
    if (wants(Method::kAnalytical)) {
        auto analytical = std::make_shared<AnalyticalPredictor>(recipe.analytical);
        analytical->fit(data.layers->records);
        bundle.analytical = std::move(analytical);
    }
    if (wants(Method::kNn)) {
        // The residual MLP corrects the bundle's own analytical model, as loading rebuilds it.
        const bool residual = recipe.mlp.target == MlpTarget::kResidual;
        bundle.mlp = std::make_shared<MlpPredictor>(recipe.mlp, progress.mlp, recipe.analytical,
                                                    residual ? bundle.analytical : nullptr);
        bundle.mlp->fit(data.layers->records);
    }
    if (wants(Method::kLstm)) {
        bundle.lstm = std::make_unique<LstmPredictor>(recipe.lstm, data.backend, progress.lstm, bundle.analytical,
                                                      bundle.mlp, data.ot);
        bundle.lstm->fit(data.networks, data.layers ? std::span<const LayerRecord>(data.layers->records)
                                                    : std::span<const LayerRecord>{});
    }
    return bundle;
}

}  // namespace snnipred::predict
