#pragma once
// A predictor bundle: one versioned file holding every per-layer model of one backend,
// for every layer kind, party and setting it was trained on, plus the recipe that made
// them (so evaluation can re-fit the same recipe per fold).
//
// File layout (format version 1), all text lines end in '\n':
//   SNNIPRED-BUNDLE 1
//   <section> <length> <fnv1a-64 of the section's bytes, 16 hex digits>
//   <length bytes> '\n'
//   ... one header + body per section ...
//   end <section count>
// Sections: "manifest" first (JSON: backend, the profiled OT extension for the snnipred
// backend, settings, recipe, training data summary,
// creation date, snnipred version, and the list of model sections), then "analytical"
// (JSON: coefficients and min/max per group) if trained, then one "mlp:<kind>/<party>/
// <setting>" per MLP group holding MlpRegressor::save's binary model, then one
// "lstm:<setting>" per LSTM model holding LstmRegressor::save's JSON, then "machine" (the
// profiling machine's profile) if the bundle has one. The manifest's
// backend selects the lowering the LSTM reads networks through. A residual MLP group also
// records its correction range and offset in the manifest.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "snnipred/machine/machine_profile.h"
#include "snnipred/predict/analytical.h"
#include "snnipred/predict/lstm_predictor.h"
#include "snnipred/predict/mlp_predictor.h"
#include "snnipred/protocol/options.h"

namespace snnipred::predict {

inline constexpr int kBundleFormatVersion = 1;

/// kAnalytical and kNn predict per layer (Predictor); kLstm predicts whole networks
/// (NetworkPredictor) and is trained on whole-network samples.
enum class Method { kAnalytical, kNn, kLstm };

/// "analytical" / "nn" / "lstm".
std::string_view method_name(Method method);
/// Parses a comma-separated list ("analytical,nn,lstm"); throws InvalidInput on an unknown or
/// repeated name or an empty list.
std::vector<Method> parse_methods(std::string_view list);

/// How a bundle's models are made; stored in the manifest.
struct BundleRecipe {
    std::vector<Method> methods{Method::kAnalytical};
    AnalyticalOptions analytical;
    MlpPredictorOptions mlp;
    LstmPredictorOptions lstm;
};

/// Rows of one (setting, kind, party) group of the training data.
struct TrainingGroup {
    std::string setting;
    LayerKind kind = LayerKind::kRelu;
    Party party = Party::kClient;
    std::size_t rows = 0;
    std::size_t configs = 0;  // distinct configurations (variant + raw features)
    double mean_time_ms = 0;
};

struct TrainingSummary {
    std::string source;  // the --data path as given
    std::size_t rows = 0;
    std::vector<TrainingGroup> groups;
    std::string network_source;       // the --networks path as given; empty without LSTM
    std::size_t network_samples = 0;  // whole-network samples the LSTM was trained on
};

struct BundleManifest {
    int format_version = kBundleFormatVersion;
    std::string backend = "cheetah";
    /// snnipred backend: the OT extension its times were profiled with (manifest "ot";
    /// bundles from before it was recorded were profiled with iknp).
    protocol::OtExtension ot = protocol::OtExtension::kIknp;
    std::vector<std::string> settings;
    BundleRecipe recipe;
    TrainingSummary training;
    std::string created;           // ISO 8601, UTC
    std::string snnipred_version;  // of the build that trained the bundle
};

struct Bundle {
    BundleManifest manifest;
    /// Shared: the residual nn and the LSTM with an analytical base correct this model.
    std::shared_ptr<const AnalyticalPredictor> analytical;  // null unless recipe has kAnalytical
    /// Shared: the LSTM with base nn corrects this model.
    std::shared_ptr<MlpPredictor> mlp;                      // null unless recipe has kNn
    std::unique_ptr<LstmPredictor> lstm;                    // null unless recipe has kLstm
    /// The machine the training data was profiled on (section "machine", a machine
    /// profile as machine_profile_io.h writes it); absent when trained without one. With
    /// it a prediction can move the bundle's times to another machine (prediction_report.h).
    std::optional<machine::MachineProfile> profiled_machine;

