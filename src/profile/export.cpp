#include "snnipred/profile/export.h"

#include <algorithm>
#include <map>
#include <set>

#include "snnipred/core/error.h"
#include "snnipred/model/json_format.h"
#include "snnipred/profile/campaign.h"

namespace snnipred::profile {
namespace {

std::string run_id(const RunKey& key) { return key.campaign + "#" + std::to_string(key.repeat); }

std::string describe(const RunRecord& run, std::string_view party) {
    return "run " + run.key.campaign + "/" + run.key.network + "/" + run.key.setting + "/" +
           std::to_string(run.key.repeat) + " (" + std::string(party) + ")";
}

// One record per step of the snnipred backend: each truncation that follows a product of
// the same layer is added into that product's record (LoweringOptions::fuse_truncation).
std::vector<predict::LayerRecord> fuse_truncations(std::vector<predict::LayerRecord> records,
                                                   const std::vector<predict::ProtocolStep>& steps) {
    std::vector<predict::LayerRecord> fused;
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (!predict::truncates_previous_step(steps, i)) {
            fused.push_back(std::move(records[i]));
            continue;
        }
        predict::LayerRecord& product = fused.back();
        product.time_ms += records[i].time_ms;
        *product.bytes_sent += *records[i].bytes_sent;
        *product.bytes_received += *records[i].bytes_received;
        *product.rounds += *records[i].rounds;
        for (auto& [name, value] : product.raw)
            if (name == predict::kCotRefillsFeature) value += records[i].raw_value(name);
    }
    return fused;
}

// The lowering of a campaign's spans under its engine options. Runs imported from traces
// (db import-trace) are stored under a campaign without a definition, and a trace does not
// name its OT extension: they are lowered as IKNP runs, which never refill.
predict::LoweringOptions campaign_lowering(const CampaignMeta& campaign, const std::string& store_path) {
    if (campaign.definition.empty() || campaign.definition.front() != '{') return predict::engine_span_lowering();
    return predict::engine_span_lowering(
        definition_plan_options(campaign.definition, store_path + " campaign " + campaign.name));
}

}  // namespace

bool is_protocol_step(const StoredSpan& span) {
    return span.phase == protocol::Phase::kOnline && protocol::is_predicted_step(span.step);
}

std::vector<predict::LayerRecord> zip_spans(const RunRecord& run, Party party, const Network& network,
                                            const std::vector<predict::ProtocolStep>& steps) {
    std::vector<predict::LayerRecord> out;
    std::size_t next = 0;
    for (const StoredSpan& span : run.spans) {
        if (span.party != party || !is_protocol_step(span)) continue;
        SNNIPRED_CHECK(next < steps.size(), InvalidInput,
                       describe(run, party_name(party)) + ": span " + std::to_string(span.order) + " (layer '" + span.layer +
                           "', step " + std::string(protocol::step_kind_name(span.step)) + ") has no lowered step: the lowering of network '" +
                           network.name() + "' has only " + std::to_string(steps.size()) + " steps");
        const predict::ProtocolStep& step = steps[next++];
        const Layer& layer = network.layers()[step.layer];
        SNNIPRED_CHECK(span.layer == layer.name && span.step == step.plan_kind, InvalidInput,
                       describe(run, party_name(party)) + ": span " + std::to_string(span.order) + " is layer '" + span.layer +
                           "' step " + std::string(protocol::step_kind_name(span.step)) + ", but step " + std::to_string(next - 1) + " of network '" +
                           network.name() + "' lowers to layer '" + layer.name + "' step " +
                           std::string(protocol::step_kind_name(step.plan_kind)));
        predict::LayerRecord record =
            predict::step_record(step, party, run.key.setting);
        record.time_ms = span.wall_s * 1e3;
        record.bytes_sent = static_cast<double>(span.bytes_sent);
        record.bytes_received = static_cast<double>(span.bytes_received);
        record.rounds = static_cast<double>(span.rounds);
        record.source.network = run.key.network;
        record.source.run = run_id(run.key);
        out.push_back(std::move(record));
    }
    SNNIPRED_CHECK(next == steps.size(), InvalidInput,
                   describe(run, party_name(party)) + ": network '" + network.name() + "' lowers to " +
                       std::to_string(steps.size()) + " steps, but the run has " + std::to_string(next) +
                       " per-layer spans");
    return out;
}

ExportedData export_store(const Store& store, const std::vector<std::string>& campaigns) {
    const auto wanted = [&](const std::string& campaign) {
        return campaigns.empty() || std::find(campaigns.begin(), campaigns.end(), campaign) != campaigns.end();
    };
    const std::vector<CampaignMeta> stored = store.campaigns();
    for (const std::string& name : campaigns)
        SNNIPRED_CHECK(std::any_of(stored.begin(), stored.end(), [&](const CampaignMeta& c) { return c.name == name; }),
                       InvalidInput, store.path() + ": no campaign '" + name + "' in the store");
    std::map<std::pair<std::string, std::string>, Network> networks;
    for (const StoredNetwork& stored : store.networks())
        networks.emplace(std::pair{stored.campaign, stored.name},
                         network_from_json(stored.json, store.path() + " network " + stored.name));
    // Each campaign's spans are lowered under its own engine options (Ferret refills differ).
    std::map<std::string, predict::LoweringOptions> lowering_of;
    for (const CampaignMeta& campaign : stored)
        if (wanted(campaign.name)) lowering_of.emplace(campaign.name, campaign_lowering(campaign, store.path()));
    std::map<std::pair<std::string, std::string>, std::vector<predict::ProtocolStep>> lowered;

    // Campaigns with the same generator reuse names (sweep-relu-0000 in two campaigns is two
    // networks): such names are exported as "<campaign>/<name>" so that grouping and
    // held-out selection by name never mix different networks.
    std::map<std::string, std::set<std::string>> campaigns_of;
    for (const auto& [key, network] : networks)
        if (wanted(key.first)) campaigns_of[key.second].insert(key.first);
    const auto exported_name = [&](const RunKey& key) {
        return campaigns_of[key.network].size() > 1 ? key.campaign + "/" + key.network : key.network;
    };

    ExportedData data;
    for (const RunRecord& run : store.runs(true)) {
        if (!wanted(run.key.campaign)) continue;
        const auto key = std::pair{run.key.campaign, run.key.network};
        const auto found = networks.find(key);
        SNNIPRED_CHECK(found != networks.end(), InvalidInput,
                       store.path() + ": " + describe(run, "both") + " has no stored network");
        const Network& network = found->second;
        const auto lowering = lowering_of.find(run.key.campaign);
        SNNIPRED_CHECK(lowering != lowering_of.end(), InvalidInput,
                       store.path() + ": " + describe(run, "both") + " has no stored campaign");
        auto steps = lowered.find(key);
        if (steps == lowered.end())
            steps = lowered.emplace(key, predict::lower_network(network, lowering->second)).first;
        for (const Party party : kParties)
            for (predict::LayerRecord& record : fuse_truncations(zip_spans(run, party, network, steps->second),
                                                                 steps->second)) {
                record.source.file = store.path();
                record.source.network = exported_name(run.key);
                data.layers.records.push_back(std::move(record));
            }
        data.networks.push_back(predict::NetworkSample{exported_name(run.key), run.key.setting, run_id(run.key),
                                                       network, run.client_online_ms, run.server_online_ms});
    }
    return data;
}

}  // namespace snnipred::profile
