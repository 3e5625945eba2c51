#include "snnipred/machine/machine_profile_io.h"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "snnipred/core/error.h"

namespace snnipred::machine {
namespace {

const nlohmann::json& field(const nlohmann::json& json, const char* name, const std::string& source) {
    SNNIPRED_CHECK(json.contains(name), InvalidInput, source + ": missing field '" + name + "'");
    return json.at(name);
}

std::string text_field(const nlohmann::json& json, const char* name, const std::string& source) {
    const nlohmann::json& value = field(json, name, source);
    SNNIPRED_CHECK(value.is_string(), InvalidInput, source + ": field '" + name + "' must be a string");
    return value.get<std::string>();
}

double seconds_field(const nlohmann::json& json, const char* name, const std::string& where) {
    const nlohmann::json& seconds = field(json, name, where);
    SNNIPRED_CHECK(seconds.is_number(), InvalidInput, where + "." + name + " must be a number");
    const double value = seconds.get<double>();
    SNNIPRED_CHECK(std::isfinite(value) && value >= 0, InvalidInput,
                   where + "." + name + " must be finite and not negative, got " + seconds.dump());
    return value;
}

// Role costs are optional (profiles calibrated before they were measured have the mean only),
// but come in pairs and only for kinds with roles.
std::optional<std::array<double, 2>> parse_role_costs(const UnitKey& key, const nlohmann::json& json,
                                                      const std::string& where) {
    const bool sender = json.contains("sender_seconds"), receiver = json.contains("receiver_seconds");
    if (!sender && !receiver) return std::nullopt;
    SNNIPRED_CHECK(sender && receiver, InvalidInput,
                   where + " has one of sender_seconds and receiver_seconds; it needs both or neither");
    SNNIPRED_CHECK(has_roles(key.kind), InvalidInput,
                   where + ": '" + std::string(unit_kind_name(key.kind)) + "' has no roles (sender_seconds, receiver_seconds)");
    std::array<double, 2> by_role{};
    by_role[protocol::ot_role_index(protocol::OtRole::kSender)] = seconds_field(json, "sender_seconds", where);
    by_role[protocol::ot_role_index(protocol::OtRole::kReceiver)] = seconds_field(json, "receiver_seconds", where);
    return by_role;
}

UnitCost parse_cost(const UnitKey& key, const std::string& name, const nlohmann::json& json, const std::string& source) {
    const std::string where = source + ": unit_costs." + name;
    SNNIPRED_CHECK(json.is_object(), InvalidInput, where + " must be an object");
    const double value = seconds_field(json, "seconds", where);
    const nlohmann::json& repeats = field(json, "repeats", where);
    SNNIPRED_CHECK(repeats.is_number_integer() && repeats.get<std::int64_t>() > 0, InvalidInput,
                   where + ".repeats must be a positive integer, got " + repeats.dump());
    return {value, repeats.get<int>(), parse_role_costs(key, json, where)};
}

double positive_number(const nlohmann::json& json, const char* name, const std::string& where) {
    const nlohmann::json& value = field(json, name, where);
    SNNIPRED_CHECK(value.is_number() && std::isfinite(value.get<double>()) && value.get<double>() > 0, InvalidInput,
                   where + "." + name + " must be a positive finite number, got " + value.dump());
    return value.get<double>();
}

// Optional: profiles calibrated before it was measured have none (CpuShare).
std::optional<CpuShare> parse_cpu_share(const nlohmann::json& json, const std::string& source) {
    if (!json.contains("cpu_share")) return std::nullopt;
    const std::string where = source + ": cpu_share";
    const nlohmann::json& share = json.at("cpu_share");
    SNNIPRED_CHECK(share.is_object(), InvalidInput, where + " must be an object");
    const nlohmann::json& windows = field(share, "windows", where);
    SNNIPRED_CHECK(windows.is_number_integer() && windows.get<std::int64_t>() > 0, InvalidInput,
                   where + ".windows must be a positive integer, got " + windows.dump());
    return CpuShare{positive_number(share, "single_thread_share", where),
                    positive_number(share, "concurrent_cores", where),
                    positive_number(share, "unthrottled_share", where), windows.get<int>()};
}

}  // namespace

nlohmann::json profile_json(const MachineProfile& profile) {
    nlohmann::json costs = nlohmann::json::object();
    for (const auto& [key, cost] : profile.costs) {
        nlohmann::json& entry = costs[unit_key_name(key)] = {{"seconds", cost.seconds},
                                                             {"unit", std::string(unit_kind_unit(key.kind))},
                                                             {"repeats", cost.repeats}};
        if (cost.by_role) {
            entry["sender_seconds"] = cost.of(protocol::OtRole::kSender);
            entry["receiver_seconds"] = cost.of(protocol::OtRole::kReceiver);
        }
    }
    nlohmann::json json{{"format", kProfileFormat},
                        {"format_version", MachineProfile::kFormatVersion},
                        {"cpu_model", profile.cpu_model},
                        {"cores", profile.cores},
                        {"date", profile.date},
                        {"snnipred_version", profile.snnipred_version},
                        {"load_average", profile.load_average},
                        {"unit_costs", costs}};
    if (profile.cpu_share)
        json["cpu_share"] = {{"single_thread_share", profile.cpu_share->single_thread_share},
                             {"concurrent_cores", profile.cpu_share->concurrent_cores},
                             {"unthrottled_share", profile.cpu_share->unthrottled_share},
                             {"windows", profile.cpu_share->windows}};
    return json;
}

MachineProfile parse_profile(const nlohmann::json& json, const std::string& source) {
    SNNIPRED_CHECK(json.is_object(), InvalidInput, source + ": a machine profile must be a JSON object");
    SNNIPRED_CHECK(text_field(json, "format", source) == kProfileFormat, InvalidInput,
                   source + ": field 'format' is not '" + kProfileFormat + "'");
    const nlohmann::json& version = field(json, "format_version", source);
    SNNIPRED_CHECK(version == MachineProfile::kFormatVersion, InvalidInput,
                   source + ": field 'format_version' is " + version.dump() + ", this snnipred reads version " +
                       std::to_string(MachineProfile::kFormatVersion) + "; run `snnipred calibrate` again");
    MachineProfile profile;
    profile.source = source;
    profile.cpu_model = text_field(json, "cpu_model", source);
    const nlohmann::json& cores = field(json, "cores", source);
    SNNIPRED_CHECK(cores.is_number_integer() && cores.get<std::int64_t>() > 0, InvalidInput,
                   source + ": field 'cores' must be a positive integer");
    profile.cores = cores.get<int>();
    profile.date = text_field(json, "date", source);
    profile.snnipred_version = text_field(json, "snnipred_version", source);
    profile.load_average = text_field(json, "load_average", source);
    const nlohmann::json& costs = field(json, "unit_costs", source);
    SNNIPRED_CHECK(costs.is_object(), InvalidInput, source + ": field 'unit_costs' must be an object");
    for (const auto& [name, cost] : costs.items()) {
        UnitKey key;
        try {
            key = parse_unit_key(name);
        } catch (const InvalidInput& error) {
            throw InvalidInput(source + ": " + error.what());
        }
        profile.costs[key] = parse_cost(key, name, cost, source);
    }
    profile.cpu_share = parse_cpu_share(json, source);
    for (const UnitKey& key : required_unit_keys())
        SNNIPRED_CHECK(profile.costs.contains(key), InvalidInput,
                       source + ": missing field 'unit_costs." + unit_key_name(key) + "'");
    return profile;
}

MachineProfile read_profile(const std::filesystem::path& file) {
    std::ifstream in(file);
    SNNIPRED_CHECK(in.good(), InvalidInput, "machine profile " + file.string() + ": cannot open the file");
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& error) {
        throw InvalidInput("machine profile " + file.string() + ": not valid JSON: " + error.what());
    }
    return parse_profile(json, "machine profile " + file.string());
}

