// The C++ extension behind `import snnipred` (python/snnipred wraps it): the library's
// errors as Python exceptions, networks, and predictors.

#include <pybind11/pybind11.h>

#include "bindings.h"
#include "snnipred/core/error.h"

PYBIND11_MODULE(_snnipred, module) {
    namespace py = pybind11;
    module.doc() = "snnipred's C++ library: networks, predictor bundles, predictions";
    // pybind11 tries translators newest first, so the derived errors are registered after
    // their base and a caller can catch snnipred.Error for all of them.
    const py::exception<snnipred::Error> error(module, "Error");
    py::register_exception<snnipred::InvalidInput>(module, "InvalidInput", error);
    py::register_exception<snnipred::Unsupported>(module, "Unsupported", error);
    py::register_exception<snnipred::ConfigError>(module, "ConfigError", error);
    py::register_exception<snnipred::NetworkError>(module, "NetworkError", error);
    snnipred::python::bind_networks(module);
    snnipred::python::bind_predictors(module);
}
