#include "snnipred/model/shape.h"

namespace snnipred {

std::string Shape::str() const {
    return std::to_string(c) + "x" + std::to_string(h) + "x" + std::to_string(w);
}

}  // namespace snnipred
