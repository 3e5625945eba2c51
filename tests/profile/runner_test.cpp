#include "snnipred/profile/runner.h"

#include <gtest/gtest.h>

#include "profile/profile_test_util.h"
#include "snnipred/profile/generator.h"
#include "support/expect_error.h"

namespace snnipred::profile {
namespace {

// The first three families of the tiny campaign: three quick runs.
Campaign three_networks() {
    Campaign campaign = testing::tiny_campaign();
    campaign.generator.families.resize(3);
    return campaign;
}

TEST(Runner, ResumeSkipsStoredRunsAndStoresBothParties) {
    const Campaign campaign = three_networks();
    Store store((testing::scratch_dir() / "p.sqlite").string());
    ProfileOptions first;
    first.limit = 2;
    std::size_t events = 0;
    const ProfileSummary a = run_campaign(campaign, store, first, [&](const ProfileEvent& event) {
        ++events;
        EXPECT_TRUE(event.error.empty()) << event.error;
        EXPECT_EQ(event.total, 2u);
    });
    EXPECT_EQ(events, 2u);
    EXPECT_EQ(a.stored, 2u);
    const ProfileSummary b = run_campaign(campaign, store, {});
    EXPECT_EQ(b.already_done, 2u);
    EXPECT_EQ(b.stored, 1u);
    const std::vector<RunRecord> runs = store.runs(true);
    ASSERT_EQ(runs.size(), 3u);
    for (const RunRecord& run : runs) {
        std::size_t client = 0, server = 0;
        for (const StoredSpan& span : run.spans) (span.party == Party::kClient ? client : server) += 1;
        EXPECT_GT(client, 3u) << run.key.network;
        EXPECT_GT(server, 3u) << run.key.network;
        EXPECT_GT(run.client_online_ms, 0);
        EXPECT_EQ(run.he, "cheetah");
    }
    EXPECT_EQ(run_campaign(campaign, store, {}).stored, 0u);
}

TEST(Runner, ShardsPartitionTheNetworks) {
    const Campaign campaign = testing::tiny_campaign(2);
    const std::size_t total = campaign_networks(campaign).size();
    for (const int count : {1, 2, 3}) {
        std::size_t covered = 0;
        for (int index = 0; index < count; ++index) {
            Store store((testing::scratch_dir() / "s.sqlite").string());
            ProfileOptions options;
            options.shard = parse_shard(std::to_string(index) + "/" + std::to_string(count));
            options.limit = 0;
            covered += run_campaign(campaign, store, options).networks;
        }
        EXPECT_EQ(covered, total) << count;
    }
    for (std::size_t n = 0; n < 12; ++n) {
        int holders = 0;
        for (int index = 0; index < 3; ++index) holders += Shard{index, 3}.holds(n);
        EXPECT_EQ(holders, 1);
    }
}

TEST(Runner, BadShardsAndSettingsAreConfigErrors) {
    for (const char* text : {"1/1", "2", "a/b", "-1/2", "0/0"})
        test_support::expect_error_containing<ConfigError>([&] { parse_shard(text); }, "--shard");
    Store store((testing::scratch_dir() / "s.sqlite").string());
    ProfileOptions options;
    options.setting = "WAN";
    test_support::expect_error_containing<ConfigError>([&] { run_campaign(three_networks(), store, options); },
                                                       "'WAN'");
}

}  // namespace
}  // namespace snnipred::profile
