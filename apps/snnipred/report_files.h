#pragma once
// Writing the files of evaluate's reports and drawing their plots with gnuplot.

#include <filesystem>
#include <string>

namespace snnipred::cli {

/// Writes `text` to `path`, replacing it. Throws InvalidInput if it cannot be written.
void write_file(const std::filesystem::path& path, const std::string& text);

/// Runs gnuplot on `script`. Returns an empty string on success, else a one-line warning
/// naming the script (a report stays valid without its plots, so this does not throw).
std::string run_gnuplot(const std::filesystem::path& script);

}  // namespace snnipred::cli
