// Folding a campaign's repeats into medians (profile/export.h).
#include <functional>
#include <map>
#include <tuple>

#include "snnipred/core/error.h"
#include "snnipred/core/statistics.h"
#include "snnipred/profile/export.h"

namespace snnipred::profile {
namespace {

std::string median_run_id(const std::string& run, std::size_t repeats) {
    return run.substr(0, run.find('#')) + "#median-of-" + std::to_string(repeats);
}

template <typename Item>
double median_of(const std::vector<const Item*>& items, const std::function<double(const Item&)>& value) {
    std::vector<double> values;
    values.reserve(items.size());
    for (const Item* item : items) values.push_back(value(*item));
    return median(std::move(values));
}

// The records of one (network, setting, party): one step sequence per run, in run order.
using RecordGroup = std::tuple<std::string, std::string, snnipred::Party>;
using RunSequences = std::vector<std::vector<const predict::LayerRecord*>>;

predict::Dataset median_records(const predict::Dataset& layers) {
    std::vector<RecordGroup> order;
    std::map<RecordGroup, RunSequences> groups;
    std::map<RecordGroup, std::map<std::string, std::size_t>> run_slot;
    for (const predict::LayerRecord& record : layers.records) {
        const RecordGroup group{record.source.network, record.setting, record.party};
        RunSequences& runs = groups[group];
        if (runs.empty()) order.push_back(group);
        const auto [slot, added] = run_slot[group].emplace(record.source.run, runs.size());
        if (added) runs.emplace_back();
        runs[slot->second].push_back(&record);
    }
    predict::Dataset out;
    for (const RecordGroup& group : order) {
        const RunSequences& runs = groups.at(group);
        const std::size_t steps = runs.front().size();
        for (const auto& run : runs)
            SNNIPRED_CHECK(run.size() == steps, InvalidInput,
                           "network '" + std::get<0>(group) + "' (" + std::get<1>(group) + "): run '" +
                               run.front()->source.run + "' has " + std::to_string(run.size()) +
                               " steps, run '" + runs.front().front()->source.run + "' has " + std::to_string(steps));
        for (std::size_t i = 0; i < steps; ++i) {
            std::vector<const predict::LayerRecord*> repeats;
            for (const auto& run : runs) repeats.push_back(run[i]);
            predict::LayerRecord record = *repeats.front();
            record.time_ms = median_of<predict::LayerRecord>(repeats, [](const auto& r) { return r.time_ms; });
            if (record.bytes_sent)
                record.bytes_sent = median_of<predict::LayerRecord>(repeats, [](const auto& r) { return *r.bytes_sent; });
            if (record.bytes_received)
                record.bytes_received =
                    median_of<predict::LayerRecord>(repeats, [](const auto& r) { return *r.bytes_received; });
            if (record.rounds)
                record.rounds = median_of<predict::LayerRecord>(repeats, [](const auto& r) { return *r.rounds; });
            record.source.run = median_run_id(record.source.run, repeats.size());
            out.records.push_back(std::move(record));
        }
    }
    return out;
}

std::vector<predict::NetworkSample> median_samples(const std::vector<predict::NetworkSample>& samples) {
    std::vector<std::pair<std::string, std::string>> order;
    std::map<std::pair<std::string, std::string>, std::vector<const predict::NetworkSample*>> groups;
    for (const predict::NetworkSample& sample : samples) {
        auto& repeats = groups[{sample.name, sample.setting}];
        if (repeats.empty()) order.emplace_back(sample.name, sample.setting);
        repeats.push_back(&sample);
    }
    std::vector<predict::NetworkSample> out;
    for (const auto& key : order) {
        const auto& repeats = groups.at(key);
        predict::NetworkSample sample = *repeats.front();
        sample.client_ms = median_of<predict::NetworkSample>(repeats, [](const auto& s) { return s.client_ms; });
        sample.server_ms = median_of<predict::NetworkSample>(repeats, [](const auto& s) { return s.server_ms; });
        sample.run = median_run_id(sample.run, repeats.size());
        out.push_back(std::move(sample));
    }
    return out;
}

}  // namespace

ExportedData median_over_repeats(const ExportedData& data) {
    return ExportedData{median_records(data.layers), median_samples(data.networks)};
}

}  // namespace snnipred::profile
