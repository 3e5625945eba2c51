#include "snnipred/engine/secure_executor.h"

#include <array>
#include <cstring>
#include <memory>
#include <string>

#include "bit_triples.h"
#include "handshake.h"
#include "secure_layers.h"
#include "snnipred/core/error.h"
#include "snnipred/crypto/ot/prg.h"
#include "snnipred/engine/heap_warmup.h"
#include "snnipred/engine/nonlinear.h"
#include "snnipred/protocol/plan.h"

namespace snnipred::engine {
namespace {

using Values = std::vector<std::uint64_t>;
using protocol::StepKind;

crypto::he::Prng make_he_prng(const SecureOptions& options, Party party) {
    if (!options.seed) return crypto::he::Prng::fresh();
    crypto::he::Seed seed{};
    std::memcpy(seed.data(), &*options.seed, sizeof(std::uint64_t));
    seed[8] = party == Party::kClient ? 0xc1 : 0x5e;
    seed[9] = 0x4e;  // distinct from the OT stream below
    return crypto::he::Prng(seed);
}

crypto::ot::Prg make_ot_prg(const SecureOptions& options, Party party) {
    if (!options.seed) return crypto::ot::Prg();
    return crypto::ot::Prg(crypto::ot::Block{*options.seed, party == Party::kClient ? 0x0c11e47ULL : 0x5e77e4ULL});
}

std::vector<std::byte> to_bytes(const Values& values) {
    std::vector<std::byte> bytes(values.size() * sizeof(std::uint64_t));
    std::memcpy(bytes.data(), values.data(), bytes.size());
    return bytes;
}

net::CommStats planned(const protocol::PlanStep& step, Party party) { return step.of(party).comm; }

// One party's walk over the protocol plan; client and server differ only in the HE calls,
// the input share and the reveal at the end.
class Walker {
public:
    Walker(Party party, net::Channel& channel, const Network& network, const NetworkWeights* weights,
           const SecureOptions& options, Trace& trace)
        : party_(party),
          channel_(channel),
          network_(network),
          weights_(weights),
          options_(options),
          trace_(trace),
          plan_(protocol::plan_protocol(network, options.plan_options())),
          ot_prg_(make_ot_prg(options, party)),
          he_prng_(make_he_prng(options, party)),
          ot_(party, channel, ot_prg_, options.ring, options.threads, options.ot),
          frame_limit_(channel.options().max_frame_bytes) {
        trace_.bind(channel_);
        progress_.layers = network.layers().size() - 1;
        for (const protocol::PlanStep& step : plan_.steps) progress_.planned_bytes += step_bytes(step);
    }

    void setup() {
        for (const protocol::PlanStep& step : plan_.steps) {
            if (step.phase != protocol::Phase::kSetup) continue;
            auto span = trace_.setup_span(step.kind, planned(step, party_));
            switch (step.kind) {
                case StepKind::kHandshake:
                    detail::handshake(party_, channel_, network_, options_, plan_.largest_step_bytes());
                    break;
                case StepKind::kHeKeygen:
                    if (party_ == Party::kClient)
                        he_client_ = std::make_unique<HomClient>(
                            HomClient::setup(options_.hom_config(), options_.ring, channel_, he_prng_, options_.threads));
                    else
                        he_server_ = std::make_unique<HomServer>(
                            HomServer::setup(options_.hom_config(), options_.ring, channel_, options_.threads));
                    break;
                default:
                    ot_.setup();
                    detail::warm_heap(detail::online_heap_bytes(plan_));
                    // Neither party starts its online phase before the other has finished
                    // its setup, so that no online time holds the peer's setup work.
                    detail::exchange(ot_, std::array<std::uint8_t, protocol::kReadyBytes>{}, "end of setup");
                    break;
            }
            progress_.planned_bytes_done += step_bytes(step);
        }
    }

    Walker(const Walker&) = delete;
    Walker& operator=(const Walker&) = delete;
    // What follows the run on the channel (serve's trace report) is not in the plan.
    ~Walker() { channel_.set_max_frame_bytes(frame_limit_); }

    // This party's share of the output layer.
    Values run(Values input_share) {
        const std::vector<Layer>& layers = network_.layers();
        std::vector<std::size_t> last_use(layers.size(), 0);
        for (std::size_t i = 0; i < layers.size(); ++i)
            for (const std::size_t from : network_.input_positions(i)) last_use[from] = i;
        values_.assign(layers.size(), {});
        values_[0] = std::move(input_share);
        auto release_inputs_of = [&](std::size_t i) {
            for (const std::size_t from : network_.input_positions(i))
                if (last_use[from] == i && from + 1 != layers.size()) Values().swap(values_[from]);
        };
        std::size_t current = protocol::PlanStep::kNoLayer;
        for (const protocol::PlanStep& step : plan_.steps) {
            if (step.phase != protocol::Phase::kOnline || step.kind == StepKind::kReveal) continue;
            if (step.layer != current && current != protocol::PlanStep::kNoLayer) release_inputs_of(current);
            current = step.layer;
            const Layer& layer = layers[step.layer];
            auto span = trace_.span(layer.name, std::string(layer_type_name(layer.type)), step.kind,
                                    planned(step, party_));
            values_[step.layer] = execute(step, layer);
            report(step);
        }
        return std::move(values_.back());
    }

