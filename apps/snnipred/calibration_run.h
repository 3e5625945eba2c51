#pragma once
// A calibration of this machine with its progress line on stderr: what `calibrate` runs
// and what `profile` records at the start of a campaign.

#include "snnipred/machine/machine_profile.h"

namespace snnipred::cli {

/// calibrate::calibrate_machine with "count/total (pct), rate, ETA, probe" per probe run.
machine::MachineProfile calibrate_with_progress(bool quick);

}  // namespace snnipred::cli
