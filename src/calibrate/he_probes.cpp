#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "probes.h"
#include "snnipred/engine/hom_session.h"

namespace snnipred::calibrate::detail {
namespace {

namespace he = crypto::he;
using machine::UnitKey;
using machine::UnitKind;
using protocol::HeSet;

// The client's and the server's HE sessions of one configuration, as the engine sets
// them up at he_keygen.
struct HePair {
    he::Prng client_prng = he::Prng::fresh();
    he::Prng server_prng = he::Prng::fresh();
    std::optional<engine::HomClient> client;
    std::optional<engine::HomServer> server;

    // Seconds a party takes to set up, on average.
    double setup(PartyPair& pair, const engine::HomConfig& config) {
        const protocol::RingConfig ring{config.params.plain_bits(), 12};
        return pair.run([&] { server.emplace(engine::HomServer::setup(config, ring, pair.server())); },
                        [&] { client.emplace(engine::HomClient::setup(config, ring, pair.client(), client_prng)); })
            .per_party();
    }
};

std::vector<he::Plaintext> random_polys(std::size_t count, std::size_t n, std::uint64_t mask, std::mt19937_64& rng) {
    std::vector<he::Plaintext> polys(count, he::Plaintext{std::vector<std::uint64_t>(n)});
    for (he::Plaintext& poly : polys)
        for (std::uint64_t& c : poly.coeffs) c = rng() & mask;
    return polys;
}

// One HE round trip as a linear layer runs it: the client encrypts and sends, the server
// lifts them, prepares weights, multiply-accumulates, responds; the client decrypts.
// Each phase is timed on its own party's CPU clock.
void round_trip(PartyPair& pair, HePair& session, HeSet set, const Sizes& sizes, Samples& out) {
    engine::HomClient& client = *session.client;
    engine::HomServer& server = *session.server;
    const std::size_t n = client.n();
    const std::uint64_t mask = client.ring().mask();
    const std::size_t count = sizes.he_ciphertexts;
    std::mt19937_64 rng(7);
    const std::vector<he::Plaintext> inputs = random_polys(count, n, mask, rng);
    const std::vector<he::Plaintext> server_share = random_polys(count, n, mask, rng);
    std::vector<std::int64_t> weight(n);
    for (std::int64_t& w : weight) w = static_cast<std::int64_t>(rng() % 7) - 3;

    // Every coefficient read, as in a layer whose outputs fill its responses (the most the
    // compact response wire sends).
    std::vector<std::uint32_t> every_coefficient(n);
    for (std::uint32_t i = 0; i < n; ++i) every_coefficient[i] = i;
    const he::ReadPositions positions(count, every_coefficient);

    double encrypt = 0, decrypt = 0, lift = 0, prepare = 0, product = 0, respond = 0;
    const std::size_t weights = sizes.he_products / count;
    // Every drop costs the same (the composition runs whatever it drops): the largest fan-in's.
    const int drop = protocol::input_drop_bits(client.layout(), client.layout().max_fan_in);
    pair.run(
        [&] {
            std::vector<he::Ciphertext> cts;
            lift = cpu_seconds_of([&] { cts = server.receive_inputs(server_share, drop, pair.server()); });
            // A conv prepares each kernel polynomial right before its products and drops it
            // after (engine/hom_conv.cpp): timed the same way, over as many polynomials as
            // products, since a couple of cold ones (fresh pages, tables out of cache) cost
            // twice a warm one.
            prepare = cpu_seconds_of([&] {
                for (std::size_t k = 0; k < sizes.he_products; ++k)
                    [[maybe_unused]] const he::NttPlaintext kernel = server.prepare(weight);
            });
            std::vector<he::NttPlaintext> prepared;
            for (std::size_t k = 0; k < weights; ++k) prepared.push_back(server.prepare(weight));
            std::vector<he::Ciphertext> results(count);
            product = cpu_seconds_of([&] {
                for (std::size_t r = 0; r < count; ++r)
                    for (const he::NttPlaintext& w : prepared) server.multiply_accumulate(results[r], cts[r], w);
            });
            respond = cpu_seconds_of([&] { server.send_outputs(results, positions, pair.server(), session.server_prng); });
        },
        [&] {
            encrypt = cpu_seconds_of([&] { client.send_inputs(inputs, drop, pair.client(), session.client_prng); });
            decrypt = cpu_seconds_of([&] { client.receive_outputs(positions, pair.client()); });
        });
    const auto per = [](double seconds, std::size_t units) { return seconds / static_cast<double>(units); };
    out.add(UnitKey::he_op(UnitKind::kHeEncryption, set), per(encrypt, count));
    out.add(UnitKey::he_op(UnitKind::kHeDecryption, set), per(decrypt, count));
    out.add(UnitKey::he_op(UnitKind::kHeInputLift, set), per(lift, count));
    out.add(UnitKey::he_op(UnitKind::kHePlainPrepare, set), per(prepare, sizes.he_products));
    out.add(UnitKey::he_op(UnitKind::kHeProduct, set), per(product, weights * count));
    out.add(UnitKey::he_op(UnitKind::kHeResponse, set), per(respond, count));
}

Probe he_set_probe(PartyPair& pair, HeSet set, const Sizes& sizes) {
    return {"HE " + std::string(protocol::he_set_name(set)), [&pair, set, sizes](Samples& out) {
                HePair session;
                out.add(UnitKey::he_op(UnitKind::kHeKeygen, set), session.setup(pair, engine::HomConfig::of(set)));
                round_trip(pair, session, set, sizes, out);
            }};
}

// The plan counts a secure-set response and its flooding apart. This round's flooded
// response (the secure probe runs just before this one) splits into a response without
// flooding at the same N and what flooding adds, paired in the round so the load of the
// moment cancels.
Probe flooding_probe(PartyPair& pair, const Sizes& sizes) {
    return {"HE secure unflooded", [&pair, sizes](Samples& out) {
                std::vector<double>& responses = out.seconds[UnitKey::he_op(UnitKind::kHeResponse, HeSet::kSecure)];
                if (responses.empty()) return;
                const double flooded = responses.back();
                HePair session;
                const engine::HomConfig config{he::HeParams::n8192(), engine::ResponseProtection::kRerandomizeOnly};
                session.setup(pair, config);
                Samples unflooded;
                round_trip(pair, session, HeSet::kSecure, sizes, unflooded);
                const double plain = unflooded.seconds[UnitKey::he_op(UnitKind::kHeResponse, HeSet::kSecure)].front();
                responses.back() = std::min(plain, flooded);
                out.add(UnitKey::he_op(UnitKind::kHeFlooding, HeSet::kSecure), std::max(0.0, flooded - plain));
            }};
}

}  // namespace

std::vector<Probe> he_probes(PartyPair& pair, const Sizes& sizes) {
    return {he_set_probe(pair, HeSet::kCheetah, sizes), he_set_probe(pair, HeSet::kSecure, sizes),
            flooding_probe(pair, sizes)};
}

}  // namespace snnipred::calibrate::detail
