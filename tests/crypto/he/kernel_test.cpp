#include "snnipred/crypto/he/kernel.h"

#include <string>

#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "support/scoped_env.h"

namespace snnipred::crypto::he {
namespace {

using test_support::ScopedEnv;

constexpr const char* kKernelVariable = "SNNIPRED_HE_KERNEL";

TEST(Kernel, EnvironmentForcesTheScalarKernel) {
    const ScopedEnv scalar(kKernelVariable, "scalar");
    EXPECT_EQ(default_kernel(), HeKernel::kScalar);
}

TEST(Kernel, UnknownKernelNameIsAConfigErrorNamingTheVariable) {
    const ScopedEnv bad(kKernelVariable, "sse2");
    try {
        default_kernel();
        FAIL() << "no error";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("SNNIPRED_HE_KERNEL='sse2'"), std::string::npos) << e.what();
    }
}

TEST(Kernel, AvxIsChosenExactlyWhenSupported) {
    const ScopedEnv unset(kKernelVariable, "");
    EXPECT_EQ(default_kernel() == HeKernel::kAvx512, kernel_supported(HeKernel::kAvx512));
    EXPECT_TRUE(kernel_supported(HeKernel::kScalar));
    EXPECT_EQ(kernel_name(HeKernel::kAvx512), "avx512");
}

}  // namespace
}  // namespace snnipred::crypto::he
