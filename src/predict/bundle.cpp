// The bundle file format (layout in bundle.h): framing, checksums and the JSON manifest.
#include "snnipred/predict/bundle.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "snnipred/core/error.h"
#include "snnipred/machine/machine_profile_io.h"
#include "gzip.h"

namespace snnipred::predict {
namespace {

// The largest decompressed bundle accepted: 50 times the repository's default (4.7 MB),
// far below what would exhaust memory when a corrupt or hostile .gz claims more.
constexpr std::size_t kMaxBundleBytes = std::size_t{256} << 20;

using nlohmann::json;

constexpr std::string_view kMagic = "SNNIPRED-BUNDLE";
constexpr std::size_t kMaxHeaderLine = 256;

std::uint64_t fnv1a(std::string_view bytes) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (unsigned char c : bytes) hash = (hash ^ c) * 0x100000001b3ULL;
    return hash;
}

std::string group_name(LayerKind kind, Party party, const std::string& setting) {
    return std::string(layer_kind_name(kind)) + "/" + std::string(party_name(party)) + "/" + setting;
}

std::string_view intercept_name(InterceptMode m) { return m == InterceptMode::kFree ? "free" : "nonnegative"; }
InterceptMode parse_intercept(const std::string& s) {
    if (s == "free") return InterceptMode::kFree;
    if (s == "nonnegative") return InterceptMode::kNonNegative;
    throw InvalidInput("unknown intercept mode '" + s + "'");
}
std::string_view loss_name(FitLoss l) { return l == FitLoss::kRelative ? "relative" : "absolute"; }
FitLoss parse_loss(const std::string& s) {
    if (s == "relative") return FitLoss::kRelative;
    if (s == "absolute") return FitLoss::kAbsolute;
    throw InvalidInput("unknown fit loss '" + s + "'");
}

json recipe_json(const BundleRecipe& r) {
    json methods = json::array();
    for (Method m : r.methods) methods.push_back(method_name(m));
    return {{"methods", methods},
            {"analytical",
             {{"features", feature_set_name(r.analytical.features)},
              {"intercept", intercept_name(r.analytical.intercept)},
              {"loss", loss_name(r.analytical.loss)}}},
            {"nn",
             {{"trials", r.mlp.trials},
              {"seed", r.mlp.seed},
              {"inputs", mlp_inputs_name(r.mlp.inputs)},
              {"target", mlp_target_name(r.mlp.target)}}},
            {"lstm",
             {{"trials", r.lstm.trials},
              {"seed", r.lstm.seed},
              {"head", lstm_head_name(r.lstm.head)},
              {"base", lstm_base_name(r.lstm.base)},
              {"max_epochs", r.lstm.max_epochs},
              {"patience", r.lstm.patience},
              {"members", r.lstm.members}}}};
}

BundleRecipe recipe_from_json(const json& j) {
    BundleRecipe r;
    std::string list;
    for (const auto& m : j.at("methods")) {
        if (!list.empty()) list += ',';
        list += m.get<std::string>();
    }
    r.methods = parse_methods(list);
    const json& a = j.at("analytical");
    r.analytical.features = parse_feature_set(a.at("features").get<std::string>());
    r.analytical.intercept = parse_intercept(a.at("intercept").get<std::string>());
    r.analytical.loss = parse_loss(a.at("loss").get<std::string>());
    const json& n = j.at("nn");
    r.mlp.trials = n.at("trials").get<int>();
    r.mlp.seed = n.at("seed").get<std::uint64_t>();
    r.mlp.inputs = parse_mlp_inputs(n.at("inputs").get<std::string>());
    // Bundles from before residual learning have no target: they learned the time.
    if (n.contains("target")) r.mlp.target = parse_mlp_target(n.at("target").get<std::string>());
    if (j.contains("lstm")) {  // bundles from before the LSTM have no lstm recipe
        const json& l = j.at("lstm");
        r.lstm.trials = l.at("trials").get<int>();
        r.lstm.seed = l.at("seed").get<std::uint64_t>();
        r.lstm.head = parse_lstm_head(l.at("head").get<std::string>());
        if (l.contains("base")) r.lstm.base = parse_lstm_base(l.at("base").get<std::string>());
        r.lstm.max_epochs = l.at("max_epochs").get<int>();
        r.lstm.patience = l.at("patience").get<int>();
        r.lstm.members = l.value("members", 1);  // bundles from before ensembles have one
        SNNIPRED_CHECK(r.lstm.members >= 1 && r.lstm.members <= kMaxLstmMembers, InvalidInput,
                       "recipe: lstm members must be in 1.." + std::to_string(kMaxLstmMembers));
    }
    return r;
}

json training_json(const TrainingSummary& t) {
    json groups = json::array();
    for (const TrainingGroup& g : t.groups)
        groups.push_back({{"setting", g.setting},
                          {"kind", layer_kind_name(g.kind)},
                          {"party", party_name(g.party)},
                          {"rows", g.rows},
                          {"configs", g.configs},
                          {"mean_time_ms", g.mean_time_ms}});
    json out = {{"source", t.source}, {"rows", t.rows}, {"groups", groups}};
    if (t.network_samples > 0) out["networks"] = {{"source", t.network_source}, {"samples", t.network_samples}};
    return out;
}

TrainingSummary training_from_json(const json& j) {
    TrainingSummary t;
    t.source = j.at("source").get<std::string>();
    t.rows = j.at("rows").get<std::size_t>();
    for (const json& g : j.at("groups"))
        t.groups.push_back(TrainingGroup{g.at("setting").get<std::string>(),
                                         parse_layer_kind(g.at("kind").get<std::string>()),
                                         parse_party(g.at("party").get<std::string>()), g.at("rows").get<std::size_t>(),
                                         g.at("configs").get<std::size_t>(), g.at("mean_time_ms").get<double>()});
    if (j.contains("networks")) {
        t.network_source = j.at("networks").at("source").get<std::string>();
        t.network_samples = j.at("networks").at("samples").get<std::size_t>();
    }
    return t;
}

// The correction envelope of an analytical model entry; empty if the entry has none (a
// bundle saved before envelopes existed). `name` names the model in errors.
CorrectionEnvelope envelope_from_json(const json& entry, const std::string& name) {
    if (!entry.contains("envelope_log_base") && !entry.contains("envelope_correction")) return {};
    const auto log_base = entry.at("envelope_log_base").get<std::vector<double>>();
    const auto correction = entry.at("envelope_correction").get<std::vector<double>>();
    SNNIPRED_CHECK(log_base.size() == correction.size(), InvalidInput,
                   "analytical model " + name + ": its correction envelope has " + std::to_string(log_base.size()) +
                       " base times but " + std::to_string(correction.size()) + " corrections");
    std::vector<CorrectionEnvelope::Point> points;
    for (std::size_t i = 0; i < log_base.size(); ++i) points.push_back({log_base[i], correction[i]});
    return CorrectionEnvelope(std::move(points));
}

json analytical_json(const AnalyticalPredictor& p) {
    json models = json::array();
    for (const auto& [key, m] : p.models()) {
        std::vector<double> log_base, correction;
        for (const CorrectionEnvelope::Point& point : m.envelope.points()) {
            log_base.push_back(point.log_base);
            correction.push_back(point.correction);
        }
        models.push_back({{"kind", layer_kind_name(std::get<0>(key))},
                          {"party", party_name(std::get<1>(key))},
                          {"setting", std::get<2>(key)},
                          {"feature_names", m.feature_names},
                          {"min", m.min},
                          {"max", m.max},
                          {"coef", m.coef},
                          {"intercept", m.intercept},
                          {"train_rows", m.train_rows},
                          {"envelope_log_base", log_base},
                          {"envelope_correction", correction}});
    }
    return {{"models", models}};
}

AnalyticalPredictor analytical_from_json(const json& j, const AnalyticalOptions& options) {
    std::map<AnalyticalPredictor::Key, LinearModel> models;
    for (const json& m : j.at("models")) {
        LinearModel model;
        model.feature_names = m.at("feature_names").get<std::vector<std::string>>();
        model.min = m.at("min").get<std::vector<double>>();
        model.max = m.at("max").get<std::vector<double>>();
        model.coef = m.at("coef").get<std::vector<double>>();
        model.intercept = m.at("intercept").get<double>();
        model.train_rows = m.at("train_rows").get<std::size_t>();
        const AnalyticalPredictor::Key key{parse_layer_kind(m.at("kind").get<std::string>()),
                                           parse_party(m.at("party").get<std::string>()),
                                           m.at("setting").get<std::string>()};
        model.envelope = envelope_from_json(m, group_name(std::get<0>(key), std::get<1>(key), std::get<2>(key)));
        models.emplace(key, std::move(model));
    }
    return AnalyticalPredictor::from_models(options, std::move(models));
}

void append_section(std::string& out, const std::string& name, const std::string& body) {
    char header[kMaxHeaderLine];
    std::snprintf(header, sizeof header, "%s %zu %016llx\n", name.c_str(), body.size(),
                  static_cast<unsigned long long>(fnv1a(body)));
    out += header;
    out += body;
    out += '\n';
}

// Walks the sections of a bundle's bytes, checking framing, lengths and checksums.
class SectionReader {
public:
    SectionReader(const std::string& bytes, const std::string& source) : bytes_(bytes), source_(source) {}

