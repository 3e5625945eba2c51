// `snnipred serve` and `snnipred infer` as two processes over real TCP: a run with an
// input file, and the failures each side must survive with a clear error instead of a
// hang: a wrong model on one side, garbage sent to the server, a client killed
// mid-inference, a bad input file.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "server_process.h"
#include "snnipred/model/load.h"
#include "snnipred/model/network_digest.h"
#include "snnipred/protocol/plan.h"
#include "support/raw_peer.h"
#include "support/scoped_env.h"

namespace {

using snnipred::testing::run_shell;
using snnipred::testing::run_snnipred;
using snnipred::testing::ServerProcess;

std::string temp_path(const std::string& name) {
    return ::testing::TempDir() + "snnipred_serve_infer_" + name;
}

void write_file(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

// What every report of an `--he cheetah` run must carry (docs/SECURITY.md).
constexpr const char* kNoFloodingWarning = "responses NOT flooded (benchmark mode";

TEST(ServeInfer, InputFileRunReportsOutputAndBothParties) {
    std::string text = "# lenet5 input, 1x28x28 in CHW order\n";
    for (int row = 0; row < 28; ++row) {
        for (int col = 0; col < 28; ++col) text += std::to_string((row * 28 + col) % 17 / 16.0 - 0.5) + (col < 27 ? ", " : "\n");
    }
    const std::string input = temp_path("lenet5.txt");
    write_file(input, text);
    ServerProcess server("zoo:lenet5 --he cheetah --once --threads 2");
    const auto result = run_snnipred("infer zoo:lenet5 --he cheetah --json --connect " + server.endpoint() +
                                         " --input " + input,
                                     false);
    ASSERT_EQ(result.status, 0) << result.out;
    EXPECT_EQ(server.finish(), 0) << server.output();
    const auto doc = nlohmann::json::parse(result.out);
    EXPECT_EQ(doc["output"].size(), 10u);
    EXPECT_LT(doc["argmax"].get<std::size_t>(), 10u);
    const auto& client = doc["parties"]["client"]["online"];
    const auto& server_costs = doc["parties"]["server"]["online"];
    EXPECT_GT(client["bytes_sent"].get<std::uint64_t>(), 0u);
    EXPECT_EQ(client["bytes_sent"], server_costs["bytes_received"]);
    EXPECT_EQ(client["bytes_received"], server_costs["bytes_sent"]);
    EXPECT_NE(server.output().find("client 1: done"), std::string::npos) << server.output();
    EXPECT_FALSE(doc["he_flooding"].get<bool>());
    EXPECT_NE(doc["warning"].get<std::string>().find(kNoFloodingWarning), std::string::npos) << result.out;
}

TEST(ServeInfer, BenchmarkModeIsFlaggedInBothPartiesTextOutput) {
    ServerProcess server("zoo:lenet5 --he cheetah --once");
    const auto result = run_snnipred("infer zoo:lenet5 --he cheetah --connect " + server.endpoint(), false);
    ASSERT_EQ(result.status, 0) << result.out;
    EXPECT_NE(result.out.find(std::string("HE N=4096, ") + kNoFloodingWarning), std::string::npos) << result.out;
    EXPECT_EQ(server.finish(), 0) << server.output();
    EXPECT_NE(server.output().find(std::string("HE N=4096, ") + kNoFloodingWarning), std::string::npos)
        << server.output();
}

TEST(ServeInfer, BothPartiesShowProgressOnStderrUnlessQuiet) {
    // Progress lines from the first layer on, for the processes this test starts.
    const snnipred::test_support::ScopedEnv forced("SNNIPRED_PROGRESS_AFTER", "0");
    ServerProcess server("zoo:lenet5 --he cheetah --once");
    const auto result = run_shell(std::string(SNNIPRED_BINARY) + " infer zoo:lenet5 --he cheetah --connect " +
                                  server.endpoint() + " 2>&1 >/dev/null");
    ASSERT_EQ(result.status, 0) << result.out;
    EXPECT_EQ(result.out.find("infer: layer "), 0u) << result.out;
    EXPECT_EQ(server.finish(), 0) << server.output();
    EXPECT_NE(server.output().find("client 1: layer "), std::string::npos) << server.output();

    ServerProcess quiet_server("zoo:lenet5 --he cheetah --once --quiet");
    const auto quiet = run_shell(std::string(SNNIPRED_BINARY) + " infer zoo:lenet5 --he cheetah --json --connect " +
                                 quiet_server.endpoint() + " 2>&1 >/dev/null");
    ASSERT_EQ(quiet.status, 0) << quiet.out;
    EXPECT_EQ(quiet.out, "");
    EXPECT_EQ(quiet_server.finish(), 0) << quiet_server.output();
    EXPECT_EQ(quiet_server.output().find("layer "), std::string::npos) << quiet_server.output();
}

TEST(ServeInfer, SecureModeCarriesNoWarning) {
    ServerProcess server("zoo:lenet5 --once");
    const auto result = run_snnipred("infer zoo:lenet5 --json --connect " + server.endpoint(), false);
    ASSERT_EQ(result.status, 0) << result.out;
    const auto doc = nlohmann::json::parse(result.out);
    EXPECT_TRUE(doc["he_flooding"].get<bool>());
    EXPECT_FALSE(doc.contains("warning")) << result.out;
    EXPECT_EQ(server.finish(), 0) << server.output();
    EXPECT_NE(server.output().find("HE N=8192, flooded responses"), std::string::npos) << server.output();
    EXPECT_EQ(server.output().find("NOT flooded"), std::string::npos) << server.output();
}

TEST(ServeInfer, WrongModelStopsBothSidesWithTheDigestDifference) {
    ServerProcess server("zoo:lenet5 --he cheetah --once");
    const auto result = run_snnipred("infer zoo:minionn --he cheetah --connect " + server.endpoint());
    EXPECT_EQ(result.status, 1) << result.out;
    EXPECT_NE(result.out.find("network digest differs: client minionn 3x32x32"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("vs server lenet5 1x28x28"), std::string::npos) << result.out;
    EXPECT_EQ(server.finish(), 1) << server.output();
    EXPECT_NE(server.output().find("network digest differs: client minionn 3x32x32"), std::string::npos)
        << server.output();
}

TEST(ServeInfer, OptionMismatchNamesTheOption) {
    ServerProcess server("zoo:lenet5 --he cheetah --once");
    const auto result =
        run_snnipred("infer zoo:lenet5 --he cheetah --truncation approximate --connect " + server.endpoint());
    EXPECT_EQ(result.status, 1) << result.out;
    EXPECT_NE(result.out.find("truncation differs: client approximate vs server faithful"), std::string::npos)
        << result.out;
    EXPECT_EQ(server.finish(), 1) << server.output();
}

TEST(ServeInfer, GarbageOnTheServingSocketEndsTheServerWithAnError) {
    ServerProcess server("zoo:lenet5 --he cheetah --once --timeout 20");
    const auto started = std::chrono::steady_clock::now();
    run_shell("bash -c 'exec 3<>/dev/tcp/127.0.0.1/" + std::to_string(server.port()) +
              "; printf \"GET / HTTP/1.1\\r\\nHost: snnipred\\r\\n\\r\\n\" >&3; exec 3>&-'");
    EXPECT_EQ(server.finish(), 1) << server.output();
    EXPECT_NE(server.output().find("snnipred: error:"), std::string::npos) << server.output();
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(15)) << server.output();
}

// The handshake `snnipred infer MODEL --he cheetah` sends, as a raw peer writes it.
std::string cheetah_handshake_frame(const std::string& model) {
    using namespace snnipred;
    const Network network = load_network(model);
    const protocol::PlanOptions options{protocol::RingConfig{}, protocol::he_layout(protocol::HeSet::kCheetah, protocol::TruncationMode::kFaithful),
                                        protocol::TruncationMode::kFaithful};
    return test_support::raw_frame(protocol::handshake_message(network, options, network_digest(network)));
}

TEST(ServeInfer, DeadlineStopsAClientTricklingAfterTheHandshake) {
    ServerProcess server("zoo:lenet5 --he cheetah --once --timeout 20 --deadline 1");
    const std::string handshake = cheetah_handshake_frame("zoo:lenet5");
    const auto started = std::chrono::steady_clock::now();
    // One byte a second: well within --timeout 20, yet no frame completes in time.
    snnipred::test_support::TricklingPeer peer(server.port(), std::chrono::milliseconds(1000), handshake);
    EXPECT_EQ(server.finish(), 1) << server.output();
    // --deadline 1, plus the 1 s the issue allows, plus slack for a loaded machine.
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1 + 1 + 2)) << server.output();
    EXPECT_NE(server.output().find("deadline passed"), std::string::npos) << server.output();
}

