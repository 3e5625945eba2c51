#pragma once
// Test helper: a seeded mutation fuzzer under ctest. It mutates valid inputs (bit flips,
// interesting bytes and 32-bit values, truncations, insertions, deletions, duplicated
// ranges, changed decimal numbers) and runs a parser on each for a time budget. A parser
// may throw only snnipred::Error: any other exception (std::bad_alloc, nlohmann's,
// protobuf's, std::out_of_range, ...) fails the test, its input saved for replay; a crash
// ends the test binary, which ctest reports.
//
// SNNIPRED_FUZZ_SECONDS (default 3) sets each target's budget, SNNIPRED_FUZZ_SEED (default
// 1) the seed. Each target prints its executions and failures.

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <typeinfo>
#include <vector>

#include <gtest/gtest.h>

#include "snnipred/core/error.h"

namespace snnipred::test_support {

class Mutator {
public:
    explicit Mutator(std::uint64_t seed) : rng_(seed) {}

    /// One to four mutations of `input`.
    std::string operator()(std::string input) {
        const int count = 1 + static_cast<int>(below(4));
        for (int i = 0; i < count; ++i) mutate_once(input);
        return input;
    }

    std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : rng_() % n; }

private:
    void mutate_once(std::string& s) {
        if (s.empty()) {
            s.push_back(static_cast<char>(below(256)));
            return;
        }
        const std::size_t at = below(s.size());
        switch (below(8)) {
            case 0: s[at] = static_cast<char>(s[at] ^ (1 << below(8))); break;
            case 1: {
                static constexpr unsigned char kBytes[] = {0x00, 0x01, 0x7f, 0x80, 0xff, '\n', '"', '{', '[', '='};
                s[at] = static_cast<char>(kBytes[below(sizeof kBytes)]);
                break;
            }
            case 2: s.resize(at); break;
            case 3: s.insert(at, random_bytes(1 + below(16))); break;
            case 4: s.erase(at, 1 + below(std::min<std::size_t>(64, s.size() - at))); break;
            case 5: {
                const std::size_t length = 1 + below(std::min<std::size_t>(64, s.size() - at));
                s.insert(below(s.size()), s.substr(at, length));
                break;
            }
            case 6: {
                // A length field: four bytes set to a boundary value, little-endian.
                static constexpr std::uint32_t kValues[] = {0, 1, 0x7f, 0xff, 0xffff, 0x7fffffff, 0x80000000,
                                                            0xffffffff, 0x40000000};
                std::uint32_t value = kValues[below(std::size(kValues))];
                for (std::size_t k = 0; k < 4 && at + k < s.size(); ++k, value >>= 8)
                    s[at + k] = static_cast<char>(value & 0xff);
                break;
            }
            default: change_number(s, at); break;
        }
    }

    // A decimal number at or after `at` (a length, a shape, a count in text formats)
    // replaced by a boundary value.
    void change_number(std::string& s, std::size_t at) {
        const std::size_t begin = s.find_first_of("0123456789", at);
        if (begin == std::string::npos) return;
        const std::size_t end = std::min(s.find_first_not_of("0123456789", begin), s.size());
        static const char* kNumbers[] = {"0", "-1", "1", "4294967296", "2147483648", "99999999999999999999", "1e308",
                                         "65536"};
        s.replace(begin, end - begin, kNumbers[below(std::size(kNumbers))]);
    }

    std::string random_bytes(std::size_t n) {
        std::string out(n, '\0');
        for (char& c : out) c = static_cast<char>(below(256));
        return out;
    }

    std::mt19937_64 rng_;
};

struct FuzzStats {
    std::uint64_t executions = 0;
    std::uint64_t rejected = 0;  // inputs the parser refused with a snnipred::Error
    std::uint64_t failures = 0;  // other exceptions
};

inline double fuzz_seconds() {
    const char* env = std::getenv("SNNIPRED_FUZZ_SECONDS");
    return env != nullptr && *env != '\0' ? std::atof(env) : 3.0;
}

inline std::uint64_t fuzz_seed() {
    const char* env = std::getenv("SNNIPRED_FUZZ_SEED");
    return env != nullptr && *env != '\0' ? std::strtoull(env, nullptr, 10) : 1;
}

/// Runs `target(bytes)` on mutations (by `mutate(Mutator&, seed)`) of the seeds, valid
/// inputs, until the budget is spent.
template <typename Target, typename Mutate>
FuzzStats fuzz(const std::string& name, const std::vector<std::string>& seeds, Target&& target, Mutate&& mutate) {
    Mutator mutator(fuzz_seed());
    FuzzStats stats;
    const auto stop = std::chrono::steady_clock::now() + std::chrono::duration<double>(fuzz_seconds());
    while (std::chrono::steady_clock::now() < stop) {
        const std::string input = mutate(mutator, seeds[mutator.below(seeds.size())]);
        ++stats.executions;
        try {
            target(input);
        } catch (const snnipred::Error&) {
            ++stats.rejected;
        } catch (const std::exception& error) {
            ++stats.failures;
            const std::string path =
                ::testing::TempDir() + "snnipred_fuzz_" + name + "_" + std::to_string(stats.executions) + ".bin";
            std::ofstream(path, std::ios::binary) << input;
            ADD_FAILURE() << name << ": " << typeid(error).name() << ": " << error.what() << " (input saved to "
                          << path << ")";
        } catch (...) {
            ++stats.failures;
            ADD_FAILURE() << name << ": an exception of no std type";
        }
    }
    std::cout << "fuzz " << name << ": " << stats.executions << " executions (seed " << fuzz_seed() << ", "
              << fuzz_seconds() << " s), " << stats.rejected << " rejected with a snnipred error, " << stats.failures
              << " other exceptions\n";
    ::testing::Test::RecordProperty("executions", std::to_string(stats.executions));
    EXPECT_GT(stats.executions, 0u);
    return stats;
}

/// fuzz() with plain byte mutations.
template <typename Target>
FuzzStats fuzz(const std::string& name, const std::vector<std::string>& seeds, Target&& target) {
    return fuzz(name, seeds, target, [](Mutator& m, const std::string& seed) { return m(seed); });
}

}  // namespace snnipred::test_support
