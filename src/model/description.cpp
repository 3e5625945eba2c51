#include "snnipred/model/description.h"

#include "snnipred/model/features.h"

namespace snnipred {

nlohmann::json network_description(const Network& network) {
    nlohmann::json layers = nlohmann::json::array();
    for (const Layer& layer : network.layers()) {
        nlohmann::json raw = nlohmann::json::object();
        for (const auto& [name, value] : raw_features(layer)) raw[name] = value;
        const CompositeFeatures c = composite_features(layer);
        layers.push_back({{"name", layer.name},
                          {"type", layer_type_name(layer.type)},
                          {"inputs", layer.inputs},
                          {"output_shape", {layer.output.c, layer.output.h, layer.output.w}},
                          {"raw", raw},
                          {"composite", {{"S_in", c.s_in}, {"S_par", c.s_par}, {"N_op", c.n_op}, {"S_out", c.s_out}}}});
    }
    const NetworkTotals totals = network_totals(network);
    return {{"name", network.name()},
            {"layers", layers},
            {"totals",
             {{"params", totals.params},
              {"macs", totals.macs},
              {"relus", totals.relus},
              {"comparisons", totals.comparisons},
              {"layers", totals.layers},
              {"layers_by_type", totals.layers_by_type}}}};
}

}  // namespace snnipred
