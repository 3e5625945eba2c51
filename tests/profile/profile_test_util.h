#pragma once
// Test helpers of the profile suite: a tiny campaign (small inputs, low cost cap, no link
// emulation) and a fresh scratch directory per test.

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "snnipred/profile/campaign.h"

namespace snnipred::profile::testing {

/// A campaign of tiny networks: one per family (unless `per_family` says otherwise),
/// 3x8x8 inputs, a cost cap of a few thousand ReLUs.
inline std::string tiny_campaign_json(int per_family = 1, const std::string& name = "tiny") {
    std::string families;
    for (const std::string& family : generator_families())
        families += (families.empty() ? "" : ", ") + ("\"" + family + "\": " + std::to_string(per_family));
    return R"({"name": ")" + name + R"(", "seed": 7,
      "engine": {"he": "cheetah", "truncation": "approximate"},
      "settings": [{"name": "LAN", "net": "none"}],
      "generator": {"families": {)" + families + R"(}, "input_sizes": [[3, 8, 8]], "max_blocks": 2,
                    "cost": {"relu_s": 1e-6, "trunc_s": 5e-7, "mac_s": 1e-9, "cap_s": 0.004}}})";
}

inline Campaign tiny_campaign(int per_family = 1) { return parse_campaign(tiny_campaign_json(per_family), "tiny.json"); }

/// An empty directory named after the running test, under the system's temp directory.
inline std::filesystem::path scratch_dir() {
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const auto dir = std::filesystem::temp_directory_path() / "snnipred_profile_test" /
                     (std::string(info->test_suite_name()) + "." + info->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

}  // namespace snnipred::profile::testing
