#pragma once
// Runs a campaign into a store: every (network, setting, repeat) not stored yet, each as
// one two-party secure inference on this machine (engine/local_pair.h), stored with all
// spans of both parties in one transaction. Restarting skips stored runs; a shard runs
// only the networks whose campaign index % count == index.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "snnipred/engine/trace.h"
#include "snnipred/profile/campaign.h"
#include "snnipred/profile/store.h"

namespace snnipred::profile {

struct Shard {
    int index = 0;
    int count = 1;
    bool holds(std::size_t network_index) const { return static_cast<int>(network_index % count) == index; }
};

/// Parses "I/N" with 0 <= I < N. Throws ConfigError.
Shard parse_shard(std::string_view text);

struct ProfileOptions {
    std::optional<std::string> setting;  // only this setting of the campaign
    std::optional<int> repeats;          // instead of the campaign's
    Shard shard;
    std::optional<std::size_t> limit;  // at most this many runs
};

/// Reported after each run.
struct ProfileEvent {
    std::size_t done = 0;   // runs finished (stored or failed) in this call
    std::size_t total = 0;  // runs this call will attempt
    const RunKey* key = nullptr;
    double seconds = 0;       // wall time of this run, including the store write
    std::string error;        // non-empty when the run failed (it is retried on restart)
};

struct ProfileSummary {
    std::size_t networks = 0;      // networks of the campaign in this shard
    std::size_t already_done = 0;  // runs found in the store
    std::size_t stored = 0;
    std::size_t failed = 0;
};

/// Runs the campaign. Throws ConfigError for an unknown setting or a campaign whose
/// definition differs from the stored one (StoreError), and what the generators throw;
/// a failing run is reported through `on_run` and counted, not thrown.
ProfileSummary run_campaign(const Campaign& campaign, Store& store, const ProfileOptions& options,
                            const std::function<void(const ProfileEvent&)>& on_run = {});

/// A trace's spans as stored rows, in trace order.
std::vector<StoredSpan> stored_spans(const engine::Trace& trace);

/// Sum of the online spans' wall time, milliseconds.
double online_ms(const engine::Trace& trace);

}  // namespace snnipred::profile
