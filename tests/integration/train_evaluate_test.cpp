// Trains a small bundle with the snnipred binary, evaluates it, and checks the files and
// exit codes a user sees.
#include <algorithm>
#include <filesystem>
#include <fstream>
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

std::filesystem::path work_dir() {
    const auto dir = std::filesystem::temp_directory_path() / "snnipred_train_evaluate_test";
    std::filesystem::create_directories(dir);
    return dir;
}

std::size_t lines(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

TEST(TrainEvaluate, TrainsEvaluatesAndWritesTheReport) {
    const auto dir = work_dir();
    const std::string bundle = (dir / "fc.bundle").string();
    const std::string report = (dir / "report").string();
    std::filesystem::remove_all(report);

    const Result train = run("train --data " + kData + " --setting LAN --kinds fc --methods analytical,nn --trials 2 "
                             "--out " + bundle);
    ASSERT_EQ(train.status, 0) << train.out;
    EXPECT_NE(train.out.find("trials/s"), std::string::npos) << train.out;  // the progress line
    EXPECT_NE(train.out.find("ETA"), std::string::npos) << train.out;
    ASSERT_TRUE(std::filesystem::exists(bundle));

    const Result evaluate = run("evaluate --predictor " + bundle + " --data " + kData +
                                " --setting LAN --kinds fc --split none --out " + report);
    ASSERT_EQ(evaluate.status, 0) << evaluate.out;
    EXPECT_NE(evaluate.out.find("analytical"), std::string::npos) << evaluate.out;
    for (const char* file : {"report.md", "metrics.csv", "plots/LAN_fc_client.png", "plots/LAN_fc_server.png"})
        EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(report) / file)) << file;
    std::ifstream csv(std::filesystem::path(report) / "metrics.csv");
    const std::string csv_text((std::istreambuf_iterator<char>(csv)), {});
    EXPECT_EQ(lines(csv_text), 1u + 4u) << csv_text;  // header + {client, server} x {analytical, nn}

    const Result json = run("evaluate --predictor " + bundle + " --data " + kData +
                                " --setting LAN --kinds fc --split none --methods analytical --json",
                            false);
    ASSERT_EQ(json.status, 0) << json.out;
    const auto doc = nlohmann::json::parse(json.out);
    ASSERT_EQ(doc["groups"].size(), 2u);
    EXPECT_GT(doc["groups"][0]["r2"].get<double>(), 0.9);
    for (const char* key : {"mean_time_ms", "mae_ms", "mape_pct", "r2", "t_pred_us"})
        EXPECT_TRUE(doc["groups"][0].contains(key)) << key;
}

void expect_one_line_error(const std::string& args, const std::string& fragment) {
    const Result result = run(args);
    EXPECT_NE(result.status, 0) << args;
    EXPECT_NE(result.out.find(fragment), std::string::npos) << result.out;
    EXPECT_EQ(lines(result.out), 1u) << result.out;
}

TEST(TrainEvaluate, BadInputsGiveOneLineErrors) {
    const auto dir = work_dir();
    const std::string missing = (dir / "missing-data").string();
    expect_one_line_error("train --data " + missing + " --methods analytical --out " + (dir / "x.bundle").string(),
                          "missing-data");
    expect_one_line_error("train --data " + kData + " --methods analytical,lstm --out " + (dir / "x.bundle").string(),
                          "lstm");
    const std::string garbage = (dir / "garbage.bundle").string();
    std::ofstream(garbage) << "SNNIPRED-BUNDLE 1\nmanifest 99999 0000000000000000\n{";
    expect_one_line_error("evaluate --predictor " + garbage + " --data " + kData + " --split none", "garbage.bundle");
    expect_one_line_error("evaluate --predictor " + (dir / "none.bundle").string() + " --data " + kData, "none.bundle");
}

}  // namespace