void write_profile(const MachineProfile& profile, const std::filesystem::path& file) {
    std::error_code error;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), error);
    const std::filesystem::path temporary = file.string() + ".tmp";
    {
        std::ofstream out(temporary);
        out << profile_json(profile).dump(2) << '\n';
        SNNIPRED_CHECK(out.good(), InvalidInput, "machine profile " + file.string() + ": cannot write the file");
    }
    std::filesystem::rename(temporary, file, error);
    SNNIPRED_CHECK(!error, InvalidInput, "machine profile " + file.string() + ": cannot write it: " + error.message());
}

std::filesystem::path user_profile_path() {
    if (const char* env = std::getenv("SNNIPRED_MACHINE_PROFILE"); env != nullptr && *env != '\0') return env;
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg != '\0')
        return std::filesystem::path(xdg) / "snnipred" / "machine.json";
    const char* home = std::getenv("HOME");
    SNNIPRED_CHECK(home != nullptr && *home != '\0', ConfigError,
                   "no place for the machine profile: set SNNIPRED_MACHINE_PROFILE, XDG_CONFIG_HOME or HOME");
    return std::filesystem::path(home) / ".config" / "snnipred" / "machine.json";
}

std::filesystem::path reference_profile_path(const std::vector<std::filesystem::path>& search_dirs) {
    std::error_code error;
    std::string looked;
    for (const std::filesystem::path& dir : search_dirs) {
        if (std::filesystem::exists(dir / kReferenceProfileName, error)) return dir / kReferenceProfileName;
        looked += (looked.empty() ? "" : ", ") + dir.string();
    }
    throw InvalidInput(std::string("no machine profile: this machine is not calibrated and the reference profile ") +
                       kReferenceProfileName + " is in none of [" + looked + "]; run `snnipred calibrate`");
}

ChosenProfile choose_profile(const std::optional<std::filesystem::path>& explicit_file,
                             const std::vector<std::filesystem::path>& search_dirs) {
    if (explicit_file) return {read_profile(*explicit_file), false};
    std::error_code error;
    const std::filesystem::path user = user_profile_path();
    if (std::filesystem::exists(user, error)) return {read_profile(user), false};
    return {read_profile(reference_profile_path(search_dirs)), true};
}

}  // namespace snnipred::machine
