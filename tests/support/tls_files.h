#pragma once
// Test helper: self-signed TLS certificates made at test time with the openssl CLI.

#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

namespace snnipred::test_support {

struct TlsFiles {
    std::string certificate;
    std::string key;
};

/// A self-signed certificate (EC P-256, valid one day for 127.0.0.1 and localhost) and its
/// key, PEM, in the test's temporary directory; `name` (and this process) keep them apart.
/// The certificate is its own CA. Throws std::runtime_error when openssl fails.
inline TlsFiles self_signed_certificate(const std::string& name) {
    const std::string stem = ::testing::TempDir() + "snnipred_tls_" + std::to_string(::getpid()) + "_" + name;
    TlsFiles files{stem + ".crt", stem + ".key"};
    const std::string command =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=snnipred-" +
        name + " -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout " + files.key + " -out " +
        files.certificate + " >/dev/null 2>&1";
    if (std::system(command.c_str()) != 0) throw std::runtime_error("openssl failed: " + command);
    return files;
}

/// self_signed_certificate(name), made once per process.
inline const TlsFiles& test_certificate(const std::string& name) {
    static std::map<std::string, TlsFiles> made;
    const auto found = made.find(name);
    return found != made.end() ? found->second : made.emplace(name, self_signed_certificate(name)).first->second;
}

}  // namespace snnipred::test_support
