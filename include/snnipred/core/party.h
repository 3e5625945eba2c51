#pragma once
// The two roles of secure inference: the client holds the input, the server the weights.
// One type for the engine, the protocol plan, the profiler and the predictors.

#include <array>
#include <string>
#include <string_view>

#include "snnipred/core/error.h"

namespace snnipred {

enum class Party { kClient, kServer };

inline constexpr std::array<Party, 2> kParties{Party::kClient, Party::kServer};

constexpr Party other_party(Party party) { return party == Party::kClient ? Party::kServer : Party::kClient; }
constexpr std::size_t party_index(Party party) { return party == Party::kClient ? 0 : 1; }

/// "client" / "server".
inline std::string_view party_name(Party party) { return party == Party::kClient ? "client" : "server"; }

/// Inverse of party_name; throws InvalidInput on an unknown name.
inline Party parse_party(std::string_view name) {
    if (name == "client") return Party::kClient;
    if (name == "server") return Party::kServer;
    throw InvalidInput("unknown party '" + std::string(name) + "' (known: client, server)");
}

}  // namespace snnipred
