#include "snnipred/machine/machine_profile_io.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "support/expect_error.h"
#include "support/machine_profiles.h"
#include "support/scoped_env.h"
#include "support/scoped_temp_dir.h"

namespace snnipred::machine {
namespace {

using test_support::expect_error_containing;

class ProfileFiles : public ::testing::Test {
protected:

    std::filesystem::path write(const std::string& name, const std::string& text) {
        const std::filesystem::path file = dir_ / name;
        std::ofstream(file) << text;
        return file;
    }
    // The distinct profile's JSON with one change made to it.
    template <typename Change>
    std::filesystem::path changed(Change&& change) {
        nlohmann::json json = profile_json(test_support::distinct_profile());
        change(json);
        return write("changed.json", json.dump());
    }

    test_support::ScopedTempDir temp_{"snnipred-machine"};
    const std::filesystem::path& dir_ = temp_.path();
};

TEST_F(ProfileFiles, WrittenProfileReadsBackEqual) {
    const MachineProfile profile = test_support::distinct_profile();
    const std::filesystem::path file = dir_ / "sub" / "machine.json";
    write_profile(profile, file);
    const MachineProfile read = read_profile(file);
    EXPECT_EQ(read.costs.size(), profile.costs.size());
    for (const auto& [key, cost] : profile.costs) {
        EXPECT_DOUBLE_EQ(read.seconds(key), cost.seconds) << unit_key_name(key);
        EXPECT_EQ(read.costs.at(key).repeats, 3);
    }
    EXPECT_EQ(read.cpu_model, "test CPU");
    EXPECT_EQ(read.cores, 2);
    EXPECT_NE(read.source.find(file.string()), std::string::npos);
    EXPECT_EQ(profile_json(read)["unit_costs"]["random_cot.iknp"]["unit"], "s per COT");
}

TEST_F(ProfileFiles, RoleCostsReadBackAndOlderProfilesHaveNone) {
    const std::filesystem::path file = dir_ / "roles.json";
    write_profile(test_support::distinct_profile_with_roles(), file);
    const MachineProfile read = read_profile(file);
    EXPECT_TRUE(read.has_role_costs());
    const UnitKey key = UnitKey::one_of_n(3, 2);
    EXPECT_DOUBLE_EQ(read.seconds(key, protocol::OtRole::kSender), 1.5 * read.seconds(key));
    EXPECT_DOUBLE_EQ(read.seconds(key, protocol::OtRole::kReceiver), 0.5 * read.seconds(key));
    EXPECT_FALSE(read_profile(changed([](nlohmann::json&) {})).has_role_costs());
}

TEST_F(ProfileFiles, RoleCostsComeInPairsAndOnlyForOts) {
    const auto half = changed([](nlohmann::json& json) { json["unit_costs"]["and_gate"]["sender_seconds"] = 1e-6; });
    expect_error_containing<InvalidInput>([&] { read_profile(half); },
                                          "unit_costs.and_gate has one of sender_seconds and receiver_seconds");
    const auto he = changed([](nlohmann::json& json) {
        json["unit_costs"]["he_product.cheetah"]["sender_seconds"] = 1e-6;
        json["unit_costs"]["he_product.cheetah"]["receiver_seconds"] = 1e-6;
    });
    expect_error_containing<InvalidInput>([&] { read_profile(he); }, "'he_product' has no roles");
    const auto negative = changed([](nlohmann::json& json) {
        json["unit_costs"]["and_gate"]["sender_seconds"] = -1e-6;
        json["unit_costs"]["and_gate"]["receiver_seconds"] = 1e-6;
    });
    expect_error_containing<InvalidInput>([&] { read_profile(negative); },
                                          "unit_costs.and_gate.sender_seconds must be finite and not negative");
}

TEST_F(ProfileFiles, MissingFileIsNamed) {
    const std::string missing = (dir_ / "nowhere.json").string();
    expect_error_containing<InvalidInput>([&] { read_profile(missing); }, missing + ": cannot open");
}

TEST_F(ProfileFiles, CorruptJsonIsNamed) {
    const std::filesystem::path file = write("corrupt.json", "{\"format\": \"snnipred-machine-profile\", ");
    expect_error_containing<InvalidInput>([&] { read_profile(file); }, file.string() + ": not valid JSON");
}

TEST_F(ProfileFiles, MissingFieldIsNamed) {
    const auto file = changed([](nlohmann::json& json) { json.erase("cpu_model"); });
    expect_error_containing<InvalidInput>([&] { read_profile(file); }, "missing field 'cpu_model'");
    const auto no_cost = changed([](nlohmann::json& json) { json["unit_costs"].erase("he_product.secure"); });
    expect_error_containing<InvalidInput>([&] { read_profile(no_cost); }, "missing field 'unit_costs.he_product.secure'");
    const auto no_seconds = changed([](nlohmann::json& json) { json["unit_costs"]["and_gate"].erase("seconds"); });
    expect_error_containing<InvalidInput>([&] { read_profile(no_seconds); }, "unit_costs.and_gate: missing field 'seconds'");
}

TEST_F(ProfileFiles, NegativeInfiniteOrNonNumericCostIsRefused) {
    const auto negative = changed([](nlohmann::json& json) { json["unit_costs"]["and_gate"]["seconds"] = -1e-6; });
    expect_error_containing<InvalidInput>([&] { read_profile(negative); }, "unit_costs.and_gate.seconds must be finite and not negative");
    // JSON has no NaN: a writer that produced one leaves null, or a string.
    const auto nan = changed([](nlohmann::json& json) { json["unit_costs"]["and_gate"]["seconds"] = std::nan(""); });
    expect_error_containing<InvalidInput>([&] { read_profile(nan); }, "unit_costs.and_gate.seconds must be a number");
    const auto text = changed([](nlohmann::json& json) { json["unit_costs"]["and_gate"]["seconds"] = "NaN"; });
    expect_error_containing<InvalidInput>([&] { read_profile(text); }, "unit_costs.and_gate.seconds must be a number");
    const std::filesystem::path huge = write("huge.json", [&] {
        std::string s = profile_json(test_support::distinct_profile()).dump();
        const std::string from = "\"and_gate\":{\"repeats\":3,\"seconds\":";
        const std::size_t at = s.find(from) + from.size();
        return s.replace(at, s.find('}', at) - at, "1e999");
    }());
    // Beyond a double: the reader refuses the number itself.
    expect_error_containing<InvalidInput>([&] { read_profile(huge); }, huge.string() + ": not valid JSON");
    const auto no_repeats = changed([](nlohmann::json& json) { json["unit_costs"]["and_gate"]["repeats"] = 0; });
    expect_error_containing<InvalidInput>([&] { read_profile(no_repeats); }, "unit_costs.and_gate.repeats must be a positive integer");
}

TEST_F(ProfileFiles, ForeignFormatOrVersionIsRefused) {
    const auto version = changed([](nlohmann::json& json) { json["format_version"] = 2; });
    expect_error_containing<InvalidInput>([&] { read_profile(version); }, "field 'format_version' is 2");
    const auto format = changed([](nlohmann::json& json) { json["format"] = "snnipred-bundle"; });
    expect_error_containing<InvalidInput>([&] { read_profile(format); }, "field 'format' is not");
    const auto unknown = changed([](nlohmann::json& json) { json["unit_costs"]["warp_drive"] = {{"seconds", 1.0}}; });
    expect_error_containing<InvalidInput>([&] { read_profile(unknown); }, "unknown unit cost 'warp_drive'");
}

TEST_F(ProfileFiles, CpuShareReadsBack) {
    MachineProfile profile = test_support::distinct_profile();
    profile.cpu_share = CpuShare{0.52, 0.49, 0.97, 10};
    const std::filesystem::path file = dir_ / "share.json";
    write_profile(profile, file);
    const MachineProfile read = read_profile(file);
    ASSERT_TRUE(read.cpu_share.has_value());
    EXPECT_DOUBLE_EQ(read.cpu_share_or_free().single_thread_share, 0.52);
    EXPECT_DOUBLE_EQ(read.cpu_share_or_free().concurrent_cores, 0.49);
    EXPECT_DOUBLE_EQ(read.cpu_share->unthrottled_share, 0.97);
    EXPECT_EQ(read.cpu_share->windows, 10);
}

// A profile calibrated before the CPU share was measured stays readable: a free machine's.
TEST_F(ProfileFiles, ProfileWithoutCpuShareIsNotMeasured) {
    const auto file = changed([](nlohmann::json& json) { ASSERT_FALSE(json.contains("cpu_share")); });
    const MachineProfile read = read_profile(file);
    EXPECT_FALSE(read.cpu_share.has_value());
    EXPECT_FALSE(read.cpu_share_or_free().measured());
    EXPECT_DOUBLE_EQ(read.cpu_share_or_free().single_thread_share, 1.0);
    EXPECT_DOUBLE_EQ(read.cpu_share_or_free().concurrent_cores, 2.0);
    EXPECT_DOUBLE_EQ(read.cpu_share_or_free().unthrottled_share, 1.0);
    const auto one_core = changed([](nlohmann::json& json) { json["cores"] = 1; });
    EXPECT_DOUBLE_EQ(read_profile(one_core).cpu_share_or_free().concurrent_cores, 1.0);
}

TEST_F(ProfileFiles, BadCpuShareIsNamed) {
    const nlohmann::json good{
        {"single_thread_share", 0.5}, {"concurrent_cores", 0.5}, {"unthrottled_share", 1.0}, {"windows", 10}};
    const auto zero = changed([&](nlohmann::json& json) {
        json["cpu_share"] = good;
        json["cpu_share"]["single_thread_share"] = 0;
    });
    expect_error_containing<InvalidInput>([&] { read_profile(zero); },
                                          zero.string() + ": cpu_share.single_thread_share must be a positive finite number");
    const auto text = changed([&](nlohmann::json& json) {
        json["cpu_share"] = good;
        json["cpu_share"]["concurrent_cores"] = "two";
    });
    expect_error_containing<InvalidInput>([&] { read_profile(text); }, "cpu_share.concurrent_cores must be a positive finite number");
    const auto no_windows = changed([&](nlohmann::json& json) {
        json["cpu_share"] = good;
        json["cpu_share"].erase("windows");
    });
    expect_error_containing<InvalidInput>([&] { read_profile(no_windows); }, "cpu_share: missing field 'windows'");
    const auto no_unthrottled = changed([&](nlohmann::json& json) {
        json["cpu_share"] = good;
        json["cpu_share"].erase("unthrottled_share");
    });
    expect_error_containing<InvalidInput>([&] { read_profile(no_unthrottled); },
                                          "cpu_share: missing field 'unthrottled_share'");
    const auto not_object = changed([](nlohmann::json& json) { json["cpu_share"] = 0.5; });
    expect_error_containing<InvalidInput>([&] { read_profile(not_object); }, "cpu_share must be an object");
}

using test_support::ScopedEnv;

TEST_F(ProfileFiles, UserProfileFollowsTheEnvironment) {
    const ScopedEnv home("HOME", "/home/someone");
    {
        const ScopedEnv explicit_file("SNNIPRED_MACHINE_PROFILE", "/tmp/m.json");
        const ScopedEnv xdg("XDG_CONFIG_HOME", "/cfg");
        EXPECT_EQ(user_profile_path(), "/tmp/m.json");
    }
    {
        const ScopedEnv explicit_file("SNNIPRED_MACHINE_PROFILE", nullptr);
        const ScopedEnv xdg("XDG_CONFIG_HOME", "/cfg");
        EXPECT_EQ(user_profile_path(), "/cfg/snnipred/machine.json");
        const ScopedEnv no_xdg("XDG_CONFIG_HOME", nullptr);
        EXPECT_EQ(user_profile_path(), "/home/someone/.config/snnipred/machine.json");
    }
}

TEST_F(ProfileFiles, ChoosesExplicitThenUserThenReference) {
    const ScopedEnv user("SNNIPRED_MACHINE_PROFILE", (dir_ / "user.json").c_str());
    write_profile(test_support::distinct_profile(), dir_ / kReferenceProfileName);
    const ChosenProfile reference = choose_profile(std::nullopt, {dir_ / "elsewhere", dir_});
    EXPECT_TRUE(reference.reference);
    EXPECT_NE(reference.profile.source.find(kReferenceProfileName), std::string::npos);

    write_profile(test_support::distinct_profile(), dir_ / "user.json");
    const ChosenProfile calibrated = choose_profile(std::nullopt, {dir_});
    EXPECT_FALSE(calibrated.reference);
    EXPECT_NE(calibrated.profile.source.find("user.json"), std::string::npos);

    const std::string missing = (dir_ / "missing.json").string();
    expect_error_containing<InvalidInput>([&] { choose_profile(missing, {dir_}); }, missing);
    std::filesystem::remove(dir_ / "user.json");
    expect_error_containing<InvalidInput>([&] { choose_profile(std::nullopt, {dir_ / "elsewhere"}); },
                                          "run `snnipred calibrate`");
}

}  // namespace
}  // namespace snnipred::machine
