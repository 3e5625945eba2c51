// Prints the evaluation tables quoted in docs and reviews. Disabled by default (it fits
// hundreds of models); run with
//   ./build-predict/tests/predict_tests --gtest_also_run_disabled_tests --gtest_filter='*ReportFigures*'
#include <gtest/gtest.h>

#include <iostream>

#include "snnipred/predict/analytical.h"
#include "snnipred/predict/baseline.h"
#include "snnipred/predict/evaluate.h"

namespace snnipred::predict {
namespace {

const std::string kData = std::string(SNNIPRED_SHARED_DIR) + "/data/cheetah-sec24";

void print(const Dataset& data, AnalyticalOptions options, SplitKind split, const char* title) {
    const EvaluationReport report =
        evaluate(data, [options] { return std::make_unique<AnalyticalPredictor>(options); }, {split, 5, 0.2, 1});
    std::cout << "== " << title << "\n" << format_report(report) << std::flush;
}

TEST(DISABLED_ReportFigures, PaperAndProtocol) {
    const Dataset data = load_dataset(kData);
    const Dataset lan = data.filter_setting("LAN");
    std::cout << "== noise ceiling (config means, in-sample)\n"
              << format_report(evaluate(data, [] { return std::make_unique<ConfigMeanPredictor>(); },
                                        {SplitKind::kNone, 5, 0.2, 1}));
    for (InterceptMode intercept : {InterceptMode::kNonNegative, InterceptMode::kFree})
        print(lan, {FeatureSet::kPaper, intercept, FitLoss::kAbsolute}, SplitKind::kKFold,
              intercept == InterceptMode::kFree ? "LAN paper kfold (free intercept)" : "LAN paper kfold (c5 >= 0)");
    print(data, {FeatureSet::kPaper, InterceptMode::kNonNegative, FitLoss::kAbsolute}, SplitKind::kConfig,
          "paper config");
    for (FitLoss loss : {FitLoss::kAbsolute, FitLoss::kRelative})
        print(data, {FeatureSet::kProtocol, InterceptMode::kNonNegative, loss}, SplitKind::kConfig,
              loss == FitLoss::kRelative ? "protocol config (relative loss)" : "protocol config (absolute loss)");
}

}  // namespace
}  // namespace snnipred::predict
