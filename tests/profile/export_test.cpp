#include "snnipred/profile/export.h"

#include <set>

#include <gtest/gtest.h>

#include "profile/profile_test_util.h"
#include "snnipred/predict/dataset.h"
#include "snnipred/profile/runner.h"
#include "support/expect_error.h"

namespace snnipred::profile {
namespace {

TEST(Export, RoundTripsThroughTheProjectCsv) {
    const auto dir = testing::scratch_dir();
    Campaign campaign = testing::tiny_campaign();
    campaign.generator.families = {{"conv_maxpool", 1}, {"fc", 1}};
    campaign.sweeps = {{"bn", 1}};
    Store store((dir / "p.sqlite").string());
    ASSERT_EQ(run_campaign(campaign, store, {}).stored, 3u);

    const ExportedData data = export_store(store);
    ASSERT_EQ(data.networks.size(), 3u);
    EXPECT_EQ(data.networks[0].setting, "LAN");
    EXPECT_GT(data.networks[0].client_ms, 0);
    predict::write_csv_dataset(dir / "layers.csv", data.layers);
    const predict::Dataset back = predict::read_csv_dataset(dir / "layers.csv");
    ASSERT_EQ(back.size(), data.layers.size());
    std::set<std::string> kinds;
    for (std::size_t k = 0; k < back.size(); ++k) {
        const predict::LayerRecord& a = data.layers.records[k];
        const predict::LayerRecord& b = back.records[k];
        kinds.insert(std::string(predict::layer_kind_name(b.kind)));
        EXPECT_EQ(a.kind, b.kind);
        EXPECT_EQ(a.party, b.party);
        EXPECT_EQ(b.setting, "LAN");
        EXPECT_NEAR(a.time_ms, b.time_ms, 1e-6 * (1 + a.time_ms));
        EXPECT_EQ(a.bytes_sent, b.bytes_sent);
        for (const auto& [name, value] : a.raw) EXPECT_EQ(b.raw_value(name), value) << name;
        EXPECT_EQ(b.source.network, a.source.network);
        EXPECT_EQ(b.source.run, "tiny#0");
    }
    for (const char* kind : {"conv", "relu", "maxpool", "fc", "bn"}) EXPECT_EQ(kinds.count(kind), 1u) << kind;
    EXPECT_EQ(kinds.count("trunc"), 0u) << "every truncation here follows a product and is fused into it";

    // Fusion moves time between records but loses none: per party, the records add up to
    // the run's per-layer spans.
    for (const std::string party : {"client", "server"}) {
        double spans_ms = 0, records_ms = 0;
        for (const RunRecord& run : store.runs(true))
            for (const StoredSpan& span : run.spans)
                if (span.party == party && is_protocol_step(span)) spans_ms += span.wall_s * 1e3;
        for (const predict::LayerRecord& record : data.layers.records)
            if (predict::party_name(record.party) == party) records_ms += record.time_ms;
        EXPECT_NEAR(records_ms, spans_ms, 1e-9 * spans_ms) << party;
    }
}

TEST(Export, SelectsCampaignsByName) {
    const auto dir = testing::scratch_dir();
    Campaign first = testing::tiny_campaign();
    first.generator.families = {{"fc", 1}};
    Campaign second = first;
    second.name = "other";
    second.sweeps = {{"relu", 1}};
    Store store((dir / "p.sqlite").string());
    ASSERT_EQ(run_campaign(first, store, {}).stored, 1u);
    ASSERT_EQ(run_campaign(second, store, {}).stored, 2u);

    const ExportedData both = export_store(store);
    std::set<std::string> names;
    for (const predict::NetworkSample& sample : both.networks) names.insert(sample.name);
    // gen-fc-0000 is in both campaigns (same seed and generator): two networks, two names.
    EXPECT_EQ(names, (std::set<std::string>{"other/gen-fc-0000", "tiny/gen-fc-0000", "sweep-relu-0000"}));
    for (const predict::LayerRecord& record : both.layers.records) EXPECT_EQ(names.count(record.source.network), 1u);
    const ExportedData only_other = export_store(store, {"other"});
    ASSERT_EQ(only_other.networks.size(), 2u);
    EXPECT_EQ(only_other.networks[0].name, "gen-fc-0000");
    for (const predict::LayerRecord& record : only_other.layers.records)
        EXPECT_NE(record.source.run.find("other"), std::string::npos) << record.source.run;
    test_support::expect_error_containing<InvalidInput>([&] { export_store(store, {"missing"}); },
                                                        "no campaign 'missing'");
}

TEST(Export, ASpanThatDoesNotMatchTheLoweringNamesNetworkLayerAndStep) {
    Network net("n", Shape{2, 4, 4});
    net.add(simple_layer(LayerType::kRelu, "r1", {"input"}));
    RunRecord run;
    run.key = {"c", "n", "LAN", 0};
    run.spans = {StoredSpan{"client", "online", 0, "r1", "relu", "maxpool", 0.1, 0, 0, 0, 0}};
    const auto steps = predict::lower_network(net, predict::engine_span_lowering());
    test_support::expect_error_containing<InvalidInput>([&] { zip_spans(run, "client", net, steps); },
                                                        "layer 'r1' step maxpool");
    run.spans.clear();
    test_support::expect_error_containing<InvalidInput>([&] { zip_spans(run, "client", net, steps); },
                                                        "network 'n' lowers to 1 steps");
}

}  // namespace
}  // namespace snnipred::profile
