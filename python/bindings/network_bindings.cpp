#include <memory>
#include <string>

#include <pybind11/stl.h>

#include "bindings.h"
#include "snnipred/model/description.h"
#include "snnipred/model/json_format.h"
#include "snnipred/model/load.h"
#include "snnipred/model/onnx_import.h"
#include "snnipred/model/zoo.h"

namespace snnipred::python {
namespace py = pybind11;

void bind_networks(py::module_& module) {
    // Immutable once loaded, so predictions share it across threads.
    py::class_<Network, std::shared_ptr<Network>>(module, "Network")
        .def_property_readonly("name", &Network::name)
        .def_property_readonly("layer_count", [](const Network& network) { return network.layers().size(); })
        .def("description_json", [](const Network& network) { return network_description(network).dump(); },
             "describe --json's document as a string")
        .def("to_json", &network_to_json, "The network in snnipred's JSON format (docs/network-format.md)")
        .def("__repr__", [](const Network& network) {
            return "<snnipred.Network '" + network.name() + "', " + std::to_string(network.layers().size()) +
                   " layers>";
        });

    module.def(
        "load_network",
        [](const std::string& spec) {
            py::gil_scoped_release release;
            return std::make_shared<Network>(load_network(spec));
        },
        py::arg("spec"), "A network from 'zoo:NAME[@SIZE]', an .onnx path or a .json path");
    module.def(
        "network_from_onnx_bytes",
        [](const py::bytes& bytes, const std::string& source, const std::string& name) {
            const std::string data = bytes;
            py::gil_scoped_release release;
            auto network = std::make_shared<Network>(import_onnx_bytes(data, source));
            network->set_name(name);
            return network;
        },
        py::arg("data"), py::arg("source"), py::arg("name"),
        "A network called `name` from serialized ONNX; `source` names the input in errors");
    module.def(
        "network_from_json",
        [](const std::string& text, const std::string& source) {
            return std::make_shared<Network>(network_from_json(text, source));
        },
        py::arg("text"), py::arg("source"), "A network from snnipred's JSON format");
    module.def("zoo_names", [] {
        std::vector<std::string> names;
        for (const ZooEntry& entry : zoo_entries()) names.push_back(entry.name);
        return names;
    });
}

}  // namespace snnipred::python
