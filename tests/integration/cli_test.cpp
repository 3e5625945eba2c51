// Runs the snnipred binary as a user would and checks its output and exit status.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include "cli_runner.h"
#include <nlohmann/json.hpp>

namespace {

using Result = snnipred::testing::CliResult;

Result run(const std::string& args) { return snnipred::testing::run_snnipred(args); }

nlohmann::json describe_totals(const std::string& model) {
    const Result result = run("describe " + model + " --json");
    EXPECT_EQ(result.status, 0) << result.out;
    return nlohmann::json::parse(result.out)["totals"];
}

std::string shared(const std::string& relative) { return std::string(SNNIPRED_SHARED_DIR) + "/" + relative; }

TEST(Cli, OnnxAndZooSqueezeNetAgree) {
    const auto onnx = describe_totals(shared("models/squeezenet1_1.onnx"));
    const auto zoo = describe_totals("zoo:squeezenet1_1");
    EXPECT_EQ(onnx["params"], zoo["params"]);
    EXPECT_EQ(onnx["macs"], zoo["macs"]);
    EXPECT_EQ(onnx["relus"], zoo["relus"]);
    EXPECT_EQ(zoo["params"], 1235496);
}

TEST(Cli, OnnxAndZooMobileNetAgreeOnMacsAndRelus) {
    const auto onnx = describe_totals(shared("models/mobilenet_v2.onnx"));
    const auto zoo = describe_totals("zoo:mobilenet_v2");
    EXPECT_EQ(onnx["macs"], zoo["macs"]);
    EXPECT_EQ(onnx["relus"], zoo["relus"]);
}

TEST(Cli, DescribeJsonHasTheDocumentedShape) {
    const Result result = run("describe zoo:lenet5 --json");
    ASSERT_EQ(result.status, 0) << result.out;
    const auto doc = nlohmann::json::parse(result.out);
    EXPECT_EQ(doc["name"], "lenet5");
    const auto& conv = doc["layers"][1];
    for (const char* key : {"name", "type", "inputs", "output_shape", "raw", "composite"})
        EXPECT_TRUE(conv.contains(key)) << key;
    for (const char* key : {"S_in", "S_par", "N_op", "S_out"}) EXPECT_TRUE(conv["composite"].contains(key)) << key;
    for (const char* key : {"params", "macs", "relus", "layers"}) EXPECT_TRUE(doc["totals"].contains(key)) << key;
}

TEST(Cli, ExportJsonReimportsToTheSameNetwork) {
    const auto dir = std::filesystem::temp_directory_path() / "snnipred_cli_test";
    std::filesystem::create_directories(dir);
    const std::string exported = (dir / "resnet18.json").string();
    const Result first = run("describe zoo:resnet18 --json --export-json " + exported);
    ASSERT_EQ(first.status, 0) << first.out;
    const Result second = run("describe " + exported + " --json");
    ASSERT_EQ(second.status, 0) << second.out;
    auto a = nlohmann::json::parse(first.out);
    auto b = nlohmann::json::parse(second.out);
    EXPECT_EQ(a["layers"], b["layers"]);
    EXPECT_EQ(a["totals"], b["totals"]);
}

// Each bad input exits non-zero with a single error line naming the problem.
void expect_one_line_error(const std::string& args, const std::string& fragment) {
    const Result result = run(args);
    EXPECT_NE(result.status, 0) << args;
    EXPECT_NE(result.out.find(fragment), std::string::npos) << result.out;
    EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'), 1) << result.out;
}

TEST(Cli, BadInputsGiveOneLineErrors) {
    const auto dir = std::filesystem::temp_directory_path() / "snnipred_cli_test";
    std::filesystem::create_directories(dir);
    const std::string truncated = (dir / "truncated.onnx").string();
    {
        std::ifstream in(shared("models/squeezenet1_1.onnx"), std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), {});
        std::ofstream(truncated, std::ios::binary) << bytes.substr(0, bytes.size() / 3);
    }
    const std::string bad_json = (dir / "bad.json").string();
    std::ofstream(bad_json) << "{\"format\": \"snnipred-network\", ";
    expect_one_line_error("describe " + truncated, "truncated.onnx");
    expect_one_line_error("describe " + bad_json, "bad.json: invalid JSON");
    expect_one_line_error("describe zoo:resnet51", "resnet51");
    expect_one_line_error("describe model.txt", "model.txt");
    expect_one_line_error("describe " + (dir / "missing.json").string(), "missing.json");
}

}  // namespace
