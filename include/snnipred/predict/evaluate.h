#pragma once
// Evaluation of a predictor on a dataset: rows are grouped by (kind, party, setting),
// split into training and test rows by one of four schemes, and scored per group.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "snnipred/predict/predictor.h"

namespace snnipred::predict {

enum class SplitKind {
    kRandom,  // one seeded split, test_fraction of each group's rows held out
    kKFold,   // seeded k-fold cross-validation over rows
    kConfig,  // grouped k-fold: rows with identical raw features (and variant) share a fold,
              // so every test configuration is unseen in training
    kNone,    // train and test on all rows (in-sample fit)
};

/// "random", "kfold", "config", "none"; throws InvalidInput otherwise.
SplitKind parse_split_kind(std::string_view name);
std::string_view split_kind_name(SplitKind kind);

struct SplitOptions {
    SplitKind kind = SplitKind::kKFold;
    int folds = 5;              // kfold, config
    double test_fraction = 0.2; // random
    std::uint64_t seed = 1;
};

/// Scores of one (kind, party, setting) group. For kfold and config, MAE, MAPE and R2
/// are averaged over the folds (scikit-learn's cross_val_score convention).
struct GroupMetrics {
    LayerKind kind = LayerKind::kRelu;
    Party party = Party::kClient;
    std::string setting;
    std::size_t rows = 0;        // rows of the group
    std::size_t test_rows = 0;   // predictions scored, over all folds
    double mean_time_ms = 0;     // t_layer: mean measured time of the group's rows
    double mae_ms = 0;
    double mape_pct = 0;
    double r2 = 0;
    double t_pred_us = 0;        // wall time per prediction, std::chrono over all test rows
};

struct EvaluationReport {
    std::string predictor;
    SplitOptions split;
    std::vector<GroupMetrics> groups;  // ordered by setting, kind, party

    /// Null if the group is absent.
    const GroupMetrics* find(LayerKind kind, Party party, std::string_view setting) const;
};

/// Folds of `dataset` as test-row index lists (into dataset.records); every split scheme
/// is applied within each (kind, party, setting) group. For kRandom one fold, for kNone
/// one fold holding all rows. Throws ConfigError on folds < 2 or a fraction outside (0,1).
std::vector<std::vector<std::size_t>> make_folds(const Dataset& dataset, const SplitOptions& split);

/// Fits a fresh predictor per fold on the remaining rows (all rows for kNone), predicts
/// the fold's rows and scores them per group. Throws ConfigError on bad options and
/// whatever the predictor throws.
EvaluationReport evaluate(const Dataset& dataset, const PredictorFactory& factory, const SplitOptions& split);

/// The report as an aligned text table, one row per group.
std::string format_report(const EvaluationReport& report);

}  // namespace snnipred::predict
