#pragma once
// Internal: the measurements of a calibration. A probe runs one measurement and appends one
// sample (seconds per unit) to each cost it measures; calibration.cpp runs every probe once
// per round and takes medians. Some samples are raw: they include the OTs underneath
// (e.g. a random OT's sample includes its COT), and calibration.cpp subtracts those.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "party_pair.h"
#include "snnipred/machine/machine_profile.h"

namespace snnipred::calibrate::detail {

using Samples = std::map<machine::UnitKey, std::vector<double>>;

struct Probe {
    std::string name;
    std::function<void(Samples&)> run;
};

/// Batch sizes: full calibration, or --quick.
struct Sizes {
    std::size_t cots, ots, one_of_n, relus, share_ops, he_ciphertexts, he_products;
    static Sizes of(bool quick);
};

/// IKNP and Ferret COTs, base OTs and Ferret's setup, the OT flavours and the ReLU: the
/// state they keep (set-up extensions) lives in the probes, on `pair`'s channels.
std::vector<Probe> ot_probes(PartyPair& pair, const Sizes& sizes);
/// HE costs of both sets, and flooding's share of the secure set's responses.
std::vector<Probe> he_probes(PartyPair& pair, const Sizes& sizes);
/// The local channel (per flight, per byte) and local share operations.
std::vector<Probe> local_probes(PartyPair& pair, const Sizes& sizes);

}  // namespace snnipred::calibrate::detail
