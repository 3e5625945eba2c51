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
    comm += record.comm;
    ++spans;
    if (!record.planned) return;
    planned += *record.planned;
    ++planned_spans;
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

Trace::Span Trace::span(std::string layer, std::string layer_type, protocol::StepKind step,
                        std::optional<net::CommStats> planned) {
    return Span(*this, SpanRecord{std::move(layer), std::move(layer_type), step, false, 0, 0, {}, planned});
}

Trace::Span Trace::setup_span(protocol::StepKind step, std::optional<net::CommStats> planned) {
    return Span(*this, SpanRecord{"", "", step, true, 0, 0, {}, planned});
}

SpanCost Trace::total(bool setup) const {
    SpanCost cost;
    for (const SpanRecord& record : records_)
        if (record.setup == setup) cost.add(record);
    return cost;
}

std::vector<std::pair<std::pair<std::string, protocol::StepKind>, SpanCost>> Trace::by_type_and_step() const {
    std::vector<std::pair<std::pair<std::string, protocol::StepKind>, SpanCost>> sums;
    for (const SpanRecord& record : records_) {
        if (record.setup) continue;
        const std::pair<std::string, protocol::StepKind> key{record.layer_type, record.step};
        auto it = std::find_if(sums.begin(), sums.end(), [&](const auto& entry) { return entry.first == key; });
        if (it == sums.end()) it = sums.insert(sums.end(), {key, SpanCost{}});
        it->second.add(record);
    }
    return sums;
}


std::string traces_to_json(const std::vector<const Trace*>& traces) {
    nlohmann::json spans = nlohmann::json::array();
    for (const Trace* trace : traces)
        for (const SpanRecord& r : trace->records()) {
            nlohmann::json span{{"party", party_name(trace->party())},
                                {"phase", protocol::phase_name(r.setup ? protocol::Phase::kSetup : protocol::Phase::kOnline)},
                                {"layer", r.layer},
                                {"layer_type", r.layer_type},
                                {"step", protocol::step_kind_name(r.step)},
                                {"wall_s", r.wall_seconds},
                                {"cpu_s", r.cpu_seconds},
                                {"bytes_sent", r.comm.bytes_sent},
                                {"bytes_received", r.comm.bytes_received},
                                {"messages_sent", r.comm.messages_sent},
                                {"messages_received", r.comm.messages_received},
                                {"rounds", r.comm.rounds}};
            if (r.planned) {
                span["plan_bytes_sent"] = r.planned->bytes_sent;
                span["plan_bytes_received"] = r.planned->bytes_received;
                span["plan_messages_sent"] = r.planned->messages_sent;
                span["plan_messages_received"] = r.planned->messages_received;
                span["plan_rounds"] = r.planned->rounds;
            }
            spans.push_back(std::move(span));
        }
    return nlohmann::json{{"spans", spans}}.dump(1) + "\n";
}

std::string traces_to_csv(const std::vector<const Trace*>& traces) {
    std::ostringstream out;
    out << "party,phase,layer,layer_type,step,wall_s,cpu_s,bytes_sent,bytes_received,messages_sent,"
           "messages_received,rounds\n";
    out.precision(9);
    for (const Trace* trace : traces)
        for (const SpanRecord& r : trace->records())
            out << party_name(trace->party()) << ',' << protocol::phase_name(r.setup ? protocol::Phase::kSetup : protocol::Phase::kOnline) << ',' << csv_field(r.layer)
                << ',' << csv_field(r.layer_type) << ',' << protocol::step_kind_name(r.step) << ',' << r.wall_seconds << ','
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
            r.setup = protocol::parse_phase(s.at("phase").get<std::string>()) == protocol::Phase::kSetup;
            r.layer = s.at("layer").get<std::string>();
            r.layer_type = s.at("layer_type").get<std::string>();
            r.step = protocol::parse_step_kind(s.at("step").get<std::string>());
            r.wall_seconds = s.at("wall_s").get<double>();
            r.cpu_seconds = s.at("cpu_s").get<double>();
            r.comm.bytes_sent = s.at("bytes_sent").get<std::uint64_t>();
            r.comm.bytes_received = s.at("bytes_received").get<std::uint64_t>();
            r.comm.messages_sent = s.at("messages_sent").get<std::uint64_t>();
            r.comm.messages_received = s.at("messages_received").get<std::uint64_t>();
            r.comm.rounds = s.at("rounds").get<std::uint64_t>();
            if (s.contains("plan_bytes_sent"))
                r.planned = net::CommStats{s.at("plan_bytes_sent").get<std::uint64_t>(),
                                           s.at("plan_bytes_received").get<std::uint64_t>(),
                                           s.at("plan_messages_sent").get<std::uint64_t>(),
                                           s.at("plan_messages_received").get<std::uint64_t>(),
                                           s.at("plan_rounds").get<std::uint64_t>()};
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
