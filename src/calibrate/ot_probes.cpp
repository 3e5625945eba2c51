#include <algorithm>
#include <array>
#include <memory>
#include <cstdint>
#include <vector>

#include <fmt/core.h>

#include "probes.h"
#include "snnipred/core/error.h"
#include "snnipred/crypto/ot/ferret.h"
#include "snnipred/crypto/ot/iknp.h"
#include "snnipred/engine/nonlinear.h"
#include "snnipred/engine/ot_session.h"

namespace snnipred::calibrate::detail {
namespace {

namespace ot = crypto::ot;
using machine::UnitKey;
using machine::UnitKind;
using protocol::OtExtension;

// Both extensions of one kind, server sending, set up once and kept across rounds.
struct CotPair {
    std::unique_ptr<ot::CotSender> sender;
    std::unique_ptr<ot::CotReceiver> receiver;
    ot::Prg server_prg, client_prg;
};

// COT and its flavours, as the engine's OtSession holds them (server and client sessions).
struct SessionPair {
    ot::Prg server_prg, client_prg;
    engine::OtSession server, client;

    SessionPair(PartyPair& pair, OtExtension extension)
        : server(Party::kServer, pair.server(), server_prg, protocol::RingConfig{}, 1, extension),
          client(Party::kClient, pair.client(), client_prg, protocol::RingConfig{}, 1, extension) {}
};

// Both sessions of `extension`, set up (base OTs; Ferret: its bootstrap too).
std::shared_ptr<SessionPair> set_up_sessions(PartyPair& pair, OtExtension extension) {
    auto sessions = std::make_shared<SessionPair>(pair, extension);
    pair.run([&] { sessions->server.setup(); }, [&] { sessions->client.setup(); });
    return sessions;
}

// Each party's seconds per element of a ReLU over n fixed pseudo-random shares, raw: it
// includes every OT under it. The ANDs' own cost is what those leave (calibration.cpp
// subtracts them): the millionaires' leaves, tree and multiplexer are local work around the
// ANDs that no OT count covers.
PairCpu relu_per_element(PartyPair& pair, SessionPair& sessions, std::size_t n) {
    std::vector<std::uint64_t> server_share(n), client_share(n);
    for (std::size_t i = 0; i < n; ++i) {
        server_share[i] = (i * 0x9E3779B97F4A7C15ULL) & protocol::RingConfig{}.mask();
        client_share[i] = (i * 0xC2B2AE3D27D4EB4FULL) & protocol::RingConfig{}.mask();
    }
    const PairCpu cpu = pair.run([&] { engine::relu(sessions.server, server_share); },
                                 [&] { engine::relu(sessions.client, client_share); });
    return cpu.per(static_cast<double>(n));
}

std::shared_ptr<CotPair> make_cot_pair(PartyPair& pair, OtExtension extension) {
    auto cots = std::make_shared<CotPair>();
    if (extension == OtExtension::kIknp) {
        cots->sender = std::make_unique<ot::IknpSender>();
        cots->receiver = std::make_unique<ot::IknpReceiver>();
    } else {
        cots->sender = std::make_unique<ot::FerretSender>();
        cots->receiver = std::make_unique<ot::FerretReceiver>();
    }
    pair.run([&] { cots->sender->setup(pair.server(), cots->server_prg); },
             [&] { cots->receiver->setup(pair.client(), cots->client_prg); });
    return cots;
}

// Each party's seconds per COT of n random (or chosen) COTs, the server sending.
PairCpu time_cots(PartyPair& pair, CotPair& cots, std::size_t n, bool chosen) {
    std::vector<ot::Block> q(n), t(n);
    std::vector<std::uint8_t> bits(n, 1);
    const PairCpu cpu = pair.run(
        [&] {
            if (chosen) cots.sender->chosen_cot(pair.server(), cots.server_prg, q);
            else cots.sender->random_cot(pair.server(), cots.server_prg, q);
        },
        [&] {
            if (chosen) cots.receiver->chosen_cot(pair.client(), cots.client_prg, bits, t);
            else cots.receiver->random_cot(pair.client(), cots.client_prg, bits, t);
        });
    return cpu.per(static_cast<double>(n));
}

std::uint64_t ferret_iterations(const CotPair& cots) {
    return static_cast<const ot::FerretSender&>(*cots.sender).iterations();
}

Probe iknp_cots(PartyPair& pair, const Sizes& sizes) {
    auto cots = make_cot_pair(pair, OtExtension::kIknp);
    return {"IKNP COTs", [&pair, cots, sizes](Samples& out) {
                out.add(UnitKey::cot(UnitKind::kRandomCot, OtExtension::kIknp), time_cots(pair, *cots, sizes.cots, false));
                out.add(UnitKey::cot(UnitKind::kChosenCot, OtExtension::kIknp), time_cots(pair, *cots, sizes.cots, true));
            }};
}

// The lean protocols' ReLU (sign bits, bit-packed digits, triples from silent COTs) on
// warm Ferret sessions, raw like the classic one but with no refill inside: the plan counts
// a run's refills from its start and the model costs them apart, and subtracting them from
// the sample left the ANDs a small remainder of a large difference (0.66-1.37x between
// calibrations, docs/RESULTS.md 2026-12-07). Two runs of n in a row, where n takes at most
// half a buffer in each direction: whichever refills leaves enough for the other, so the
// first run without a refill is the sample.
PairCpu lean_relu_without_a_refill(PartyPair& pair, SessionPair& sessions, std::size_t n) {
    const auto refills = [&] { return sessions.server.sent_cot_refills() + sessions.client.sent_cot_refills(); };
    for (int run = 0; run < 2; ++run) {
        const std::uint64_t before = refills();
        const PairCpu per_element = relu_per_element(pair, sessions, n);
        if (refills() == before) return per_element;
    }
    throw Error(fmt::format("calibrate: two lean ReLU probes of {} values in a row both refilled Ferret's buffer; "
                            "the probe must take at most half of it",
                            n));
}

// Ferret serves COTs from its buffer and refills it with a main iteration when empty. A
// round serves a few COTs of each kind from the buffer, then asks for as many as one
// refill adds less those, so the buffer ends where it began and every round refills once;
// setup leaves it full, so half of it is drawn first (a full one would not refill).
// Then the lean ReLU, on sessions of its own.
Probe ferret_cots(PartyPair& pair, const Sizes& sizes) {
    auto cots = make_cot_pair(pair, OtExtension::kFerret);
    time_cots(pair, *cots, ot::FerretParams::standard().batch() / 2, false);
    auto sessions = set_up_sessions(pair, OtExtension::kFerret);
    return {"Ferret COTs, lean ReLU", [&pair, cots, sessions, sizes](Samples& out) {
                constexpr std::size_t kServed = 16384;
                const PairCpu random = time_cots(pair, *cots, kServed, false);
                const PairCpu chosen = time_cots(pair, *cots, kServed, true);
                const std::size_t refill_size = ot::FerretParams::standard().batch() - 2 * kServed;
                const std::uint64_t before = ferret_iterations(*cots);
                const PairCpu per_cot = time_cots(pair, *cots, refill_size, false);
                const auto refills = static_cast<double>(ferret_iterations(*cots) - before);
                out.add(UnitKey::cot(UnitKind::kRandomCot, OtExtension::kFerret), random);
                out.add(UnitKey::cot(UnitKind::kChosenCot, OtExtension::kFerret), chosen);
                const auto refill = [&](double served, double buffered) {
                    return std::max(0.0, served - buffered) * static_cast<double>(refill_size) / refills;
                };
                const PairCpu refill_cost = refills > 0 ? PairCpu{refill(per_cot.server, random.server),
                                                                  refill(per_cot.client, random.client)}
                                                          : PairCpu{};
                if (refills > 0) out.add(UnitKey::cot(UnitKind::kCotRefill, OtExtension::kFerret), refill_cost);
                out.add(UnitKey::lean_and_gate(), lean_relu_without_a_refill(pair, *sessions, sizes.lean_relus));
            }};
}

// OtSession::setup of both directions: IKNP's is its 2 × 128 base OTs (each party takes
// part in all 256); Ferret's is counted per direction.
Probe setups(PartyPair& pair) {
    return {"OT setups", [&pair](Samples& out) {
                for (const OtExtension extension : {OtExtension::kIknp, OtExtension::kFerret}) {
                    SessionPair sessions(pair, extension);
                    const double cpu =
                        pair.run([&] { sessions.server.setup(); }, [&] { sessions.client.setup(); }).per_party();
                    if (extension == OtExtension::kIknp) out.add(UnitKey::plain(UnitKind::kBaseOt), cpu / 256);
                    else out.add(UnitKey::cot(UnitKind::kFerretSetup, OtExtension::kFerret), cpu / 2);
                }
            }};
}

// The OT flavours and the classic protocols' ReLU on the engine's session (IKNP underneath),
// raw: each sample includes the COTs under it. The server is the OT sender, as in the
// engine's truncation and digits.
Probe flavours(PartyPair& pair, const Sizes& sizes) {
    auto sessions = set_up_sessions(pair, OtExtension::kIknp);
    return {"OT flavours", [&pair, sessions, sizes](Samples& out) {
                engine::OtSession& server = sessions->server;
                engine::OtSession& client = sessions->client;
                const std::size_t n = sizes.ots;
                {
                    std::vector<std::array<ot::Block, 2>> pads(n);
                    std::vector<std::uint8_t> bits(n);
                    std::vector<ot::Block> chosen(n);
                    const PairCpu cpu = pair.run(
                        [&] { server.sender().random_ot(server.channel(), server.prg(), pads); },
                        [&] { client.receiver().random_ot(client.channel(), client.prg(), bits, chosen); });
                    out.add(UnitKey::plain(UnitKind::kRandomOt), cpu.per(static_cast<double>(n)));
                }
                {
                    const int bits = protocol::RingConfig{}.bits;
                    std::vector<std::uint64_t> corr(n, 12345), x0(n), got(n);
                    std::vector<std::uint8_t> choices(n, 1);
                    const PairCpu cpu = pair.run(
                        [&] { server.sender().correlated_ot(server.channel(), server.prg(), corr, bits, x0); },
                        [&] {
                            client.receiver().correlated_ot(client.channel(), client.prg(), choices, bits, got);
                        });
                    out.add(UnitKey::plain(UnitKind::kCorrelatedOt), cpu.per(static_cast<double>(n)));
                }
                {
                    // The classic comparison's digits: 1-of-16 OTs of byte entries (protocol/comparison.h).
                    constexpr int kLogN = 4;
                    const std::size_t m = sizes.one_of_n;
                    std::vector<std::uint8_t> table(m << kLogN, 1), got(m);
                    std::vector<std::uint32_t> choices(m, 3);
                    const PairCpu cpu = pair.run(
                        [&] { server.sender().send_one_of_n(server.channel(), server.prg(), table, kLogN, 1); },
                        [&] {
                            client.receiver().receive_one_of_n(client.channel(), client.prg(), choices, kLogN, 1, got);
                        });
                    out.add(UnitKey::one_of_n(kLogN, 8), cpu.per(static_cast<double>(m)));
                }
                {
                    // The lean comparison's digits: 1-of-8 OTs of 2-bit entries, bit-packed.
                    constexpr crypto::ot::BitTableShape kShape{.log_n = 3, .entry_bits = 2};
                    const std::size_t m = sizes.one_of_n;
                    const std::vector<crypto::ot::BitTableShape> shapes(m, kShape);
                    std::vector<std::uint8_t> entries(m << kShape.log_n, 1), got(m);
                    std::vector<std::uint32_t> choices(m, 3);
                    const PairCpu cpu = pair.run(
                        [&] { server.sender().send_one_of_n_bits(server.channel(), server.prg(), shapes, entries); },
                        [&] {
                            client.receiver().receive_one_of_n_bits(client.channel(), client.prg(), shapes, choices,
                                                                    got);
                        });
                    out.add(UnitKey::one_of_n(kShape.log_n, kShape.entry_bits), cpu.per(static_cast<double>(m)));
                }
                out.add(UnitKey::plain(UnitKind::kAndGate), relu_per_element(pair, *sessions, sizes.relus));
            }};
}


}  // namespace

std::vector<Probe> ot_probes(PartyPair& pair, const Sizes& sizes) {
    std::vector<Probe> probes;
    probes.push_back(iknp_cots(pair, sizes));
    probes.push_back(ferret_cots(pair, sizes));
    probes.push_back(setups(pair));
    probes.push_back(flavours(pair, sizes));
    return probes;
}

}  // namespace snnipred::calibrate::detail
