#pragma once
// The subcommand table: each cmd_<name>.cpp registers one subcommand on the CLI11 app.
// Commands throw snnipred::Error on bad input; only main() prints it and exits.

#include <CLI/CLI.hpp>

namespace snnipred::cli {

void register_describe(CLI::App& app);
void register_zoo(CLI::App& app);
void register_netprobe(CLI::App& app);
void register_train(CLI::App& app);
void register_evaluate(CLI::App& app);
void register_predict(CLI::App& app);
void register_run(CLI::App& app);
void register_profile(CLI::App& app);
void register_generate(CLI::App& app);
void register_export(CLI::App& app);
void register_db(CLI::App& app);
void register_serve(CLI::App& app);
void register_infer(CLI::App& app);
void register_calibrate(CLI::App& app);

}  // namespace snnipred::cli
