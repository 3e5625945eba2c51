#pragma once
// What `snnipred evaluate` prints and writes: the Table 3 metrics per layer kind, party
// and method as a text table, JSON, CSV and a Markdown report, and predicted-vs-measured
// scatter plots drawn by gnuplot.

#include <filesystem>
#include <string>
#include <vector>

#include "snnipred/predict/bundle.h"
#include "snnipred/predict/evaluate.h"

namespace snnipred::cli {

/// One scored prediction, kept for the plots.
struct Sample {
    const predict::LayerRecord* record = nullptr;
    double predicted_ms = 0;
};

struct MethodEvaluation {
    predict::Method method = predict::Method::kAnalytical;
    predict::EvaluationReport report;
    std::vector<Sample> samples;
};

struct EvaluationRun {
    std::string bundle_path;
    std::string data_path;
    std::string command;  // the command line, for the report
    const predict::BundleManifest* manifest = nullptr;
    predict::SplitOptions split;
    std::vector<MethodEvaluation> methods;
};

/// Aligned text table, one row per setting x kind x party x method.
std::string format_table(const EvaluationRun& run);
/// The metrics as JSON text.
std::string format_json(const EvaluationRun& run);
/// Writes report.md, metrics.csv and plots/<setting>_<kind>_<party>.png into `dir`
/// (created if needed). Throws InvalidInput if a file cannot be written; returns a
/// warning (empty if none) if gnuplot failed, since the metrics are still valid.
std::string write_report(const EvaluationRun& run, const std::filesystem::path& dir);

}  // namespace snnipred::cli
