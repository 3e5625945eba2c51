#include "snnipred/profile/campaign.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "snnipred/core/error.h"

namespace snnipred::profile {
namespace {

using nlohmann::json;

// Reads fields of one JSON object, naming the file and the field's path in every error.
class Fields {
public:
    Fields(const json& object, std::string source, std::string path)
        : object_(object), source_(std::move(source)), path_(std::move(path)) {
        if (!object_.is_object()) fail(path_.empty() ? "(top level)" : path_, "must be an object");
    }

    [[noreturn]] void fail(const std::string& field, const std::string& why) const {
        throw ConfigError(source_ + ": campaign field '" + field + "' " + why);
    }
    std::string field(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
    bool has(const std::string& key) const { return object_.contains(key); }
    const json& at(const std::string& key) const {
        if (!has(key)) fail(field(key), "is missing");
        return object_.at(key);
    }

    std::string text(const std::string& key, std::optional<std::string> fallback = {}) const {
        if (!has(key) && fallback) return *fallback;
        const json& value = at(key);
        if (!value.is_string() || value.get<std::string>().empty()) fail(field(key), "must be a non-empty string");
        return value.get<std::string>();
    }
    double number(const std::string& key, std::optional<double> fallback = {}, double min = 0) const {
        if (!has(key) && fallback) return *fallback;
        const json& value = at(key);
        if (!value.is_number() || !std::isfinite(value.get<double>()) || value.get<double>() < min)
            fail(field(key), "must be a number >= " + format(min));
        return value.get<double>();
    }
    std::int64_t integer(const std::string& key, std::optional<std::int64_t> fallback = {}, std::int64_t min = 0) const {
        if (!has(key) && fallback) return *fallback;
        const json& value = at(key);
        if (!value.is_number_integer() || value.get<std::int64_t>() < min)
            fail(field(key), "must be an integer >= " + std::to_string(min));
        return value.get<std::int64_t>();
    }
    Fields object(const std::string& key) const { return Fields(at(key), source_, field(key)); }
    const std::string& source() const { return source_; }

    /// Rejects keys outside `known` (a typo must not silently fall back to a default).
    void only(std::initializer_list<const char*> known) const {
        for (const auto& [key, value] : object_.items())
            if (std::find_if(known.begin(), known.end(), [&](const char* k) { return key == k; }) == known.end())
                fail(field(key), "is not a known field");
    }

private:
    static std::string format(double v) {
        std::ostringstream out;
        out << v;
        return out.str();
    }

    const json& object_;
    std::string source_;
    std::string path_;
};

std::vector<std::pair<std::string, int>> counts(const Fields& parent, const std::string& key,
                                                const std::vector<std::string>& known) {
    std::vector<std::pair<std::string, int>> out;
    if (!parent.has(key)) return out;
    const Fields fields = parent.object(key);
    for (const std::string& name : known)
        if (fields.has(name)) out.emplace_back(name, static_cast<int>(fields.integer(name)));
    std::string list;
    for (const std::string& name : known) list += (list.empty() ? "" : ", ") + name;
    for (const auto& [name, value] : parent.at(key).items())
        if (std::find(known.begin(), known.end(), name) == known.end())
            fields.fail(fields.field(name), "is unknown (known: " + list + ")");
    return out;
}

Shape input_size(const json& value, const Fields& parent, const std::string& field) {
    if (value.is_number_integer() && value.get<std::int64_t>() > 0)
        return Shape{3, value.get<std::int64_t>(), value.get<std::int64_t>()};
    if (value.is_array() && value.size() == 3 &&
        std::all_of(value.begin(), value.end(), [](const json& v) { return v.is_number_integer() && v.get<std::int64_t>() > 0; }))
        return Shape{value[0].get<std::int64_t>(), value[1].get<std::int64_t>(), value[2].get<std::int64_t>()};
    parent.fail(field, "must be a positive size (square, 3 channels) or [C, H, W]");
}

LinkSetting link_setting(const Fields& fields) {
    fields.only({"name", "net", "bandwidth_mbit", "rtt_ms"});
    LinkSetting setting;
    setting.name = fields.text("name");
    setting.net = fields.text("net", "none");
    if (fields.has("bandwidth_mbit")) setting.bandwidth_mbit = fields.number("bandwidth_mbit");
    if (fields.has("rtt_ms")) setting.rtt_ms = fields.number("rtt_ms");
    try {
        (void)setting.link();
    } catch (const ConfigError& error) {
        fields.fail(fields.field("net"), std::string("is invalid: ") + error.what());
    }
    return setting;
}

GeneratorSpec generator(const Fields& fields) {
    fields.only({"families", "input_sizes", "max_blocks", "cost"});
    GeneratorSpec spec;
    spec.families = counts(fields, "families", generator_families());
    if (fields.has("input_sizes")) {
        const json& sizes = fields.at("input_sizes");
        if (!sizes.is_array() || sizes.empty()) fields.fail(fields.field("input_sizes"), "must be a non-empty array");
        spec.input_sizes.clear();
        for (std::size_t k = 0; k < sizes.size(); ++k)
            spec.input_sizes.push_back(input_size(sizes[k], fields, fields.field("input_sizes") + "[" + std::to_string(k) + "]"));
    }
    spec.max_blocks = static_cast<int>(fields.integer("max_blocks", spec.max_blocks, 1));
    if (fields.has("cost")) {
        const Fields cost = fields.object("cost");
        cost.only({"relu_s", "trunc_s", "mac_s", "cap_s", "floor_s"});
        spec.cost.relu_s = cost.number("relu_s", spec.cost.relu_s);
        spec.cost.trunc_s = cost.number("trunc_s", spec.cost.trunc_s);
        spec.cost.mac_s = cost.number("mac_s", spec.cost.mac_s);
        spec.cost.cap_s = cost.number("cap_s", spec.cost.cap_s, 1e-9);
        spec.cost.floor_s = cost.number("floor_s", spec.cost.floor_s, 0.0);
        if (spec.cost.floor_s >= spec.cost.cap_s)
            cost.fail(cost.field("floor_s"), "must be below cap_s");
    }
    return spec;
}

Campaign parse(const json& doc, const std::string& source) {
    const Fields fields(doc, source, "");
    fields.only({"name", "seed", "engine", "settings", "repeats", "timeout_s", "generator", "sweeps", "models"});
    Campaign campaign;
    campaign.name = fields.text("name");
    campaign.seed = static_cast<std::uint64_t>(fields.integer("seed", 1));
    if (fields.has("engine")) {
        const Fields engine = fields.object("engine");
        engine.only({"he", "truncation", "ot"});
        try {
            campaign.he = protocol::parse_he_set(engine.text("he", std::string(protocol::he_set_name(campaign.he))));
        } catch (const InvalidInput&) {
            engine.fail("engine.he", "must be secure or cheetah");
        }
        try {
            campaign.truncation = protocol::parse_truncation_mode(
                engine.text("truncation", std::string(protocol::truncation_mode_name(campaign.truncation))));
        } catch (const InvalidInput&) {
            engine.fail("engine.truncation", "must be faithful or approximate");
        }
        try {
            campaign.ot = protocol::parse_ot_extension(
                engine.text("ot", std::string(protocol::ot_extension_name(campaign.ot))));
        } catch (const InvalidInput&) {
            engine.fail("engine.ot", "must be iknp or ferret");
        }
    }
    const json& settings = fields.at("settings");
    if (!settings.is_array() || settings.empty()) fields.fail("settings", "must be a non-empty array");
    for (std::size_t k = 0; k < settings.size(); ++k) {
        LinkSetting setting = link_setting(Fields(settings[k], source, "settings[" + std::to_string(k) + "]"));
        for (const LinkSetting& other : campaign.settings)
            if (other.name == setting.name)
                fields.fail("settings[" + std::to_string(k) + "].name", "repeats the setting '" + setting.name + "'");
        campaign.settings.push_back(std::move(setting));
    }
    campaign.repeats = static_cast<int>(fields.integer("repeats", 1, 1));
    campaign.timeout_s = static_cast<int>(fields.integer("timeout_s", campaign.timeout_s, 1));
    if (fields.has("generator")) campaign.generator = generator(fields.object("generator"));
    campaign.sweeps = counts(fields, "sweeps", sweep_kinds());
    if (fields.has("models")) {
        const json& models = fields.at("models");
        if (!models.is_array()) fields.fail("models", "must be an array of model specs");
        for (std::size_t k = 0; k < models.size(); ++k) {
            if (!models[k].is_string() || models[k].get<std::string>().empty())
                fields.fail("models[" + std::to_string(k) + "]", "must be zoo:NAME, a .onnx or a .json path");
            campaign.models.push_back(models[k].get<std::string>());
        }
    }
    return campaign;
}

}  // namespace

engine::SecureOptions Campaign::secure_options() const {
    engine::SecureOptions options;
    options.he = engine::HomConfig::of(he);
    options.truncation = truncation;
    options.ot = ot;
    return options;
}

std::string Campaign::definition() const {
    json sizes = json::array();
    for (const Shape& s : generator.input_sizes) sizes.push_back({s.c, s.h, s.w});
    json cost{{"relu_s", generator.cost.relu_s},
              {"trunc_s", generator.cost.trunc_s},
              {"mac_s", generator.cost.mac_s},
              {"cap_s", generator.cost.cap_s}};
    // Only a set floor is part of the definition, so stores made before it existed still match.
    if (generator.cost.floor_s > 0) cost["floor_s"] = generator.cost.floor_s;
    json doc{{"seed", seed},
             {"he", protocol::he_set_name(he)},
             {"truncation", protocol::truncation_mode_name(truncation)},
             {"families", generator.families},
             {"input_sizes", sizes},
             {"max_blocks", generator.max_blocks},
             {"cost", cost},
             {"sweeps", sweeps},
             {"models", models}};
    // Likewise only a non-default OT extension: IKNP stores predate the option.
    if (ot != protocol::OtExtension::kIknp) doc["ot"] = protocol::ot_extension_name(ot);
    return doc.dump();
}

protocol::PlanOptions definition_plan_options(const std::string& definition, const std::string& source) {
    try {
        const json doc = json::parse(definition);
        engine::SecureOptions options;
        options.he = engine::HomConfig::of(protocol::parse_he_set(doc.at("he").get<std::string>()));
        options.truncation = protocol::parse_truncation_mode(doc.at("truncation").get<std::string>());
        if (doc.contains("ot")) options.ot = protocol::parse_ot_extension(doc.at("ot").get<std::string>());
        return options.plan_options();
    } catch (const json::exception& error) {
        throw InvalidInput(source + ": not a campaign definition (" + error.what() + ")");
    } catch (const InvalidInput& error) {
        throw InvalidInput(source + ": " + error.what());
    }
}

const std::vector<std::string>& generator_families() {
    static const std::vector<std::string> families{"conv", "conv_maxpool", "conv_avgpool", "fc",
                                                   "bn",   "residual",     "concat"};
    return families;
}

const std::vector<std::string>& sweep_kinds() {
    static const std::vector<std::string> kinds{"conv", "fc", "maxpool", "avgpool", "relu", "bn"};
    return kinds;
}

Campaign parse_campaign(const std::string& text, const std::string& source) {
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::exception& error) {  // syntax, or a number too large for a double
        throw ConfigError(source + ": not valid JSON: " + error.what());
    }
    return parse(doc, source);
}

Campaign load_campaign(const std::string& path) {
    std::ifstream in(path);
    SNNIPRED_CHECK(in, ConfigError, path + ": cannot read the campaign file");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_campaign(text.str(), path);
}

}  // namespace snnipred::profile
