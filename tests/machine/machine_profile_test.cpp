#include "snnipred/machine/machine_profile.h"

#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "support/expect_error.h"
#include "support/machine_profiles.h"

namespace snnipred::machine {
namespace {

using test_support::expect_error_containing;

TEST(UnitKey, EveryRequiredKeyRoundTripsThroughItsName) {
    for (const UnitKey& key : required_unit_keys()) EXPECT_EQ(parse_unit_key(unit_key_name(key)), key) << unit_key_name(key);
}

TEST(UnitKey, TheLeanAndRoundTripsThroughItsName) {
    const UnitKey lean = UnitKey::cot(UnitKind::kAndGate, protocol::OtExtension::kFerret);
    EXPECT_EQ(unit_key_name(lean), "and_gate.ferret");
    EXPECT_EQ(parse_unit_key("and_gate.ferret"), lean);
    EXPECT_EQ(parse_unit_key("and_gate"), UnitKey::plain(UnitKind::kAndGate));
}

TEST(UnitKey, NamesShowTheirVariant) {
    EXPECT_EQ(unit_key_name(UnitKey::cot(UnitKind::kRandomCot, protocol::OtExtension::kFerret)), "random_cot.ferret");
    EXPECT_EQ(unit_key_name(UnitKey::he_op(UnitKind::kHeProduct, protocol::HeSet::kSecure)), "he_product.secure");
    EXPECT_EQ(unit_key_name(UnitKey::one_of_n(4, 8)), "one_of_n.16x8b");
    EXPECT_EQ(unit_key_name(UnitKey::plain(UnitKind::kAndGate)), "and_gate");
}

TEST(UnitKey, BadNamesSayWhatIsWrong) {
    expect_error_containing<InvalidInput>([] { parse_unit_key("warp_drive"); }, "unknown unit cost 'warp_drive'");
    expect_error_containing<InvalidInput>([] { parse_unit_key("random_cot.silent"); }, "random_cot.silent");
    expect_error_containing<InvalidInput>([] { parse_unit_key("he_product"); }, "he_product");
    expect_error_containing<InvalidInput>(
        [] { parse_unit_key("and_gate.iknp"); },
        "unit cost key 'and_gate.iknp': 'and_gate' takes no variant (the classic protocols') or 'ferret' (the lean "
        "ones'), not 'iknp'");
    expect_error_containing<InvalidInput>([] { parse_unit_key("share_op.ferret"); }, "has no variant");
    expect_error_containing<InvalidInput>([] { parse_unit_key("one_of_n.15x8b"); }, "power of two");
    expect_error_containing<InvalidInput>([] { parse_unit_key("one_of_n.16x-1b"); }, "not a positive number");
}

TEST(MachineProfile, MissingCostNamesTheKeyAndTheProfile) {
    MachineProfile profile = test_support::distinct_profile();
    profile.costs.erase(UnitKey::plain(UnitKind::kAndGate));
    expect_error_containing<ConfigError>([&] { profile.seconds(UnitKey::plain(UnitKind::kAndGate)); },
                                         "test profile has no unit cost 'and_gate'");
}

TEST(MachineProfile, OneOfNScalesTheNearestMeasuredShapeByN) {
    using protocol::OtRole;
    MachineProfile profile = test_support::distinct_profile();
    const double classic = profile.seconds(UnitKey::one_of_n(4, 8));
    const double lean = profile.seconds(UnitKey::one_of_n(3, 2));
    for (const OtRole role : protocol::kOtRoles) {  // no role costs: the mean, whatever the role
        EXPECT_DOUBLE_EQ(profile.one_of_n_seconds(4, 8, role), classic);
        EXPECT_DOUBLE_EQ(profile.one_of_n_seconds(4, 6, role), classic);   // same N, nearest entry size
        EXPECT_DOUBLE_EQ(profile.one_of_n_seconds(3, 1, role), lean);      // the lean lowest digit
        EXPECT_DOUBLE_EQ(profile.one_of_n_seconds(2, 2, role), lean / 2);  // a narrower top digit: half the entries
        EXPECT_DOUBLE_EQ(profile.one_of_n_seconds(5, 8, role), 2 * classic);
    }
    for (const int log_n : {3, 4}) profile.costs.erase(UnitKey::one_of_n(log_n, log_n == 4 ? 8 : 2));
    expect_error_containing<ConfigError>([&] { profile.one_of_n_seconds(2, 1, OtRole::kSender); }, "one_of_n.4x1b");
}

TEST(MachineProfile, RoleCostsScaleTheSenderByNAndTheReceiverByLogN) {
    using protocol::OtRole;
    MachineProfile profile = test_support::distinct_profile();
    EXPECT_FALSE(profile.has_role_costs());
    profile = test_support::distinct_profile_with_roles();
    EXPECT_TRUE(profile.has_role_costs());
    const UnitKey lean_key = UnitKey::one_of_n(3, 2);
    const double lean = profile.seconds(lean_key);
    EXPECT_DOUBLE_EQ(profile.seconds(lean_key, OtRole::kSender), 1.5 * lean);
    EXPECT_DOUBLE_EQ(profile.seconds(lean_key, OtRole::kReceiver), 0.5 * lean);
    // The top digit, 1-of-4: the sender hashes half the entries, the receiver combines 2 keys of 3.
    EXPECT_DOUBLE_EQ(profile.one_of_n_seconds(2, 2, OtRole::kSender), 1.5 * lean / 2);
    EXPECT_DOUBLE_EQ(profile.one_of_n_seconds(2, 2, OtRole::kReceiver), 0.5 * lean * 2 / 3);
    // Kinds without roles have one cost for everyone.
    const UnitKey product = UnitKey::he_op(UnitKind::kHeProduct, protocol::HeSet::kCheetah);
    EXPECT_DOUBLE_EQ(profile.seconds(product, OtRole::kSender), profile.seconds(product));
    profile.costs.at(UnitKey::plain(UnitKind::kAndGate)).by_role.reset();
    EXPECT_FALSE(profile.has_role_costs());
}

}  // namespace
}  // namespace snnipred::machine