TEST(ServeInfer, StalledClientDoesNotHoldUpTheNext) {
    ServerProcess server("zoo:lenet5 --he cheetah --max-clients 2 --timeout 60");
    {
        // Accepted first (connections are accepted in order), then silent after its handshake.
        snnipred::test_support::TricklingPeer stalled(server.port(), std::chrono::milliseconds(1000),
                                                      cheetah_handshake_frame("zoo:lenet5"));
        const auto result = run_snnipred("infer zoo:lenet5 --he cheetah --json --connect " + server.endpoint(), false);
        ASSERT_EQ(result.status, 0) << result.out;
        EXPECT_EQ(nlohmann::json::parse(result.out)["output"].size(), 10u);
    }
    server.stop();
    server.finish();
    EXPECT_NE(server.output().find("client 2: done"), std::string::npos) << server.output();
}

TEST(ServeInfer, FullServerRefusesPolitely) {
    ServerProcess server("zoo:lenet5 --he cheetah --max-clients 1 --timeout 60");
    {
        snnipred::test_support::TricklingPeer stalled(server.port(), std::chrono::milliseconds(1000),
                                                      cheetah_handshake_frame("zoo:lenet5"));
        const auto result = run_snnipred("infer zoo:lenet5 --he cheetah --connect " + server.endpoint());
        EXPECT_EQ(result.status, 1) << result.out;
        EXPECT_EQ(result.out, "snnipred: error: the server refused the run: busy with 1 clients (serve --max-clients "
                              "1); try again later\n");
    }
    server.stop();
    server.finish();
    EXPECT_NE(server.output().find("client 2: refused: busy with 1 clients"), std::string::npos) << server.output();
}

