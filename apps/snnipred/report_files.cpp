#include "report_files.h"

#include <array>
#include <cstdio>
#include <fstream>

#include "snnipred/core/error.h"

namespace snnipred::cli {

void write_file(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    SNNIPRED_CHECK(out.good(), InvalidInput, path.string() + ": cannot write");
}

std::string run_gnuplot(const std::filesystem::path& script) {
    const std::string command = "gnuplot '" + script.string() + "' 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return "cannot run gnuplot; plots not drawn (script in " + script.string() + ")";
    std::string output;
    std::array<char, 512> buffer{};
    while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) output += buffer.data();
    const int status = pclose(pipe);
    if (status != 0) {
        const std::string first = output.substr(0, output.find('\n'));
        return "gnuplot failed (" + first + "); plots not drawn (script in " + script.string() + ")";
    }
    return {};
}

}  // namespace snnipred::cli
