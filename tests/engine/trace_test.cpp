// Trace spans over a loopback channel pair: traffic, rounds, setup vs online sums, export.
#include "snnipred/engine/trace.h"

#include <chrono>
#include <future>
#include <thread>

#include <gtest/gtest.h>

namespace snnipred::engine {
namespace {

std::pair<net::Channel, net::Channel> loopback() {
    net::Listener listener("127.0.0.1", 0);
    auto accepted = std::async(std::launch::async, [&] { return listener.accept(); });
    net::Channel client = net::Channel::connect("127.0.0.1", listener.port());
    return {accepted.get(), std::move(client)};
}

TEST(Trace, SpanRecordsTrafficTimeAndRoundsOfItsChannel) {
    auto [server, client] = loopback();
    Trace trace(Party::kClient);
    trace.bind(client);
    const std::vector<std::uint8_t> message(1000, 7);
    auto echo = std::async(std::launch::async, [&, &server = server] {
        server.recv();
        server.send(std::span(message).first(10));
        server.flush();
    });
    {
        auto setup = trace.setup_span(protocol::StepKind::kHandshake);
    }
    {
        auto span = trace.span("conv1", "conv", protocol::StepKind::kConv);
        client.send(message);
        client.recv();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    echo.get();
    ASSERT_EQ(trace.records().size(), 2u);
    const SpanRecord& r = trace.records()[1];
    EXPECT_EQ(r.layer, "conv1");
    EXPECT_FALSE(r.setup);
    EXPECT_EQ(r.comm.bytes_sent, 1000u);
    EXPECT_EQ(r.comm.bytes_received, 10u);
    EXPECT_EQ(r.comm.rounds, 1u);
    EXPECT_GE(r.wall_seconds, 0.005);
    EXPECT_LT(r.cpu_seconds, r.wall_seconds);  // the sleep costs no CPU
    EXPECT_EQ(trace.total(true).spans, 1u);
    EXPECT_EQ(trace.total(false).comm.bytes_sent, 1000u);
    const auto sums = trace.by_type_and_step();
    ASSERT_EQ(sums.size(), 1u);
    EXPECT_EQ(sums[0].first, (std::pair<std::string, protocol::StepKind>{"conv", protocol::StepKind::kConv}));
}

TEST(Trace, ExportsCsvAndJsonThatReadsBack) {
    Trace trace(Party::kServer);
    trace.append({"a,b", "conv", protocol::StepKind::kTruncate, false, 0.5, 0.25, {1, 2, 3, 4, 5}, {}});
    trace.append({"", "", protocol::StepKind::kBaseOt, true, 1.0, 0.5, {}, {}});
    const std::string csv = traces_to_csv({&trace});
    EXPECT_NE(csv.find("server,online,\"a,b\",conv,trunc,0.5,0.25,1,2,3,4,5\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find("server,setup,,,base_ot,"), std::string::npos) << csv;
    const Trace back = trace_from_json(traces_to_json({&trace}), Party::kServer);
    ASSERT_EQ(back.records().size(), 2u);
    EXPECT_EQ(back.records()[0].layer, "a,b");
    EXPECT_EQ(back.records()[0].comm, trace.records()[0].comm);
    EXPECT_TRUE(back.records()[1].setup);
    EXPECT_TRUE(trace_from_json(traces_to_json({&trace}), Party::kClient).records().empty());
    EXPECT_THROW(trace_from_json("{\"spans\": [{}]}", Party::kServer), InvalidInput);
}

}  // namespace
}  // namespace snnipred::engine
