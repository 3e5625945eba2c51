#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>

#include "commands.h"
#include "snnipred/core/error.h"

int main(int argc, char** argv) {
    CLI::App app{"snnipred: predict the execution time of secure neural network inference"};
    app.require_subcommand(1);
    snnipred::cli::register_describe(app);
    snnipred::cli::register_zoo(app);
    snnipred::cli::register_netprobe(app);
    snnipred::cli::register_train(app);
    snnipred::cli::register_evaluate(app);
    snnipred::cli::register_predict(app);
    snnipred::cli::register_run(app);
    snnipred::cli::register_profile(app);
    snnipred::cli::register_generate(app);
    snnipred::cli::register_export(app);
    snnipred::cli::register_db(app);
    snnipred::cli::register_serve(app);
    snnipred::cli::register_infer(app);
    snnipred::cli::register_calibrate(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        return app.exit(error);
    } catch (const snnipred::Error& error) {
        std::fprintf(stderr, "snnipred: error: %s\n", error.what());
        return 1;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "snnipred: internal error: %s\n", error.what());
        return 2;
    }
    return 0;
}
