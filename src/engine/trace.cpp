#include "snnipred/engine/trace.h"

#include <time.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "snnipred/core/error.h"

namespace snnipred::engine {
namespace {

std::int64_t wall_now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::int64_t thread_cpu_ns() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

// CSV fields are layer names and fixed words; quote only when needed.
std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (const char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

}  // namespace

void SpanCost::add(const SpanRecord& record) {
    wall_seconds += record.wall_seconds;
    cpu_seconds += record.cpu_seconds;
    comm.bytes_sent += record.comm.bytes_sent;
    comm.bytes_received += record.comm.bytes_received;
    comm.messages_sent += record.comm.messages_sent;
    comm.messages_received += record.comm.messages_received;
    comm.rounds += record.comm.rounds;
    ++spans;
}

Trace::Span::Span(Trace& trace, SpanRecord record)
    : trace_(trace),
      record_(std::move(record)),
      wall_start_ns_(wall_now_ns()),
      cpu_start_ns_(thread_cpu_ns()),
      comm_start_(trace.channel_ != nullptr ? trace.channel_->stats() : net::CommStats{}) {}

Trace::Span::~Span() {
    record_.wall_seconds = static_cast<double>(wall_now_ns() - wall_start_ns_) * 1e-9;
    record_.cpu_seconds = static_cast<double>(thread_cpu_ns() - cpu_start_ns_) * 1e-9;
    if (trace_.channel_ != nullptr) record_.comm = trace_.channel_->stats() - comm_start_;
    trace_.records_.push_back(std::move(record_));
}

Trace::Span Trace::span(std::string layer, std::string layer_type, std::string step) {
    return Span(*this, SpanRecord{std::move(layer), std::move(layer_type), std::move(step), false, 0, 0, {}});
}

Trace::Span Trace::setup_span(std::string step) { return Span(*this, SpanRecord{"", "", std::move(step), true, 0, 0, {}}); }

SpanCost Trace::total(bool setup) const {
    SpanCost cost;
    for (const SpanRecord& record : records_)
        if (record.setup == setup) cost.add(record);
    return cost;
}

std::vector<std::pair<std::pair<std::string, std::string>, SpanCost>> Trace::by_type_and_step() const {
    std::vector<std::pair<std::pair<std::string, std::string>, SpanCost>> sums;
    for (const SpanRecord& record : records_) {
        if (record.setup) continue;
        const std::pair<std::string, std::string> key{record.layer_type, record.step};
        auto it = std::find_if(sums.begin(), sums.end(), [&](const auto& entry) { return entry.first == key; });
        if (it == sums.end()) it = sums.insert(sums.end(), {key, SpanCost{}});
        it->second.add(record);
    }
    return sums;
}

std::string party_name(Party party) { return party == Party::kClient ? "client" : "server"; }

std::string traces_to_json(const std::vector<const Trace*>& traces) {
    nlohmann::json spans = nlohmann::json::array();
    for (const Trace* trace : traces)
        for (const SpanRecord& r : trace->records())
            spans.push_back({{"party", party_name(trace->party())},
                             {"phase", r.setup ? "setup" : "online"},
                             {"layer", r.layer},
                             {"layer_type", r.layer_type},
                             {"step", r.step},
                             {"wall_s", r.wall_seconds},
                             {"cpu_s", r.cpu_seconds},
                             {"bytes_sent", r.comm.bytes_sent},
                             {"bytes_received", r.comm.bytes_received},
                             {"messages_sent", r.comm.messages_sent},
                             {"messages_received", r.comm.messages_received},
                             {"rounds", r.comm.rounds}});
    return nlohmann::json{{"spans", spans}}.dump(1) + "\n";
}

std::string traces_to_csv(const std::vector<const Trace*>& traces) {
    std::ostringstream out;
    out << "party,phase,layer,layer_type,step,wall_s,cpu_s,bytes_sent,bytes_received,messages_sent,"
           "messages_received,rounds\n";
    out.precision(9);
    for (const Trace* trace : traces)
        for (const SpanRecord& r : trace->records())
            out << party_name(trace->party()) << ',' << (r.setup ? "setup" : "online") << ',' << csv_field(r.layer)
                << ',' << csv_field(r.layer_type) << ',' << csv_field(r.step) << ',' << r.wall_seconds << ','
                << r.cpu_seconds << ',' << r.comm.bytes_sent << ',' << r.comm.bytes_received << ','
                << r.comm.messages_sent << ',' << r.comm.messages_received << ',' << r.comm.rounds << '\n';
    return out.str();
}

Trace trace_from_json(const std::string& text, Party party) {
    Trace trace(party);
    try {
        const nlohmann::json doc = nlohmann::json::parse(text);
        for (const nlohmann::json& s : doc.at("spans")) {
            if (s.at("party").get<std::string>() != party_name(party)) continue;
            SpanRecord r;
            r.setup = s.at("phase").get<std::string>() == "setup";
            r.layer = s.at("layer").get<std::string>();
            r.layer_type = s.at("layer_type").get<std::string>();
            r.step = s.at("step").get<std::string>();
            r.wall_seconds = s.at("wall_s").get<double>();
            r.cpu_seconds = s.at("cpu_s").get<double>();
            r.comm.bytes_sent = s.at("bytes_sent").get<std::uint64_t>();
            r.comm.bytes_received = s.at("bytes_received").get<std::uint64_t>();
            r.comm.messages_sent = s.at("messages_sent").get<std::uint64_t>();
            r.comm.messages_received = s.at("messages_received").get<std::uint64_t>();
            r.comm.rounds = s.at("rounds").get<std::uint64_t>();
            trace.append(std::move(r));
        }
    } catch (const nlohmann::json::exception& error) {
        throw InvalidInput(std::string("malformed trace JSON: ") + error.what());
    }
    return trace;
}

void write_traces(const std::string& path, const std::vector<const Trace*>& traces) {
    const bool csv = path.size() >= 4 && path.compare(path.size() - 4, 4, ".csv") == 0;
    std::ofstream out(path);
    SNNIPRED_CHECK(out.good(), InvalidInput, "cannot write trace file '" + path + "'");
    out << (csv ? traces_to_csv(traces) : traces_to_json(traces));
    out.flush();
    SNNIPRED_CHECK(out.good(), InvalidInput, "cannot write trace file '" + path + "'");
}

}  // namespace snnipred::engine
