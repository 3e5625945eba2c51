#pragma once
// One error hierarchy for the whole library: callers catch snnipred::Error, the CLI
// prints what() on one line and exits non-zero. Library code never exits or prints.

#include <stdexcept>
#include <string>

namespace snnipred {

/// Base of every error the library throws.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Malformed or impossible input: a file, a network description, a dataset row.
class InvalidInput : public Error {
public:
    using Error::Error;
};

/// Valid input the library does not handle (e.g. an ONNX op with no lowering).
class Unsupported : public Error {
public:
    using Error::Error;
};

/// Inconsistent configuration or parameters given by the caller.
class ConfigError : public Error {
public:
    using Error::Error;
};

/// The peer disconnected, timed out, or sent a frame that breaks the wire format.
class NetworkError : public Error {
public:
    using Error::Error;
};

}  // namespace snnipred

/// Release-mode check: throws `type` with `message` when `condition` fails.
#define SNNIPRED_CHECK(condition, type, message) \
    do {                                          \
        if (!(condition)) throw type(message);    \
    } while (false)
