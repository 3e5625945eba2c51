#pragma once
// Calibration: measures on this machine the unit cost of every primitive the protocol plan
// counts and of the local channel (machine/machine_profile.h), by running the engine's own
// crypto between two in-process parties over loopback TCP (server on one thread, client on
// another). Each primitive is timed by thread CPU time (a noisy neighbour delays the
// threads but barely changes their CPU time): a party's own for HE operations; for OTs each
// role's (the server sends every probe's OTs, the client receives) and their mean (the plan
// counts an OT once per party, by its role); the
// channel by wall time of ping-pongs. Every probe runs once per round, the rounds
// interleave all probes, and each cost is the median over the rounds. Last, the CPU share
// (machine::CpuShare): what a busy thread, alone and in a pair, gets of the CPU per wall
// second, and alone outside throttling stalls, the medians of 10 windows of 200 ms each —
// what a CPU quota or neighbours' load take away, which thread CPU time does not see.

#include <functional>
#include <string>

#include "snnipred/machine/machine_profile.h"

namespace snnipred::calibrate {

struct CalibrationProgress {
    int done = 0;        // probe runs finished
    int total = 0;
    double elapsed_s = 0;
    std::string probe;   // the one just finished
};

struct CalibrationOptions {
    bool quick = false;  // fewer rounds and smaller batches (≤ 30 s instead of ≤ 2 min)
    std::function<void(const CalibrationProgress&)> on_progress;
};

/// Measures every cost in machine::required_unit_keys(), the lean protocols' AND
/// (and_gate.ferret, which older profiles lack) and the CPU share, and describes
/// the machine (CPU model, cores, date, load average, snnipred `version`). Throws NetworkError if the
/// loopback channel fails, Error if the crypto cannot start.
machine::MachineProfile calibrate_machine(const CalibrationOptions& options, const std::string& version);

}  // namespace snnipred::calibrate
