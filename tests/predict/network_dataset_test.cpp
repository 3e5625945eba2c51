#include "snnipred/predict/network_dataset.h"

#include <filesystem>
#include <fstream>
#include <random>

#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "support/expect_error.h"
#include "support/synthetic_networks.h"

namespace snnipred::predict {
namespace {

std::filesystem::path temp_file(const std::string& name) {
    return std::filesystem::temp_directory_path() / ("snnipred-" + std::to_string(::getpid()) + "-" + name);
}

std::filesystem::path write_text(const std::string& name, const std::string& text) {
    const auto path = temp_file(name);
    std::ofstream(path) << text;
    return path;
}

// A valid sample line whose fields can be replaced.
std::string line(const std::string& client_ms = "12.5", const std::string& network = "") {
    const std::string net = network.empty()
                                ? R"({"format":"snnipred-network","version":1,"name":"tiny","input":{"name":"input","shape":[1,4,4]},"layers":[{"name":"r","type":"relu","inputs":["input"]}]})"
                                : network;
    return R"({"name":"tiny","setting":"LAN","run":"1","client_ms":)" + client_ms + R"(,"server_ms":13.0,"network":)" + net + "}";
}

TEST(NetworkDataset, RoundTripKeepsEverySample) {
    const std::vector<NetworkSample> samples = test_support::synthetic_samples(3, 4, 1, 3);
    const auto path = temp_file("round-trip.jsonl");
    write_network_samples(path, samples);
    const std::vector<NetworkSample> read = read_network_samples(path);
    ASSERT_EQ(read.size(), samples.size());
    for (std::size_t i = 0; i < read.size(); ++i) {
        EXPECT_EQ(read[i].name, samples[i].name);
        EXPECT_EQ(read[i].setting, samples[i].setting);
        EXPECT_EQ(read[i].run, samples[i].run);
        EXPECT_EQ(read[i].client_ms, samples[i].client_ms);
        EXPECT_EQ(read[i].server_ms, samples[i].server_ms);
        EXPECT_EQ(read[i].network, samples[i].network);
    }
    std::filesystem::remove(path);
}

TEST(NetworkDataset, SkipsBlankAndCommentLines) {
    const auto path = write_text("comments.jsonl", "# header\n\n" + line() + "\n   \n");
    EXPECT_EQ(read_network_samples(path).size(), 1u);
    std::filesystem::remove(path);
}

TEST(NetworkDataset, ErrorsNameFileAndLine) {
    const struct {
        std::string text;
        std::string fragment;
    } cases[] = {
        {line() + "\n{not json\n", ":2:"},
        {"# c\n" + line("-1") + "\n", ":2: client_ms must be a finite time >= 0"},
        {R"({"name":"x","setting":"LAN","client_ms":1,"server_ms":1})" "\n", ":1:"},
        {line("1", R"({"format":"snnipred-network","version":1,"name":"bad","input":{"name":"input","shape":[1,4,4]},"layers":[{"name":"r","type":"relu","inputs":["nope"]}]})") + "\n", ":1:"},
    };
    for (const auto& c : cases) {
        const auto path = write_text("bad.jsonl", c.text);
        test_support::expect_error_containing<InvalidInput>([&] { read_network_samples(path); },
                                                            path.string() + c.fragment);
        std::filesystem::remove(path);
    }
}

TEST(NetworkDataset, EmptyOrMissingFileIsAnError) {
    const auto empty = write_text("empty.jsonl", "# nothing\n");
    test_support::expect_error_containing<InvalidInput>([&] { read_network_samples(empty); }, "no network samples");
    std::filesystem::remove(empty);
    EXPECT_THROW(read_network_samples(temp_file("missing.jsonl")), InvalidInput);
}

}  // namespace
}  // namespace snnipred::predict
