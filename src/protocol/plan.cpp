#include "snnipred/protocol/plan.h"

#include <string>

#include "ot_script.h"
#include "snnipred/core/error.h"
#include "snnipred/protocol/max_pool.h"
#include "snnipred/protocol/packing.h"
#include "wire.h"

namespace snnipred::protocol {
namespace {

using detail::Wire;

// The ciphertexts one HE linear layer moves and the server's work on them. The client
// reads every output value from exactly one response coefficient: reads = outputs.
struct LinearCounts {
    std::int64_t input_cts = 0, output_cts = 0, products = 0, prepares = 0, reads = 0, fan_in = 0;
};

LinearCounts linear_counts(const Layer& layer, const HeLayout& he) {
    const Shape in = layer.input_shapes.front();
    switch (layer.type) {
        case LayerType::kConv: {
            const ConvPlan p = plan_conv(ConvShape::from_layer(layer), he);
            return {p.input_cts, p.output_cts, p.products, p.kernel_polys,
                    p.shape.out_channels * p.shape.out_h() * p.shape.out_w(), p.fan_in};
        }
        case LayerType::kFullyConnected: {
            const FcPlan p = plan_fc(in.elements(), layer.out_channels, he);
            return {p.input_cts, p.output_cts, p.products, p.products, p.outputs, p.fan_in};
        }
        default: {
            const BnPlan p = plan_bn(in.c, in.h, in.w, he.n);
            return {p.input_cts, p.input_cts, p.input_cts, p.blocks_c, in.elements(), p.fan_in};
        }
    }
}

// engine/hom_session.h: the client's ciphertexts in one message, the responses in one.
void linear(Wire& wire, const Layer& layer, const HeLayout& he) {
    const LinearCounts c = linear_counts(layer, he);
    const int drop = input_drop_bits(he, static_cast<std::uint64_t>(c.fan_in));
    wire.message(Party::kClient, static_cast<std::uint64_t>(input_message_bytes(he, c.input_cts, drop)));
    wire.message(Party::kServer, static_cast<std::uint64_t>(response_message_bytes(he, c.output_cts, c.reads)));
    PrimitiveCounts& client = wire.primitives(Party::kClient);
    client.he_encryptions += static_cast<std::uint64_t>(c.input_cts);
    client.he_decryptions += static_cast<std::uint64_t>(c.output_cts);
    PrimitiveCounts& server = wire.primitives(Party::kServer);
    server.he_plain_prepares += static_cast<std::uint64_t>(c.prepares);
    server.he_products += static_cast<std::uint64_t>(c.products);
    server.he_responses += static_cast<std::uint64_t>(c.output_cts);
    if (he.flooding) server.he_floodings += static_cast<std::uint64_t>(c.output_cts);
}

class Planner {
public:
    Planner(const Network& network, const PlanOptions& options, bool costs)
        : network_(network), options_(options), costs_(costs), wire_(steps_), ot_(wire_, options.ot) {}

    void run() {
        options_.ring.validate();
        const std::size_t expected_steps = network_.layers().size() + network_.layers().size() / 2 + 4;
        if (costs_) steps_.reserve(expected_steps);
        else outline_.reserve(expected_steps);
        start(StepKind::kHandshake, Phase::kSetup, PlanStep::kNoLayer, 0);
        if (costs_) {
            // Only its length matters here: every digest has 16 hex digits.
            const std::string handshake = handshake_message(network_, options_, std::string(16, '0'));
            wire_.message(Party::kClient, handshake.size());
            wire_.message(Party::kServer, handshake.size());
        }
        start(StepKind::kHeKeygen, Phase::kSetup, PlanStep::kNoLayer, 0);
        if (costs_) wire_.message(Party::kClient, static_cast<std::uint64_t>(public_key_bytes(options_.he)));
        start(StepKind::kBaseOt, Phase::kSetup, PlanStep::kNoLayer, 0);
        if (costs_) {
            ot_.setup();
            wire_.exchange(kReadyBytes);
        }

        const std::vector<Layer>& layers = network_.layers();
        for (std::size_t i = 1; i < layers.size(); ++i) layer(i);
        const std::size_t out = layers.size() - 1;
        begin(StepKind::kReveal, out);
        if (costs_) wire_.message(Party::kServer, elements(out) * 8);
    }

