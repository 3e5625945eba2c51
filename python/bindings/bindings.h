#pragma once
// The parts of the extension module, one file each.

#include <pybind11/pybind11.h>

namespace snnipred::python {

/// Network handles: loading from a spec, ONNX bytes and JSON text; describe().
void bind_networks(pybind11::module_& module);
/// Predictor bundles, queries and prediction reports; predict / predict_many.
void bind_predictors(pybind11::module_& module);

}  // namespace snnipred::python
