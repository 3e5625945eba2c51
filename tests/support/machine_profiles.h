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

}  // namespace snnipred::test_support