    [[noreturn]] void fail(const std::string& reason) const { throw InvalidInput(source_ + ": " + reason); }

    std::string line(const char* what) {
        const std::size_t end = bytes_.find('\n', pos_);
        if (end == std::string::npos || end - pos_ > kMaxHeaderLine)
            fail(std::string("truncated or corrupt bundle: no complete ") + what + " line at byte " +
                 std::to_string(pos_));
        std::string text = bytes_.substr(pos_, end - pos_);
        pos_ = end + 1;
        return text;
    }

    // Reads the next section; returns false at the end marker.
    bool next(std::string& name, std::string& body) {
        const std::string header = line("section header");
        std::istringstream in(header);
        std::string length_text, hash_text;
        in >> name >> length_text;
        if (name == "end") {
            if (length_text != std::to_string(sections_)) fail("corrupt bundle: end marker does not match the sections read");
            return false;
        }
        if (!(in >> hash_text) || hash_text.size() != 16 || length_text.empty() ||
            length_text.find_first_not_of("0123456789") != std::string::npos || length_text.size() > 12)
            fail("corrupt bundle: malformed section header '" + header + "'");
        const std::size_t length = std::stoull(length_text);
        if (length + 1 > bytes_.size() - pos_)
            fail("truncated bundle: section '" + name + "' declares " + length_text + " bytes, only " +
                 std::to_string(bytes_.size() - pos_) + " remain");
        body = bytes_.substr(pos_, length);
        pos_ += length;
        if (bytes_[pos_++] != '\n') fail("corrupt bundle: section '" + name + "' is not followed by a newline");
        char expected[17];
        std::snprintf(expected, sizeof expected, "%016llx", static_cast<unsigned long long>(fnv1a(body)));
        if (hash_text != expected) fail("corrupt bundle: checksum mismatch in section '" + name + "'");
        ++sections_;
        return true;
    }

