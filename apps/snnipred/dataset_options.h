#pragma once
// The dataset options train and evaluate share: --data, --format, --setting, --kinds.

#include <string>

#include <CLI/CLI.hpp>

#include "snnipred/predict/dataset.h"

namespace snnipred::cli {

struct DatasetOptions {
    std::string path;
    std::string format = "auto";
    std::string setting;  // empty: every setting
    std::string kinds;    // comma-separated layer kinds; empty: every kind
};

/// `data_required`: whether CLI11 itself demands --data (evaluate checks it per mode).
void add_dataset_options(CLI::App& command, DatasetOptions& options, bool data_required = true);

/// Loads the dataset and keeps the selected setting and kinds. Throws InvalidInput if
/// nothing is left.
predict::Dataset load_selected(const DatasetOptions& options);

}  // namespace snnipred::cli
