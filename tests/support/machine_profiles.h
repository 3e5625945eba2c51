#pragma once
// Test helper: a machine profile with every required unit cost, each a distinct value, so
// a test sees which cost went where.

#include "snnipred/machine/machine_profile.h"

namespace snnipred::test_support {

/// Every required key at 1e-6 s × (its position + 1), 3 repeats each.
inline machine::MachineProfile distinct_profile() {
    machine::MachineProfile profile;
    profile.cpu_model = "test CPU";
    profile.cores = 2;
    profile.date = "2026-12-05T00:00:00Z";
    profile.snnipred_version = "test";
    profile.load_average = "0.00 0.00 0.00";
    profile.source = "test profile";
    double seconds = 1e-6;
    for (const machine::UnitKey& key : machine::required_unit_keys()) {
        profile.costs[key] = {seconds, 3};
        seconds += 1e-6;
    }
    return profile;
}

/// The distinct profile with role costs: every kind with roles at 1.5x its mean for the
/// sender and 0.5x for the receiver.
inline machine::MachineProfile distinct_profile_with_roles() {
    machine::MachineProfile profile = distinct_profile();
    for (auto& [key, cost] : profile.costs)
        if (machine::has_roles(key.kind)) cost.by_role = std::array<double, 2>{1.5 * cost.seconds, 0.5 * cost.seconds};
    return profile;
}

}  // namespace snnipred::test_support
