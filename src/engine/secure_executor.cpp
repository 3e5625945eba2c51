#include "snnipred/engine/secure_executor.h"

#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>

#include "handshake.h"
#include "secure_layers.h"
#include "snnipred/core/error.h"
#include "snnipred/crypto/ot/prg.h"
#include "snnipred/engine/nonlinear.h"

namespace snnipred::engine {
namespace {

using Values = std::vector<std::uint64_t>;

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

// One party's walk over the IR; client and server differ only in the HE calls, the
// input share and the reveal at the end.
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
          ot_prg_(make_ot_prg(options, party)),
          he_prng_(make_he_prng(options, party)),
          ot_(party, channel, ot_prg_, options.ring, options.threads) {
        trace_.bind(channel_);
    }

    void setup() {
        {
            auto span = trace_.setup_span("handshake");
            detail::handshake(party_, channel_, network_, options_);
        }
        {
            auto span = trace_.setup_span("he_keygen");
            if (party_ == Party::kClient)
                he_client_ = std::make_unique<HomClient>(HomClient::setup(options_.he, options_.ring, channel_, he_prng_,
                                                                                options_.threads));
            else
                he_server_ = std::make_unique<HomServer>(HomServer::setup(options_.he, options_.ring, channel_, options_.threads));
        }
        auto span = trace_.setup_span("base_ot");
        ot_.setup();
    }

    // This party's share of the output layer.
    Values run(Values input_share) {
        const std::vector<Layer>& layers = network_.layers();
        std::unordered_map<std::string, std::size_t> index;
        std::vector<std::size_t> last_use(layers.size(), 0);
        for (std::size_t i = 0; i < layers.size(); ++i) {
            index.emplace(layers[i].name, i);
            for (const std::string& name : layers[i].inputs) last_use[index.at(name)] = i;
        }
        std::vector<Values> values(layers.size());
        values[0] = std::move(input_share);
        for (std::size_t i = 1; i < layers.size(); ++i) {
            std::vector<const Values*> inputs;
            for (const std::string& name : layers[i].inputs) inputs.push_back(&values[index.at(name)]);
            values[i] = layer(i, inputs);
            for (const std::string& name : layers[i].inputs) {
                const std::size_t j = index.at(name);
                if (last_use[j] == i && j + 1 != layers.size()) Values().swap(values[j]);
            }
        }
        return std::move(values.back());
    }

private:
    Values layer(std::size_t i, const std::vector<const Values*>& inputs) {
        const Layer& layer = network_.layers()[i];
        const std::string type(layer_type_name(layer.type));
        const Values& x = *inputs.front();
        switch (layer.type) {
            case LayerType::kConv:
            case LayerType::kFullyConnected:
            case LayerType::kBatchNorm: {
                Values y;
                {
                    auto span = trace_.span(layer.name, type, type);
                    y = party_ == Party::kClient
                            ? detail::linear_client(*he_client_, layer, x, channel_, he_prng_)
                            : detail::linear_server(*he_server_, layer, weights_->layers[i], x, channel_, he_prng_);
                }
                return truncate(layer, type, y);
            }
            case LayerType::kRelu: {
                auto span = trace_.span(layer.name, type, type);
                return relu(ot_, x);
            }
            case LayerType::kRelu6: {
                SNNIPRED_CHECK(layer.clip_min == 0.0 && layer.clip_max == 6.0, Unsupported,
                               "layer '" + layer.name + "': the secure engine clips to [0, 6] only");
                auto span = trace_.span(layer.name, type, type);
                return relu6(ot_, x);
            }
            case LayerType::kMaxPool: {
                auto span = trace_.span(layer.name, type, type);
                return detail::window_max(ot_, x, detail::pool_windows(layer));
            }
            case LayerType::kAvgPool:
            case LayerType::kGlobalAvgPool: {
                Values y;
                {
                    auto span = trace_.span(layer.name, type, type);
                    y = detail::local_layer(layer, inputs, options_.ring);
                }
                return truncate(layer, type, y);
            }
            case LayerType::kInput: throw InvalidInput("network '" + network_.name() + "' has a second input layer");
            default: {
                auto span = trace_.span(layer.name, type, "local");
                return detail::local_layer(layer, inputs, options_.ring);
            }
        }
    }

    Values truncate(const Layer& layer, const std::string& type, const Values& y) {
        auto span = trace_.span(layer.name, type, "trunc");
        return truncate_shares(ot_, y, options_.ring.scale, options_.truncation);
    }

    Party party_;
    net::Channel& channel_;
    const Network& network_;
    const NetworkWeights* weights_;
    const SecureOptions& options_;
    Trace& trace_;
    crypto::ot::Prg ot_prg_;
    crypto::he::Prng he_prng_;
    OtSession ot_;
    std::unique_ptr<HomClient> he_client_;
    std::unique_ptr<HomServer> he_server_;
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
    const Layer& out = network.output();
    auto span = trace.span(out.name, std::string(layer_type_name(out.type)), "reveal");
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
    weights.check(network);
    Walker walker(Party::kServer, channel, network, &weights, options, trace);
    walker.setup();
    const Values mine = walker.run(Values(static_cast<std::size_t>(network.input().output.elements()), 0));
    const Layer& out = network.output();
    auto span = trace.span(out.name, std::string(layer_type_name(out.type)), "reveal");
    channel.send(to_bytes(mine));
    channel.flush();
}

}  // namespace snnipred::engine
