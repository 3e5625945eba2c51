// Bundles holding an LSTM next to the per-layer methods (bundle.h, bundle_recipe.cpp).
#include <cstdio>

#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "snnipred/predict/bundle.h"
#include "support/bundle_expect.h"
#include "support/expect_error.h"
#include "support/synthetic_networks.h"

namespace snnipred::predict {
namespace {

const std::string kLan = std::string(SNNIPRED_SHARED_DIR) + "/data/cheetah-sec24/LAN";

const Dataset& fc_records() {
    static const Dataset data{read_cheetah_file(kLan + "/FC_onlyTime_client.csv", "LAN")};
    return data;
}

const std::vector<NetworkSample>& network_samples() {
    static const std::vector<NetworkSample> samples = test_support::synthetic_samples(31, 8, 1, 3);
    return samples;
}

BundleRecipe all_methods() {
    BundleRecipe recipe;
    recipe.methods = {Method::kAnalytical, Method::kLstm};
    recipe.lstm.trials = 1;
    recipe.lstm.max_epochs = 3;
    recipe.lstm.seed = 9;
    return recipe;
}

const Bundle& lstm_bundle() {
    static const Bundle bundle =
        train_bundle(BundleTrainingData{&fc_records(), "fc.csv", network_samples(), "nets.jsonl", "snnipred"},
                     all_methods());
    return bundle;
}

TEST(BundleLstm, RoundTripKeepsModelsBackendAndRecipe) {
    const Bundle& original = lstm_bundle();
    const Bundle loaded = parse_bundle(serialize_bundle(original), "l.bundle");
    EXPECT_EQ(loaded.manifest.backend, "snnipred");
    EXPECT_EQ(loaded.lstm_predictor().backend(), "snnipred");
    EXPECT_EQ(loaded.manifest.recipe.lstm.seed, 9u);
    EXPECT_EQ(loaded.manifest.recipe.lstm.max_epochs, 3);
    EXPECT_EQ(loaded.manifest.training.network_samples, network_samples().size());
    EXPECT_EQ(loaded.manifest.training.network_source, "nets.jsonl");
    test_support::expect_same_lstm_predictions(original, loaded, network_samples());
    EXPECT_EQ(serialize_bundle(loaded), serialize_bundle(original));
    EXPECT_THROW(loaded.predictor(Method::kLstm), InvalidInput);
}

TEST(BundleLstm, CorruptLstmSectionIsRejected) {
    std::string bytes = serialize_bundle(lstm_bundle());
    const std::size_t weights = bytes.find("\"w_hidden\":[[");
    ASSERT_NE(weights, std::string::npos);
    bytes[weights + 13] = 'x';
    try {
        parse_bundle(bytes, "c.bundle");
        FAIL() << "a corrupt lstm section parsed";
    } catch (const InvalidInput& error) {
        EXPECT_NE(std::string(error.what()).find("checksum mismatch in section 'lstm:LAN'"), std::string::npos)
            << error.what();
    }
}

// `bytes` with the body of `section` replaced and its header (length, FNV-1a) recomputed,
// so that only the model parser can notice what is wrong.
std::string replace_section(const std::string& bytes, const std::string& section, const std::string& body) {
    const std::size_t header = bytes.find("\n" + section + " ") + 1;
    const std::size_t header_end = bytes.find('\n', header);
    const std::size_t old_length = std::stoull(bytes.substr(header + section.size() + 1));
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (unsigned char c : body) hash = (hash ^ c) * 0x100000001b3ULL;
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    return bytes.substr(0, header) + section + " " + std::to_string(body.size()) + " " + hex + "\n" + body +
           bytes.substr(header_end + 1 + old_length);
}

TEST(BundleLstm, InconsistentLstmModelIsRejected) {
    const std::string bytes = serialize_bundle(lstm_bundle());
    std::string model = lstm_bundle().lstm_predictor().models().at("LAN").front().save();
    model.replace(model.find("\"head\":\"step-sum\""), 17, "\"head\":\"last-state\"");
    try {
        parse_bundle(replace_section(bytes, "lstm:LAN", model), "c.bundle");
        FAIL() << "an inconsistent lstm model parsed";
    } catch (const InvalidInput& error) {
        EXPECT_NE(std::string(error.what()).find("c.bundle [lstm:LAN]: invalid LSTM model"), std::string::npos)
            << error.what();
    }
    EXPECT_NO_THROW(parse_bundle(replace_section(bytes, "lstm:LAN", lstm_bundle().lstm_predictor().models().at("LAN").front().save()), "ok.bundle"));
}

TEST(BundleLstm, LstmWithoutNetworkSamplesIsAClearError) {
    test_support::expect_error_containing<InvalidInput>([] { train_bundle(fc_records(), all_methods(), "fc.csv"); },
                                                        "lstm needs whole-network samples");
    BundleRecipe recipe = all_methods();
    test_support::expect_error_containing<InvalidInput>(
        [&] { train_bundle(BundleTrainingData{&fc_records(), "", network_samples(), "", "tpu"}, recipe); }, "tpu");
}

TEST(BundleLstm, PerLayerBundlesHaveNoLstm) {
    BundleRecipe recipe;
    const Bundle analytical = parse_bundle(serialize_bundle(train_bundle(fc_records(), recipe, "fc.csv")), "a.bundle");
    test_support::expect_error_containing<InvalidInput>([&] { analytical.lstm_predictor(); }, "no lstm models");
}

}  // namespace
}  // namespace snnipred::predict
