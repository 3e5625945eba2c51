#pragma once
// Internal: the measurements of a calibration. A probe runs one measurement and appends one
// sample (seconds per unit) to each cost it measures; calibration.cpp runs every probe once
// per round and takes medians. Some samples are raw: they include the OTs underneath
// (e.g. a random OT's sample includes its COT), and calibration.cpp subtracts those.

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "party_pair.h"
#include "snnipred/machine/machine_profile.h"

namespace snnipred::calibrate::detail {

/// The samples of every cost, seconds per unit: a cost without roles in `seconds`, an OT
/// cost by role (its mean is derived once the roles are final, calibration.cpp).
struct Samples {
    std::map<machine::UnitKey, std::vector<double>> seconds;
    std::map<machine::UnitKey, std::array<std::vector<double>, 2>> by_role;  // by protocol::ot_role_index

    /// One sample of a cost without roles.
    void add(const machine::UnitKey& key, double value) { seconds[key].push_back(value); }
    /// One sample of an OT cost per unit, from a run of both parties with the server as the OT sender.
    void add(const machine::UnitKey& key, const PairCpu& per_unit) {
        auto& roles = by_role[key];
        roles[protocol::ot_role_index(protocol::OtRole::kSender)].push_back(per_unit.server);
        roles[protocol::ot_role_index(protocol::OtRole::kReceiver)].push_back(per_unit.client);
    }
};

struct Probe {
    std::string name;
    std::function<void(Samples&)> run;
};

/// Batch sizes: full calibration, or --quick. `relus` is the classic ReLU's (IKNP);
/// `lean_relus` the lean one's, which must fit in a fresh Ferret buffer.
struct Sizes {
    std::size_t cots, ots, one_of_n, relus, lean_relus, share_ops, he_ciphertexts, he_products;
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