TEST(ServeInfer, ClientKilledMidInferenceEndsTheServerWithAnError) {
    ServerProcess server("zoo:minionn --he cheetah --once --timeout 20");
    const auto started = std::chrono::steady_clock::now();
    // A 50 ms round trip stretches the run to about 15 s; the client dies after 4, well
    // after it connected even on a loaded machine (its start alone took over 1 s there).
    run_shell("bash -c '" + std::string(SNNIPRED_BINARY) + " infer zoo:minionn --he cheetah --rtt 50 --connect " +
              server.endpoint() + " >/dev/null 2>&1 & pid=$!; sleep 4; kill -9 $pid; wait $pid'");
    EXPECT_EQ(server.finish(), 1) << server.output();
    EXPECT_NE(server.output().find("snnipred: error:"), std::string::npos) << server.output();
    EXPECT_NE(server.output().find("peer"), std::string::npos) << server.output();
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(15)) << server.output();
}

TEST(ServeInfer, BadInputFileNamesFileAndLine) {
    const std::string input = temp_path("bad.txt");
    write_file(input, "0.5 0.25\n1e-3, -2\n0.1 abc 0.3\n");
    const auto result = run_snnipred("infer zoo:lenet5 --connect 127.0.0.1:9 --input " + input);
    EXPECT_EQ(result.status, 1) << result.out;
    EXPECT_NE(result.out.find(input + ":3: 'abc' is not a finite number"), std::string::npos) << result.out;

    write_file(input, "0.5 0.25\n");
    const auto short_file = run_snnipred("infer zoo:lenet5 --connect 127.0.0.1:9 --input " + input);
    EXPECT_EQ(short_file.status, 1) << short_file.out;
    EXPECT_NE(short_file.out.find("holds 2 values, network 'lenet5' input 1x28x28 needs 784"), std::string::npos)
        << short_file.out;
}

}  // namespace