    bool at_end() const { return pos_ == bytes_.size(); }

private:
    const std::string& bytes_;
    const std::string& source_;
    std::size_t pos_ = 0;
    std::size_t sections_ = 0;
};

}  // namespace

std::string serialize_bundle(const Bundle& bundle) {
    SNNIPRED_CHECK(bundle.analytical || bundle.mlp || bundle.lstm, InvalidInput, "bundle: no models to save");
    const BundleManifest& m = bundle.manifest;
    json models = json::array();
    std::vector<std::pair<std::string, std::string>> sections;
    if (bundle.analytical) {
        models.push_back({{"method", "analytical"}, {"section", "analytical"}});
        sections.emplace_back("analytical", analytical_json(*bundle.analytical).dump());
    }
    if (bundle.mlp) {
        for (const auto& [key, model] : bundle.mlp->models()) {
            const std::string section = "mlp:" + group_name(std::get<0>(key), std::get<1>(key), std::get<2>(key));
            std::ostringstream blob;
            model.regressor.save(blob);
            json entry = {{"method", "nn"},
                          {"section", section},
                          {"kind", layer_kind_name(std::get<0>(key))},
                          {"party", party_name(std::get<1>(key))},
                          {"setting", std::get<2>(key)},
                          {"variants", model.variants},
                          {"min_time_ms", model.min_time_ms},
                          {"max_time_ms", model.max_time_ms},
                          {"input_min", model.input_min},
                          {"input_max", model.input_max}};
            if (bundle.mlp->options().target == MlpTarget::kResidual) {
                entry["min_correction"] = model.min_correction;
                entry["max_correction"] = model.max_correction;
                entry["correction_offset"] = model.correction_offset;
            }
            models.push_back(std::move(entry));
            sections.emplace_back(section, blob.str());
        }
    }
    if (bundle.lstm) {
        for (const auto& [setting, members] : bundle.lstm->models()) {
            for (std::size_t member = 0; member < members.size(); ++member) {
                // The first member keeps the section name of bundles from before ensembles.
                std::string section = "lstm:" + setting;
                if (member > 0) section.append("/").append(std::to_string(member));
                models.push_back({{"method", "lstm"}, {"section", section}, {"setting", setting}, {"member", member}});
                sections.emplace_back(section, members[member].save());
            }
        }
    }
    if (bundle.profiled_machine) sections.emplace_back("machine", machine::profile_json(*bundle.profiled_machine).dump(2));
    json manifest = {{"format", "snnipred-bundle"},      {"format_version", kBundleFormatVersion},
                     {"backend", m.backend},             {"settings", m.settings},
                     {"recipe", recipe_json(m.recipe)},  {"training", training_json(m.training)},
                     {"created", m.created},             {"snnipred_version", m.snnipred_version},
                     {"models", models}};
    if (m.backend == "snnipred") manifest["ot"] = protocol::ot_extension_name(m.ot);
    std::string out = std::string(kMagic) + " " + std::to_string(kBundleFormatVersion) + "\n";
    append_section(out, "manifest", manifest.dump(2));
    for (const auto& [name, body] : sections) append_section(out, name, body);
    out += "end " + std::to_string(sections.size() + 1) + "\n";
    return out;
}

