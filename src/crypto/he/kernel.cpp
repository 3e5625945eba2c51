#include "snnipred/crypto/he/kernel.h"

#include <cstdlib>
#include <string>

#include "snnipred/core/error.h"

namespace snnipred::crypto::he {

std::string_view kernel_name(HeKernel kernel) { return kernel == HeKernel::kScalar ? "scalar" : "avx512"; }

bool kernel_supported(HeKernel kernel) {
    if (kernel == HeKernel::kScalar) return true;
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512ifma");
}

HeKernel default_kernel() {
    const char* forced = std::getenv("SNNIPRED_HE_KERNEL");
    if (forced == nullptr || *forced == '\0') {
        return kernel_supported(HeKernel::kAvx512) ? HeKernel::kAvx512 : HeKernel::kScalar;
    }
    const std::string name(forced);
    SNNIPRED_CHECK(name == "scalar" || name == "avx512", ConfigError,
                   "SNNIPRED_HE_KERNEL='" + name + "' is not a kernel (known: scalar, avx512)");
    const HeKernel kernel = name == "scalar" ? HeKernel::kScalar : HeKernel::kAvx512;
    SNNIPRED_CHECK(kernel_supported(kernel), ConfigError,
                   "SNNIPRED_HE_KERNEL=avx512, but this CPU lacks AVX-512F/DQ/IFMA");
    return kernel;
}

}  // namespace snnipred::crypto::he