    /// The fitted per-layer predictor of `method`; throws InvalidInput if the bundle lacks
    /// it or `method` is kLstm (a whole-network predictor: use lstm_predictor).
    const Predictor& predictor(Method method) const;
    /// The fitted LSTM; throws InvalidInput if the bundle has none.
    const LstmPredictor& lstm_predictor() const;
};

/// A factory of fresh, unfitted predictors of `method` as `recipe` configures them (for
/// per-fold re-fitting; a residual MLP fits its own analytical base with the recipe's
/// analytical options). `progress` is passed to MLP predictors. Throws InvalidInput for
/// kLstm (see recipe_network_factory).
PredictorFactory recipe_factory(const BundleRecipe& recipe, Method method, MlpFitProgressCallback progress = {});
/// A factory of fresh, unfitted LSTM predictors as `recipe` configures them, lowering
/// through `backend` (the manifest's) as profiled with `ot`. Throws InvalidInput on an
/// unknown backend, and if the recipe asks for a base (those are fitted on layer records
/// first: network_methods.h).
NetworkPredictorFactory recipe_network_factory(const BundleRecipe& recipe, const std::string& backend,
                                               LstmFitProgressCallback progress = {},
                                               protocol::OtExtension ot = protocol::OtExtension::kIknp);

/// Whether `recipe` lists `method`.
bool recipe_has(const BundleRecipe& recipe, Method method);

/// Trains every per-layer method of `recipe` on all of `data`. `source` is recorded in the
/// manifest, the backend is "cheetah". Throws InvalidInput on an empty dataset, if the
/// recipe asks for lstm (which needs network samples) and whatever fitting throws.
Bundle train_bundle(const Dataset& data, const BundleRecipe& recipe, const std::string& source,
                    MlpFitProgressCallback progress = {});

/// What train_bundle trains on: per-layer records for analytical and nn, whole-network
/// samples for lstm, and the backend whose lowering the LSTM reads networks through.
struct BundleTrainingData {
    const Dataset* layers = nullptr;            // required for analytical / nn
    std::string layers_source;
    std::span<const NetworkSample> networks;    // required for lstm
    std::string networks_source;
    std::string backend = "cheetah";            // "cheetah" or "snnipred"
    /// snnipred backend: the OT extension the profiling campaigns ran (their engine.ot).
    protocol::OtExtension ot = protocol::OtExtension::kIknp;
    /// The machine the campaigns ran on, calibrated beside them; kept in the bundle.
    std::optional<machine::MachineProfile> machine;
};

/// Progress of every method that tunes (either callback may be empty).
struct BundleProgress {
    MlpFitProgressCallback mlp;
    LstmFitProgressCallback lstm;
};

/// Trains every method of `recipe`: analytical and nn on data.layers, lstm on
/// data.networks. Analytical is fitted first; the residual nn (nn.target residual) and the
/// LSTM with an analytical base (lstm.base analytical) then share it. Throws InvalidInput if
/// a method lacks its data ("lstm needs whole-network samples (--networks)"), if the recipe
/// asks for residual nn or an analytical LSTM base without listing analytical, on an
/// unknown backend, and whatever fitting throws.
Bundle train_bundle(const BundleTrainingData& data, const BundleRecipe& recipe, const BundleProgress& progress = {});

/// The bundle's bytes in the layout above. Throws InvalidInput if the bundle holds no model.
std::string serialize_bundle(const Bundle& bundle);
/// Parses serialize_bundle's bytes. Recipes written before nn.target and lstm.base existed
/// read as time and none. Throws InvalidInput "<source>: <reason>" on a wrong magic, a
/// newer format version, a truncated file, a checksum or length mismatch, a malformed
/// manifest, a model that does not fit the recipe, or a recipe whose residual nn or
/// analytical LSTM base has no analytical model to correct.
Bundle parse_bundle(const std::string& bytes, const std::string& source);

/// Writes the bundle to `path` (via a temporary file and rename, so a crash never leaves
/// half a bundle), gzip-compressed when `path` ends in ".gz" (the MLP and LSTM weights
/// are most of a bundle; the repository's default stays under 5 MiB that way). Throws
/// InvalidInput if the file cannot be written.
void save_bundle(const Bundle& bundle, const std::filesystem::path& path);
/// The file name of the bundled default predictor (in the repository's predictors/),
/// profiled with IKNP, the engine's default OT extension.
inline constexpr const char* kDefaultBundleName = "snnipred-default.bundle.gz";
/// The file name of the bundled predictor profiled with `--ot ferret`.
inline constexpr const char* kFerretBundleName = "snnipred-ferret.bundle.gz";

/// Where the bundled predictor for the OT extension `ot` is: $SNNIPRED_PREDICTOR if set, else
/// the first of `search_dirs` holding the bundle profiled with `ot` (kFerretBundleName for
/// Ferret), else the first holding kDefaultBundleName, whose times are IKNP's (a report of a
/// bundle profiled with another OT extension says so). Each interface knows where it was
/// built from. Throws InvalidInput saying how to name one if none holds either.
std::filesystem::path default_bundle_path(const std::vector<std::filesystem::path>& search_dirs,
                                          protocol::OtExtension ot = protocol::OtExtension::kIknp);

/// Reads a bundle, plain or gzip-compressed (recognised by its magic, not its name);
/// throws InvalidInput naming `path` if it cannot be read, decompressed or parsed.
Bundle load_bundle(const std::filesystem::path& path);

}  // namespace snnipred::predict
