#pragma once
// Whole-network timing samples: what the LSTM predictor trains on and what whole-network
// evaluation (`evaluate --split network`) compares against. One sample is one measured
// secure inference of one network in one setting: the network itself (so any predictor can
// lower and featurise it) and each party's online time.
//
// File format (JSON Lines, docs/dataset-format.md): one object per line,
//   {"name": "gen-000123", "setting": "LAN", "run": "3",
//    "client_ms": 1234.5, "server_ms": 1230.1, "network": { ...network-format.md... }}
// Blank lines and lines starting with '#' are skipped.

#include <filesystem>
#include <string>
#include <vector>

#include "snnipred/model/network.h"

namespace snnipred::predict {

struct NetworkSample {
    std::string name;     // network name (held-out selection and grouping use it)
    std::string setting;  // e.g. "LAN", "WAN"
    std::string run;      // run / repetition id, may be empty
    Network network;
    double client_ms = 0;  // online wall time of the client (sum of its online spans)
    double server_ms = 0;  // the same for the server
};

/// Reads a JSON Lines file. Throws InvalidInput("file:line: reason") on a malformed line,
/// a missing field, a negative time or an invalid network, and InvalidInput if the file
/// cannot be read or holds no sample.
std::vector<NetworkSample> read_network_samples(const std::filesystem::path& file);
/// Writes `samples` in the same format (via a temporary file and rename). Throws
/// InvalidInput if the file cannot be written.
void write_network_samples(const std::filesystem::path& file, const std::vector<NetworkSample>& samples);

}  // namespace snnipred::predict