Bundle parse_bundle(const std::string& bytes, const std::string& source) {
    SectionReader reader(bytes, source);
    if (bytes.compare(0, kMagic.size() + 1, std::string(kMagic) + " ") != 0)
        reader.fail("not a snnipred predictor bundle (wrong magic; expected '" + std::string(kMagic) + "')");
    const std::string first = reader.line("magic");
    const std::string version_text = first.substr(kMagic.size() + 1);
    if (version_text.empty() || version_text.size() > 6 || version_text.find_first_not_of("0123456789") != std::string::npos)
        reader.fail("corrupt bundle: malformed format version '" + version_text + "'");
    const int version = std::stoi(version_text);
    if (version != kBundleFormatVersion)
        reader.fail("bundle format version " + version_text + " is not supported (this snnipred reads version " +
                    std::to_string(kBundleFormatVersion) + "); retrain the bundle");

    std::map<std::string, std::string> sections;
    std::string name, body, manifest_text;
    if (!reader.next(name, manifest_text) || name != "manifest") reader.fail("corrupt bundle: the first section is not the manifest");
    while (reader.next(name, body))
        if (!sections.emplace(name, body).second) reader.fail("corrupt bundle: section '" + name + "' appears twice");
    if (!reader.at_end()) reader.fail("corrupt bundle: trailing bytes after the end marker");

    Bundle bundle;
    try {
        const json j = json::parse(manifest_text);
        if (j.at("format").get<std::string>() != "snnipred-bundle") reader.fail("manifest: not a snnipred bundle");
        BundleManifest& m = bundle.manifest;
        m.format_version = j.at("format_version").get<int>();
        if (m.format_version != version) reader.fail("manifest: format version disagrees with the file header");
        m.backend = j.at("backend").get<std::string>();
        if (j.contains("ot")) m.ot = protocol::parse_ot_extension(j.at("ot").get<std::string>());
        m.settings = j.at("settings").get<std::vector<std::string>>();
        m.recipe = recipe_from_json(j.at("recipe"));
        m.training = training_from_json(j.at("training"));
        m.created = j.at("created").get<std::string>();
        m.snnipred_version = j.at("snnipred_version").get<std::string>();

        std::map<MlpPredictor::Key, MlpPredictor::Model> mlp_models;
        std::map<std::string, std::vector<LstmRegressor>> lstm_models;
        bool has_mlp = false;
        for (const json& model : j.at("models")) {
            const std::string section = model.at("section").get<std::string>();
            const auto it = sections.find(section);
            if (it == sections.end()) reader.fail("corrupt bundle: model section '" + section + "' is missing");
            if (model.at("method").get<std::string>() == "analytical") {
                bundle.analytical = std::make_shared<const AnalyticalPredictor>(
                    analytical_from_json(json::parse(it->second), m.recipe.analytical));
                continue;
            }
            if (model.at("method").get<std::string>() == "lstm") {
                std::vector<LstmRegressor>& members = lstm_models[model.at("setting").get<std::string>()];
                if (model.value("member", std::size_t{0}) != members.size())
                    reader.fail("corrupt bundle: LSTM member of section '" + section + "' out of order");
                members.push_back(LstmRegressor::load(it->second, source + " [" + section + "]"));
                continue;
            }
            has_mlp = true;
            std::istringstream blob(it->second);
            MlpRegressor regressor = MlpRegressor::load(blob, source + " [" + section + "]");
            if (blob.peek() != std::char_traits<char>::eof()) reader.fail("corrupt bundle: extra bytes in section '" + section + "'");
            mlp_models.emplace(MlpPredictor::Key{parse_layer_kind(model.at("kind").get<std::string>()),
                                                 parse_party(model.at("party").get<std::string>()),
                                                 model.at("setting").get<std::string>()},
                               MlpPredictor::Model{model.at("variants").get<std::vector<std::string>>(),
                                                   std::move(regressor), model.at("min_time_ms").get<double>(),
                                                   model.at("max_time_ms").get<double>(),
                                                   model.at("input_min").get<std::vector<double>>(),
                                                   model.at("input_max").get<std::vector<double>>(),
                                                   model.value("min_correction", 0.0),
                                                   model.value("max_correction", 0.0),
                                                   model.value("correction_offset", 0.0)});
        }
        if (const auto it = sections.find("machine"); it != sections.end())
            bundle.profiled_machine = machine::parse_profile(json::parse(it->second), source + " [machine]");
        const bool residual_nn = has_mlp && m.recipe.mlp.target == MlpTarget::kResidual;
        for (const auto& [setting, members] : lstm_models)
            if (static_cast<int>(members.size()) != m.recipe.lstm.members)
                reader.fail("corrupt bundle: " + std::to_string(members.size()) + " LSTM members for setting '" +
                            setting + "', the recipe says " + std::to_string(m.recipe.lstm.members));
        const LstmBase lstm_base = lstm_models.empty() ? LstmBase::kNone : m.recipe.lstm.base;
        if ((residual_nn || lstm_base != LstmBase::kNone) && !bundle.analytical)
            reader.fail(std::string("the recipe's ") +
                        (residual_nn ? "nn target residual" : "lstm base " + std::string(lstm_base_name(lstm_base))) +
                        " corrects the analytical model, but the bundle has no analytical model");
        if (lstm_base == LstmBase::kNn && !residual_nn)
            reader.fail("the recipe's lstm base nn corrects the residual per-layer MLP, but the bundle has none");
        // All correct the bundle's own models: the ones they were trained on.
        if (has_mlp) bundle.mlp = std::make_shared<MlpPredictor>(m.recipe.mlp, std::move(mlp_models),
                                                                residual_nn ? bundle.analytical : nullptr);
        if (!lstm_models.empty())
            bundle.lstm = std::make_unique<LstmPredictor>(m.recipe.lstm, m.backend, std::move(lstm_models),
                                                          bundle.analytical, bundle.mlp, m.ot);
    } catch (const json::exception& error) {
        reader.fail(std::string("malformed bundle manifest or model: ") + error.what());
    } catch (const InvalidInput& error) {
        const std::string what = error.what();
        if (what.rfind(source, 0) == 0) throw;
        reader.fail(what);
    }
    for (Method method : bundle.manifest.recipe.methods)
        if ((method == Method::kAnalytical && !bundle.analytical) || (method == Method::kNn && !bundle.mlp) ||
            (method == Method::kLstm && !bundle.lstm))
            reader.fail("corrupt bundle: no " + std::string(method_name(method)) + " models although the recipe lists them");
    return bundle;
}

