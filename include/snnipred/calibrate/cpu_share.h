#pragma once
// How much CPU this machine gives the engine's threads per wall second
// (machine::CpuShare). Thread CPU time, which the unit costs are measured in, does not see
// a CPU quota or neighbours' load; the ratio of a busy thread's CPU time to the wall time
// it was busy does.

#include <chrono>

#include "snnipred/machine/machine_profile.h"

namespace snnipred::calibrate {

/// Alternates `windows` windows of one busy thread alone and `windows` of two busy
/// threads at once, each `window` of wall time (several CFS periods, 100 ms by default,
/// so a quota's throttling averages out within a window), on the calling thread and one
/// more. Each window's share is thread CPU / wall (summed over both threads for the pair);
/// the result holds the medians, and of the lone thread's also CPU / its wall time outside
/// stalls of 25 ms or more (throttling: the unthrottled share). Takes 2 × windows × window of wall time; throws
/// InvalidInput when windows < 1 or the window is not positive.
machine::CpuShare measure_cpu_share(int windows, std::chrono::milliseconds window);

}  // namespace snnipred::calibrate
