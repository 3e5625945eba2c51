#include <memory>
#include <set>
#include <string>

#include <fmt/core.h>

#include "commands.h"
#include "dataset_options.h"
#include "progress.h"
#include "snnipred/core/error.h"
#include "snnipred/predict/bundle.h"

namespace snnipred::cli {
namespace {

struct TrainOptions {
    DatasetOptions data;
    std::string methods = "analytical,nn";
    std::string features = "protocol";
    std::string analytical_loss = "absolute";
    std::string nn_inputs = "raw+protocol";
    int trials = 8;
    std::uint64_t seed = 1;
    std::string out;
};

void run_train(const TrainOptions& options) {
    predict::BundleRecipe recipe;
    recipe.methods = predict::parse_methods(options.methods);
    recipe.analytical.features = predict::parse_feature_set(options.features);
    SNNIPRED_CHECK(options.analytical_loss == "absolute" || options.analytical_loss == "relative", InvalidInput,
                   "--analytical-loss must be absolute or relative");
    recipe.analytical.loss =
        options.analytical_loss == "relative" ? predict::FitLoss::kRelative : predict::FitLoss::kAbsolute;
    recipe.mlp.inputs = predict::parse_mlp_inputs(options.nn_inputs);
    SNNIPRED_CHECK(options.trials >= 1, InvalidInput, "--trials must be at least 1");
    recipe.mlp.trials = options.trials;
    recipe.mlp.seed = options.seed;

    const predict::Dataset data = load_selected(options.data);
    const auto progress = std::make_shared<TuningProgress>("nn tuning");
    progress->begin();
    const predict::Bundle bundle =
        predict::train_bundle(data, recipe, options.data.path, [progress](const predict::MlpFitProgress& p) { (*progress)(p); });
    predict::save_bundle(bundle, options.out);
    std::string settings;
    for (const std::string& s : bundle.manifest.settings) {
        if (!settings.empty()) settings += ',';
        settings += s;
    }
    fmt::print("wrote {}: {} methods, {} groups, {} rows, settings {}\n", options.out, recipe.methods.size(),
               bundle.manifest.training.groups.size(), data.size(), settings);
}

}  // namespace

void register_train(CLI::App& app) {
    auto options = std::make_shared<TrainOptions>();
    CLI::App* command = app.add_subcommand("train", "Train per-layer predictors into one bundle file");
    add_dataset_options(*command, options->data);
    command->add_option("--methods", options->methods, "Comma-separated: analytical, nn")->capture_default_str();
    command->add_option("--features", options->features, "Analytical feature set: paper or protocol")
        ->capture_default_str();
    command
        ->add_option("--analytical-loss", options->analytical_loss,
                     "Analytical fit: absolute (least squares in ms) or relative (in relative error)")
        ->capture_default_str();
    command->add_option("--nn-inputs", options->nn_inputs, "MLP inputs: raw or raw+protocol")->capture_default_str();
    command->add_option("--trials", options->trials, "Random-search trials per MLP group")->capture_default_str();
    command->add_option("--seed", options->seed, "Seed of the MLP tuning")->capture_default_str();
    command->add_option("--out", options->out, "Bundle file to write")->required();
    command->callback([options] { run_train(*options); });
}

}  // namespace snnipred::cli
