// Whole-network evaluation: what each method is trained on, measured means, error and
// +-10 % arithmetic on hand-made numbers.
#include "snnipred/predict/network_evaluation.h"

#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "support/expect_error.h"

namespace snnipred::predict {
namespace {

// What the methods were trained on, per training call.
struct Seen {
    std::vector<std::set<std::string>> record_networks, sample_networks, settings;
};

// Predicts a fixed time per network name: "a" 100 ms, anything else 50 ms (server x 2).
class FixedTimes : public NetworkPredictor {
public:
    std::string name() const override { return "fixed"; }
    void fit(std::span<const NetworkSample>) override {}
    PartyTimes predict(const Network& network, const std::string&) const override {
        const double t = network.name() == "a" ? 100 : 50;
        return {t, 2 * t};
    }
};

NetworkMethod recording_method(const std::string& name, const std::shared_ptr<Seen>& seen) {
    return {name, [seen](const NetworkTrainingData& data) {
                std::set<std::string> records, samples, settings;
                for (const LayerRecord& r : data.records) {
                    records.insert(r.source.network);
                    settings.insert(r.setting);
                }
                for (const NetworkSample& s : data.samples) {
                    samples.insert(s.name);
                    settings.insert(s.setting);
                }
                seen->record_networks.push_back(records);
                seen->sample_networks.push_back(samples);
                seen->settings.push_back(settings);
                return std::unique_ptr<NetworkPredictor>(std::make_unique<FixedTimes>());
            }};
}

NetworkSample sample(const std::string& name, const std::string& setting, double client, double server) {
    return {name, setting, "", Network(name, Shape{1, 1, 1}), client, server};
}

LayerRecord record(const std::string& network, const std::string& setting) {
    LayerRecord r;
    r.setting = setting;
    r.source.network = network;
    return r;
}

TEST(NetworkEvaluation, TrainsEachSettingOnlyOnItsNetworksThatAreNotHeldOut) {
    Dataset records;
    for (const char* net : {"a", "b", "c", ""})
        for (const char* setting : {"LAN", "WAN"}) records.records.push_back(record(net, setting));
    const std::vector<NetworkSample> samples{sample("a", "LAN", 90, 200), sample("a", "LAN", 300, 200),
                                             sample("a", "LAN", 100, 200),
                                             sample("b", "LAN", 50, 100), sample("c", "LAN", 1, 1),
                                             sample("a", "WAN", 1, 1),    sample("b", "WAN", 60, 100),
                                             sample("c", "WAN", 1, 1)};
    const auto seen = std::make_shared<Seen>();
    const std::vector<NetworkMethod> methods{recording_method("m", seen)};
    const HeldOutNetworks held{{"LAN", {"a", "b"}}, {"WAN", {"b"}}};
    const NetworkEvaluationReport report = evaluate_networks(records, samples, methods, held);

    ASSERT_EQ(seen->settings.size(), 2u);  // one training per setting
    EXPECT_EQ(seen->settings[0], (std::set<std::string>{"LAN"}));
    EXPECT_EQ(seen->record_networks[0], (std::set<std::string>{"c", ""}));
    EXPECT_EQ(seen->sample_networks[0], (std::set<std::string>{"c"}));
    EXPECT_EQ(seen->settings[1], (std::set<std::string>{"WAN"}));
    EXPECT_EQ(seen->record_networks[1], (std::set<std::string>{"a", "c", ""}));
    EXPECT_EQ(seen->sample_networks[1], (std::set<std::string>{"a", "c"}));
    EXPECT_EQ(report.records_without_network, 2u);

    ASSERT_EQ(report.results.size(), 6u);  // (LAN a, LAN b, WAN b) x (client, server)
    const HeldOutResult& a_client = report.results[0];
    EXPECT_EQ(a_client.network, "a");
    EXPECT_EQ(a_client.party, Party::kClient);
    EXPECT_EQ(a_client.repeats, 3u);
    EXPECT_DOUBLE_EQ(a_client.measured_ms, 100);  // median of 90, 300 and 100: the slow run is ignored
    EXPECT_DOUBLE_EQ(a_client.methods[0].error_pct, 0);
    const HeldOutResult& wan_b_client = report.results[4];
    EXPECT_EQ(wan_b_client.setting, "WAN");
    EXPECT_NEAR(wan_b_client.methods[0].error_ms, 10, 1e-12);
    EXPECT_NEAR(wan_b_client.methods[0].error_pct, 100.0 * 10 / 60, 1e-12);
    EXPECT_GE(wan_b_client.methods[0].t_pred_us, 0);
}

TEST(NetworkEvaluation, ErrorAndShareWithinTenPercent) {
    const MethodOutcome o = score_prediction(88, 100, 3);
    EXPECT_DOUBLE_EQ(o.error_ms, 12);
    EXPECT_DOUBLE_EQ(o.error_pct, 12);
    EXPECT_DOUBLE_EQ(score_prediction(110, 100, 0).error_pct, 10);  // the band's edge counts as within

    // Two methods, four LAN client networks, one WAN client network.
    const auto result = [](const std::string& setting, double measured, double p0, double p1) {
        return HeldOutResult{"n", setting, Party::kClient, 1, measured,
                             {score_prediction(p0, measured, 10), score_prediction(p1, measured, 30)}};
    };
    const std::vector<HeldOutResult> results{result("LAN", 100, 105, 150), result("LAN", 200, 200, 100),
                                             result("LAN", 50, 56, 50),    result("LAN", 10, 11, 5),
                                             result("WAN", 100, 90, 80)};
    const std::vector<MethodAccuracy> acc = summarize_accuracy({"m0", "m1"}, results);
    ASSERT_EQ(acc.size(), 4u);
    EXPECT_EQ(acc[0].method, "m0");
    EXPECT_EQ(acc[0].setting, "LAN");
    EXPECT_EQ(acc[0].networks, 4u);
    EXPECT_EQ(acc[0].within_band, 3u);  // 5 %, 0 %, 12 %, 10 %
    EXPECT_DOUBLE_EQ(acc[0].within_band_pct, 75);
    EXPECT_DOUBLE_EQ(acc[0].mape_pct, (5 + 0 + 12 + 10) / 4.0);
    EXPECT_DOUBLE_EQ(acc[0].median_t_pred_us, 10);
    EXPECT_EQ(acc[1].method, "m1");
    EXPECT_EQ(acc[1].within_band, 1u);  // 50 %, 50 %, 0 %, 50 %
    EXPECT_DOUBLE_EQ(acc[1].mape_pct, 37.5);
    EXPECT_EQ(acc[2].setting, "WAN");
    EXPECT_DOUBLE_EQ(acc[2].within_band_pct, 100);
    EXPECT_DOUBLE_EQ(acc[3].within_band_pct, 0);
}

TEST(NetworkEvaluation, NamesTheSettingAndMethodWhenTrainingFails) {
    const std::vector<NetworkSample> samples{sample("a", "LAN", 1, 1)};
    const std::vector<NetworkMethod> methods{
        {"broken", [](const NetworkTrainingData&) -> std::unique_ptr<NetworkPredictor> {
             throw InvalidInput("no rows");
         }}};
    test_support::expect_error_containing<InvalidInput>(
        [&] { evaluate_networks({}, samples, methods, {{"LAN", {"a"}}}); }, "setting LAN, method broken: no rows");
    test_support::expect_error_containing<ConfigError>(
        [&] {
            const std::vector<NetworkMethod> fixed{sample_method("fixed", [] { return std::make_unique<FixedTimes>(); })};
            evaluate_networks({}, samples, fixed, {{"LAN", {"zzz"}}});
        },
        "no samples of 'zzz'");
}

}  // namespace
}  // namespace snnipred::predict
