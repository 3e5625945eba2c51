#include "snnipred/profile/store.h"

#include <fstream>

#include <sqlite3.h>

#include <gtest/gtest.h>

#include "profile/profile_test_util.h"
#include "support/expect_error.h"

namespace snnipred::profile {
namespace {

using test_support::expect_error_containing;

RunRecord sample_run(const std::string& network, const std::string& setting, int repeat) {
    RunRecord run;
    run.key = {"c", network, setting, repeat};
    run.he = "cheetah";
    run.truncation = "approximate";
    run.link = "unlimited";
    run.weights_seed = 77;
    run.started_at = "2026-01-01T00:00:00.000Z";
    run.finished_at = "2026-01-01T00:00:01.000Z";
    run.client_online_ms = 12.5;
    run.server_online_ms = 11.5;
    run.client_end_to_end_s = 0.5;
    using protocol::Phase;
    using protocol::StepKind;
    run.spans = {StoredSpan{Party::kClient, Phase::kSetup, 0, "", "", StepKind::kBaseOt, 0.1, 0.05, 10, 20, 1},
                 StoredSpan{Party::kClient, Phase::kOnline, 1, "relu1", "relu", StepKind::kRelu, 0.01, 0.005, 100, 200, 3},
                 StoredSpan{Party::kServer, Phase::kOnline, 0, "relu1", "relu", StepKind::kRelu, 0.02, 0.004, 200, 100, 3}};
    return run;
}

StoredNetwork sample_network(const std::string& name) { return {"c", name, "conv", "{}"}; }

TEST(Store, RoundTripsRunsAndSpans) {
    const auto path = (testing::scratch_dir() / "s.sqlite").string();
    {
        Store store(path);
        store.add_campaign({"c", "def"});
        EXPECT_TRUE(store.add_run(sample_network("n1"), sample_run("n1", "LAN", 0)));
    }
    const Store store(path, true);
    const std::vector<RunRecord> runs = store.runs(true);
    ASSERT_EQ(runs.size(), 1u);
    const RunRecord expected = sample_run("n1", "LAN", 0);
    EXPECT_EQ(runs[0].key, expected.key);
    EXPECT_EQ(runs[0].client_online_ms, 12.5);
    EXPECT_EQ(runs[0].client_end_to_end_s, 0.5);
    EXPECT_EQ(runs[0].weights_seed, 77);
    ASSERT_EQ(runs[0].spans.size(), 3u);
    EXPECT_EQ(runs[0].spans[0].step, protocol::StepKind::kBaseOt);
    EXPECT_EQ(runs[0].spans[1].bytes_received, 200);
    EXPECT_EQ(runs[0].spans[2].party, Party::kServer);
    EXPECT_EQ(store.networks().size(), 1u);
    EXPECT_EQ(store.campaigns().front().definition, "def");
}

TEST(Store, AStoredRunKeyIsNotWrittenTwice) {
    Store store((testing::scratch_dir() / "s.sqlite").string());
    EXPECT_TRUE(store.add_run(sample_network("n1"), sample_run("n1", "LAN", 0)));
    EXPECT_FALSE(store.add_run(sample_network("n1"), sample_run("n1", "LAN", 0)));
    EXPECT_TRUE(store.add_run(sample_network("n1"), sample_run("n1", "LAN", 1)));
    EXPECT_EQ(store.run_keys().size(), 2u);
    EXPECT_EQ(store.runs(true).front().spans.size(), 3u);
}

TEST(Store, RefusesAnotherDefinitionOfACampaign) {
    Store store((testing::scratch_dir() / "s.sqlite").string());
    store.add_campaign({"c", "def"});
    store.add_campaign({"c", "def"});
    expect_error_containing<StoreError>([&] { store.add_campaign({"c", "other"}); }, "campaign 'c'");
}

TEST(Store, MergeDeduplicatesRunsAndRefusesConflictingMeta) {
    const auto dir = testing::scratch_dir();
    Store a((dir / "a.sqlite").string()), b((dir / "b.sqlite").string()), out((dir / "out.sqlite").string());
    a.add_campaign({"c", "def"});
    b.add_campaign({"c", "def"});
    a.add_run(sample_network("n1"), sample_run("n1", "LAN", 0));
    b.add_run(sample_network("n1"), sample_run("n1", "LAN", 0));
    b.add_run(sample_network("n2"), sample_run("n2", "LAN", 0));
    EXPECT_EQ(out.merge(a).runs_added, 1u);
    const MergeSummary second = out.merge(b);
    EXPECT_EQ(second.runs_added, 1u);
    EXPECT_EQ(second.runs_skipped, 1u);
    EXPECT_EQ(out.runs(true).size(), 2u);
    EXPECT_EQ(out.runs(true).back().spans.size(), 3u);

    Store conflicting((dir / "x.sqlite").string());
    conflicting.add_campaign({"c", "another"});
    expect_error_containing<StoreError>([&] { out.merge(conflicting); }, "x.sqlite");
    EXPECT_EQ(out.runs(false).size(), 2u);
}

TEST(Store, KeepsAndMergesTheMachineProfilesOfCampaigns) {
    const auto dir = testing::scratch_dir();
    {
        Store a((dir / "a.sqlite").string());
        a.add_campaign({"c", "def"});
        a.add_machine({"c", "2026-12-05T10:00:00.000Z", R"({"cpu_model": "x"})"});
        a.add_machine({"c", "2026-12-05T10:00:00.000Z", R"({"cpu_model": "x"})"});  // once per time
        a.add_machine({"c", "2026-12-05T09:00:00.000Z", R"({"cpu_model": "y"})"});
        expect_error_containing<StoreError>([&] { a.add_machine({"d", "2026-12-05T10:00:00.000Z", "{}"}); },
                                            "no campaign 'd'");
    }
    const Store reopened((dir / "a.sqlite").string(), true);
    const std::vector<RecordedMachine> machines = reopened.machines();
    ASSERT_EQ(machines.size(), 2u);
    EXPECT_EQ(machines[0].recorded_at, "2026-12-05T09:00:00.000Z");
    EXPECT_EQ(machines[0].profile_json, R"({"cpu_model": "y"})");
    Store out((dir / "out.sqlite").string());
    out.merge(reopened);
    out.merge(reopened);
    EXPECT_EQ(out.machines().size(), 2u);
}

// Stores written before machine profiles were recorded gain the table when opened.
TEST(Store, AStoreWithoutTheMachinesTableGainsIt) {
    const auto path = (testing::scratch_dir() / "old.sqlite").string();
    {
        Store store(path);
        store.add_campaign({"c", "def"});
    }
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "DROP TABLE machines", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    Store store(path, true);
    EXPECT_TRUE(store.machines().empty());
    store.add_machine({"c", "2026-12-05T10:00:00.000Z", "{}"});
    EXPECT_EQ(store.machines().size(), 1u);
}

TEST(Store, NonDatabaseFilesAreClearErrors) {
    const auto dir = testing::scratch_dir();
    const auto garbage = (dir / "garbage.sqlite").string();
    std::ofstream(garbage) << std::string(4096, 'x');
    expect_error_containing<StoreError>([&] { Store store(garbage); }, garbage);
    expect_error_containing<StoreError>([&] { Store store(garbage); }, "not an SQLite database");
    expect_error_containing<StoreError>([&] { Store store((dir / "absent.sqlite").string(), true); }, "absent.sqlite");

    const auto other = (dir / "other.sqlite").string();
    sqlite3* db = nullptr;
    sqlite3_open(other.c_str(), &db);
    sqlite3_exec(db, "CREATE TABLE t (x INTEGER)", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    expect_error_containing<StoreError>([&] { Store store(other); }, "not a snnipred profile store");
}

}  // namespace
}  // namespace snnipred::profile
