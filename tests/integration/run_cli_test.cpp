// `snnipred run` as a user runs it: a forked server and the client in one command, the
// JSON report, verification against the reference, link emulation, one-line errors.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace {

using Result = snnipred::testing::CliResult;

Result run(const std::string& args, bool merge_stderr = true) {
    return snnipred::testing::run_snnipred(args, merge_stderr);
}

TEST(RunCli, LeNetVerifiesExactlyAndReportsBothParties) {
    const Result result = run("run zoo:lenet5 --verify --json", false);
    ASSERT_EQ(result.status, 0) << result.out;
    const auto doc = nlohmann::json::parse(result.out);
    EXPECT_EQ(doc["model"], "lenet5");
    EXPECT_TRUE(doc["verify"]["argmax_agrees"].get<bool>());
    EXPECT_TRUE(doc["verify"]["exact"].get<bool>());
    EXPECT_EQ(doc["verify"]["max_abs_error_ulps"], 0);
    const auto& client = doc["parties"]["client"]["online"];
    const auto& server = doc["parties"]["server"]["online"];
    EXPECT_GT(client["bytes_sent"].get<std::uint64_t>(), 0u);
    EXPECT_EQ(client["bytes_sent"], server["bytes_received"]);
    EXPECT_EQ(client["bytes_received"], server["bytes_sent"]);
    EXPECT_GT(server["wall_s"].get<double>(), 0.0);
    ASSERT_TRUE(doc["steps"].is_array());
    bool has_conv = false, has_trunc = false;
    for (const auto& step : doc["steps"]) {
        has_conv |= step["layer_type"] == "conv" && step["step"] == "conv";
        has_trunc |= step["step"] == "trunc";
    }
    EXPECT_TRUE(has_conv && has_trunc);
    EXPECT_TRUE(doc["he_flooding"].get<bool>());
    EXPECT_FALSE(doc.contains("warning")) << result.out;
}

TEST(RunCli, WanLinkCompletesAndCostsTheLatency) {
    const Result result = run("run zoo:lenet5 --net wan --he cheetah --truncation approximate --verify --json", false);
    ASSERT_EQ(result.status, 0) << result.out;
    const auto doc = nlohmann::json::parse(result.out);
    EXPECT_TRUE(doc["verify"]["argmax_agrees"].get<bool>());
    EXPECT_FALSE(doc["he_flooding"].get<bool>());
    EXPECT_NE(doc["warning"].get<std::string>().find("responses NOT flooded (benchmark mode"), std::string::npos);
    const auto& client = doc["parties"]["client"]["online"];
    const auto& server = doc["parties"]["server"]["online"];
    // Every flight waits at least the 5 ms one-way latency of the emulated WAN.
    const auto flights = client["rounds"].get<double>() + server["rounds"].get<double>();
    EXPECT_GT(client["wall_s"].get<double>(), 0.9 * flights * 0.005) << result.out;
}

TEST(RunCli, FerretRunMatchesThePlanAndSaysSo) {
    const Result result = run("run zoo:lenet5 --he cheetah --ot FERRET --verify --json", false);
    ASSERT_EQ(result.status, 0) << result.out;
    const auto doc = nlohmann::json::parse(result.out);
    EXPECT_EQ(doc["ot"], "ferret");
    EXPECT_TRUE(doc["verify"]["exact"].get<bool>());
    for (const char* party : {"client", "server"}) EXPECT_EQ(doc["parties"][party]["plan_mismatches"], 0) << party;
    const Result text = run("run zoo:lenet5 --he cheetah --ot ferret", false);
    EXPECT_NE(text.out.find("OT extension ferret"), std::string::npos) << text.out;
}

TEST(RunCli, BenchmarkModeIsFlaggedInTextOutput) {
    const Result result = run("run zoo:lenet5 --he cheetah", false);
    ASSERT_EQ(result.status, 0) << result.out;
    EXPECT_NE(result.out.find("HE N=4096, responses NOT flooded (benchmark mode"), std::string::npos) << result.out;
}

