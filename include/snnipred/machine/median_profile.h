#pragma once
// Several calibrations of one machine folded into one profile. Two quiet calibrations of
// the same machine differ by up to 2x on small units (docs/RESULTS.md: Ferret setup, the
// AND gate, which is a small difference of large numbers), so a campaign's runs are best
// described by the median of the calibrations its shards recorded (profile/store.h).

#include <vector>

#include "snnipred/machine/machine_profile.h"

namespace snnipred::machine {

/// Per unit cost, and per CPU share field, the median of `profiles` (a unit some lack is
/// the median of those that have it; an even count takes the mean of the middle two), with
/// the first one's CPU model and cores and the latest one's date, version and load average.
/// Throws InvalidInput on no profiles, or profiles of different CPU models or core counts.
MachineProfile median_profile(const std::vector<MachineProfile>& profiles);

}  // namespace snnipred::machine
