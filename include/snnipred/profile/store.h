#pragma once
// The profiler's durable store: one SQLite file (docs/profiling.md lists the schema).
//
//   campaigns  name, definition (Campaign::definition())
//   networks   campaign, name, family, network JSON (model/json_format.h)
//   runs       one secure inference: unique key (campaign, network, setting, repeat),
//              engine options, link, start/finish time, online ms per party, client
//              end-to-end seconds
//   spans      every trace span of a run (engine/trace.h), both parties
//   machines   the machine profiles (machine/machine_profile_io.h JSON) calibrated when
//              a campaign's runs began: what the runs' times were measured on
//
// The file is opened in WAL mode with synchronous=FULL and each run is written in one
// transaction, so a process killed at any moment loses at most the run in flight and
// never leaves half a run. Every error is a StoreError naming the file.

#include <compare>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "snnipred/core/error.h"

#include "snnipred/core/party.h"
#include "snnipred/protocol/step.h"

namespace snnipred::profile {

namespace detail {
class Database;
}

/// A store that cannot be opened, is not a snnipred store, is corrupt, or refuses a write
/// (e.g. conflicting campaign definitions).
class StoreError : public Error {
public:
    using Error::Error;
};

struct RunKey {
    std::string campaign;
    std::string network;
    std::string setting;
    int repeat = 0;
    auto operator<=>(const RunKey&) const = default;
};

/// One span as stored; the columns of engine/trace.h plus its order within the party.
struct StoredSpan {
    Party party = Party::kClient;
    protocol::Phase phase = protocol::Phase::kOnline;
    int order = 0;  // position in that party's trace
    std::string layer, layer_type;
    protocol::StepKind step = protocol::StepKind::kLocal;
    double wall_s = 0, cpu_s = 0;
    std::int64_t bytes_sent = 0, bytes_received = 0, rounds = 0;
};

struct RunRecord {
    RunKey key;
    std::string he, truncation;  // engine options (campaign.h)
    std::string link;            // LinkProfile::describe()
    double bandwidth_bits_per_second = 0;
    double one_way_latency_ms = 0;
    std::int64_t weights_seed = 0;
    std::string started_at, finished_at;  // ISO 8601 UTC
    double client_online_ms = 0, server_online_ms = 0;
    std::optional<double> client_end_to_end_s;  // absent for imported traces
    std::vector<StoredSpan> spans;              // both parties, each in trace order
};

struct CampaignMeta {
    std::string name;
    std::string definition;
};

/// A machine profile recorded at the start of (a shard of) a campaign's runs.
struct RecordedMachine {
    std::string campaign;
    std::string recorded_at;   // ISO 8601 UTC
    std::string profile_json;  // machine/machine_profile_io.h
};

struct StoredNetwork {
    std::string campaign, name, family;
    std::string json;  // network-format.md
};

struct MergeSummary {
    std::size_t runs_added = 0;
    std::size_t runs_skipped = 0;  // run keys the output already held
};

class Store {
public:
    /// Opens `path`, creating an empty store if the file does not exist (unless
    /// `must_exist`). Throws StoreError naming the file when it is not an SQLite database,
    /// is corrupt, or is an SQLite database of something else.
    explicit Store(const std::string& path, bool must_exist = false);
    Store(Store&&) noexcept;
    Store& operator=(Store&&) noexcept;
    ~Store();

    const std::string& path() const;

    /// Records a campaign, or checks that the stored one has the same definition.
    /// Throws StoreError naming the campaign when the definitions differ.
    void add_campaign(const CampaignMeta& meta);
    std::vector<CampaignMeta> campaigns() const;

    /// The run keys already stored (of every campaign).
    std::set<RunKey> run_keys() const;
    /// Writes the network (unless stored), the run and its spans in one transaction.
    /// Returns false, writing nothing, when the run key is already stored.
    bool add_run(const StoredNetwork& network, const RunRecord& run);

    std::vector<StoredNetwork> networks() const;
    /// Records a machine profile of a stored campaign (once per campaign and time).
    /// Throws StoreError if the campaign is not stored.
    void add_machine(const RecordedMachine& machine);
    /// The recorded machine profiles by campaign, then time.
    std::vector<RecordedMachine> machines() const;
    /// Every run in insertion order, with its spans when `with_spans`.
    std::vector<RunRecord> runs(bool with_spans) const;

    /// Copies campaigns, networks, runs and machine profiles of `other` into this store in one transaction;
    /// runs whose key is already here are skipped. Throws StoreError (naming both files)
    /// when a campaign has another definition here.
    MergeSummary merge(const Store& other);

private:
    std::unique_ptr<detail::Database> db_;
};

/// The current time as ISO 8601 UTC with milliseconds, e.g. "2026-11-25T16:05:00.123Z".
std::string utc_now();

}  // namespace snnipred::profile
