// JSON Lines reader and writer of whole-network timing samples (network_dataset.h).
#include "snnipred/predict/network_dataset.h"

#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

#include "snnipred/core/error.h"
#include "snnipred/model/json_format.h"

namespace snnipred::predict {
namespace {

using nlohmann::json;

bool skipped(const std::string& line) {
    const std::size_t first = line.find_first_not_of(" \t\r");
    return first == std::string::npos || line[first] == '#';
}

double time_field(const json& j, const char* field) {
    const double ms = j.at(field).get<double>();
    SNNIPRED_CHECK(std::isfinite(ms) && ms >= 0, InvalidInput, std::string(field) + " must be a finite time >= 0");
    return ms;
}

NetworkSample parse_sample(const std::string& line, const std::string& where) {
    const json j = json::parse(line);
    SNNIPRED_CHECK(j.is_object(), InvalidInput, "expected a JSON object");
    NetworkSample sample{j.at("name").get<std::string>(),
                         j.at("setting").get<std::string>(),
                         j.contains("run") ? j.at("run").get<std::string>() : std::string(),
                         network_from_json(j.at("network").dump(), where),
                         time_field(j, "client_ms"),
                         time_field(j, "server_ms")};
    SNNIPRED_CHECK(!sample.name.empty() && !sample.setting.empty(), InvalidInput, "name and setting must not be empty");
    return sample;
}

}  // namespace

std::vector<NetworkSample> read_network_samples(const std::filesystem::path& file) {
    std::ifstream in(file);
    SNNIPRED_CHECK(in.good(), InvalidInput, file.string() + ": cannot open the network samples");
    std::vector<NetworkSample> samples;
    std::string line;
    for (std::size_t number = 1; std::getline(in, line); ++number) {
        if (skipped(line)) continue;
        const std::string where = file.string() + ":" + std::to_string(number);
        try {
            samples.push_back(parse_sample(line, where));
        } catch (const json::exception& error) {
            throw InvalidInput(where + ": " + error.what());
        } catch (const InvalidInput& error) {
            const std::string what = error.what();
            if (what.rfind(where, 0) == 0) throw;
            throw InvalidInput(where + ": " + what);
        }
    }
    SNNIPRED_CHECK(!samples.empty(), InvalidInput, file.string() + ": no network samples");
    return samples;
}

void write_network_samples(const std::filesystem::path& file, const std::vector<NetworkSample>& samples) {
    const std::filesystem::path temporary = file.string() + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        for (const NetworkSample& s : samples) {
            const json j = {{"name", s.name},
                            {"setting", s.setting},
                            {"run", s.run},
                            {"client_ms", s.client_ms},
                            {"server_ms", s.server_ms},
                            {"network", json::parse(network_to_json(s.network))}};
            out << j.dump() << '\n';
        }
        out.close();
        SNNIPRED_CHECK(out.good(), InvalidInput, file.string() + ": cannot write the network samples");
    }
    std::error_code error;
    std::filesystem::rename(temporary, file, error);
    SNNIPRED_CHECK(!error, InvalidInput, file.string() + ": cannot write the network samples (" + error.message() + ")");
}

}  // namespace snnipred::predict
