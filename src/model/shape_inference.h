#pragma once

#include "snnipred/model/layer.h"

namespace snnipred::detail {

/// Checks `layer` (whose input_shapes are set) and returns its output shape. Resolves
/// SAME/VALID padding into explicit pads in `layer.window`. Throws InvalidInput with a
/// message that starts with the layer's name and type.
Shape infer_output_shape(Layer& layer);

}  // namespace snnipred::detail
