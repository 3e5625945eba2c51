#include "snnipred/profile/runner.h"

#include <charconv>
#include <chrono>

#include "snnipred/core/error.h"
#include "snnipred/engine/local_pair.h"
#include "snnipred/model/json_format.h"
#include "snnipred/profile/generator.h"

namespace snnipred::profile {
namespace {

// Weights and input depend on the campaign seed and the network name only, so every
// setting and repeat of a network runs the same inference.
std::uint64_t network_seed(std::uint64_t campaign_seed, const std::string& name) {
    std::uint64_t h = 1469598103934665603ULL ^ campaign_seed;
    for (const char c : name) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    return h >> 1;  // stored as a signed SQLite integer
}

struct Task {
    const CampaignNetwork* network;
    const LinkSetting* setting;
    int repeat;
};

RunRecord run_once(const Campaign& campaign, const Task& task) {
    const Network& network = task.network->network;
    const LinkProfile link = task.setting->link();
    net::ChannelOptions channel;
    channel.link = link;
    channel.timeout = std::chrono::seconds(campaign.timeout_s);
    const engine::SecureOptions secure = campaign.secure_options();
    const std::uint64_t seed = network_seed(campaign.seed, network.name());

    RunRecord run;
    run.key = RunKey{campaign.name, network.name(), task.setting->name, task.repeat};
    run.he = protocol::he_set_name(campaign.he);
    run.truncation = protocol::truncation_mode_name(campaign.truncation);
    run.link = link.describe();
    run.bandwidth_bits_per_second = link.bandwidth_bits_per_second;
    run.one_way_latency_ms = std::chrono::duration<double, std::milli>(link.one_way_latency).count();
    run.weights_seed = static_cast<std::int64_t>(seed);
    run.started_at = utc_now();
    const engine::LocalPairResult pair =
        engine::run_local_pair_isolated(network, seed, engine::seeded_input(network, seed, secure.ring), secure, channel);
    run.finished_at = utc_now();
    run.client_online_ms = online_ms(pair.client);
    run.server_online_ms = online_ms(pair.server);
    run.client_end_to_end_s = pair.client_end_to_end_s;
    run.spans = stored_spans(pair.client);
    for (StoredSpan& span : stored_spans(pair.server)) run.spans.push_back(std::move(span));
    return run;
}

}  // namespace

Shard parse_shard(std::string_view text) {
    Shard shard;
    const std::size_t slash = text.find('/');
    const auto parse = [](std::string_view part, int& value) {
        const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
        return ec == std::errc() && end == part.data() + part.size();
    };
    const bool ok = slash != std::string_view::npos && parse(text.substr(0, slash), shard.index) &&
                    parse(text.substr(slash + 1), shard.count) && shard.count > 0 && shard.index >= 0 &&
                    shard.index < shard.count;
    SNNIPRED_CHECK(ok, ConfigError, "--shard must be I/N with 0 <= I < N, not '" + std::string(text) + "'");
    return shard;
}

std::vector<StoredSpan> stored_spans(const engine::Trace& trace) {
    std::vector<StoredSpan> out;
    int order = 0;
    for (const engine::SpanRecord& r : trace.records())
        out.push_back(StoredSpan{trace.party(), r.setup ? protocol::Phase::kSetup : protocol::Phase::kOnline, order++,
                                 r.layer, r.layer_type, r.step,
                                 r.wall_seconds, r.cpu_seconds, static_cast<std::int64_t>(r.comm.bytes_sent),
                                 static_cast<std::int64_t>(r.comm.bytes_received),
                                 static_cast<std::int64_t>(r.comm.rounds)});
    return out;
}

double online_ms(const engine::Trace& trace) { return trace.total(false).wall_seconds * 1e3; }

ProfileSummary run_campaign(const Campaign& campaign, Store& store, const ProfileOptions& options,
                            const std::function<void(const ProfileEvent&)>& on_run) {
    std::vector<const LinkSetting*> settings;
    for (const LinkSetting& setting : campaign.settings)
        if (!options.setting || setting.name == *options.setting) settings.push_back(&setting);
    SNNIPRED_CHECK(!settings.empty(), ConfigError,
                   "campaign '" + campaign.name + "' has no setting named '" + options.setting.value_or("") + "'");
    const int repeats = options.repeats.value_or(campaign.repeats);
    SNNIPRED_CHECK(repeats >= 1, ConfigError, "--repeats must be at least 1");
    store.add_campaign(CampaignMeta{campaign.name, campaign.definition()});

    const std::vector<CampaignNetwork> networks = campaign_networks(campaign);
    const std::set<RunKey> done = store.run_keys();
    ProfileSummary summary;
    std::vector<Task> tasks;
    // Repeats outermost: a first pass over every network finishes before any second one.
    for (int repeat = 0; repeat < repeats; ++repeat)
        for (const CampaignNetwork& network : networks) {
            if (!options.shard.holds(network.index)) continue;
            if (repeat == 0) ++summary.networks;
            for (const LinkSetting* setting : settings) {
                if (done.count(RunKey{campaign.name, network.network.name(), setting->name, repeat}) != 0) {
                    ++summary.already_done;
                    continue;
                }
                if (!options.limit || tasks.size() < *options.limit) tasks.push_back(Task{&network, setting, repeat});
            }
        }

    for (std::size_t k = 0; k < tasks.size(); ++k) {
        const Task& task = tasks[k];
        const auto started = std::chrono::steady_clock::now();
        ProfileEvent event;
        try {
            const RunRecord run = run_once(campaign, task);
            store.add_run(StoredNetwork{campaign.name, task.network->network.name(), task.network->family,
                                        network_to_json(task.network->network)},
                          run);
            ++summary.stored;
        } catch (const StoreError&) {
            throw;  // the store is unusable: stop rather than lose every later run
        } catch (const Error& error) {
            event.error = error.what();
            ++summary.failed;
        }
        event.done = k + 1;
        event.total = tasks.size();
        const RunKey key{campaign.name, task.network->network.name(), task.setting->name, task.repeat};
        event.key = &key;
        event.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        if (on_run) on_run(event);
    }
    return summary;
}

}  // namespace snnipred::profile
