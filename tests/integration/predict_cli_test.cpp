// `snnipred predict` as a user runs it: totals and JSON shape, and one-line errors.
#include <algorithm>
#include <filesystem>
#include <string>
#include <utility>

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

// Bytes and rounds need no model: what predict reports for an engine configuration is
// what `run` then measures, per party, setup and online.
TEST(PredictCli, CommunicationEqualsWhatRunMeasures) {
    for (const char* options : {"--he cheetah --truncation approximate", "--he secure --truncation faithful",
                                "--he cheetah --truncation approximate --ot ferret"}) {
        const Result predicted = run(std::string("predict zoo:minionn --method analytical --json ") + options, false);
        ASSERT_EQ(predicted.status, 0) << predicted.out;
        const Result measured = run(std::string("run zoo:minionn --json ") + options, false);
        ASSERT_EQ(measured.status, 0) << measured.out;
        const auto plan = nlohmann::json::parse(predicted.out);
        const auto runs = nlohmann::json::parse(measured.out);
        EXPECT_EQ(plan["engine"]["he"], std::string(options).substr(5, std::string(options).find(' ', 5) - 5));
        for (const char* party : {"client", "server"})
            for (const char* phase : {"setup", "online"})
                for (const char* field : {"bytes_sent", "bytes_received", "rounds"})
                    EXPECT_EQ(plan["communication"][party][phase][field], runs["parties"][party][phase][field])
                        << options << " " << party << " " << phase << " " << field;
        std::uint64_t step_bytes = 0;
        for (const auto& step : plan["steps"]) step_bytes += step["client"]["bytes_sent"].get<std::uint64_t>();
        EXPECT_GT(step_bytes, 0u);
        EXPECT_LE(step_bytes, plan["communication"]["client"]["online"]["bytes_sent"].get<std::uint64_t>());
    }
}

// An engine option as predict and run see it: predict with and without it, run with it.
struct WithOption {
    nlohmann::json plan, without, run;
};

WithOption predict_and_run_with(const std::string& option, const std::string& model_options,
                                const std::string& methods = "analytical") {
    WithOption docs;
    using Command = std::pair<std::string, nlohmann::json*>;
    for (const auto& [command, doc] : {Command{"predict --method " + methods + " " + option, &docs.plan},
                                       Command{"predict --method analytical", &docs.without},
                                       Command{"run " + option, &docs.run}}) {
        const Result result = run(command + model_options + " --json", false);
        EXPECT_EQ(result.status, 0) << command << ": " << result.out;
        *doc = result.status == 0 ? nlohmann::json::parse(result.out) : nlohmann::json::object();
    }
    for (const char* party : {"client", "server"}) {
        for (const char* phase : {"setup", "online"})
            for (const char* field : {"bytes_sent", "bytes_received", "rounds"})
                EXPECT_EQ(docs.plan["communication"][party][phase][field], docs.run["parties"][party][phase][field])
                    << option << " " << party << " " << phase << " " << field;
        EXPECT_EQ(docs.run["parties"][party]["plan_mismatches"], 0) << option << " " << party;
    }
    return docs;
}

std::uint64_t online_sent(const nlohmann::json& plan, const char* party) {
    return plan["communication"][party]["online"]["bytes_sent"].get<std::uint64_t>();
}

// A network rewrite as predict (with and without it) and run name it in `field`, and each
// party sending less with it.
void expect_rewrite_named_and_cheaper(const WithOption& docs, const char* field, const std::string& with,
                                      const std::string& without) {
    EXPECT_EQ(docs.plan["engine"][field], with);
    EXPECT_EQ(docs.run[field], with);
    EXPECT_EQ(docs.without["engine"][field], without);
    for (const char* party : {"client", "server"})
        EXPECT_LT(online_sent(docs.plan, party), online_sent(docs.without, party)) << field << " " << party;
}

// Folded batch norms: predict and run agree on the folded network's bytes and rounds, both
// say so, and no batch-norm step is left.
TEST(PredictCli, FoldedBatchNormsArePredictedAsTheyRun) {
    const WithOption docs = predict_and_run_with(
        "--fold-batchnorm", " zoo:resnet18@16 --he cheetah --truncation approximate --ot ferret");
    expect_rewrite_named_and_cheaper(docs, "batchnorm", "20 of 20 batch norms folded into the conv or fc before them",
                                     "batch norms each their own HE step (not folded)");
    for (const auto& step : docs.run["steps"]) EXPECT_NE(step["layer_type"], "batchnorm");
}

