// `snnipred evaluate` over whole networks: the tables, files and errors a user sees.
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "snnipred/model/features.h"
#include "snnipred/model/json_format.h"

namespace {

using Result = snnipred::testing::CliResult;

Result run(const std::string& args, bool merge_stderr = true) {
    return snnipred::testing::run_snnipred(args, merge_stderr);
}

std::filesystem::path work_dir() {
    const auto dir = std::filesystem::temp_directory_path() / "snnipred_network_evaluate_cli_test";
    std::filesystem::create_directories(dir);
    return dir;
}

// Eight small conv + ReLU networks in LAN whose comparisons, MACs and parameters all grow
// with the channels; the client's time is proportional to them +-5 %, the server's exactly.
std::string samples_file() {
    const auto path = work_dir() / "samples.jsonl";
    std::ofstream out(path);
    for (int i = 0; i < 8; ++i) {
        snnipred::Network net("n" + std::to_string(i), snnipred::Shape{2, 8, 8});
        net.add(snnipred::conv_layer("conv", "input", 1 + i, 1));
        net.add(snnipred::simple_layer(snnipred::LayerType::kRelu, "relu", {"conv"}));
        const double comparisons = static_cast<double>(snnipred::network_totals(net).comparisons);
        const double noise = i % 2 == 0 ? 1.05 : 0.95;
        const nlohmann::json line = {{"name", net.name()},
                                     {"setting", "LAN"},
                                     {"run", "0"},
                                     {"client_ms", 0.1 * comparisons * noise},
                                     {"server_ms", 0.2 * comparisons},
                                     {"network", nlohmann::json::parse(snnipred::network_to_json(net))}};
        out << line.dump() << "\n";
    }
    return path.string();
}

TEST(NetworkEvaluateCli, HoldsNetworksOutAndWritesTheReport) {
    const std::string samples = samples_file();
    const auto report = work_dir() / "report";
    std::filesystem::remove_all(report);
    const Result table = run("evaluate --split network --networks " + samples +
                             " --holdout n0 --holdout-random 2 --methods baselines --out " + report.string());
    ASSERT_EQ(table.status, 0) << table.out;
    for (const char* text : {"held out: LAN: ", "n0", "relu-count", "flops", "params", "within10%", "measured[s]"})
        EXPECT_NE(table.out.find(text), std::string::npos) << text << "\n" << table.out;
    for (const char* file : {"report.md", "network_metrics.csv", "network_accuracy.csv", "plots/network_LAN.png"})
        EXPECT_TRUE(std::filesystem::exists(report / file)) << file;

    const Result json = run("evaluate --split network --networks " + samples +
                                " --holdout n0,n3 --methods relu-count --json",
                            false);
    ASSERT_EQ(json.status, 0) << json.out;
    const auto doc = nlohmann::json::parse(json.out);
    ASSERT_EQ(doc["results"].size(), 4u);  // two networks x two parties
    EXPECT_EQ(doc["held_out"]["LAN"], nlohmann::json({"n0", "n3"}));
    // The server's time is exactly proportional to the comparisons.
    for (const auto& a : doc["accuracy"]) {
        if (a["party"] == "server") EXPECT_NEAR(a["mape_pct"].get<double>(), 0, 1e-6);
    }
}

TEST(NetworkEvaluateCli, ExplainsWrongUse) {
    const std::string samples = samples_file();
    const Result unknown = run("evaluate --split network --networks " + samples + " --holdout resnet50 --methods flops");
    EXPECT_EQ(unknown.status, 1);
    EXPECT_NE(unknown.out.find("no samples of network 'resnet50' (known: n0, n1"), std::string::npos) << unknown.out;

    const Result no_networks = run("evaluate --split network --holdout n0 --methods flops");
    EXPECT_EQ(no_networks.status, 1);
    EXPECT_NE(no_networks.out.find("needs --networks"), std::string::npos) << no_networks.out;

    const Result no_data = run("evaluate --split network --networks " + samples + " --holdout n0 --methods analytical");
    EXPECT_EQ(no_data.status, 1);
    EXPECT_NE(no_data.out.find("need --data"), std::string::npos) << no_data.out;

    const Result no_bundle = run("evaluate --split none --networks " + samples);
    EXPECT_EQ(no_bundle.status, 1);
    EXPECT_NE(no_bundle.out.find("give --predictor"), std::string::npos) << no_bundle.out;

    const Result per_layer = run("evaluate --split config --data " + samples);
    EXPECT_EQ(per_layer.status, 1);
    EXPECT_NE(per_layer.out.find("--split config needs --predictor"), std::string::npos) << per_layer.out;
}

}  // namespace
