#include "snnipred/calibrate/calibration.h"

#include <cmath>

#include <gtest/gtest.h>

#include "snnipred/machine/machine_profile_io.h"

namespace snnipred::calibrate {
namespace {

using machine::UnitKey;
using machine::UnitKind;
using protocol::HeSet;

// One quick calibration for every test here (it runs the real crypto for ~30 s).
const machine::MachineProfile& quick_profile() {
    static const machine::MachineProfile profile = [] {
        CalibrationOptions options;
        options.quick = true;
        return calibrate_machine(options, "test");
    }();
    return profile;
}

TEST(Calibration, MeasuresEveryRequiredCostAsAReadableProfile) {
    const machine::MachineProfile& profile = quick_profile();
    for (const UnitKey& key : machine::required_unit_keys()) {
        ASSERT_TRUE(profile.costs.contains(key)) << machine::unit_key_name(key);
        const machine::UnitCost& cost = profile.costs.at(key);
        EXPECT_TRUE(std::isfinite(cost.seconds) && cost.seconds >= 0) << machine::unit_key_name(key);
        EXPECT_GE(cost.repeats, 3) << machine::unit_key_name(key);
    }
    // Not required (older profiles lack it), but measured: the lean protocols' AND.
    const UnitKey lean_and = UnitKey::cot(UnitKind::kAndGate, protocol::OtExtension::kFerret);
    ASSERT_TRUE(profile.costs.contains(lean_and));
    EXPECT_GT(profile.seconds(lean_and), 0.0);
    const machine::MachineProfile read = machine::parse_profile(machine::profile_json(profile), "calibrated");
    EXPECT_EQ(read.costs.size(), profile.costs.size());
    EXPECT_GT(profile.cores, 0);
    EXPECT_FALSE(profile.cpu_model.empty());
    ASSERT_TRUE(read.cpu_share.has_value());
    EXPECT_GT(read.cpu_share->single_thread_share, 0.0);
    EXPECT_LE(read.cpu_share->single_thread_share, 1.05);
    EXPECT_EQ(read.cpu_share->windows, 10);
}

// What the crypto must show on any machine: work that grows with N and the primes grows.
TEST(Calibration, CostsFollowTheWorkTheyMeasure) {
    const machine::MachineProfile& p = quick_profile();
    for (const UnitKind kind : {UnitKind::kHeEncryption, UnitKind::kHeProduct, UnitKind::kHePlainPrepare})
        EXPECT_GT(p.seconds(UnitKey::he_op(kind, HeSet::kSecure)), 1.5 * p.seconds(UnitKey::he_op(kind, HeSet::kCheetah)))
            << machine::unit_kind_name(kind);
    // A base OT (elliptic-curve work) costs far more than an extended COT.
    EXPECT_GT(p.seconds(UnitKey::plain(UnitKind::kBaseOt)),
              100 * p.seconds(UnitKey::cot(UnitKind::kRandomCot, protocol::OtExtension::kIknp)));
    // A Ferret refill yields ~9.5 M COTs: it costs more than one COT, less than IKNP's 9.5 M.
    const double refill = p.seconds(UnitKey::cot(UnitKind::kCotRefill, protocol::OtExtension::kFerret));
    EXPECT_GT(refill, 1000 * p.seconds(UnitKey::cot(UnitKind::kRandomCot, protocol::OtExtension::kFerret)));
    EXPECT_GT(p.seconds(UnitKey::plain(UnitKind::kChannelMessage)), 0.0);
}

// Every OT cost has both roles', which the JSON keeps. A 1-of-16 OT's sender hashes 16
// entries, its receiver one: the sender's share of the pair's CPU must show it (measured
// 2-7x on the development machine; the receiver's is a small difference, so noisy).
TEST(Calibration, MeasuresOtCostsPerRole) {
    const machine::MachineProfile& p = quick_profile();
    EXPECT_TRUE(p.has_role_costs());
    EXPECT_TRUE(machine::parse_profile(machine::profile_json(p), "calibrated").has_role_costs());
    const UnitKey classic = UnitKey::one_of_n(4, 8);
    EXPECT_GT(p.seconds(classic, protocol::OtRole::kSender), p.seconds(classic, protocol::OtRole::kReceiver));
}

}  // namespace
}  // namespace snnipred::calibrate