void save_bundle(const Bundle& bundle, const std::filesystem::path& path) {
    const std::string bytes =
        path.extension() == ".gz" ? gzip_compress(serialize_bundle(bundle)) : serialize_bundle(bundle);
    const std::filesystem::path temporary = path.string() + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.close();
        SNNIPRED_CHECK(out.good(), InvalidInput, path.string() + ": cannot write the bundle");
    }
    std::error_code error;
    std::filesystem::rename(temporary, path, error);
    SNNIPRED_CHECK(!error, InvalidInput, path.string() + ": cannot write the bundle (" + error.message() + ")");
}

Bundle load_bundle(const std::filesystem::path& path) {
    std::error_code ignored;
    SNNIPRED_CHECK(!std::filesystem::is_directory(path, ignored), InvalidInput,
                   path.string() + ": is a directory, not a bundle file");
    std::ifstream in(path, std::ios::binary);
    SNNIPRED_CHECK(in.good(), InvalidInput, path.string() + ": cannot open the bundle");
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    if (is_gzip(bytes)) bytes = gzip_decompress(bytes, path.string(), kMaxBundleBytes);
    return parse_bundle(bytes, path.string());
}

std::filesystem::path default_bundle_path(const std::vector<std::filesystem::path>& search_dirs,
                                          protocol::OtExtension ot) {
    if (const char* env = std::getenv("SNNIPRED_PREDICTOR"); env != nullptr && *env != '\0') return env;
    std::error_code error;
    std::vector<const char*> names;
    if (ot == protocol::OtExtension::kFerret) names.push_back(kFerretBundleName);
    names.push_back(kDefaultBundleName);
    for (const char* name : names)
        for (const std::filesystem::path& dir : search_dirs)
            if (std::filesystem::exists(dir / name, error)) return dir / name;
    throw InvalidInput(std::string("no predictor given and no bundled default (predictors/") + kDefaultBundleName +
                       " beside the build directory); set SNNIPRED_PREDICTOR or name a bundle");
}

}  // namespace snnipred::predict
