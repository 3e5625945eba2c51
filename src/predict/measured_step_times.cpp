#include "snnipred/predict/measured_step_times.h"

#include <algorithm>
#include <array>
#include <map>
#include <tuple>

#include "snnipred/predict/analytical.h"

namespace snnipred::predict {
namespace {

using RunKey = std::tuple<std::string, std::string, std::string>;  // network, setting, run
using RunRecords = std::array<std::vector<const LayerRecord*>, 2>;  // client, server

Eigen::MatrixXd step_times_of(const std::vector<ProtocolStep>& steps, const RunRecords& run) {
    const auto count = static_cast<Eigen::Index>(steps.size());
    Eigen::MatrixXd times(2, count);
    for (Eigen::Index party = 0; party < 2; ++party) {
        const std::vector<const LayerRecord*>& records = run[static_cast<std::size_t>(party)];
        if (static_cast<Eigen::Index>(records.size()) != count) return Eigen::MatrixXd(2, 0);
        for (Eigen::Index s = 0; s < count; ++s) {
            const LayerRecord& record = *records[static_cast<std::size_t>(s)];
            if (record.kind != steps[static_cast<std::size_t>(s)].record.kind) return Eigen::MatrixXd(2, 0);
            times(party, s) = std::max(record.time_ms, kMinLogTimeMs);
        }
    }
    return times;
}

}  // namespace

std::vector<Eigen::MatrixXd> measured_step_times(std::span<const NetworkSample> samples,
                                                 std::span<const LayerRecord> records,
                                                 const LoweringOptions& lowering) {
    std::map<RunKey, RunRecords> runs;
    for (const LayerRecord& r : records)
        if (!r.source.network.empty())
            runs[RunKey{r.source.network, r.setting, r.source.run}][r.party == Party::kClient ? 0 : 1].push_back(&r);
    std::vector<Eigen::MatrixXd> out;
    out.reserve(samples.size());
    for (const NetworkSample& s : samples) {
        const auto run = runs.find(RunKey{s.name, s.setting, s.run});
        out.push_back(run == runs.end() ? Eigen::MatrixXd(2, 0)
                                        : step_times_of(lower_network(s.network, lowering), run->second));
    }
    return out;
}

}  // namespace snnipred::predict
