#pragma once
// A calibration of this machine with its progress line on stderr: what `calibrate` runs
// and what `profile` records at the start of a campaign.

#include "snnipred/machine/machine_profile.h"

namespace snnipred::cli {

/// calibrate::calibrate_machine with "count/total (pct), rate, ETA, probe" per probe run.
machine::MachineProfile calibrate_with_progress(bool quick);

/// calibrate_with_progress in a forked child process, so that the caller's heap keeps
/// nothing of the probes' buffers: every run a campaign forks after a calibration made in
/// its own process took up to 2.7x the online time of the same run in `snnipred run`
/// (docs/RESULTS.md, 2026-12-07, twenty-third). Throws Error naming the calibration's
/// error, or how its process ended.
machine::MachineProfile calibrate_in_child_process(bool quick);

}  // namespace snnipred::cli
