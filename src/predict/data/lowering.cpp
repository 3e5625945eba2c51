#include "snnipred/predict/lowering.h"

#include <string>

#include "snnipred/core/error.h"
#include "snnipred/model/features.h"
#include "snnipred/protocol/plan.h"

namespace snnipred::predict {
namespace {

double d(std::int64_t value) { return static_cast<double>(value); }

RawFeatures elements_features(std::int64_t n, std::size_t spare = 0) { return make_raw_features({{"N", d(n)}}, spare); }

// A global average pool is Cheetah's AvgPool with a window covering the whole input.
RawFeatures global_pool_features(const Layer& layer, std::size_t spare = 0) {
    const Shape& in = layer.input_shapes.front();
    return make_raw_features({{"C", d(in.c)}, {"H_I", d(in.h)}, {"W_I", d(in.w)}, {"H_O", 1.0}, {"W_O", 1.0},
                              {"H_F", d(in.h)}, {"W_F", d(in.w)}, {"S_H", 1.0}, {"S_W", 1.0}, {"P_H", 0.0},
                              {"P_W", 0.0}},
                             spare);
}

// BN over (C, H, W). The published data times Cheetah's BN in two files (BN1 for the
// first ResNet stage, BN2_3D for everything else); both run the same HomBN protocol.
constexpr std::string_view kBnVariant = "BN2_3D";

// The refills of a plan step: Ferret refills both parties' buffers together (cot_wire.h),
// so either party's count is the step's.
double refills_of(const protocol::PlanStep& step) {
    return static_cast<double>(step.ots_in_either_role(&protocol::OtCounts::cot_refills));
}

// Adds a fused plan step's refills to the record of the step it joins.
void add_refills(LayerRecord& record, double refills) {
    for (auto& [name, value] : record.raw)
        if (name == kCotRefillsFeature) value += refills;
}

// The features every plan step's record gets after its layer's: kCotRefillsFeature and
// kFirstComparisonFeature (reserved up front, so appending them does not reallocate).
constexpr std::size_t kPlanFeatures = 2;

bool is_comparison(protocol::StepKind kind) {
    return kind == protocol::StepKind::kRelu || kind == protocol::StepKind::kRelu6 || kind == protocol::StepKind::kMaxPool;
}

// The plan's step sequence and, under a refill plan, every step's refills (empty without
// one: only a Ferret plan has refills, and only then are its costs worth planning).
struct PlannedSequence {
    std::vector<protocol::StepOutline> steps;
    std::vector<double> refills;

