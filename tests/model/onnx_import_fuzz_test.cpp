// Seeded mutation fuzzing of the ONNX importer (support/mutation_fuzz.h): a small model with
// every initializer and torchvision's SqueezeNet 1.1, damaged at random, must import or end
// in a snnipred::Error. Mutations favour SqueezeNet's node list (its first 40 KB) and its
// graph inputs and outputs (its last 2 KB): the bulk of the file is weight bytes the importer
// skips.
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

#include "onnx_weights_model.h"
#include "snnipred/model/onnx_import.h"
#include "support/mutation_fuzz.h"

namespace snnipred {
namespace {

std::string read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

TEST(OnnxImportFuzz, MutatedModelsImportOrFailCleanly) {
    const std::string small = ::testing::TempDir() + "snnipred_onnx_fuzz.onnx";
    test_support::write_weights_model(small);
    const std::vector<std::string> seeds{read_bytes(small),
                                         read_bytes(std::string(SNNIPRED_SHARED_DIR) + "/models/squeezenet1_1.onnx")};
    ASSERT_GT(seeds[1].size(), 100'000u);
    const auto stats = test_support::fuzz(
        "onnx", seeds, [](const std::string& bytes) { import_onnx_bytes(bytes, "fuzz.onnx"); },
        [](test_support::Mutator& mutate, const std::string& seed) {
            if (seed.size() < 100'000 || mutate.below(2) == 0) return mutate(seed);
            // Mutate the head or the tail of the large model, keep its middle.
            const std::size_t head = 40'000, tail = 2'000;
            if (mutate.below(2) == 0) return mutate(seed.substr(0, head)) + seed.substr(head);
            return seed.substr(0, seed.size() - tail) + mutate(seed.substr(seed.size() - tail));
        });
    EXPECT_EQ(stats.failures, 0u);
    EXPECT_GT(stats.rejected, 0u);
}

}  // namespace
}  // namespace snnipred
