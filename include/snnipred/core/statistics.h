#pragma once
// Small statistics shared by evaluation and export.

#include <algorithm>
#include <vector>

#include "snnipred/core/error.h"

namespace snnipred {

/// The median of `values` (the mean of the middle two for an even count). Throws
/// InvalidInput on an empty vector.
inline double median(std::vector<double> values) {
    SNNIPRED_CHECK(!values.empty(), InvalidInput, "median of no values");
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace snnipred