    double refills_at(std::size_t k) const { return refills.empty() ? 0.0 : refills[k]; }
};

PlannedSequence planned_sequence(const Network& network, const std::optional<protocol::PlanOptions>& refill_plan) {
    if (!refill_plan) return {protocol::plan_outline(network), {}};
    PlannedSequence out;
    const protocol::ProtocolPlan plan = protocol::plan_protocol(network, *refill_plan);
    out.steps.reserve(plan.steps.size());
    out.refills.reserve(plan.steps.size());
    for (const protocol::PlanStep& step : plan.steps) {
        out.steps.push_back(step.outline());
        out.refills.push_back(refills_of(step));
    }
    return out;
}

// The predicted steps of the engine's protocol plan as records; with `fuse`, a truncation
// right after its own layer's product or average pool joins that step. Every record carries
// its step's refills (costed under the refill plan; 0 without one) and whether it is the
// run's first comparison.
std::vector<ProtocolStep> lower_plan(const Network& network, bool fuse,
                                     const std::optional<protocol::PlanOptions>& refill_plan) {
    const PlannedSequence plan = planned_sequence(network, refill_plan);
    bool compared = false;
    std::vector<ProtocolStep> steps;
    steps.reserve(plan.steps.size());
    for (std::size_t k = 0; k < plan.steps.size(); ++k) {
        const protocol::StepOutline& planned = plan.steps[k];
        if (!protocol::is_predicted_step(planned.kind)) continue;
        const bool fused_truncation = fuse && planned.kind == protocol::StepKind::kTruncate && !steps.empty() &&
                                      steps.back().layer == planned.layer &&
                                      steps.back().record.kind != LayerKind::kTrunc;
        if (fused_truncation) {
            ++steps.back().plan_steps;
            add_refills(steps.back().record, plan.refills_at(k));
            continue;
        }
        const Layer& layer = network.layers()[planned.layer];
        ProtocolStep& step = steps.emplace_back();
        step.layer = planned.layer;
        step.first_plan_step = k;
        step.plan_steps = 1;
        step.plan_kind = planned.kind;
        step.role = protocol::step_kind_name(planned.kind);
        LayerRecord& record = step.record;
        switch (planned.kind) {
            case protocol::StepKind::kConv: record.kind = LayerKind::kConv; record.raw = raw_features(layer, kPlanFeatures); break;
            case protocol::StepKind::kFc: record.kind = LayerKind::kFc; record.raw = raw_features(layer, kPlanFeatures); break;
            case protocol::StepKind::kBatchNorm:
                record.kind = LayerKind::kBatchNorm;
                record.variant = kBnVariant;
                record.raw = raw_features(layer, kPlanFeatures);
                break;
            case protocol::StepKind::kTruncate:
                record.kind = LayerKind::kTrunc;
                record.raw = elements_features(planned.elements, kPlanFeatures);
                break;
            case protocol::StepKind::kRelu:
                record.kind = LayerKind::kRelu;
                record.raw = elements_features(planned.elements, kPlanFeatures);
                break;
            case protocol::StepKind::kRelu6:
                // The engine's ReLU6 of n values runs the comparison and multiplexer of a
                // ReLU on 2n values (x and x - 6) plus n ANDs (engine/nonlinear.cpp): a
                // record of a ReLU of 2n values, which every predictor knows.
                record.kind = LayerKind::kRelu;
                record.raw = elements_features(2 * planned.elements, kPlanFeatures);
                break;
            case protocol::StepKind::kMaxPool:
                record.kind = LayerKind::kMaxPool;
                record.raw = raw_features(layer, kPlanFeatures);
                break;
            default:
                record.kind = LayerKind::kAvgPool;
                record.raw = layer.type == LayerType::kAvgPool ? raw_features(layer, kPlanFeatures) : global_pool_features(layer, kPlanFeatures);
                break;
        }
        record.raw.emplace_back(kCotRefillsFeature, plan.refills_at(k));
        const bool first_comparison = !compared && is_comparison(planned.kind);
        compared = compared || first_comparison;
        record.raw.emplace_back(kFirstComparisonFeature, first_comparison ? 1.0 : 0.0);
    }
    return steps;
}

// Walks the layers once, in topological order, tracking per tensor whether it still
// carries the doubled fixed-point scale of a product (conv, fc, bn) that Athos has not
// yet truncated. State is indexed by layer position, so no string is built per step.
class Lowerer {
public:
    Lowerer(const Network& network, const LoweringOptions& options)
        : network_(network), layers_(network.layers()), options_(options), scaled_(layers_.size(), false),
          readers_(layers_.size(), 0), maxpool_reads_(layers_.size(), false), deferred_(layers_.size(), false) {
        for (std::size_t i = 0; i < layers_.size(); ++i) {
            for (const std::size_t from : network.input_positions(i)) {
                ++readers_[from];
                if (layers_[i].type == LayerType::kMaxPool) maxpool_reads_[from] = true;
            }
        }
        steps_.reserve(layers_.size() + layers_.size() / 2);
    }

