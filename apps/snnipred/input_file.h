#pragma once
// The client's input for `snnipred infer`, as text (docs/input-format.md): real numbers
// in CHW order separated by whitespace and/or commas, '#' to the end of a line a comment.

#include <cstdint>
#include <string>
#include <vector>

namespace snnipred::cli {

/// Reads `expected` values from `path`. Throws InvalidInput naming FILE:LINE for a token
/// that is not a finite number, and the counts when the file holds another number of
/// values (`what` describes the expected input, e.g. "network 'lenet5' input 1x28x28").
std::vector<double> read_input_file(const std::string& path, std::size_t expected, const std::string& what);

}  // namespace snnipred::cli
