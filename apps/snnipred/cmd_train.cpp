#include <memory>
#include <optional>
#include <set>
#include <string>

#include <fmt/core.h>

#include "commands.h"
#include "dataset_options.h"
#include "progress.h"
#include "snnipred/core/error.h"
#include "snnipred/machine/machine_profile_io.h"
#include "snnipred/predict/bundle.h"

namespace snnipred::cli {
namespace {

struct TrainOptions {
    DatasetOptions data;
    std::string methods = "analytical,nn";
    std::string features = "protocol";
    std::string analytical_loss = "absolute";
    std::string nn_inputs = "raw+protocol";
    std::string nn_target;  // empty: residual when the methods include analytical, else time
    int trials = 8;
    std::uint64_t seed = 1;
    std::string networks;  // whole-network samples (JSON Lines) for lstm
    std::string backend = "cheetah";
    std::string ot;  // snnipred backend; empty: iknp
    std::string machine;  // the profiling machine's profile, kept in the bundle
    int lstm_trials = 8;
    int lstm_max_epochs = 200;
    int lstm_members = predict::kDefaultLstmMembers;
    std::string lstm_head = "step-sum";
    std::string lstm_base;  // empty: see default_lstm_base
    std::string out;
};

// The best per-layer model trained alongside: the residual MLP, else the analytical one.
predict::LstmBase default_lstm_base(const predict::BundleRecipe& recipe) {
    if (recipe.lstm.head != predict::LstmHead::kStepSum || !predict::recipe_has(recipe, predict::Method::kAnalytical))
        return predict::LstmBase::kNone;
    const bool residual_nn =
        predict::recipe_has(recipe, predict::Method::kNn) && recipe.mlp.target == predict::MlpTarget::kResidual;
    return residual_nn ? predict::LstmBase::kNn : predict::LstmBase::kAnalytical;
}

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
    SNNIPRED_CHECK(options.lstm_trials >= 1 && options.lstm_max_epochs >= 1, InvalidInput,
                   "--lstm-trials and --lstm-max-epochs must be at least 1");
    recipe.lstm.trials = options.lstm_trials;
    recipe.lstm.max_epochs = options.lstm_max_epochs;
    recipe.lstm.members = options.lstm_members;
    recipe.lstm.seed = options.seed;
    recipe.lstm.head = predict::parse_lstm_head(options.lstm_head);

    const auto wants = [&](predict::Method m) { return predict::recipe_has(recipe, m); };
    // Correcting the analytical model extrapolates to larger layers than learning the time.
    const bool analytical = wants(predict::Method::kAnalytical);
    recipe.mlp.target = !options.nn_target.empty() ? predict::parse_mlp_target(options.nn_target)
                        : analytical               ? predict::MlpTarget::kResidual
                                                   : predict::MlpTarget::kTime;
    recipe.lstm.base = !options.lstm_base.empty() ? predict::parse_lstm_base(options.lstm_base) : default_lstm_base(recipe);
    const bool per_layer = wants(predict::Method::kAnalytical) || wants(predict::Method::kNn);
    SNNIPRED_CHECK(!per_layer || !options.data.path.empty(), InvalidInput, "--data is required for analytical and nn");
    SNNIPRED_CHECK(!wants(predict::Method::kLstm) || !options.networks.empty(), InvalidInput,
                   "--methods lstm needs whole-network samples: --networks FILE.jsonl");
    const predict::Dataset data = per_layer ? load_selected(options.data) : predict::Dataset{};
    std::vector<predict::NetworkSample> networks;
    if (wants(predict::Method::kLstm)) {
        networks = predict::read_network_samples(options.networks);
        if (!options.data.setting.empty())
            std::erase_if(networks, [&](const predict::NetworkSample& s) { return s.setting != options.data.setting; });
        SNNIPRED_CHECK(!networks.empty(), InvalidInput,
                       options.networks + ": no network samples for setting '" + options.data.setting + "'");
    }
    SNNIPRED_CHECK(options.ot.empty() || options.backend == "snnipred", InvalidInput,
                   "--ot names the snnipred engine's OT extension: use it with --backend snnipred");
    const protocol::OtExtension ot = options.ot.empty() ? protocol::OtExtension::kIknp : protocol::parse_ot_extension(options.ot);
    std::optional<machine::MachineProfile> profiled_machine;
    if (!options.machine.empty()) {
        SNNIPRED_CHECK(options.backend == "snnipred", InvalidInput,
                       "--machine is the profile of the machine the snnipred engine was profiled on: use it with "
                       "--backend snnipred");
        profiled_machine = machine::read_profile(options.machine);
    }
    const auto progress = std::make_shared<TuningProgress>("tuning");
    progress->begin();
    const predict::BundleProgress report{[progress](const predict::MlpFitProgress& p) { (*progress)(p); },
                                         [progress](const predict::LstmFitProgress& p) { (*progress)(p); }};
    const predict::Bundle bundle = predict::train_bundle(
        predict::BundleTrainingData{per_layer ? &data : nullptr, options.data.path, networks, options.networks,
                                    options.backend, ot, profiled_machine},
        recipe, report);
    predict::save_bundle(bundle, options.out);
    std::string settings;
    for (const std::string& s : bundle.manifest.settings) {
        if (!settings.empty()) settings += ',';
        settings += s;
    }
    const std::string per_step =
        bundle.lstm ? fmt::format(" ({} with per-step times)", bundle.lstm->steps_supervised()) : std::string();
    const std::string profiled_ot =
        bundle.manifest.backend == "snnipred" ? fmt::format(" (OT {})", protocol::ot_extension_name(bundle.manifest.ot)) : "";
    fmt::print("wrote {}: {} methods, {} groups, {} rows, {} network samples{}, backend {}{}, settings {}\n", options.out,
               recipe.methods.size(), bundle.manifest.training.groups.size(), data.size(), networks.size(), per_step,
               bundle.manifest.backend, profiled_ot, settings);
}

}  // namespace

