// The predictor bundle committed in predictors/ must keep loading (a feature-set change
// makes old bundles refuse to load) and keep predicting what Cheetah measured.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace {

const std::string kBundle = std::string(SNNIPRED_SOURCE_DIR) + "/predictors/cheetah-sec24.bundle";

nlohmann::json predict(const std::string& model, const std::string& setting) {
    const auto result =
        snnipred::testing::run_snnipred("predict " + model + " --predictor " + kBundle + " --setting " + setting +
                                            " --method all --json",
                                        false);
    EXPECT_EQ(result.status, 0) << result.out;
    return nlohmann::json::parse(result.out)["totals"];
}

TEST(BundledPredictor, PredictsTheReadmeNetworkWithBothMethods) {
    const auto totals = predict("zoo:resnet50", "LAN");
    for (const char* method : {"analytical", "nn"}) {
        EXPECT_GT(totals[method]["client_ms"].get<double>(), 0.0) << method;
        EXPECT_GT(totals[method]["server_ms"].get<double>(), 0.0) << method;
    }
}

// Table 4 of the paper: SqueezeNet as Cheetah ran it took 104.0 s (LAN) and 113.7 s (WAN).
TEST(BundledPredictor, SqueezeNetWithinTenPercentOfCheetahsMeasuredTime) {
    for (const auto& [setting, measured_s] : {std::pair{"LAN", 104.0}, std::pair{"WAN", 113.7}}) {
        const auto totals = predict("zoo:cheetah_squeezenet", setting);
        for (const char* party : {"client_ms", "server_ms"}) {
            const double predicted_s = totals["analytical"][party].get<double>() / 1000;
            EXPECT_NEAR(predicted_s, measured_s, 0.10 * measured_s) << setting << " " << party;
        }
    }
}

}  // namespace
