#include "evaluate_networks.h"

#include <algorithm>
#include <memory>
#include <optional>

#include <fmt/core.h>

#include "network_evaluation_output.h"
#include "progress.h"
#include "snnipred/core/error.h"
#include "snnipred/predict/network_methods.h"

namespace snnipred::cli {
namespace {

std::vector<std::string> split_list(const std::string& list) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start < list.size()) {
        const std::size_t comma = std::min(list.find(',', start), list.size());
        if (comma > start) items.push_back(list.substr(start, comma - start));
        start = comma + 1;
    }
    return items;
}

std::vector<std::string> default_methods(const predict::BundleRecipe& recipe, bool with_baselines) {
    std::string list;
    for (predict::Method m : recipe.methods) list += (list.empty() ? "" : ",") + std::string(predict::method_name(m));
    if (with_baselines) list += (list.empty() ? "" : ",") + std::string("baselines");
    return predict::parse_network_method_names(list);
}

// The per-layer methods, and an LSTM correcting one of them, train on layer records.
bool needs_layer_records(const std::vector<std::string>& names, const predict::BundleRecipe& recipe) {
    return std::any_of(names.begin(), names.end(), [&](const std::string& n) {
        return n == "analytical" || n == "nn" || (n == "lstm" && recipe.lstm.base != predict::LstmBase::kNone);
    });
}

}  // namespace

void run_network_evaluation(const NetworkEvaluateOptions& options) {
    SNNIPRED_CHECK(options.split == "network" || options.split == "none", ConfigError,
                   "whole networks (--networks) are evaluated with --split network or --split none, not --split " +
                       options.split);
    SNNIPRED_CHECK(!options.networks.empty(), ConfigError,
                   "--split " + options.split + " over whole networks needs --networks FILE (samples, JSON Lines)");
    SNNIPRED_CHECK(options.data.kinds.empty(), ConfigError, "--kinds does not apply to whole-network evaluation");
    const bool as_is = options.split == "none";
    SNNIPRED_CHECK(!as_is || (options.holdout.empty() && options.holdout_random == 0), ConfigError,
                   "--holdout and --holdout-random need --split network");
    SNNIPRED_CHECK(!as_is || !options.bundle.empty(), ConfigError,
                   "--split none with --networks scores a bundle as it is: give --predictor");

    std::vector<predict::NetworkSample> samples = predict::read_network_samples(options.networks);
    if (!options.data.setting.empty()) {
        std::erase_if(samples, [&](const predict::NetworkSample& s) { return s.setting != options.data.setting; });
        SNNIPRED_CHECK(!samples.empty(), InvalidInput,
                       options.networks + ": no samples for setting '" + options.data.setting + "'");
    }
    std::optional<predict::Bundle> bundle;
    if (!options.bundle.empty()) bundle = predict::load_bundle(options.bundle);
    const std::string backend = !options.backend.empty() ? options.backend
                                : bundle                 ? bundle->manifest.backend
                                                         : "snnipred";

    predict::BundleRecipe recipe = bundle ? bundle->manifest.recipe : predict::BundleRecipe{};
    if (!bundle) {
        // train's defaults for a recipe that includes analytical.
        recipe.methods = {predict::Method::kAnalytical, predict::Method::kNn, predict::Method::kLstm};
        recipe.mlp.target = predict::MlpTarget::kResidual;
        recipe.lstm.base = predict::LstmBase::kNn;
        recipe.lstm.members = predict::kDefaultLstmMembers;
    }
    if (options.trials > 0) recipe.mlp.trials = recipe.lstm.trials = options.trials;
    const std::vector<std::string> names = options.methods.empty()
                                               ? default_methods(recipe, !as_is)
                                               : predict::parse_network_method_names(options.methods);
    // Before the layer records are loaded, so that a mistyped name fails fast.
    const predict::HeldOutNetworks held_out =
        as_is ? predict::all_networks(samples)
              : predict::select_holdout(samples, {split_list(options.holdout), options.holdout_random, options.seed});

    predict::Dataset records;
    if (!as_is && needs_layer_records(names, recipe)) {
        SNNIPRED_CHECK(!options.data.path.empty(), ConfigError,
                       "the per-layer methods (analytical, nn) and an lstm with a base need --data with "
                       "the networks' layer records");
        records = load_selected(options.data);
    }

    const auto mlp_progress = std::make_shared<TuningProgress>("nn re-fit");
    const auto lstm_progress = std::make_shared<TuningProgress>("lstm re-fit");
    const predict::BundleProgress progress{[mlp_progress](const predict::MlpFitProgress& p) { (*mlp_progress)(p); },
                                           [lstm_progress](const predict::LstmFitProgress& p) { (*lstm_progress)(p); }};
    std::vector<predict::NetworkMethod> methods =
        as_is ? predict::bundle_network_methods(names, *bundle, backend)
              : predict::retrained_network_methods(names, recipe, backend, progress,
                                                   bundle ? bundle->manifest.ot : protocol::OtExtension::kIknp);
    for (predict::NetworkMethod& method : methods) {
        // Each training (one per setting) is a new fit for the progress line's rate and ETA.
        const std::shared_ptr<TuningProgress> line = method.name == "nn"     ? mlp_progress
                                                     : method.name == "lstm" ? lstm_progress
                                                                             : nullptr;
        if (line) {
            method.train = [train = std::move(method.train), line](const predict::NetworkTrainingData& data) {
                line->begin();
                return train(data);
            };
        }
    }

    NetworkEvaluationRun run{options.command, records.empty() ? "" : options.data.path, options.networks,
                             options.bundle,  backend, options.split,
                             predict::evaluate_networks(records, samples, methods, held_out)};
    fmt::print("{}", options.json ? format_network_json(run) : format_network_table(run));
    if (!options.out.empty()) {
        const std::string warning = write_network_report(run, options.out);
        if (!warning.empty()) fmt::print(stderr, "snnipred: warning: {}\n", warning);
    }
}

}  // namespace snnipred::cli
