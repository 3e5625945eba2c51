#include "network_evaluation_output.h"

#include <algorithm>
#include <map>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "report_files.h"
#include "snnipred/core/error.h"

namespace snnipred::cli {
namespace {

using predict::HeldOutResult;
using predict::MethodAccuracy;

std::string party(snnipred::Party p) { return std::string(snnipred::party_name(p)); }

std::string held_out_summary(const predict::HeldOutNetworks& held_out) {
    std::string text;
    for (const auto& [setting, names] : held_out) {
        std::string list;
        for (const std::string& name : names) list += (list.empty() ? "" : ", ") + name;
        text += fmt::format("{}{}: {}", text.empty() ? "" : "; ", setting, list);
    }
    return text;
}

std::string header(const NetworkEvaluationRun& run) {
    std::string text = fmt::format("whole networks ({}), samples {}", run.mode, run.networks_path);
    if (!run.data_path.empty()) text += ", layer records " + run.data_path;
    if (!run.bundle_path.empty()) text += ", bundle " + run.bundle_path;
    return text + fmt::format(", backend {}\n{}: {}\n", run.backend, run.mode == "none" ? "evaluated" : "held out",
                              held_out_summary(run.report.held_out));
}

std::string markdown_tables(const NetworkEvaluationRun& run) {
    const predict::NetworkEvaluationReport& r = run.report;
    std::string out = "| network | setting | party | measured [s] | method | predicted [s] | error [s] | error [%] | "
                      "t_pred [us] |\n| --- | --- | --- | ---: | --- | ---: | ---: | ---: | ---: |\n";
    for (const HeldOutResult& h : r.results)
        for (std::size_t m = 0; m < r.methods.size(); ++m) {
            const predict::MethodOutcome& o = h.methods[m];
            out += fmt::format("| {} | {} | {} | {:.3f} | {} | {:.3f} | {:.3f} | {:.1f} | {:.1f} |\n", h.network,
                               h.setting, party(h.party), h.measured_ms / 1000, r.methods[m], o.predicted_ms / 1000,
                               o.error_ms / 1000, o.error_pct, o.t_pred_us);
        }
    out += "\n| setting | party | method | networks | within ±10 % | share [%] | MAPE [%] | median t_pred [us] |\n"
           "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |\n";
    for (const MethodAccuracy& a : r.accuracy)
        out += fmt::format("| {} | {} | {} | {} | {} | {:.1f} | {:.1f} | {:.1f} |\n", a.setting, party(a.party),
                           a.method, a.networks, a.within_band, a.within_band_pct, a.mape_pct, a.median_t_pred_us);
    return out;
}

// One log-log scatter per setting, one series per method (both parties), with y = x.
std::string write_plots(const NetworkEvaluationRun& run, const std::filesystem::path& dir,
                        std::vector<std::string>& pngs) {
    const std::filesystem::path plots = dir / "plots";
    std::filesystem::create_directories(plots);
    const predict::NetworkEvaluationReport& r = run.report;
    std::string script = "set terminal pngcairo size 720,540 noenhanced\nset logscale xy\nset grid\n"
                         "set key top left\nset xlabel 'measured time [s]'\nset ylabel 'predicted time [s]'\n";
    for (const auto& [setting, names] : r.held_out) {
        std::string plot;
        for (std::size_t m = 0; m < r.methods.size(); ++m) {
            std::string points;
            for (const HeldOutResult& h : r.results)
                // Log axes cannot show non-positive values; such predictions sit on the floor.
                if (h.setting == setting)
                    points += fmt::format("{:.6g} {:.6g}\n", h.measured_ms / 1000,
                                          std::max(h.methods[m].predicted_ms / 1000, 1e-6));
            const std::filesystem::path data = plots / fmt::format("network_{}_{}.dat", setting, r.methods[m]);
            write_file(data, points);
            plot += fmt::format("'{}' using 1:2 with points pointtype 7 pointsize 0.8 title '{}', ", data.string(),
                                r.methods[m]);
        }
        const std::string png = fmt::format("plots/network_{}.png", setting);
        pngs.push_back(png);
        script += fmt::format("set output '{}'\nset title 'whole networks, {}: predicted vs measured ({})'\nplot {}"
                              "x with lines linecolor 'gray' title 'y = x'\n",
                              (dir / png).string(), setting, run.mode, plot);
    }
    const std::filesystem::path script_path = plots / "network_plots.gp";
    write_file(script_path, script);
    return run_gnuplot(script_path);
}

}  // namespace

std::string format_network_table(const NetworkEvaluationRun& run) {
    const predict::NetworkEvaluationReport& r = run.report;
    std::size_t name_width = 7;
    for (const HeldOutResult& h : r.results) name_width = std::max(name_width, h.network.size());
    std::size_t method_width = 6;
    for (const std::string& m : r.methods) method_width = std::max(method_width, m.size());

    std::string out = header(run);
    out += fmt::format("{:<{}} {:<8} {:<6} {:>12} {:<{}} {:>12} {:>10} {:>8} {:>11}\n", "network", name_width, "setting",
                       "party", "measured[s]", "method", method_width, "predicted[s]", "error[s]", "error[%]",
                       "t_pred[us]");
    for (const HeldOutResult& h : r.results)
        for (std::size_t m = 0; m < r.methods.size(); ++m) {
            const predict::MethodOutcome& o = h.methods[m];
            const bool first = m == 0;  // the measured columns once per block, as in Table 4
            out += fmt::format("{:<{}} {:<8} {:<6} {:>12} {:<{}} {:>12.3f} {:>10.3f} {:>8.1f} {:>11.1f}\n",
                               first ? h.network : "", name_width, first ? h.setting : "",
                               first ? party(h.party) : "",
                               first ? fmt::format("{:.3f}", h.measured_ms / 1000) : "", r.methods[m], method_width,
                               o.predicted_ms / 1000, o.error_ms / 1000, o.error_pct, o.t_pred_us);
        }
    out += fmt::format("\n{:<8} {:<6} {:<{}} {:>8} {:>10} {:>9} {:>8} {:>11}\n", "setting", "party", "method",
                       method_width, "networks", "within10%", "share[%]", "MAPE[%]", "t_pred[us]");
    for (const MethodAccuracy& a : r.accuracy)
        out += fmt::format("{:<8} {:<6} {:<{}} {:>8} {:>10} {:>9.1f} {:>8.1f} {:>11.1f}\n", a.setting, party(a.party),
                           a.method, method_width, a.networks, a.within_band, a.within_band_pct, a.mape_pct,
                           a.median_t_pred_us);
    if (r.records_without_network > 0)
        out += fmt::format("note: {} training records name no network and were used in every setting's training\n",
                           r.records_without_network);
    return out;
}

std::string format_network_json(const NetworkEvaluationRun& run) {
    const predict::NetworkEvaluationReport& r = run.report;
    nlohmann::json results = nlohmann::json::array();
    for (const HeldOutResult& h : r.results) {
        nlohmann::json methods = nlohmann::json::array();
        for (std::size_t m = 0; m < r.methods.size(); ++m) {
            const predict::MethodOutcome& o = h.methods[m];
            methods.push_back({{"method", r.methods[m]},      {"predicted_ms", o.predicted_ms},
                               {"error_ms", o.error_ms},      {"error_pct", o.error_pct},
                               {"t_pred_us", o.t_pred_us}});
        }
        results.push_back({{"network", h.network},
                           {"setting", h.setting},
                           {"party", party(h.party)},
                           {"repeats", h.repeats},
                           {"measured_ms", h.measured_ms},
                           {"methods", methods}});
    }
    nlohmann::json accuracy = nlohmann::json::array();
    for (const MethodAccuracy& a : r.accuracy)
        accuracy.push_back({{"setting", a.setting},
                            {"party", party(a.party)},
                            {"method", a.method},
                            {"networks", a.networks},
                            {"within_band", a.within_band},
                            {"within_band_pct", a.within_band_pct},
                            {"mape_pct", a.mape_pct},
                            {"median_t_pred_us", a.median_t_pred_us}});
    const nlohmann::json doc = {{"mode", run.mode},
                                {"networks", run.networks_path},
                                {"data", run.data_path},
                                {"bundle", run.bundle_path},
                                {"backend", run.backend},
                                {"band_pct", 100 * predict::kAccuracyBand},
                                {"held_out", r.held_out},
                                {"records_without_network", r.records_without_network},
                                {"results", results},
                                {"accuracy", accuracy}};
    return doc.dump(2) + "\n";
}

std::string write_network_report(const NetworkEvaluationRun& run, const std::filesystem::path& dir) {
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    SNNIPRED_CHECK(!error, InvalidInput, dir.string() + ": cannot create the report directory (" + error.message() + ")");
    const predict::NetworkEvaluationReport& r = run.report;

    std::string csv = "network,setting,party,repeats,measured_ms,method,predicted_ms,error_ms,error_pct,t_pred_us\n";
    for (const HeldOutResult& h : r.results)
        for (std::size_t m = 0; m < r.methods.size(); ++m) {
            const predict::MethodOutcome& o = h.methods[m];
            csv += fmt::format("{},{},{},{},{:.6g},{},{:.6g},{:.6g},{:.6g},{:.6g}\n", h.network, h.setting,
                               party(h.party), h.repeats, h.measured_ms, r.methods[m], o.predicted_ms, o.error_ms,
                               o.error_pct, o.t_pred_us);
        }
    write_file(dir / "network_metrics.csv", csv);
    std::string accuracy = "setting,party,method,networks,within_band,within_band_pct,mape_pct,median_t_pred_us\n";
    for (const MethodAccuracy& a : r.accuracy)
        accuracy += fmt::format("{},{},{},{},{},{:.6g},{:.6g},{:.6g}\n", a.setting, party(a.party), a.method,
                                a.networks, a.within_band, a.within_band_pct, a.mape_pct, a.median_t_pred_us);
    write_file(dir / "network_accuracy.csv", accuracy);

    std::vector<std::string> pngs;
    const std::string warning = write_plots(run, dir, pngs);

    std::string md = "# snnipred whole-network evaluation\n\n";
    md += fmt::format("- command: `{}`\n- samples: `{}`\n", run.command, run.networks_path);
    if (!run.data_path.empty()) md += fmt::format("- layer records: `{}`\n", run.data_path);
    if (!run.bundle_path.empty()) md += fmt::format("- bundle: `{}`\n", run.bundle_path);
    md += fmt::format("- backend (lowering of per-layer methods): {}\n", run.backend);
    md += run.mode == "none" ? "- mode: the bundle's models as they are, on every network of the samples\n"
                             : "- mode: per setting, every method trained only on the networks not held out\n";
    md += fmt::format("- {}: {}\n", run.mode == "none" ? "evaluated" : "held out", held_out_summary(r.held_out));
    if (r.records_without_network > 0)
        md += fmt::format("- {} training records name no network; they were used for training\n",
                          r.records_without_network);
    md += '\n';
    md += markdown_tables(run);
    md += fmt::format("\nMeasured times are means over a network's repeated runs; error % is |predicted - measured| / "
                      "measured; a network counts as within the band when its error is at most {:.0f} %; t_pred is "
                      "the median wall time of one whole-network prediction (both parties).\n\n"
                      "## Predicted vs measured\n\n",
                      100 * predict::kAccuracyBand);
    if (!warning.empty()) md += "Plots not drawn: " + warning + "\n";
    for (const std::string& png : pngs) md += "![" + png + "](" + png + ")\n";
    write_file(dir / "report.md", md);
    return warning;
}

}  // namespace snnipred::cli
