// `snnipred serve --tls` and `snnipred infer --tls-ca` as two processes: the same output as
// plain TCP, a wrong CA refused, client certificates when the server asks, and a relay that
// flips a bit ending both sides with a TLS error instead of a wrong answer.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "server_process.h"
#include "support/flipping_relay.h"
#include "support/tls_files.h"

namespace {

using snnipred::testing::run_snnipred;
using snnipred::testing::ServerProcess;
using snnipred::test_support::TlsFiles;

const TlsFiles& server_files() { return snnipred::test_support::test_certificate("serve"); }
const TlsFiles& client_files() { return snnipred::test_support::test_certificate("infer"); }

std::string serve_tls() { return " --tls " + server_files().certificate + " " + server_files().key; }
std::string infer_tls() { return " --tls-ca " + server_files().certificate; }

nlohmann::json infer_json(const std::string& endpoint, const std::string& flags) {
    const auto result =
        run_snnipred("infer zoo:lenet5 --he cheetah --seed 5 --json --connect " + endpoint + flags, false);
    EXPECT_EQ(result.status, 0) << result.out;
    return result.status == 0 ? nlohmann::json::parse(result.out) : nlohmann::json{};
}

TEST(ServeInferTls, SameOutputAsPlainTcp) {
    ServerProcess plain("zoo:lenet5 --he cheetah --once");
    const nlohmann::json expected = infer_json(plain.endpoint(), "");
    EXPECT_EQ(plain.finish(), 0) << plain.output();
    ServerProcess tls("zoo:lenet5 --he cheetah --once" + serve_tls());
    const nlohmann::json doc = infer_json(tls.endpoint(), infer_tls());
    EXPECT_EQ(tls.finish(), 0) << tls.output();
    EXPECT_NE(tls.output().find("transport: TLS 1.3"), std::string::npos) << tls.output();
    ASSERT_FALSE(doc.empty());
    EXPECT_EQ(doc["output"], expected["output"]);
    EXPECT_EQ(doc["transport"]["kind"], "TLS 1.3");
    EXPECT_EQ(expected["transport"]["kind"], "plain TCP (not encrypted)");
    EXPECT_EQ(doc["parties"]["client"]["online"]["bytes_sent"], expected["parties"]["client"]["online"]["bytes_sent"]);
    EXPECT_GT(doc["transport"]["wire_bytes_sent"], expected["transport"]["wire_bytes_sent"]);
}

TEST(ServeInferTls, WrongCaIsRefused) {
    ServerProcess server("zoo:lenet5 --he cheetah --once" + serve_tls());
    const auto result = run_snnipred("infer zoo:lenet5 --he cheetah --connect " + server.endpoint() + " --tls-ca " +
                                     client_files().certificate);
    EXPECT_EQ(result.status, 1) << result.out;
    EXPECT_NE(result.out.find("snnipred: error: TLS: in the TLS handshake: certificate verify failed"),
              std::string::npos)
        << result.out;
    EXPECT_EQ(server.finish(), 1) << server.output();
}

TEST(ServeInferTls, ClientCertificatesWhenTheServerAsks) {
    ServerProcess server("zoo:lenet5 --he cheetah --once" + serve_tls() + " --tls-client-ca " +
                         client_files().certificate);
    const nlohmann::json doc = infer_json(
        server.endpoint(), infer_tls() + " --tls-cert " + client_files().certificate + " " + client_files().key);
    EXPECT_EQ(doc["output"].size(), 10u);
    EXPECT_EQ(server.finish(), 0) << server.output();
    EXPECT_NE(server.output().find("client certificates required"), std::string::npos) << server.output();
}

TEST(ServeInferTls, FlippedBitOnThePathEndsBothWithATlsError) {
    ServerProcess server("zoo:lenet5 --he cheetah --once --timeout 20" + serve_tls());
    // Past the client's handshake and into its HE public key (about 100 KB).
    snnipred::test_support::FlippingRelay relay(static_cast<std::uint16_t>(server.port()), 20'000);
    const auto result = run_snnipred("infer zoo:lenet5 --he cheetah --connect 127.0.0.1:" +
                                     std::to_string(relay.port()) + infer_tls());
    EXPECT_EQ(result.status, 1) << result.out;
    EXPECT_EQ(result.out.find("argmax"), std::string::npos) << result.out;
    EXPECT_EQ(server.finish(), 1) << server.output();
    EXPECT_NE(server.output().find("decryption failed or bad record mac"), std::string::npos) << server.output();
    EXPECT_TRUE(relay.flipped());
}

TEST(ServeInferTls, FlagsNeedTheirPartners) {
    const auto result = run_snnipred("serve zoo:lenet5 --listen 127.0.0.1:0 --tls-client-ca x.pem");
    EXPECT_EQ(result.status, 1) << result.out;
    EXPECT_EQ(result.out, "snnipred: error: --tls-client-ca needs --tls CERT KEY\n");
    const auto missing = run_snnipred("infer zoo:lenet5 --connect 127.0.0.1:9 --tls-ca /nonexistent/ca.pem");
    EXPECT_EQ(missing.status, 1) << missing.out;
    EXPECT_NE(missing.out.find("--tls-ca / --tls-cert: TLS CA /nonexistent/ca.pem: "), std::string::npos)
        << missing.out;
}

}  // namespace
