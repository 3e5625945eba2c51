#include "calibration_run.h"

#include <fmt/core.h>

#include "progress.h"
#include "snnipred/calibrate/calibration.h"

namespace snnipred::cli {

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

}  // namespace snnipred::cli