// stderr alone of `snnipred ARGS` with the progress line forced from the first layer on.
Result stderr_with_progress_forced(const std::string& args) {
    return snnipred::testing::run_shell("SNNIPRED_PROGRESS_AFTER=0 " + std::string(SNNIPRED_BINARY) + " " + args +
                                        " 2>&1 >/dev/null");
}

TEST(RunCli, ProgressGoesToStderrUnlessQuietOrJson) {
    const Result text = stderr_with_progress_forced("run zoo:lenet5 --he cheetah");
    ASSERT_EQ(text.status, 0) << text.out;
    EXPECT_EQ(text.out.find("run: layer "), 0u) << text.out;
    EXPECT_NE(text.out.find(" of 12, "), std::string::npos) << text.out;  // every layer but the input
    EXPECT_NE(text.out.find("s elapsed, about "), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("(elapsed scaled by the protocol plan's bytes still to send: "), std::string::npos)
        << text.out;
    for (const char* quiet : {"run zoo:lenet5 --he cheetah --quiet", "run zoo:lenet5 --he cheetah --json"}) {
        const Result result = stderr_with_progress_forced(quiet);
        EXPECT_EQ(result.status, 0) << quiet << ": " << result.out;
        EXPECT_EQ(result.out, "") << quiet;
    }
    const Result bad = snnipred::testing::run_shell("SNNIPRED_PROGRESS_AFTER=soon " + std::string(SNNIPRED_BINARY) +
                                                    " run zoo:lenet5 2>&1");
    EXPECT_EQ(bad.status, 1) << bad.out;
    EXPECT_EQ(bad.out, "snnipred: error: SNNIPRED_PROGRESS_AFTER must be a number of seconds >= 0, not 'soon'\n");
}

TEST(RunCli, BadArgumentsGiveOneLineErrors) {
    for (const char* args : {"run zoo:no_such_net", "run zoo:lenet5 --he fast", "run zoo:lenet5 --truncation round",
                             "run zoo:lenet5 --ot kos", "run zoo:lenet5 --net moon"}) {
        const Result result = run(args);
        EXPECT_EQ(result.status, 1) << args << ": " << result.out;
        EXPECT_EQ(result.out.find("snnipred: error:"), 0u) << result.out;
        EXPECT_EQ(result.out.find('\n'), result.out.size() - 1) << result.out;
    }
}

TEST(RunCli, OversizedNetworkIsRefusedBeforeAllocating) {
    const auto dir = std::filesystem::temp_directory_path() / "snnipred_run_cli_test";
    std::filesystem::create_directories(dir);
    const std::string huge = (dir / "huge.json").string();
    std::ofstream(huge) << R"({"format": "snnipred-network", "version": 1, "name": "huge",
        "input": {"name": "input", "shape": [3, 100000, 100000]},
        "layers": [{"name": "relu", "type": "relu", "inputs": ["input"]}]})";
    const Result result = run("run " + huge);
    EXPECT_EQ(result.status, 1) << result.out;
    EXPECT_EQ(result.out, "snnipred: error: network 'huge' layer 'input': output 3x100000x100000 of 30000000000 "
                          "elements exceeds the engine's limit of 2147483648 per tensor\n");
}

TEST(RunCli, UnwritableOrUnknownTraceFailsBeforeRunning) {
    // zoo:resnet50 takes minutes: only a check before the run can fail this fast.
    const auto started = std::chrono::steady_clock::now();
    const Result missing_dir = run("run zoo:resnet50 --trace /nonexistent/dir/t.json");
    EXPECT_EQ(missing_dir.status, 1) << missing_dir.out;
    EXPECT_EQ(missing_dir.out,
              "snnipred: error: --trace /nonexistent/dir/t.json: directory /nonexistent/dir does not exist\n");
    const Result xml = run("run zoo:resnet50 --trace t.xml");
    EXPECT_EQ(xml.status, 1) << xml.out;
    EXPECT_NE(xml.out.find("--trace t.xml: the trace format follows the name, which must end in .json or .csv"),
              std::string::npos)
        << xml.out;
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));
}

}  // namespace
