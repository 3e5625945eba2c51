#pragma once
// What `snnipred evaluate --networks` prints and writes: the whole-network comparison in
// the layout of the paper's Table 4 (one block per held-out network, setting and party,
// one row per method), the share of networks within +-10 % per method, as text, JSON,
// CSV, a Markdown report and predicted-vs-measured plots drawn by gnuplot.

#include <filesystem>
#include <string>

#include "snnipred/predict/network_evaluation.h"

namespace snnipred::cli {

struct NetworkEvaluationRun {
    std::string command;  // the command line, for the report
    std::string data_path;      // layer records; empty if none were used
    std::string networks_path;  // whole-network samples
    std::string bundle_path;    // empty unless a bundle was used
    std::string backend;        // whose lowering the per-layer methods used
    std::string mode;           // "network" (held out, re-trained) or "none" (bundle as is)
    predict::NetworkEvaluationReport report;
};

/// The Table 4 style comparison followed by the +-10 % table, as aligned text.
std::string format_network_table(const NetworkEvaluationRun& run);
/// Both tables as JSON text.
std::string format_network_json(const NetworkEvaluationRun& run);
/// Writes report.md, network_metrics.csv, network_accuracy.csv and
/// plots/network_<setting>.png into `dir` (created if needed). Throws InvalidInput if a
/// file cannot be written; returns a warning (empty if none) if gnuplot failed.
std::string write_network_report(const NetworkEvaluationRun& run, const std::filesystem::path& dir);

}  // namespace snnipred::cli
