#pragma once
// Assertions shared by the bundle tests.

#include <span>

#include <gtest/gtest.h>

#include "snnipred/predict/bundle.h"
#include "snnipred/predict/network_dataset.h"

namespace snnipred::test_support {

/// Both bundles' LSTMs predict bit-identical LAN times for every sample's network.
inline void expect_same_lstm_predictions(const predict::Bundle& a, const predict::Bundle& b,
                                         std::span<const predict::NetworkSample> samples) {
    for (const predict::NetworkSample& s : samples) {
        const predict::PartyTimes x = a.lstm_predictor().predict(s.network, "LAN");
        const predict::PartyTimes y = b.lstm_predictor().predict(s.network, "LAN");
        EXPECT_EQ(x.client_ms, y.client_ms) << s.name;
        EXPECT_EQ(x.server_ms, y.server_ms) << s.name;
    }
}

}  // namespace snnipred::test_support
