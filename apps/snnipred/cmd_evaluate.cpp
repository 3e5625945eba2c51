#include <algorithm>
#include <memory>
#include <string>

#include <fmt/core.h>

#include "commands.h"
#include "dataset_options.h"
#include "evaluate_networks.h"
#include "evaluation_output.h"
#include "progress.h"
#include "snnipred/core/error.h"
#include "snnipred/predict/bundle.h"

namespace snnipred::cli {
namespace {

struct EvaluateOptions {
    std::string bundle;
    DatasetOptions data;
    std::string split = "config";
    std::string methods;  // empty: every method of the bundle
    int folds = 5;
    double test_fraction = 0.2;
    std::uint64_t seed = 1;
    bool json = false;
    std::string out;
    std::string command;
    NetworkEvaluateOptions networks;  // --networks given or --split network
};

// Forwards to a predictor (re-fitted per fold, or the bundle's as is) and keeps every
// prediction for the plots. Recording is a push_back, negligible next to t_pred.
class RecordingPredictor : public predict::Predictor {
public:
    RecordingPredictor(std::unique_ptr<predict::Predictor> owned, const predict::Predictor* fixed,
                       std::shared_ptr<std::vector<Sample>> sink)
        : owned_(std::move(owned)), inner_(owned_ ? owned_.get() : fixed), sink_(std::move(sink)) {}

