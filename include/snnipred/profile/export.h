#pragma once
// From the store to the predictors' datasets: the online spans of a run are matched one to
// one with the predicted steps of the network's protocol plan (by layer and step kind,
// predict::engine_span_lowering), and each step of the
// "snnipred" backend (which fuses a layer's truncation into its product) becomes one
// per-step record (predict/dataset.h) with that step's raw features; each run becomes one
// whole-network sample (predict/network_dataset.h).
//
//   span step                       record kind (variant)
//   conv, fc, batchnorm             conv, fc, bn
//   trunc                           trunc, or part of the preceding product of its layer
//   relu, relu6                     relu (a relu6 of n values: a relu of 2n)
//   maxpool                         maxpool
//   avgpool, globalavgpool          avgpool (the local window sum; its trunc is its own)
//   local, reveal                   no record (counted in the network's online time)

#include <string>
#include <vector>

#include "snnipred/predict/dataset.h"
#include "snnipred/predict/lowering.h"
#include "snnipred/predict/network_dataset.h"
#include "snnipred/profile/store.h"

namespace snnipred::profile {

struct ExportedData {
    predict::Dataset layers;
    std::vector<predict::NetworkSample> networks;
};

/// The runs of the given campaigns, every campaign when `campaigns` is empty; a network
/// name that occurs in more than one of them is exported as "<campaign>/<name>". Throws
/// InvalidInput naming the run, network, party, layer and step when a run's online spans
/// do not match the lowering of its network one to one, and when a named campaign is not
/// in the store.
ExportedData export_store(const Store& store, const std::vector<std::string>& campaigns = {});

/// `data` with the repeats of each (network, setting) folded into one: every step's record
/// (time, bytes, rounds) and the whole-network sample take their median over the repeats,
/// so that a run slowed by other load on the machine does not bias training. The run id
/// becomes "<campaign>#median-of-<repeats>". Throws InvalidInput naming the network if its
/// repeats differ in their number of steps.
ExportedData median_over_repeats(const ExportedData& data);

/// The per-step spans of `party` in `run` zipped with `steps` (the engine_span_lowering of
/// `network`, the plan's predicted steps): one record per step, without fusion. Throws InvalidInput as export_store does.
std::vector<predict::LayerRecord> zip_spans(const RunRecord& run, Party party, const Network& network,
                                            const std::vector<predict::ProtocolStep>& steps);

/// Whether a span's step is a per-layer protocol step (not local, reveal or setup).
bool is_protocol_step(const StoredSpan& span);

}  // namespace snnipred::profile
