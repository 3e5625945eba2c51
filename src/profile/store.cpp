#include "snnipred/profile/store.h"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <map>

#include "sqlite.h"

namespace snnipred::profile {
namespace {

constexpr const char* kSchemaVersion = "snnipred-profile/1";

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS store_info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS campaigns (name TEXT PRIMARY KEY, definition TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS networks (
  campaign TEXT NOT NULL, name TEXT NOT NULL, family TEXT NOT NULL, network_json TEXT NOT NULL,
  PRIMARY KEY (campaign, name));
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY, campaign TEXT NOT NULL, network TEXT NOT NULL, setting TEXT NOT NULL,
  repeat INTEGER NOT NULL, he TEXT NOT NULL, truncation TEXT NOT NULL, link TEXT NOT NULL,
  bandwidth_bps REAL NOT NULL, one_way_latency_ms REAL NOT NULL, weights_seed INTEGER NOT NULL,
  started_at TEXT NOT NULL, finished_at TEXT NOT NULL, client_online_ms REAL NOT NULL,
  server_online_ms REAL NOT NULL, client_end_to_end_s REAL,
  UNIQUE (campaign, network, setting, repeat));
CREATE TABLE IF NOT EXISTS spans (
  run INTEGER NOT NULL REFERENCES runs(id), party TEXT NOT NULL, phase TEXT NOT NULL, ord INTEGER NOT NULL,
  layer TEXT NOT NULL, layer_type TEXT NOT NULL, step TEXT NOT NULL, wall_s REAL NOT NULL, cpu_s REAL NOT NULL,
  bytes_sent INTEGER NOT NULL, bytes_received INTEGER NOT NULL, rounds INTEGER NOT NULL,
  PRIMARY KEY (run, party, ord)) WITHOUT ROWID;
)sql";

// Added after schema 1 without changing it: older stores gain the table when opened, and an
// older snnipred ignores it.
constexpr const char* kMachinesTable = R"sql(
CREATE TABLE IF NOT EXISTS machines (
  campaign TEXT NOT NULL REFERENCES campaigns(name), recorded_at TEXT NOT NULL, profile_json TEXT NOT NULL,
  PRIMARY KEY (campaign, recorded_at));
)sql";

void open_schema(detail::Database& db) {
    // The first read is where SQLite notices a file that is not a database.
    bool empty = false, ours = false;
    {
        auto count = db.prepare("SELECT count(*), sum(name = 'store_info') FROM sqlite_master WHERE type = 'table'");
        count.step();
        empty = count.integer(0) == 0;
        ours = count.integer(1) == 1;
    }
    if (!empty && !ours) throw StoreError(db.path() + ": an SQLite database, but not a snnipred profile store");
    db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
    if (empty) {
        detail::Transaction transaction(db);
        db.exec(kSchema);
        db.prepare("INSERT OR IGNORE INTO store_info VALUES ('schema', ?)").bind(1, std::string(kSchemaVersion)).run();
        transaction.commit();
    }
    auto version = db.prepare("SELECT value FROM store_info WHERE key = 'schema'");
    SNNIPRED_CHECK(version.step() && version.text(0) == kSchemaVersion, StoreError,
                   db.path() + ": store schema is not " + kSchemaVersion);
    db.exec(kMachinesTable);
}

void insert_machine(detail::Database& db, const RecordedMachine& machine) {
    db.prepare("INSERT OR IGNORE INTO machines VALUES (?, ?, ?)")
        .bind(1, machine.campaign)
        .bind(2, machine.recorded_at)
        .bind(3, machine.profile_json)
        .run();
}

void insert_network(detail::Database& db, const StoredNetwork& network) {
    db.prepare("INSERT OR IGNORE INTO networks VALUES (?, ?, ?, ?)")
        .bind(1, network.campaign)
        .bind(2, network.name)
        .bind(3, network.family)
        .bind(4, network.json)
        .run();
}

bool has_run(detail::Database& db, const RunKey& key) {
    auto query = db.prepare("SELECT 1 FROM runs WHERE campaign = ? AND network = ? AND setting = ? AND repeat = ?");
    query.bind(1, key.campaign).bind(2, key.network).bind(3, key.setting).bind(4, std::int64_t{key.repeat});
    return query.step();
}

