// The protocol plan's copy of the silent OT's parameters (protocol/ferret_layout.h) must be
// what the engine runs (crypto/ot/ferret.h), or every Ferret byte count in the plan is off.
#include <gtest/gtest.h>

#include "snnipred/crypto/ot/ferret.h"
#include "snnipred/protocol/ferret_layout.h"

namespace snnipred::engine {
namespace {

void expect_same(const protocol::LpnShape& plan, const crypto::ot::LpnParams& engine) {
    EXPECT_EQ(plan.n, engine.n);
    EXPECT_EQ(plan.k, engine.k);
    EXPECT_EQ(plan.t, engine.t);
    EXPECT_EQ(plan.depth(), engine.depth());
    EXPECT_EQ(plan.reserve(), engine.reserve());
}

TEST(FerretLayout, EqualsTheEnginesStandardParameters) {
    const protocol::FerretLayout plan = protocol::ferret_layout();
    const crypto::ot::FerretParams engine = crypto::ot::FerretParams::standard();
    expect_same(plan.bootstrap, engine.bootstrap);
    expect_same(plan.main, engine.main);
    EXPECT_EQ(plan.batch(), engine.batch());
}

// The figures docs/RESULTS.md and crypto/ot/ferret.h quote.
TEST(FerretLayout, GivesTheDocumentedMessageSizes) {
    const protocol::FerretLayout plan = protocol::ferret_layout();
    EXPECT_EQ(plan.batch(), 9'562'948u);
    EXPECT_EQ(plan.main.receiver_bytes(), 2'152u);
    EXPECT_EQ(plan.main.sender_bytes(), 571'968u);
    EXPECT_EQ(plan.bootstrap.reserve(), 47'709u);
    EXPECT_EQ(plan.bootstrap.receiver_bytes(), 1'428u);
    EXPECT_EQ(plan.bootstrap.sender_bytes(), 385'776u);
}

}  // namespace
}  // namespace snnipred::engine
