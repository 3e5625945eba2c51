#include "snnipred/crypto/he/kernel.h"

#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "snnipred/core/error.h"

namespace snnipred::crypto::he {
namespace {

// Sets SNNIPRED_HE_KERNEL for one scope and restores what was there.
class KernelVariable {
public:
    explicit KernelVariable(const char* value) {
        if (const char* old = std::getenv(kName)) saved_ = old;
        ::setenv(kName, value, 1);
    }
    ~KernelVariable() {
        if (saved_.empty()) {
            ::unsetenv(kName);
        } else {
            ::setenv(kName, saved_.c_str(), 1);
        }
    }

private:
    static constexpr const char* kName = "SNNIPRED_HE_KERNEL";
    std::string saved_;
};

TEST(Kernel, EnvironmentForcesTheScalarKernel) {
    const KernelVariable scalar("scalar");
    EXPECT_EQ(default_kernel(), HeKernel::kScalar);
}

TEST(Kernel, UnknownKernelNameIsAConfigErrorNamingTheVariable) {
    const KernelVariable bad("sse2");
    try {
        default_kernel();
        FAIL() << "no error";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("SNNIPRED_HE_KERNEL='sse2'"), std::string::npos) << e.what();
    }
}

TEST(Kernel, AvxIsChosenExactlyWhenSupported) {
    const KernelVariable unset("");
    EXPECT_EQ(default_kernel() == HeKernel::kAvx512, kernel_supported(HeKernel::kAvx512));
    EXPECT_TRUE(kernel_supported(HeKernel::kScalar));
    EXPECT_EQ(kernel_name(HeKernel::kAvx512), "avx512");
}

}  // namespace
}  // namespace snnipred::crypto::he
