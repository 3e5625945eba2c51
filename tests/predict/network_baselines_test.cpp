// The one-scale baselines: proxy values and the relative least-squares scale on hand-made
// samples.
#include "snnipred/predict/network_baselines.h"

#include <vector>

#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "support/expect_error.h"

namespace snnipred::predict {
namespace {

// `relus` elements through one ReLU, then a 2x2 max pool (3 comparisons per output).
Network relu_network(const std::string& name, std::int64_t channels) {
    Network net(name, Shape{channels, 4, 4});
    net.add(simple_layer(LayerType::kRelu, "relu", {"input"}));
    net.add(pool_layer(LayerType::kMaxPool, "pool", "relu", 2, 2));
    return net;
}

NetworkSample sample(const Network& net, const std::string& setting, double client_ms, double server_ms) {
    return {net.name(), setting, "", net, client_ms, server_ms};
}

TEST(NetworkBaselines, ProxyValuesFollowTheDocumentedDefinitions) {
    const Network relu = relu_network("a", 2);  // 32 ReLU elements, 8 pool outputs x 3
    EXPECT_EQ(baseline_proxy_value(BaselineProxy::kReluCount, relu), 32 + 8 * 3);

    Network conv("c", Shape{3, 8, 8});
    conv.add(conv_layer("conv", "input", 4, 3, 1, 1, 1, true));  // 4*8*8 outputs x 27 MACs
    conv.add(simple_layer(LayerType::kRelu6, "relu6", {"conv"}));
    EXPECT_EQ(baseline_proxy_value(BaselineProxy::kFlops, conv), 4 * 8 * 8 * 27);
    EXPECT_EQ(baseline_proxy_value(BaselineProxy::kParams, conv), 4 * 27 + 4);
    EXPECT_EQ(baseline_proxy_value(BaselineProxy::kReluCount, conv), 2 * 4 * 8 * 8);  // ReLU6: two comparisons
}

TEST(NetworkBaselines, ScaleMinimisesTheRelativeSquaredError) {
    const Network small = relu_network("small", 1);  // proxy 16 + 12 = 28
    const Network large = relu_network("large", 4);  // proxy 112
    // Client: x/y = 0.5 and 1, so a = (0.5 + 1) / (0.25 + 1) = 1.2. Server: exact scale 2.
    const std::vector<NetworkSample> samples{sample(small, "LAN", 56, 14), sample(large, "LAN", 112, 56),
                                             sample(small, "WAN", 28, 28)};
    ScaleBaseline baseline(BaselineProxy::kReluCount);
    baseline.fit(samples);
    EXPECT_EQ(baseline.name(), "baseline/relu-count");
    EXPECT_DOUBLE_EQ(baseline.scale("LAN", Party::kClient), 1.2);
    EXPECT_DOUBLE_EQ(baseline.scale("LAN", Party::kServer), 0.5);
    EXPECT_DOUBLE_EQ(baseline.scale("WAN", Party::kClient), 1.0);
    const PartyTimes p = baseline.predict(large, "LAN");
    EXPECT_DOUBLE_EQ(p.client_ms, 1.2 * 112);
    EXPECT_DOUBLE_EQ(p.server_ms, 0.5 * 112);
}

TEST(NetworkBaselines, ZeroTimesAreSkippedAndEmptyFitsRejected) {
    const Network net = relu_network("n", 1);
    ScaleBaseline baseline(BaselineProxy::kReluCount);
    baseline.fit(std::vector<NetworkSample>{sample(net, "LAN", 0, 28), sample(net, "LAN", 56, 28)});
    EXPECT_DOUBLE_EQ(baseline.scale("LAN", Party::kClient), 2.0);  // the zero time does not pull it down

    test_support::expect_error_containing<InvalidInput>([&] { baseline.predict(net, "WAN"); }, "fitted: LAN");
    test_support::expect_error_containing<InvalidInput>([&] { baseline.fit({}); }, "no samples");
    Network no_relu("f", Shape{4, 1, 1});
    no_relu.add(fc_layer("fc", "input", 2));
    test_support::expect_error_containing<InvalidInput>(
        [&] { baseline.fit(std::vector<NetworkSample>{sample(no_relu, "LAN", 5, 5)}); }, "positive relu-count");
    EXPECT_EQ(parse_baseline_proxy("flops"), BaselineProxy::kFlops);
    test_support::expect_error_containing<InvalidInput>([] { parse_baseline_proxy("macs"); }, "unknown baseline");
}

}  // namespace
}  // namespace snnipred::predict
