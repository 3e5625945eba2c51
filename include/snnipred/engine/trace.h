#pragma once
// The one timing mechanism of the engine: a Trace of spans. A span is an RAII object that,
// from its creation to its destruction, measures wall time (steady clock), this thread's
// CPU time (CLOCK_THREAD_CPUTIME_ID) and what crossed the bound channel (the difference
// of its CommStats). Nothing else in the engine times anything.
//
//   auto span = trace.span("conv1", "conv", StepKind::kTruncate);   // one protocol step of a layer
//   auto setup = trace.setup_span(StepKind::kBaseOt);               // one-off costs, kept apart
//
// Spans must not nest (their costs would be counted twice in the totals).
//
// Export columns (CSV header, and the keys of each object of the JSON "spans" array):
//   party            client | server
//   phase            setup (key generation, base OTs, handshake; it ends when both parties
//                    have, so no online span holds the peer's setup) | online (per layer)
//   layer            layer name in the IR ("" for setup spans)
//   layer_type       layer_type_name() of the layer ("" for setup spans)
//   step             protocol step (protocol::step_kind_name): handshake, he_keygen,
//                    base_ot (setup); conv, fc, batchnorm (HE), trunc, relu, relu6, maxpool,
//                    avgpool, globalavgpool (local part), local, reveal
//   wall_s, cpu_s    seconds of wall time and of this thread's CPU time
//   bytes_sent, bytes_received, messages_sent, messages_received
//                    payload bytes / frames of this party during the span
//   rounds           direction changes of this party during the span (CommStats::rounds):
//                    a span that starts by sending right after this party sent continues
//                    that flight and counts no round for it
//   plan_bytes_sent, plan_bytes_received, plan_messages_sent, plan_messages_received,
//   plan_rounds      (JSON only, when the run had a plan) what the protocol plan
//                    (protocol/plan.h) says the step costs

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "snnipred/engine/ot_session.h"
#include "snnipred/net/channel.h"
#include "snnipred/protocol/step.h"

namespace snnipred::engine {

/// What one span measured.
struct SpanRecord {
    std::string layer;
    std::string layer_type;
    protocol::StepKind step = protocol::StepKind::kLocal;
    bool setup = false;
    double wall_seconds = 0;
    double cpu_seconds = 0;
    net::CommStats comm;
    std::optional<net::CommStats> planned;  // what the protocol plan says this step costs
};

/// Sum of several spans' costs.
struct SpanCost {
    double wall_seconds = 0;
    double cpu_seconds = 0;
    net::CommStats comm;
    std::size_t spans = 0;
    net::CommStats planned;         // the plan's costs of the spans that had one
    std::size_t planned_spans = 0;

    void add(const SpanRecord& record);
};

class Trace {
public:
    explicit Trace(Party party) : party_(party) {}
    Trace(const Trace&) = delete;
    Trace& operator=(const Trace&) = delete;
    Trace(Trace&&) = default;
    Trace& operator=(Trace&&) = default;

    /// Spans read this channel's counters from now on; unbound spans record no traffic.
    /// The channel must outlive every span opened while it is bound.
    void bind(const net::Channel& channel) { channel_ = &channel; }

    /// Measures from construction to destruction and appends one record to the trace.
    class Span {
    public:
        Span(const Span&) = delete;
        Span& operator=(const Span&) = delete;
        ~Span();

    private:
        friend class Trace;
        Span(Trace& trace, SpanRecord record);

        Trace& trace_;
        SpanRecord record_;
        std::int64_t wall_start_ns_ = 0;
        std::int64_t cpu_start_ns_ = 0;
        net::CommStats comm_start_;
    };

    /// An online span: one protocol step of one layer.
    [[nodiscard]] Span span(std::string layer, std::string layer_type, protocol::StepKind step,
                            std::optional<net::CommStats> planned = {});
    /// A setup span (key generation, base OTs): kept out of per-layer sums.
    [[nodiscard]] Span setup_span(protocol::StepKind step, std::optional<net::CommStats> planned = {});

    Party party() const { return party_; }
    const std::vector<SpanRecord>& records() const { return records_; }
    /// Appends a record measured elsewhere (e.g. read back from the peer's export).
    void append(SpanRecord record) { records_.push_back(std::move(record)); }

    /// Sum over the setup spans (setup = true) or over the online spans.
    SpanCost total(bool setup) const;
    /// Online spans summed per (layer_type, step), in order of first appearance.
    std::vector<std::pair<std::pair<std::string, protocol::StepKind>, SpanCost>> by_type_and_step() const;

private:
    Party party_;
    const net::Channel* channel_ = nullptr;
    std::vector<SpanRecord> records_;
};

/// All spans of the given traces in the documented JSON / CSV layouts.
std::string traces_to_json(const std::vector<const Trace*>& traces);
std::string traces_to_csv(const std::vector<const Trace*>& traces);
/// The spans of `party` read back from traces_to_json output (other parties' spans are
/// skipped). Throws InvalidInput on malformed text.
Trace trace_from_json(const std::string& text, Party party);
/// Writes traces_to_csv when `path` ends in .csv, traces_to_json otherwise. Throws
/// InvalidInput when the file cannot be written.
void write_traces(const std::string& path, const std::vector<const Trace*>& traces);

}  // namespace snnipred::engine
