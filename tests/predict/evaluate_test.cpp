#include "snnipred/predict/evaluate.h"

#include <gtest/gtest.h>

#include <set>

#include "snnipred/core/error.h"
#include "snnipred/predict/analytical.h"
#include "snnipred/predict/baseline.h"

namespace snnipred::predict {
namespace {

Dataset small_dataset() {
    Dataset d;
    for (int config = 0; config < 12; ++config)
        for (int rep = 0; rep < 3; ++rep)
            for (Party party : {Party::kClient, Party::kServer}) {
                LayerRecord r;
                r.kind = LayerKind::kRelu;
                r.party = party;
                r.setting = "LAN";
                r.raw = {{"N", 100.0 * (config + 1)}};
                r.time_ms = 5 + 0.1 * r.raw[0].second + rep;
                d.records.push_back(r);
            }
    return d;
}

TEST(Folds, KFoldPartitionsEveryRowOnce) {
    const Dataset d = small_dataset();
    const auto folds = make_folds(d, {SplitKind::kKFold, 5, 0.2, 3});
    ASSERT_EQ(folds.size(), 5u);
    std::multiset<std::size_t> seen;
    for (const auto& f : folds) seen.insert(f.begin(), f.end());
    EXPECT_EQ(seen.size(), d.size());
    EXPECT_EQ(std::set<std::size_t>(seen.begin(), seen.end()).size(), d.size());
}

TEST(Folds, ConfigSplitNeverSplitsAConfiguration) {
    const Dataset d = small_dataset();
    const auto folds = make_folds(d, {SplitKind::kConfig, 5, 0.2, 3});
    std::map<std::pair<double, Party>, std::size_t> fold_of;
    for (std::size_t f = 0; f < folds.size(); ++f)
        for (std::size_t i : folds[f]) {
            const auto key = std::make_pair(d.records[i].raw[0].second, d.records[i].party);
            const auto [it, inserted] = fold_of.emplace(key, f);
            EXPECT_EQ(it->second, f);
        }
    EXPECT_EQ(fold_of.size(), 24u);
}

TEST(Folds, RandomHoldsOutTheFractionAndIsSeeded) {
    const Dataset d = small_dataset();
    const auto a = make_folds(d, {SplitKind::kRandom, 5, 0.25, 9});
    EXPECT_EQ(a.size(), 1u);
    EXPECT_EQ(a[0].size(), 18u);  // 9 of 36 rows per party
    EXPECT_EQ(a, make_folds(d, {SplitKind::kRandom, 5, 0.25, 9}));
    EXPECT_THROW(make_folds(d, {SplitKind::kKFold, 1, 0.2, 9}), ConfigError);
}

TEST(Evaluate, ScoresEveryGroup) {
    const Dataset d = small_dataset();
    const auto report = evaluate(d, [] { return std::make_unique<AnalyticalPredictor>(); },
                                 {SplitKind::kKFold, 3, 0.2, 1});
    ASSERT_EQ(report.groups.size(), 2u);
    for (const GroupMetrics& g : report.groups) {
        EXPECT_EQ(g.test_rows, 36u);
        EXPECT_GT(g.r2, 0.9);
        EXPECT_LT(g.mae_ms, 1.5);
        EXPECT_GE(g.t_pred_us, 0);
    }
    const auto ceiling = evaluate(d, [] { return std::make_unique<ConfigMeanPredictor>(); },
                                  {SplitKind::kNone, 5, 0.2, 1});
    EXPECT_NEAR(ceiling.groups[0].mae_ms, 2.0 / 3.0, 1e-9);  // reps 0,1,2 around their mean
}

}  // namespace
}  // namespace snnipred::predict
