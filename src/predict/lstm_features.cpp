#include "lstm_features.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <string>

namespace snnipred::predict {
namespace {

constexpr Eigen::Index kKinds = static_cast<Eigen::Index>(std::size(kAllLayerKinds));
constexpr Eigen::Index kComposite = 4;

// Every raw dimension name of any kind, each once, in first-seen order.
const std::vector<std::string>& raw_slots() {
    static const std::vector<std::string> slots = [] {
        std::vector<std::string> names;
        for (LayerKind kind : kAllLayerKinds)
            for (const std::string& name : required_raw_features(kind))
                if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
        return names;
    }();
    return slots;
}

Eigen::Index kind_index(LayerKind kind) {
    return static_cast<Eigen::Index>(std::find(std::begin(kAllLayerKinds), std::end(kAllLayerKinds), kind) -
                                      std::begin(kAllLayerKinds));
}

}  // namespace

Eigen::Index step_feature_count() { return kKinds + static_cast<Eigen::Index>(raw_slots().size()) + kComposite; }

Eigen::MatrixXd step_features(const std::vector<ProtocolStep>& steps) {
    const std::vector<std::string>& slots = raw_slots();
    const auto raw_begin = kKinds;
    const auto composite_begin = kKinds + static_cast<Eigen::Index>(slots.size());
    Eigen::MatrixXd out = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(steps.size()), step_feature_count());
    out.middleCols(raw_begin, static_cast<Eigen::Index>(slots.size())).setConstant(std::numeric_limits<double>::quiet_NaN());
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const auto row = static_cast<Eigen::Index>(i);
        const LayerRecord& record = steps[i].record;
        out(row, kind_index(record.kind)) = 1.0;
        for (const std::string& name : required_raw_features(record.kind)) {
            const auto slot = std::find(slots.begin(), slots.end(), name) - slots.begin();
            out(row, raw_begin + slot) = std::log1p(record.raw_value(name));
        }
        const CompositeFeatures c = record_composite_features(record);
        out(row, composite_begin) = std::log1p(c.s_in);
        out(row, composite_begin + 1) = std::log1p(c.s_par);
        out(row, composite_begin + 2) = std::log1p(c.n_op);
        out(row, composite_begin + 3) = std::log1p(c.s_out);
    }
    return out;
}

}  // namespace snnipred::predict