void register_train(CLI::App& app) {
    auto options = std::make_shared<TrainOptions>();
    CLI::App* command = app.add_subcommand("train", "Train per-layer and whole-network predictors into one bundle file");
    add_dataset_options(*command, options->data, false);
    command->add_option("--methods", options->methods, "Comma-separated: analytical, nn, lstm")->capture_default_str();
    command->add_option("--networks", options->networks,
                        "Whole-network samples (JSON Lines, docs/dataset-format.md) for lstm");
    command->add_option("--backend", options->backend, "Backend whose lowering the LSTM reads: cheetah or snnipred")
        ->capture_default_str();
    command->add_option("--ot", options->ot,
                        "snnipred backend: the OT extension the profiling campaigns ran (iknp or ferret; default iknp)");
    command->add_option("--machine", options->machine,
                        "snnipred backend: the machine profile (snnipred calibrate) of the machine the campaigns ran on, "
                        "kept in the bundle so predictions can move to a calibrated machine");
    command->add_option("--lstm-trials", options->lstm_trials, "Random-search trials per LSTM setting")
        ->capture_default_str();
    command->add_option("--lstm-members", options->lstm_members,
                        "Independently tuned LSTMs per setting whose predictions are averaged (1..16)")
        ->capture_default_str();
    command->add_option("--lstm-max-epochs", options->lstm_max_epochs, "Epoch cap of each LSTM trial")
        ->capture_default_str();
    command->add_option("--lstm-head", options->lstm_head, "LSTM head: step-sum or last-state")->capture_default_str();
    command->add_option("--lstm-base", options->lstm_base,
                        "LSTM base: none (per-step times), analytical (per-step corrections of the analytical "
                        "model; step-sum head, needs analytical in --methods) or nn (of the residual per-layer MLP; "
                        "also needs nn); default nn when --methods has analytical and nn (residual), analytical "
                        "with analytical only, none with the last-state head");
    command->add_option("--features", options->features, "Analytical feature set: paper, protocol, or plan (protocol and each step's Ferret refills, from the "
                        "protocol plan: for data exported from Ferret campaigns, with --ot ferret)")
        ->capture_default_str();
    command
        ->add_option("--analytical-loss", options->analytical_loss,
                     "Analytical fit: absolute (least squares in ms) or relative (in relative error)")
        ->capture_default_str();
    command->add_option("--nn-inputs", options->nn_inputs, "MLP inputs: raw or raw+protocol")->capture_default_str();
    command->add_option("--nn-target", options->nn_target,
                        "MLP target: time or residual (a correction of the analytical model; needs analytical in "
                        "--methods); default residual when --methods has analytical, else time");
    command->add_option("--trials", options->trials, "Random-search trials per MLP group")->capture_default_str();
    command->add_option("--seed", options->seed, "Seed of the MLP and LSTM tuning")->capture_default_str();
    command->add_option("--out", options->out, "Bundle file to write")->required();
    command->callback([options] { run_train(*options); });
}

}  // namespace snnipred::cli