    std::vector<PlanStep> steps() && { return std::move(steps_); }
    std::vector<StepOutline> outline() && { return std::move(outline_); }

private:
    // A step with costs goes to the wire, which counts its messages; without, only its outline.
    void start(StepKind kind, Phase phase, std::size_t layer, std::int64_t elements) {
        if (costs_) wire_.begin(kind, phase, layer, elements);
        else outline_.push_back({kind, phase, layer, elements});
    }

    void begin(StepKind kind, std::size_t i) {
        start(kind, Phase::kOnline, i, network_.layers()[i].output.elements());
    }

    std::uint64_t elements(std::size_t i) const {
        return static_cast<std::uint64_t>(network_.layers()[i].output.elements());
    }

    void truncate(std::size_t i) {
        begin(StepKind::kTruncate, i);
        if (costs_) detail::truncate(ot_, options_.ring, elements(i), options_.truncation);
    }

    void local(StepKind kind, std::size_t i) {
        begin(kind, i);
        if (costs_) wire_.both(&PrimitiveCounts::share_ops, elements(i));
    }

    void layer(std::size_t i) {
        const Layer& layer = network_.layers()[i];
        const RingConfig& ring = options_.ring;
        switch (layer.type) {
            case LayerType::kConv:
            case LayerType::kFullyConnected:
            case LayerType::kBatchNorm:
                begin(layer.type == LayerType::kConv             ? StepKind::kConv
                      : layer.type == LayerType::kFullyConnected ? StepKind::kFc
                                                                 : StepKind::kBatchNorm,
                      i);
                if (costs_) linear(wire_, layer, options_.he);
                return truncate(i);
            case LayerType::kRelu:
            case LayerType::kShiftedRelu:  // the server's shift and sign are local
                begin(StepKind::kRelu, i);
                if (costs_) detail::relu(ot_, ring, elements(i));
                return;
            case LayerType::kRelu6:
                SNNIPRED_CHECK(layer.clip_min == 0.0 && layer.clip_max == 6.0, Unsupported,
                               "layer '" + layer.name + "': the secure engine clips to [0, 6] only");
                begin(StepKind::kRelu6, i);
                if (costs_) detail::relu6(ot_, ring, elements(i));
                return;
            case LayerType::kMaxPool:
                begin(StepKind::kMaxPool, i);
                if (costs_)
                    for (const auto& pass : max_pool_passes(layer, max_pool_order(layer, nonlinear_protocols(options_.ot))))
                        detail::max_of_windows(ot_, ring, pass);
                return;
            case LayerType::kAvgPool: local(StepKind::kAvgPool, i); return truncate(i);
            case LayerType::kGlobalAvgPool: local(StepKind::kGlobalAvgPool, i); return truncate(i);
            case LayerType::kInput: throw InvalidInput("network '" + network_.name() + "' has a second input layer");
            default: return local(StepKind::kLocal, i);
        }
    }

    const Network& network_;
    const PlanOptions& options_;
    bool costs_;
    std::vector<PlanStep> steps_;
    std::vector<StepOutline> outline_;
    Wire wire_;
    detail::CotWire ot_;
};

}  // namespace

PartyCost ProtocolPlan::total(Party party, Phase phase) const {
    PartyCost sum;
    for (const PlanStep& step : steps)
        if (step.phase == phase) sum += step.of(party);
    return sum;
}

std::uint64_t ProtocolPlan::largest_step_bytes() const {
    std::uint64_t largest = 0;
    for (const PlanStep& step : steps)
        for (const PartyCost& cost : step.cost) largest = std::max(largest, cost.comm.bytes_sent);
    return largest;
}

ProtocolPlan plan_protocol(const Network& network, const PlanOptions& options) {
    Planner planner(network, options, true);
    planner.run();
    return ProtocolPlan{options, std::move(planner).steps()};
}

std::vector<StepOutline> plan_outline(const Network& network) {
    const PlanOptions defaults{};  // the sequence is the same under any options
    Planner planner(network, defaults, false);
    planner.run();
    return std::move(planner).outline();
}

}  // namespace snnipred::protocol