// Norms folded forward through their ReLU: predict and run agree on the rewritten network's
// bytes and rounds, both say so, and no batch-norm step is left.
TEST(PredictCli, NormsFoldedForwardArePredictedAsTheyRun) {
    const WithOption docs = predict_and_run_with("--fold-batchnorm --fold-preactivation",
                                                 " zoo:densenet121@32 --he cheetah --truncation approximate --ot ferret");
    expect_rewrite_named_and_cheaper(docs, "batchnorm",
                                     "59 of 121 batch norms folded into the conv or fc before them, 62 through their "
                                     "ReLU into the conv or fc after it",
                                     "batch norms each their own HE step (not folded)");
    for (const auto& step : docs.run["steps"]) EXPECT_NE(step["layer_type"], "batchnorm");
}

// ReLUs after the pools they feed: predict and run agree on the rewritten network's bytes and
// rounds, both say so, and each party sends less.
TEST(PredictCli, RelusAfterPoolsArePredictedAsTheyRun) {
    const WithOption docs = predict_and_run_with(
        "--relu-after-pool", " zoo:lenet5 --he cheetah --truncation approximate --ot ferret");
    expect_rewrite_named_and_cheaper(docs, "relus", "2 ReLU layers applied after the max pool they fed",
                                     "ReLUs where the network has them");
}

// Dense conv packing: fewer bytes than Cheetah's, predicted as run measures them, and said.
TEST(PredictCli, DenseConvPackingIsPredictedAsItRuns) {
    const WithOption docs = predict_and_run_with(
        "--conv-packing dense", " zoo:minionn --he cheetah --truncation approximate", "analytical,physical");
    EXPECT_EQ(docs.plan["engine"]["conv_packing"], "dense");
    EXPECT_EQ(docs.without["engine"]["conv_packing"], "cheetah");
    EXPECT_EQ(docs.run["conv_packing"], "dense");
    EXPECT_NE(docs.plan["engine"]["note"].get<std::string>().find("OT iknp, dense conv packing"), std::string::npos)
        << docs.plan["engine"];
    EXPECT_LT(online_sent(docs.plan, "server"), online_sent(docs.without, "server"));
    EXPECT_GT(docs.plan["totals"]["physical"]["client_ms"].get<double>(), 0.0) << docs.plan["totals"];
    const Result wrong = run("predict zoo:minionn --conv-packing sparse");
    EXPECT_EQ(wrong.status, 1) << wrong.out;
    EXPECT_NE(wrong.out.find("--conv-packing: unknown conv packing 'sparse' (known: cheetah, dense)"), std::string::npos)
        << wrong.out;
}

