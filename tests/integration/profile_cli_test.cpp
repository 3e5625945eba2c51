// snnipred profile survives SIGKILL: a restarted campaign completes every run exactly once,
// with the spans of both parties (export checks them against the lowering).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "cli_runner.h"

namespace snnipred::testing {
namespace {

constexpr int kNetworks = 6;
constexpr const char* kCampaign = R"({"name": "killme", "seed": 3,
      "engine": {"he": "cheetah", "truncation": "approximate"},
      "settings": [{"name": "LAN", "net": "none"}],
      "generator": {"families": {"conv": 2, "conv_maxpool": 1, "bn": 1, "fc": 1, "residual": 1},
                    "input_sizes": [[3, 4, 4]], "max_blocks": 2,
                    "cost": {"relu_s": 1e-6, "trunc_s": 5e-7, "mac_s": 1e-9, "cap_s": 0.002}}})";

std::size_t stored_runs(const std::string& db) {
    const CliResult status = run_snnipred("db status --db " + db);
    std::smatch match;
    if (status.status != 0 || !std::regex_search(status.out, match, std::regex(R"((\d+) runs of)"))) return 0;
    return std::stoul(match[1]);
}

pid_t start_profile(const std::string& campaign, const std::string& db, const std::string& log) {
    const pid_t pid = fork();
    if (pid == 0) {
        const std::string command = std::string(SNNIPRED_BINARY) + " profile --calibrate none --campaign " + campaign +
                                    " --db " + db + " > " + log + " 2>&1";
        execl("/bin/sh", "sh", "-c", ("exec " + command).c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    return pid;
}

TEST(ProfileCli, KilledCampaignResumesWithEveryRunOnce) {
    const auto dir = std::filesystem::temp_directory_path() / "snnipred_profile_cli_test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string campaign = (dir / "campaign.json").string(), db = (dir / "p.sqlite").string();
    std::ofstream(campaign) << kCampaign;

    const pid_t first = start_profile(campaign, db, (dir / "first.log").string());
    // The loop ends at the first stored run; the deadline only bounds a starved machine,
    // where the full suite's heaviest tests beside it once kept the first run past 60 s.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(240);
    while (stored_runs(db) < 1 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    kill(first, SIGKILL);
    int raw = 0;
    waitpid(first, &raw, 0);
    const std::size_t before = stored_runs(db);
    ASSERT_GE(before, 1u);

    // The first process recorded no machine; the second calibrates first and records one.
    const std::string machine = (dir / "machine.json").string();
    const CliResult none = run_snnipred("export --db " + db + " --out " + (dir / "l.csv").string() + " --machine " + machine);
    EXPECT_EQ(none.status, 1);
    EXPECT_NE(none.out.find("recorded no machine profile"), std::string::npos) << none.out;
    const CliResult second = run_snnipred("profile --calibrate quick --campaign " + campaign + " --db " + db);
    ASSERT_EQ(second.status, 0) << second.out;
    EXPECT_NE(second.out.find(std::to_string(before) + " runs already stored"), std::string::npos) << second.out;
    EXPECT_EQ(stored_runs(db), static_cast<std::size_t>(kNetworks));
    const CliResult with_machine =
        run_snnipred("export --db " + db + " --out " + (dir / "l.csv").string() + " --machine " + machine);
    ASSERT_EQ(with_machine.status, 0) << with_machine.out;
    EXPECT_NE(with_machine.out.find("the median of 1 machine profiles"), std::string::npos) << with_machine.out;
    const CliResult shown = run_snnipred("predict zoo:lenet5 --method physical --machine " + machine);
    EXPECT_EQ(shown.status, 0) << shown.out;

    const std::string layers = (dir / "layers.csv").string(), networks = (dir / "networks.jsonl").string();
    const CliResult exported = run_snnipred("export --db " + db + " --out " + layers + " --networks " + networks);
    ASSERT_EQ(exported.status, 0) << exported.out;
    std::ifstream jsonl(networks);
    std::size_t samples = 0;
    for (std::string line; std::getline(jsonl, line);) samples += !line.empty();
    EXPECT_EQ(samples, static_cast<std::size_t>(kNetworks));
    std::ifstream csv(layers);
    std::size_t client = 0, server = 0;
    for (std::string line; std::getline(csv, line);) {
        client += line.find(",client,") != std::string::npos;
        server += line.find(",server,") != std::string::npos;
    }
    EXPECT_GT(client, 0u);
    EXPECT_EQ(client, server);
}

TEST(ProfileCli, CorruptStoreAndBadCampaignAreClearErrors) {
    const auto dir = std::filesystem::temp_directory_path() / "snnipred_profile_cli_errors";
    std::filesystem::create_directories(dir);
    const std::string garbage = (dir / "garbage.sqlite").string();
    std::ofstream(garbage) << std::string(2048, 'z');
    const CliResult status = run_snnipred("db status --db " + garbage);
    EXPECT_EQ(status.status, 1);
    EXPECT_NE(status.out.find(garbage), std::string::npos) << status.out;
    const std::string campaign = (dir / "c.json").string();
    std::ofstream(campaign) << R"({"name": "x", "settings": [{"name": "L", "net": "moon"}]})";
    const CliResult profile = run_snnipred("profile --campaign " + campaign + " --db " + (dir / "p.sqlite").string());
    EXPECT_EQ(profile.status, 1);
    EXPECT_NE(profile.out.find("settings[0].net"), std::string::npos) << profile.out;
    std::ofstream(campaign) << kCampaign;
    const CliResult calibration =
        run_snnipred("profile --calibrate often --campaign " + campaign + " --db " + (dir / "p.sqlite").string());
    EXPECT_EQ(calibration.status, 1);
    EXPECT_NE(calibration.out.find("--calibrate often"), std::string::npos) << calibration.out;
}

TEST(ProfileCli, MergeWithACorruptInputLeavesTheOutputUntouched) {
    const auto dir = std::filesystem::temp_directory_path() / "snnipred_profile_cli_merge";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string trace = (dir / "t.json").string(), one_run = (dir / "one.sqlite").string();
    ASSERT_EQ(run_snnipred("run zoo:lenet5 --he cheetah --trace " + trace).status, 0);
    const CliResult imported =
        run_snnipred("db import-trace --db " + one_run + " --model zoo:lenet5 --setting LAN --trace " + trace);
    ASSERT_EQ(imported.status, 0) << imported.out;
    const std::string garbage = (dir / "garbage.sqlite").string();
    std::ofstream(garbage) << std::string(2048, 'z');

    const std::string out = (dir / "out.sqlite").string();
    const CliResult failed = run_snnipred("db merge " + out + " " + one_run + " " + garbage);
    EXPECT_EQ(failed.status, 1) << failed.out;
    EXPECT_NE(failed.out.find(garbage), std::string::npos) << failed.out;
    EXPECT_FALSE(std::filesystem::exists(out));

    ASSERT_EQ(run_snnipred("db merge " + out + " " + one_run).status, 0);
    EXPECT_EQ(stored_runs(out), 1u);
    EXPECT_EQ(run_snnipred("db merge " + out + " " + garbage).status, 1);
    EXPECT_EQ(stored_runs(out), 1u);
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++files;
    EXPECT_EQ(files, 4u) << "no temporary store left beside the output";  // t.json, one, garbage, out
}

}  // namespace
}  // namespace snnipred::testing
