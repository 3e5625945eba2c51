#include "snnipred/machine/median_profile.h"

#include <algorithm>
#include <array>
#include <map>

#include "snnipred/core/error.h"

namespace snnipred::machine {
namespace {

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// The median of one field over the profiles that measured their CPU share.
double median_share(const std::vector<CpuShare>& shares, double CpuShare::*field) {
    std::vector<double> values;
    for (const CpuShare& share : shares) values.push_back(share.*field);
    return median(std::move(values));
}

}  // namespace

MachineProfile median_profile(const std::vector<MachineProfile>& profiles) {
    SNNIPRED_CHECK(!profiles.empty(), InvalidInput, "no machine profiles to take the median of");
    const MachineProfile& first = profiles.front();
    for (const MachineProfile& p : profiles)
        SNNIPRED_CHECK(p.cpu_model == first.cpu_model && p.cores == first.cores, InvalidInput,
                       "machine profiles of different machines (" + first.cpu_model + ", " +
                           std::to_string(first.cores) + " cores; " + p.cpu_model + ", " + std::to_string(p.cores) +
                           " cores): their median describes neither");
    const auto latest = std::max_element(profiles.begin(), profiles.end(),
                                         [](const MachineProfile& a, const MachineProfile& b) { return a.date < b.date; });
    MachineProfile out;
    out.cpu_model = first.cpu_model;
    out.cores = first.cores;
    out.date = latest->date;
    out.snnipred_version = latest->snnipred_version;
    out.load_average = latest->load_average;

    std::map<UnitKey, std::vector<UnitCost>> costs;
    for (const MachineProfile& p : profiles)
        for (const auto& [key, cost] : p.costs) costs[key].push_back(cost);
    for (const auto& [key, measured] : costs) {
        std::vector<double> seconds;
        std::array<std::vector<double>, 2> by_role;
        UnitCost folded;
        for (const UnitCost& cost : measured) {
            seconds.push_back(cost.seconds);
            folded.repeats += cost.repeats;
            if (cost.by_role)
                for (std::size_t r = 0; r < 2; ++r) by_role[r].push_back((*cost.by_role)[r]);
        }
        folded.seconds = median(std::move(seconds));
        // Roles only where every profile measured them: a median over some would mix machines' moods.
        if (by_role[0].size() == measured.size())
            folded.by_role = std::array<double, 2>{median(std::move(by_role[0])), median(std::move(by_role[1]))};
        out.costs.emplace(key, folded);
    }

    std::vector<CpuShare> shares;
    for (const MachineProfile& p : profiles)
        if (p.cpu_share && p.cpu_share->measured()) shares.push_back(*p.cpu_share);
    if (!shares.empty()) {
        CpuShare share;
        share.single_thread_share = median_share(shares, &CpuShare::single_thread_share);
        share.concurrent_cores = median_share(shares, &CpuShare::concurrent_cores);
        share.unthrottled_share = median_share(shares, &CpuShare::unthrottled_share);
        for (const CpuShare& s : shares) share.windows += s.windows;
        out.cpu_share = share;
    }
    return out;
}

}  // namespace snnipred::machine
