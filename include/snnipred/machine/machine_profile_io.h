#pragma once
// Machine profiles on disk (JSON, docs: predictors/README.md) and where they live: the
// per-user profile `snnipred calibrate` writes and the reference profile shipped beside
// the bundled predictor (the machine the bundle was profiled on).
//
//   {"format": "snnipred-machine-profile", "format_version": 1, "cpu_model": ..., "cores": 2,
//    "date": ..., "snnipred_version": ..., "load_average": ...,
//    "unit_costs": {"random_cot.iknp": {"seconds": 1.9e-08, "unit": "s per COT", "repeats": 5}, ...},
//    "cpu_share": {"single_thread_share": 0.5, "concurrent_cores": 0.5, "unthrottled_share": 1.0,
//                  "windows": 10}}
//
// "cpu_share" is optional within format version 1: a profile without it (calibrated before
// snnipred measured it) reads as "not measured", and an older snnipred reading a newer
// profile ignores it, so profiles stay exchangeable both ways without a recalibration.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "snnipred/machine/machine_profile.h"

namespace snnipred::machine {

inline constexpr const char* kProfileFormat = "snnipred-machine-profile";
/// The file name of the reference profile in the repository's predictors/.
inline constexpr const char* kReferenceProfileName = "reference-machine.json";

/// The profile as JSON (the format above).
nlohmann::json profile_json(const MachineProfile& profile);
/// Reads a profile from its JSON; `source` names it in errors. Throws InvalidInput naming
/// the source and the field: another format or format version, a missing or mistyped
/// field, a cost that is negative, not finite or has no repeats, an unknown key, a cost
/// the physical model needs (required_unit_keys) missing, or a cpu_share whose shares are
/// not positive finite numbers or whose windows are not a positive integer.
MachineProfile parse_profile(const nlohmann::json& json, const std::string& source);
/// Reads `file`. Throws InvalidInput naming the file when it is missing, not JSON, or as
/// parse_profile.
MachineProfile read_profile(const std::filesystem::path& file);
/// Writes `profile` to `file` (creating its directory; via a temporary file and rename).
/// Throws InvalidInput naming the file when it cannot be written.
void write_profile(const MachineProfile& profile, const std::filesystem::path& file);

/// Where calibrate writes and predict looks: $SNNIPRED_MACHINE_PROFILE, else
/// $XDG_CONFIG_HOME/snnipred/machine.json, else ~/.config/snnipred/machine.json. Throws
/// ConfigError when none of these variables is set.
std::filesystem::path user_profile_path();

/// The reference profile: the first of `search_dirs` holding kReferenceProfileName.
/// Throws InvalidInput naming the directories when none does.
std::filesystem::path reference_profile_path(const std::vector<std::filesystem::path>& search_dirs);

/// Which profile a prediction uses and why (reports say it).
struct ChosenProfile {
    MachineProfile profile;
    bool reference = false;  // no calibration of this machine was found
};

/// `explicit_file` if given (missing: an error, never a fallback), else the per-user
/// profile if it exists, else the reference profile from `search_dirs`. Throws as
/// read_profile and reference_profile_path.
ChosenProfile choose_profile(const std::optional<std::filesystem::path>& explicit_file,
                             const std::vector<std::filesystem::path>& search_dirs);

}  // namespace snnipred::machine