    std::vector<ProtocolStep> run() {
        for (std::size_t i = 0; i < layers_.size(); ++i) lower(i);
        return std::move(steps_);
    }

private:
    void emit(LayerKind kind, RawFeatures raw, std::size_t layer, std::string_view role,
              std::string_view variant = {}) {
        ProtocolStep& step = steps_.emplace_back();
        step.record.kind = kind;
        step.record.variant = variant;
        step.record.raw = std::move(raw);
        step.layer = layer;
        step.role = role;
    }

    // A truncation of n elements: Athos's ScaleDown, timed as its own step.
    void truncate(std::size_t layer, std::int64_t n, std::string_view role) {
        emit(LayerKind::kTrunc, elements_features(n), layer, role);
    }

    // The eager truncation right after layer i's own product: the only truncation that
    // follows a non-truncation step of the same layer (rescales run before the layer's
    // step), so skipping it here is what truncates_previous_step would remove.
    void truncate_output(std::size_t i) {
        if (!options_.fuse_truncation) truncate(i, layers_[i].output.elements(), "trunc:output");
    }

    // Athos's ScaleDown rescales a tensor in place: once one reader has truncated it,
    // later readers (a residual add, the next concat of a dense block) see it unscaled.
    void rescale_input(std::size_t i, std::size_t k, std::string_view role) {
        const std::size_t from = input_of(i, k);
        if (!athos() || !scaled_[from]) return;
        truncate(i, layers_[i].input_shapes[k].elements(), role);
        scaled_[from] = false;
    }

    bool athos() const { return options_.truncation == TruncationPlacement::kAthos; }
    std::size_t input_of(std::size_t i, std::size_t k = 0) const { return network_.input_positions(i)[k]; }
    std::size_t input_count(std::size_t i) const { return network_.input_positions(i).size(); }
    bool input_scaled(std::size_t i, std::size_t k = 0) const { return scaled_[input_of(i, k)]; }

    // A product: Athos first rescales a still-scaled input, and leaves its own output
    // scaled for a later truncation; eager placement truncates the output at once.
    void product(std::size_t i, LayerKind kind, RawFeatures raw, std::string_view variant = {}) {
        const Layer& layer = layers_[i];
        rescale_input(i, 0, "trunc:input");
        emit(kind, std::move(raw), i, layer_type_name(layer.type), variant);
        if (athos()) scaled_[i] = true;
        else truncate_output(i);
    }

    // A rescale pending on a ReLU's input is fused into Cheetah's ReLU call and timed with
    // it (the published trunc files hold only the stand-alone ScaleDown sizes): no step.
    void relu(std::size_t i, std::int64_t n, int comparisons, std::string_view role) {
        for (int c = 0; c < comparisons; ++c) emit(LayerKind::kRelu, elements_features(n), i, role);
        scaled_[i] = false;
    }

    void lower(std::size_t i) {
        const Layer& layer = layers_[i];
        switch (layer.type) {
            case LayerType::kInput: return;
            case LayerType::kConv: return product(i, LayerKind::kConv, raw_features(layer));
            case LayerType::kFullyConnected: return product(i, LayerKind::kFc, raw_features(layer));
            case LayerType::kBatchNorm: return product(i, LayerKind::kBatchNorm, raw_features(layer), kBnVariant);
            case LayerType::kRelu:
                if (options_.swap_relu_maxpool && readers_[i] == 1 && maxpool_reads_[i]) {
                    deferred_[i] = true;  // runs after the max pool, on the pooled tensor
                    scaled_[i] = input_scaled(i);
                    return;
                }
                return relu(i, layer.output.elements(), 1, "relu");
            case LayerType::kShiftedRelu: return relu(i, layer.output.elements(), 1, "relu");
            case LayerType::kRelu6: return relu(i, layer.output.elements(), 2, "relu6");
            case LayerType::kMaxPool:
                emit(LayerKind::kMaxPool, raw_features(layer), i, "maxpool");
                scaled_[i] = input_scaled(i);  // max commutes with the pending rescale
                if (deferred_[input_of(i)]) relu(i, layer.output.elements(), 1, "relu:after-pool");
                return;
            case LayerType::kAvgPool:
            case LayerType::kGlobalAvgPool:
                // Cheetah's AvgPool divides by the window itself; a pending product rescale
                // still runs first.
                rescale_input(i, 0, "trunc:input");
                emit(LayerKind::kAvgPool,
                     layer.type == LayerType::kAvgPool ? raw_features(layer) : global_pool_features(layer), i,
                     layer_type_name(layer.type));
                return;
            case LayerType::kAdd:
                // The unscaled operand is scaled up locally (a shift): the sum stays scaled.
                for (std::size_t k = 0; k < input_count(i); ++k) scaled_[i] = scaled_[i] || input_scaled(i, k);
                return;
            case LayerType::kConcat:
                for (std::size_t k = 0; k < input_count(i); ++k) rescale_input(i, k, "trunc:concat");
                return;
            case LayerType::kFlatten:
            case LayerType::kPad:
            case LayerType::kIdentity: scaled_[i] = input_scaled(i); return;
        }
        throw Unsupported("lowering: layer '" + layer.name + "' of type " + std::string(layer_type_name(layer.type)) +
                          " has no Cheetah protocol");
    }

