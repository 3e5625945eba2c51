// Choosing the held-out networks of whole-network evaluation.
#include <algorithm>
#include <random>
#include <set>

#include "snnipred/core/error.h"
#include "snnipred/predict/network_evaluation.h"

namespace snnipred::predict {
namespace {

using NamesBySetting = std::map<std::string, std::set<std::string>>;

NamesBySetting names_by_setting(std::span<const NetworkSample> samples) {
    NamesBySetting names;
    for (const NetworkSample& s : samples) names[s.setting].insert(s.name);
    return names;
}

// FNV-1a over the setting name, so a setting's draw depends on the seed and its own name
// only (not on which other settings exist).
std::uint64_t setting_seed(std::uint64_t seed, const std::string& setting) {
    std::uint64_t h = 1469598103934665603ULL ^ seed;
    for (unsigned char c : setting) h = (h ^ c) * 1099511628211ULL;
    return h;
}

std::string known_names(const NamesBySetting& by_setting) {
    std::set<std::string> all;
    for (const auto& [setting, names] : by_setting) all.insert(names.begin(), names.end());
    constexpr std::size_t kShown = 30;  // generated campaigns hold thousands of names
    std::string text;
    std::size_t shown = 0;
    for (const std::string& name : all) {
        if (shown++ == kShown) break;
        text += (text.empty() ? "" : ", ") + name;
    }
    if (all.size() > kShown) text += ", ... (" + std::to_string(all.size() - kShown) + " more)";
    return text;
}

}  // namespace

HeldOutNetworks select_holdout(std::span<const NetworkSample> samples, const HoldoutOptions& options) {
    SNNIPRED_CHECK(options.random >= 0, ConfigError, "holdout: the random count must not be negative");
    const NamesBySetting by_setting = names_by_setting(samples);
    for (const std::string& name : options.names) {
        const bool known = std::any_of(by_setting.begin(), by_setting.end(),
                                       [&](const auto& entry) { return entry.second.contains(name); });
        SNNIPRED_CHECK(known, InvalidInput,
                       "holdout: no samples of network '" + name + "' (known: " + known_names(by_setting) + ")");
    }
    const std::set<std::string> explicit_names(options.names.begin(), options.names.end());

    HeldOutNetworks held_out;
    std::size_t total = 0;
    for (const auto& [setting, names] : by_setting) {
        std::vector<std::string> chosen, candidates;
        for (const std::string& name : names) (explicit_names.contains(name) ? chosen : candidates).push_back(name);
        const auto k = static_cast<std::size_t>(options.random);
        SNNIPRED_CHECK(k <= candidates.size(), ConfigError,
                       "holdout: " + std::to_string(k) + " random networks asked for in setting " + setting +
                           ", but only " + std::to_string(candidates.size()) + " are not held out by name");
        // Partial Fisher–Yates with an explicit modulo draw: reproducible across standard
        // libraries, unlike std::shuffle / std::sample.
        std::mt19937_64 rng(setting_seed(options.seed, setting));
        for (std::size_t i = 0; i < k; ++i) {
            std::swap(candidates[i], candidates[i + rng() % (candidates.size() - i)]);
            chosen.push_back(candidates[i]);
        }
        std::sort(chosen.begin(), chosen.end());
        total += chosen.size();
        if (!chosen.empty()) held_out[setting] = std::move(chosen);
    }
    SNNIPRED_CHECK(total > 0, ConfigError, "holdout: nothing held out (name networks or ask for random ones)");
    return held_out;
}

HeldOutNetworks all_networks(std::span<const NetworkSample> samples) {
    HeldOutNetworks all;
    for (const auto& [setting, names] : names_by_setting(samples)) all[setting].assign(names.begin(), names.end());
    return all;
}

}  // namespace snnipred::predict
