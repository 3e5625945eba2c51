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
    for (const Party party : kParties) {
        double spans_ms = 0, records_ms = 0;
        for (const RunRecord& run : store.runs(true))
            for (const StoredSpan& span : run.spans)
                if (span.party == party && is_protocol_step(span)) spans_ms += span.wall_s * 1e3;
        for (const predict::LayerRecord& record : data.layers.records)
            if (record.party == party) records_ms += record.time_ms;
        EXPECT_NEAR(records_ms, spans_ms, 1e-9 * spans_ms) << party_name(party);
    }
}

// A Ferret campaign's records carry each step's refills as the lowering under its engine
// counts them (the CSV keeps them); an IKNP campaign's are 0.
TEST(Export, FerretCampaignsRecordEachStepsRefills) {
    const auto dir = testing::scratch_dir();
    Campaign ferret = testing::tiny_campaign();
    ferret.name = "ferret";
    ferret.ot = protocol::OtExtension::kFerret;
    ferret.generator.families = {{"conv", 1}};
    Campaign iknp = ferret;
    iknp.name = "iknp";
    iknp.ot = protocol::OtExtension::kIknp;
    Store store((dir / "p.sqlite").string());
    ASSERT_EQ(run_campaign(ferret, store, {}).stored, 1u);
    ASSERT_EQ(run_campaign(iknp, store, {}).stored, 1u);

    const ExportedData from_ferret = export_store(store, {"ferret"});
    ASSERT_FALSE(from_ferret.layers.empty());
    predict::LoweringOptions lowering = predict::lowering_for_backend("snnipred", protocol::OtExtension::kFerret);
    const std::vector<predict::ProtocolStep> steps = predict::lower_network(from_ferret.networks[0].network, lowering);
    ASSERT_EQ(from_ferret.layers.size(), 2 * steps.size());
    for (std::size_t i = 0; i < from_ferret.layers.size(); ++i)
        EXPECT_EQ(from_ferret.layers.records[i].raw_value(predict::kCotRefillsFeature),
                  steps[i % steps.size()].record.raw_value(predict::kCotRefillsFeature));
    predict::write_csv_dataset(dir / "layers.csv", from_ferret.layers);
    for (const predict::LayerRecord& record : predict::read_csv_dataset(dir / "layers.csv").records)
        EXPECT_GE(record.raw_value(predict::kCotRefillsFeature), 0);

    for (const predict::LayerRecord& record : export_store(store, {"iknp"}).layers.records)
        EXPECT_EQ(record.raw_value(predict::kCotRefillsFeature), 0);
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
    run.spans = {StoredSpan{Party::kClient, protocol::Phase::kOnline, 0, "r1", "relu", protocol::StepKind::kMaxPool, 0.1, 0, 0, 0, 0}};
    const auto steps = predict::lower_network(net, predict::engine_span_lowering());
    test_support::expect_error_containing<InvalidInput>([&] { zip_spans(run, Party::kClient, net, steps); },
                                                        "layer 'r1' step maxpool");
    run.spans.clear();
    test_support::expect_error_containing<InvalidInput>([&] { zip_spans(run, Party::kClient, net, steps); },
                                                        "network 'n' lowers to 1 steps");
}

predict::LayerRecord timed_record(const std::string& run, snnipred::Party party, double elements, double time_ms) {
    predict::LayerRecord record;
    record.kind = predict::LayerKind::kRelu;
    record.raw = {{"N", elements}};
    record.party = party;
    record.setting = "LAN";
    record.time_ms = time_ms;
    record.bytes_sent = time_ms * 10;
    record.source.network = "n";
    record.source.run = run;
    return record;
}

TEST(Export, MedianOverRepeatsFoldsEachStepAndEachSample) {
    ExportedData data;
    const std::vector<std::pair<std::string, std::vector<double>>> runs{
        {"c#0", {1, 50}}, {"c#1", {9, 70}}, {"c#2", {2, 60}}};
    for (const auto& [run, times] : runs) {
        for (const snnipred::Party party : {snnipred::Party::kClient, snnipred::Party::kServer})
            for (std::size_t step = 0; step < times.size(); ++step)
                data.layers.records.push_back(timed_record(run, party, 100.0 * (step + 1), times[step]));
        data.networks.push_back({"n", "LAN", run, Network("n", Shape{1, 1, 1}), times[0] + times[1], 2 * times[0]});
    }
    const ExportedData folded = median_over_repeats(data);
    ASSERT_EQ(folded.layers.size(), 4u);  // 2 steps x 2 parties
    EXPECT_DOUBLE_EQ(folded.layers.records[0].time_ms, 2);   // median of 1, 9, 2: the slow run is ignored
    EXPECT_DOUBLE_EQ(folded.layers.records[1].time_ms, 60);  // of 50, 70, 60
    EXPECT_DOUBLE_EQ(*folded.layers.records[1].bytes_sent, 600);
    EXPECT_DOUBLE_EQ(folded.layers.records[1].raw_value("N"), 200);
    EXPECT_EQ(folded.layers.records[2].party, snnipred::Party::kServer);
    EXPECT_EQ(folded.layers.records[0].source.run, "c#median-of-3");
    ASSERT_EQ(folded.networks.size(), 1u);
    EXPECT_DOUBLE_EQ(folded.networks[0].client_ms, 62);  // of 51, 79, 62
    EXPECT_DOUBLE_EQ(folded.networks[0].server_ms, 4);   // of 2, 18, 4

    data.layers.records.pop_back();  // run c#2's server loses a step
    test_support::expect_error_containing<InvalidInput>([&] { median_over_repeats(data); },
                                                        "run 'c#2' has 1 steps");
}

}  // namespace
}  // namespace snnipred::profile
