#include "calibration_run.h"

#include <chrono>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "progress.h"
#include "snnipred/calibrate/calibration.h"
#include "snnipred/core/child_process.h"
#include "snnipred/machine/machine_profile_io.h"

namespace snnipred::cli {
namespace {

// Far beyond a full calibration (about a minute): past it the calibration has hung.
constexpr std::chrono::minutes kCalibrationBound{30};

}  // namespace

machine::MachineProfile calibrate_with_progress(bool quick) {
    ProgressLine line;
    calibrate::CalibrationOptions calibration;
    calibration.quick = quick;
    calibration.on_progress = [&line](const calibrate::CalibrationProgress& p) {
        const double rate = p.elapsed_s > 0 ? p.done / p.elapsed_s : 0;
        const int eta = rate > 0 ? static_cast<int>((p.total - p.done) / rate + 0.5) : 0;
        line.show(fmt::format("calibrate: {}/{} measurements ({}%), {:.2f}/s, ETA {}m{:02}s, {}", p.done, p.total,
                              100 * p.done / p.total, rate, eta / 60, eta % 60, p.probe));
        if (p.done == p.total) line.end();
    };
    return calibrate::calibrate_machine(calibration, SNNIPRED_VERSION);
}

machine::MachineProfile calibrate_in_child_process(bool quick) {
    const auto [pid, report_fd] = child_process::fork_reporting("calibration", [quick](int fd) {
        child_process::report_and_exit(fd, [quick] { return machine::profile_json(calibrate_with_progress(quick)).dump(); });
    });
    const child_process::ChildOutcome outcome = child_process::reap(pid, report_fd, kCalibrationBound);
    SNNIPRED_CHECK(outcome.ok(), Error, child_process::process_error(outcome, "calibration"));
    try {
        return machine::parse_profile(nlohmann::json::parse(outcome.report), "the calibration process's report");
    } catch (const nlohmann::json::exception& error) {
        throw Error(std::string("calibration process: unreadable report (") + error.what() + ")");
    }
}

}  // namespace snnipred::cli
