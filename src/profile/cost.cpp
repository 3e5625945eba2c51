#include "snnipred/profile/cost.h"

namespace snnipred::profile {

NetworkCounts count_costs(const Network& network) {
    NetworkCounts counts;
    for (const Layer& layer : network.layers()) {
        const double out = static_cast<double>(layer.output.elements());
        switch (layer.type) {
            case LayerType::kConv: {
                const Shape& in = layer.input_shapes.front();
                counts.macs += out * static_cast<double>(in.c / layer.groups * layer.window.kernel_h * layer.window.kernel_w);
                counts.truncated_elements += out;
                break;
            }
            case LayerType::kFullyConnected:
                counts.macs += out * static_cast<double>(layer.input_shapes.front().elements());
                counts.truncated_elements += out;
                break;
            case LayerType::kBatchNorm:
                counts.macs += out;
                counts.truncated_elements += out;
                break;
            case LayerType::kRelu:
            case LayerType::kShiftedRelu: counts.relu_elements += out; break;
            case LayerType::kRelu6: counts.relu_elements += 2 * out; break;
            case LayerType::kMaxPool:
                counts.maxpool_comparisons +=
                    out * static_cast<double>(layer.window.kernel_h * layer.window.kernel_w - 1);
                break;
            case LayerType::kAvgPool:
            case LayerType::kGlobalAvgPool: counts.truncated_elements += out; break;
            default: break;
        }
    }
    return counts;
}

double estimated_cost_s(const NetworkCounts& counts, const CostModel& model) {
    return model.relu_s * (counts.relu_elements + counts.maxpool_comparisons) +
           model.trunc_s * counts.truncated_elements + model.mac_s * counts.macs;
}

}  // namespace snnipred::profile