    const Network& network_;
    const std::vector<Layer>& layers_;
    const LoweringOptions& options_;
    std::vector<bool> scaled_;
    std::vector<int> readers_;
    std::vector<bool> maxpool_reads_;
    std::vector<bool> deferred_;
    std::vector<ProtocolStep> steps_;
};

}  // namespace

std::string_view truncation_placement_name(TruncationPlacement placement) {
    return placement == TruncationPlacement::kAthos ? "athos" : "eager";
}

TruncationPlacement parse_truncation_placement(std::string_view name) {
    if (name == "athos") return TruncationPlacement::kAthos;
    if (name == "eager") return TruncationPlacement::kEager;
    throw InvalidInput("unknown truncation placement '" + std::string(name) + "' (known: athos, eager)");
}

protocol::PlanOptions profiled_plan_options(protocol::OtExtension ot) {
    return {.he = protocol::he_layout(protocol::HeSet::kCheetah, protocol::TruncationMode::kApproximate),
            .truncation = protocol::TruncationMode::kApproximate,
            .ot = ot};
}

namespace {

std::optional<protocol::PlanOptions> refill_plan_of(const protocol::PlanOptions& engine) {
    if (engine.ot == protocol::OtExtension::kIknp) return std::nullopt;
    return engine;
}

}  // namespace

LoweringOptions lowering_for_backend(std::string_view backend, protocol::OtExtension ot) {
    if (backend == "cheetah") return {};
    if (backend == "snnipred")
        return {.protocol_plan = true, .fuse_truncation = true, .refill_plan = refill_plan_of(profiled_plan_options(ot))};
    throw InvalidInput("unknown backend '" + std::string(backend) + "' (known: cheetah, snnipred)");
}

LoweringOptions engine_span_lowering(const protocol::PlanOptions& engine) {
    return {.protocol_plan = true, .refill_plan = refill_plan_of(engine)};
}

bool truncates_previous_step(const std::vector<ProtocolStep>& steps, std::size_t i) {
    return i > 0 && i < steps.size() && steps[i].record.kind == LayerKind::kTrunc &&
           steps[i - 1].record.kind != LayerKind::kTrunc && steps[i].layer == steps[i - 1].layer;
}

std::vector<ProtocolStep> lower_network(const Network& network, const LoweringOptions& options) {
    if (options.protocol_plan) return lower_plan(network, options.fuse_truncation, options.refill_plan);
    return Lowerer(network, options).run();
}

LayerRecord step_record(const ProtocolStep& step, Party party, const std::string& setting) {
    LayerRecord record = step.record;
    record.party = party;
    record.setting = setting;
    return record;
}

}  // namespace snnipred::predict
