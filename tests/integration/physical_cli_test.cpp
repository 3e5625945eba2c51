// `snnipred calibrate` and `predict --method physical` as a user runs them: which machine
// profile is used and said, and one-line errors for a bad one.
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "support/scoped_temp_dir.h"

namespace {

using snnipred::testing::CliResult;

const std::string kReference = std::string(SNNIPRED_SOURCE_DIR) + "/predictors/reference-machine.json";

class PhysicalCli : public ::testing::Test {
protected:

    // Runs snnipred with no calibration of this machine in sight (the per-user profile
    // points into the empty test directory) unless `args` names one.
    CliResult run(const std::string& args, bool merge_stderr = true) const {
        return snnipred::testing::run_shell("SNNIPRED_MACHINE_PROFILE=" + (dir_ / "uncalibrated.json").string() + " " +
                                            SNNIPRED_BINARY + " " + args + (merge_stderr ? " 2>&1" : " 2>/dev/null"));
    }

    snnipred::test_support::ScopedTempDir temp_{"snnipred-physical"};
    const std::filesystem::path& dir_ = temp_.path();
};

TEST_F(PhysicalCli, UncalibratedMachineUsesTheReferenceAndSaysHowToCalibrate) {
    const CliResult text = run("predict zoo:lenet5 --method physical");
    ASSERT_EQ(text.status, 0) << text.out;
    EXPECT_NE(text.out.find("not calibrated"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("snnipred calibrate"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("reference-machine.json"), std::string::npos) << text.out;

    const CliResult json = run("predict zoo:lenet5 --method physical --json", false);
    ASSERT_EQ(json.status, 0) << json.out;
    const auto doc = nlohmann::json::parse(json.out);
    EXPECT_TRUE(doc["machine_profile"]["reference"].get<bool>());
    EXPECT_NE(doc["machine_profile"]["note"].get<std::string>().find("snnipred calibrate"), std::string::npos);
    // The reference profile carries the share it was calibrated with, and the note says so.
    EXPECT_TRUE(doc["machine_profile"]["cpu_share"]["measured"].get<bool>());
    EXPECT_NE(doc["machine_profile"]["note"].get<std::string>().find("CPU share measured"), std::string::npos);
    const auto& total = doc["totals"]["physical"];
    EXPECT_GT(total["client_ms"].get<double>(), 0.0);
    EXPECT_GT(total["server_cpu_ms"].get<double>(), 0.0);
    EXPECT_GT(total["client"]["setup_ms"].get<double>(), 0.0);
    for (const auto& step : doc["steps"]) EXPECT_GE(step["predictions"]["physical"]["client_cpu_ms"].get<double>(), 0.0);
}

TEST_F(PhysicalCli, NamedProfileIsUsedAndASlowerLinkTakesLonger) {
    const std::filesystem::path copy = dir_ / "other.json";
    std::filesystem::copy_file(kReference, copy);
    const auto predict = [&](const std::string& link) {
        const CliResult result = run("predict zoo:minionn --method physical --json --machine " + copy.string() + link, false);
        EXPECT_EQ(result.status, 0) << result.out;
        return nlohmann::json::parse(result.out);
    };
    const auto lan = predict("");
    EXPECT_FALSE(lan["machine_profile"]["reference"].get<bool>());
    EXPECT_NE(lan["machine_profile"]["source"].get<std::string>().find(copy.string()), std::string::npos);
    const auto slow = predict(" --bandwidth 100 --rtt 40");
    EXPECT_GT(slow["totals"]["physical"]["client_ms"].get<double>(), lan["totals"]["physical"]["client_ms"].get<double>() + 40.0);
    // CPU time does not depend on the link.
    EXPECT_DOUBLE_EQ(slow["totals"]["physical"]["server_cpu_ms"].get<double>(),
                     lan["totals"]["physical"]["server_cpu_ms"].get<double>());
}

// A profile from before the CPU share (format 1 without `cpu_share`) is read as a free
// machine's, and the note says the share was not measured.
TEST_F(PhysicalCli, ProfileWithoutCpuShareIsAFreeMachineAndSaysSo) {
    std::ifstream in(kReference);
    nlohmann::json profile = nlohmann::json::parse(in);
    ASSERT_TRUE(profile.contains("cpu_share"));
    profile.erase("cpu_share");
    const std::filesystem::path older = dir_ / "older.json";
    std::ofstream(older) << profile.dump();
    const CliResult result = run("predict zoo:lenet5 --method physical --json --machine " + older.string(), false);
    ASSERT_EQ(result.status, 0) << result.out;
    const auto doc = nlohmann::json::parse(result.out);
    EXPECT_FALSE(doc["machine_profile"]["cpu_share"]["measured"].get<bool>());
    EXPECT_NE(doc["machine_profile"]["note"].get<std::string>().find("CPU share not measured"), std::string::npos);
}

TEST_F(PhysicalCli, BadProfilesAreOneLineErrorsNamingFileAndField) {
    const std::string missing = (dir_ / "missing.json").string();
    const CliResult absent = run("predict zoo:lenet5 --method physical --machine " + missing);
    EXPECT_EQ(absent.status, 1);
    EXPECT_NE(absent.out.find("--machine: machine profile " + missing + ": cannot open"), std::string::npos) << absent.out;

    const std::filesystem::path corrupt = dir_ / "corrupt.json";
    std::ofstream(corrupt) << "{\"format\": ";
    const CliResult broken = run("predict zoo:lenet5 --method physical --machine " + corrupt.string());
    EXPECT_EQ(broken.status, 1);
    EXPECT_NE(broken.out.find(corrupt.string() + ": not valid JSON"), std::string::npos) << broken.out;

    nlohmann::json foreign = nlohmann::json::parse(std::ifstream(kReference));
    foreign["unit_costs"]["he_product.cheetah"]["seconds"] = -1.0;
    std::ofstream(dir_ / "negative.json") << foreign.dump();
    const CliResult negative = run("predict zoo:lenet5 --method physical --machine " + (dir_ / "negative.json").string());
    EXPECT_EQ(negative.status, 1);
    EXPECT_NE(negative.out.find("unit_costs.he_product.cheetah.seconds must be finite and not negative"),
              std::string::npos) << negative.out;

    foreign = nlohmann::json::parse(std::ifstream(kReference));
    foreign["cpu_share"] = {{"single_thread_share", -0.5}, {"concurrent_cores", 1.0}, {"unthrottled_share", 1.0}, {"windows", 10}};
    std::ofstream(dir_ / "share.json") << foreign.dump();
    const CliResult share = run("predict zoo:lenet5 --method physical --machine " + (dir_ / "share.json").string());
    EXPECT_EQ(share.status, 1);
    EXPECT_NE(share.out.find((dir_ / "share.json").string() + ": cpu_share.single_thread_share must be a positive"),
              std::string::npos) << share.out;

    // Without the physical method a bad profile is as much an error: the bundle's methods
    // would move to that machine.
    const CliResult bundle_methods = run("predict zoo:lenet5 --machine " + (dir_ / "share.json").string());
    EXPECT_EQ(bundle_methods.status, 1);
    EXPECT_NE(bundle_methods.out.find("--machine: machine profile " + (dir_ / "share.json").string()), std::string::npos)
        << bundle_methods.out;
}

// A bundle trained with --machine holds the profile of the machine it was profiled on, so
// its methods follow a calibration: on a machine whose every primitive costs twice as much
// they predict more, and every output says which machine its times are for.
TEST_F(PhysicalCli, BundleMethodsMoveToTheCalibratedMachine) {
    const std::string data = std::string(SNNIPRED_SOURCE_DIR) + "/data/snnipred-2026-11-25/train-layers.csv";
    const std::string bundle = (dir_ / "profiled.bundle").string();
    const CliResult trained = run("train --data " + data + " --methods analytical --backend snnipred --machine " +
                                  kReference + " --out " + bundle);
    ASSERT_EQ(trained.status, 0) << trained.out;
    nlohmann::json slower = nlohmann::json::parse(std::ifstream(kReference));
    for (auto& [key, cost] : slower["unit_costs"].items()) cost["seconds"] = cost["seconds"].get<double>() * 2;
    std::ofstream(dir_ / "slower.json") << slower.dump();
    const auto predict = [&](const std::string& args) {
        const CliResult result = run("predict zoo:minionn --json --predictor " + bundle + args, false);
        EXPECT_EQ(result.status, 0) << result.out;
        return nlohmann::json::parse(result.out);
    };
    const auto here = predict("");
    EXPECT_NE(here["engine"]["machine"].get<std::string>().find("run `snnipred calibrate`"), std::string::npos);
    const auto slow = predict(" --machine " + (dir_ / "slower.json").string());
    EXPECT_NE(slow["engine"]["machine"].get<std::string>().find("moved from the bundle's profiling machine"),
              std::string::npos) << slow["engine"]["machine"];
    const double ratio =
        slow["totals"]["analytical"]["server_ms"].get<double>() / here["totals"]["analytical"]["server_ms"].get<double>();
    EXPECT_GT(ratio, 1.3);
    EXPECT_LE(ratio, 2.0 + 1e-9);
    const CliResult text = run("predict zoo:minionn --predictor " + bundle + " --machine " + (dir_ / "slower.json").string());
    EXPECT_NE(text.out.find("\nmachine: this machine"), std::string::npos) << text.out;
    // The default bundle holds its profiling machine's profile too.
    const CliResult moved = run("predict zoo:minionn --method analytical --machine " + (dir_ / "slower.json").string());
    EXPECT_NE(moved.out.find("moved from the bundle's profiling machine"), std::string::npos) << moved.out;
}

TEST_F(PhysicalCli, QuickCalibrationWritesAProfilePredictThenUses) {
    const std::filesystem::path profile = dir_ / "sub" / "machine.json";
    const CliResult calibrated = run("calibrate --quick --repeats 2 --out " + profile.string());
    ASSERT_EQ(calibrated.status, 0) << calibrated.out;
    EXPECT_NE(calibrated.out.find("ETA"), std::string::npos) << calibrated.out;        // progress on stderr
    EXPECT_NE(calibrated.out.find("calibration 2 of 2"), std::string::npos) << calibrated.out;
    EXPECT_NE(calibrated.out.find("spread"), std::string::npos) << calibrated.out;
    EXPECT_NE(calibrated.out.find("%  "), std::string::npos) << calibrated.out;  // each unit's spread
    EXPECT_NE(calibrated.out.find("random_cot.iknp"), std::string::npos) << calibrated.out;  // the table
    EXPECT_NE(calibrated.out.find("reference"), std::string::npos) << calibrated.out;
    const CliResult predicted = run("predict zoo:lenet5 --method physical --json --machine " + profile.string(), false);
    ASSERT_EQ(predicted.status, 0) << predicted.out;
    EXPECT_NE(calibrated.out.find("CPU share"), std::string::npos) << calibrated.out;
    const auto doc = nlohmann::json::parse(predicted.out);
    EXPECT_GT(doc["totals"]["physical"]["client_ms"].get<double>(), 0.0);
    EXPECT_TRUE(doc["machine_profile"]["cpu_share"]["measured"].get<bool>());
    EXPECT_NE(doc["machine_profile"]["note"].get<std::string>().find("CPU share measured"), std::string::npos);
    const CliResult none = run("calibrate --quick --repeats 0 --out " + profile.string());
    EXPECT_EQ(none.status, 1) << none.out;
    EXPECT_NE(none.out.find("--repeats must be in 1..9, not 0"), std::string::npos) << none.out;
}

}  // namespace
