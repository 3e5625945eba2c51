#include "snnipred/machine/median_profile.h"

#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "support/expect_error.h"
#include "support/machine_profiles.h"

namespace snnipred::machine {
namespace {

// distinct_profile with every cost times `factor`, calibrated at `date`.
MachineProfile scaled(double factor, const std::string& date) {
    MachineProfile p = test_support::distinct_profile();
    for (auto& [key, cost] : p.costs) cost.seconds *= factor;
    p.date = date;
    p.load_average = "load at " + date;
    return p;
}

TEST(MedianProfile, TakesEachUnitsMedianAndTheLatestDate) {
    const UnitKey and_gate = UnitKey::plain(UnitKind::kAndGate);
    // An outlier calibration (3x) moves no unit: the median of 1, 3, 1.2 is 1.2.
    std::vector<MachineProfile> profiles{scaled(1, "2026-12-05T10:00:00Z"), scaled(3, "2026-12-05T12:00:00Z"),
                                         scaled(1.2, "2026-12-05T11:00:00Z")};
    profiles[1].cpu_share = CpuShare{0.5, 1.0, 0.9, 10};
    const MachineProfile folded = median_profile(profiles);
    const double one = test_support::distinct_profile().seconds(and_gate);
    EXPECT_DOUBLE_EQ(folded.seconds(and_gate), 1.2 * one);
    EXPECT_EQ(folded.costs.at(and_gate).repeats, 9);
    EXPECT_EQ(folded.costs.size(), profiles[0].costs.size());
    EXPECT_EQ(folded.date, "2026-12-05T12:00:00Z");
    EXPECT_EQ(folded.load_average, "load at 2026-12-05T12:00:00Z");
    ASSERT_TRUE(folded.cpu_share.has_value());  // from the one that measured it
    EXPECT_DOUBLE_EQ(folded.cpu_share->single_thread_share, 0.5);

    // An even count: the mean of the middle two; a unit only some have: theirs.
    profiles.push_back(scaled(2, "2026-12-05T09:00:00Z"));
    profiles[3].costs.erase(and_gate);
    profiles.push_back(scaled(1.1, "2026-12-05T08:00:00Z"));
    EXPECT_DOUBLE_EQ(median_profile(profiles).seconds(and_gate), (1.1 + 1.2) / 2 * one);
}

TEST(MedianProfile, TakesRoleMediansOnlyWhereEveryProfileHasThem) {
    const UnitKey and_gate = UnitKey::plain(UnitKind::kAndGate);
    std::vector<MachineProfile> profiles;
    for (const double factor : {1.0, 3.0, 1.2}) {
        MachineProfile p = test_support::distinct_profile_with_roles();
        for (auto& [key, cost] : p.costs) {
            cost.seconds *= factor;
            if (cost.by_role) (*cost.by_role)[0] *= factor;  // the receiver's stays
        }
        profiles.push_back(p);
    }
    const double one = test_support::distinct_profile().seconds(and_gate);
    MachineProfile folded = median_profile(profiles);
    EXPECT_TRUE(folded.has_role_costs());
    EXPECT_DOUBLE_EQ(folded.seconds(and_gate, protocol::OtRole::kSender), 1.5 * 1.2 * one);
    EXPECT_DOUBLE_EQ(folded.seconds(and_gate, protocol::OtRole::kReceiver), 0.5 * one);
    profiles[1].costs.at(and_gate).by_role.reset();  // calibrated before roles were measured
    folded = median_profile(profiles);
    EXPECT_FALSE(folded.has_role_costs());
    EXPECT_DOUBLE_EQ(folded.seconds(and_gate, protocol::OtRole::kSender), 1.2 * one);
}

TEST(MedianProfile, RefusesNoProfilesAndMixedMachines) {
    test_support::expect_error_containing<InvalidInput>([] { median_profile({}); }, "no machine profiles");
    MachineProfile other = scaled(1, "2026-12-05T10:00:00Z");
    other.cpu_model = "another CPU";
    test_support::expect_error_containing<InvalidInput>(
        [&] { median_profile({scaled(1, "2026-12-05T10:00:00Z"), other}); }, "another CPU");
}

}  // namespace
}  // namespace snnipred::machine
