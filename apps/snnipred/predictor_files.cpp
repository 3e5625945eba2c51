#include "predictor_files.h"

namespace snnipred::cli {

std::vector<std::filesystem::path> predictor_dirs() {
    std::error_code error;
    const std::filesystem::path exe_dir = std::filesystem::read_symlink("/proc/self/exe", error).parent_path();
    if (error) return {};
    return {exe_dir.parent_path() / "predictors", exe_dir / "predictors"};
}

}  // namespace snnipred::cli
