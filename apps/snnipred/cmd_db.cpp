// snnipred db: maintenance of profile stores. `merge` combines stores (e.g. of shards or
// machines); `status` counts their runs; `import-trace` stores a trace written by `snnipred run --trace` as a run, so
// long runs done by hand enter the store.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <fmt/core.h>

#include "commands.h"
#include "snnipred/core/error.h"
#include "snnipred/engine/trace.h"
#include "snnipred/model/json_format.h"
#include "snnipred/model/load.h"
#include "snnipred/link/link_profile.h"
#include "snnipred/profile/export.h"
#include "snnipred/profile/runner.h"
#include "snnipred/profile/store.h"

namespace snnipred::cli {
namespace {

struct MergeCommand {
    std::string out;
    std::vector<std::string> inputs;
};

// Removes a SQLite store and its journal files.
void remove_store(const std::filesystem::path& path) {
    std::error_code ignored;
    for (const char* suffix : {"", "-journal", "-wal", "-shm"})
        std::filesystem::remove(path.string() + suffix, ignored);
}

// Merges into a temporary store beside OUT and renames it over OUT only when every input
// merged: a corrupt input leaves OUT as it was (or absent), never half merged.
void run_merge(const MergeCommand& command) {
    for (const std::string& input : command.inputs)
        SNNIPRED_CHECK(input != command.out, ConfigError, input + ": cannot merge a store into itself");
    const std::filesystem::path out(command.out);
    const std::filesystem::path temporary = command.out + ".merging-" + std::to_string(::getpid());
    std::string report;
    try {
        {
            profile::Store merged(temporary.string());
            if (std::filesystem::exists(out)) merged.merge(profile::Store(command.out, true));
            for (const std::string& input : command.inputs) {
                const profile::MergeSummary summary = merged.merge(profile::Store(input, true));
                report += fmt::format("{}: {} runs added, {} already present\n", input, summary.runs_added,
                                      summary.runs_skipped);
            }
        }
        std::error_code error;
        std::filesystem::rename(temporary, out, error);
        SNNIPRED_CHECK(!error, InvalidInput,
                       command.out + ": cannot replace it with the merged store: " + error.message());
    } catch (...) {
        remove_store(temporary);
        throw;
    }
    fmt::print("{}", report);
}

// Runs per campaign and setting, and when the last one finished: to watch a campaign.
void run_status(const std::string& path) {
    const profile::Store store(path, true);
    std::map<std::pair<std::string, std::string>, std::pair<std::size_t, std::string>> groups;
    std::size_t total = 0;
    for (const profile::RunRecord& run : store.runs(false)) {
        auto& [count, last] = groups[{run.key.campaign, run.key.setting}];
        ++count;
        last = std::max(last, run.finished_at);
        ++total;
    }
    fmt::print("{}: {} runs of {} networks\n", path, total, store.networks().size());
    for (const auto& [key, group] : groups)
        fmt::print("  {} {}: {} runs, last finished {}\n", key.first, key.second, group.first, group.second);
}

struct ImportCommand {
    std::string db;
    std::string model;
    std::string trace;
    std::string setting;
    std::string campaign = "manual";
    std::string net = "none";
    std::optional<double> bandwidth_mbit;
    std::optional<double> rtt_ms;
    std::string he = "secure";
    std::string truncation = "faithful";
};

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    SNNIPRED_CHECK(in, InvalidInput, path + ": cannot read the trace");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void run_import(const ImportCommand& command) {
    const Network network = load_network(command.model);
    const std::string text = read_file(command.trace);
    const engine::Trace client = engine::trace_from_json(text, snnipred::Party::kClient);
    const engine::Trace server = engine::trace_from_json(text, snnipred::Party::kServer);
    SNNIPRED_CHECK(!client.records().empty() && !server.records().empty(), InvalidInput,
                   command.trace + ": needs the spans of both parties (write it with snnipred run --trace FILE.json)");
    const LinkProfile link = custom_link(command.net, command.bandwidth_mbit, command.rtt_ms);

    profile::Store store(command.db);
    store.add_campaign({command.campaign, "imported traces"});
    int repeat = 0;
    for (const profile::RunKey& key : store.run_keys())
        if (key.campaign == command.campaign && key.network == network.name() && key.setting == command.setting)
            repeat = std::max(repeat, key.repeat + 1);

    profile::RunRecord run;
    run.key = {command.campaign, network.name(), command.setting, repeat};
    run.he = command.he;
    run.truncation = command.truncation;
    run.link = link.describe();
    run.bandwidth_bits_per_second = link.bandwidth_bits_per_second;
    run.one_way_latency_ms = std::chrono::duration<double, std::milli>(link.one_way_latency).count();
    run.started_at = run.finished_at = profile::utc_now();  // the trace does not say when it ran
    run.client_online_ms = profile::online_ms(client);
    run.server_online_ms = profile::online_ms(server);
    run.spans = profile::stored_spans(client);
    for (profile::StoredSpan& span : profile::stored_spans(server)) run.spans.push_back(std::move(span));
    // Refuse a trace of another network now rather than at export (which lowers imported
    // runs as IKNP ones: a trace does not name its OT extension).
    const auto steps = predict::lower_network(network, predict::engine_span_lowering());
    for (const Party party : kParties) profile::zip_spans(run, party, network, steps);

    store.add_run({command.campaign, network.name(), "model", network_to_json(network)}, run);
    fmt::print("{}: stored {} {} #{} ({} spans)\n", command.db, network.name(), command.setting, repeat,
               run.spans.size());
}

}  // namespace

void register_db(CLI::App& app) {
    CLI::App* db = app.add_subcommand("db", "Maintain profile stores (merge, status, import-trace)");
    db->require_subcommand(1);

    auto merge = std::make_shared<MergeCommand>();
    CLI::App* m = db->add_subcommand("merge", "Merge stores into OUT (identical runs deduplicated)");
    m->add_option("out", merge->out, "Store to merge into (created if absent)")->required();
    m->add_option("inputs", merge->inputs, "Stores to merge")->required();
    m->callback([merge] { run_merge(*merge); });

    auto status_db = std::make_shared<std::string>();
    CLI::App* s = db->add_subcommand("status", "Count a store's runs per campaign and setting");
    s->add_option("--db", *status_db, "Store to inspect")->required();
    s->callback([status_db] { run_status(*status_db); });

    auto import = std::make_shared<ImportCommand>();
    CLI::App* i = db->add_subcommand("import-trace", "Store a trace of snnipred run --trace as a run");
    i->add_option("--db", import->db, "Store (created if absent)")->required();
    i->add_option("--model", import->model, "The network that ran: zoo:NAME, .onnx or .json")->required();
    i->add_option("--trace", import->trace, "Trace JSON written by snnipred run --trace")->required();
    i->add_option("--setting", import->setting, "Setting name, e.g. LAN or WAN")->required();
    i->add_option("--campaign", import->campaign, "Campaign name of the run")->capture_default_str();
    i->add_option("--net", import->net, "Link the run used: none, lan or wan")->capture_default_str();
    i->add_option("--bandwidth", import->bandwidth_mbit, "Bandwidth the run used, Mbit/s");
    i->add_option("--rtt", import->rtt_ms, "Round-trip time the run used, ms");
    i->add_option("--he", import->he, "HE parameters the run used: secure or cheetah")->capture_default_str();
    i->add_option("--truncation", import->truncation, "Truncation the run used")->capture_default_str();
    i->callback([import] { run_import(*import); });
}

}  // namespace snnipred::cli
