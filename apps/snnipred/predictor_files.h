#pragma once
// Where the shipped predictor files (the default bundle, the reference machine profile)
// are: predictors/ beside the build directory the binary runs from (./build/snnipred in a
// checkout), else next to the binary.

#include <filesystem>
#include <vector>

namespace snnipred::cli {

std::vector<std::filesystem::path> predictor_dirs();

}  // namespace snnipred::cli
