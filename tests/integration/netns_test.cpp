// Real network namespaces shaped with tc (scripts/netns-link.sh), probed with
// `snnipred netprobe`. Skips where namespaces are not permitted (not root, no iproute2).
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>
#include "cli_runner.h"
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace {

std::string capture(const std::string& command) { return snnipred::testing::run_shell(command + " 2>&1").out; }

TEST(Netns, ShapedLinkCarriesTrafficBetweenNamespaces) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root for network namespaces";
    if (std::system("ip netns list >/dev/null 2>&1") != 0) GTEST_SKIP() << "iproute2 or netns support missing";
    const std::string script = std::string(SNNIPRED_SOURCE_DIR) + "/scripts/netns-link.sh";
    const std::string up = capture("bash " + script + " up --rate 400mbit --delay 5ms");
    if (up.find("netns-link: up") == std::string::npos) GTEST_SKIP() << "could not create namespaces: " << up;
    const std::string binary = SNNIPRED_BINARY;
    std::system(("ip netns exec snni-server " + binary +
                 " netprobe --listen 10.213.0.1:47123 --rtt 10 >/dev/null 2>&1 &").c_str());
    const std::string out = capture("ip netns exec snni-client " + binary +
                                    " netprobe --connect 10.213.0.1:47123 --megabytes 8 --pings 10 --json --rtt 10");
    capture("bash " + script + " down");
    const auto result = nlohmann::json::parse(out, nullptr, false);
    ASSERT_FALSE(result.is_discarded()) << out;
    EXPECT_GT(result["bandwidth_mbit_s"].get<double>(), 0.0);
    // The channel's emulated 10 ms RTT is a lower bound whatever the machine's load.
    EXPECT_GE(result["rtt_ms"].get<double>(), 10.0);
}

}  // namespace
