#pragma once
// Test helper: a fresh directory for the running test, removed with everything in it at
// the end of its scope.

#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

namespace snnipred::test_support {

class ScopedTempDir {
public:
    /// temp/PREFIX-PID-TESTNAME.
    explicit ScopedTempDir(const std::string& prefix)
        : path_(std::filesystem::temp_directory_path() /
                (prefix + "-" + std::to_string(getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
        std::filesystem::create_directories(path_);
    }
    ScopedTempDir(const ScopedTempDir&) = delete;
    ScopedTempDir& operator=(const ScopedTempDir&) = delete;
    ~ScopedTempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }

    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace snnipred::test_support
