#include "evaluation_output.h"

#include <algorithm>
#include <map>
#include <tuple>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "report_files.h"
#include "snnipred/core/error.h"

namespace snnipred::cli {
namespace {

struct Row {
    const predict::GroupMetrics* metrics;
    const MethodEvaluation* method;
};

using GroupKey = std::tuple<std::string, predict::LayerKind, snnipred::Party>;

// Rows by setting, kind, party, then method in the bundle's order.
std::vector<Row> rows_of(const EvaluationRun& run) {
    std::map<GroupKey, std::vector<Row>> groups;
    for (const MethodEvaluation& m : run.methods)
        for (const predict::GroupMetrics& g : m.report.groups) groups[{g.setting, g.kind, g.party}].push_back({&g, &m});
    std::vector<Row> rows;
    for (const auto& [key, members] : groups) rows.insert(rows.end(), members.begin(), members.end());
    return rows;
}

std::string kind_name(const predict::GroupMetrics& g) { return std::string(predict::layer_kind_name(g.kind)); }
std::string party(const predict::GroupMetrics& g) { return std::string(snnipred::party_name(g.party)); }
std::string method(const Row& r) { return std::string(predict::method_name(r.method->method)); }

std::string markdown_table(const EvaluationRun& run) {
    std::string out =
        "| setting | layer | party | method | rows | tested | t_layer [ms] | MAE [ms] | MAPE [%] | R2 | t_pred [us] |\n"
        "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
    for (const Row& r : rows_of(run)) {
        const predict::GroupMetrics& g = *r.metrics;
        out += fmt::format("| {} | {} | {} | {} | {} | {} | {:.1f} | {:.1f} | {:.1f} | {:.3f} | {:.2f} |\n", g.setting,
                           kind_name(g), party(g), method(r), g.rows, g.test_rows, g.mean_time_ms, g.mae_ms,
                           g.mape_pct, g.r2, g.t_pred_us);
    }
    return out;
}

// One scatter plot per (setting, kind, party), one series per method, log-log with the
// y = x diagonal. Returns a warning if gnuplot could not draw them.
std::string write_plots(const EvaluationRun& run, const std::filesystem::path& dir, std::vector<std::string>& pngs) {
    const std::filesystem::path plots = dir / "plots";
    std::filesystem::create_directories(plots);
    std::map<GroupKey, std::vector<std::pair<std::string, std::filesystem::path>>> series;
    for (const MethodEvaluation& m : run.methods) {
        std::map<GroupKey, std::string> points;
        for (const Sample& s : m.samples) {
            // Log axes cannot show non-positive values; such predictions sit on the floor.
            points[{s.record->setting, s.record->kind, s.record->party}] +=
                fmt::format("{:.6g} {:.6g}\n", s.record->time_ms, std::max(s.predicted_ms, 1e-3));
        }
        for (const auto& [key, text] : points) {
            const std::string name = fmt::format("{}_{}_{}_{}.dat", std::get<0>(key), predict::layer_kind_name(std::get<1>(key)),
                                                 snnipred::party_name(std::get<2>(key)), predict::method_name(m.method));
            write_file(plots / name, text);
            series[key].emplace_back(std::string(predict::method_name(m.method)), plots / name);
        }
    }
    std::string script = "set terminal pngcairo size 720,540 noenhanced\nset logscale xy\nset grid\n"
                         "set key top left\nset xlabel 'measured time [ms]'\nset ylabel 'predicted time [ms]'\n";
    for (const auto& [key, members] : series) {
        const std::string stem = fmt::format("{}_{}_{}", std::get<0>(key), predict::layer_kind_name(std::get<1>(key)),
                                             snnipred::party_name(std::get<2>(key)));
        pngs.push_back("plots/" + stem + ".png");
        script += fmt::format("set output '{}'\nset title '{} {} {}: predicted vs measured ({})'\nplot ",
                              (plots / (stem + ".png")).string(), std::get<0>(key),
                              predict::layer_kind_name(std::get<1>(key)), snnipred::party_name(std::get<2>(key)),
                              predict::split_kind_name(run.split.kind));
        for (const auto& [name, file] : members)
            script += fmt::format("'{}' using 1:2 with points pointtype 7 pointsize 0.5 title '{}', ", file.string(), name);
        script += "x with lines linecolor 'gray' title 'y = x'\n";
    }
    const std::filesystem::path script_path = plots / "plots.gp";
    write_file(script_path, script);
    return run_gnuplot(script_path);
}

}  // namespace

std::string format_table(const EvaluationRun& run) {
    std::string out = fmt::format("split {}, data {}, bundle {}\n", predict::split_kind_name(run.split.kind),
                                  run.data_path, run.bundle_path);
    out += fmt::format("{:<8} {:<8} {:<7} {:<11} {:>6} {:>6} {:>10} {:>10} {:>8} {:>7} {:>10}\n", "setting", "kind",
                       "party", "method", "rows", "tested", "t_layer", "MAE[ms]", "MAPE[%]", "R2", "t_pred[us]");
    for (const Row& r : rows_of(run)) {
        const predict::GroupMetrics& g = *r.metrics;
        out += fmt::format("{:<8} {:<8} {:<7} {:<11} {:>6} {:>6} {:>10.1f} {:>10.1f} {:>8.1f} {:>7.3f} {:>10.2f}\n",
                           g.setting, kind_name(g), party(g), method(r), g.rows, g.test_rows, g.mean_time_ms,
                           g.mae_ms, g.mape_pct, g.r2, g.t_pred_us);
    }
    return out;
}

std::string format_json(const EvaluationRun& run) {
    nlohmann::json groups = nlohmann::json::array();
    for (const Row& r : rows_of(run)) {
        const predict::GroupMetrics& g = *r.metrics;
        groups.push_back({{"setting", g.setting},         {"kind", kind_name(g)},
                          {"party", party(g)},            {"method", method(r)},
                          {"predictor", r.method->report.predictor},
                          {"rows", g.rows},               {"test_rows", g.test_rows},
                          {"mean_time_ms", g.mean_time_ms}, {"mae_ms", g.mae_ms},
                          {"mape_pct", g.mape_pct},       {"r2", g.r2},
                          {"t_pred_us", g.t_pred_us}});
    }
    const nlohmann::json doc = {{"bundle", run.bundle_path},
                                {"data", run.data_path},
                                {"split", predict::split_kind_name(run.split.kind)},
                                {"folds", run.split.folds},
                                {"seed", run.split.seed},
                                {"groups", groups}};
    return doc.dump(2) + "\n";
}

std::string write_report(const EvaluationRun& run, const std::filesystem::path& dir) {
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    SNNIPRED_CHECK(!error, InvalidInput, dir.string() + ": cannot create the report directory (" + error.message() + ")");

    std::string csv = "setting,kind,party,method,predictor,split,rows,test_rows,mean_time_ms,mae_ms,mape_pct,r2,t_pred_us\n";
    for (const Row& r : rows_of(run)) {
        const predict::GroupMetrics& g = *r.metrics;
        csv += fmt::format("{},{},{},{},{},{},{},{},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g}\n", g.setting, kind_name(g),
                           party(g), method(r), r.method->report.predictor, predict::split_kind_name(run.split.kind),
                           g.rows, g.test_rows, g.mean_time_ms, g.mae_ms, g.mape_pct, g.r2, g.t_pred_us);
    }
    write_file(dir / "metrics.csv", csv);

    std::vector<std::string> pngs;
    const std::string warning = write_plots(run, dir, pngs);

    const predict::BundleManifest& m = *run.manifest;
    std::string md = "# snnipred evaluation\n\n";
    md += fmt::format("- command: `{}`\n- bundle: `{}` (backend {}, created {}, snnipred {}, trained on {} rows of `{}`)\n",
                      run.command, run.bundle_path, m.backend, m.created, m.snnipred_version, m.training.rows,
                      m.training.source);
    md += fmt::format("- recipe: analytical features {}, nn inputs {}, {} trials, seed {}\n",
                      predict::feature_set_name(m.recipe.analytical.features),
                      predict::mlp_inputs_name(m.recipe.mlp.inputs), m.recipe.mlp.trials, m.recipe.mlp.seed);
    md += fmt::format("- data: `{}`; split: {}{}\n\n", run.data_path, predict::split_kind_name(run.split.kind),
                      run.split.kind == predict::SplitKind::kNone
                          ? " (the bundle's models as they are, in-sample if the data is the training data)"
                          : " (the bundle's recipe re-fitted per fold)");
    md += markdown_table(run);
    md += "\nMAE, MAPE and R2 are averaged over folds; t_pred is the wall time per prediction.\n\n## Predicted vs measured\n\n";
    if (!warning.empty()) md += "Plots not drawn: " + warning + "\n";
    for (const std::string& png : pngs) md += "![" + png + "](" + png + ")\n";
    write_file(dir / "report.md", md);
    return warning;
}

}  // namespace snnipred::cli