TEST(PredictCli, TableNamesTheEngineConfigurationAndFlagsBenchmarkMode) {
    const Result result = run("predict zoo:lenet5 --method analytical", false);
    ASSERT_EQ(result.status, 0) << result.out;
    EXPECT_NE(result.out.find("HE cheetah (N=4096, responses NOT flooded"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("truncation approximate, 1 thread per party, link LAN"), std::string::npos);
    // --ot ferret picks the bundled Ferret predictor, profiled as asked: nothing to note.
    const Result ferret = run("predict zoo:lenet5 --method analytical --ot ferret", false);
    EXPECT_NE(ferret.out.find("OT ferret, "), std::string::npos) << ferret.out;
    EXPECT_EQ(ferret.out.find("are predicted as profiled"), std::string::npos) << ferret.out;
    // The IKNP bundle asked for Ferret says its times are IKNP's.
    const Result iknp_bundle = run("predict zoo:lenet5 --method analytical --ot ferret --predictor " +
                                       std::string(SNNIPRED_SOURCE_DIR) + "/predictors/snnipred-default.bundle.gz",
                                   false);
    EXPECT_NE(iknp_bundle.out.find("are predicted as profiled (HE cheetah, approximate "
                                   "truncation, OT iknp)"),
              std::string::npos) << iknp_bundle.out;
    const Result wrong = run("predict zoo:lenet5 --truncation athos");
    EXPECT_EQ(wrong.status, 1) << wrong.out;
    EXPECT_NE(wrong.out.find("unknown truncation mode 'athos'"), std::string::npos) << wrong.out;
}

TEST(PredictCli, AnotherLinkMovesThePredictionFromTheSettingOfTheNearestRtt) {
    const Result lan = run("predict zoo:lenet5 --method analytical --json", false);
    const Result slow = run("predict zoo:lenet5 --method analytical --bandwidth 50 --rtt 100 --json", false);
    ASSERT_EQ(lan.status, 0) << lan.out;
    ASSERT_EQ(slow.status, 0) << slow.out;
    const auto a = nlohmann::json::parse(lan.out), b = nlohmann::json::parse(slow.out);
    EXPECT_GT(b["totals"]["analytical"]["client_ms"].get<double>(), a["totals"]["analytical"]["client_ms"].get<double>());
    EXPECT_NE(b["engine"]["link"].get<std::string>().find("50 Mbit/s, 50 ms one way (from WAN"), std::string::npos)
        << b["engine"]["link"];
    // A named setting is kept; without one, an RTT near LAN's moves from LAN.
    for (const auto& [args, from] : {std::pair{"--rtt 100 --setting LAN", "(from LAN"}, std::pair{"--rtt 1", "(from LAN"}}) {
        const Result moved = run(std::string("predict zoo:lenet5 --method analytical --json ") + args, false);
        ASSERT_EQ(moved.status, 0) << moved.out;
        EXPECT_NE(nlohmann::json::parse(moved.out)["engine"]["link"].get<std::string>().find(from), std::string::npos)
            << args;
    }
    for (const char* args : {"--bandwidth 0", "--bandwidth -5", "--rtt -1", "--rtt 20000"}) {
        const Result bad = run(std::string("predict zoo:lenet5 ") + args);
        EXPECT_EQ(bad.status, 1) << args << ": " << bad.out;
        EXPECT_NE(bad.out.find("--bandwidth / --rtt"), std::string::npos) << args << ": " << bad.out;
    }
}

// --setting reads the presets in any case, as --net does, for every method of the bundle.
TEST(PredictCli, SettingNamesArePresetsInAnyCase) {
    for (const char* setting : {"lan", "Wan"}) {
        const Result result = run(std::string("predict zoo:lenet5 --method all --json --setting ") + setting, false);
        ASSERT_EQ(result.status, 0) << setting << ": " << result.out;
        const auto doc = nlohmann::json::parse(result.out);
        EXPECT_EQ(doc["setting"], std::string(setting) == "lan" ? "LAN" : "WAN");
        EXPECT_GT(doc["totals"]["lstm"]["client_ms"].get<double>(), 0.0);
    }
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

std::string scratch_dir() {
    const auto dir = std::filesystem::temp_directory_path() / "snnipred_predict_cli_test";
    std::filesystem::create_directories(dir);
    return dir.string();
}

TEST(PredictCli, DirectoryAsPredictorIsNamedAsSuch) {
    const std::string dir = scratch_dir();
    const Result result = run("predict zoo:lenet5 --predictor " + dir);
    EXPECT_EQ(result.status, 1) << result.out;
    EXPECT_EQ(result.out, "snnipred: error: " + dir + ": is a directory, not a bundle file\n");
}

TEST(PredictCli, DecompressionBombIsRefusedAtTheLimit) {
    // 300 MB of zeros in a few hundred KB: more than any bundle may decompress to.
    const std::string bomb = scratch_dir() + "/bomb.bundle.gz";
    ASSERT_EQ(snnipred::testing::run_shell("head -c 300000000 /dev/zero | gzip -1 > " + bomb).status, 0);
    const Result result = run("predict zoo:lenet5 --predictor " + bomb);
    EXPECT_EQ(result.status, 1) << result.out;
    EXPECT_NE(result.out.find("snnipred: error: " + bomb + ": decompresses to more than 268435456 bytes"),
              std::string::npos)
        << result.out;
}

}  // namespace