    /// The span of the reveal, the plan's last step.
    Trace::Span reveal_span() {
        const protocol::PlanStep& step = plan_.steps.back();
        const Layer& out = network_.layers()[step.layer];
        return trace_.span(out.name, std::string(layer_type_name(out.type)), step.kind, planned(step, party_));
    }

private:
    static std::uint64_t step_bytes(const protocol::PlanStep& step) {
        return step.of(Party::kClient).comm.bytes_sent + step.of(Party::kServer).comm.bytes_sent;
    }

    void report(const protocol::PlanStep& step) {
        progress_.layer = step.layer;
        progress_.planned_bytes_done += step_bytes(step);
        if (options_.on_step) options_.on_step(progress_);
    }

    Values execute(const protocol::PlanStep& step, const Layer& layer) {
        std::vector<const Values*> inputs;
        for (const std::size_t from : network_.input_positions(step.layer)) inputs.push_back(&values_[from]);
        switch (step.kind) {
            case StepKind::kConv:
            case StepKind::kFc:
            case StepKind::kBatchNorm:
                return party_ == Party::kClient
                           ? detail::linear_client(*he_client_, layer, *inputs.front(), channel_, he_prng_)
                           : detail::linear_server(*he_server_, layer, weights_->layers[step.layer], *inputs.front(),
                                                   channel_, he_prng_);
            case StepKind::kTruncate:
                return truncate_shares(ot_, values_[step.layer], options_.ring.scale, options_.truncation);
            case StepKind::kRelu:
                if (layer.type == LayerType::kShiftedRelu)
                    return detail::shifted_relu_layer(
                        ot_, *inputs.front(), layer, party_ == Party::kServer ? &weights_->layers[step.layer] : nullptr);
                return relu(ot_, *inputs.front());
            case StepKind::kRelu6: return relu6(ot_, *inputs.front());
            case StepKind::kMaxPool: return detail::max_pool_layer(ot_, *inputs.front(), layer);
            default: return detail::local_layer(layer, inputs, options_.ring);
        }
    }

    Party party_;
    net::Channel& channel_;
    const Network& network_;
    const NetworkWeights* weights_;
    const SecureOptions& options_;
    Trace& trace_;
    protocol::ProtocolPlan plan_;
    crypto::ot::Prg ot_prg_;
    crypto::he::Prng he_prng_;
    OtSession ot_;
    std::unique_ptr<HomClient> he_client_;
    std::unique_ptr<HomServer> he_server_;
    std::vector<Values> values_;
    RunProgress progress_;
    std::size_t frame_limit_;  // the channel's before the handshake narrowed it
};

}  // namespace

std::vector<std::uint64_t> run_secure_client(net::Channel& channel, const Network& network,
                                             std::span<const std::uint64_t> input, const SecureOptions& options,
                                             Trace& trace) {
    options.ring.validate();
    const std::int64_t expected = network.input().output.elements();
    SNNIPRED_CHECK(static_cast<std::int64_t>(input.size()) == expected, InvalidInput,
                   "network '" + network.name() + "' expects an input of " + std::to_string(expected) +
                       " values, got " + std::to_string(input.size()));
    Walker walker(Party::kClient, channel, network, nullptr, options, trace);
    walker.setup();
    // The client's share of the input is the input itself, the server's is zero.
    Values share(input.begin(), input.end());
    for (std::uint64_t& v : share) v = options.ring.reduce(v);
    Values mine = walker.run(std::move(share));
    auto span = walker.reveal_span();
    const std::vector<std::byte> message = channel.recv();
    SNNIPRED_CHECK(message.size() == mine.size() * sizeof(std::uint64_t), NetworkError,
                   "the server's output share has " + std::to_string(message.size()) + " bytes, expected " +
                       std::to_string(mine.size() * sizeof(std::uint64_t)));
    Values theirs(mine.size());
    std::memcpy(theirs.data(), message.data(), message.size());
    for (std::size_t k = 0; k < mine.size(); ++k) mine[k] = options.ring.reduce(mine[k] + theirs[k]);
    return mine;
}

void run_secure_server(net::Channel& channel, const Network& network, const NetworkWeights& weights,
                       const SecureOptions& options, Trace& trace) {
    options.ring.validate();
    SNNIPRED_CHECK(options.ring.bits == weights.ring.bits && options.ring.scale == weights.ring.scale, ConfigError,
                   "weights quantised for another ring than the run's");
    check_weight_bound(network, weights);
    Walker walker(Party::kServer, channel, network, &weights, options, trace);
    walker.setup();
    const Values mine = walker.run(Values(static_cast<std::size_t>(network.input().output.elements()), 0));
    auto span = walker.reveal_span();
    channel.send(to_bytes(mine));
    channel.flush();
}

}  // namespace snnipred::engine
