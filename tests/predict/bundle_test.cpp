#include "snnipred/predict/bundle.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "snnipred/core/error.h"
#include "support/bundle_sections.h"
#include "support/expect_error.h"
#include "support/machine_profiles.h"
#include "support/scoped_env.h"
#include "support/scoped_temp_dir.h"

namespace snnipred::predict {
namespace {

const std::string kLan = std::string(SNNIPRED_SHARED_DIR) + "/data/cheetah-sec24/LAN";

// LAN fc for both parties plus bn (two variants, so the MLP one-hot path is saved too).
Dataset small_dataset() {
    Dataset data;
    for (const char* file : {"FC_onlyTime_client.csv", "FC_onlyTime_server.csv", "BN1_onlyTime_client.csv",
                             "BN2_onlyTime_3D_client.csv"}) {
        const auto records = read_cheetah_file(kLan + "/" + file, "LAN");
        data.records.insert(data.records.end(), records.begin(), records.end());
    }
    return data;
}

BundleRecipe both_methods() {
    BundleRecipe recipe;
    recipe.methods = {Method::kAnalytical, Method::kNn};
    recipe.analytical.features = FeatureSet::kProtocol;
    recipe.mlp.trials = 1;
    recipe.mlp.seed = 7;
    return recipe;
}

// Trained once: MLP tuning is the slow part of these tests.
const Bundle& trained_bundle() {
    static const Bundle bundle = train_bundle(small_dataset(), both_methods(), kLan);
    return bundle;
}

const std::string& bundle_bytes() {
    static const std::string bytes = serialize_bundle(trained_bundle());
    return bytes;
}

// The InvalidInput message of parsing `bytes`, or "" if it parsed.
std::string parse_error(const std::string& bytes) {
    try {
        parse_bundle(bytes, "test.bundle");
    } catch (const InvalidInput& error) {
        return error.what();
    }
    return "";
}

TEST(Bundle, RoundTripGivesIdenticalPredictions) {
    const Dataset data = small_dataset();
    const Bundle& original = trained_bundle();
    const auto path = std::filesystem::temp_directory_path() / "snnipred_bundle_test.bundle";
    save_bundle(original, path);
    const Bundle loaded = load_bundle(path);

    EXPECT_EQ(loaded.manifest.backend, "cheetah");
    EXPECT_EQ(loaded.manifest.settings, std::vector<std::string>{"LAN"});
    EXPECT_EQ(loaded.manifest.created, original.manifest.created);
    EXPECT_EQ(loaded.manifest.training.rows, data.size());
    EXPECT_EQ(loaded.manifest.training.groups.size(), 3u);  // fc client, fc server, bn client
    EXPECT_EQ(loaded.manifest.recipe.mlp.seed, 7u);
    EXPECT_EQ(loaded.manifest.recipe.analytical.features, FeatureSet::kProtocol);
    for (Method method : {Method::kAnalytical, Method::kNn}) {
        const Predictor& a = original.predictor(method);
        const Predictor& b = loaded.predictor(method);
        EXPECT_EQ(a.name(), b.name());
        for (const LayerRecord& r : data.records) ASSERT_EQ(a.predict(r), b.predict(r)) << method_name(method);
    }
    EXPECT_EQ(serialize_bundle(loaded), bundle_bytes());
}

// `bytes` with the manifest's recipe as bundles wrote it before nn.target and lstm.base
// existed.
std::string without_target_and_base(const std::string& bytes) {
    return test_support::with_edited_section(bytes, "manifest", [](nlohmann::json& manifest) {
        manifest["recipe"]["nn"].erase("target");
        manifest["recipe"]["lstm"].erase("base");
    });
}

TEST(Bundle, RecipesFromBeforeResidualLearningLearnTheTime) {
    const std::string old_bytes = without_target_and_base(bundle_bytes());
    ASSERT_EQ(old_bytes.find("\"target\""), std::string::npos);
    const Bundle old = parse_bundle(old_bytes, "old.bundle");
    EXPECT_EQ(old.manifest.recipe.mlp.target, MlpTarget::kTime);
    EXPECT_EQ(old.manifest.recipe.lstm.base, LstmBase::kNone);
    EXPECT_EQ(old.mlp->base(), nullptr);
    for (const LayerRecord& r : small_dataset().records)
        ASSERT_EQ(old.predictor(Method::kNn).predict(r), trained_bundle().predictor(Method::kNn).predict(r));
}

TEST(Bundle, RecordsTheProfiledOtExtensionAndReadsOlderBundlesAsIknp) {
    EXPECT_EQ(bundle_bytes().find("\"ot\""), std::string::npos);  // cheetah backend: no engine OT
    EXPECT_EQ(parse_bundle(bundle_bytes(), "old.bundle").manifest.ot, protocol::OtExtension::kIknp);
    const auto with_ot = [](const std::string& ot) {
        return test_support::with_edited_section(bundle_bytes(), "manifest", [&](nlohmann::json& manifest) {
            manifest["backend"] = "snnipred";
            manifest["ot"] = ot;
        });
    };
    const Bundle ferret = parse_bundle(with_ot("ferret"), "ferret.bundle");
    EXPECT_EQ(ferret.manifest.ot, protocol::OtExtension::kFerret);
    EXPECT_NE(serialize_bundle(ferret).find("\"ot\": \"ferret\""), std::string::npos);
    EXPECT_NE(parse_error(with_ot("pigeon")).find("pigeon"), std::string::npos);
}

TEST(Bundle, KeepsItsProfilingMachinesProfileAndRejectsACorruptOne) {
    Bundle bundle = parse_bundle(bundle_bytes(), "test.bundle");
    EXPECT_FALSE(bundle.profiled_machine.has_value());
    bundle.profiled_machine = test_support::distinct_profile();
    const std::string bytes = serialize_bundle(bundle);
    EXPECT_EQ(test_support::section_names(bytes).back(), "machine");
    const Bundle loaded = parse_bundle(bytes, "test.bundle");
    ASSERT_TRUE(loaded.profiled_machine.has_value());
    EXPECT_EQ(loaded.profiled_machine->cpu_model, "test CPU");
    ASSERT_EQ(loaded.profiled_machine->costs.size(), bundle.profiled_machine->costs.size());
    for (const auto& [key, cost] : bundle.profiled_machine->costs)
        EXPECT_EQ(loaded.profiled_machine->seconds(key), cost.seconds) << machine::unit_key_name(key);
    const std::string corrupt = test_support::with_edited_section(
        bytes, "machine", [](nlohmann::json& profile) { profile["unit_costs"].erase(profile["unit_costs"].begin()); });
    const std::string error = parse_error(corrupt);
    EXPECT_NE(error.find("test.bundle [machine]"), std::string::npos) << error;
}

TEST(Bundle, MissingMethodIsAClearError) {
    BundleRecipe recipe;
    recipe.methods = {Method::kAnalytical};
    const Bundle analytical_only = parse_bundle(serialize_bundle(train_bundle(small_dataset(), recipe, kLan)), "a.bundle");
    EXPECT_THROW(analytical_only.predictor(Method::kNn), InvalidInput);
    EXPECT_NO_THROW(analytical_only.predictor(Method::kAnalytical));
}

TEST(Bundle, TruncatedFilesAreRejected) {
    const std::string& bytes = bundle_bytes();
    for (std::size_t cut : {std::size_t{0}, std::size_t{10}, std::size_t{40}, bytes.size() / 3, bytes.size() / 2,
                            bytes.size() - 40, bytes.size() - 1}) {
        const std::string message = parse_error(bytes.substr(0, cut));
        EXPECT_NE(message.find("test.bundle: "), std::string::npos) << cut << ": " << message;
        if (cut > 20)
            EXPECT_NE(message.find("truncated"), std::string::npos) << cut << ": " << message;
    }
}

TEST(Bundle, FlippedBytesAreRejected) {
    const std::string& bytes = bundle_bytes();
    // Every byte of the first lines (magic, manifest header) and a spread over the rest.
    std::vector<std::size_t> positions;
    for (std::size_t i = 0; i < 80; ++i) positions.push_back(i);
    for (std::size_t i = 80; i < bytes.size(); i += bytes.size() / 300) positions.push_back(i);
    positions.push_back(bytes.size() - 2);
    for (std::size_t i : positions) {
        std::string corrupt = bytes;
        corrupt[i] = static_cast<char>(corrupt[i] ^ 0x04);
        const std::string message = parse_error(corrupt);
        EXPECT_NE(message.find("test.bundle: "), std::string::npos) << "byte " << i << ": " << message;
    }
    std::string body_flip = bytes;
    body_flip[bytes.size() / 2] = static_cast<char>(body_flip[bytes.size() / 2] ^ 0x01);
    EXPECT_NE(parse_error(body_flip).find("checksum mismatch"), std::string::npos) << parse_error(body_flip);
}

TEST(Bundle, WrongMagicIsRejected) {
    std::string bytes = bundle_bytes();
    bytes.replace(0, 8, "PK\x03\x04junk");
    EXPECT_NE(parse_error(bytes).find("not a snnipred predictor bundle"), std::string::npos) << parse_error(bytes);
    EXPECT_NE(parse_error("").find("not a snnipred predictor bundle"), std::string::npos);
}

TEST(Bundle, FutureVersionIsRejected) {
    std::string bytes = bundle_bytes();
    bytes.replace(0, bytes.find('\n'), "SNNIPRED-BUNDLE 2");
    const std::string message = parse_error(bytes);
    EXPECT_NE(message.find("format version 2 is not supported"), std::string::npos) << message;
}

TEST(Bundle, GzipBundlesRoundTripAndCorruptOnesAreRejected) {
    const auto path = std::filesystem::temp_directory_path() / "snnipred_bundle_test.bundle.gz";
    save_bundle(trained_bundle(), path);
    std::string compressed;
    {
        std::ifstream in(path, std::ios::binary);
        compressed.assign(std::istreambuf_iterator<char>(in), {});
    }
    ASSERT_GE(compressed.size(), 2u);
    EXPECT_EQ(static_cast<unsigned char>(compressed[0]), 0x1f);  // gzip magic
    EXPECT_EQ(serialize_bundle(load_bundle(path)), bundle_bytes());

    const auto write = [&](const std::string& bytes) {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << bytes;
    };
    write(compressed.substr(0, compressed.size() / 2));
    test_support::expect_error_containing<InvalidInput>([&] { load_bundle(path); }, "truncated gzip bundle");
    std::string flipped = compressed;
    flipped[compressed.size() / 3] = static_cast<char>(flipped[compressed.size() / 3] ^ 0x5a);
    write(flipped);
    test_support::expect_error_containing<InvalidInput>([&] { load_bundle(path); }, path.string());
    std::filesystem::remove(path);
}

TEST(Bundle, MissingFileNamesThePath) {
    test_support::expect_error_containing<InvalidInput>([] { load_bundle("/nonexistent/x.bundle"); },
                                                        "/nonexistent/x.bundle");
}

// The bundled predictor follows the OT extension asked: Ferret's where a directory holds it
// (the first directory holding it wins), else IKNP's default; $SNNIPRED_PREDICTOR overrides both.
TEST(Bundle, DefaultBundleFollowsTheOtExtension) {
    const test_support::ScopedEnv no_override("SNNIPRED_PREDICTOR", nullptr);
    const test_support::ScopedTempDir dir("default-bundle");
    const std::filesystem::path first = dir.path() / "first", second = dir.path() / "second";
    std::filesystem::create_directories(first);
    std::filesystem::create_directories(second);
    auto touch = [](const std::filesystem::path& file) { std::ofstream(file) << "x"; };
    touch(first / kDefaultBundleName);
    const std::vector<std::filesystem::path> dirs{first, second};
    EXPECT_EQ(default_bundle_path(dirs, protocol::OtExtension::kIknp), first / kDefaultBundleName);
    EXPECT_EQ(default_bundle_path(dirs, protocol::OtExtension::kFerret), first / kDefaultBundleName);
    touch(second / kFerretBundleName);
    EXPECT_EQ(default_bundle_path(dirs, protocol::OtExtension::kFerret), second / kFerretBundleName);
    EXPECT_EQ(default_bundle_path(dirs, protocol::OtExtension::kIknp), first / kDefaultBundleName);
    {
        const test_support::ScopedEnv given("SNNIPRED_PREDICTOR", "/elsewhere/p.bundle");
        EXPECT_EQ(default_bundle_path(dirs, protocol::OtExtension::kFerret), "/elsewhere/p.bundle");
    }
    std::filesystem::remove(first / kDefaultBundleName);
    std::filesystem::remove(second / kFerretBundleName);
    test_support::expect_error_containing<InvalidInput>(
        [&] { default_bundle_path(dirs, protocol::OtExtension::kFerret); }, "SNNIPRED_PREDICTOR");
}

TEST(Bundle, ParseMethods) {
    EXPECT_EQ(parse_methods("analytical,nn"), (std::vector<Method>{Method::kAnalytical, Method::kNn}));
    EXPECT_EQ(parse_methods("lstm,nn"), (std::vector<Method>{Method::kLstm, Method::kNn}));
    EXPECT_THROW(parse_methods("analytical,rnn"), InvalidInput);
    EXPECT_THROW(parse_methods("nn,nn"), InvalidInput);
    EXPECT_THROW(parse_methods(""), InvalidInput);
}

}  // namespace
}  // namespace snnipred::predict
