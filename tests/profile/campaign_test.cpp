#include "snnipred/profile/campaign.h"

#include <gtest/gtest.h>

#include "profile/profile_test_util.h"
#include "snnipred/core/error.h"
#include "support/expect_error.h"

namespace snnipred::profile {
namespace {

using test_support::expect_error_containing;

TEST(Campaign, ParsesEveryField) {
    const Campaign c = parse_campaign(R"({
      "name": "c1", "seed": 42, "engine": {"he": "secure", "truncation": "faithful", "ot": "Ferret"},
      "settings": [{"name": "LAN", "net": "lan"}, {"name": "slow", "net": "wan", "bandwidth_mbit": 50, "rtt_ms": 80}],
      "repeats": 3, "timeout_s": 90,
      "generator": {"families": {"conv": 5, "residual": 2}, "input_sizes": [224, [3, 32, 32]], "max_blocks": 6,
                    "cost": {"relu_s": 2e-6, "trunc_s": 1e-6, "mac_s": 3e-9, "cap_s": 1.5}},
      "sweeps": {"relu": 4, "bn": 1},
      "models": ["zoo:lenet5"]})",
                                      "c1.json");
    EXPECT_EQ(c.name, "c1");
    EXPECT_EQ(c.seed, 42u);
    EXPECT_EQ(c.he, protocol::HeSet::kSecure);
    EXPECT_EQ(c.truncation, protocol::TruncationMode::kFaithful);
    ASSERT_EQ(c.settings.size(), 2u);
    EXPECT_EQ(c.settings[1].link().bandwidth_bits_per_second, 50e6);
    EXPECT_EQ(c.repeats, 3);
    EXPECT_EQ(c.timeout_s, 90);
    EXPECT_EQ(c.generator.families, (std::vector<std::pair<std::string, int>>{{"conv", 5}, {"residual", 2}}));
    EXPECT_EQ(c.generator.input_sizes, (std::vector<Shape>{{3, 224, 224}, {3, 32, 32}}));
    EXPECT_EQ(c.generator.max_blocks, 6);
    EXPECT_EQ(c.generator.cost.cap_s, 1.5);
    EXPECT_EQ(c.sweeps, (std::vector<std::pair<std::string, int>>{{"relu", 4}, {"bn", 1}}));
    EXPECT_EQ(c.models, std::vector<std::string>{"zoo:lenet5"});
    EXPECT_EQ(c.secure_options().truncation, engine::TruncationMode::kFaithful);
    EXPECT_EQ(c.secure_options().ot, protocol::OtExtension::kFerret);
}

TEST(Campaign, DefinitionIgnoresSettingsAndRepeatsOnly) {
    Campaign a = testing::tiny_campaign();
    Campaign b = a;
    b.repeats = 5;
    b.settings.push_back({"WAN", "wan", {}, {}});
    EXPECT_EQ(a.definition(), b.definition());
    b.seed = 99;
    EXPECT_NE(a.definition(), b.definition());
}

TEST(Campaign, DefinitionNamesACostFloorOnlyWhenSet) {
    Campaign a = testing::tiny_campaign();
    EXPECT_EQ(a.definition().find("floor_s"), std::string::npos);
    Campaign b = a;
    b.generator.cost.floor_s = 0.001;
    EXPECT_NE(b.definition().find("floor_s"), std::string::npos);
}

TEST(Campaign, DefinitionNamesTheOtExtensionOnlyWhenNotIknp) {
    Campaign a = testing::tiny_campaign();
    EXPECT_EQ(a.definition().find("\"ot\""), std::string::npos);
    Campaign b = a;
    b.ot = protocol::OtExtension::kFerret;
    EXPECT_NE(b.definition().find("\"ot\":\"ferret\""), std::string::npos);
}

// Export lowers each campaign's spans under the engine its stored definition names.
TEST(Campaign, DefinitionGivesBackTheEngineOptions) {
    Campaign campaign = testing::tiny_campaign();
    campaign.ot = protocol::OtExtension::kFerret;
    const protocol::PlanOptions ferret = definition_plan_options(campaign.definition(), "store campaign tiny");
    EXPECT_EQ(ferret.ot, protocol::OtExtension::kFerret);
    EXPECT_EQ(ferret.truncation, protocol::TruncationMode::kApproximate);
    EXPECT_EQ(ferret.he, protocol::he_layout(protocol::HeSet::kCheetah, protocol::TruncationMode::kApproximate));
    campaign.ot = protocol::OtExtension::kIknp;
    campaign.truncation = protocol::TruncationMode::kFaithful;
    const protocol::PlanOptions iknp = definition_plan_options(campaign.definition(), "store campaign tiny");
    EXPECT_EQ(iknp.ot, protocol::OtExtension::kIknp);
    EXPECT_EQ(iknp.truncation, protocol::TruncationMode::kFaithful);
    test_support::expect_error_containing<InvalidInput>(
        [] { definition_plan_options("imported traces", "store campaign manual"); }, "store campaign manual");
    test_support::expect_error_containing<InvalidInput>(
        [] { definition_plan_options(R"({"he": "cheetah", "truncation": "approximate", "ot": "kkrt"})", "s"); },
        "kkrt");
}

TEST(Campaign, ErrorsNameTheFileAndTheField) {
    const auto bad = [](const std::string& text, const std::string& fragment) {
        expect_error_containing<ConfigError>([&] { parse_campaign(text, "bad.json"); }, fragment);
        expect_error_containing<ConfigError>([&] { parse_campaign(text, "bad.json"); }, "bad.json");
    };
    bad("{", "not valid JSON");
    bad("{\"name\": 11e308}", "not valid JSON: [json.exception.out_of_range.406] number overflow");
    bad(R"({"settings": [{"name": "LAN"}]})", "'name' is missing");
    bad(R"({"name": "x"})", "'settings' is missing");
    bad(R"({"name": "x", "settings": [{"name": "L", "net": "moon"}]})", "settings[0].net");
    bad(R"({"name": "x", "settings": [{"name": "L"}], "engine": {"he": "fast"}})", "engine.he");
    bad(R"({"name": "x", "settings": [{"name": "L"}], "engine": {"ot": "kos"}})", "engine.ot");
    bad(R"({"name": "x", "settings": [{"name": "L"}], "repeats": 0})", "repeats");
    bad(R"({"name": "x", "settings": [{"name": "L"}], "generator": {"families": {"lstm": 2}}})",
        "generator.families.lstm");
    bad(R"({"name": "x", "settings": [{"name": "L"}], "generator": {"cost": {"cap_s": "big"}}})",
        "generator.cost.cap_s");
    bad(R"({"name": "x", "settings": [{"name": "L"}], "generator": {"cost": {"cap_s": 1, "floor_s": 2}}})",
        "generator.cost.floor_s");
    bad(R"({"name": "x", "settings": [{"name": "L"}], "generator": {"input_sizes": [[3, 0, 4]]}})",
        "generator.input_sizes[0]");
    bad(R"({"name": "x", "settings": [{"name": "L"}], "sweep": {}})", "'sweep' is not a known field");
    bad(R"({"name": "x", "settings": [{"name": "L"}, {"name": "L"}]})", "settings[1].name");
    expect_error_containing<ConfigError>([] { load_campaign("/nonexistent/c.json"); }, "/nonexistent/c.json");
}

}  // namespace
}  // namespace snnipred::profile