    std::string name() const override { return inner_->name(); }
    void fit(std::span<const predict::LayerRecord> records) override {
        if (owned_) owned_->fit(records);  // the bundle's own models are evaluated as they are
    }
    double predict(const predict::LayerRecord& record) const override {
        const double predicted = inner_->predict(record);
        sink_->push_back(Sample{&record, predicted});
        return predicted;
    }

private:
    std::unique_ptr<predict::Predictor> owned_;
    const predict::Predictor* inner_;
    std::shared_ptr<std::vector<Sample>> sink_;
};

void run_evaluate(const EvaluateOptions& options) {
    const predict::Bundle bundle = predict::load_bundle(options.bundle);
    const predict::Dataset data = load_selected(options.data);
    predict::SplitOptions split;
    split.kind = predict::parse_split_kind(options.split);
    split.folds = options.folds;
    split.test_fraction = options.test_fraction;
    split.seed = options.seed;
    std::vector<predict::Method> methods =
        options.methods.empty() ? bundle.manifest.recipe.methods : predict::parse_methods(options.methods);
    // The LSTM has no per-layer predictions: by default it is skipped here, by name refused.
    SNNIPRED_CHECK(options.methods.empty() || std::find(methods.begin(), methods.end(), predict::Method::kLstm) ==
                                                  methods.end(),
                   ConfigError, "lstm predicts whole networks, not layers: evaluate it with --networks");
    std::erase(methods, predict::Method::kLstm);
    SNNIPRED_CHECK(!methods.empty(), ConfigError,
                   options.bundle + " holds no per-layer model: evaluate it with --networks");

    EvaluationRun run{options.bundle, options.data.path, options.command, &bundle.manifest, split, {}};
    const auto progress = std::make_shared<TuningProgress>("nn re-fit");
    for (predict::Method method : methods) {
        const predict::Predictor* fixed = split.kind == predict::SplitKind::kNone ? &bundle.predictor(method) : nullptr;
        const predict::PredictorFactory refit =
            fixed ? predict::PredictorFactory{}
                  : predict::recipe_factory(bundle.manifest.recipe, method,
                                            [progress](const predict::MlpFitProgress& p) { (*progress)(p); });
        auto sink = std::make_shared<std::vector<Sample>>();
        sink->reserve(data.size());
        const predict::PredictorFactory factory = [&, sink]() -> std::unique_ptr<predict::Predictor> {
            if (method == predict::Method::kNn) progress->begin();
            return std::make_unique<RecordingPredictor>(fixed ? nullptr : refit(), fixed, sink);
        };
        MethodEvaluation evaluation{method, predict::evaluate(data, factory, split), {}};
        evaluation.samples = std::move(*sink);
        run.methods.push_back(std::move(evaluation));
    }
    fmt::print("{}", options.json ? format_json(run) : format_table(run));
    if (!options.out.empty()) {
        const std::string warning = write_report(run, options.out);
        if (!warning.empty()) fmt::print(stderr, "snnipred: warning: {}\n", warning);
    }
}

std::string command_line(const EvaluateOptions& o) {
    std::string text = "snnipred evaluate";
    const auto add = [&](const char* flag, const std::string& value) {
        if (!value.empty()) text += std::string(" ") + flag + " " + value;
    };
    add("--predictor", o.bundle);
    add("--data", o.data.path);
    add("--setting", o.data.setting);
    add("--kinds", o.data.kinds);
    add("--networks", o.networks.networks);
    add("--split", o.split);
    add("--methods", o.methods);
    add("--holdout", o.networks.holdout);
    if (o.networks.holdout_random > 0) {
        add("--holdout-random", std::to_string(o.networks.holdout_random));
        add("--seed", std::to_string(o.networks.seed));
    }
    if (o.networks.trials > 0) add("--trials", std::to_string(o.networks.trials));
    add("--backend", o.networks.backend);
    return text;
}

// Copies the options both modes share into the whole-network options.
void run_networks(EvaluateOptions& o) {
    NetworkEvaluateOptions& n = o.networks;
    n.bundle = o.bundle;
    n.data = o.data;
    n.split = o.split;
    n.methods = o.methods;
    n.json = o.json;
    n.out = o.out;
    n.command = o.command;
    run_network_evaluation(n);
}

}  // namespace

void register_evaluate(CLI::App& app) {
    auto options = std::make_shared<EvaluateOptions>();
    CLI::App* command = app.add_subcommand(
        "evaluate", "Score predictors per layer (the paper's Table 3) or on whole networks (its Table 4)");
    command->add_option("--predictor", options->bundle,
                        "Bundle file written by train (required per layer; for --split network its recipe, "
                        "backend and OT extension are re-used)");
    add_dataset_options(*command, options->data, false);
    command
        ->add_option("--split", options->split,
                     "random, kfold, config (unseen configurations): re-fit the bundle's recipe per fold; "
                     "network: hold networks out and re-train every method on the others (needs --networks); "
                     "none: the bundle as is (per layer, or on whole networks with --networks)")
        ->capture_default_str();
    command->add_option("--methods", options->methods,
                        "Per layer: subset of the bundle's methods (default: all). Whole networks: analytical, nn, "
                        "lstm, relu-count, flops, params or baselines (default: the recipe's methods, else "
                        "analytical,nn,lstm, and the baselines)");
    command->add_option("--folds", options->folds, "Folds of kfold and config")->capture_default_str();
    command->add_option("--test-fraction", options->test_fraction, "Held-out share of random")->capture_default_str();
    command->add_option("--split-seed", options->seed, "Seed of the split")->capture_default_str();
    command->add_option("--networks", options->networks.networks, "Whole-network samples (JSON Lines)");
    command->add_option("--holdout", options->networks.holdout,
                        "Networks held out by name (comma-separated), with --split network");
    command->add_option("--holdout-random", options->networks.holdout_random,
                        "Also hold out this many other networks per setting, drawn by --seed");
    command->add_option("--seed", options->networks.seed, "Seed of the random held-out networks")
        ->capture_default_str();
    command->add_option("--backend", options->networks.backend,
                        "Lowering of the per-layer methods: snnipred or cheetah (default: the bundle's, else snnipred)");
    command->add_option("--trials", options->networks.trials,
                        "Tuning trials of re-trained nn and lstm models (default: the bundle's recipe, else 8)");
    command->add_flag("--json", options->json, "Print the metrics as JSON");
    command->add_option("--out", options->out,
                        "Directory for report.md, metrics.csv (per layer) or network_metrics.csv (whole networks) "
                        "and plots/");
    command->callback([options] {
        options->command = command_line(*options);
        if (options->split == "network" || !options->networks.networks.empty()) return run_networks(*options);
        SNNIPRED_CHECK(!options->bundle.empty(), ConfigError, "--split " + options->split + " needs --predictor");
        SNNIPRED_CHECK(!options->data.path.empty(), ConfigError, "--split " + options->split + " needs --data");
        run_evaluate(*options);
    });
}

}  // namespace snnipred::cli
