#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "bindings.h"
#include "snnipred/core/error.h"
#include "snnipred/link/link_profile.h"
#include "snnipred/machine/machine_profile_io.h"
#include "snnipred/predict/bundle.h"
#include "snnipred/predict/prediction_report.h"

namespace snnipred::python {
namespace py = pybind11;
namespace {

using Report = predict::PredictionReport;
using NetworkHandle = std::shared_ptr<Network>;

// The Python keyword arguments as the library's query; a bad value names its argument.
// Every method predicts for `machine`, else this machine's calibration, else the
// reference profile in `search_dirs` (predict::choose_machine).
predict::PredictQuery make_query(const std::vector<std::string>& methods, const std::optional<std::string>& setting,
                                 std::optional<double> bandwidth_mbit, std::optional<double> rtt_ms,
                                 const std::string& he, const std::string& ot, const std::string& truncation,
                                 const std::string& conv_packing, bool fold_batchnorm, bool fold_preactivation, bool relu_after_pool, int timing_runs,
                                 const std::optional<std::filesystem::path>& machine_file,
                                 const std::vector<std::filesystem::path>& search_dirs) {
    predict::PredictQuery query;
    const bool physical = std::find(methods.begin(), methods.end(), "physical") != methods.end();
    try {
        predict::choose_machine(query, physical, machine_file, search_dirs);
    } catch (const InvalidInput& error) {
        throw InvalidInput(std::string(machine_file ? "machine: " : "") + error.what());
    }
    for (const std::string& method : methods) {
        if (method == "all" || method == "physical") continue;
        const std::vector<predict::Method> parsed = predict::parse_methods(method);
        query.methods.insert(query.methods.end(), parsed.begin(), parsed.end());
    }
    query.setting = prediction_setting(setting, rtt_ms);
    query.bandwidth_mbit = bandwidth_mbit;
    query.rtt_ms = rtt_ms;
    try {
        query.he = protocol::parse_he_set(he);
    } catch (const InvalidInput& error) {
        throw InvalidInput(std::string("he: ") + error.what());
    }
    try {
        query.ot = protocol::parse_ot_extension(ot);
    } catch (const InvalidInput& error) {
        throw InvalidInput(std::string("ot: ") + error.what());
    }
    query.truncation = truncation;
    query.rewrites = {
        .fold_batchnorm = fold_batchnorm, .fold_preactivation = fold_preactivation, .relu_after_pool = relu_after_pool};
    try {
        query.conv_packing = protocol::parse_conv_packing(conv_packing);
    } catch (const InvalidInput& error) {
        throw InvalidInput(std::string("conv_packing: ") + error.what());
    }
    SNNIPRED_CHECK(timing_runs >= 1, InvalidInput, "timing_runs must be at least 1, not " + std::to_string(timing_runs));
    query.timing_runs = timing_runs;
    return query;
}

// Only the physical method needs no bundle model.
Report report_of(const predict::Bundle& bundle, NetworkHandle network, const std::vector<std::string>& methods,
                 const predict::PredictQuery& query) {
    if (methods == std::vector<std::string>{"physical"}) return predict::predict_report(std::move(network), query);
    return predict::predict_report(std::move(network), bundle, query);
}

// (method, client_ms, server_ms, t_pred_us, whole_network) per method, per-step methods first.
using Total = std::tuple<std::string, double, double, double, bool>;

std::vector<Total> totals_of(const Report& report) {
    std::vector<Total> totals;
    for (const predict::MethodResult& r : report.per_step)
        totals.emplace_back(r.name, r.prediction.client_ms, r.prediction.server_ms, r.t_pred_us, false);
    for (const predict::WholeNetworkResult& r : report.whole)
        totals.emplace_back(r.name, r.times.client_ms, r.times.server_ms, r.t_pred_us, true);
    return totals;
}

// Rethrows `error` as its own type with `prefix` before its message, so the caller of a
// batch learns which candidate failed and still catches the right exception.
[[noreturn]] void rethrow_prefixed(const std::exception_ptr& error, const std::string& prefix) {
    try {
        std::rethrow_exception(error);
    } catch (const InvalidInput& e) {
        throw InvalidInput(prefix + e.what());
    } catch (const Unsupported& e) {
        throw Unsupported(prefix + e.what());
    } catch (const ConfigError& e) {
        throw ConfigError(prefix + e.what());
    } catch (const NetworkError& e) {
        throw NetworkError(prefix + e.what());
    } catch (const Error& e) {
        throw Error(prefix + e.what());
    }
}

// Predicts every network on up to `threads` threads (0: one per core); the caller has
// released the GIL. The first failing candidate's error is rethrown, naming it.
std::vector<Report> predict_all(const predict::Bundle& bundle, const std::vector<NetworkHandle>& networks,
                                const std::vector<std::string>& methods, const predict::PredictQuery& query,
                                unsigned threads) {
    std::vector<Report> reports(networks.size());
    std::vector<std::exception_ptr> errors(networks.size());
    std::atomic<std::size_t> next{0};
    const auto work = [&] {
        for (std::size_t i = next++; i < networks.size(); i = next++) try {
                reports[i] = report_of(bundle, networks[i], methods, query);
            } catch (...) {
                errors[i] = std::current_exception();
            }
    };
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    threads = static_cast<unsigned>(std::min<std::size_t>(threads, networks.size()));
    std::vector<std::jthread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    pool.clear();
    for (std::size_t i = 0; i < networks.size(); ++i)
        if (errors[i]) rethrow_prefixed(errors[i], "candidate " + std::to_string(i) + " (" + networks[i]->name() + "): ");
    return reports;
}

}  // namespace

void bind_predictors(py::module_& module) {
    py::class_<Report>(module, "Report")
        .def_property_readonly("model", [](const Report& report) { return report.network->name(); })
        .def("totals", &totals_of, "(method, client_ms, server_ms, t_pred_us, whole_network) per method")
        .def("engine_json", [](const Report& report) { return report.engine.to_json().dump(); })
        .def("engine_description", [](const Report& report) { return report.engine.describe(); })
        .def("to_json", [](Report& report) { return report.to_json().dump(); },
             "The `predict --json` document: steps with bytes and rounds, totals, communication");

    py::class_<predict::Bundle, std::shared_ptr<predict::Bundle>>(module, "Bundle")
        .def_property_readonly("backend", [](const predict::Bundle& bundle) { return bundle.manifest.backend; })
        .def_property_readonly("settings", [](const predict::Bundle& bundle) { return bundle.manifest.settings; })
        .def_property_readonly("methods",
                               [](const predict::Bundle& bundle) {
                                   std::vector<std::string> names;
                                   for (const predict::Method m : bundle.manifest.recipe.methods)
                                       names.emplace_back(predict::method_name(m));
                                   return names;
                               })
        .def(
            "predict",
            [](const predict::Bundle& bundle, NetworkHandle network, const std::vector<std::string>& methods,
               const std::optional<std::string>& setting, std::optional<double> bandwidth_mbit, std::optional<double> rtt_ms,
               const std::string& he, const std::string& ot, const std::string& truncation,
               const std::string& conv_packing, bool fold_batchnorm, bool fold_preactivation, bool relu_after_pool, int timing_runs,
               const std::optional<std::filesystem::path>& machine, const std::vector<std::filesystem::path>& search_dirs) {
                const predict::PredictQuery query = make_query(methods, setting, bandwidth_mbit, rtt_ms, he, ot,
                                                               truncation, conv_packing, fold_batchnorm, fold_preactivation, relu_after_pool, timing_runs,
                                                               machine,
                                                               search_dirs);
                py::gil_scoped_release release;
                return report_of(bundle, std::move(network), methods, query);
            },
            py::arg("network"), py::arg("methods"), py::arg("setting"), py::arg("bandwidth_mbit"), py::arg("rtt_ms"),
            py::arg("he"), py::arg("ot"), py::arg("truncation"), py::arg("conv_packing"), py::arg("fold_batchnorm"), py::arg("fold_preactivation"), py::arg("relu_after_pool"),
            py::arg("timing_runs"),
            py::arg("machine"),
            py::arg("search_dirs"))
        .def(
            "predict_many",
            [](const predict::Bundle& bundle, const std::vector<NetworkHandle>& networks,
               const std::vector<std::string>& methods, const std::optional<std::string>& setting,
               std::optional<double> bandwidth_mbit,
               std::optional<double> rtt_ms, const std::string& he, const std::string& ot, const std::string& truncation,
               const std::string& conv_packing, bool fold_batchnorm, bool fold_preactivation, bool relu_after_pool, unsigned threads,
               const std::optional<std::filesystem::path>& machine,
               const std::vector<std::filesystem::path>& search_dirs) {
                const predict::PredictQuery query =
                    make_query(methods, setting, bandwidth_mbit, rtt_ms, he, ot, truncation, conv_packing,
                               fold_batchnorm, fold_preactivation, relu_after_pool, 1, machine,
                               search_dirs);
                py::gil_scoped_release release;
                return predict_all(bundle, networks, methods, query, threads);
            },
            py::arg("networks"), py::arg("methods"), py::arg("setting"), py::arg("bandwidth_mbit"), py::arg("rtt_ms"),
            py::arg("he"), py::arg("ot"), py::arg("truncation"), py::arg("conv_packing"), py::arg("fold_batchnorm"), py::arg("fold_preactivation"), py::arg("relu_after_pool"),
            py::arg("threads"),
            py::arg("machine"),
            py::arg("search_dirs"));

    module.def(
        "load_bundle",
        [](const std::filesystem::path& path) {
            py::gil_scoped_release release;
            return std::make_shared<predict::Bundle>(predict::load_bundle(path));
        },
        py::arg("path"), "Reads a predictor bundle (plain or gzip)");
    module.def(
        "default_bundle_path",
        [](const std::vector<std::filesystem::path>& search_dirs, const std::string& ot) {
            return predict::default_bundle_path(search_dirs, protocol::parse_ot_extension(ot));
        },
        py::arg("search_dirs"), py::arg("ot") = "iknp",
        "$SNNIPRED_PREDICTOR, else the first of search_dirs holding the bundle profiled with OT extension `ot` "
        "(else the IKNP default)");
}

}  // namespace snnipred::python
