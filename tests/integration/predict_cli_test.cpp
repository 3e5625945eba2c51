// `snnipred predict` as a user runs it: totals and JSON shape, and one-line errors.
#include <algorithm>
#include <string>

#include <gtest/gtest.h>
#include "cli_runner.h"
#include <nlohmann/json.hpp>

namespace {

using Result = snnipred::testing::CliResult;

Result run(const std::string& args, bool merge_stderr = true) {
    return snnipred::testing::run_snnipred(args, merge_stderr);
}

const std::string kData = std::string(SNNIPRED_SHARED_DIR) + "/data/cheetah-sec24";

TEST(PredictCli, LeNetWithTrainDataGivesPositiveTotalsAsJson) {
    const Result result = run("predict zoo:lenet5 --train-data " + kData + " --setting WAN --json");
    ASSERT_EQ(result.status, 0) << result.out;
    const auto doc = nlohmann::json::parse(result.out);
    EXPECT_EQ(doc["model"], "lenet5");
    EXPECT_EQ(doc["setting"], "WAN");
    ASSERT_TRUE(doc["steps"].is_array());
    ASSERT_FALSE(doc["steps"].empty());
    for (const auto& step : doc["steps"]) {
        EXPECT_TRUE(step.contains("layer"));
        EXPECT_TRUE(step.contains("kind"));
        EXPECT_TRUE(step["raw"].is_object());
        EXPECT_GE(step["predictions"]["analytical"]["client_ms"].get<double>(), 0.0);
    }
    const auto& total = doc["totals"]["analytical"];
    EXPECT_GT(total["client_ms"].get<double>(), 0.0);
    EXPECT_GT(total["server_ms"].get<double>(), 0.0);
    EXPECT_GT(total["t_pred_us"].get<double>(), 0.0);
}

TEST(PredictCli, TableEndsWithTotals) {
    const Result result = run("predict zoo:lenet5 --train-data " + kData);
    ASSERT_EQ(result.status, 0) << result.out;
    EXPECT_NE(result.out.find("analytical   client"), std::string::npos) << result.out;
}

TEST(PredictCli, UnknownModelIsAOneLineError) {
    const Result result = run("predict zoo:nosuchnet --train-data " + kData);
    EXPECT_EQ(result.status, 1);
    EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'), 1) << result.out;
    EXPECT_NE(result.out.find("nosuchnet"), std::string::npos) << result.out;
}

TEST(PredictCli, TakesAtMostOnePredictorSource) {
    const Result result = run("predict zoo:lenet5 --predictor x.bundle --train-data " + kData);
    EXPECT_EQ(result.status, 1) << result.out;
    EXPECT_NE(result.out.find("at most one of --predictor BUNDLE and --train-data"), std::string::npos) << result.out;
}

TEST(PredictCli, DefaultPredictorComesFromTheEnvironmentWhenSet) {
    const Result result = snnipred::testing::run_shell("SNNIPRED_PREDICTOR=/nonexistent/p.bundle " +
                                                       std::string(SNNIPRED_BINARY) + " predict zoo:lenet5 2>&1");
    EXPECT_EQ(result.status, 1) << result.out;
    EXPECT_NE(result.out.find("/nonexistent/p.bundle"), std::string::npos) << result.out;
}

}  // namespace