void insert_run(detail::Database& db, const RunRecord& run) {
    auto insert = db.prepare("INSERT INTO runs (campaign, network, setting, repeat, he, truncation, link, bandwidth_bps, "
                             "one_way_latency_ms, weights_seed, started_at, finished_at, client_online_ms, "
                             "server_online_ms, client_end_to_end_s) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    insert.bind(1, run.key.campaign).bind(2, run.key.network).bind(3, run.key.setting);
    insert.bind(4, std::int64_t{run.key.repeat}).bind(5, run.he).bind(6, run.truncation).bind(7, run.link);
    insert.bind(8, run.bandwidth_bits_per_second).bind(9, run.one_way_latency_ms).bind(10, run.weights_seed);
    insert.bind(11, run.started_at).bind(12, run.finished_at).bind(13, run.client_online_ms);
    insert.bind(14, run.server_online_ms);
    if (run.client_end_to_end_s) insert.bind(15, *run.client_end_to_end_s);
    else insert.bind_null(15);
    insert.run();
    const std::int64_t id = db.last_insert_rowid();
    auto span = db.prepare("INSERT INTO spans VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
    for (const StoredSpan& s : run.spans) {
        span.bind(1, id).bind(2, std::string(party_name(s.party))).bind(3, std::string(protocol::phase_name(s.phase)));
        span.bind(4, std::int64_t{s.order}).bind(5, s.layer).bind(6, s.layer_type);
        span.bind(7, std::string(protocol::step_kind_name(s.step))).bind(8, s.wall_s).bind(9, s.cpu_s).bind(10, s.bytes_sent);
        span.bind(11, s.bytes_received).bind(12, s.rounds);
        span.run();
    }
}

void check_campaign(detail::Database& db, const CampaignMeta& meta, const std::string& from) {
    auto query = db.prepare("SELECT definition FROM campaigns WHERE name = ?");
    query.bind(1, meta.name);
    if (!query.step()) {
        db.prepare("INSERT INTO campaigns VALUES (?, ?)").bind(1, meta.name).bind(2, meta.definition).run();
        return;
    }
    SNNIPRED_CHECK(query.text(0) == meta.definition, StoreError,
                   db.path() + ": campaign '" + meta.name + "' is stored with another definition than " + from +
                       " (seed, engine options, generator, sweeps or models differ); use another campaign name "
                       "or another store\n  stored: " + query.text(0) + "\n  new:    " + meta.definition);
}

}  // namespace

Store::Store(const std::string& path, bool must_exist) {
    SNNIPRED_CHECK(!must_exist || std::filesystem::is_regular_file(path), StoreError,
                   path + ": no such store file");
    db_ = std::make_unique<detail::Database>(path);
    open_schema(*db_);
}

Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

const std::string& Store::path() const { return db_->path(); }

void Store::add_campaign(const CampaignMeta& meta) {
    detail::Transaction transaction(*db_);
    check_campaign(*db_, meta, "this campaign");
    transaction.commit();
}

std::vector<CampaignMeta> Store::campaigns() const {
    std::vector<CampaignMeta> out;
    auto query = db_->prepare("SELECT name, definition FROM campaigns ORDER BY name");
    while (query.step()) out.push_back({query.text(0), query.text(1)});
    return out;
}

std::set<RunKey> Store::run_keys() const {
    std::set<RunKey> keys;
    auto query = db_->prepare("SELECT campaign, network, setting, repeat FROM runs");
    while (query.step())
        keys.insert(RunKey{query.text(0), query.text(1), query.text(2), static_cast<int>(query.integer(3))});
    return keys;
}

bool Store::add_run(const StoredNetwork& network, const RunRecord& run) {
    detail::Transaction transaction(*db_);
    if (has_run(*db_, run.key)) return false;
    insert_network(*db_, network);
    insert_run(*db_, run);
    transaction.commit();
    return true;
}

std::vector<StoredNetwork> Store::networks() const {
    std::vector<StoredNetwork> out;
    auto query = db_->prepare("SELECT campaign, name, family, network_json FROM networks ORDER BY campaign, name");
    while (query.step()) out.push_back({query.text(0), query.text(1), query.text(2), query.text(3)});
    return out;
}

void Store::add_machine(const RecordedMachine& machine) {
    detail::Transaction transaction(*db_);
    auto campaign = db_->prepare("SELECT 1 FROM campaigns WHERE name = ?");
    campaign.bind(1, machine.campaign);
    SNNIPRED_CHECK(campaign.step(), StoreError,
                   db_->path() + ": no campaign '" + machine.campaign + "' to record a machine profile for");
    insert_machine(*db_, machine);
    transaction.commit();
}

std::vector<RecordedMachine> Store::machines() const {
    std::vector<RecordedMachine> out;
    auto query = db_->prepare("SELECT campaign, recorded_at, profile_json FROM machines ORDER BY campaign, recorded_at");
    while (query.step()) out.push_back({query.text(0), query.text(1), query.text(2)});
    return out;
}

std::vector<RunRecord> Store::runs(bool with_spans) const {
    std::vector<RunRecord> out;
    std::map<std::int64_t, std::size_t> position;
    auto query = db_->prepare("SELECT id, campaign, network, setting, repeat, he, truncation, link, bandwidth_bps, "
                              "one_way_latency_ms, weights_seed, started_at, finished_at, client_online_ms, "
                              "server_online_ms, client_end_to_end_s FROM runs ORDER BY id");
    while (query.step()) {
        RunRecord& run = out.emplace_back();
        position[query.integer(0)] = out.size() - 1;
        run.key = {query.text(1), query.text(2), query.text(3), static_cast<int>(query.integer(4))};
        run.he = query.text(5);
        run.truncation = query.text(6);
        run.link = query.text(7);
        run.bandwidth_bits_per_second = query.real(8);
        run.one_way_latency_ms = query.real(9);
        run.weights_seed = query.integer(10);
        run.started_at = query.text(11);
        run.finished_at = query.text(12);
        run.client_online_ms = query.real(13);
        run.server_online_ms = query.real(14);
        if (!query.is_null(15)) run.client_end_to_end_s = query.real(15);
    }
    if (!with_spans) return out;
    auto spans = db_->prepare("SELECT run, party, phase, ord, layer, layer_type, step, wall_s, cpu_s, bytes_sent, "
                              "bytes_received, rounds FROM spans ORDER BY run, party, ord");
    while (spans.step()) {
        const auto it = position.find(spans.integer(0));
        if (it == position.end()) continue;
        out[it->second].spans.push_back(StoredSpan{parse_party(spans.text(1)), protocol::parse_phase(spans.text(2)),
                                                   static_cast<int>(spans.integer(3)), spans.text(4), spans.text(5),
                                                   protocol::parse_step_kind(spans.text(6)), spans.real(7),
                                                   spans.real(8), spans.integer(9), spans.integer(10),
                                                   spans.integer(11)});
    }
    return out;
}

MergeSummary Store::merge(const Store& other) {
    const std::vector<CampaignMeta> campaigns = other.campaigns();
    const std::vector<StoredNetwork> networks = other.networks();
    const std::vector<RunRecord> runs = other.runs(true);
    const std::vector<RecordedMachine> machines = other.machines();
    MergeSummary summary;
    detail::Transaction transaction(*db_);
    for (const CampaignMeta& meta : campaigns) check_campaign(*db_, meta, other.path());
    for (const RecordedMachine& machine : machines) insert_machine(*db_, machine);
    for (const StoredNetwork& network : networks) insert_network(*db_, network);
    for (const RunRecord& run : runs) {
        if (has_run(*db_, run.key)) {
            ++summary.runs_skipped;
            continue;
        }
        insert_run(*db_, run);
        ++summary.runs_added;
    }
    transaction.commit();
    return summary;
}

std::string utc_now() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[40];
    std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S", &utc);
    char full[48];
    std::snprintf(full, sizeof(full), "%s.%03dZ", text, static_cast<int>(ms));
    return full;
}

}  // namespace snnipred::profile
