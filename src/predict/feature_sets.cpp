#include "snnipred/predict/feature_sets.h"

#include <cmath>
#include <initializer_list>

#include "snnipred/core/error.h"
#include "snnipred/protocol/packing.h"
#include "snnipred/predict/cheetah_cost.h"
#include "snnipred/predict/lowering.h"

namespace snnipred::predict {
namespace {

double d(std::int64_t value) { return static_cast<double>(value); }

FeatureVector make(std::initializer_list<double> values) {
    FeatureVector out;
    for (double v : values) out.values[out.size++] = v;
    return out;
}

FeatureVector paper_values(const LayerRecord& record) {
    const CompositeFeatures f = record_composite_features(record);
    return make({f.s_in, f.s_par, f.n_op, f.s_out});
}

// Cheetah's costs per layer kind. Every entry is a count a cost is proportional to, so a
// non-negative weight per entry is a time per unit of work.
FeatureVector protocol_values(const LayerRecord& record) {
    const LayerDimensions layer = record_dimensions(record);
    const double s_in = d(layer.input.elements());
    const double s_out = d(layer.output.elements());
    switch (record.kind) {
        case LayerKind::kConv: {
            // Encryption and transfer per input ciphertext; masking, re-randomisation and
            // decryption per output ciphertext; NTT-based products dominate the server, a
            // monomial product is about five times cheaper. Plain loops over the tensors and
            // weights (layout changes, encoding) scale with S_in, S_out and the weights; the
            // client also pays about 2 ns per multiply-accumulate (N_op), most likely
            // OpenCheetah's layer-wise plaintext verification.
            const ConvPacking p = cheetah_conv_packing(layer);
            const CompositeFeatures f = composite_features(layer);
            return make({d(p.input_cts), d(p.output_cts), d(p.products - p.monomial_products), d(p.monomial_products),
                         d(p.kernel_pts), s_in, s_out, f.s_par, f.n_op});
        }
        case LayerKind::kFc: {
            const FcPacking p = cheetah_fc_packing(static_cast<std::int64_t>(s_in), static_cast<std::int64_t>(s_out));
            return make({d(p.input_cts), d(p.output_cts), d(p.products), s_in * s_out, s_in, s_out});
        }
        case LayerKind::kMaxPool: {
            // CrypTFlow2/Cheetah max pooling: window_area - 1 sequential rounds, each one
            // OT-based comparison per output element.
            const double rounds = d(layer.window.kernel_h * layer.window.kernel_w - 1);
            return make({rounds * s_out, rounds, s_in, s_out});
        }
        case LayerKind::kAvgPool: {
            // Local sums of the shares, then one secure division (truncation) per output.
            const double window = d(layer.window.kernel_h * layer.window.kernel_w);
            return make({window * s_out, s_in, s_out});
        }
        case LayerKind::kRelu:
        case LayerKind::kTrunc: return make({s_in});
        case LayerKind::kBatchNorm: {
            // BN multiplies encrypted shares by per-channel scales; the two Cheetah variants
            // run different code paths, so each gets its own weights. BN1 packs the
            // flattened tensor N elements a ciphertext (HomBNSS::bn), BN2_3D one channel
            // tile per ciphertext (HomBNSS::bn_direct). The snnipred engine's BN2_3D packs
            // several small channels per ciphertext (protocol/packing.h): 256 instead of
            // 1,024 ciphertexts for 1024x14x14. Both counts are features and the fit picks
            // the one its data follows.
            const Shape& t = layer.output;
            const bool first = record.variant == "BN1";
            const double cts = first ? std::ceil(s_in / d(kCheetahPolyDegree)) : d(cheetah_bn_cts(t.c, t.h, t.w));
            const double packed_cts = first ? 0 : d(protocol::plan_bn(t.c, t.h, t.w, kCheetahPolyDegree).input_cts);
            return make({first ? cts : 0, first ? s_in : 0, first ? 0 : cts, first ? 0 : s_in, d(t.c), packed_cts});
        }
    }
    return {};
}

// The protocol features and two fixed costs the protocol plan places: the step's Ferret
// refills (a round trip and a quarter second each, in whichever step empties the COT
// buffer) and whether it is the run's first comparison (which first touches the OT
// buffers). Without them a per-step fit spreads the fixed costs of every small training
// network over all steps of its kind.
FeatureVector plan_values(const LayerRecord& record) {
    FeatureVector out = protocol_values(record);
    out.values[out.size++] = record.raw_value(kCotRefillsFeature);
    out.values[out.size++] = record.raw_value(kFirstComparisonFeature);
    return out;
}

}  // namespace

std::string_view feature_set_name(FeatureSet set) {
    switch (set) {
        case FeatureSet::kPaper: return "paper";
        case FeatureSet::kProtocol: return "protocol";
        case FeatureSet::kPlan: return "plan";
    }
    return "protocol";
}

FeatureSet parse_feature_set(std::string_view name) {
    if (name == "paper") return FeatureSet::kPaper;
    if (name == "protocol") return FeatureSet::kProtocol;
    if (name == "plan") return FeatureSet::kPlan;
    throw InvalidInput("unknown feature set '" + std::string(name) + "' (expected paper, protocol or plan)");
}

namespace {

// The protocol set's names of `kind`, the refills and the first comparison, built once per kind.
const std::vector<std::string>& plan_feature_names(LayerKind kind) {
    static const std::vector<std::vector<std::string>> names = [] {
        std::vector<std::vector<std::string>> out;
        for (const LayerKind k : kAllLayerKinds) {
            std::vector<std::string> kind_names = feature_names(FeatureSet::kProtocol, k);
            kind_names.emplace_back(kCotRefillsFeature);
            kind_names.emplace_back(kFirstComparisonFeature);
            out.push_back(std::move(kind_names));
        }
        return out;
    }();
    return names[static_cast<std::size_t>(kind)];
}

}  // namespace

const std::vector<std::string>& feature_names(FeatureSet set, LayerKind kind) {
    static const std::vector<std::string> paper{"S_in", "S_par", "N_op", "S_out"};
    static const std::vector<std::string> conv{"input_cts", "output_cts", "ntt_products", "monomial_products",
                                               "kernel_pts", "S_in",       "S_out",        "weights",
                                               "N_op"};
    static const std::vector<std::string> fc{"input_cts", "output_cts", "products", "weights", "S_in", "S_out"};
    static const std::vector<std::string> maxpool{"comparisons", "rounds", "S_in", "S_out"};
    static const std::vector<std::string> avgpool{"window_adds", "S_in", "S_out"};
    static const std::vector<std::string> elementwise{"N"};
    static const std::vector<std::string> bn{"bn1_cts", "bn1_elements", "bn2_cts", "bn2_elements", "C", "bn2_packed_cts"};
    if (set == FeatureSet::kPaper) return paper;
    if (set == FeatureSet::kPlan) return plan_feature_names(kind);
    switch (kind) {
        case LayerKind::kConv: return conv;
        case LayerKind::kFc: return fc;
        case LayerKind::kMaxPool: return maxpool;
        case LayerKind::kAvgPool: return avgpool;
        case LayerKind::kRelu:
        case LayerKind::kTrunc: return elementwise;
        case LayerKind::kBatchNorm: return bn;
    }
    return elementwise;
}

FeatureVector compute_features(FeatureSet set, const LayerRecord& record) {
    switch (set) {
        case FeatureSet::kPaper: return paper_values(record);
        case FeatureSet::kProtocol: return protocol_values(record);
        case FeatureSet::kPlan: return plan_values(record);
    }
    return protocol_values(record);
}

std::vector<double> feature_values(FeatureSet set, const LayerRecord& record) {
    const FeatureVector f = compute_features(set, record);
    return {f.values.begin(), f.values.begin() + static_cast<std::ptrdiff_t>(f.size)};
}

}  // namespace snnipred::predict
