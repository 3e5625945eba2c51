#pragma once
// Test helper: expecting an action to throw one of the project's errors and inspecting
// its message.

#include <optional>
#include <string>

#include <gtest/gtest.h>

namespace snnipred::test_support {

/// Runs `action` and returns the message of the `Error` it throws; records a test failure
/// and returns nullopt if it throws nothing. Any other exception propagates to gtest.
template <typename Error, typename F>
std::optional<std::string> thrown_message(F&& action) {
    try {
        action();
    } catch (const Error& error) {
        return std::string(error.what());
    }
    ADD_FAILURE() << "expected an exception, none was thrown";
    return std::nullopt;
}

/// Expects `action` to throw `Error` whose message contains `fragment`.
template <typename Error, typename F>
void expect_error_containing(F&& action, const std::string& fragment) {
    const std::optional<std::string> message = thrown_message<Error>(action);
    if (message) EXPECT_NE(message->find(fragment), std::string::npos) << *message << " lacks '" << fragment << "'";
}

}  // namespace snnipred::test_support
