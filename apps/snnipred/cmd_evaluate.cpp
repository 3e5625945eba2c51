#include <memory>
#include <string>

#include <fmt/core.h>

#include "commands.h"
#include "dataset_options.h"
#include "evaluation_output.h"
#include "progress.h"
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
    const std::vector<predict::Method> methods =
        options.methods.empty() ? bundle.manifest.recipe.methods : predict::parse_methods(options.methods);

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

}  // namespace

void register_evaluate(CLI::App& app) {
    auto options = std::make_shared<EvaluateOptions>();
    CLI::App* command = app.add_subcommand("evaluate", "Score a predictor bundle on a dataset (the paper's Table 3)");
    command->add_option("--predictor", options->bundle, "Bundle file written by train")->required();
    add_dataset_options(*command, options->data);
    command
        ->add_option("--split", options->split,
                     "random, kfold, config (unseen configurations): re-fit the bundle's recipe per fold; "
                     "none: the bundle as is")
        ->capture_default_str();
    command->add_option("--methods", options->methods, "Subset of the bundle's methods (default: all)");
    command->add_option("--folds", options->folds, "Folds of kfold and config")->capture_default_str();
    command->add_option("--test-fraction", options->test_fraction, "Held-out share of random")->capture_default_str();
    command->add_option("--split-seed", options->seed, "Seed of the split")->capture_default_str();
    command->add_flag("--json", options->json, "Print the metrics as JSON");
    command->add_option("--out", options->out, "Directory for report.md, metrics.csv and plots/");
    command->callback([options] {
        options->command = "snnipred evaluate --predictor " + options->bundle + " --data " + options->data.path +
                           (options->data.setting.empty() ? "" : " --setting " + options->data.setting) +
                           (options->data.kinds.empty() ? "" : " --kinds " + options->data.kinds) + " --split " +
                           options->split;
        run_evaluate(*options);
    });
}

}  // namespace snnipred::cli
