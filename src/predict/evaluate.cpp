#include "snnipred/predict/evaluate.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <random>
#include <tuple>

#include "snnipred/core/error.h"

namespace snnipred::predict {
namespace {

using GroupKey = std::tuple<std::string, LayerKind, Party>;  // setting first: reports read by setting

GroupKey group_of(const LayerRecord& r) { return {r.setting, r.kind, r.party}; }

// Fisher–Yates with an explicit modulo draw: std::shuffle's sequence differs between
// standard libraries, and splits must be reproducible from the seed alone.
template <typename T>
void seeded_shuffle(std::vector<T>& items, std::mt19937_64& rng) {
    for (std::size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[rng() % i]);
}

std::string config_of(const LayerRecord& r) {
    std::string key = r.variant;
    for (const auto& [name, value] : r.raw) key += "|" + name + "=" + std::to_string(value);
    return key;
}

struct Scores {
    double mae = 0, mape = 0, r2 = 0;
};

Scores score(const std::vector<double>& actual, const std::vector<double>& predicted) {
    const double n = static_cast<double>(actual.size());
    double mean = 0;
    for (double t : actual) mean += t / n;
    Scores s;
    double ss_res = 0, ss_tot = 0;
    for (std::size_t i = 0; i < actual.size(); ++i) {
        const double err = predicted[i] - actual[i];
        s.mae += std::abs(err) / n;
        // A zero time has no relative error; the floor only keeps the division finite.
        s.mape += 100 * std::abs(err) / std::max(std::abs(actual[i]), 1e-9) / n;
        ss_res += err * err;
        ss_tot += (actual[i] - mean) * (actual[i] - mean);
    }
    s.r2 = ss_tot > 0 ? 1 - ss_res / ss_tot : (ss_res == 0 ? 1.0 : 0.0);
    return s;
}

}  // namespace

SplitKind parse_split_kind(std::string_view name) {
    if (name == "random") return SplitKind::kRandom;
    if (name == "kfold") return SplitKind::kKFold;
    if (name == "config") return SplitKind::kConfig;
    if (name == "none") return SplitKind::kNone;
    throw InvalidInput("unknown split '" + std::string(name) + "' (expected random, kfold, config or none)");
}

std::string_view split_kind_name(SplitKind kind) {
    switch (kind) {
        case SplitKind::kRandom: return "random";
        case SplitKind::kKFold: return "kfold";
        case SplitKind::kConfig: return "config";
        case SplitKind::kNone: return "none";
    }
    return "unknown";
}

const GroupMetrics* EvaluationReport::find(LayerKind kind, Party party, std::string_view setting) const {
    for (const GroupMetrics& g : groups)
        if (g.kind == kind && g.party == party && g.setting == setting) return &g;
    return nullptr;
}

std::vector<std::vector<std::size_t>> make_folds(const Dataset& dataset, const SplitOptions& split) {
    const bool k_way = split.kind == SplitKind::kKFold || split.kind == SplitKind::kConfig;
    SNNIPRED_CHECK(!k_way || split.folds >= 2, ConfigError, "split: folds must be at least 2");
    SNNIPRED_CHECK(split.kind != SplitKind::kRandom || (split.test_fraction > 0 && split.test_fraction < 1),
                   ConfigError, "split: test fraction must lie in (0, 1)");
    std::vector<std::size_t> all(dataset.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    if (split.kind == SplitKind::kNone) return {all};

    std::map<GroupKey, std::vector<std::size_t>> groups;
    for (std::size_t i : all) groups[group_of(dataset.records[i])].push_back(i);
    std::mt19937_64 rng(split.seed);
    std::vector<std::vector<std::size_t>> folds(k_way ? static_cast<std::size_t>(split.folds) : 1);
    for (auto& [key, rows] : groups) {
        if (split.kind == SplitKind::kConfig) {
            std::map<std::string, std::vector<std::size_t>> configs;
            for (std::size_t i : rows) configs[config_of(dataset.records[i])].push_back(i);
            std::vector<const std::vector<std::size_t>*> order;
            for (const auto& [config, members] : configs) order.push_back(&members);
            seeded_shuffle(order, rng);
            for (std::size_t c = 0; c < order.size(); ++c)
                for (std::size_t i : *order[c]) folds[c % folds.size()].push_back(i);
            continue;
        }
        seeded_shuffle(rows, rng);
        if (split.kind == SplitKind::kRandom) {
            const auto test = static_cast<std::size_t>(std::llround(split.test_fraction * static_cast<double>(rows.size())));
            folds[0].insert(folds[0].end(), rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(test));
            continue;
        }
        // Contiguous chunks of the shuffled rows, sizes differing by at most one.
        const std::size_t k = folds.size();
        std::size_t start = 0;
        for (std::size_t f = 0; f < k; ++f) {
            const std::size_t size = rows.size() / k + (f < rows.size() % k ? 1 : 0);
            folds[f].insert(folds[f].end(), rows.begin() + static_cast<std::ptrdiff_t>(start),
                            rows.begin() + static_cast<std::ptrdiff_t>(start + size));
            start += size;
        }
    }
    return folds;
}

EvaluationReport evaluate(const Dataset& dataset, const PredictorFactory& factory, const SplitOptions& split) {
    SNNIPRED_CHECK(!dataset.empty(), ConfigError, "evaluate: empty dataset");
    const auto folds = make_folds(dataset, split);

    struct Accumulator {
        GroupMetrics metrics;
        Scores sum;
        int folds_scored = 0;
        double predict_seconds = 0;
    };
    std::map<GroupKey, Accumulator> acc;
    for (const LayerRecord& r : dataset.records) {
        Accumulator& a = acc[group_of(r)];
        a.metrics.kind = r.kind;
        a.metrics.party = r.party;
        a.metrics.setting = r.setting;
        ++a.metrics.rows;
        a.metrics.mean_time_ms += r.time_ms;
    }

    std::string predictor_name;
    std::vector<bool> in_test(dataset.size());
    for (const auto& test : folds) {
        std::fill(in_test.begin(), in_test.end(), false);
        for (std::size_t i : test) in_test[i] = true;
        std::vector<LayerRecord> train;
        for (std::size_t i = 0; i < dataset.size(); ++i)
            if (split.kind == SplitKind::kNone || !in_test[i]) train.push_back(dataset.records[i]);
        if (test.empty() || train.empty()) continue;
        auto predictor = factory();
        predictor->fit(train);
        predictor_name = predictor->name();

        std::map<GroupKey, std::vector<std::size_t>> by_group;
        for (std::size_t i : test) by_group[group_of(dataset.records[i])].push_back(i);
        for (const auto& [key, rows] : by_group) {
            std::vector<double> actual, predicted(rows.size());
            const auto start = std::chrono::steady_clock::now();
            for (std::size_t j = 0; j < rows.size(); ++j) predicted[j] = predictor->predict(dataset.records[rows[j]]);
            const auto stop = std::chrono::steady_clock::now();
            for (std::size_t i : rows) actual.push_back(dataset.records[i].time_ms);
            Accumulator& a = acc[key];
            const Scores s = score(actual, predicted);
            a.sum.mae += s.mae;
            a.sum.mape += s.mape;
            a.sum.r2 += s.r2;
            ++a.folds_scored;
            a.metrics.test_rows += rows.size();
            a.predict_seconds += std::chrono::duration<double>(stop - start).count();
        }
    }

    EvaluationReport report{predictor_name, split, {}};
    for (auto& [key, a] : acc) {
        GroupMetrics m = a.metrics;
        m.mean_time_ms /= static_cast<double>(m.rows);
        if (a.folds_scored > 0) {
            m.mae_ms = a.sum.mae / a.folds_scored;
            m.mape_pct = a.sum.mape / a.folds_scored;
            m.r2 = a.sum.r2 / a.folds_scored;
            m.t_pred_us = 1e6 * a.predict_seconds / static_cast<double>(m.test_rows);
        }
        report.groups.push_back(m);
    }
    return report;
}

std::string format_report(const EvaluationReport& report) {
    std::string out = "predictor " + report.predictor + ", split " + std::string(split_kind_name(report.split.kind)) +
                      "\n";
    char line[200];
    std::snprintf(line, sizeof line, "%-8s %-8s %-7s %6s %6s %10s %10s %8s %7s %9s\n", "setting", "kind", "party",
                  "rows", "tested", "t_layer", "MAE[ms]", "MAPE[%]", "R2", "t_pred[us]");
    out += line;
    for (const GroupMetrics& g : report.groups) {
        std::snprintf(line, sizeof line, "%-8s %-8s %-7s %6zu %6zu %10.1f %10.1f %8.1f %7.3f %9.2f\n",
                      g.setting.c_str(), std::string(layer_kind_name(g.kind)).c_str(),
                      std::string(party_name(g.party)).c_str(), g.rows, g.test_rows, g.mean_time_ms, g.mae_ms,
                      g.mape_pct, g.r2, g.t_pred_us);
        out += line;
    }
    return out;
}

}  // namespace snnipred::predict
