#include "snnipred/model/load.h"

#include <string>

#include "snnipred/core/error.h"
#include "snnipred/model/json_format.h"
#include "snnipred/model/onnx_import.h"
#include "snnipred/model/zoo.h"

namespace snnipred {

Network load_network(std::string_view spec) {
    constexpr std::string_view kZoo = "zoo:";
    if (spec.starts_with(kZoo)) return zoo_network(spec.substr(kZoo.size()));
    const std::string path(spec);
    if (spec.ends_with(".onnx")) return import_onnx_file(path);
    if (spec.ends_with(".json")) return load_network_json(path);
    throw InvalidInput("model '" + path + "': expected zoo:NAME, a .onnx file or a .json file");
}

}  // namespace snnipred
